"""Income or spending by category: totals, monthly trends and monthly averages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

import pandas as pd
from sqlalchemy.orm import Session

from budgetwise.services import rates
from budgetwise.services.reports.periods import months_between
from budgetwise.services.reports.rollup import _sums
from budgetwise.services.reports.scope import (
    ReportFilter,
    _int,
    _round_div,
    _Scope,
    _scope,
    _validate_kind,
    _with_missing,
)
from budgetwise.services.reports.totals import _typed


def by_category(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Totals and counts per category, largest first.

    Columns: category_id (None = uncategorized), category, color, amount_minor,
    count, average_minor (per transaction), share (percent of the total).

    ``df.attrs["total_minor"]``: the selection's total as the summary states it (its income or expenses).
    Converted amounts are rounded once per figure, so the categories' own figures may add up to a cent or
    so more or less (docs/currencies.md); the donut's "spent" showed €389,283.41 beside the expense card's
    €389,283.42 (session 20).
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    others: set[str] = set()
    sums = _sums(session, scope, flt, ("category_id",), kind=kind, currencies=others)
    # only with converted amounts (else the categories add up exactly); its own converter, as the summary's,
    # so that a missing rate is noted once
    exact = _sums(session, replace(scope, fx=rates.Converter(session, scope.currency, user_id=scope.user_id)),
                  flt, (), kind=kind) if others else None
    rows = [(cid, total, cnt) for (cid,), (total, cnt) in sums.items()]
    grand = sum(r[1] for r in rows)
    records = [
        {
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "amount_minor": total,
            "count": cnt,
            "average_minor": _round_div(total, cnt),
            "share": total / grand * 100.0 if grand else 0.0,
        }
        for cid, total, cnt in rows
    ]
    records.sort(key=lambda r: (-r["amount_minor"], r["category"]))
    columns = ["category_id", "category", "color", "amount_minor", "count", "average_minor", "share"]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    df = _with_missing(_typed(df), scope)
    df.attrs["total_minor"] = exact.get((), (grand, 0))[0] if exact is not None else grand
    return df


def _category_months(session: Session, scope: _Scope, flt: ReportFilter, kind: str) -> dict[tuple[int | None, dt.date], int]:
    sums = _sums(session, scope, flt, ("category_id",), kind=kind, time="month")
    return {(cid, month): total for (cid, month), (total, _) in sums.items()}


def category_trend(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Spending (or income) per category per month, long format with zero months filled.

    Columns: month, category_id, category, color, amount_minor. Categories are
    ordered by their total, largest first.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    cells = _category_months(session, scope, flt, kind)
    columns = ["month", "category_id", "category", "color", "amount_minor"]
    if not cells:
        return _with_missing(_typed(pd.DataFrame(columns=columns)), scope)
    months = months_between(flt.date_from or min(m for _, m in cells), flt.date_to or max(m for _, m in cells))
    totals: dict[int | None, int] = defaultdict(int)
    for (cid, _), amount in cells.items():
        totals[cid] += amount
    order = sorted(totals, key=lambda c: (-totals[c], scope.category_name(c)))
    records = [
        {
            "month": m,
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "amount_minor": cells.get((cid, m), 0),
        }
        for cid in order
        for m in months
    ]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    return _with_missing(_typed(df), scope)


def trend_wide(trend: pd.DataFrame) -> pd.DataFrame:
    """:func:`category_trend` as one row per category and one ``YYYY-MM_minor`` column per month."""
    if trend.empty:
        return pd.DataFrame(columns=["category"])
    months = sorted(set(trend["month"]))
    order = list(dict.fromkeys(trend["category"]))
    cells = {(c, m): int(a) for c, m, a in zip(trend["category"], trend["month"], trend["amount_minor"])}
    records = [{"category": c, **{f"{m.strftime('%Y-%m')}_minor": cells.get((c, m), 0) for m in months}} for c in order]
    return pd.DataFrame.from_records(records)


def _months_in(flt: ReportFilter, data_first: dt.date | None, data_last: dt.date | None) -> int:
    first = flt.date_from or data_first
    last = flt.date_to or data_last
    if first is None or last is None or first > last:
        return 0
    return len(months_between(first, last))


def average_monthly_by_category(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Average monthly spending per category over the period (months without spending count as 0).

    Columns: category_id, category, color, total_minor, months, average_minor, share.

    A category's total is :func:`by_category`'s (one figure per category): added up from its months, each
    month's converted amounts rounded on their own, it differed by a cent from the table beside it
    (Uncategorized €153,261.25 here, €153,261.24 there; session 20).
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    totals = {cid: total for (cid,), (total, _) in _sums(session, scope, flt, ("category_id",), kind=kind).items()}
    rows = [(cid, total, None, None) for cid, total in totals.items()]
    columns = ["category_id", "category", "color", "total_minor", "months", "average_minor", "share"]
    if not rows:
        return _with_missing(_typed(pd.DataFrame(columns=columns)), scope)
    if flt.date_from is not None and flt.date_to is not None:
        months = _months_in(flt, None, None)
    else:  # open-ended: from the first to the last month with any (its own converter: missing rates noted once)
        cells = _category_months(session, replace(scope, fx=rates.Converter(session, scope.currency, user_id=scope.user_id)),
                                 flt, kind)
        months = _months_in(flt, min(m for _, m in cells), max(m for _, m in cells))
    grand = sum(_int(r[1]) for r in rows)
    records = [
        {
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "total_minor": _int(total),
            "months": months,
            "average_minor": _round_div(_int(total), months),
            "share": _int(total) / grand * 100.0 if grand else 0.0,
        }
        for cid, total, _, _ in rows
    ]
    records.sort(key=lambda r: (-r["total_minor"], r["category"]))
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    return _with_missing(_typed(df), scope)
