"""Cash flow: the answers (summary, lowest balance, chance of going below, safe to spend) and the chart."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.ui import plan_charts
from budgetwise.ui.charts import plotly_config
from budgetwise.ui.format import percent, points
from budgetwise.ui.reporting import Loader
from budgetwise.ui.widgets import md, money


def render(principal: Principal, base, alt) -> None:
    def _fmt(minor: int) -> str:
        return money(principal, minor, principal.currency)

    # which accounts the answers are about, first and in words (session 16: "what can I still spend from the money
    # I spend from?"; a savings balance counted made the demo's safe to spend $929 a day)
    st.info((md(base.accounts_text) + "\n\n" if base.accounts_text else "") + md(base.summary(_fmt)),
            icon=":material/insights:")
    m1, m2, m3 = st.columns(3)
    m1.metric("Lowest balance", _fmt(base.lowest_minor), help=f"On {base.day(base.lowest_date)}.", border=True,
              **_what_if_delta(None if alt is None else alt.lowest_minor - base.lowest_minor, _fmt))
    # a difference of two chances is in percentage points ("+69 points"), not a relative "+69%"
    m2.metric("Chance of going below", base.chance_text, border=True,
              **_what_if_delta(None if alt is None else round((alt.chance_below - base.chance_below) * 100),
                               lambda change: points(principal, change, digits=0, words=True), delta_color="inverse"))
    # the what-if changes what can be spent too (QA session 13: this card alone stayed as it was)
    m3.metric("Safe to spend per day", _fmt(base.safe_per_day_minor), help=base.safe_to_spend_help(), border=True,
              **_what_if_delta(None if alt is None else alt.safe_per_day_minor - base.safe_per_day_minor, _fmt))
    if alert := base.below_threshold(_fmt):
        st.error(alert)
    if alt is not None and not alert and (alert := alt.below_threshold(_fmt, what_if=True)):
        st.warning(alert)
    for note in base.notes:
        st.caption(md(note))


def _what_if_delta(change, text, delta_color: str = "normal") -> dict:
    """A card's delta under a what-if: the change in words, or "unchanged" in grey with no arrow. Streamlit draws
    a text delta that does not start with "-" as a rise: "↑ 0 points" in red and "↑ $0.00" in green read as
    changes (session 18, in Chromium). So the arrow and its colour follow the change's sign, not the text's first
    character: nl_NL writes a fall "US$ -100,00", de_CH "USD-100.00" (a green rise, review18)."""
    if change is None:
        return {"delta": None}
    if change == 0:
        return {"delta": "unchanged with the what-if", "delta_color": "off", "delta_arrow": "off"}
    good = (change > 0) == (delta_color == "normal")
    return {"delta": text(change) + " with the what-if", "delta_color": "green" if good else "red",
            "delta_arrow": "up" if change > 0 else "down"}


def chart(principal: Principal, data: Loader, base, alt) -> None:
    """The projected balance: built once per user, data version and everything the figure shows (the
    projection's days and band, the what-if's line, threshold, currency, locale, date format), through
    ``Loader.chart`` (session 15: it was built again on every widget click)."""
    cur = principal.currency
    days = base.days
    fig = data.chart(
        plan_charts.cashflow_figure, dates=tuple(d.date for d in days), balance=tuple(d.balance_minor for d in days),
        lower=tuple(d.lower_minor for d in days), upper=tuple(d.upper_minor for d in days),
        what_if=None if alt is None else tuple(d.balance_minor for d in alt.days), threshold_minor=int(base.threshold_minor),
        currency=cur, locale=principal.locale, date_format=principal.date_format, band_label=f"{percent(principal, 80)} band",
    )
    st.plotly_chart(fig, width="stretch", config=plotly_config(principal.locale))

    with st.expander("Known items in the projection", icon=":material/event:"):
        # the date as text in the user's format and locale: a DateColumn writes English month names ("01 Jan 2027")
        st.dataframe([{"Date": base.day(i.date), "Item": i.label, "Amount": money(principal, i.amount_minor, cur),
                       "Repeats": i.cadence or "once"} for i in base.items], hide_index=True, width="stretch")
