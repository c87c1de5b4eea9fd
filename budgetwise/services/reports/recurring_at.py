"""Recurring payments as known on several dates, from one read (the forecast's backtest origins).

``detect_recurring_at(session, user_id=..., dates=ds)`` returns, for every date ``d`` of ``ds``,
exactly ``detect_recurring(session, user_id=..., as_of=d)``: the same series, found by the same
rule (:mod:`budgetwise.analysis.recurring`, through :mod:`.recurring`'s candidate filter, series
rows and description), in the same order. What differs is the reading: the rows of every date's
lookback window are read once (one grouped scan per (merchant, kind, currency, day) over the
union of the windows) and each date takes its window's slice, where ``detect_recurring`` asks
the database three times per date. Nothing after a date is used for that date.

The candidate filter's statistics (count, sum, sum of squares, distinct days, first and last
day of the window) are computed here in integers; SQL sums the squares in floating point, which
is exact while every partial sum is below 2**53. When a user's amounts are large enough for that
to fail (or, on MySQL/MariaDB, whose ``CAST(... AS FLOAT)`` may be single precision, any amount
from 2**24 minor units), each date is detected by ``detect_recurring`` instead.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from itertools import accumulate

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.models import Transaction
from budgetwise.services.reports.recurring import (
    RECURRING_LOOKBACK_DAYS,
    SHORT_LOOKBACK_DAYS,
    RecurringPayment,
    _candidate,
    _describe,
    _descriptions,
    _detect_one,
    detect_recurring,
    gap_spans,
    knows_gaps,
    user_gaps,
)
from budgetwise.services.reports.scope import (
    ReportFilter,
    _as_date,
    _merchant_window,
    _plain_rows,
    _Scope,
    _scope,
    _where,
)

_EXACT_FLOAT = 2**53  # integers below this are exact doubles, and so are their sums
_EXACT_SINGLE = 2**24  # the same for single precision


class _Series:
    """One (merchant, kind, currency) series' days, each with what ``detect_recurring``'s queries read."""

    __slots__ = ("ordinals", "dates", "amounts", "last_ids", "cids", "count", "total", "squares")

    def __init__(self, days: dict[int, list]) -> None:
        ordered = sorted(days.items())
        self.ordinals = [o for o, _ in ordered]
        self.dates = [dt.date.fromordinal(o) for o in self.ordinals]
        self.amounts = [v[0] for _, v in ordered]
        self.last_ids = [v[1] for _, v in ordered]
        self.cids = [v[2] for _, v in ordered]
        # running totals with a leading 0: a window's statistic is a difference of two
        self.count = [0, *accumulate(v[3] for _, v in ordered)]
        self.total = [0, *accumulate(v[0] for _, v in ordered)]
        self.squares = [0, *accumulate(v[4] for _, v in ordered)]

    def window(self, start: int, end: int) -> tuple[int, int]:
        return bisect.bisect_left(self.ordinals, start), bisect.bisect_right(self.ordinals, end)


def _read(session: Session, scope: _Scope, start: dt.date, end: dt.date) -> dict[tuple[str, str, str], _Series] | None:
    """Every (merchant, kind, currency) series with a payment in [start, end], per day; None when the
    floating-point statistics of SQL could differ from the exact ones (see the module's text)."""
    flt = ReportFilter(date_from=start, date_to=end)
    where = [*_where(scope, flt, currency=False, dates=False), Transaction.merchant != "", *_merchant_window(scope, flt)]
    stmt = select(
        Transaction.merchant, Transaction.kind, Transaction.currency, Transaction.date, Transaction.amount_minor,
        Transaction.id, Transaction.category_id,
    ).where(*where)
    single = scope.dialect not in ("sqlite", "postgresql")
    per_day: dict[tuple[str, str, str], dict[int, list]] = defaultdict(dict)
    ordinals: dict[object, int] = {}
    for m, kind, cur, raw_day, amount, tid, cid in _plain_rows(session, stmt):
        day = ordinals.get(raw_day)
        if day is None:
            day = ordinals[raw_day] = _as_date(raw_day).toordinal()
        amount = int(amount)
        if single and abs(amount) >= _EXACT_SINGLE:
            return None
        slot = per_day[(m, kind, cur)].get(day)
        if slot is None:
            per_day[(m, kind, cur)][day] = [amount, tid, cid, 1, amount * amount]
        else:  # SUM(amount), MAX(id), MAX(category_id) (NULLs ignored), COUNT(*), SUM(amount * amount)
            slot[0] += amount
            slot[1] = max(slot[1], tid)
            slot[2] = cid if slot[2] is None else slot[2] if cid is None else max(slot[2], cid)
            slot[3] += 1
            slot[4] += amount * amount
    out = {key: _Series(days) for key, days in per_day.items()}
    if any(s.squares[-1] >= _EXACT_FLOAT or abs(s.total[-1]) >= _EXACT_FLOAT for s in out.values()):
        return None
    return out


def _detect_on(scope: _Scope, read: dict[tuple[str, str, str], _Series], as_of: dt.date,
               skip: tuple[tuple[int, int], ...] = ()) -> list:
    """``detect_recurring``'s (key, rows, found) list on ``as_of``, in its order, before descriptions (``skip``:
    the gap months' days by ``as_of``)."""
    end = as_of.toordinal()
    start = end - RECURRING_LOOKBACK_DAYS
    candidates: set[tuple[str, str, str]] = set()
    frequent: set[tuple[str, str, str]] = set()
    for key, s in read.items():
        lo, hi = s.window(start, end)
        cnt = s.count[hi] - s.count[lo]
        if cnt < 2:  # HAVING COUNT(*) >= 2
            continue
        found = _candidate(key[0], s.ordinals[hi - 1] - s.ordinals[lo], hi - lo, cnt, s.total[hi] - s.total[lo],
                           s.squares[hi] - s.squares[lo], end - s.ordinals[hi - 1])
        if found is not None:
            candidates.add(key)
            if found:
                frequent.add(key)
    # detect_recurring's series order: its (frequent, kind, currency) groups in order of first appearance
    by_pair: dict[tuple[bool, str, str], list[str]] = defaultdict(list)
    for m, kind, cur in sorted(candidates):
        by_pair[((m, kind, cur) in frequent, kind, cur)].append(m)
    short_start = (as_of - dt.timedelta(days=SHORT_LOOKBACK_DAYS)).toordinal()
    detected = []
    for (is_frequent, kind, cur), group in by_pair.items():
        for m in group:
            s = read[(m, kind, cur)]
            lo, hi = s.window(max(start, short_start) if is_frequent else start, end)
            if hi == lo:
                continue
            rows = [(s.dates[i], s.amounts[i], s.last_ids[i], s.cids[i]) for i in range(lo, hi)]
            recurrence = _detect_one(m, kind, cur, rows, as_of, skip)
            if recurrence is not None:
                detected.append(((m, kind, cur), rows, recurrence))
    return detected


def detect_recurring_at(
    session: Session, *, user_id: int, dates: Sequence[dt.date], know_gaps: bool | None = None,
) -> dict[dt.date, list[RecurringPayment]]:
    """``{d: detect_recurring(session, user_id=user_id, as_of=d, know_gaps=know_gaps) for d in dates}``, read once
    (the gap months too: asked once up to the last date)."""
    days = sorted(set(dates))
    if not days:
        return {}
    scope = _scope(session, user_id)
    read = _read(session, scope, days[0] - dt.timedelta(days=RECURRING_LOOKBACK_DAYS), days[-1])
    if read is None:
        return {d: detect_recurring(session, user_id=user_id, as_of=d, know_gaps=know_gaps) for d in dates}
    gaps, per_month = user_gaps(session, user_id, days[-1]) if knows_gaps(know_gaps) else ((), {})
    found = {d: _detect_on(scope, read, d, gap_spans(gaps, d, per_month)) for d in days}
    # one read of the descriptions for every date (detect_recurring reads them per date)
    last_ids = sorted({rows[-1][2] for detected in found.values() for _, rows, _ in detected})
    descriptions = _descriptions(session, scope, last_ids)
    out: dict[dt.date, list[RecurringPayment]] = {}
    for d in days:
        items = _describe(session, scope, found[d], descriptions)
        items.sort(key=lambda r: (-r.yearly_cost_minor, r.merchant))
        out[d] = items
    return {d: list(out[d]) for d in dates}

