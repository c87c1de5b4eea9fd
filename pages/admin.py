"""Admin: users, transactions oversight, global categories and rules, system health, audit and login logs.

A shell over the sections in budgetwise/ui/admin/ (one per tab); only the open tab is drawn.
"""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.ui import get_settings, require_admin
from budgetwise.ui.actions import show_flash
from budgetwise.ui.admin import categories, logs, system, transactions, users

principal = require_admin()
settings = get_settings()

st.title("Admin")
show_flash()

users_tab, txn_tab, cat_tab, system_tab, audit_tab, login_tab = st.tabs(
    ["Users", "Transactions", "Categories & rules", "System", "Audit log", "Login log"],
    key="adm_tab", on_change="rerun",
)
with users_tab:
    if users_tab.open:
        users.render(principal, settings)
with txn_tab:
    if txn_tab.open:
        transactions.render(principal, settings)
with cat_tab:
    if cat_tab.open:
        categories.render(principal)
with system_tab:
    if system_tab.open:
        system.render(principal, settings)
with audit_tab:
    if audit_tab.open:
        logs.render_audit(principal)
with login_tab:
    if login_tab.open:
        logs.render_logins(principal)
