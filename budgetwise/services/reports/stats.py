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
    scale = max(scale, 0.1 * median, 1.0)
    return median, scale, int(math.ceil(median + threshold * scale))


def category_limits(
    category_ids: np.ndarray, amounts: np.ndarray, counts: np.ndarray, *, min_history: int, threshold: float
) -> dict[int | None, tuple[float, float, int, int]]:
    """Per category (None: uncategorized) with at least ``min_history`` amounts: (median, scale, n, limit)."""
    if not len(amounts):
        return {}
    # row positions per category (ids are positive: -1 stands for uncategorized)
    codes = np.where(pd.isna(category_ids), -1, category_ids).astype(np.int64)
    uniq, inverse = np.unique(codes, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    parts = np.split(order, np.flatnonzero(np.diff(inverse[order])) + 1)
    out: dict[int | None, tuple[float, float, int, int]] = {}
    for p in parts:
        code = int(uniq[inverse[p[0]]])
        n = int(counts[p].sum())
        if n < min_history:
            continue
        median, scale, limit = outlier_limit(amounts[p], counts[p], threshold)
        out[None if code == -1 else code] = (median, scale, n, limit)
    return out


def merchant_limits(
    merchants: np.ndarray, amounts: np.ndarray, counts: np.ndarray, wanted: set[str], *, threshold: float
) -> dict[str, float]:
    """Per merchant in ``wanted`` with at least MERCHANT_MIN_HISTORY amounts: the amount from which it is unusual."""
    if not len(merchants):
        return {}
    codes, names = pd.factorize(np.asarray(merchants, dtype=object))  # hashed in C: no Python loop over rows
    order = np.argsort(codes, kind="stable")
    out: dict[str, float] = {}
    for p in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1):
        code = int(codes[p[0]])
        if code < 0 or names[code] not in wanted:
            continue
        if int(counts[p].sum()) >= MERCHANT_MIN_HISTORY:
            m_median, m_scale = robust_center_scale(amounts[p], counts[p])
            out[names[code]] = m_median + threshold * max(m_scale, 0.1 * m_median, 1.0)
    return out
