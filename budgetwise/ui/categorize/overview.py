"""The counts at the top of the Categorize page: how the user's transactions got their categories."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services.categorize import GUESSED_HELP, StatsOverview
from budgetwise.ui.context import read_session
from budgetwise.ui.format import count_text


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def cached_counts(user_id: int, version: str) -> tuple[dict[str, int], bool]:
    """(``categorization_stats``, whether suggestions are available), keyed by user and data version
    (``auth.cache_version``; every categorizing write bumps it). Session 13 (pagespeed): read on every
    rerun, the two cost ≈ 0.14 s CPU for a 100,000-row user (``model_status`` reads the whole history)."""
    with read_session() as s:
        stats = categorize.categorization_stats(s, user_id=user_id)
        ready, _labelled = categorize.model_status(s, user_id=user_id)
    return stats, ready


def render(principal: Principal, o: StatsOverview) -> None:
    k1, k0, k2, k3, k4, k5 = st.columns(6)
    k1.metric("Transactions", count_text(principal, o.total), border=True)
    k0.metric("To review", count_text(principal, o.to_review), border=True,
              help="Uncategorized and guessed transactions together: what the To review tab lists first.")
    k2.metric("Uncategorized", count_text(principal, o.uncategorized), border=True)
    k3.metric("Guessed", count_text(principal, o.guessed), border=True,
              help=GUESSED_HELP)
    k4.metric("By rules", count_text(principal, o.by_rules), border=True,
              help="Sorted with confidence by your rules, learned merchants or your past categories.")
    # short: six cards share the row, and "By hand or import" was cut to "By hand or i…" (session 17)
    k5.metric("By you", count_text(principal, o.by_hand_or_import), border=True,
              help="Set by you: by hand, or taken from your bank file's own category column when you imported it.")
