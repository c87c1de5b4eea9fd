"""The only Streamlit-aware part of the package: state, guards, resources, widgets.

The names below are loaded on first use (PEP 562), so ``app.py`` can import the light
:mod:`budgetwise.ui.navigation` and leave Streamlit's ``pages/`` folder mode before the database
and service modules are imported (see :func:`budgetwise.ui.navigation.leave_pages_folder_mode`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from budgetwise.ui.context import db_session, get_settings, read_session
    from budgetwise.ui.guards import require_admin, require_user

__all__ = ["db_session", "get_settings", "read_session", "require_admin", "require_user"]
_HOMES = {"db_session": "context", "get_settings": "context", "read_session": "context",
          "require_admin": "guards", "require_user": "guards"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"budgetwise.ui.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
