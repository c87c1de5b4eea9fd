"""Run the Forecast page's forecast: a status while it works, and when the recent history is too
short after a long gap, the offer to forecast from the older history instead."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from budgetwise.errors import BudgetwiseError
from budgetwise.services import forecast as F
from budgetwise.ui.actions import load
from budgetwise.ui.forecast import cache
from budgetwise.ui.forecast.controls import Controls
from budgetwise.ui.format import day
from budgetwise.ui.widgets import md_message, show_error


def as_of(c: Controls) -> dt.date | None:
    """The cut-off of "forecast from the older history", until the user goes back to the recent history."""
    cut = st.session_state.get(c.as_of_key)
    if cut is not None:
        st.info(
            f"Forecasting from your history up to {day(c.principal, cut)} (before the long gap without transactions): "
            "the forecast starts after that day, not today.", icon=":material/history:",
        )
        if st.button("Use my recent history again", key="fc_recent", icon=":material/undo:"):
            st.session_state.pop(c.as_of_key, None)
            st.rerun()
    return cut


def forecast(c: Controls, cut: dt.date | None, top: DeltaGenerator | None = None) -> F.ForecastResult:
    """The forecast of the chosen series; the page stops (after saying why, in ``top`` when given: above the
    controls, trial28) when there is none."""
    # a category as the user wrote it ("KCB Loan"), the series kinds in lower case (session 22: "category: utilities")
    label = F.series_label(c.series) if c.series.startswith(F.CATEGORY_PREFIX) else c.label.lower()
    status = st.status(f"Forecasting {label}…", expanded=False)
    status.write("Reading your history, projecting recurring payments, fitting the model and testing it on your past.")

    def _failed(exc: BudgetwiseError) -> None:
        if isinstance(exc, F.NotEnoughHistory):
            status.update(label=f"Not enough history to forecast {label}", state="error")
            with top if top is not None else st.container():
                _not_enough(c, exc, cut)
        else:
            status.update(label=f"Could not forecast {label}", state="error")
            show_error(exc)

    def _run() -> F.ForecastResult:
        if c.data is None:
            return cache.user_forecast(c.principal.user_id, c.version, c.series, c.horizon, c.freq, c.interval, cut)
        return cache.file_forecast(c.principal.user_id, c.version, c.digest, c.data, c.principal.currency, c.series,
                                   c.horizon, c.freq, c.interval, cut)

    result = load(_run, on_error=_failed, stop=True)
    assert result is not None  # load stopped the page otherwise
    status.update(label=f"Forecast of {label} ready", state="complete")
    return result


def _not_enough(c: Controls, exc: F.NotEnoughHistory, cut: dt.date | None) -> None:
    # what is missing and what to add on top; which history is used and why behind "More details" (trial27:
    # ~130 words, a whole phone screen, before the button)
    st.info(md_message(exc.summary), icon=":material/hourglass_empty:")
    if exc.details:
        with st.expander("More details", icon=":material/info:"):
            st.caption(md_message(exc.details))
    if exc.older_until is not None and cut is None:
        if st.button(f"Forecast from my history up to {day(c.principal, exc.older_until)}", key="fc_older",
                     icon=":material/history:", type="primary"):
            st.session_state[c.as_of_key] = exc.older_until
            st.rerun()
