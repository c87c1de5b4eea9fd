"""Budgets: the month picker (kept in ``bud_month`` while other pages are shown).

Session 19: the current month first shown; the next 12 months to plan (a budget set for a month applies from it
on, so "from January on" can be set at any time of the year; it was 3); back to the month of the user's first
transaction, at least 24 months (it was 24 whatever the data: an imported older history could not be reached)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.ui.format import month_label
from budgetwise.ui.reporting import month_options

FORWARD_MONTHS = 12
BACK_MONTHS = 24


def pick(principal: Principal, today: dt.date, first: dt.date | None = None) -> dt.date:
    """The chosen month; ``first``: the user's first transaction's date (None: none)."""
    back = BACK_MONTHS if first is None else max(BACK_MONTHS, (today.year - first.year) * 12 + today.month - first.month)
    choices = month_options(today=today, back=back, forward=FORWARD_MONTHS)
    stored = st.session_state.get("bud_month", today.replace(day=1).isoformat())
    if "bud_w_month" not in st.session_state:
        wanted = dt.date.fromisoformat(stored)
        st.session_state["bud_w_month"] = wanted if wanted in choices else today.replace(day=1)
    month = st.columns([1, 3])[0].selectbox("Month", choices, format_func=lambda m: month_label(principal, m),
                                          key="bud_w_month")
    st.session_state["bud_month"] = month.isoformat()
    return month
