"""Goals: the overview table of every goal and the goal chosen below it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goals as G
from budgetwise.ui.format import date_cells, date_column, money_or_dash, percent_column_format
from budgetwise.ui.widgets import GOAL_NAME_MAX, PROGRESS_WIDTH, label_column


def render(principal: Principal, goals: list, net, shares: dict, fx: dict, known=None):
    """The table (with each goal's outlook) and the selection; returns the chosen goal."""
    outlooks = {}
    for g in goals:
        share = st.session_state.get(f"goal_share_{g.id}", shares.get(g.id, 1.0))
        outlooks[g.id] = G.project_goal(g, net, share=share, locale=principal.locale,
                                       date_format=principal.date_format, rate=fx[g.id].rate if g.id in fx else None,
                                       known=known)
    names = [g.name for g in goals]
    st.dataframe(  # the bar and its percent beside the name, then the amounts: they fit a phone (TABLE_FIT_PHONE)
        pd.DataFrame({
            "Goal": names,
            "Progress": [g.progress_percent for g in goals],
            "Saved": [money_or_dash(principal, g.saved_minor, g.currency) for g in goals],
            "Target": [money_or_dash(principal, g.target_minor, g.currency) for g in goals],
            "Target date": date_cells(principal, [g.target_date for g in goals]),
            "Per month needed": [money_or_dash(principal, g.per_month_minor, g.currency) if not g.reached else "reached" for g in goals],
            "Outlook": [outlooks[g.id].words for g in goals],
        }),
        column_config={"Goal": label_column(names, most=GOAL_NAME_MAX),  # a long name cut: Target stays on a phone
                       "Progress": st.column_config.ProgressColumn("Progress", min_value=0, max_value=100, width=PROGRESS_WIDTH,
                                                                   format=percent_column_format(principal)),
                       "Target date": date_column(principal, "Target date")},
        hide_index=True, key="goal_overview",
    )

    ids = [g.id for g in goals]
    if st.session_state.get("goal_selected") not in ids:
        st.session_state["goal_selected"] = ids[0]
    if st.session_state.get("goal_w_selected") not in ids:
        st.session_state["goal_w_selected"] = st.session_state["goal_selected"]
    by_id = {g.id: g for g in goals}
    selected = st.selectbox("Goal", ids, format_func=lambda i: by_id[i].name, key="goal_w_selected",
                            on_change=lambda: st.session_state.update(goal_selected=st.session_state["goal_w_selected"]))
    goal = by_id[selected]
    return goal
