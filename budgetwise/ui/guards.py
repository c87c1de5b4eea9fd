"""Page guards. Every script in pages/ starts with one of these.

Streamlit can run a ``pages/`` script directly (before app.py's st.navigation) when it
is the first URL a fresh server sees, so a page must protect itself.
"""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.ui.state import current_principal


def require_user() -> Principal:
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
    return current_principal()
