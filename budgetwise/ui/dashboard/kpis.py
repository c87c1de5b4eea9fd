"""Dashboard: the period and its four figures (income, expenses, net savings, savings rate), each
with its change against the previous period and a sparkline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from budgetwise.dates import add_months
from budgetwise.money import minor_digits
from budgetwise.principal import Principal
from budgetwise.services import reports as R
from budgetwise.ui.actions import load
from budgetwise.ui.context import read_session
from budgetwise.ui.currency import converted_note, missing_rates_warning
from budgetwise.ui.format import date_input_format, day, money, rate_text
from budgetwise.ui.reporting import Loader, change_text, empty_period, period_picker, points_change_text
from budgetwise.ui.widgets import metric_row, money_metric, signed_delta

SPARK_N = 6  # months in each sparkline


def period(principal: Principal, today: dt.date) -> tuple[R.ReportFilter, str, Any]:
    """The period picker and a place for the caption naming both periods (:func:`render` writes it, once it knows
    whether the previous period holds anything); returns (filter, period label, the caption's place)."""
    default = "this_month"
    if "dash_period" not in st.session_state:  # first visit: a period with data (trial28: an imported history that
        with read_session() as session:      # ended before this month opened on zeros and two empty charts)
            default = R.default_period(session, user_id=principal.user_id, preferred=default, today=today)
    top_left, top_right = st.columns([1, 3], vertical_alignment="bottom")
    with top_left:
        date_from, date_to, period_label = period_picker(
            "dash", user_id=principal.user_id, default=default, today=today, date_format=principal.date_format,
            picker_format=date_input_format(principal), locale=principal.locale,
        )
    return R.ReportFilter(date_from=date_from, date_to=date_to), period_label, top_right.empty()


def period_caption(principal: Principal, flt: R.ReportFilter, *, previous_has_data: bool) -> str:
    """Both periods, or that there is nothing before to compare with: "Span of your data" (2009 – 2022) read
    "compared with 1995‑07‑01 – 2009‑03‑31", years before the first transaction (session 24's trial)."""
    assert flt.date_from is not None and flt.date_to is not None
    shown = f"{day(principal, flt.date_from)} – {day(principal, flt.date_to)}"
    if previous_has_data:
        prev_from, prev_to = R.previous_period(flt.date_from, flt.date_to)
        shown += f", compared with {day(principal, prev_from)} – {day(principal, prev_to)}."
    else:
        shown += "; you have no income or spending in the period just before it to compare with."
    return shown + " Transfers between your own accounts are not counted."


def _spark(values: pd.Series, scale: int) -> list[float] | None:
    """The last ``SPARK_N`` months for a card's sparkline, or None (no sparkline) when they are all
    zero: a window without data drew a flat line at 0 (an "empty" area), which reads as a figure."""
    tail = values.tail(SPARK_N)
    if not tail.astype(bool).any():
        return None
    return [v / scale for v in tail]


def render(principal: Principal, data: Loader, flt: R.ReportFilter, period_label: str, caption: Any = None) -> pd.DataFrame:
    """The four figures (and the period's caption in ``caption``, :func:`period`'s place); returns the monthly
    totals of the last 12 months (the charts use them too)."""
    assert flt.date_from is not None and flt.date_to is not None
    k = load(lambda: data.call(R.kpis, filters=flt), stop=True)
    assert k is not None
    cur, prev = k.current, k.previous
    (caption or st).caption(period_caption(principal, flt, previous_has_data=prev.count > 0))
    if cur.count == 0:  # a history older than the period: say when it ends and offer its span
        empty_period(principal, data, "dash", flt, generic=False)

    def _delta(metric: str, delta_color: str = "normal") -> dict:
        """The card's change against the previous period; the arrow follows the change's sign (``signed_delta``)."""
        if prev.count == 0:
            return signed_delta(None, None)
        change = k.change(metric)
        text = change_text(principal, change, k.change_pct(metric), base_minor=int(getattr(prev, metric)))
        return signed_delta(change, text, delta_color=delta_color)

    chart_from = min(flt.date_from, add_months(flt.date_to, -11))
    months = data.call(R.by_period, filters=R.ReportFilter(chart_from, flt.date_to), freq="month")
    scale = 10 ** minor_digits(principal.currency)  # sparklines only: floats for drawing
    rate = rate_text(principal, cur.savings_rate)
    figures = [money(principal, m) for m in (cur.income_minor, cur.expense_minor, cur.net_minor)] + [rate]
    c1, c2, c3, c4 = metric_row(4, figures)
    money_metric(
        c1, "Income", figures[0], **_delta("income_minor"),
        chart_data=_spark(months["income_minor"], scale), chart_type="bar",
    )
    money_metric(
        c2, "Expenses", figures[1], **_delta("expense_minor", "inverse"),
        chart_data=_spark(months["expense_minor"], scale), chart_type="bar",
    )
    money_metric(
        c3, "Net savings", figures[2], **_delta("net_minor"),
        chart_data=_spark(months["net_minor"], scale), chart_type="area",
    )
    c4.metric(
        "Savings rate",
        rate,
        **signed_delta(k.savings_rate_change, points_change_text(principal, k.savings_rate_change)),
        border=True,
        help="Net savings as a share of income. pp = percentage points vs the previous period.",
    )
    if cur.other_currencies:
        st.caption(f"Amounts are in {principal.currency}; {converted_note(principal, cur.other_currencies)}.")
    missing_rates_warning(principal, cur.missing_rates, what=f"the figures for {R.period_in_sentence(period_label)}")
    if not cur.missing_rates and (prev.missing_rates or months.attrs.get("missing_rates")):
        st.caption(
            f"Some amounts in the previous period or the monthly charts have no exchange rate to {principal.currency} "
            "and are left out there (see Profile → Exchange rates)."
        )
    return months
