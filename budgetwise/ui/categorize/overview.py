"""The counts at the top of the Categorize page: how the user's transactions got their categories."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import categorize
from budgetwise.services.categorize import GUESSED_HELP, StatsOverview
from budgetwise.ui.context import read_session
from budgetwise.ui.format import count_text, plural
from budgetwise.ui.widgets import metric_row


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
    counts = [count_text(principal, n) for n in (o.total, o.to_review, o.uncategorized, o.guessed, o.by_rules,
                                                  o.by_you)]
    # metric_row: two cards a line on a phone (one a line, the six took ≈ 740 px of a 390 px screen, session 19)
    k1, k0, k2, k3, k4, k5 = metric_row(6, counts)
    k1.metric("Transactions", counts[0], border=True)
    k0.metric("To review", counts[1], border=True,
              help="Uncategorized and guessed transactions together: what the To review tab lists first.")
    k2.metric("Uncategorized", counts[2], border=True)
    k3.metric("Guessed", counts[3], border=True,
              help=GUESSED_HELP)
    k4.metric("By rules", counts[4], border=True,
              help="Sorted with confidence by your rules, learned merchants or your past categories.")
    # short: six cards share the row, and "By hand or import" was cut to "By hand or i…" (session 17)
    k5.metric("By you", counts[5], border=True,
              help="Set or confirmed by you: by hand, by labelling a merchant, or by accepting a suggestion.")
    if o.from_file:  # not the user's own labels (session 26: "By you 2,049" counted a file's category column)
        st.caption(f"From your imported files' own category column: "
                   f"{plural(o.from_file, 'transaction', locale=principal.locale)} (not counted under By you).")
