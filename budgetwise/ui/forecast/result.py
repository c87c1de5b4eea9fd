"""What the Forecast page shows of one forecast: figures, chart, how accurate it is, how it was made,
and the numbers with a CSV download."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from budgetwise.dates import day_text
from budgetwise.services import exports
from budgetwise.services import forecast as F
from budgetwise.ui import plan_charts
from budgetwise.ui.charts import plotly_config
from budgetwise.ui.currency import missing_rates_warning
from budgetwise.ui.forecast.controls import Controls
from budgetwise.ui.format import day, md, money, money_estimate, month_label, month_short_label, percent, plural
from budgetwise.ui.reporting import Loader, period_heading
from budgetwise.ui.widgets import label_column, metric_row, money_metric, signed_delta

if TYPE_CHECKING:
    import plotly.graph_objects as go


def render(c: Controls, result: F.ForecastResult) -> None:
    for note in result.notes:
        if note not in result.rate_notes:
            st.warning(md(note))
    # what was left out for want of a rate in one warning with the link to the rates (session 25: one box per currency)
    missing_rates_warning(c.principal, result.missing_rates, what="this forecast")
    _figures(c, result)
    st.plotly_chart(figure(c, result), key="fc_chart", config=plotly_config(c.principal.locale))
    _accuracy(c, result)
    _method(c, result)
    _numbers(c, result)


def _figures(c: Controls, result: F.ForecastResult) -> None:
    principal, cur, unit = c.principal, result.currency, c.unit
    delta = result.mean_forecast - result.mean_history
    horizon = plural(c.months, 'month', locale=principal.locale) + (f" ({c.horizon} weeks)" if c.freq == "week" else "")
    figures = [money_estimate(principal, result.mean_history, cur), money_estimate(principal, result.mean_forecast, cur),
               horizon]
    k1, k2, k3 = metric_row(3, figures)
    money_metric(k1, f"Average per {unit} so far", figures[0],
                 help=f"Mean of the {len(result.history)} complete {unit}s in your history (transfers excluded).")
    money_metric(
        k2, f"Projected average per {unit}", figures[1],
        **signed_delta(delta if result.mean_history else None,
                       ("+" if delta >= 0 else "-") + money_estimate(principal, abs(delta), cur),
                       delta_color="off" if c.series in (F.SERIES_INCOME, F.SERIES_NET) else "inverse"),
        help=f"Mean of the forecast over the next {len(result.forecast)} {unit}s.",
    )
    k3.metric("Horizon", horizon, border=True,
              help=f"Forecast from the day after your latest transaction ({day(c.principal, result.as_of)}).")

def figure(c: Controls, result: F.ForecastResult) -> go.Figure:
    """History and forecast in different colours, the interval shaded: built once per user, data version
    and every input the figure shows (the forecast's numbers, currency, locale, date format, period,
    interval, series), through ``Loader.chart`` (session 15: it was built again on every widget click)."""
    return Loader(c.principal, c.version).chart(
        plan_charts.forecast_figure, history=result.history[["ds", "y"]], forecast=result.forecast[["ds", "yhat", "yhat_lower", "yhat_upper"]],
        currency=result.currency, locale=c.principal.locale, date_format=c.principal.date_format, monthly=c.freq == "month",
        range_label=f"{percent(c.principal, result.interval * 100)} range", from_zero=c.series != F.SERIES_NET,
    )


def _accuracy(c: Controls, result: F.ForecastResult) -> None:
    bt = result.backtest
    st.subheader("How accurate is this?")
    if bt is None:
        st.info(
            f"There is not enough history yet to test the forecast on your past: a test needs "
            f"{F.MIN_HISTORY[c.freq] + 1} complete {c.unit}s or more."
        )
        return
    st.markdown(md(bt.verdict))
    # the error and its percent in one cell, as the verdict writes them: at 390 px "Average error %" and the
    # forecasts compared were cut by the screen's edge (session 28, narrow28)
    rows = [
        {"Method": m.label, "Average error": _error_text(c, result, m), "Forecasts": m.points}
        for m in bt.methods
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="fc_methods")
    with st.expander("Every backtest forecast"):
        table = bt.table.copy()
        table["ds"] = [period_label(c, d, short=True) for d in table["ds"]]
        table["origin"] = [day(c.principal, d) for d in table["origin"]]
        for column in ("actual", "forecast", "lower", "upper", "mean3", "last_year"):  # was "3628.71" / "None"
            table[column] = ["—" if v is None or pd.isna(v) else money_estimate(c.principal, v, result.currency)
                             for v in table[column]]
        st.dataframe(
            table.rename(columns={"origin": "Made on", "ds": _period_heading(c), "step": f"{c.unit.capitalize()}s ahead",
                                  "actual": "Actual", "forecast": "Forecast", "lower": "Low", "upper": "High",
                                  "mean3": "Mean of last 3 months", "last_year": "Same period last year"}),
            hide_index=True, key="fc_backtest",
        )


def _error_text(c: Controls, result: F.ForecastResult, m) -> str:
    """A method's average error as its table cell writes it: "$356.80 (9.7%)", "—" without forecasts."""
    if not m.points:
        return "—"
    pct = f" ({percent(c.principal, m.mape, digits=1)})" if m.mape is not None else ""
    return money_estimate(c.principal, m.mae, result.currency) + pct


def _method(c: Controls, result: F.ForecastResult) -> None:
    with st.expander("How this forecast was made"):
        st.markdown(md(f"Method: {result.method}."))
        if result.known_flows:
            st.markdown("Recurring payments projected as known amounts:")
            st.dataframe(
                pd.DataFrame(
                    [{"Payment": f.description or f.key, "Category": f.category, "Every": f.cadence,
                      "Amount": money(c.principal, f.amount_minor, result.currency), "Next expected": day(c.principal, f.next_date)}
                     for f in result.known_flows]
                ),
                hide_index=True, key="fc_flows",
            )
        st.caption(
            "The range is calibrated on your own backtest errors (what the forecast actually missed by in the past); "
            "spending is never forecast below zero. Details: docs/forecasting.md."
        )


def period_label(c: Controls, start, *, short: bool = False) -> str:
    """A forecast period as the user reads it: the month in the locale ("Dezember 2026"; ``short``, as a table
    writes it: "Dez. 2026", ``widgets.TABLE_FIT_PHONE``) or "Week of" its first day in the user's date format;
    the CSV download keeps ISO dates (``F.export_frame``)."""
    value = start.date() if hasattr(start, "date") else start
    if c.freq != "month":  # in a table, under a "Week of" heading (``period_heading``): the amounts fit a phone
        return day_text(value, c.principal.date_format, c.principal.locale) if short else f"Week of {day(c.principal, value)}"
    return month_short_label(c.principal, value) if short else month_label(c.principal, value)


def _period_heading(c: Controls) -> str:
    """A table's period column: "Period" over months ("Dec 2026"), "Week of" over weeks' first days ("2026-11-30")."""
    return period_heading(c.freq) if c.freq != "month" else "Period"


def _numbers(c: Controls, result: F.ForecastResult) -> None:
    principal, cur, fc = c.principal, result.currency, result.forecast
    st.subheader("The numbers")
    shown = pd.DataFrame({
        _period_heading(c): [period_label(c, d, short=True) for d in fc["ds"]],
        "Forecast": [money_estimate(principal, v, cur) for v in fc["yhat"]],
        "Low": [money_estimate(principal, v, cur) for v in fc["yhat_lower"]],
        "High": [money_estimate(principal, v, cur) for v in fc["yhat_upper"]],
        # "Of which recurring" / "Already spent" read as the period's whole recurring total, so the month the
        # data stops in (even last month) showed "0,00 €" beside its rent (QA 2026-12-05): both say what they hold
        "Recurring still due": [money_estimate(principal, v, cur) for v in fc["known"]],
        "In your data so far": [money_estimate(principal, v, cur) if partly else ""
                                for v, partly in zip(fc["observed"], result.partly_observed)],
    })
    st.dataframe(shown, hide_index=True, key="fc_table",
                 column_config={_period_heading(c): label_column(shown[_period_heading(c)])})
    if any(result.partly_observed):
        first = fc["ds"].iloc[0]
        st.caption(
            f"{period_label(c, first)} is partly in your data (to {day(principal, result.as_of)}): its forecast is what "
            f"your data already holds for it plus the rest of the {c.unit}, and \"Recurring still due\" counts only "
            f"the recurring payments expected after {day(principal, result.as_of)}."
        )
    stem = "forecast-" + ("".join(ch if ch.isalnum() else "-" for ch in c.label.lower())).strip("-")
    st.download_button(
        "Download CSV", data=exports.to_csv_bytes(F.export_frame(result)), file_name=exports.timestamped_name(stem, "csv"),
        mime="text/csv", key="fc_download", icon=":material/download:", on_click="ignore",
    )
