"""One period vocabulary (issue #15): day, week (from the user's first weekday), month, year.

After fava's ``Interval``: a class per frequency that knows where a period starts, where the
next one starts, how it is labelled and which periods cover a range, so reports, budgets,
forecasts and goals ask the period instead of branching on a ``freq`` string. Pure: no database.

>>> p = period("week", first_weekday=6)   # weeks starting on Sunday
>>> p.start(dt.date(2025, 3, 5)), p.label(dt.date(2025, 3, 2))
(datetime.date(2025, 3, 2), 'Week of 2025-03-02')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from budgetwise.dates import ISO_DATE, add_months, day_text, month_text
from budgetwise.errors import ValidationError
from budgetwise.kinds import FREQUENCIES, Frequency, is_frequency
from budgetwise.names import quoted


@dataclass(frozen=True)
class Period:
    """A period length. Subclasses define :meth:`start`, :meth:`next` and :meth:`label`."""

    name: Frequency

    def start(self, day: dt.date) -> dt.date:
        """The first day of the period that holds ``day``."""
        raise NotImplementedError

    def next(self, start: dt.date) -> dt.date:
        """The first day of the period after the one starting on ``start``."""
        raise NotImplementedError

    def label(self, start: dt.date) -> str:
        """The period starting on ``start`` as a machine-readable label ("2026-07"): CSV exports, the CLI."""
        raise NotImplementedError

    def text(self, start: dt.date, date_format: str = ISO_DATE, locale: str | None = None) -> str:
        """The period starting on ``start`` as a person reads it on a page, in the user's date format and
        locale: "Juli 2026" (:func:`budgetwise.dates.month_text`), "Week of 06.07.2026"
        (:func:`budgetwise.dates.day_text`), "2026"."""
        return self.label(start)

    def end(self, start: dt.date) -> dt.date:
        """The last day (inclusive) of the period starting on ``start``."""
        return self.next(start) - dt.timedelta(days=1)

    def range(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The starts of every period touched by the inclusive range ``first``..``last``."""
        out: list[dt.date] = []
        cur, stop = self.start(first), self.start(last)
        while cur <= stop:
            out.append(cur)
            cur = self.next(cur)
        return out


@dataclass(frozen=True)
class Day(Period):
    name: Frequency = "day"

    def start(self, day: dt.date) -> dt.date:
        return day

    def next(self, start: dt.date) -> dt.date:
        return start + dt.timedelta(days=1)

    def label(self, start: dt.date) -> str:
        return start.isoformat()

    def text(self, start: dt.date, date_format: str = ISO_DATE, locale: str | None = None) -> str:
        return day_text(start, date_format, locale)


@dataclass(frozen=True)
class Week(Period):
    """Weeks that start on ``first_weekday`` (0 = Monday ... 6 = Sunday, the user's setting)."""

    name: Frequency = "week"
    first_weekday: int = 0

    def start(self, day: dt.date) -> dt.date:
        return day - dt.timedelta(days=(day.weekday() - self.first_weekday) % 7)

    def next(self, start: dt.date) -> dt.date:
        return start + dt.timedelta(days=7)

    def label(self, start: dt.date) -> str:
        return f"Week of {start.isoformat()}"

    def text(self, start: dt.date, date_format: str = ISO_DATE, locale: str | None = None) -> str:
        return f"Week of {day_text(start, date_format, locale)}"


@dataclass(frozen=True)
class Month(Period):
    name: Frequency = "month"

    def start(self, day: dt.date) -> dt.date:
        return day.replace(day=1)

    def next(self, start: dt.date) -> dt.date:
        return add_months(start, 1)

    def label(self, start: dt.date) -> str:
        return start.strftime("%Y-%m")

    def text(self, start: dt.date, date_format: str = ISO_DATE, locale: str | None = None) -> str:
        return month_text(start, locale)


@dataclass(frozen=True)
class Year(Period):
    name: Frequency = "year"

    def start(self, day: dt.date) -> dt.date:
        return dt.date(day.year, 1, 1)

    def next(self, start: dt.date) -> dt.date:
        return dt.date(start.year + 1, 1, 1)

    def label(self, start: dt.date) -> str:
        return str(start.year)


DAY, MONTH, YEAR = Day(), Month(), Year()


def period(freq: str, *, first_weekday: int = 0) -> Period:
    """The period for a frequency name ("day", "week", "month", "year").

    ``first_weekday`` (0 = Monday) only matters for weeks. An unknown name is a
    ValidationError that lists the known ones.
    """
    if not is_frequency(freq):
        raise ValidationError(f"Unknown frequency {quoted(freq)}: use one of {', '.join(FREQUENCIES)}.", field="freq")
    if freq == "week":
        return Week(first_weekday=first_weekday)
    return {"day": DAY, "month": MONTH, "year": YEAR}[freq]
