"""Where the Accounts page's month-end balance chart ends (issue #19, session 24, acct24; session 25, known25).

A history that stopped long ago (a trial's budgeting-app export ends in December 2022) drew its chart's window of
the last 12 months up to today: flat lines from March to November 2026 and none of the data. The balances there are
no data, only the last known ones carried forward. So the chart ends at the last day a balance is known
(:func:`budgetwise.services.balance_known.last_known`, the one owner: the newest transaction, confirmed balance or
opening date of any of the user's accounts) when that day is out of date by the one rule of "the data is old"
(:func:`budgetwise.services.cashflow.out_of_date_since`); a recent history ends today. Since session 25 an opening date
counts (an account with only an opening balance given for 1 March is drawn up to 1 March in December, as the Cash flow
page calls it old); before, it was ignored here and counted on the Cash flow page. The chart's end and "out of date"
are then the same day and the same rule; what differs from the Cash flow page is only which accounts are asked (all
of them here: net worth).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from budgetwise.services.balance_known import KnownDay, last_known


@dataclass(frozen=True)
class BalanceWindow:
    end: dt.date  # the last day the chart shows (its last month end)
    known: KnownDay = KnownDay()  # what is known, each fact's newest day (balance_known.last_known)
    # the chart stops before today (the data is out of date): the page says so. A field, not ``end == last_known``:
    # that also held for data from today (session 25: "the chart ends there" under a current history)
    ends_early: bool = False

    @property
    def last_known(self) -> dt.date | None:
        """The last day a balance is known (None: nothing is)."""
        return self.known.day


def balance_window(session: Session, *, user_id: int, today: dt.date | None = None) -> BalanceWindow:
    """The chart's window end: the last known day when it is out of date, else ``today``."""
    today = today or dt.date.today()
    known = last_known(session, user_id=user_id, today=today)
    if known.out_of_date(today):
        return BalanceWindow(known.day or today, known, ends_early=True)
    return BalanceWindow(today, known)
