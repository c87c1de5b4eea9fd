"""What every tab of the Reports page gets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetwise.principal import Principal
from budgetwise.services.reports import ReportFilter
from budgetwise.ui.reporting import Loader


@dataclass(frozen=True)
class ReportPage:
    principal: Principal
    data: Loader  # cached report/budget service calls for this user
    flt: ReportFilter
    today: dt.date
    date_from: dt.date  # the filter's period (always set by the page's filters)
    date_to: dt.date

    @property
    def cur(self) -> str:
        return self.principal.currency

    @property
    def loc(self) -> str:
        return self.principal.locale

    @property
    def chart_config(self) -> dict:
        """``st.plotly_chart``'s config: the user's month names and number format (digit grouping too)."""
        from budgetwise.ui.charts import plotly_config

        return plotly_config(self.loc)

    @property
    def kind(self) -> str:
        """The side the category, trend and merchant tabs show: income when the filter asks for it."""
        return "income" if self.flt.kind == "income" else "expense"
