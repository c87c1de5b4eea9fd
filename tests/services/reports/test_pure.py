"""The pure parts of the reports package, tested without a database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from budgetwise.services.reports import periods, stats


def test_robust_centre_and_scale_ignore_one_outlier():
    centre, scale = stats.robust_center_scale(np.array([10.0, 11.0, 9.0, 10.0, 12.0, 500.0]))
    assert centre == pytest.approx(10.5)
    assert 0 < scale < 5


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    start, end = periods.previous_period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert end == dt.date(2025, 2, 28) and start <= end


def test_months_between_lists_month_starts():
    assert periods.months_between(dt.date(2025, 1, 15), dt.date(2025, 3, 2)) == [
        dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
