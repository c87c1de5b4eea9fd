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
