"""The one recurring-payment detector (pure: no database, no pandas).

Reports (the Recurring tab, upcoming payments on the dashboard, the PDF) and the forecast
(of the database, of an uploaded CSV and of every category) all ask this module whether a
merchant's payments recur and at what amount, so they cannot disagree on the same series.

The rule, for one merchant's payments of one kind (several payments on a day count as one
occurrence, their amounts summed):

* **Cadence.** The median interval falls within a cadence's tolerance (weekly 7±2,
  biweekly 14±3, monthly 30.4±6, quarterly 91±14, yearly 365±25 days); at least
  ``REGULARITY`` (75%) of the intervals are one step or two (a skipped payment), and at
  least half are one step.
* **Enough payments.** At least ``MIN_OCCURRENCES`` (3) for every cadence, yearly
  included (two payments a year apart are a coincidence as often as a subscription);
  weekly needs 4.
* **Similar amounts.** The median absolute deviation of the last 12 amounts is at most
  ``AMOUNT_TOLERANCE`` (25%) of their median.
* **Regular-sized occurrences only for the rest.** A series that passed the three tests above is
  then judged on its occurrences of the usual size: one whose amount is under a third or over three
  times (``OFF_SIZE``) the median of the last 12 amounts (a small refund or correction from the same
  payer, a one-off) neither keeps a stopped series alive nor sets its projected amount, last date or
  occurrence count (a salary that stopped, then one payment of 21 from the same employer seven months
  later, has stopped). Leaving them out only here means it never makes a series recurring either.
* **Not stopped.** The last regular-sized payment is at most 1.5 steps (plus the tolerance)
  before the day of the question: its next expected date passed by at most half a step plus the
  tolerance (a monthly one is stopped 52 days after its last payment, a weekly one after 13).
  ``OVERDUE_BILLS_STOP`` (session 18, off: measured by benchmarks/cashflow_stop_check.py): a bill
  (``kind="expense"``) is stopped as soon as its next expected date passed by more than the tolerance
  (a monthly bill 37 days after its last payment); income keeps the 1.5 steps.
* **Paid share** (session 19, measured; the cash flow uses it only with ``cashflow.PROJECT_PAID_SHARE``):
  of a series paid at least ``PAID_SHARE_MIN_PER_YEAR`` times a year (quarterly or more often), the
  share of its expected payments over the last ``PAID_SHARE_WINDOW_DAYS`` (or since its first one, when
  younger) that came: 1 when at most ``PAID_SHARE_SLACK`` of them are missing (a payment a few days late or
  early at the window's edge), else the regular-sized payments counted there over the steps the window holds
  (an income paid in 4 of the last 12 months: 1/3). Whether a series recurs, and its amount, do not depend on it.
* **Projected amount.** The latest amount when the price is fixed -- the latest amount was
  paid at least twice, or it follows a fixed earlier price (10, 10, 12: a price change, so
  12 is projected and flagged as an increase); otherwise (variable bills) the median of the
  last six.

``LOOKBACK_DAYS`` is derived from the rule: long enough to see ``MIN_OCCURRENCES`` yearly
payments whose last one is not yet stale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Cadence:
    name: str
    nominal_days: float
    tolerance_days: float
    step: relativedelta
    per_year: int
    min_occurrences: int

    @property
    def stale_after_days(self) -> float:
        """A series whose last payment is older than this has stopped."""
        return 1.5 * self.nominal_days + self.tolerance_days

    @property
    def overdue_after_days(self) -> float:
        """A series whose next expected date passed by more than its tolerance is overdue."""
        return self.nominal_days + self.tolerance_days


MIN_OCCURRENCES = 3  # for every cadence (weekly asks for one more)
WEEKLY_MIN_OCCURRENCES = 4
AMOUNT_TOLERANCE = 0.25  # relative median absolute deviation of the recent amounts
REGULARITY = 0.75  # share of intervals that are one step or two (a skipped payment)
RECENT_AMOUNTS = 12  # amounts whose spread is checked
OFF_SIZE = 3.0  # an amount below usual / OFF_SIZE or above usual * OFF_SIZE is not a regular occurrence
VARIABLE_MEDIAN_OF = 6  # a variable bill is projected at the median of this many latest amounts
OVERDUE_BILLS_STOP = False  # a bill overdue by more than its tolerance has stopped (session 18 candidate)
PAID_SHARE_WINDOW_DAYS = 365.25  # the paid share looks at this many days before the question (session 19)
PAID_SHARE_SLACK = 1  # ... and counts a series missing at most this many expected payments there as fully paid
PAID_SHARE_MIN_PER_YEAR = 4  # ... of cadences paid at least this many times a year (a yearly one: always 1)
# session 29 (gap29): with gap months (``skip``) the intervals are calendar intervals, an interval whose missing
# payments were due only in gap months read as that many steps (:func:`explained_steps`); the stopped clock serves
# the "stopped" test and the paid share only; and the months without a row are gap months only in a dense history
# (``forecast.gaps.dense``). OFF: failed its pre-registered test (benchmarks/cashflow_sparse29_check.py, seeds
# 3291-3350: sparse households -28.6% pooled error, but households with gap months +0.34%, 2 worse, 58 the same);
# docs/history/accounts.md. False: flows28's rule (every interval on the stopped clock, every empty month a gap)
CALENDAR_GAPS = False

CADENCES: dict[str, Cadence] = {
    c.name: c
    for c in (
        Cadence("weekly", 7.0, 2.0, relativedelta(days=7), 52, WEEKLY_MIN_OCCURRENCES),
        Cadence("biweekly", 14.0, 3.0, relativedelta(days=14), 26, MIN_OCCURRENCES),
        Cadence("monthly", 30.44, 6.0, relativedelta(months=1), 12, MIN_OCCURRENCES),
        Cadence("quarterly", 91.3, 14.0, relativedelta(months=3), 4, MIN_OCCURRENCES),
        Cadence("yearly", 365.25, 25.0, relativedelta(years=1), 1, MIN_OCCURRENCES),
    )
}

# Enough history to see every cadence's minimum number of payments with the last one not stale.
LOOKBACK_DAYS = max(
    math.ceil((c.min_occurrences - 1) * (c.nominal_days + c.tolerance_days) + c.stale_after_days)
    for c in CADENCES.values()
)

RULE_TEXT = (
    f"at least {MIN_OCCURRENCES} regular payments of a similar amount "
    f"({WEEKLY_MIN_OCCURRENCES} for a weekly one, {MIN_OCCURRENCES} for a yearly one)"
)


@dataclass(frozen=True)
class Recurrence:
    """What the detector found for one series."""

    cadence: str
    interval_days: float  # median interval between occurrences
    amount_minor: int  # the projected amount of the next payment
    per_year: int
    price_increase: bool
    previous_amount_minor: int | None  # the fixed price before a change, if any
    occurrences: int
    last_date: dt.date
    next_date: dt.date  # the first of its cadence's steps after last_date that is on or after as_of
    paid_share: float = 1.0  # the share of its expected payments of the last year that came (paid_share)


def _median(values) -> float:
    """``float(np.median(values))`` for a short 1-d sequence, without numpy's per-call overhead (~20 µs; the
    cash-flow backtest asks the detector ~8,000 times for a heavy user): the middle value, or the mean of
    the two middle ones, as numpy computes it."""
    ordered = sorted(values.tolist() if isinstance(values, np.ndarray) else [float(v) for v in values])
    n = len(ordered)
    if n % 2:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2.0


def cadence_of(intervals: np.ndarray, explain: Callable[[Cadence], np.ndarray] | None = None,
               ) -> tuple[Cadence, float] | None:
    """The cadence whose step the intervals (days) follow, with their median.

    A skipped payment (an interval of about two steps) is tolerated but is not a step. ``explain`` (gap months,
    :func:`explained_steps`): per cadence, the intervals with those whose missing payments fall only in gap months
    read as that many steps.
    """
    if len(intervals) == 0:
        return None
    plain = _median(intervals)
    for c in CADENCES.values():
        steps = intervals if explain is None else explain(c)
        median = plain if steps is intervals else _median(steps)
        if abs(median - c.nominal_days) > c.tolerance_days:
            continue
        within = np.abs(steps - c.nominal_days) <= c.tolerance_days
        skipped = np.abs(steps - 2 * c.nominal_days) <= c.tolerance_days
        if (within | skipped).mean() >= REGULARITY and within.mean() >= 0.5:
            return c, median
    return None


def explained_steps(real: np.ndarray, skip: Sequence[tuple[int, int]]) -> Callable[[Cadence], np.ndarray] | None:
    """For :func:`cadence_of`: the calendar intervals between the occurrences ``real`` (ordinals), where an interval
    of about ``k`` >= 2 steps of a cadence (within its tolerance) whose ``k - 1`` missing payments each were due
    (its calendar step after the payment before) in a gap month of ``skip`` reads as one interval of a ``k``-th of
    it: a payment missing only where the data is missing was not skipped. None when no interval holds a gap day (the
    intervals as they are). Session 29 (gap29): a gap month never shortens an interval (flows28's stopped clock read
    a yearly payment with four gap months between as paid every eight months). Read as ``k`` intervals (the code of
    the pre-registered run), one coincidental 4-month interval of a random expense across a 3-month gap counted as
    four monthly steps (seed 3343's "airline" read as monthly): once, as the stopped clock counts it."""
    intervals = np.diff(real).astype(float)
    clock = np.diff(without_days(real, skip))
    holes = np.flatnonzero(clock < intervals)
    if not len(holes):
        return None
    firsts = np.array([a for a, _ in skip], dtype=np.int64)
    lasts = np.array([b for _, b in skip], dtype=np.int64)

    def in_gap(day: int) -> bool:
        i = int(np.searchsorted(lasts, day, side="left"))  # the first span ending on or after it
        return i < len(firsts) and firsts[i] <= day

    def explain(c: Cadence) -> np.ndarray:
        parts: list[np.ndarray | list[float]] = []
        done = 0
        for i in holes.tolist():
            length = intervals[i]
            k = int(round(length / c.nominal_days))
            if k < 2 or abs(length - k * c.nominal_days) > c.tolerance_days:
                continue
            start = dt.date.fromordinal(int(real[i]))
            if all(in_gap((start + c.step * j).toordinal()) for j in range(1, k)):
                parts += [intervals[done:i], [length / k]]  # one step seen, as on the stopped clock
                done = i + 1
        if not done:
            return intervals
        return np.concatenate([*(np.asarray(p, dtype=float) for p in parts), intervals[done:]])

    return explain


def price_change(amounts: Sequence[int]) -> tuple[bool, int | None, int]:
    """(increase?, previous fixed amount, current amount); variable bills never have a previous price."""
    current = amounts[-1]
    i = len(amounts) - 1
    while i > 0 and amounts[i - 1] == current:
        i -= 1
    if i == 0:
        return False, None, current
    before = amounts[:i]
    previous = before[-1]
    run = 1
    while run < len(before) and before[-1 - run] == previous:
        run += 1
    stable = run >= 2 or (len(before) == 1 and len(amounts) >= 2 and len(amounts) - i >= 2)
    if not stable:
        return False, None, current
    return current > previous, previous, current


def projected_amount(amounts: Sequence[int]) -> tuple[int, bool, int | None]:
    """(amount to project, price went up?, previous fixed price) for a recurring series."""
    increase, previous, current = price_change(amounts)
    fixed_price = previous is not None or list(amounts).count(current) >= 2
    if fixed_price:
        return int(current), bool(increase), None if previous is None else int(previous)
    return int(np.median(np.asarray(amounts[-VARIABLE_MEDIAN_OF:], dtype=float))), False, None


def regular_sized(values: np.ndarray, usual: float) -> np.ndarray | None:
    """Which occurrences are of the series' usual size (within ``OFF_SIZE`` of ``usual``, the median of
    the last ``RECENT_AMOUNTS``), or None when all are (the common case: nothing to leave out). At least
    one is: the upper of the middle amounts lies between the median and twice it."""
    keep = (values * OFF_SIZE >= usual) & (values <= usual * OFF_SIZE)
    return None if keep.all() else keep


def paid_share(days: np.ndarray, cadence: Cadence, as_of: dt.date) -> float:
    """The share of a series' expected payments over the last :data:`PAID_SHARE_WINDOW_DAYS` (or since its first
    payment plus half a step, when younger) that came; ``days``: the ordinals of its regular-sized occurrences,
    increasing. 1 when at most :data:`PAID_SHARE_SLACK` are missing, and for cadences paid fewer than
    :data:`PAID_SHARE_MIN_PER_YEAR` times a year."""
    if cadence.per_year < PAID_SHARE_MIN_PER_YEAR or not len(days):
        return 1.0
    end = as_of.toordinal()
    window = min(PAID_SHARE_WINDOW_DAYS, end - int(days[0]) + cadence.nominal_days / 2)
    expected = window / cadence.nominal_days
    came = int(len(days) - np.searchsorted(days, end - window, side="right"))
    if came >= expected - PAID_SHARE_SLACK:
        return 1.0
    return max(0.0, came / expected)


def stopped_after_days(cadence: Cadence, kind: str | None = None) -> float:
    """Days after its last payment from which a series of this cadence and kind has stopped."""
    if OVERDUE_BILLS_STOP and kind == "expense":
        return cadence.overdue_after_days
    return cadence.stale_after_days


def without_days(ordinals: np.ndarray, skip: Sequence[tuple[int, int]]) -> np.ndarray:
    """``ordinals`` on a clock that stops on the days of ``skip`` (increasing, disjoint (first, last) ordinal
    spans: the months without any data): each ordinal less the number of skipped days before it. A series
    paid on the 25th of January and of March, February skipped, is then one month apart."""
    out = np.asarray(ordinals, dtype=np.int64).copy()
    for first, last in skip:
        out -= np.clip(np.asarray(ordinals, dtype=np.int64) - first, 0, last - first + 1)
    return out


def detect(ordinals: Sequence[int] | np.ndarray, amounts: Sequence[int] | np.ndarray, as_of: dt.date,
           kind: str | None = None, skip: Sequence[tuple[int, int]] = ()) -> Recurrence | None:
    """Whether one series recurs, as known on ``as_of``.

    ``ordinals`` are the days (``date.toordinal()``) of the occurrences, strictly increasing,
    one per day; ``amounts`` the positive day totals in minor units. Payments after ``as_of``
    and before its lookback are the caller's to leave out. ``kind`` ("income" / "expense"):
    whether it is a bill (:func:`stopped_after_days`). ``skip``: spans of days without any data
    (gap months, session 28 flows28): the "stopped" test and the paid share read time without
    them (:func:`without_days`), so a payment missing only there has not stopped; the intervals
    are calendar intervals, one whose missing payments were due only there read as that many
    steps (:func:`explained_steps`; session 29, gap29; with :data:`CALENDAR_GAPS` off they too
    read time without them, flows28's rule); the last and next dates stay calendar dates.
    Empty: the rule as before, to the byte.
    """
    n = len(ordinals)
    if n < MIN_OCCURRENCES:
        return None
    days = np.asarray(ordinals, dtype=np.int64)
    values = np.asarray(amounts, dtype=np.int64)
    if skip:  # calendar intervals (gap months explain missing payments); the stopped clock for the rest
        real, days = days, without_days(days, skip)
        found = (cadence_of(np.diff(real).astype(float), explained_steps(real, skip)) if CALENDAR_GAPS
                 else cadence_of(np.diff(days).astype(float)))
        now = dt.date.fromordinal(int(without_days(np.array([as_of.toordinal()]), skip)[0]))
    else:
        real, now = days, as_of
        found = cadence_of(np.diff(days).astype(float))
    if found is None:
        return None
    cadence, interval = found
    if n < cadence.min_occurrences:
        return None
    recent = values[-RECENT_AMOUNTS:].astype(float)
    median = _median(recent)
    if median <= 0 or _median(np.abs(recent - median)) / median > AMOUNT_TOLERANCE:
        return None
    # Whether it still runs, and at what amount, only regular-sized occurrences tell (an off-size one
    # -- a small correction from the same payer -- never makes a series recurring either: the tests
    # above saw every occurrence).
    regular = regular_sized(values, median)
    if regular is not None:
        days, values, real = days[regular], values[regular], real[regular]
        n = len(days)
    if now.toordinal() - int(days[-1]) > stopped_after_days(cadence, kind):
        return None  # stopped: a cancelled subscription (or a job that ended) is not upcoming
    amount, increase, previous = projected_amount([int(v) for v in values])
    last = dt.date.fromordinal(int(real[-1]))
    k = 1  # a payment missed (a skip the cadence tolerates) is not next: never before the day known (session 22,
    while (due := last + cadence.step * k) < as_of:  # newuser22b: a "Next date" on Reports before the data ended)
        k += 1
    return Recurrence(
        cadence=cadence.name, interval_days=interval, amount_minor=amount, per_year=cadence.per_year,
        price_increase=increase, previous_amount_minor=previous, occurrences=n, last_date=last,
        next_date=due, paid_share=paid_share(days, cadence, now),
    )


def detect_dates(dates: Sequence[dt.date], amounts: Sequence[int], as_of: dt.date,
                 kind: str | None = None) -> Recurrence | None:
    """:func:`detect` for sorted distinct dates."""
    return detect([d.toordinal() for d in dates], amounts, as_of, kind)
