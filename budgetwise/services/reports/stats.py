"""Robust statistics for outliers: median and MAD-based scale, optionally weighted (pure)."""

from __future__ import annotations

import numpy as np

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
