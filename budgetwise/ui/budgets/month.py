"""Budgets: the month picker (kept in ``bud_month`` while other pages are shown)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.ui.format import month_label
from budgetwise.ui.reporting import month_options


def pick(principal: Principal, today: dt.date) -> dt.date:
    choices = month_options(today=today)
    stored = st.session_state.get("bud_month", today.replace(day=1).isoformat())
    if "bud_w_month" not in st.session_state:
        wanted = dt.date.fromisoformat(stored)
        st.session_state["bud_w_month"] = wanted if wanted in choices else today.replace(day=1)
    month = st.columns([1, 3])[0].selectbox("Month", choices, format_func=lambda m: month_label(principal, m),
                                          key="bud_w_month")
    st.session_state["bud_month"] = month.isoformat()
    return month
