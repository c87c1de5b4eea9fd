"""Likely duplicate transactions: same amount, similar text, close dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.dates import day_text
from budgetwise.db import chunked
from budgetwise.models import Transaction
from budgetwise.money import format_money
from budgetwise.services.preferences import user_date_format
from budgetwise.services.reports.anomalies import _default_window
from budgetwise.services.reports.scope import (
    _LITERAL_CHUNK,
    ReportFilter,
    _as_date,
    _literal_ints,
    _merchant_window,
    _plain_rows,
    _run,
    _Scope,
    _scope,
    _where,
)
from budgetwise.text import plural


@dataclass(frozen=True)
class DuplicateGroup:
    transaction_ids: tuple[int, ...]
    dates: tuple[dt.date, ...]
    description: str
    merchant: str
    amount_minor: int
    currency: str
    kind: str
    category_name: str
    days_apart: int
    identical: bool  # same date and same description
    reason: str


def likely_duplicates(
    session: Session,
    *,
    user_id: int,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
    window_days: int = 3,
    limit: int = 100,
) -> list[DuplicateGroup]:
    """Transactions that look entered or imported twice.

    Same merchant, amount, type and currency within ``window_days`` days. Rows
    on the same date with the same description are always flagged; rows a few
    days apart only when that merchant and amount is not a habit (at most three
    times in the period: the same coffee every day is not a duplicate). The
    period defaults to the last 90 days.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    start, end = _default_window(flt, today, 90)
    period = flt.with_dates(start, end)
    groups, rows_by_group = _repeated_groups(session, scope, period)
    if not groups:
        return []
    # clusters of two or more rows; a habitual series only counts rows entered twice on one day
    found: list[tuple[tuple, list[tuple]]] = []
    for key, rows in rows_by_group.items():
        habitual = groups[key] > 3
        for cluster in clusters_within(rows, window_days):
            if len(cluster) >= 2 and not (habitual and cluster[0][1] != cluster[-1][1]):
                found.append((key, cluster))
    details = _details(session, scope.user_id, [r[0] for _, cluster in found for r in cluster])
    date_format = user_date_format(session, user_id)  # the reason's day, as the user writes dates
    out: list[DuplicateGroup] = []
    for (m, amount, kind, cur), id_rows in found:
        habitual = groups[(m, amount, kind, cur)] > 3
        cluster = [(tid, day, *details[tid]) for tid, day in id_rows]
        days = (cluster[-1][1] - cluster[0][1]).days
        same_day = days == 0
        same_desc = len({r[2].casefold() for r in cluster}) == 1
        identical = same_day and same_desc
        if not identical and habitual:
            continue
        reason = _reason(cluster, format_money(amount, cur, scope.locale), days, identical, same_day,
                         day_text(cluster[0][1], date_format, scope.locale))
        out.append(
            DuplicateGroup(
                transaction_ids=tuple(r[0] for r in cluster),
                dates=tuple(r[1] for r in cluster),
                description=cluster[0][2],
                merchant=m or "",
                amount_minor=amount,
                currency=cur,
                kind=kind,
                category_name=scope.category_name(cluster[0][3]),
                days_apart=days,
                identical=identical,
                reason=reason,
            )
        )
    out.sort(key=lambda g: g.dates[-1], reverse=True)
    out.sort(key=lambda g: not g.identical)
    return out[: max(1, int(limit))]


_MAX_GROUPS = 2000


def _repeated_groups(session: Session, scope: _Scope, period: ReportFilter) -> tuple[dict, dict]:
    """The first 2,000 repeated (merchant key, amount, kind, currency) groups in key order, with
    their rows: ({key: count}, {key: [(id, date), ...] by date and id}).

    The merchant key is :func:`merchant_expr`'s. Rows with a merchant are read in merchant
    order from ix_transactions_user_id_merchant (id and date included, no table lookups, no
    sort); on SQLite, whose text order is Python's, the scan stops once 2,000 repeated groups
    are complete, so a long history is read only as far as the groups listed. The few rows
    without a merchant key are read whole and grouped by their lower-cased description.
    """
    base = _where(scope, period, currency=False, dates=False)
    rows_by_key: dict[tuple, list[tuple[int, dt.date, int]]] = {}  # (id, date, category id; -1: none)
    days: dict[object, dt.date] = {}
    blank_ids: set[int] = set()

    blank = select(Transaction.id, Transaction.date, Transaction.category_id, func.lower(Transaction.description), Transaction.amount_minor,
                   Transaction.kind, Transaction.currency).where(*base, *_merchant_window(scope, period),
                                                                 Transaction.merchant == "")
    for tid, raw, cid, m, amount, kind, cur in _plain_rows(session, blank):
        day = days.get(raw)
        if day is None:
            day = days[raw] = _as_date(raw)
        rows_by_key.setdefault((m, int(amount), kind, cur), []).append((int(tid), day, -1 if cid is None else cid))
        blank_ids.add(int(tid))
    blank_keys = sorted(rows_by_key)
    early_stop = scope.dialect == "sqlite"
    counted: set[tuple] = set()
    pending: list[tuple] = []  # keys of the merchant being read
    next_blank = 0
    stmt = (select(Transaction.id, Transaction.date, Transaction.category_id, Transaction.merchant, Transaction.amount_minor, Transaction.kind,
                   Transaction.currency)
            .where(*base, Transaction.merchant != "", *_merchant_window(scope, period))
            .order_by(Transaction.merchant))
    result = _run(session, stmt)
    group_of, day_of = rows_by_key.get, days.get  # the loop below runs once per row: no calls it can spare
    try:
        current = None
        while batch := result.cursor.fetchmany(2000):
            for tid, raw, cid, m, amount, kind, cur in batch:
                if m != current:
                    if early_stop and current is not None:
                        counted.update(k for k in pending if len(rows_by_key[k]) > 1)
                        while next_blank < len(blank_keys) and blank_keys[next_blank][0] <= current:
                            if len(rows_by_key[blank_keys[next_blank]]) > 1:
                                counted.add(blank_keys[next_blank])
                            next_blank += 1
                        if len(counted) >= _MAX_GROUPS:
                            break
                    current, pending = m, []
                key = (m, int(amount), kind, cur)
                rows = group_of(key)
                if rows is None:
                    rows = rows_by_key[key] = []
                    pending.append(key)
                day = day_of(raw)
                if day is None:
                    day = days[raw] = _as_date(raw)
                rows.append((int(tid), day, -1 if cid is None else cid))
            else:
                continue
            break
    finally:
        result.close()
    repeated = sorted(k for k, rows in rows_by_key.items() if len(rows) > 1)[:_MAX_GROUPS]
    out = {k: sorted(((tid, day) for tid, day, _ in rows_by_key[k]), key=lambda r: (r[1], r[0]))
           for k in _first_seen_order(repeated, rows_by_key, blank_ids)}
    return {k: len(rows) for k, rows in out.items()}, out


def _first_seen_order(keys: list[tuple], rows_by_key: dict, blank_ids: set[int]) -> list[tuple]:
    """The groups in the order their first row comes in the date-ordered report index (date,
    kind, currency, category, amount, merchant, id), the groups with a merchant first: the
    order the report has always listed equally recent groups in."""
    def first(key: tuple) -> tuple:
        m, amount, kind, cur = key
        blank, day, cid, tid = min((tid in blank_ids, day, cid, tid) for tid, day, cid in rows_by_key[key])
        return (blank, day, kind, cur, cid, amount, "" if blank else m, tid)
    return sorted(keys, key=first)


def _details(session: Session, user_id: int, ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """{id: (description, category_id)} of the rows shown."""
    out: dict[int, tuple[str, int | None]] = {}
    for part in chunked(ids, _LITERAL_CHUNK):
        stmt = select(Transaction.id, Transaction.description, Transaction.category_id).where(
            Transaction.user_id == user_id, Transaction.id.in_(_literal_ints(part)))
        for tid, desc, cid in _run(session, stmt):
            out[int(tid)] = (desc or "", cid)
    return out


def clusters_within(rows: list[tuple], window_days: int) -> list[list[tuple]]:
    """Date-sorted rows (id, date, ...) cut into runs whose neighbours are at most ``window_days`` apart (pure)."""
    clusters: list[list] = []
    for row in rows:
        if clusters and (row[1] - clusters[-1][-1][1]).days <= window_days:
            clusters[-1].append(row)
        else:
            clusters.append([row])
    return clusters


def _reason(cluster: list[tuple], money_text: str, days: int, identical: bool, same_day: bool, day: str) -> str:
    if identical:
        return (
            f"{len(cluster)} transactions on {day} with the same amount "
            f"({money_text}) and description: probably entered or imported twice."
        )
    if same_day:
        return f"{len(cluster)} payments of {money_text} to the same merchant on the same day."
    return f"{len(cluster)} payments of {money_text} to the same merchant within {plural(days, 'day')}."
