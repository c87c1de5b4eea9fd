"""The Reports page's "Categories", "Trends", "Merchants" and "Changes" tabs."""

from __future__ import annotations

import streamlit as st

from budgetwise.dates import month_start
from budgetwise.services import reports as R
from budgetwise.ui import charts
from budgetwise.ui.format import day, month_label
from budgetwise.ui.reporting import display_frame, download_buttons, period_frame
from budgetwise.ui.reports.common import ReportPage


def categories(page: ReportPage) -> None:
    principal, cur, kind = page.principal, page.cur, page.kind
    by_cat = page.data.call(R.by_category, filters=page.flt, kind=kind)
    if by_cat.empty:
        st.info(f"No {kind} in this selection.")
        return
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(page.data.chart(charts.spending_donut, by_category=by_cat, currency=cur, locale=page.loc,
                                        total_minor=by_cat.attrs.get("total_minor"), kind=kind), key="rep_donut", config=page.chart_config)
    with right:
        st.markdown(f"**{'Income' if kind == 'income' else 'Spending'} by category**")
        st.dataframe(
            display_frame(principal, by_cat, rename={"amount": "Total", "average": "Per transaction"}),
            hide_index=True, width="stretch",
        )
        download_buttons(by_cat, stem=f"{kind}-by-category", currency=cur, key="rep_dl_cat")
    avg = page.data.call(R.average_monthly_by_category, filters=page.flt, kind=kind)
    st.markdown(f"**Average per month** (a month without {'income' if kind == 'income' else 'spending'} in a category "
                "counts as zero for it)")
    if note := R.average_note(avg, principal.locale, principal.date_format):  # partial months, gaps (session 28)
        st.caption(note)
    st.dataframe(
        display_frame(principal, avg, rename={"total": "Total", "average": "Monthly average"}),
        hide_index=True, width="stretch",
    )
    download_buttons(avg, stem=f"{kind}-average-monthly", currency=cur, key="rep_dl_avg")


def trends(page: ReportPage) -> None:
    cur, loc, flt, today = page.cur, page.loc, page.flt, page.today
    trend = page.data.call(R.category_trend, filters=flt, kind=page.kind)
    months = period_frame(page.principal, page.data.call(R.by_period, filters=flt, freq="month"), "month")
    style = st.segmented_control("Chart", ["Area", "Bars"], default="Area", key="rep_trend_style") or "Area"
    st.markdown("**By category over time**")
    if trend.empty:
        st.info("Nothing to show for this selection.")
    else:
        st.plotly_chart(
            page.data.chart(charts.category_area, trend=trend, currency=cur, locale=loc, bars=style == "Bars",
                            running_month=month_start(today) if page.date_to >= today else None),
            key="rep_area", config=charts.plotly_config(loc),
        )
        download_buttons(R.trend_wide(trend), stem="category-trend", currency=cur, key="rep_dl_trend")
    left, right = st.columns(2)
    with left:
        st.markdown("**Income, expenses and net savings**")
        st.plotly_chart(page.data.chart(charts.trend_lines, by_period=months, currency=cur, locale=loc), key="rep_lines", config=page.chart_config)
    with right:
        st.markdown("**Savings rate**")
        st.plotly_chart(page.data.chart(charts.savings_rate_line, by_period=months, locale=loc), key="rep_rate", config=page.chart_config)


def merchants(page: ReportPage) -> None:
    top_n = st.slider("How many", 5, 50, 15, step=5, key="rep_top_n")
    found = page.data.call(R.top_merchants, filters=page.flt, kind=page.kind, limit=top_n)
    st.dataframe(
        display_frame(page.principal, found, rename={"amount": "Total", "average": "Average", "example": "Example description"}),
        hide_index=True, width="stretch",
    )
    download_buttons(found, stem="top-merchants", currency=page.cur, key="rep_dl_merchants")


def changes(page: ReportPage) -> None:
    month_choices = R.months_between(page.date_from, page.date_to)[::-1]
    month = st.selectbox(
        "Month", month_choices, format_func=lambda m: month_label(page.principal, m), key="rep_change_month",
        help="Compared with the month before (MoM) and the same month a year earlier (YoY).",
    )
    table = page.data.call(R.changes, month=month or month_start(page.date_to), filters=page.flt, today=page.today)
    through, data_ends = table.attrs.get("through_day"), table.attrs.get("data_ends")
    if data_ends is not None:  # an imported history ending inside the month (session 27, trial27)
        st.caption(f"Your data ends on {day(page.principal, data_ends)}, inside this month: its first {through} days "
                   f"are compared with the first {through} days of the month before and of the same month a year "
                   "earlier (the rest of the month is not in your data).")
    elif through:
        st.caption(f"This month is not over: its first {through} days are compared with the first {through} days "
                   "of the month before and of the same month a year earlier.")
    if missing := table.attrs.get("missing_months"):  # a gap is not a month of nothing spent (session 27, trial27)
        st.caption(R.missing_note(missing, page.principal.locale))
    days = f" (1–{through})" if through else ""  # the days compared, in the headings too (as the PDF's; trial28)
    st.dataframe(
        display_frame(
            page.principal, table,
            rename={"item": "", "this_month": "This month" + days, "previous_month": "Previous month" + days,
                    "last_year": "A year before" + days},
        ),
        hide_index=True, width="stretch",
    )
    download_buttons(table, stem="month-over-month", currency=page.cur, key="rep_dl_changes")
