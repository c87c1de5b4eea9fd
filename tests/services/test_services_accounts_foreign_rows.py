"""Rows in another currency than their account (session 24, issue #19's defect noted in session 23): balances "at
today's rate" said "No EUR → USD rate for <today>" on old histories whose rates stop in the past.

The rate rule (docs/currencies.md, rule 1: the latest rate on or before the amount's day, at most
``rates.MAX_STALENESS_DAYS`` old) is right for an *account* in another currency than the base one: its balance today
is worth today's rate, and a rate last stored years ago counts as missing (named, never 1.0). It was wrong for a
*row* in another currency than its account (a EUR purchase on a USD account): the bank booked it in dollars on its day,
yet its sum was converted at the balance's day, so the account's own balance moved with today's rate and, without
one, read $0.00 and asked for a rate for today. Such a row is now converted at its own day's rate. Runs on SQLite, and
PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgetwise.models import ExchangeRate
from budgetwise.services import accounts
from budgetwise.services import transactions as tx

D = dt.date
TODAY = dt.date.today()


def _rates(session, first: dt.date, days: int, rate: str = "1.10") -> None:
    for n in range(days):
        session.add(ExchangeRate(date=first + dt.timedelta(days=n), base="EUR", quote="USD", rate=Decimal(rate),
                                 source="manual"))
    session.flush()


def _old_history(session, uid: int):
    """A USD account with a €50 purchase on 2019-03-11 and a EUR account with €100 from 2019-03-10; EUR → USD rates
    for March and April 2019 only."""
    usd = accounts.create_account(session, user_id=uid, name="Checking")
    eur = accounts.create_account(session, user_id=uid, name="Euro", currency="EUR")
    _rates(session, D(2019, 3, 1), 60)
    tx.add_transaction(session, user_id=uid, date=D(2019, 3, 10), amount="100", kind="income", description="a",
                       account_id=eur.id, currency="EUR", auto_categorize=False)
    tx.add_transaction(session, user_id=uid, date=D(2019, 3, 11), amount="50", kind="expense", description="b",
                       account_id=usd.id, currency="EUR", auto_categorize=False)
    return usd, eur


def test_a_row_in_another_currency_counts_at_its_own_days_rate(session, alice):
    usd, eur = _old_history(session, alice.user_id)
    b = accounts.balances(session, user_id=alice.user_id, as_of=TODAY)
    got = {x.account.name: (x.balance_minor, x.base_minor) for x in b.accounts}
    assert got["Checking"] == (-5500, -5500)  # €50 at 1.10 on 2019-03-11, not "$0.00 — no rate"
    assert got["Euro"] == (10000, None) and b.total_minor == -5500
    # the account in euros is worth today's rate, which the rule has none of: named for today, never 1.0
    (missing,) = b.missing_rates
    assert missing.describe() == (f"No EUR → USD rate for {TODAY.isoformat()}: an account balance of €100.00 is not "
                                  "included.")


def test_the_accounts_own_balance_does_not_move_with_todays_rate(session, alice):
    usd, _eur = _old_history(session, alice.user_id)
    _rates(session, TODAY - dt.timedelta(days=2), 3, rate="2.00")
    b = accounts.balances(session, user_id=alice.user_id, as_of=TODAY)
    got = {x.account.name: (x.balance_minor, x.base_minor) for x in b.accounts}
    assert got == {"Checking": (-5500, -5500), "Euro": (10000, 20000)} and b.missing_rates == ()


def test_a_row_without_a_rate_on_its_day_is_named_with_that_day(session, alice):
    uid = alice.user_id
    usd = accounts.create_account(session, user_id=uid, name="Checking", opening_balance="10")
    tx.add_transaction(session, user_id=uid, date=D(2018, 6, 1), amount="20", kind="expense", description="x",
                       account_id=usd.id, currency="EUR", auto_categorize=False)
    _rates(session, TODAY - dt.timedelta(days=1), 2)  # today's rate does not price a 2018 purchase
    b = accounts.balances(session, user_id=uid, as_of=TODAY)
    (row,) = [x for x in b.accounts if x.account.id == usd.id]
    assert row.base_minor is None and b.total_minor == 0
    (missing,) = b.missing_rates
    assert missing.describe() == "No EUR → USD rate for 2018-06-01: 1 transaction (€20.00) is not included."


def test_month_end_balances_convert_such_rows_at_their_day_too(session, alice):
    usd, eur = _old_history(session, alice.user_id)
    points, missing = accounts.balance_history(session, user_id=alice.user_id, months=2, today=TODAY)
    mine = [(p.balance_minor, p.base_minor) for p in points if p.account_id == usd.id]
    assert mine == [(-5500, -5500)] * 2
    assert [p.base_minor for p in points if p.account_id == eur.id] == [None, None]
    assert [m.currency for m in missing] == ["EUR"] and "2 account balances are not included" in missing[0].describe()
    then, _ = accounts.balance_history(session, user_id=alice.user_id, months=2, today=D(2019, 4, 20))
    assert {(p.month_end, p.account_id): p.base_minor for p in then} == {
        (D(2019, 3, 31), usd.id): -5500, (D(2019, 4, 20), usd.id): -5500,
        (D(2019, 3, 31), eur.id): 11000, (D(2019, 4, 20), eur.id): 11000}
