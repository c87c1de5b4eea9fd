"""Sums by type, category, day or month, and the day rollup that serves a whole report from one read.

Every report that sums amounts by type and/or category (summary, totals by period, spending
by category, monthly averages, trends, changes, spikes) asks :func:`_sums`. Alone, each
question is one GROUP BY (``scope._converted``). A report made of many of them over the same
filters (``report_bundle``: the CLI, exports, the PDF) first opens :func:`day_rollup`: one
GROUP BY (date, type, currency, category) over the whole range, read in the order of
``ix_transactions_report_cover`` (no sort), after which every question whose range lies
inside it is answered from those rows in Python. For 100,000 transactions over three years
that is about 20,000 grouped rows read once instead of six scans of every row.

The answers are the same either way: base-currency amounts are integer sums, and other
currencies are converted per (currency, day) exactly as ``_converted`` groups them, then
summed and rounded once per key (``rates.sum_converted``).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.dates import month_end
from budgetwise.models import Transaction
from budgetwise.services import rates
from budgetwise.services.reports.scope import (
    ReportFilter,
    _as_date,
    _converted,
    _plain_rows,
    _Scope,
    _validate_kind,
    _where,
)

_INFO_KEY = "budgetwise.reports.day_rollup"
_POSITION = {"kind": 1, "category_id": 3}  # what a sum may be keyed by (besides the day or month): its place in a row


@dataclass
class _DayRollup:
    """One user's (date, kind, currency, category_id, sum, count) rows over ``date_from..date_to``.

    Read on first use, then kept twice: per day (any range) and, for the user's own currency,
    per month (ranges of whole months, the common case, walk a twentieth of the rows).
    """

    user_id: int
    filters: ReportFilter  # its dates are the rollup's range; its kind is ignored (rows hold every kind)
    rows: list[tuple[dt.date, str, str, int | None, int, int]] | None = None
    days: list[dt.date] = field(default_factory=list)
    month_rows: list[tuple[dt.date, str, str, int | None, int, int]] = field(default_factory=list)
    months: list[dt.date] = field(default_factory=list)
    foreign: list[tuple[dt.date, str, str, int | None, int, int]] = field(default_factory=list)
    foreign_days: list[dt.date] = field(default_factory=list)

    def serves(self, scope: _Scope, flt: ReportFilter) -> bool:
        own = self.filters
        return (
            scope.user_id == self.user_id
            and flt.date_from is not None and flt.date_to is not None
            and own.date_from is not None and own.date_to is not None
            and own.date_from <= flt.date_from and flt.date_to <= own.date_to
            and tuple(flt.category_ids) == tuple(own.category_ids)
            and flt.uncategorized == own.uncategorized
            and flt.text == own.text
        )

    def _load(self, session: Session, scope: _Scope) -> list[tuple]:
        if self.rows is not None:
            return self.rows
        group = (Transaction.date, Transaction.kind, Transaction.currency, Transaction.category_id)
        stmt = (
            select(*group, func.sum(Transaction.amount_minor), func.count())
            .where(*_where(scope, self.filters, kind=None, currency=False))
            .group_by(*group)
        )
        dates: dict[object, dt.date] = {}
        rows = []
        for raw, kind, currency, cid, total, count in _plain_rows(session, stmt):
            day = dates.get(raw)
            if day is None:
                day = dates[raw] = _as_date(raw)
            rows.append((day, kind, currency, cid, int(total or 0), int(count or 0)))
        rows.sort(key=lambda r: r[0])  # already in date order on SQLite; not promised elsewhere
        monthly: dict[tuple, list[int]] = {}
        for day, kind, currency, cid, total, count in rows:
            if currency == scope.currency:
                acc = monthly.setdefault((dt.date(day.year, day.month, 1), kind, currency, cid), [0, 0])
                acc[0] += total
                acc[1] += count
            else:
                self.foreign.append((day, kind, currency, cid, total, count))
        self.month_rows = [(*key, total, count) for key, (total, count) in monthly.items()]
        self.month_rows.sort(key=lambda r: r[0])
        self.months = [r[0] for r in self.month_rows]
        self.foreign_days = [r[0] for r in self.foreign]
        self.rows, self.days = rows, [r[0] for r in rows]
        return rows

    def sums(
        self, session: Session, scope: _Scope, flt: ReportFilter, keys: tuple[str, ...], *,
        kind: str | None, time: str | None, currencies: set[str] | None,
    ) -> dict[tuple, tuple[int, int]]:
        rows = self._load(session, scope)
        start, end = flt.date_from, flt.date_to
        assert start is not None and end is not None and scope.fx is not None  # see serves(); _scope makes fx
        if time != "day" and start.day == 1 and end == month_end(end):  # whole months
            parts = [_between(self.month_rows, self.months, start, end), _between(self.foreign, self.foreign_days, start, end)]
        else:
            parts = [_between(rows, self.days, start, end)]
        positions = [_POSITION[k] for k in keys]
        base = scope.currency
        totals: dict[tuple, int] = defaultdict(int)
        counts: dict[tuple, int] = defaultdict(int)
        foreign: dict[tuple, list[int]] = {}
        for part in parts:
            for row in part:
                if kind is not None and row[1] != kind:
                    continue
                key = tuple([row[p] for p in positions])
                if time == "month":
                    key += (row[0] if row[0].day == 1 else dt.date(row[0].year, row[0].month, 1),)
                elif time == "day":
                    key += (row[0],)
                if row[2] == base:
                    totals[key] += row[4]
                    counts[key] += row[5]
                else:  # one group per (key, currency, day), as _converted groups other currencies
                    acc = foreign.setdefault((key, row[2], row[0]), [0, 0])
                    acc[0] += row[4]
                    acc[1] += row[5]
                    if currencies is not None:
                        currencies.add(row[2])
        out = {key: (totals[key], counts[key]) for key in counts}
        converted = rates.sum_converted(scope.fx, [(k, c, d, t, n) for (k, c, d), (t, n) in foreign.items()])
        for key, (total, count) in converted.items():
            old_total, old_count = out.get(key, (0, 0))
            out[key] = (old_total + total, old_count + count)
        return out


def _between(rows: list[tuple], dates: list[dt.date], start: dt.date, end: dt.date) -> list[tuple]:
    """The rows (sorted by their first field, listed in ``dates``) from ``start`` to ``end``."""
    return rows[bisect.bisect_left(dates, start): bisect.bisect_right(dates, end)]


@contextmanager
def day_rollup(session: Session, scope: _Scope, flt: ReportFilter) -> Iterator[None]:
    """Within the block, :func:`_sums` over ``flt``'s filters and a range inside its dates read one rollup.

    The rows are read when first needed. Nothing is kept after the block (the session may
    write again), and a block inside another keeps the outer one.
    """
    if flt.date_from is None or flt.date_to is None or _INFO_KEY in session.info:
        yield
        return
    session.info[_INFO_KEY] = _DayRollup(user_id=scope.user_id, filters=flt)
    try:
        yield
    finally:
        session.info.pop(_INFO_KEY, None)


def _sums(
    session: Session,
    scope: _Scope,
    flt: ReportFilter,
    keys: tuple[str, ...],
    *,
    kind: str | None = "filter",
    time: str | None = None,
    currencies: set[str] | None = None,
) -> dict[tuple, tuple[int, int]]:
    """SUM(amount_minor) and COUNT in the user's currency per ``keys`` (``kind`` / ``category_id``)
    plus a ``day`` / ``month`` bucket, of the non-transfer transactions under ``flt``.

    ``kind`` is ``"filter"`` (the filter's type), a type, or None (both). Returns
    ``{(*key values[, bucket]): (amount_minor, count)}``; the other currencies present are
    added to ``currencies``. Served by the open :func:`day_rollup` when it covers ``flt``.
    """
    wanted = _validate_kind(flt.kind) if kind == "filter" else kind
    rollup = session.info.get(_INFO_KEY)
    if isinstance(rollup, _DayRollup) and rollup.serves(scope, flt):
        return rollup.sums(session, scope, flt, keys, kind=wanted, time=time, currencies=currencies)
    columns = [getattr(Transaction, k) for k in keys]
    return _converted(session, scope, _where(scope, flt, kind=wanted, currency=False), columns,
                      time=time, currencies=currencies)
