"""The only Streamlit-aware part of the package: state, guards, resources, widgets."""

from budgetwise.ui.context import db_session, get_settings, read_session
from budgetwise.ui.guards import require_admin, require_user

__all__ = ["db_session", "get_settings", "read_session", "require_admin", "require_user"]
