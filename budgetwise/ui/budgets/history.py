"""Budgets: budget and spending over the last six months."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.ui import charts
from budgetwise.ui.reporting import Loader


def render(principal: Principal, data: Loader, history: pd.DataFrame) -> None:
    if int(history["budget_minor"].sum()) <= 0:
        return
    st.subheader("The last six months")
    st.plotly_chart(data.chart(charts.budget_history_bars, history=history, currency=principal.currency, locale=principal.locale),
                    key="bud_history", config=charts.plotly_config(principal.locale))
