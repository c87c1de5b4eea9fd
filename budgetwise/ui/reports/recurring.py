"""The Reports page's "Recurring" tab: recurring payments, their yearly cost and price increases."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.analysis import recurring as recurring_rule
from budgetwise.services import reports as R
from budgetwise.text import plural, plural_word
from budgetwise.ui.format import count_text, day, money
from budgetwise.ui.reporting import display_frame, download_buttons
from budgetwise.ui.reports.common import ReportPage
from budgetwise.ui.widgets import metric_row, money_metric

# data older than this before the day looked back from may hold payments that stopped (a monthly one three times)
OLDER_DATA_DAYS = 3 * 31


def _none_found(page: ReportPage, as_of: dt.date) -> str:
    """Why the list is empty, up to which day, and (with older data) how to see payments that stopped before it:
    "No recurring payments found" on a 21-month history with a monthly mortgage, followed by three rows years
    later, said nothing of the day the tab looks back from (session 27, trial27)."""
    principal = page.principal
    text = (f"No recurring payments found still running on {day(principal, as_of)}: a payment is listed after "
            f"{recurring_rule.RULE_TEXT} in the {count_text(principal, recurring_rule.LOOKBACK_DAYS)} days up to "
            "that day, its last one at most one and a half of its intervals before it.")
    first = page.data.call(R.data_range)[0]
    if first is not None and first < as_of - dt.timedelta(days=OLDER_DATA_DAYS):
        text += (" Payments that stopped earlier are not listed: to see them, choose a period that ends while "
                 "they still ran (Custom).")
    return text


def render(page: ReportPage) -> None:
    principal, cur = page.principal, page.cur
    as_of = min(page.date_to, page.today)
    recurring = page.data.call(R.detect_recurring, as_of=as_of, filters=page.flt.with_dates(None, None))
    if not recurring:
        st.caption(_none_found(page, as_of))
        return
    totals = R.recurring_totals(recurring)
    figures = [f"{len(totals.expenses)}", money(principal, totals.yearly_base_minor), f"{totals.price_increases}"]
    m1, m2, m3 = metric_row(3, figures)
    # what is counted, named: "Recurring payments 2" stood above three rows, one of them income (session 22, newuser22b)
    income = len(recurring) - len(totals.expenses)
    m1.metric("Recurring expenses", figures[0], border=True,
              help=f"The expenses of the {plural(len(recurring), 'row', locale=principal.locale)} below"
                   + (f"; the {plural(income, 'income row', locale=principal.locale)} {plural_word(income, 'is', 'are')} "
                      "not counted here, nor in the yearly cost." if income else "."))
    money_metric(m2, "Per year", figures[1],
                 help=f"In {cur}; payments in other currencies at the rate of their last payment.")
    m3.metric("Price increases", figures[2], border=True)
    if totals.unpriced_currencies:
        st.caption(f"Not in the yearly total: payments in {', '.join(totals.unpriced_currencies)} without an exchange "
                   f"rate to {cur}.")
    frame = R.recurring_frame(recurring)
    shown = display_frame(
        principal, frame,
        rename={"typical_amount": "Typical amount", "yearly_cost": "Per year", "previous_amount": "Before the increase",
                "price_increase": "Price went up"},
    )
    st.dataframe(
        shown, hide_index=True, width="stretch",
        column_order=["Description", "Category", "Kind", "Cadence", "Typical amount", "Next date", "Per year",
                      "Price went up", "Before the increase", "Occurrences", "Last date"],
    )
    download_buttons(frame, stem="recurring-payments", currency=cur, key="rep_dl_recurring")
    st.caption(f"A payment is listed after {recurring_rule.RULE_TEXT}, looking back "
               f"{count_text(principal, recurring_rule.LOOKBACK_DAYS)} days up to {day(principal, as_of)}; next dates are estimates.")
