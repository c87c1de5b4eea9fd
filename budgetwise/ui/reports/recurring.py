"""The Reports page's "Recurring" tab: recurring payments, their yearly cost and price increases."""

from __future__ import annotations

import streamlit as st

from budgetwise.analysis import recurring as recurring_rule
from budgetwise.services import reports as R
from budgetwise.text import plural, plural_word
from budgetwise.ui.format import count_text, day, money
from budgetwise.ui.reporting import display_frame, download_buttons
from budgetwise.ui.reports.common import ReportPage
from budgetwise.ui.widgets import metric_row, money_metric


def render(page: ReportPage) -> None:
    principal, cur = page.principal, page.cur
    as_of = min(page.date_to, page.today)
    recurring = page.data.call(R.detect_recurring, as_of=as_of, filters=page.flt.with_dates(None, None))
    if not recurring:
        st.caption(f"No recurring payments found: a payment is listed after {recurring_rule.RULE_TEXT}.")
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
