"""The counts at the top of the Categorize page: how the user's transactions got their categories."""

from __future__ import annotations

import streamlit as st

from budgetwise.services.categorize import GUESSED_HELP, StatsOverview


def render(o: StatsOverview) -> None:
    k1, k2, k3, k4, k5 = st.columns(5)
    k1.metric("Transactions", f"{o.total:,}", border=True)
    k2.metric("Uncategorized", f"{o.uncategorized:,}", border=True)
    k3.metric("Guessed", f"{o.guessed:,}", border=True,
              help=GUESSED_HELP)
    k4.metric("By rules", f"{o.by_rules:,}", border=True)
    k5.metric("By hand or import", f"{o.by_hand_or_import:,}", border=True)
