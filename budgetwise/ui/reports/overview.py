"""The Reports page's "Overview" tab: income and expenses by month, week or year, and the summary table."""

from __future__ import annotations

import streamlit as st

from budgetwise.services import reports as R
from budgetwise.text import and_list, plural_word
from budgetwise.ui import charts
from budgetwise.ui.format import month_label
from budgetwise.ui.reporting import display_frame, download_buttons, period_frame, period_heading
from budgetwise.ui.reports.common import ReportPage
from budgetwise.ui.widgets import label_column


def render(page: ReportPage, summary: R.Summary) -> None:
    principal, cur, loc = page.principal, page.cur, page.loc
    freq = st.segmented_control(
        "Group by", ["month", "week", "year"], default="month", key="rep_freq", format_func=str.capitalize,
    ) or "month"
    periods = page.data.call(R.by_period, filters=page.flt, freq=freq)
    shown = period_frame(principal, periods, freq)  # "Juli 2026"; the CSV keeps "2026-07"
    st.plotly_chart(page.data.chart(charts.income_expense_bars, by_period=shown, currency=cur, locale=loc), key="rep_bars", config=page.chart_config)
    heading = period_heading(freq)  # "Week of" over "2026-11-30": the amounts fit a phone (trial29)
    table = display_frame(principal, period_frame(principal, periods, freq, short=True).drop(columns=["period"]),
                          rename={"label": heading, "income": "Income", "expense": "Expenses", "net": "Net savings", "count": "Transactions"})
    st.dataframe(table, hide_index=True, width="stretch",  # "Dec 2026 (so far)": the amounts fit a phone
                 column_config={heading: label_column(table[heading])} if heading in table else None)
    if missing := periods.attrs.get("missing_months"):  # a gap is not a month of nothing spent (session 27, trial27)
        n, months = len(missing), len(periods)
        st.caption(f"{and_list(month_label(principal, m) for m in missing) if n <= 3 else f'{n} of these {months} months'} "
                   f"{plural_word(n, 'has', 'have')} no transaction at all in your data (before it starts, a gap, or "
                   f"after your newest transaction): {plural_word(n, 'its', 'their')} zeros are nothing recorded, not "
                   "nothing spent.")
    download_buttons(periods, stem=f"income-expenses-by-{freq}", currency=cur, key="rep_dl_periods")
    st.markdown("**Summary**")
    summary_table = R.summary_frame(summary)
    st.dataframe(display_frame(principal, summary_table, rename={"amount": "Amount"}), hide_index=True, width="content",
                 column_config={"Amount": st.column_config.TextColumn(width="medium")})  # "NZ$203,876.45" whole
    download_buttons(summary_table, stem="summary", currency=cur, key="rep_dl_summary")
