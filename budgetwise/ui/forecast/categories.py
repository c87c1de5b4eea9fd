"""The Forecast page's "All categories": every expense category forecast separately."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.ui.actions import load
from budgetwise.ui.forecast import cache
from budgetwise.ui.forecast.controls import Controls
from budgetwise.ui.format import md, money_estimate
from budgetwise.ui.forms import keep
from budgetwise.ui.widgets import show_error


def render(c: Controls, cut: dt.date | None, currency: str) -> None:
    st.subheader("All categories")
    st.caption(f"Every expense category forecast separately (fitted on two processes), over the same {c.months} months.")
    if not st.toggle("Forecast every category", key="fc_w_all", value=st.session_state.get("fc_all", False),
                     on_change=keep, args=("fc_w_all", "fc_all")):
        return
    status = st.status("Forecasting every category…", expanded=False)

    def _failed(exc: BudgetwiseError) -> None:
        status.update(state="error")
        show_error(exc)

    def _run():
        if c.data is None:
            return cache.user_categories(c.principal.user_id, c.version, c.horizon, c.freq, c.interval, cut)
        return cache.file_categories(c.principal.user_id, c.version, c.digest, c.data, c.principal.currency, c.horizon,
                                     c.freq, c.interval, cut)

    cats = load(_run, on_error=_failed)
    if cats is None:
        return
    status.update(label=f"{len(cats.results)} categories forecast", state="complete")
    principal, unit = c.principal, c.unit
    t = cats.table()
    st.dataframe(
        pd.DataFrame({
            "Category": t["category"],
            f"Average per {unit} so far": [money_estimate(principal, v, currency) for v in t["history_mean"]],
            f"Projected per {unit}": [money_estimate(principal, v, currency) for v in t["forecast_mean"]],
            "Projected total": [money_estimate(principal, v, currency) for v in t["forecast_total"]],
            "Change": ["—" if pd.isna(v) else ("0%" if abs(v) < 0.5 else f"{v:+.0f}%") for v in t["change_pct"]],
            "Beats naive guesses": ["—" if v is None else ("yes" if v else "no") for v in t["beats_baselines"]],
        }),
        hide_index=True, key="fc_categories",
    )
    for name, reason in cats.skipped:
        st.caption(md(f"{name}: {reason}"))
