"""A level correction of the combination, learned from its own backtest residuals (pure; session 15, issue #17).

The combination of :mod:`.ensemble` is chosen on the absolute percentage error, whose best forecast lies below the
median period when periods are skewed (a few large weeks): on generated weekly histories its forecasts were 19% low.
The correction multiplies the combination by ``exp(m * n / (n + prior))``: ``m`` the **median** of
``log(actual / forecast)`` over the backtest points (a robust, scale-free statistic: one renovation month does not
move it, unlike the ratio of sums measured on 2026-12-04 night), ``n`` the backtest origins those points come from,
``prior`` a prior on "no correction" worth that many origins; ``m`` is kept within ``+-LOG_CAP``. Prequential like
everything the user sees: each backtest origin is corrected with the points whose target had ended by then.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd

C = TypeVar("C", bound=Any)  # ensemble.Choice (a frozen dataclass with a ``level`` field)

LOG_CAP = math.log(2.0)  # the correction stays within x0.5 - x2


def weighted_median(x: np.ndarray, w: np.ndarray) -> float:
    """The smallest ``x`` at which the cumulative weight reaches half of the total (minimises ``sum w |x - c|``)."""
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    return float(x[order][np.searchsorted(cum, 0.5 * cum[-1])])


def factor(actual: np.ndarray, forecast: np.ndarray, origins: np.ndarray, prior: float, stat: str = "median") -> float:
    """The multiplicative correction from backtest points (``actual``, ``forecast``, each point's origin); points
    without spending or without a positive forecast do not count; none: 1. ``stat="median"``: the median of the log
    ratios; ``"ape"``: the factor ``c`` that minimises the backtest's mean absolute percentage error
    ``sum |a - c f| / a`` (the weighted median of ``a / f``, weights ``f / a``); ``"mean"``: ``sum a / sum f``, the
    factor that makes the backtest's forecasts sum to its actuals (mean-unbiased; empty periods count)."""
    a, f = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    if stat in ("mean", "sum"):  # the ratio of sums: empty periods count (they are part of what sums to a month)
        # "sum" (session 18): periods forecast at zero count too (an occasional series' median-type zeros)
        ok = np.isfinite(a) & np.isfinite(f) & (a >= 0) & ((f > 0) if stat == "mean" else (f >= 0))
        if not ok.any() or not a[ok].sum() > 0 or not f[ok].sum() > 0:
            return 1.0
        m = math.log(float(a[ok].sum()) / float(f[ok].sum()))
        m = float(np.clip(m, -LOG_CAP, LOG_CAP))
        n = len(np.unique(np.asarray(origins)[ok]))
        return math.exp(m * n / (n + prior))
    ok = np.isfinite(a) & np.isfinite(f) & (a > 0) & (f > 0)
    if not ok.any():
        return 1.0
    r = np.log(a[ok] / f[ok])
    m = float(np.median(r)) if stat == "median" else weighted_median(r, f[ok] / a[ok])
    m = float(np.clip(m, -LOG_CAP, LOG_CAP))
    n = len(np.unique(np.asarray(origins)[ok]))
    return math.exp(m * n / (n + prior))


def prequential(
    actual: np.ndarray, forecast: np.ndarray, origin_day: np.ndarray, target_end: np.ndarray, prior: float,
    stat: str = "median",
) -> tuple[np.ndarray, float]:
    """The backtest forecasts corrected origin by origin (each with the points whose target had ended by then), and
    the factor for the final forecast (every point)."""
    out = np.asarray(forecast, dtype=float).copy()
    for day in np.unique(origin_day) if len(out) else []:
        known = target_end <= day
        out[origin_day == day] *= factor(actual[known], forecast[known], origin_day[known], prior, stat)
    return out, factor(actual, forecast, origin_day, prior, stat)


def correct(rec: pd.DataFrame, prior: float, stat: str, choice: C, choices: dict[int, C]) -> tuple[C, dict[int, C]]:
    """The backtest rows' ``yhat`` corrected prequentially in place; the choices carry the final factor."""
    rec["yhat"], fac = prequential(rec["actual"].to_numpy(dtype=float), rec["yhat"].to_numpy(dtype=float),
                                   rec["origin_day"].to_numpy(), rec["target_end"].to_numpy(), prior, stat)
    return replace(choice, level=fac), {k: replace(c, level=fac) for k, c in choices.items()}


def apply(rec: pd.DataFrame, config: Any, freq: str, occasional: bool, cat: tuple[float, str], choice: C,
          choices: dict[int, C]) -> tuple[C, dict[int, C]]:
    """The options' level corrections, each off at 0: ``level_prior`` (frequent monthly series), ``week_level_prior``
    (frequent weekly series, "mean") and a category's (``cat``: prior and statistic, :mod:`.catbias`)."""
    if not len(rec):
        return choice, choices
    if config.level_prior > 0 and freq == "month" and not occasional:  # the level from its residuals
        choice, choices = correct(rec, config.level_prior, config.level_stat, choice, choices)
    if config.week_level_prior > 0 and freq == "week" and not occasional:  # mean-unbiased weeks
        choice, choices = correct(rec, config.week_level_prior, "mean", choice, choices)
    if cat[0] > 0:
        choice, choices = correct(rec, cat[0], cat[1], choice, choices)
    return choice, choices
