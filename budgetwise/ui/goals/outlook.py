"""Goals: "Will I make it?" — the chance of reaching the goal from the net-savings forecast."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goals as G
from budgetwise.ui import plan_charts
from budgetwise.ui.charts import plotly_config
from budgetwise.ui.dashboard.common import page_link
from budgetwise.ui.format import day, percent
from budgetwise.ui.reporting import Loader
from budgetwise.ui.widgets import md


def _not_enough(principal: Principal, reason: str, details: str, older_until: dt.date | None) -> None:
    """Too little history for the outlook: what is missing on top, why behind "More details" (trial27: ~130 words,
    a whole phone screen). The forecast's reason may offer the older history: that choice is the Forecast page's
    (its button); a goal's outlook starts today, so it is not offered here."""
    st.info(md(reason) + "  \nMeanwhile, the plan above shows what to save.", icon=":material/hourglass_empty:")
    if older_until is not None:
        page_link("forecast.py", label="Open the Forecast page", icon=":material/trending_up:")
    more = md(details)
    if older_until is not None:
        more += (f"  \nThe forecast from your history up to {day(principal, older_until)} is on the **Forecast** "
                 "page (its button “Forecast from my history up to …”). A goal's outlook starts today, so it needs "
                 "the recent history.")
    if more:
        with st.expander("More details", icon=":material/info:"):
            st.caption(more)


def render(principal: Principal, data: Loader, goal, goals: list, net, net_reason: tuple[str, str, dt.date | None],
           shares: dict, fx: dict, known=None) -> None:
    cur = goal.currency  # the projection is in the goal's currency
    st.markdown("**Will I make it?**")
    if goal.reached:
        st.success("Goal reached: well done!")
    elif net is None:
        _not_enough(principal, *net_reason)
    else:
        open_goals = [g for g in goals if not g.reached]
        if len(open_goals) > 1:
            key = f"goal_share_{goal.id}"
            if f"goal_w_share_{goal.id}" not in st.session_state:
                st.session_state[f"goal_w_share_{goal.id}"] = int(round(100 * st.session_state.get(key, shares.get(goal.id, 1.0))))
            pct = st.slider("Share of your future net savings going to this goal (%)", 0, 100, key=f"goal_w_share_{goal.id}")
            st.session_state[key] = pct / 100
        projection = G.project_goal(goal, net, share=st.session_state.get(f"goal_share_{goal.id}", shares.get(goal.id, 1.0)),
                                    locale=principal.locale, date_format=principal.date_format,
                                    rate=fx[goal.id].rate if goal.id in fx else None, known=known)
        if projection.out_of_date_note:  # said before the chance it is about (session 22)
            st.warning(md(projection.out_of_date_note), icon=":material/history:")
        words = projection.words
        colour = {"very likely": "green", "likely": "green", "uncertain": "orange", "at risk": "red", "unlikely": "red"}.get(
            words, "gray")
        head = f":{colour}-badge[{words.capitalize()}]"
        if projection.probability is not None and not goal.overdue:
            head += f" **{G.chance_text(projection.probability, principal.locale)}** chance by {day(principal, goal.target_date)}"
        if projection.projected_date:
            head += f" · expected around **{day(principal, projection.projected_date)}**"
        st.markdown(head)
        # a sentence or two first, the whole reasoning behind an expander (session 26: 170 words under the chance)
        if projection.summary:
            st.caption(md(projection.summary))
            with st.expander("How this is worked out", icon=":material/info:"):
                st.caption(md(projection.explanation))
        else:  # a short text already (no exchange rate)
            st.caption(md(projection.explanation))
        chart = projection.chart
        if not chart.empty:
            # built once per user, data version, goal, share and formats (Loader.chart; session 15)
            fig = data.chart(plan_charts.goal_figure, chart=chart, target_date=goal.target_date, currency=cur,
                             locale=principal.locale, date_format=principal.date_format,
                             range_label=f"{percent(principal, net.interval * 100)} range")
            st.plotly_chart(fig, key="goal_chart", config=plotly_config(principal.locale))
