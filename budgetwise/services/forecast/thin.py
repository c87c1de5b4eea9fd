"""A prior combination for a thin monthly backtest (pure; session 16, shortfc, issue #17).

With 12-17 months of history the inner backtest has 6-11 origins, and the ranking of ``ensemble`` rests on
a few noisy months; last year's month has no or few scored points before 14-15 months. Instead of trusting that
ranking fully, the combination is mixed with a fixed prior combination (by default the app's model, which carries
last year's pattern without needing backtest points for it, and the 6-month median, the robust level) with the weight
``(full - n) / full`` for ``n`` scored origins below ``full`` (a year of monthly origins): half at 6 origins, none
from ``full`` on, so a series with a full backtest is forecast as before. The forecast-combination puzzle (Smith &
Wallis 2009; Claeskens et al. 2016): estimated choices lose to fixed ones while the evidence is thin.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

# session 17 (shortfc, issue #17), measured and NOT shipped (off: it failed the pre-registered test on fresh seeds
# 841-900, docs/history/forecasting.md): a robust prior, the pair widened by the k-month median (the robust level with
# its window chosen on the series' own past) and ``full`` 18, so the prior keeps (18 - 12) / 18 = 1/3 of the weight at
# the monthly backtest's 12 origins. Use: ``Config(thin_full=ROBUST_FULL, thin_prior=ROBUST_PRIOR)``
ROBUST_FULL = 18
ROBUST_PRIOR = ("model", "median6", "median_k")
# session 26 (fc26, issue #17): the prior spread over the four members that need no ranked evidence: the model, the
# robust levels (6-month and k-month medians) and last year's month through ``blend``. Pre-registered in
# benchmarks/forecast_thinnaive_check.py (fresh seeds 2631-2690): FAILED F1 (MAPE 18.25% -> 18.26%), so OFF; ``WIDE``
# is the switch ``ensemble.DEFAULT`` reads at import (True: ``thin_prior = WIDE_PRIOR``).
SHIPPED_PRIOR = ("model", "median6")
WIDE_PRIOR = ("model", "median6", "blend", "median_k")
WIDE = False


def months_only(config: Any, freq: str) -> Any:
    """``ensemble.Config`` ``config`` for a series of frequency ``freq``: the thin prior and the bagged pick
    (``weights="bagged"``, :mod:`.bagged`; session 20) off for anything but monthly series (weekly backtests have a
    year of origins, and neither was measured on them)."""
    if freq == "month" or (not config.thin_full and config.weights != "bagged"):
        return config
    return replace(config, thin_full=0, weights="equal" if config.weights == "bagged" else config.weights)


def prior_weight(origins: int, full: int) -> float:
    """The prior combination's weight for ``origins`` scored backtest origins (0 from ``full`` on; ``full`` 0: off)."""
    return max(0.0, (full - origins) / full) if full > 0 else 0.0


def mix(weights: dict[str, float], prior: Sequence[str], lam: float) -> dict[str, float]:
    """``(1 - lam)`` times the chosen weights plus ``lam`` spread equally over ``prior`` (none there: unchanged)."""
    if lam <= 0 or not prior:
        return weights
    out = {c: (1 - lam) * v for c, v in weights.items()}
    for c in prior:
        out[c] = out.get(c, 0.0) + lam / len(prior)
    return out


def members(
    config: Any, available: Sequence[str], names: Sequence[str], err: np.ndarray, origins: np.ndarray | None,
    errors: Mapping[str, float], prior: float,
) -> list[str]:
    """The prior's members for ``ensemble.Config`` ``config`` (``thin_prior``, those available), guarded by
    :func:`guarded` when ``config.thin_guard`` is set and the prior weighs."""
    out = [c for c in config.thin_prior if c in available and c in names]
    if config.thin_guard is None or prior <= 0:
        return out
    return guarded(out, err, names, origins, errors, config.naive, config.thin_guard, config.thin_guard_lags)


def guarded(
    members: Sequence[str], err: np.ndarray, names: Sequence[str], origins: np.ndarray | None,
    errors: Mapping[str, float], naive: Sequence[str], z: float, lags: int = 0,
) -> list[str]:
    """Session 19 (fcnaive, issue #17): the prior's members with every one the series' own backtest shows to be
    *clearly* worse than its best naive guess replaced by that guess. ``naive``: the naive candidates; the best is
    the one of them with the lowest mean error in ``errors`` (the ranked, eligible ones). Clearly worse: on the
    backtest rows both have, the member's error minus the naive guess's, averaged per origin (an origin's targets
    share its surprise), has a mean above ``z`` standard errors (paired over origins; at least 2 origins). A
    member inside the backtest's noise stays: the guard acts only on evidence."""
    ranked = [c for c in naive if c in errors and c in names]
    if not ranked or not members:
        return list(members)
    best = min(ranked, key=lambda c: (errors[c], names.index(c)))
    rows = np.arange(len(err)) if origins is None else np.asarray(origins)
    out = []
    for m in members:
        if m == best or m not in names:
            out.append(m)
            continue
        diff = err[:, names.index(m)] - err[:, names.index(best)]
        ok = np.isfinite(diff)
        keys = np.unique(rows[ok])
        d = np.array([diff[ok & (rows == k)].mean() for k in keys])
        worse = len(d) >= 2 and d.mean() > z * standard_error(d, lags)
        out.append(best if worse else m)
    return out


def standard_error(d: np.ndarray, lags: int) -> float:
    """The standard error of the mean of ``d`` (one value per origin, in time order); with ``lags`` > 0 from the
    Bartlett long-run variance (consecutive origins share targets: a 3-step backtest overlaps 2 origins back), as
    the Diebold-Mariano guard of ``ensemble.guard_weight`` does; never below the plain one."""
    n = len(d)
    dc = d - d.mean()
    var = float(dc @ dc) / n
    lrv = var + sum(2 * (1 - k / (lags + 1)) * float(dc[k:] @ dc[:-k]) / n for k in range(1, min(lags, n - 1) + 1))
    plain = float(np.std(d, ddof=1)) / math.sqrt(n)
    return max(math.sqrt(max(lrv, 0.0) / n), plain)
