"""Top merchants of a period (merchant or description, grouped in SQL)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.models import Transaction
from budgetwise.services import rates
from budgetwise.services.reports.scope import (
    ReportFilter,
    _currency_literal,
    _fx_date,
    _int,
    _merchant_window,
    _round_div,
    _run,
    _scope,
    _validate_kind,
    _where,
    _with_missing,
)
from budgetwise.services.reports.totals import _typed


def top_merchants(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense", limit: int = 10
) -> pd.DataFrame:
    """The merchants with the most spending (``Transaction.merchant``; the description when empty).

    Columns: merchant, example (one full description), count, amount_minor,
    average_minor, share (percent of the kind's total), last_date.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    limit = max(1, min(int(limit), 500))
    where = _where(scope, flt, kind=kind, currency=False, dates=False)
    # Grouped by merchant (and by (currency, day) for other currencies, converted here);
    # ranked in Python: amounts in several currencies cannot be ordered in SQL. Rows in the
    # user's currency with a merchant key are grouped in the merchant index's own order (no
    # sort); rows in other currencies by (merchant, currency, day); the few without a key by
    # their description. The latest date (and the example: the description of the group's
    # highest id) of the user's-currency groups is read for the merchants shown only.
    own = _currency_literal(scope)
    base = Transaction.currency == own
    fx_day = _fx_date(scope).label("fx_day")
    dated = _where(scope, flt, kind=kind, currency=False)
    groups = []
    details: dict[str, tuple[int, dt.date]] = {}

    def note(m: str, last_id: int, last: dt.date) -> None:
        seen = details.get(m)
        if seen is None or (last, last_id) > (seen[1], seen[0]):
            details[m] = (int(last_id), last)

    own_keyed = [*where, *_merchant_window(scope, flt), Transaction.merchant != "", base]
    stmt = select(Transaction.merchant, func.sum(Transaction.amount_minor), func.count()).where(*own_keyed).group_by(
        Transaction.merchant)
    groups += [((m,), scope.currency, None, _int(amount), _int(cnt)) for m, amount, cnt in _run(session, stmt)]
    queries = (
        ((Transaction.merchant, Transaction.currency, fx_day), [*dated, Transaction.merchant != "", ~base]),
        ((func.lower(Transaction.description), Transaction.currency, fx_day), [*dated, Transaction.merchant == ""]),
    )
    for group, clauses in queries:
        stmt = (
            select(group[0].label("m"), Transaction.currency, fx_day, func.sum(Transaction.amount_minor), func.count(),
                   func.max(Transaction.id), func.max(Transaction.date))
            .where(*clauses)
            .group_by(*group)
        )
        for m, cur, day, amount, cnt, last_id, last in _run(session, stmt):
            groups.append(((m,), cur, day, _int(amount), _int(cnt)))
            note(m, last_id, last)
    sums = rates.sum_converted(scope.fx, groups)
    total = sum(amount for amount, _ in sums.values())
    ranked = sorted(sums.items(), key=lambda item: (-item[1][0], item[0][0] or ""))[:limit]
    shown = [m for (m,), _ in ranked if m]
    if shown:
        latest = (select(Transaction.merchant, func.max(Transaction.id), func.max(Transaction.date))
                  .where(*own_keyed, Transaction.merchant.in_(shown)).group_by(Transaction.merchant))
        for m, last_id, last in _run(session, latest):
            note(m, last_id, last)
    example_ids = [details[m][0] for (m,), _ in ranked if m in details]
    examples = dict(_run(session, select(Transaction.id, Transaction.description).where(
        Transaction.user_id == scope.user_id, Transaction.id.in_(example_ids))).all()) if example_ids else {}
    records = [
        {
            "merchant": m or "(no description)",
            "example": examples.get(details[m][0], "") if m in details else "",
            "count": cnt,
            "amount_minor": amt,
            "average_minor": _round_div(amt, cnt),
            "share": amt / total * 100.0 if total else 0.0,
            "last_date": details.get(m, ("", None))[1],
        }
        for (m,), (amt, cnt) in ranked
    ]
    columns = ["merchant", "example", "count", "amount_minor", "average_minor", "share", "last_date"]
    return _with_missing(_typed(pd.DataFrame.from_records(records, columns=columns)), scope)
