"""Month-end balances per account over time (issue #19; the Accounts page's chart), from one GROUP BY.

Moved out of :mod:`budgetwise.services.accounts` in session 24 (which keeps ``accounts.balance_history``). A row in
another currency than its account is converted into the account's currency at its own day's rate, as
``accounts.balances`` does (``accounts._foreign_day``); each month end's balance goes to the base currency at that
month end's rate. A missing rate is named (on the rows' day, or the month end's), never 1.0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.models import Account, Transaction
from budgetwise.services import rates
from budgetwise.services.accounts import (
    _account_expr,
    _default_id_or_none,
    _foreign_day,
    _opening_start,
    _signed_sum,
)


@dataclass(frozen=True)
class BalancePoint:
    month_end: dt.date
    account_id: int
    balance_minor: int  # account currency
    base_minor: int | None
    # the account had started by this month end (its opening balance counted, or it had transactions):
    # charts leave out the months before, instead of drawing a balance of 0 there
    started: bool = True


def _month_ends(today: dt.date, months: int) -> list[dt.date]:
    first_month = today.replace(day=1)
    for _ in range(int(months) - 1):
        first_month = (first_month - dt.timedelta(days=1)).replace(day=1)
    out: list[dt.date] = []
    m = first_month
    while m <= today:
        nxt = (m + dt.timedelta(days=32)).replace(day=1)
        out.append(min(nxt - dt.timedelta(days=1), today))
        m = nxt
    return out


def balance_history(
    session: Session, *, user_id: int, months: int = 24, today: dt.date | None = None
) -> tuple[tuple[BalancePoint, ...], tuple[rates.MissingRate, ...]]:
    """Month-end balances per account for the last ``months`` months (the current month ends today),
    from one GROUP BY (account, currency, month, and the day of a row in another currency than its account);
    values in the base currency at each month end's rate."""
    # the reports package is large and only this function needs it (importing a file does not)
    from budgetwise.services.reports.scope import _key_to_month, _month_key

    if not 1 <= int(months) <= 600:
        raise ValidationError("Show between 1 and 600 months of balances.", field="months")
    today = today or dt.date.today()
    base = rates.user_currency(session, user_id)
    rows = {r.id: r for r in session.scalars(select(Account).where(Account.user_id == user_id).order_by(Account.id))}
    default_id = _default_id_or_none(session, user_id)
    month = _month_key(cast(Any, SimpleNamespace(dialect=session.get_bind().dialect.name))).label("m")
    acct = _account_expr(default_id).label("acct")
    day = _foreign_day().label("fday")
    grouped = session.execute(
        select(acct, Transaction.currency, month, day, _signed_sum(), func.min(Transaction.date), func.count(),
               func.sum(Transaction.amount_minor))
        .select_from(Transaction)
        .outerjoin(Account, Account.id == _account_expr(default_id))
        .where(Transaction.user_id == user_id, Transaction.date <= today)
        .where((Account.opening_date.is_(None)) | (Transaction.date >= Account.opening_date))
        .group_by(acct, Transaction.currency, month, day)
    ).all()
    grouped = [g for g in grouped if g[0] is not None and int(g[0]) in rows]
    to_account = {cur: rates.Converter(session, cur, user_id=user_id) for cur in {r.currency for r in rows.values()}}
    for cur, conv in to_account.items():
        conv.prepare((g[1], g[3]) for g in grouped if g[3] is not None and rows[int(g[0])].currency == cur)
    flows: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))  # in the account's currency
    unconverted: dict[int, dt.date] = {}  # the first day of an account's rows without a rate
    first_days: dict[int, dt.date] = {}  # as in _native_balances: no second scan of the rows (session 18, perf)
    for account_id, currency, key, when, total, first, count, sizes in grouped:
        a = int(account_id)
        first_days[a] = min(first, first_days.get(a, first))
        value = int(total or 0)
        if when is not None:  # another currency than the account's: at the rows' own day's rate
            conv = to_account[rows[a].currency]
            converted = conv.convert_minor(value, currency, when)
            if converted is None:
                conv.note_missing(currency, when, int(sizes or 0), int(count))
                unconverted[a] = min(when, unconverted.get(a, when))
                continue
            value = converted
        flows[a][_key_to_month(key)] += value
    month_ends = _month_ends(today, months)
    to_base = rates.Converter(session, base, user_id=user_id)
    to_base.prepare((r.currency, d) for r in rows.values() for d in month_ends)
    points = []
    for account_id, row in rows.items():
        by_month = flows.get(account_id, {})
        opens = _opening_start(row, first_days.get(account_id))
        first_flow = min(by_month, default=None)
        for end in month_ends:
            started = opens <= end or (first_flow is not None and first_flow <= end)
            minor = sum(v for mon, v in by_month.items() if mon <= end)
            if opens <= end:
                minor += int(row.opening_balance_minor)
            in_base: int | None = None
            if unconverted.get(account_id, end + dt.timedelta(days=1)) > end:  # else: named on the rows' day
                in_base = to_base.convert_minor(minor, row.currency, end)
                if in_base is None:
                    to_base.note_missing(row.currency, end, minor, 0, balances=1)
            points.append(BalancePoint(end, account_id, minor, in_base, started))
    return tuple(points), to_base.missing + tuple(m for c in to_account.values() for m in c.missing)
