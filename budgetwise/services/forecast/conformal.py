"""Split-conformal ranges from backtest errors (pure), shared by the forecast's ensemble and the cash-flow model.

Moved out of :mod:`.ensemble` (session 13, the module size limit); :mod:`.ensemble` re-exports both functions.
"""

from __future__ import annotations

import math

import numpy as np

from budgetwise.services.forecast.types import MIN_CONFORMAL_POINTS


def conformal_offsets(scores: np.ndarray, interval: float) -> tuple[float, float] | None:
    """Split-conformal lower/upper quantiles of scaled errors (finite-sample corrected)."""
    scores = np.asarray(scores, dtype=float)
    scores = scores[np.isfinite(scores)]
    n = len(scores)
    if n < MIN_CONFORMAL_POINTS:
        return None
    s = np.sort(scores)
    alpha = 1.0 - interval
    hi = min(n, math.ceil((n + 1) * (1 - alpha / 2))) - 1
    lo = max(1, math.floor((n + 1) * (alpha / 2))) - 1
    return float(s[lo]), float(s[hi])


def offsets_by_step(
    scores: np.ndarray, steps: np.ndarray, wanted: np.ndarray, interval: float, last_step: int
) -> list[tuple[float, float] | None]:
    """Conformal offsets for each wanted step: that step's own scores when there are enough
    (steps beyond the backtested ones use the last backtested step), else all steps pooled."""
    pooled = conformal_offsets(scores, interval)
    out = []
    for s in wanted:
        s_eff = min(int(s), last_step)
        own = conformal_offsets(scores[steps == s_eff], interval)
        out.append(own if own is not None else pooled)
    return out


# The shape a calibrated 80% range stands for, where a whole distribution is needed (a goal's chance,
# ``goal_stats.probability_of_reaching``). Session 20 (fcwidth, issue #17): the backtest errors are heavy-tailed, so a
# normal with its sd read off the 80% range is too wide in the centre. ``"t"``: a Student-t with
# :data:`RANGE_DF` degrees of freedom, ``"laplace"``: a Laplace, each scaled so its central 80% range is the same
# as the normal's (the calibrated range is kept; only the mass inside and beyond it moves).
RANGE_SHAPE = "normal"
RANGE_DF = 4.0
_Z80 = 1.2815515655446004  # the normal's 90% point: the 80% range's half-width in its sds
_LN5 = math.log(5.0)  # the Laplace's 80% range: +- b ln 5


def range_sf(x: float, shape: str | None = None, df: float | None = None) -> float:
    """P(X > x) for X in the units of the normal whose central 80% range is +-1.2816 (x = (value - centre) / sd with
    sd = the 80% half-width / 1.2816), under ``shape`` (default :data:`RANGE_SHAPE`); every shape has the same 80%
    range. Never NaN for a finite x."""
    shape = RANGE_SHAPE if shape is None else shape
    if shape == "normal":
        return 0.5 * math.erfc(x / math.sqrt(2.0))
    if shape == "t":
        from scipy.special import stdtr, stdtrit

        nu = RANGE_DF if df is None else df
        return float(stdtr(nu, -x * float(stdtrit(nu, 0.9)) / _Z80))
    if shape == "laplace":
        u = x * _LN5 / _Z80
        return 0.5 * math.exp(-u) if u >= 0 else 1.0 - 0.5 * math.exp(u)
    raise ValueError(f"unknown range shape {shape!r}")
