"""Dashboard: the latest transactions (with the amount in the base currency when some are in another)."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import rates
from budgetwise.services import transactions as tx
from budgetwise.ui.context import read_session
from budgetwise.ui.currency import in_base_column
from budgetwise.ui.dashboard.common import page_link
from budgetwise.ui.format import date_cells, date_column
from budgetwise.ui.widgets import transactions_frame


def render(principal: Principal) -> None:
    with st.container(border=True):
        st.markdown("**Latest transactions**")
        with read_session() as s:
            recent = tx.recent_transactions(s, user_id=principal.user_id, limit=8)
            converted = rates.convert_each(
                s, user_id=principal.user_id, items=[(r.currency, r.date, r.amount_minor) for r in recent]
            )
        frame = transactions_frame(principal, recent)
        columns = ["Date", "Amount", "Category", "Description"]  # what was spent on what stays visible on a phone
        if any(r.currency != principal.currency for r in recent):
            frame[f"In {principal.currency}"] = in_base_column(principal, recent, converted)
            columns.append(f"In {principal.currency}")
        frame["Date"] = date_cells(principal, frame["Date"])
        st.dataframe(
            frame[columns],
            hide_index=True,
            width="stretch",
            column_config={"Date": date_column(principal, "Date")},
        )
        page_link("transactions.py", "All transactions", ":material/receipt_long:")
