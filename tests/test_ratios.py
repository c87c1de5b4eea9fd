"""budgetwise.ratios.percent_change: the one percent change, refused against a base of zero or less."""

from __future__ import annotations

import math

import pytest

from budgetwise.ratios import percent_change


@pytest.mark.parametrize(("new", "base", "expected"), [
    (150, 100, 50.0),
    (50, 100, -50.0),
    (-100, 100, -200.0),
    (100.0, 80.0, 25.0),  # the forecast's means are floats
])
def test_percent_change_against_a_positive_base(new, base, expected):
    assert percent_change(new, base) == pytest.approx(expected)


@pytest.mark.parametrize(("new", "base"), [(100, -200), (-100, -200), (100, 0), (0, 0), (1.0, math.nan)])
def test_no_percent_change_against_zero_a_deficit_or_nan(new, base):
    """Net savings from -200 to 100 was shown as "-150%" (or "+150%" divided by |base|): meaningless."""
    assert percent_change(new, base) is None
