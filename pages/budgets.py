"""Budgets: an overall and per-category monthly budgets (copied forward until changed),
optional rollover, budget vs actual with variance, progress and month-end warnings.

A shell over the sections in budgetwise/ui/budgets/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import datetime as dt

import streamlit as st

from budgetwise.services import budgets as B
from budgetwise.services import reports
from budgetwise.ui import require_user
from budgetwise.ui.budgets import actual, editor, history, month
from budgetwise.ui.reporting import Loader

principal = require_user()

today = dt.date.today()
data = Loader(principal)

st.title("Budgets")
chosen = month.pick(principal, today, first=data.call(reports.data_range)[0])
actual.render(principal, data, data.call(B.budget_report, month=chosen, today=today), chosen)
editor.render(principal, data.call(B.editor_rows, month=chosen, today=today), chosen)
history.render(principal, data, data.call(B.budget_history, months=6, today=chosen))
