"""One-off periods of a forecast series (a renovation, a car): the one owner of that rule for the naive and
statistical candidates (:mod:`.ensemble`) and the Forecast page's note naming them (``backtest._one_off_note``)."""

from __future__ import annotations

import numpy as np

OUTLIER_Z = 3.5
# ``Config.winsor`` "median" (session 21, outlier; ``ensemble.DEFAULT``'s since its pre-registered test passed on fresh
# seeds 1881-1940, benchmarks/forecast_oneoff_check.py): a period above
# the limit whose neighbours are not counts as the median of the usual periods instead of the limit
ONE_OFF_MEDIAN = "median"


def _limits(x: np.ndarray) -> tuple[float, float] | None:
    """The robust-z limits of :func:`winsorize` (None: too short, negative values or no spread)."""
    if len(x) < 6 or (x < 0).any():
        return None
    lx = np.log1p(x)
    med = float(np.median(lx))
    mad = 1.4826 * float(np.median(np.abs(lx - med)))
    if mad <= 0:
        return None
    return float(np.expm1(med - OUTLIER_Z * mad)), float(np.expm1(med + OUTLIER_Z * mad))


def winsorize(past: np.ndarray, mode: bool | str = True) -> np.ndarray:
    """Cap one-off periods (a renovation, a car) at a robust z-score of 3.5 on the log scale
    (median and MAD of ``log1p``), so that a single month does not drive the naive guesses.
    ``mode`` :data:`ONE_OFF_MEDIAN`: a lone period above the limit counts as the median of the periods within it."""
    x = np.asarray(past, dtype=float)
    lim = _limits(x)
    if lim is None:
        return x
    out = np.clip(x, *lim)
    if mode == ONE_OFF_MEDIAN:
        above = x > lim[1]
        alone = above & ~np.r_[False, above[:-1]] & ~np.r_[above[1:], False]
        out[alone] = float(np.median(x[~above]))
    return out


def lone_period(past: np.ndarray) -> int | None:
    """The one period above zero of a series of at least 6 periods, none negative (a category holding a single
    purchase): its index, else None. Session 21 (oneoffcat) named it in a note; session 22 (cap22) ``Config.lone``."""
    x = np.asarray(past, dtype=float)
    if len(x) < 6 or (x < 0).any():
        return None
    spent = np.flatnonzero(x > 0)
    return int(spent[0]) if len(spent) == 1 else None


def without_lone(past: np.ndarray) -> np.ndarray:
    """``past`` with its :func:`lone_period` counted as 0 (``ensemble.Config.lone``: what last year's period reads)."""
    i = lone_period(past)
    if i is None:
        return past
    out = np.array(past, dtype=float)
    out[i] = 0.0
    return out


def one_offs(past: np.ndarray, mode: bool | str = True) -> list[tuple[int, float]]:
    """The periods :func:`winsorize` counts lower than they were: (index, what the naive guesses count it as)."""
    x = np.asarray(past, dtype=float)
    if not mode:
        return []
    seen = winsorize(x, mode)
    return [(int(i), float(seen[i])) for i in np.flatnonzero(seen < x)]
