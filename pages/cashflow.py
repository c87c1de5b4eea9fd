"""Cash flow: the projected daily balance of the spending accounts (or all accounts), the lowest point,
the chance of going below a threshold before payday, safe to spend per day, and a what-if side by side
(issue #19).

A shell over the sections in budgetwise/ui/cashflow/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import datetime as dt

import streamlit as st

from budgetwise.ui import require_user
from budgetwise.ui.actions import load, show_flash
from budgetwise.ui.cashflow import answers, projection, scheduled, what_if
from budgetwise.ui.format import percent
from budgetwise.ui.reporting import Loader

principal = require_user()
today = dt.date.today()

st.title("Cash flow")
show_flash()
st.caption("Will you make it to payday, and what can you still spend? The balance of the accounts you spend from "
           "(or of all your accounts), day by day: recurring income and bills on their dates, your usual spending "
           f"spread over the days, with an {percent(principal, 80)} band.")

project = projection.controls(principal, today)
saved, base, alt = load(project, stop=True, on_error=scheduled.nothing_yet(principal, today))

answers.render(principal, base, alt)
answers.chart(principal, Loader(principal), base, alt)
scheduled.render(principal, today)
what_if.render(principal, base, today)
