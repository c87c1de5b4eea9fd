"""Where the Accounts page's month-end balance chart ends (issue #19, session 24, acct24).

A history that stopped long ago (a trial's budgeting-app export ends in December 2022) drew its chart's window of
the last 12 months up to today: flat lines from March to November 2026 and none of the data. The balances there are
no data, only the last known ones carried forward. So the chart ends at the last day something is known about the
balances, the newest transaction or the newest day a balance was confirmed to match the bank's (bal24's
``Account.balance_confirmed_on``), when that day is out of date by the one rule of "the data is old"
(:func:`budgetwise.services.cashflow.out_of_date_since`); a recent history still ends today. Accounts with only an
opening balance (no transaction, nothing confirmed) keep the window ending today: their balance is what the user set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.models import Account, Transaction


@dataclass(frozen=True)
class BalanceWindow:
    end: dt.date  # the last day the chart shows (its last month end)
    last_known: dt.date | None  # the newest transaction or confirmed balance (None: neither)

    @property
    def ends_early(self) -> bool:
        """Whether the chart stops before today (the data is out of date): the page says so."""
        return self.last_known is not None and self.end == self.last_known


def last_known(session: Session, *, user_id: int, today: dt.date) -> dt.date | None:
    """The newest day up to ``today`` with a transaction of the user or a balance confirmed to match the bank's
    (two indexed MAX queries, no rows loaded)."""
    newest = session.scalar(select(func.max(Transaction.date)).where(Transaction.user_id == user_id,
                                                                     Transaction.date <= today))
    confirmed = session.scalar(select(func.max(Account.balance_confirmed_on)).where(
        Account.user_id == user_id, Account.balance_confirmed_on <= today))
    return max((d for d in (newest, confirmed) if d is not None), default=None)


def balance_window(session: Session, *, user_id: int, today: dt.date | None = None) -> BalanceWindow:
    """The chart's window end: the last known day when it is out of date, else ``today``."""
    from budgetwise.services.cashflow import out_of_date_since

    today = today or dt.date.today()
    last = last_known(session, user_id=user_id, today=today)
    if last is not None and out_of_date_since(last, today):
        return BalanceWindow(last, last)
    return BalanceWindow(today, last)
