"""Forecast: total expenses, a category, income or net savings for 1-24 months, with an
interval, the backtest against naive guesses, recurring payments as known amounts, a CSV
download, all categories at once, and forecasts of an uploaded categorized CSV.

A shell over the sections in budgetwise/ui/forecast/."""

from budgetwise.ui.navigation import leave_pages_folder_mode

leave_pages_folder_mode(rerun=True)  # first, before the heavy imports: see its docstring

import streamlit as st

from budgetwise.ui import require_user
from budgetwise.ui.forecast import categories, controls, result, run

principal = require_user()

st.title("Forecast")
st.caption(
    "Where your money is heading: recurring payments are projected on their schedule, the rest is modelled "
    "from your history, and every forecast is tested on your own past before you see it."
)

top = st.container()  # why there is no forecast, above the controls (trial28: below them, off a phone's first screen)
chosen = controls.render(principal)
# "Forecast from the older history" (offered when recent history after a long gap is too short):
# the cut-off date, per data source, until the user goes back to the recent history.
cut = run.as_of(chosen)
forecast = run.forecast(chosen, cut, top)
result.render(chosen, forecast)
categories.render(chosen, cut, forecast.currency)
