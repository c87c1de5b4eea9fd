"""Budgets: budget vs actual for the month (figures, warnings, progress, the table, downloads)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import budgets as B
from budgetwise.ui import charts
from budgetwise.ui.currency import converted_note, link_to_rates, missing_rates_warning
from budgetwise.ui.format import money, month_label
from budgetwise.ui.reporting import Loader, display_frame, download_buttons
from budgetwise.ui.widgets import md, metric_row, money_metric, signed_delta

TINTS = {"Over budget": "rgba(229,83,75,0.18)", "On course to exceed": "rgba(224,163,31,0.18)"}


def render(principal: Principal, data: Loader, report, month: dt.date) -> None:
    cur = principal.currency
    st.subheader(f"Budget vs actual · {month_label(principal, month)}")
    left_out = report.left_out_note(principal.locale)  # budgets set under another base currency, no rate
    if report.is_empty and left_out:
        # session 14 (privacy): it said "No budgets for this month yet" above these budgets' rate warning; with
        # no figure on show, the note names all that is missing (the general warning would repeat it)
        st.warning(md(left_out), icon=":material/currency_exchange:")
        link_to_rates()
        return
    if report.is_empty:
        st.info(
            "No budgets for this month yet. Set an overall monthly budget and budgets per category below: "
            "each one is copied forward to the following months until you change it."
        )
    else:
        _figures(principal, report)
        _table(principal, data, report, month)
        if left_out:
            st.caption(md(left_out))
    if report.other_currencies:
        st.caption(f"Spending in {cur}; {converted_note(principal, report.other_currencies)}.")
    missing_rates_warning(principal, report.missing_rates, what=f"the budgets of {month_label(principal, month)}")


def _figures(principal: Principal, report) -> None:
    budgeted, spent = report.budgeted_minor, report.budgeted_spent_minor
    remaining = budgeted - spent
    figures = [money(principal, m) for m in (budgeted, spent, remaining)]
    m1, m2, m3, m4 = metric_row(4, figures)
    money_metric(m1, "Budgeted", figures[0],
                 help="The overall budget (with any rollover), or the sum of category budgets when there is no overall one.")
    money_metric(m2, "Spent", figures[1],
                 help="All spending this month; transfers excluded." if report.overall else
                 "Spending this month in the categories with a budget (no overall budget is set); transfers excluded.")
    money_metric(m3, "Remaining", figures[2], **signed_delta(remaining if remaining < 0 else None, "over budget"))
    if report.is_current:
        m4.metric("Days left", f"{report.days_in_month - report.days_elapsed}", border=True,
                  help=f"Day {report.days_elapsed} of {report.days_in_month}.")
    else:
        m4.metric("Over budget", f"{len(report.over_budget)}", border=True)
    for text in B.budget_warnings(report, money=lambda minor: money(principal, minor), date_format=principal.date_format,
                                  locale=principal.locale):
        (st.error if "over budget" in text else st.warning)(md(text), icon="⚠️")
    if note := B.projection_note(report, date_format=principal.date_format, locale=principal.locale):
        st.caption(md(note))


def _highlight(row: pd.Series) -> list[str]:
    tint = TINTS.get(row["Status"], "")
    return [f"background-color: {tint}" if tint else "" for _ in row]


def _table(principal: Principal, data: Loader, report, month: dt.date) -> None:
    cur = principal.currency
    lines = ([report.overall] if report.overall else []) + list(report.lines)
    # built once per user, data version and month (Loader.chart): not again on every widget click (session 15)
    st.plotly_chart(data.chart(charts.budget_progress, lines=tuple(lines), currency=cur, locale=principal.locale), key="bud_progress",
                    config=charts.plotly_config(principal.locale))
    frame = B.report_frame(report)
    status = ["Over budget" if o else "On course to exceed" if p else "OK" for o, p in zip(frame["over_budget"], frame["projected_over"])]
    shown = display_frame(
        principal,
        frame.drop(columns=["over_budget", "projected_over", "since"]),
        rename={"budget": "Budget", "carryover": "Rolled over", "available": "Available", "spent": "Spent",
                "remaining": "Remaining", "variance_pct": "Variance", "used_pct": "Used", "projected": "Projected"},
    )
    shown.insert(1, "Status", status)
    st.dataframe(shown.style.apply(_highlight, axis=1), hide_index=True, width="stretch")
    download_buttons(frame.drop(columns=["category_id"]), stem=f"budget-{month.strftime('%Y-%m')}", currency=cur, key="bud_dl")
    if report.unbudgeted:
        st.caption(
            "Spending without a budget: "
            + md(", ".join(f"{name} {money(principal, amount)}" for _, name, amount in report.unbudgeted))
        )
