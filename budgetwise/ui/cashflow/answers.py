"""Cash flow: the answers (summary, lowest balance, chance of going below, safe to spend) and the chart."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from budgetwise.money import from_minor
from budgetwise.principal import Principal
from budgetwise.ui.charts import GRID, TRANSPARENT, date_axis, plotly_config, plotly_separators
from budgetwise.ui.format import percent, points
from budgetwise.ui.widgets import md, money


def render(principal: Principal, base, alt) -> None:
    def _fmt(minor: int) -> str:
        return money(principal, minor, principal.currency)

    st.info(md(base.summary(_fmt)), icon=":material/insights:")
    m1, m2, m3 = st.columns(3)
    m1.metric("Lowest balance", _fmt(base.lowest_minor), help=f"On {base.day(base.lowest_date)}.",
              delta=None if alt is None else _fmt(alt.lowest_minor - base.lowest_minor) + " with the what-if", border=True)
    m2.metric("Chance of going below", base.chance_text,
              # a difference of two chances is in percentage points ("+69 points"), not a relative "+69%"
              delta=None if alt is None else points(principal, (alt.chance_below - base.chance_below) * 100,
                                                    digits=0, words=True) + " with the what-if",
              delta_color="inverse", border=True)
    # the what-if changes what can be spent too (QA session 13: this card alone stayed as it was)
    m3.metric("Safe to spend per day", _fmt(base.safe_per_day_minor), help=base.safe_to_spend_help(), border=True,
              delta=None if alt is None else _fmt(alt.safe_per_day_minor - base.safe_per_day_minor) + " with the what-if")
    if alert := base.below_threshold(_fmt):
        st.error(alert)
    if alt is not None and not alert and (alert := alt.below_threshold(_fmt, what_if=True)):
        st.warning(alert)
    for note in base.notes:
        st.caption(md(note))


def chart(principal: Principal, base, alt) -> None:
    cur = principal.currency
    dates = [d.date for d in base.days]

    def _y(points, attr):
        return [float(from_minor(getattr(p, attr), cur)) for p in points]

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=dates + dates[::-1], y=_y(base.days, "upper_minor") + _y(base.days, "lower_minor")[::-1],
                             fill="toself", fillcolor="rgba(99,110,250,0.15)", line={"width": 0}, name=f"{percent(principal, 80)} band",
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=dates, y=_y(base.days, "balance_minor"), name="Projected balance", mode="lines"))
    if alt is not None:
        fig.add_trace(go.Scatter(x=dates, y=_y(alt.days, "balance_minor"), name="With the what-if", mode="lines",
                                 line={"dash": "dash"}))
    fig.add_hline(y=float(from_minor(base.threshold_minor, cur)), line={"dash": "dot", "color": "crimson"})
    # the legend above the plot: below it, it covered the year under the first date of each year
    fig.update_layout(height=360, margin={"l": 10, "r": 10, "t": 36, "b": 10}, paper_bgcolor=TRANSPARENT,
                      plot_bgcolor=TRANSPARENT, separators=plotly_separators(principal.locale),
                      yaxis={"title": cur, "gridcolor": GRID, "tickformat": ",.0f"},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0})
    date_axis(fig, principal.locale, principal.date_format)
    st.plotly_chart(fig, width="stretch", config=plotly_config(principal.locale))

    with st.expander("Known items in the projection", icon=":material/event:"):
        # the date as text in the user's format and locale: a DateColumn writes English month names ("01 Jan 2027")
        st.dataframe([{"Date": base.day(i.date), "Item": i.label, "Amount": money(principal, i.amount_minor, cur),
                       "Repeats": i.cadence or "once"} for i in base.items], hide_index=True, width="stretch")
