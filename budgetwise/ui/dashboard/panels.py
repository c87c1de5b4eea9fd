"""Dashboard: the charts (spending by category, income vs expenses, the trend) and the budgets panel."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import reports as R
from budgetwise.ui import charts
from budgetwise.ui.currency import link_to_rates
from budgetwise.ui.dashboard.common import OVER, RISK, page_link
from budgetwise.ui.format import md, money, month_label, percent
from budgetwise.ui.reporting import Loader, period_frame

BUDGET_LINES = 7  # budgets shown on the dashboard; the rest are on the Budgets page


def render(principal: Principal, data: Loader, flt: R.ReportFilter, period_label: str, months: pd.DataFrame,
           report, today: dt.date) -> None:
    cur, loc = principal.currency, principal.locale
    months = period_frame(principal, months, "month")  # "Juli 2026", as the reports' charts (was "2026-07")
    by_cat = data.call(R.by_category, filters=flt)
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(f"**Spending by category** · {md(period_label)}")
        if by_cat.empty:
            st.info("No spending in this period.")
        else:
            st.plotly_chart(data.chart(charts.spending_donut, by_category=by_cat, currency=cur, locale=loc,
                                       total_minor=by_cat.attrs.get("total_minor")),
                            key="dash_donut", config=charts.plotly_config(loc))
    with right.container(border=True):
        st.markdown("**Income vs expenses per month**")
        st.plotly_chart(data.chart(charts.income_expense_bars, by_period=months, currency=cur, locale=loc),
                        key="dash_bars", config=charts.plotly_config(loc))

    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown("**Income, expenses and savings**")
        st.plotly_chart(data.chart(charts.trend_lines, by_period=months, currency=cur, locale=loc),
                        key="dash_trend", config=charts.plotly_config(loc))
    with right.container(border=True):
        st.markdown(f"**Budgets** · {month_label(principal, today)}")
        _budgets(principal, data, report)


def _budgets(principal: Principal, data: Loader, report) -> None:
    if report.is_empty:
        left_out = report.left_out_note(principal.locale)
        if left_out:  # budgets set under another base currency, no rate to convert them
            st.caption(md(left_out))
            link_to_rates()
            return
        st.caption("No budgets yet. Set a monthly budget to see your progress here.")
        page_link("budgets.py", "Set budgets", ":material/savings:")
        return
    items = ([report.overall] if report.overall else []) + list(report.lines)
    # Coloured bars (green / orange on course to exceed / red over budget) against the 100% line:
    # st.progress cannot show an overspent budget as anything but a full bar in the theme colour.
    st.plotly_chart(data.chart(charts.budget_progress, lines=items[:BUDGET_LINES], currency=principal.currency,
                               locale=principal.locale),
                    key="dash_budget_progress", config=charts.plotly_config(principal.locale))
    for line in items[:BUDGET_LINES]:
        used = line.used_pct
        text = md(
            f"{line.category_name}: {money(principal, line.spent_minor)} of {money(principal, line.available_minor)}"
            + ("" if used is None or used == float("inf") else f" ({percent(principal, used)})")
        )
        if line.over_budget:
            st.markdown(f"{OVER} {text} · :red[over budget]")
        elif line.projected_over:
            st.markdown(f"{RISK} {text} · :orange[on course to exceed]")
    if len(items) > BUDGET_LINES:
        st.caption(f"…and {len(items) - BUDGET_LINES} more on the Budgets page.")
