"""Cash flow: the answers (summary, lowest balance, chance of going below, safe to spend) and the chart."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.ui import plan_charts
from budgetwise.ui.charts import plotly_config
from budgetwise.ui.currency import missing_rates_warning
from budgetwise.ui.format import percent, points
from budgetwise.ui.reporting import Loader
from budgetwise.ui.widgets import md, metric_row, money, money_metric, signed_delta


def render(principal: Principal, base, alt) -> None:
    def _fmt(minor: int) -> str:
        return money(principal, minor, principal.currency)

    # which accounts the answers are about, first and in words (session 16: "what can I still spend from the money
    # I spend from?"; a savings balance counted made the demo's safe to spend $929 a day)
    accounts = md(base.accounts_text) + "\n\n" if base.accounts_text else ""
    if stale := base.out_of_date_text():  # an old balance: said first, and no alert or chance on it (session 21)
        st.warning(accounts + md(stale), icon=":material/history:")
    else:
        st.info(accounts + md(base.summary(_fmt)), icon=":material/insights:")
    # a row sized by its longest figure (widgets.metric_row): at a 910 px window plain columns cut the figures and
    # labels ("$3,5…", "Safe to spen…", session 19)
    # neither the chance nor "safe to spend" is given on an old balance (session 22, newuser22b: "$12.34 a day" stood
    # beside the "—" chance under the warning that called the balance not about your money now)
    figures = [_fmt(base.lowest_minor), "—" if stale else base.chance_text, "—" if stale else _fmt(base.safe_per_day_minor)]
    not_given = "Not given: the projection starts from an old balance (above)."
    m1, m2, m3 = metric_row(3, figures)
    money_metric(m1, "Lowest balance", figures[0], help=f"On {base.day(base.lowest_date)}.",
                 **_what_if_delta(None if alt is None else alt.lowest_minor - base.lowest_minor, _fmt))
    # a difference of two chances is in percentage points ("+69 points"), not a relative "+69%"; none of a chance not
    # given (session 22: "—" over "+8 points with the what-if")
    m2.metric("Chance of going below", figures[1], border=True,
              help=not_given if stale else None,
              **_what_if_delta(None if alt is None or stale else round((alt.chance_below - base.chance_below) * 100),
                               lambda change: points(principal, change, digits=0, words=True), delta_color="inverse"))
    # the what-if changes what can be spent too (QA session 13: this card alone stayed as it was)
    money_metric(m3, "Safe to spend per day", figures[2], help=not_given if stale else base.safe_to_spend_help(),
                 **_what_if_delta(None if alt is None or stale else alt.safe_per_day_minor - base.safe_per_day_minor, _fmt))
    if alert := base.alert(_fmt):
        st.error(alert)
    if alt is not None and not alert and (alert := alt.alert(_fmt, what_if=True)):
        st.warning(alert)
    # the balances left out for want of a rate in one warning with the link to the rates (session 25: one caption
    # per currency, five for five)
    missing_rates_warning(principal, base.missing_rates, what="this projection")
    for note in base.unlisted_notes(base.notes):
        if not stale or note != base.stale_note:  # the stale note is in the warning above
            st.caption(md(note))


def _what_if_delta(change, text, delta_color: str = "normal") -> dict:
    """A card's delta under a what-if: the change in words, or "unchanged" in grey with no arrow; the arrow and its
    colour follow the change's sign (:func:`budgetwise.ui.widgets.signed_delta`; session 18: "↑ 0 points" in red
    and "↑ $0.00" in green read as changes, and de_CH's "USD-100.00" was a green rise)."""
    if change is None:
        return signed_delta(None, None)
    return signed_delta(change, "unchanged with the what-if" if change == 0 else text(change) + " with the what-if",
                        delta_color=delta_color)


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
        if not base.items:  # an empty table read "empty" and nothing else (session 22)
            st.caption("No recurring income or bill is known for these months, and nothing is scheduled by hand: "
                       "the projection is your usual income and spending spread over the days.")
            return
        # the date as text in the user's format and locale: a DateColumn writes English month names ("01 Jan 2027")
        st.dataframe([{"Date": base.day(i.date), "Item": i.label, "Amount": money(principal, i.amount_minor, cur),
                       "Repeats": i.cadence or "once"} for i in base.items], hide_index=True, width="stretch")
