"""Dashboard: the friendly start of an account without transactions."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import demo
from budgetwise.ui.actions import run_action
from budgetwise.ui.dashboard.common import page_link
from budgetwise.ui.format import count_text, md


def render(principal: Principal) -> None:
    st.subheader(f"Welcome, {md(principal.name)} 👋")
    st.write(
        "Your dashboard fills up as soon as there is some money to show: income, spending by category, "
        "budgets and alerts. Three ways to start:"
    )
    c1, c2, c3 = st.columns(3)
    with c1.container(border=True):
        st.markdown("**Add a transaction**")
        st.caption("Type in a purchase or a payslip by hand.")
        page_link("transactions.py", "Go to Transactions", ":material/receipt_long:")
    with c2.container(border=True):
        st.markdown("**Import a file**")
        st.caption("Bring in a CSV, Excel or OFX export from your bank.")
        page_link("import_data.py", "Go to Import", ":material/upload_file:")
    with c3.container(border=True):
        st.markdown("**Load demo data**")
        st.caption("Two years of realistic sample transactions in a checking and a savings account, with "
                   "transfers between them and a savings goal, to explore every feature.")
        if st.button("Load demo data", key="dash_demo", type="primary", icon=":material/auto_awesome:"):
            with st.spinner("Creating two years of sample transactions…"):
                run_action(lambda s: demo.load_demo_data(s, user_id=principal.user_id), toast=lambda seeded: _loaded(
                    principal, seeded), icon="✅")


def _loaded(principal: Principal, seeded: demo.DemoSeed) -> str:
    accounts = " and ".join(seeded.accounts)
    goal = f" and the goal “{demo.GOAL_NAME}”" if seeded.goal_id is not None else ""
    return (f"Loaded {count_text(principal, seeded.transactions)} demo transactions into {accounts}, with "
            f"{count_text(principal, seeded.transfers)} transfers between them{goal}")
