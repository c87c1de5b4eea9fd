"""budgetwise.periods: one period vocabulary (day / week from the first weekday / month / year); no database."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import ValidationError
from budgetwise.kinds import FREQUENCIES
from budgetwise.periods import DAY, MONTH, YEAR, Week, period
from budgetwise.services.forecast.periods import next_period, period_end, period_start
from budgetwise.services.reports.periods import months_between

D = dt.date


def test_starts_next_and_labels():
    day = D(2025, 3, 5)  # a Wednesday
    assert DAY.start(day) == day and DAY.next(day) == D(2025, 3, 6) and DAY.label(day) == "2025-03-05"
    assert Week().start(day) == D(2025, 3, 3)  # Monday
    assert Week(first_weekday=6).start(day) == D(2025, 3, 2)  # Sunday
    assert Week().next(D(2025, 3, 3)) == D(2025, 3, 10)
    assert Week().label(D(2025, 3, 3)) == "Week of 2025-03-03"
    assert MONTH.start(day) == D(2025, 3, 1) and MONTH.next(D(2025, 12, 1)) == D(2026, 1, 1)
    assert MONTH.label(D(2025, 3, 1)) == "2025-03"
    assert YEAR.start(day) == D(2025, 1, 1) and YEAR.next(D(2025, 1, 1)) == D(2026, 1, 1) and YEAR.label(day) == "2025"


def test_end_and_range():
    assert MONTH.end(D(2024, 2, 1)) == D(2024, 2, 29)
    assert Week(first_weekday=6).end(D(2025, 3, 2)) == D(2025, 3, 8)
    assert MONTH.range(D(2024, 11, 15), D(2025, 2, 3)) == [D(2024, 11, 1), D(2024, 12, 1), D(2025, 1, 1), D(2025, 2, 1)]
    assert Week().range(D(2025, 3, 5), D(2025, 3, 12)) == [D(2025, 3, 3), D(2025, 3, 10)]
    assert YEAR.range(D(2025, 6, 1), D(2024, 1, 1)) == []


@pytest.mark.parametrize("freq", FREQUENCIES)
def test_every_frequency_has_a_period_whose_periods_tile_the_calendar(freq):
    p = period(freq, first_weekday=3)
    assert p.name == freq
    starts = p.range(D(2023, 12, 20), D(2024, 3, 10))
    for a, b in zip(starts, starts[1:]):
        assert p.next(a) == b and p.end(a) == b - dt.timedelta(days=1) and p.start(p.end(a)) == a


def test_unknown_frequency_is_a_sentence():
    with pytest.raises(ValidationError, match="Unknown frequency “fortnight”: use one of day, week, month, year"):
        period("fortnight")


def test_forecast_and_report_helpers_use_the_one_vocabulary():
    day = D(2025, 3, 5)
    assert period_start(day, "week", 6) == Week(first_weekday=6).start(day)
    assert next_period(D(2025, 1, 31).replace(day=1), "month") == D(2025, 2, 1)
    assert period_end(D(2025, 3, 3), "week") == D(2025, 3, 9)
    assert months_between(D(2025, 3, 15), D(2025, 3, 10)) == [D(2025, 3, 1)]  # as before: the month touched
    assert months_between(D(2025, 1, 31), D(2025, 3, 1)) == MONTH.range(D(2025, 1, 31), D(2025, 3, 1))



def test_period_text_is_how_a_person_reads_it_in_the_users_locale():
    """Session 10 QA: the report tables and charts showed month buckets as "2026-07" to a de_DE user;
    ``label`` stays the machine-readable one (CSV exports)."""
    assert MONTH.text(D(2026, 7, 1), "%d.%m.%Y", "de_DE") == "Juli 2026" and MONTH.text(D(2026, 7, 1)) == "July 2026"
    assert Week().text(D(2026, 7, 6), "%d.%m.%Y", "de_DE") == "Week of 06.07.2026"
    assert DAY.text(D(2026, 12, 24), "%d %b %Y", "de_DE") == "24 Dez. 2026"
    assert YEAR.text(D(2026, 1, 1), "%d.%m.%Y", "de_DE") == "2026"
    assert MONTH.label(D(2026, 7, 1)) == "2026-07"
