"""Dashboard: the friendly start of an account without transactions."""

from __future__ import annotations

import streamlit as st

from budgetwise.money import minor_digits
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
        st.caption("Two years of realistic sample transactions, to explore every feature.")
        if st.button("Load demo data", key="dash_demo", type="primary", icon=":material/auto_awesome:"):
            currency = principal.currency if minor_digits(principal.currency) == 2 else "USD"
            with st.spinner("Creating two years of sample transactions…"):
                run_action(
                    lambda s: demo.seed_transactions(s, user_id=principal.user_id, rows=demo.generate(), currency=currency),
                    toast=lambda count: f"Loaded {count_text(principal, count)} demo transactions", icon="✅",
                )
