"""Page guards. Every script in pages/ starts with one of these.

Streamlit can run a ``pages/`` script directly (before app.py's st.navigation) when it
is the first URL a fresh server sees, so a page must protect itself.
"""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.ui.navigation import leave_pages_folder_mode
from budgetwise.ui.state import current_principal


def require_user() -> Principal:
    leave_pages_folder_mode(rerun=True)  # a page run directly by a fresh server: go through app.py's navigation
    principal = current_principal()
    if principal is None:
        st.warning("Please sign in to see this page.")
        st.markdown("[Go to the sign-in page](/)")
        st.stop()
    return principal


def require_admin() -> Principal:
    principal = require_user()
    if not principal.is_admin:
        st.error("This page is for administrators only.")
        st.stop()
    return principal


def public_page() -> Principal | None:
    """Guard for public pages (sign-in, register): they show nothing private; returns the user if any."""
    leave_pages_folder_mode(rerun=True)
    return current_principal()
