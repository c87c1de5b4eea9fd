"""Robust statistics for outliers (pure: no database): median and MAD-based scale, outlier limits
per category and per merchant.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

MAD_TO_SIGMA = 1.4826  # MAD of a normal distribution times this = its standard deviation
MERCHANT_MIN_HISTORY = 4  # with this many expenses at a merchant, its own range counts too


def robust_center_scale(values: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """Median and MAD-based scale (comparable to a standard deviation) of ``values``.

    With a zero MAD (more than half the values equal) the mean absolute deviation
    scaled by 1.2533 is used instead (Iglewicz & Hoaglin).
    """
    if weights is not None:
        values = np.repeat(values, weights.astype(int))
    if values.size == 0:
        return 0.0, 0.0
    median = float(np.median(values))
    deviations = np.abs(values - median)
    scale = float(np.median(deviations)) * MAD_TO_SIGMA
    if scale == 0.0:
        scale = float(np.mean(deviations)) * 1.2533
    return median, scale


def outlier_limit(values: np.ndarray, counts: np.ndarray, threshold: float) -> tuple[float, float, int]:
    """(median, scale, limit) of a group: amounts from ``limit`` on are outliers.

    The scale is floored at 10% of the median (and at one minor unit), so a group of
    near-identical amounts does not flag cents.
    """
    median, scale = robust_center_scale(values, counts)
    scale = floored_scale(median, scale)
    return median, scale, int(math.ceil(median + threshold * scale))


def floored_scale(median: float, scale: float) -> float:
    """The scale floored at 10% of the median and at one minor unit."""
    return max(scale, 0.1 * median, 1.0)


_FEW_GROUPS = 40


def grouped_center_scale(codes: np.ndarray, values: np.ndarray, n_groups: int
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`robust_center_scale` of every group ``0 .. n_groups - 1`` at once: (medians, scales, sizes).

    ``codes`` give each value's group (negative: no group); an empty group gets 0, 0, 0. Two sorts
    by (group, value) replace two partitions per group, with the same figures: a median is the
    middle value or the mean of the middle two, as ``np.median`` takes it (whole minor units and
    their halves are sorted as integer keys), and the mean absolute deviation of a zero-MAD group
    is taken over the group's values in their given order.
    """
    keep = codes >= 0
    codes = codes[keep].astype(np.int64, copy=False)
    values = np.asarray(values, dtype=float)[keep]
    sizes = np.bincount(codes, minlength=n_groups)
    if n_groups <= _FEW_GROUPS:  # a mask and two partitions per group beat sorting every value
        medians, scales = np.zeros(n_groups), np.zeros(n_groups)
        for g in np.flatnonzero(sizes).tolist():
            medians[g], scales[g] = robust_center_scale(values[codes == g])
        return medians, scales, sizes
    medians = _grouped_median(codes, values, sizes)
    deviations = np.abs(values - medians[codes])
    scales = _grouped_median(codes, deviations, sizes) * MAD_TO_SIGMA
    for g in np.flatnonzero((scales == 0.0) & (sizes > 0)).tolist():  # the mean, summed in the same order
        scales[g] = float(np.mean(deviations[codes == g])) * 1.2533
    return medians, scales, sizes


def _grouped_median(codes: np.ndarray, values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The median of each group's values (0 for an empty group)."""
    has = sizes > 0
    starts = (np.cumsum(sizes) - sizes)[has]
    lo, hi = starts + (sizes[has] - 1) // 2, starts + sizes[has] // 2
    out = np.zeros(len(sizes))
    if not len(values):
        return out
    doubled = values * 2  # amounts are whole minor units, deviations from a median halves: whole numbers here
    low, high = float(doubled.min()), float(doubled.max())
    span = high - low + 1
    if span * len(sizes) < 2.0**52 and max(abs(low), abs(high)) < 2.0**52 and (doubled == np.floor(doubled)).all():
        # one integer sort of (group, value) keys instead of two sorts of a lexsort
        keys = codes * int(span) + (doubled - low).astype(np.int64)
        keys.sort()
        offset = np.flatnonzero(has) * int(span)
        first = ((keys[lo] - offset).astype(float) + low) / 2
        second = ((keys[hi] - offset).astype(float) + low) / 2
    else:
        ordered = values[np.lexsort((values, codes))]
        first, second = ordered[lo], ordered[hi]
    out[has] = (first + second) / 2
    return out


def category_limits(
    category_ids: np.ndarray, amounts: np.ndarray, counts: np.ndarray, *, min_history: int, threshold: float
) -> dict[int | None, tuple[float, float, int, int]]:
    """Per category (None: uncategorized) with at least ``min_history`` amounts: (median, scale, n, limit)."""
    if not len(amounts):
        return {}
    # ids are positive: -1 stands for uncategorized
    codes = np.where(pd.isna(category_ids), -1, category_ids).astype(np.int64)
    if codes.min() + 1 >= 0 and codes.max() < 1 << 20:  # ids as positions: no sort
        present = np.flatnonzero(np.bincount(codes + 1))
        uniq, inverse = present - 1, np.zeros(int(present[-1]) + 1, dtype=np.int64)
        inverse[present] = np.arange(len(present))
        inverse = inverse[codes + 1]
    else:
        uniq, inverse = np.unique(codes, return_inverse=True)
    medians, scales, sizes = grouped_center_scale(*_repeated(inverse.reshape(-1), amounts, counts), len(uniq))
    out: dict[int | None, tuple[float, float, int, int]] = {}
    for i, code in enumerate(uniq.tolist()):
        n = int(sizes[i])
        if n < min_history:
            continue
        median = float(medians[i])
        scale = floored_scale(median, float(scales[i]))
        out[None if code == -1 else code] = (median, scale, n, int(math.ceil(median + threshold * scale)))
    return out


def merchant_limits(
    merchants: np.ndarray, amounts: np.ndarray, counts: np.ndarray, wanted: set[str], *, threshold: float
) -> dict[str, float]:
    """Per merchant in ``wanted`` with at least MERCHANT_MIN_HISTORY amounts: the amount from which it is unusual."""
    if not len(merchants):
        return {}
    codes, names = pd.factorize(np.asarray(merchants, dtype=object))  # hashed in C: no Python loop over rows
    return merchant_limits_coded(codes, names, amounts, counts, wanted, threshold=threshold)


def merchant_limits_coded(
    codes: np.ndarray, names, amounts: np.ndarray, counts: np.ndarray, wanted: set[str], *, threshold: float
) -> dict[str, float]:
    """:func:`merchant_limits` of amounts whose merchants are given as codes into ``names`` (negative: none)."""
    picked = np.asarray([i for i, name in enumerate(names) if name in wanted], dtype=np.int64)
    if not len(picked) or not len(codes):
        return {}
    lookup = np.full(len(names), -1, dtype=np.int64)
    lookup[picked] = np.arange(len(picked))
    codes = np.asarray(codes, dtype=np.int64)
    local = np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)  # wanted merchants only, numbered 0..
    medians, scales, sizes = grouped_center_scale(*_repeated(local, amounts, counts), len(picked))
    out: dict[str, float] = {}
    for i, code in enumerate(picked.tolist()):
        if int(sizes[i]) >= MERCHANT_MIN_HISTORY:
            m_median = float(medians[i])
            out[names[code]] = m_median + threshold * floored_scale(m_median, float(scales[i]))
    return out


def _repeated(codes: np.ndarray, amounts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, amounts) with each row repeated ``counts`` times (as robust_center_scale's weights)."""
    counts = np.asarray(counts)
    amounts = np.asarray(amounts, dtype=float)
    if len(counts) and (counts == 1).all():
        return codes, amounts
    reps = counts.astype(int)
    return np.repeat(codes, reps), np.repeat(amounts, reps)
