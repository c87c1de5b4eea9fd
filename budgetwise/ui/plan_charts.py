"""Plotly figure builders of the Accounts, Forecast, Cash flow and Goals pages (session 15).

Pure functions of plain data (DataFrames, tuples of integers, strings), so the pages show them through
``Loader.chart`` (:mod:`budgetwise.ui.reporting`): a figure is built once per user, data version and
arguments, not on every rerun. Everything a figure shows is an argument (the data, currency, locale,
date format, labels), so a changed input is a new cache key and a stale chart is never shown.

Hover numbers are the tables' text (:func:`budgetwise.ui.charts.estimate_texts` / ``format_money``), never
Plotly's ``%{y:,.2f}``; axis ticks use the locale's own separators (:func:`charts.plotly_separators`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from budgetwise.ui.charts import (
    EXPENSE,
    GRID,
    NET,
    OK,
    TRANSPARENT,
    WARN,
    _fmt,
    _label,
    _major,
    date_axis,
    estimate_texts,
    flat_range,
    plotly_separators,
)

ACCOUNT_LINES = 8  # lines of accounts drawn beside net worth; more are summed as "Other accounts (n)"
_TOP_LEGEND = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text="")


def _frame(fig: go.Figure, *, height: int, locale: str, currency: str) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=8, r=8, t=36, b=8), paper_bgcolor=TRANSPARENT,
                      plot_bgcolor=TRANSPARENT, separators=plotly_separators(locale), legend=_TOP_LEGEND,
                      hovermode="x unified")
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, tickformat=",.0f", title_text=currency)
    return fig


BAND_REACH = 1.0  # a band is drawn up to this many spans of the lines beyond them; further, the axis stops (session 19)
BEYOND_NOTE = "range continues beyond the chart"


def band_axis(fig: go.Figure, lines: Sequence[float | None], lower: Sequence[float | None],
              upper: Sequence[float | None]) -> go.Figure:
    """The y axis of a chart whose shaded range dwarfs its lines (new-user trial, session 19: a ±100,000 range for
    a $3,000 goal hid the goal and its progress): the axis spans the ``lines`` (the paths, the target, the
    threshold) plus at most :data:`BAND_REACH` times their span on each side, and the chart says
    :data:`BEYOND_NOTE`; the hovers keep the range's true figures. A band within that reach: Plotly's own axis."""
    seen = [float(v) for v in lines if v is not None and v == v]
    band = [float(v) for v in (*lower, *upper) if v is not None and v == v]
    if not seen or not band:
        return fig
    lo, hi = min(seen), max(seen)
    reach = BAND_REACH * max(hi - lo, abs(hi), abs(lo), 1.0)  # a flat line at 0 still gets a readable span
    if min(band) >= lo - reach and max(band) <= hi + reach:
        return fig
    # never short of the lines themselves (review19b: a band past the reach below and short of the target above cut
    # the target line off the chart; a band wholly below the reach turned the axis upside down)
    fig.update_yaxes(range=[min(lo, max(min(band), lo - reach)), max(hi, min(max(band), hi + reach))])
    fig.add_annotation(x=1, xref="paper", xanchor="right", y=0, yref="paper", yanchor="bottom", showarrow=False,
                       text=BEYOND_NOTE, font=dict(size=11, color="gray"))
    return fig


# --------------------------------------------------------------------------- accounts
def _band(fig: go.Figure, x: list, lower: list, upper: list, colour: str, name: str) -> None:
    """A range drawn as one shaded area (up along the upper bound, back along the lower), no hover of its own."""
    fig.add_trace(go.Scatter(x=x + x[::-1], y=list(upper) + list(lower)[::-1], mode="lines", fill="toself",
                             fillcolor=colour, line={"width": 0}, hoverinfo="skip", name=name))


def account_lines(frame: pd.DataFrame, top_n: int = ACCOUNT_LINES) -> tuple[list[str], list[str]]:
    """(accounts drawn on their own, accounts summed as "Other accounts"): the ``top_n`` largest by their
    latest month-end balance (its size), all of them when there are no more than ``top_n`` + 1."""
    order = list(dict.fromkeys(frame["account"]))
    if len(order) <= top_n + 1:  # one "other" line in place of one account saves nothing
        return order, []
    latest = frame.dropna(subset=["minor"]).sort_values("date").groupby("account", sort=False)["minor"].last()
    ranked = sorted(order, key=lambda a: (-abs(int(latest.get(a, 0))), order.index(a)))
    keep = set(ranked[:top_n])
    return [a for a in order if a in keep], [a for a in order if a not in keep]


def balance_history(frame: pd.DataFrame, *, currency: str, locale: str, date_format: str,
                    top_n: int = ACCOUNT_LINES) -> go.Figure:
    """Month-end balances: net worth (thick) and each account, in the base currency.

    ``frame``: ``date`` (a month end), ``account`` (its name), ``minor`` (the balance in minor units of
    ``currency``, None where a rate is missing). With many accounts (26 in QA) a legend of every account
    took most of the chart: beyond ``top_n`` the largest ``top_n`` are drawn and the rest summed into one
    "Other accounts (n)" line (:func:`account_lines`); the table above lists each."""
    known = frame.dropna(subset=["minor"])
    total = known.groupby("date", as_index=False)["minor"].sum()
    shown, others = account_lines(frame, top_n)
    fig = go.Figure()
    # one account: its line is the net worth line exactly (two lines on top of each other, QA), so one line,
    # named for both
    net_name = f"Net worth = {_label(shown[0])}" if len(shown) == 1 and not others else "Net worth"
    fig.add_trace(go.Scatter(x=list(total["date"]), y=_major(list(total["minor"]), currency), name=net_name,
                             mode="lines+markers", line={"width": 3, "color": NET}, showlegend=True,  # alone too
                             customdata=_fmt(list(total["minor"]), currency, locale), hovertemplate="%{customdata}"))
    lines = [(name, frame[frame["account"] == name]) for name in shown] if len(shown) > 1 or others else []
    if others:
        rest = frame[frame["account"].isin(others)]
        summed = rest.dropna(subset=["minor"]).groupby("date", as_index=False)["minor"].sum()
        lines.append((f"Other accounts ({len(others)})", summed))
    for name, part in lines:
        values = list(part["minor"])
        # an account with one month-end (added this month) is a dot: a line of one point is not drawn
        fig.add_trace(go.Scatter(x=list(part["date"]), y=_major(values, currency), name=_label(name),
                                 mode="lines" if len(part) > 1 else "markers", line={"width": 1.5},
                                 customdata=_fmt(values, currency, locale), hovertemplate="%{customdata}"))
    _frame(fig, height=360, locale=locale, currency=currency)
    fig.update_yaxes(range=flat_range([*_major(total["minor"], currency), *_major(known["minor"], currency)]))  # None: Plotly's own
    return date_axis(fig, locale, date_format)


# --------------------------------------------------------------------------- forecast
def forecast_figure(history: pd.DataFrame, forecast: pd.DataFrame, *, currency: str, locale: str, date_format: str,
                    monthly: bool, range_label: str, from_zero: bool) -> go.Figure:
    """History and forecast in different colours, the interval shaded (the Forecast page).

    ``history``: ``ds``, ``y``; ``forecast``: ``ds``, ``yhat``, ``yhat_lower``, ``yhat_upper`` (major units,
    estimates). Hovers name each amount as the page's table does ("3 610,73 €" in fr_FR)."""
    fc_ds = list(forecast["ds"])
    fig = go.Figure()
    _band(fig, fc_ds, list(forecast["yhat_lower"]), list(forecast["yhat_upper"]), "rgba(229,83,75,0.18)", range_label)
    fig.add_trace(go.Scatter(
        x=list(history["ds"]), y=list(history["y"]), mode="lines+markers", name="History", line=dict(color=NET, width=2),
        customdata=estimate_texts(history["y"], currency, locale), hovertemplate="%{customdata}<extra>history</extra>",
    ))
    low, high = estimate_texts(forecast["yhat_lower"], currency, locale), estimate_texts(forecast["yhat_upper"], currency, locale)
    fig.add_trace(go.Scatter(
        x=fc_ds, y=list(forecast["yhat"]), mode="lines+markers", name="Forecast",
        line=dict(color=EXPENSE, width=2, dash="dash"),
        customdata=[[t, lo, hi] for t, lo, hi in zip(estimate_texts(forecast["yhat"], currency, locale), low, high)],
        hovertemplate="%{customdata[0]} (range %{customdata[1]} – %{customdata[2]})<extra>forecast</extra>",
    ))
    _frame(fig, height=380, locale=locale, currency=currency)
    fig.update_yaxes(rangemode="tozero" if from_zero else "normal")
    band_axis(fig, [*history["y"], *forecast["yhat"], *([0.0] if from_zero else [])],
              forecast["yhat_lower"], forecast["yhat_upper"])
    return date_axis(fig, locale, date_format, monthly=monthly)


# --------------------------------------------------------------------------- cash flow
def cashflow_figure(dates: Sequence[dt.date], balance: Sequence[int], lower: Sequence[int], upper: Sequence[int], *,
                    threshold_minor: int, currency: str, locale: str, date_format: str, band_label: str,
                    what_if: Sequence[int] | None = None) -> go.Figure:
    """The projected daily balance with its band, the what-if line and the threshold (minor units)."""
    days = list(dates)
    fig = go.Figure()
    _band(fig, days, _major(lower, currency), _major(upper, currency), "rgba(99,110,250,0.15)", band_label)
    fig.add_trace(go.Scatter(x=days, y=_major(balance, currency), name="Projected balance", mode="lines",
                             customdata=_fmt(balance, currency, locale), hovertemplate="%{customdata}"))
    if what_if is not None:
        fig.add_trace(go.Scatter(x=days, y=_major(what_if, currency), name="With the what-if", mode="lines",
                                 line={"dash": "dash"}, customdata=_fmt(what_if, currency, locale),
                                 hovertemplate="%{customdata}"))
    fig.add_hline(y=_major([threshold_minor], currency)[0], line={"dash": "dot", "color": "crimson"})
    # the legend above the plot: below it, it covered the year under the first date of each year
    _frame(fig, height=360, locale=locale, currency=currency)
    # a flat line at the threshold (balances all left out for want of a rate: 0 and 0) read "−1 −1 0 1 1" (session 18)
    fig.update_yaxes(range=flat_range(_major([*balance, *lower, *upper, *(what_if or ()), threshold_minor], currency)))
    band_axis(fig, _major([*balance, *(what_if or ()), threshold_minor], currency), _major(lower, currency),
              _major(upper, currency))
    return date_axis(fig, locale, date_format)


# --------------------------------------------------------------------------- goals
def goal_figure(chart: pd.DataFrame, *, target_date: dt.date, currency: str, locale: str, date_format: str,
                range_label: str) -> go.Figure:
    """Projected savings towards a goal with its range, the target and the target date (Goals page).
    ``chart``: ``ds``, ``expected``, ``lower``, ``upper``, ``target`` in major units."""
    ds = list(chart["ds"])
    fig = go.Figure()
    _band(fig, ds, list(chart["lower"]), list(chart["upper"]), "rgba(76,120,221,0.18)", range_label)
    low, high = estimate_texts(chart["lower"], currency, locale), estimate_texts(chart["upper"], currency, locale)
    fig.add_trace(go.Scatter(x=ds, y=list(chart["expected"]), mode="lines", name="Projected savings",
                             line=dict(color=NET, width=2),
                             customdata=[[t, lo, hi] for t, lo, hi in zip(estimate_texts(chart["expected"], currency, locale),
                                                                          low, high)],
                             hovertemplate="%{customdata[0]} (range %{customdata[1]} – %{customdata[2]})"))
    target = float(chart["target"].iloc[0])
    fig.add_trace(go.Scatter(x=[ds[0], ds[-1]], y=[target] * 2, mode="lines", name="Target",
                             line=dict(color=OK, dash="dash"), customdata=estimate_texts([target] * 2, currency, locale),
                             hovertemplate="%{customdata}"))
    fig.add_vline(x=target_date.isoformat(), line=dict(color=WARN, dash="dot"))
    fig.add_annotation(x=target_date.isoformat(), y=1, yref="paper", text="target date", showarrow=False, yanchor="bottom")
    _frame(fig, height=340, locale=locale, currency=currency)
    band_axis(fig, [*chart["expected"], target, 0.0], chart["lower"], chart["upper"])  # 0: the goal starts from nothing
    return date_axis(fig, locale, date_format)
