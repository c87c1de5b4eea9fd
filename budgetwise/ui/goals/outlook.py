"""Goals: "Will I make it?" — the chance of reaching the goal from the net-savings forecast."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import goals as G
from budgetwise.ui.charts import GRID, NET, OK, TRANSPARENT, WARN, date_axis, plotly_config, plotly_separators
from budgetwise.ui.format import day, percent
from budgetwise.ui.widgets import md


def render(principal: Principal, goal, goals: list, net, net_reason: str, shares: dict) -> None:
    cur = principal.currency
    st.markdown("**Will I make it?**")
    if goal.reached:
        st.success("Goal reached: well done!")
    elif net is None:
        st.info(md(net_reason) + "  \nMeanwhile, the plan above shows what to save.")
    else:
        open_goals = [g for g in goals if not g.reached]
        if len(open_goals) > 1:
            key = f"goal_share_{goal.id}"
            if f"goal_w_share_{goal.id}" not in st.session_state:
                st.session_state[f"goal_w_share_{goal.id}"] = int(round(100 * st.session_state.get(key, shares.get(goal.id, 1.0))))
            pct = st.slider("Share of your future net savings going to this goal (%)", 0, 100, key=f"goal_w_share_{goal.id}")
            st.session_state[key] = pct / 100
        projection = G.project_goal(goal, net, share=st.session_state.get(f"goal_share_{goal.id}", shares.get(goal.id, 1.0)),
                                    locale=principal.locale, date_format=principal.date_format)
        words = projection.words
        colour = {"very likely": "green", "likely": "green", "uncertain": "orange", "at risk": "red", "unlikely": "red"}.get(
            words, "gray")
        head = f":{colour}-badge[{words.capitalize()}]"
        if projection.probability is not None and not goal.overdue:
            head += f" **{G.chance_text(projection.probability, principal.locale)}** chance by {day(principal, goal.target_date)}"
        if projection.projected_date:
            head += f" · expected around **{day(principal, projection.projected_date)}**"
        st.markdown(head)
        st.caption(md(projection.explanation))
        chart = projection.chart
        if not chart.empty:
            fig = go.Figure()
            fig.add_trace(go.Scatter(
                x=list(chart["ds"]) + list(chart["ds"])[::-1], y=list(chart["upper"]) + list(chart["lower"])[::-1],
                mode="lines", fill="toself", fillcolor="rgba(76,120,221,0.18)", line=dict(width=0), hoverinfo="skip",
                name=f"{percent(principal, net.interval * 100)} range",
            ))
            fig.add_trace(go.Scatter(x=list(chart["ds"]), y=list(chart["expected"]), mode="lines", name="Projected savings",
                                     line=dict(color=NET, width=2)))
            fig.add_trace(go.Scatter(x=[chart["ds"].iloc[0], chart["ds"].iloc[-1]], y=[chart["target"].iloc[0]] * 2,
                                     mode="lines", name="Target", line=dict(color=OK, dash="dash")))
            fig.add_vline(x=goal.target_date.isoformat(), line=dict(color=WARN, dash="dot"))
            fig.add_annotation(x=goal.target_date.isoformat(), y=1, yref="paper", text="target date", showarrow=False,
                               yanchor="bottom")
            fig.update_layout(height=340, margin=dict(l=8, r=8, t=36, b=8), paper_bgcolor=TRANSPARENT,
                              separators=plotly_separators(principal.locale),
                              plot_bgcolor=TRANSPARENT, hovermode="x unified",
                              legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0))
            fig.update_xaxes(showgrid=False)
            date_axis(fig, principal.locale, principal.date_format)
            fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, tickformat=",.0f", title_text=cur)
            st.plotly_chart(fig, key="goal_chart", config=plotly_config(principal.locale))
