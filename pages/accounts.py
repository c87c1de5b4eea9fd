"""Accounts: each account's balance and the total (net worth), month-end balances over time,
add, set a balance, rename, archive / restore (issue #19).

A shell over the sections in budgetwise/ui/accounts/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.services import auth
from budgetwise.ui import read_session, require_user
from budgetwise.ui.accounts import add, balance, manage, overview, transfers
from budgetwise.ui.actions import show_flash
from budgetwise.ui.reporting import Loader

principal = require_user()

st.title("Accounts")
st.caption("Your accounts, what is in each, and your net worth over time (in your base currency).")
show_flash()

with read_session() as s:
    version = auth.cache_version(s, user_id=principal.user_id)
months = st.segmented_control("History", [6, 12, 24, 60], default=12, key="acct_months",
                              format_func=lambda m: f"{m} months") or 12
now, (history, history_missing), window = overview.cached_overview(principal.user_id, version, int(months))

overview.render(principal, Loader(principal, version), now, history, history_missing, window)
if len(now.accounts) > 1:
    transfers.render(principal, version)
add.render(principal, expanded=not now.accounts)
if now.accounts:
    balance.render(principal, now)
    manage.render(principal, now)
