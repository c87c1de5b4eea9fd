"""The shape a calibrated 80% range stands for (``conformal.range_sf``, session 20, fcwidth)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from budgetwise.services import goal_stats
from budgetwise.services.forecast import conformal

Z80 = 1.2815515655446004
SHAPES = [("normal", None), ("t", 1.5), ("t", 4.0), ("laplace", None)]


@pytest.mark.parametrize(("shape", "df"), SHAPES)
def test_every_shape_keeps_the_80_percent_range(shape, df):
    assert conformal.range_sf(Z80, shape, df) == pytest.approx(0.1, abs=1e-9)
    assert conformal.range_sf(-Z80, shape, df) == pytest.approx(0.9, abs=1e-9)
    assert conformal.range_sf(0.0, shape, df) == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize(("shape", "df"), SHAPES)
def test_sf_is_monotone_bounded_and_never_nan(shape, df):
    xs = np.linspace(-60, 60, 241)
    v = np.array([conformal.range_sf(float(x), shape, df) for x in xs])
    assert np.all(np.isfinite(v)) and np.all((v >= 0) & (v <= 1))
    assert np.all(np.diff(v) <= 1e-15)


def test_heavy_tailed_shapes_are_narrower_in_the_centre_and_wider_in_the_tails():
    normal_50 = conformal.range_sf(0.6745, "normal")
    for shape, df in SHAPES[1:]:
        assert conformal.range_sf(0.6745, shape, df) < normal_50  # less mass beyond the normal's 50% point
        assert conformal.range_sf(3.0, shape, df) > conformal.range_sf(3.0, "normal")


def test_unknown_shape_is_refused():
    with pytest.raises(ValueError):
        conformal.range_sf(0.0, "cauchy-ish")


def _coverage(shape, df, scores, z, level):
    """Share of ``z`` inside the central ``level`` range of ``shape``, the sd read off the scores' 80% range."""
    lo, hi = conformal.conformal_offsets(scores, 0.8)
    sd = (hi - lo) / (2 * Z80)
    q = 0.0
    step = 8.0
    while step > 1e-6:  # half-width: sf(q) = (1 - level) / 2
        q = q + step if conformal.range_sf(q, shape, df) > (1 - level) / 2 else q - step
        step /= 2
    return float(np.mean(np.abs(z) < abs(q) * sd))


def test_synthetic_heavy_tailed_residuals_the_t_shape_covers_the_50_percent_range_better():
    rng = np.random.default_rng(17)
    scores = rng.standard_t(2.0, 2000) * 0.2  # calibration errors, heavy-tailed (Student-t, 2 df)
    future = rng.standard_t(2.0, 4000) * 0.2
    normal_50 = _coverage("normal", None, scores, future, 0.5)
    t_50 = _coverage("t", 2.0, scores, future, 0.5)
    assert normal_50 > 0.55  # the normal read off the 80% range is too wide in the centre
    assert abs(t_50 - 0.5) < abs(normal_50 - 0.5)
    for shape, df in SHAPES:  # the 80% range is the calibrated one whatever the shape
        assert _coverage(shape, df, scores, future, 0.8) == pytest.approx(0.8, abs=0.03)


def test_goal_chance_reads_the_shape_and_is_the_normal_by_default(monkeypatch):
    assert conformal.RANGE_SHAPE == "normal"
    p = goal_stats.probability_of_reaching(1000.0, 1200.0, 300.0)
    assert p == pytest.approx(0.5 * math.erfc((1000.0 - 1200.0) / 300.0 / math.sqrt(2.0)), abs=1e-12)
    monkeypatch.setattr(conformal, "RANGE_SHAPE", "t")
    monkeypatch.setattr(conformal, "RANGE_DF", 2.0)
    heavy = goal_stats.probability_of_reaching(1000.0, 1200.0, 300.0)
    assert heavy > p  # 0.67 sd below the mean: more mass near the centre
    at_80 = goal_stats.probability_of_reaching(1200.0 - Z80 * 300.0, 1200.0, 300.0)
    assert at_80 == pytest.approx(0.9, abs=1e-9)  # the 80% range is unchanged
    assert goal_stats.probability_of_reaching(1000.0, 1200.0, 0.0) == 1.0
    assert goal_stats.probability_of_reaching(1000.0, float("nan"), 300.0) == 0.0
