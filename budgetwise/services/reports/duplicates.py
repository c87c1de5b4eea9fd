"""Likely duplicate transactions: same amount, similar text, close dates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from budgetwise.models import Transaction
from budgetwise.money import format_money
from budgetwise.services.reports.anomalies import _default_window
from budgetwise.services.reports.scope import ReportFilter, _as_date, _plain_rows, _run, _scope, _where, merchant_expr


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
    merchant = merchant_expr().label("m")
    where = _where(scope, period, currency=False)
    groups_stmt = (
        select(merchant, Transaction.amount_minor, Transaction.kind, Transaction.currency, func.count())
        .where(*where)
        .group_by(merchant, Transaction.amount_minor, Transaction.kind, Transaction.currency)
        .having(func.count() > 1)
        .limit(2000)
    )
    groups = {(m, int(a), k, c): int(n) for m, a, k, c, n in _run(session, groups_stmt)}
    if not groups:
        return []
    # clusters of two or more rows; a habitual series only counts rows entered twice on one day
    found: list[tuple[tuple, list[tuple]]] = []
    for key, rows in _group_rows(session, where, groups).items():
        habitual = groups[key] > 3
        for cluster in clusters_within(rows, window_days):
            if len(cluster) >= 2 and not (habitual and cluster[0][1] != cluster[-1][1]):
                found.append((key, cluster))
    details = _details(session, scope.user_id, [r[0] for _, cluster in found for r in cluster])
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
        reason = _reason(cluster, format_money(amount, cur, scope.locale), days, identical, same_day)
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


def _literal_ints(values: list[int]):
    """Integers written into the SQL (they come from the database): one statement for thousands of
    values, where bound parameters would hit SQLite's 999-variable limit on older builds."""
    return bindparam("values", [int(v) for v in values], expanding=True, literal_execute=True)


def _group_rows(session: Session, where: list, groups: dict) -> dict[tuple, list[tuple[int, dt.date]]]:
    """(id, date) of the rows of the repeated (merchant, amount, kind, currency) groups, by date and id.

    Read from the covering index (no description, no table lookups) in one scan per 5,000
    amounts; the few rows without a merchant key are grouped by their description, as
    :func:`merchant_expr` does.
    """
    amounts = sorted({a for _, a, _, _ in groups})
    rows_by_group: dict[tuple, list] = defaultdict(list)
    days: dict[object, dt.date] = {}
    for chunk_start in range(0, len(amounts), 5000):
        chunk = _literal_ints(amounts[chunk_start : chunk_start + 5000])
        for key_col, blank in ((Transaction.merchant, Transaction.merchant != ""),
                               (func.lower(Transaction.description), Transaction.merchant == "")):
            stmt = select(Transaction.id, Transaction.date, key_col, Transaction.amount_minor, Transaction.kind,
                          Transaction.currency).where(*where, blank, Transaction.amount_minor.in_(chunk))
            for tid, raw, m, amount, kind, cur in _plain_rows(session, stmt):
                key = (m, int(amount), kind, cur)
                if key in groups:
                    day = days.get(raw)
                    if day is None:
                        day = days[raw] = _as_date(raw)
                    rows_by_group[key].append((int(tid), day))
    for rows in rows_by_group.values():
        rows.sort(key=lambda r: (r[1], r[0]))
    return rows_by_group


def _details(session: Session, user_id: int, ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """{id: (description, category_id)} of the rows shown."""
    out: dict[int, tuple[str, int | None]] = {}
    for start in range(0, len(ids), 5000):
        stmt = select(Transaction.id, Transaction.description, Transaction.category_id).where(
            Transaction.user_id == user_id, Transaction.id.in_(_literal_ints(ids[start : start + 5000])))
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


def _reason(cluster: list[tuple], money_text: str, days: int, identical: bool, same_day: bool) -> str:
    if identical:
        return (
            f"{len(cluster)} transactions on {cluster[0][1].isoformat()} with the same amount "
            f"({money_text}) and description: probably entered or imported twice."
        )
    if same_day:
        return f"{len(cluster)} payments of {money_text} to the same merchant on the same day."
    return f"{len(cluster)} payments of {money_text} to the same merchant within {days} day{'s' if days != 1 else ''}."
