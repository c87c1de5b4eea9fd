"""One-off periods of a forecast series (a renovation, a car): the one owner of that rule for the naive and
statistical candidates (:mod:`.ensemble`) and the Forecast page's note naming them (``backtest._one_off_note``)."""

from __future__ import annotations

import numpy as np

OUTLIER_Z = 3.5
# ``Config.winsor`` "median" (session 21, outlier; ``ensemble.DEFAULT``'s since its pre-registered test passed on fresh
# seeds 1881-1940, benchmarks/forecast_oneoff_check.py): a period above
# the limit whose neighbours are not counts as the median of the usual periods instead of the limit
ONE_OFF_MEDIAN = "median"
# Session 28 (oneoff28, issue #17): ``ONE_OFF_LOCAL``, on (``LOCAL``) since benchmarks/forecast_oneoff28_check.py's
# pre-registered test on fresh seeds 3051-3110 passed (all ten criteria; :data:`SHIPPED` is the mode of the naive
# candidates, ``ensemble.DEFAULT.winsor``, and of the model, ``model.MODEL_ONE_OFF``, alike): the lone period counts
# as the median of the usual periods within ``LOCAL_SPAN`` periods of it (the level around it), not of the whole
# history -- after a change of level (trial27: 2014-2021 about 1,500 a month, from 2022 about 5,500) the whole
# history's median is the old level. (Leaving a period above the limit whose period a year before or after is above
# it too uncapped -- annual insurance -- measured worse on the tuning seeds: not kept.)
ONE_OFF_LOCAL = "local"
LOCAL_SPAN = 6  # periods either side (a year around the period)
LOCAL_MIN = 3  # fewer usual periods in that window: the whole history's median
LOCAL = True
SHIPPED = ONE_OFF_LOCAL if LOCAL else ONE_OFF_MEDIAN


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
    ``mode`` :data:`ONE_OFF_MEDIAN`: a lone period above the limit counts as the median of the periods within it;
    :data:`ONE_OFF_LOCAL`: as the median of those within :data:`LOCAL_SPAN` periods of it (:func:`_local_usual`)."""
    x = np.asarray(past, dtype=float)
    lim = _limits(x)
    if lim is None:
        return x
    out = np.clip(x, *lim)
    if mode in (ONE_OFF_MEDIAN, ONE_OFF_LOCAL):
        above = x > lim[1]
        alone = above & ~np.r_[False, above[:-1]] & ~np.r_[above[1:], False]
        if mode == ONE_OFF_LOCAL:
            for i in np.flatnonzero(alone):
                out[i] = _local_usual(x, above, int(i))
        else:
            out[alone] = float(np.median(x[~above]))
    return out


def _local_usual(x: np.ndarray, above: np.ndarray, i: int) -> float:
    """The median of the periods within the limit (``~above``) at most :data:`LOCAL_SPAN` periods from ``i``; the
    median of all of them when fewer than :data:`LOCAL_MIN` are that near."""
    lo, hi = max(0, i - LOCAL_SPAN), min(len(x), i + LOCAL_SPAN + 1)
    near = x[lo:hi][~above[lo:hi]]
    return float(np.median(near if len(near) >= LOCAL_MIN else x[~above]))


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
