"""Dashboard: KPIs for a period with change vs the previous one, charts, budgets, recent
transactions and alerts; a friendly start for an empty account.

A shell over the sections in budgetwise/ui/dashboard/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import datetime as dt

import streamlit as st

from budgetwise.services import budgets as B
from budgetwise.services import reports as R
from budgetwise.ui import require_user
from budgetwise.ui.dashboard import alerts, kpis, panels, recent, start
from budgetwise.ui.dashboard.outlook import outlook_card
from budgetwise.ui.reporting import Loader

principal = require_user()

today = dt.date.today()
data = Loader(principal)

st.title("Dashboard")
if not data.call(R.has_transactions):
    start.render(principal)
    st.stop()

flt, period_label, caption = kpis.period(principal, today)
months = kpis.render(principal, data, flt, period_label, caption)
outlook_card(principal, today=today, data=data)  # lowest projected balance; an alert below the threshold (issue #19)
report = data.call(B.budget_report, month=today.replace(day=1), today=today)
alerts.render(alerts.collect(principal, data, report, today))
panels.render(principal, data, flt, period_label, months, report, today)
recent.render(principal)
