"""The counts at the top of the Categorize page: how the user's transactions got their categories."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services.categorize import GUESSED_HELP, StatsOverview
from budgetwise.ui.format import count_text


def render(principal: Principal, o: StatsOverview) -> None:
    k1, k2, k3, k4, k5 = st.columns(5)
    k1.metric("Transactions", count_text(principal, o.total), border=True)
    k2.metric("Uncategorized", count_text(principal, o.uncategorized), border=True)
    k3.metric("Guessed", count_text(principal, o.guessed), border=True,
              help=GUESSED_HELP)
    k4.metric("By rules", count_text(principal, o.by_rules), border=True,
              help="Sorted with confidence by your rules, learned merchants or your past categories.")
    k5.metric("By hand or import", count_text(principal, o.by_hand_or_import), border=True)
