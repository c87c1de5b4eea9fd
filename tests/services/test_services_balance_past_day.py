"""A balance set for a past day when later transactions exist (session 25, known25): the later days' balances, the
chart's month ends and the day the out-of-date rule reads must agree with what the user said. Runs on SQLite, and
PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import account_balance as AB
from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx
from budgetwise.services.balance_known import last_known

TODAY = dt.date.today()


def _add(session, uid: int, account_id: int, day: dt.date, amount: str, kind: str = "expense") -> None:
    tx.add_transaction(session, user_id=uid, date=day, amount=amount, kind=kind, description="x", account_id=account_id)


def _balance(session, uid: int, account_id: int, day: dt.date) -> int:
    found = accounts.balances(session, user_id=uid, as_of=day)
    return next(b.balance_minor for b in found.accounts if b.account.id == account_id)


def test_later_days_and_the_chart_follow_a_balance_set_for_a_past_day(session, alice):
    acct = accounts.create_account(session, user_id=alice.user_id, name="Checking", replace_starter=True)
    first = TODAY - dt.timedelta(days=200)
    for n in range(0, 200, 10):
        _add(session, alice.user_id, acct.id, first + dt.timedelta(days=n), "25")
    past = first + dt.timedelta(days=95)  # a statement day in the middle of the history
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="1000", day=past, today=TODAY)
    assert _balance(session, alice.user_id, acct.id, past) == 100000
    later = sum(1 for n in range(0, 200, 10) if past < first + dt.timedelta(days=n) <= TODAY)
    assert _balance(session, alice.user_id, acct.id, TODAY) == 100000 - 2500 * later
    points, _ = accounts.balance_history(session, user_id=alice.user_id, months=8, today=TODAY)
    for p in points:  # every month end of the chart is the balance on that day
        if p.started:
            assert p.balance_minor == _balance(session, alice.user_id, acct.id, p.month_end), p.month_end
    known = last_known(session, user_id=alice.user_id, today=TODAY)
    assert (known.confirmed, known.day) == (past, first + dt.timedelta(days=190))  # the newest row, not the past day


def test_a_past_day_that_agrees_keeps_the_newer_confirmed_day(session, alice):
    """The user confirms an old statement that agrees with the account: the opening balance does not change, so the
    newer day the account was matched on still holds. Old code moved the confirmed day back to the old statement's,
    and a history current by its confirmed day became "old" on the Cash flow page."""
    acct = accounts.create_account(session, user_id=alice.user_id, name="Checking", replace_starter=True)
    newest = TODAY - dt.timedelta(days=cashflow.STALE_AFTER_DAYS + 20)
    for n in range(4):
        _add(session, alice.user_id, acct.id, newest - dt.timedelta(days=30 * n), "400")
    recent = TODAY - dt.timedelta(days=5)
    accounts.confirm_balance(session, user_id=alice.user_id, account_id=acct.id, day=recent)  # a statement matched
    assert not cashflow.cashflow_user(session, user_id=alice.user_id, today=TODAY).out_of_date
    old_day = newest - dt.timedelta(days=45)
    agrees = _balance(session, alice.user_id, acct.id, old_day)
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount=f"{agrees / 100:.2f}", day=old_day,
                      today=TODAY)
    assert accounts.get_account(session, user_id=alice.user_id, account_id=acct.id).balance_confirmed_on == recent
    assert not cashflow.cashflow_user(session, user_id=alice.user_id, today=TODAY).out_of_date
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="1", day=old_day, today=TODAY)
    # a figure that changes the opening balance changes the later days too: the newer match no longer holds
    assert accounts.get_account(session, user_id=alice.user_id, account_id=acct.id).balance_confirmed_on == old_day


def test_a_day_before_the_opening_date_with_rows_on_it_ends_that_day_at_the_balance_given(session, alice):
    """Rows dated before an account's opening date are not counted; a balance set for such a day moves the opening
    date there and they count from then on, the rows of that day included. Old code set the opening balance to the
    figure given, so the day ended at that figure plus that day's rows."""
    opening = TODAY - dt.timedelta(days=30)
    acct = accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="500",
                                   opening_date=opening, replace_starter=True)
    day = opening - dt.timedelta(days=20)
    _add(session, alice.user_id, acct.id, day, "70")  # on the day: before the opening, not counted until now
    _add(session, alice.user_id, acct.id, day + dt.timedelta(days=3), "30")
    _add(session, alice.user_id, acct.id, TODAY - dt.timedelta(days=2), "100", "income")
    done = AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="800", day=day, today=TODAY)
    assert (done.account.opening_date, done.account.balance_confirmed_on) == (day, day)
    assert _balance(session, alice.user_id, acct.id, day) == 80000
    assert _balance(session, alice.user_id, acct.id, TODAY) == 80000 - 3000 + 10000
