"""Reports: totals by period and category, trends, merchants, changes, unusual spending,
recurring payments, CSV/Excel downloads of every table and the monthly PDF report.

A shell over the sections in budgetwise/ui/reports/ (one per tab)."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import datetime as dt

import streamlit as st

from budgetwise.services import reports as R
from budgetwise.ui import require_user
from budgetwise.ui.reporting import Loader, empty_period, report_filters
from budgetwise.ui.reports import breakdowns, flags, monthly_pdf, overview, recurring, summary
from budgetwise.ui.reports.common import ReportPage

principal = require_user()

today = dt.date.today()
data = Loader(principal)

st.title("Reports")

if not data.call(R.has_transactions):
    st.info("No transactions yet: add some on the **Transactions** page or bring in a file on the **Import** page.")
    st.stop()

flt, period_label = report_filters(principal, "rep", today=today)
page = ReportPage(principal, data, flt, today, flt.date_from, flt.date_to)
totals = summary.render(page, period_label)

if totals.count == 0:
    empty_period(principal, data, "rep", flt)
    st.stop()

tabs = st.tabs(  # keyed: a widget under a later tab (the PDF's month) reran on "Overview" (session 13)
    ["Overview", "Categories", "Trends", "Merchants", "Changes", "Unusual", "Recurring", "Monthly PDF"],
    key="rep_tab",
)
with tabs[0]:
    overview.render(page, totals)
with tabs[1]:
    breakdowns.categories(page)
with tabs[2]:
    breakdowns.trends(page)
with tabs[3]:
    breakdowns.merchants(page)
with tabs[4]:
    breakdowns.changes(page)
with tabs[5]:
    flags.render(page)
with tabs[6]:
    recurring.render(page)
with tabs[7]:
    monthly_pdf.render(page)
