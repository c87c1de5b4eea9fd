"""The last day a balance is known: one owner for the Accounts chart, the Cash flow page and the Goals page (session
25, known25; ``services/balance_known.py``). Before, the Cash flow page counted the eve of an opening date (in memory)
and the Accounts chart ignored opening dates (in SQL): an account whose only data is an opening balance given long ago
was charted up to today while its cash flow started "from an old balance" — or the other way round. Runs on SQLite,
and PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import NotFoundError
from budgetwise.services import account_balance as AB
from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx
from budgetwise.services.balance_known import BALANCE_NOTE, KnownDay, last_known
from budgetwise.services.balance_window import balance_window
from budgetwise.services.goals import out_of_date_note

TODAY = dt.date.today()
MARCH = TODAY - dt.timedelta(days=280)  # "I set my savings balance to 5,000 on 1 March": December, nine months on


def _projection(session, uid: int, **kw) -> cashflow.Projection:
    return cashflow.cashflow_user(session, user_id=uid, horizon_months=2, today=TODAY, **kw)


def _add(session, uid: int, day: dt.date, account_id: int | None = None) -> None:
    tx.add_transaction(session, user_id=uid, date=day, amount="40", kind="expense", description="Groceries",
                       account_id=account_id)


def test_an_opening_balance_given_long_ago_is_old_on_both_pages(session, alice):
    """The user's question: a balance set for 1 March and nothing imported since is, in December, nine months old.
    Old code: the Accounts chart ran to today (opening dates ignored) and Cash flow said nothing (no transactions)."""
    accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="5000",
                            opening_date=MARCH, replace_starter=True)
    window = balance_window(session, user_id=alice.user_id, today=TODAY)
    assert (window.end, window.ends_early, window.last_known) == (MARCH, True, MARCH)
    points, _ = accounts.balance_history(session, user_id=alice.user_id, months=12, today=window.end)
    assert [p.balance_minor for p in points if p.month_end == MARCH] == [500000]  # the chart's last day holds it
    p = _projection(session, alice.user_id, scope="all")
    assert p.out_of_date and p.start_balance_minor == 500000
    assert p.stale_note.startswith(f"{BALANCE_NOTE} the opening balance you gave for {MARCH.isoformat()}: nothing since")


def test_a_later_opening_date_makes_both_pages_current(session, alice):
    """An old history (2022) and an opening balance given for ten days ago: old code ended the chart in 2022 while
    Cash flow (the eve of the opening date) was current."""
    acct = accounts.create_account(session, user_id=alice.user_id, name="Checking", replace_starter=True)
    for n in range(3):
        _add(session, alice.user_id, dt.date(2022, 10 + n, 5), acct.id)
    recent = TODAY - dt.timedelta(days=10)
    accounts.set_opening_balance(session, user_id=alice.user_id, account_id=acct.id, amount="700", opening_date=recent)
    window = balance_window(session, user_id=alice.user_id, today=TODAY)
    assert (window.end, window.ends_early) == (TODAY, False)
    assert not _projection(session, alice.user_id).out_of_date


def test_the_pages_agree_day_by_day(session, alice):
    """Walk the opening date across the 45-day edge: the chart ends early exactly when Cash flow calls it old."""
    acct = accounts.create_account(session, user_id=alice.user_id, name="Cash box", kind="cash", replace_starter=True)
    for days in (cashflow.STALE_AFTER_DAYS - 1, cashflow.STALE_AFTER_DAYS, cashflow.STALE_AFTER_DAYS + 1):
        accounts.set_opening_balance(session, user_id=alice.user_id, account_id=acct.id, amount="20",
                                     opening_date=TODAY - dt.timedelta(days=days))
        window = balance_window(session, user_id=alice.user_id, today=TODAY)
        assert window.ends_early == _projection(session, alice.user_id).out_of_date == (
            days >= cashflow.STALE_AFTER_DAYS), days


def test_an_undated_opening_balance_and_the_starter_are_no_known_day(session, alice):
    """An opening balance without a date is what the account held when its history starts, not a fact about a day
    (the untouched starter's 0 is one): nothing is known, the chart ends today and nothing is called old."""
    accounts.create_account(session, user_id=alice.user_id, name="Wallet", kind="cash", opening_balance="30")
    assert last_known(session, user_id=alice.user_id, today=TODAY) == KnownDay()
    assert balance_window(session, user_id=alice.user_id, today=TODAY).ends_early is False
    assert not _projection(session, alice.user_id, scope="all").out_of_date


def test_a_transaction_today_does_not_end_the_chart_early(session, alice):
    """Old code: ``ends_early`` was ``end == last_known``, true for data from today too ("the chart ends there")."""
    _add(session, alice.user_id, TODAY)
    window = balance_window(session, user_id=alice.user_id, today=TODAY)
    assert (window.end, window.ends_early) == (TODAY, False)


def test_a_balance_confirmed_today_makes_the_goals_chance_current(session, alice):
    """Item 2: the Goals page read the history's newest transaction alone. Old code: ``out_of_date_note`` had no
    ``known`` and said "old" after "Set a balance" for today, while Cash flow was current."""
    acct = accounts.create_account(session, user_id=alice.user_id, name="Checking", replace_starter=True)
    old = TODAY - dt.timedelta(days=200)
    _add(session, alice.user_id, old, acct.id)
    known = last_known(session, user_id=alice.user_id, today=TODAY)
    assert out_of_date_note(old, TODAY, known=known).startswith(f"Your newest transaction is from {old.isoformat()}:")
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="900", day=TODAY, today=TODAY)
    known = last_known(session, user_id=alice.user_id, today=TODAY)
    assert out_of_date_note(old, TODAY, known=known) == "" and not _projection(session, alice.user_id).out_of_date
    # another figure for an older day (it changes the opening balance, so today's match no longer holds): both days
    # named, the history's as the one measured from
    confirmed = TODAY - dt.timedelta(days=60)
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="800", day=confirmed, today=TODAY)
    note = out_of_date_note(old, TODAY, known=last_known(session, user_id=alice.user_id, today=TODAY))
    assert note.startswith(f"Your newest transaction is from {old.isoformat()} and your newest confirmed balance from "
                           f"{confirmed.isoformat()}: this chance and the expected date are measured from your history "
                           f"up to {old.isoformat()},")


def test_some_accounts_and_another_users_data(session, alice, bob):
    """The Cash flow page asks about the accounts it projects; another user's rows, confirmed days and opening dates
    never count, and another user's account is not found."""
    mine = accounts.create_account(session, user_id=alice.user_id, name="Checking", replace_starter=True)
    other = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings",
                                    opening_date=TODAY - dt.timedelta(days=3))
    _add(session, alice.user_id, dt.date(2023, 5, 1), mine.id)
    theirs = accounts.create_account(session, user_id=bob.user_id, name="Bob's", opening_date=TODAY,
                                     replace_starter=True)
    _add(session, bob.user_id, TODAY, theirs.id)
    accounts.confirm_balance(session, user_id=bob.user_id, account_id=theirs.id, day=TODAY)
    assert last_known(session, user_id=alice.user_id, today=TODAY, account_ids=[mine.id]) == KnownDay(
        dt.date(2023, 5, 1))
    assert last_known(session, user_id=alice.user_id, today=TODAY).day == TODAY - dt.timedelta(days=3)
    assert last_known(session, user_id=alice.user_id, today=TODAY, account_ids=[other.id]).day == other.opening_date
    with pytest.raises(NotFoundError):
        last_known(session, user_id=alice.user_id, today=TODAY, account_ids=[mine.id, theirs.id])
    assert _projection(session, alice.user_id, account_id=mine.id).out_of_date
    assert not _projection(session, alice.user_id, account_id=other.id).out_of_date
