"""The last day a user's balance is known: the one owner (issue #19, session 25, known25).

Three facts tell the app what an account held on a day, and each counts the same way:

* a **transaction** on it (the newest one up to today; a row dated ahead is a plan, not a balance known today);
* a balance **confirmed** to match the bank's on it (``accounts.balance_confirmed_on``, migration 0035: the Accounts
  page's "Set a balance", a statement an import reconciled with or set the opening balance from); a day after today
  counts as today (:func:`statement_day`, the one rule for a statement's day, written and read through it);
* an **opening date**: the opening balance the user gave holds at the start of that day. "I set my savings balance to
  5,000 on 1 March and have not imported since" is, in December, a balance nine months old: nothing since 1 March is
  known, exactly as for a history whose newest row is from 1 March, and exactly as when the same figure was entered
  with "Set a balance" (which records a confirmed day). So it counts, as that day itself (the balance at its start;
  the chart then ends on a day that includes it, and one day is nothing to a 45-day rule). An opening balance
  *without* a date is not a fact about a day (it is what the account held when its history starts; the untouched
  starter account's 0 is one), so it does not count.

Before session 25 there were two readings: the Cash flow page counted the eve of an opening date in memory
(``cashflow.balance_known_on``) and the Accounts page's chart ignored opening dates in SQL
(``balance_window.last_known``), so the same account was "old" on one page and current on the other. Now
:func:`last_known` (two indexed MAX queries, no rows loaded: a 100,000-row user costs what a 10-row one does) decides
for the Accounts page's chart (:mod:`.balance_window`), the Cash flow page, the dashboard's outlook and
``budgetwise cashflow`` (:func:`.cashflow.stale_notes`), and the Goals page's chance (``goals.out_of_date_note``); the
rule applied to the day stays :func:`.cashflow.out_of_date_since`.

What still differs between the pages is **which accounts** are asked, on purpose: the Accounts chart and the Goals
page ask about every account (net worth; a goal's savings forecast is the whole history's), the Cash flow page about
the accounts it projects (the spending accounts, all, or one), so a savings balance confirmed today keeps the net-worth
chart current while a spending projection from an old checking history is still called old. And the Cash flow page
counts only the transactions it can convert to the base currency (rows in a currency without a rate are named as
newer but not counted: ``History.uncounted_until``), through :meth:`KnownDay.counting`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from budgetwise.dates import ISO_DATE, day_text
from budgetwise.models import Account, Transaction

# The opening words of a note whose newest fact is a balance, not a transaction (a user with no transaction in the
# accounts asked about); the other notes open with ``cashflow.STALE_NOTE`` ("Your newest transaction is from").
BALANCE_NOTE = "Your newest balance is"


@dataclass(frozen=True)
class KnownDay:
    """What is known about the balances of some accounts, each fact's newest day up to today (None: none)."""

    transaction: dt.date | None = None
    confirmed: dt.date | None = None
    opening: dt.date | None = None

    @property
    def balance(self) -> dt.date | None:
        """The newest day a balance is known without a transaction (a confirmed day or an opening date)."""
        return max((d for d in (self.confirmed, self.opening) if d is not None), default=None)

    @property
    def day(self) -> dt.date | None:
        """The last day a balance is known: the newest of the three (None: nothing is known, only today's zero)."""
        return max((d for d in (self.transaction, self.balance) if d is not None), default=None)

    def out_of_date(self, today: dt.date) -> bool:
        """Whether what is known is old on ``today`` by the one rule (:func:`.cashflow.out_of_date_since`)."""
        from budgetwise.services.cashflow import out_of_date_since

        return self.day is not None and out_of_date_since(self.day, today)

    def counting(self, newest_counted: dt.date | None) -> KnownDay:
        """The same facts with the newest transaction a caller could count (the Cash flow page's history leaves out
        rows in a currency without a rate: their days are no balance it knows)."""
        return replace(self, transaction=newest_counted)

    def says(self, date_format: str = ISO_DATE, locale: str | None = None) -> str:
        """The newest facts in words, the opening of an out-of-date note ("Your newest transaction is from 3 Jan
        2025 and your newest confirmed balance from 1 Mar 2025"); "" when nothing is known."""
        from budgetwise.services.cashflow import STALE_NOTE

        def on(d: dt.date) -> str:
            return day_text(d, date_format, locale)

        balance, t = self.balance, self.transaction
        if balance is None or (t is not None and t >= balance):
            return f"{STALE_NOTE} {on(t)}" if t is not None else ""
        if t is None:
            what = "the balance you confirmed for" if self.confirmed == balance else "the opening balance you gave for"
            return f"{BALANCE_NOTE} {what} {on(balance)}"
        if self.confirmed == balance:  # also when that day opened the account ("Set a balance" before the history)
            return f"{STALE_NOTE} {on(t)} and your newest confirmed balance from {on(balance)}"
        return f"{STALE_NOTE} {on(t)} and your opening balance from {on(balance)}"

def statement_day(day: dt.date, today: dt.date) -> dt.date:
    """The day a balance stated for ``day`` (a statement's, a confirmed one's) is known at, on ``today``: its own day,
    but never after today. The one rule for "a statement day that can be trusted" (session 26, bal26): the import
    writes a reconciled statement's day through it (``reconcile._confirmed_day``: a statement dated ahead, as rows may
    be, holds today's balance at most; session 25) and :func:`last_known` reads every stored confirmed day through it
    (the newest stored day, then the rule: the newest of the days each known at is the newest day known at). Before, the read dropped a confirmed day after the reader's today instead: a balance
    confirmed on the server's day (or "Set a balance" for the browser's day, which may be the server's tomorrow) read
    as nothing confirmed to a reader whose day was still the one before."""
    return min(day, today)


def last_known(session: Session, *, user_id: int, today: dt.date,
               account_ids: Collection[int] | None = None) -> KnownDay:
    """What is known about the balances of the user's accounts (``account_ids``: of those alone; another user's id is
    not found, as everywhere), up to ``today``: two indexed MAX queries, no rows loaded."""
    from budgetwise.services.accounts import account_rows

    ids = None if account_ids is None else {int(a) for a in account_ids}
    if ids is not None and not ids:
        return KnownDay()
    rows = [Transaction.user_id == user_id, Transaction.date <= today]
    if ids is not None:
        rows.append(account_rows(session, user_id=user_id, account_id=ids))  # NotFoundError: not the user's
    newest = session.scalar(select(func.max(Transaction.date)).where(*rows))
    mine = [Account.user_id == user_id] + ([] if ids is None else [Account.id.in_(ids)])
    confirmed, opening = session.execute(
        select(func.max(Account.balance_confirmed_on),
               func.max(case((Account.opening_date <= today, Account.opening_date)))).where(*mine)).one()
    # the newest confirmed day known at today: statement_day of the newest stored one (the rule keeps the order)
    return KnownDay(newest, None if confirmed is None else statement_day(confirmed, today), opening)
