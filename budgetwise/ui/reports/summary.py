"""The figures above the Reports page's tabs: income, expenses, net savings, savings rate."""

from __future__ import annotations

import streamlit as st

from budgetwise.services import reports as R
from budgetwise.ui.actions import load
from budgetwise.ui.currency import converted_note, missing_rates_warning
from budgetwise.ui.format import count_text, day, md, money, rate_text, unbroken_dates
from budgetwise.ui.reports.common import ReportPage
from budgetwise.ui.widgets import metric_row, money_metric


def render(page: ReportPage, period_label: str) -> R.Summary:
    """The summary of the filtered period (the page stops if it cannot be read)."""
    principal, flt = page.principal, page.flt
    summary = load(lambda: page.data.call(R.summary, filters=flt), stop=True)
    assert summary is not None  # load stopped the page otherwise
    rate = rate_text(principal, summary.savings_rate)
    figures = [money(principal, m) for m in (summary.income_minor, summary.expense_minor, summary.net_minor)] + [rate]
    c1, c2, c3, c4 = metric_row(4, figures)
    money_metric(c1, "Income", figures[0])
    money_metric(c2, "Expenses", figures[1])
    money_metric(c3, "Net savings", figures[2])
    c4.metric("Savings rate", rate, border=True)
    span = f"{day(principal, page.date_from)} – {day(principal, page.date_to)}"
    # "All time (…)" and a custom period already name their dates: not twice (compared as displayed, with
    # unbreakable hyphens: "Span of your data (2024-08-01 – 2025-01-16): 2024-08-01 – 2025-01-16", session 21)
    label = unbroken_dates(period_label)
    notes = [md(label) if span in label else f"{md(label)}: {span}",
             f"{count_text(principal, summary.count)} transactions", f"amounts in {page.cur}", "transfers excluded"]
    if summary.other_currencies:
        notes.append(converted_note(principal, summary.other_currencies))
    st.caption(" · ".join(notes))
    missing_rates_warning(principal, summary.missing_rates, what="this report")
    return summary
