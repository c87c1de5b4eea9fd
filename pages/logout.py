"""Log out (signed-in page): revoke this user's tokens and "stay signed in" cookies, then the sign-in page.

A real page file rather than a function page: opening /logout as a fresh server's first request
matched the address against the files in ``pages/`` (Streamlit's folder mode) and answered "Page
not found" (QA 2026-12-04). With the file, /logout is a known address everywhere: signed out it
leads to the sign-in page like any page this visitor has not got (``navigation.redirect_paths``).
"""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.ui import guards, state

principal = guards.require_user()
state.sign_out(principal, goodbye="You have been signed out. Thanks for budgeting with BudgetWise, see you soon!")
st.rerun()  # through app.py: signed out now, /logout leads to the sign-in page
