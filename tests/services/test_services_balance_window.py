"""Where the Accounts page's balance chart ends (session 24, acct24): at the last data when it is out of date
(a history that ends in 2022 drew flat lines up to today), else today."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts
from budgetwise.services import transactions as tx
from budgetwise.services.balance_window import balance_window

TODAY = dt.date(2026, 12, 6)


def _add(session, user, day: dt.date, amount: str = "10", kind: str = "expense") -> None:
    tx.add_transaction(session, user_id=user.user_id, date=day, amount=amount, kind=kind, description="x")


def test_an_old_history_ends_the_chart_at_its_last_day(session, alice):
    _add(session, alice, dt.date(2022, 11, 3), "100", "income")
    _add(session, alice, dt.date(2022, 12, 31))
    window = balance_window(session, user_id=alice.user_id, today=TODAY)
    assert (window.end, window.ends_early) == (dt.date(2022, 12, 31), True)
    points, _ = accounts.balance_history(session, user_id=alice.user_id, months=12, today=window.end)
    ends = sorted({p.month_end for p in points})
    assert ends[-1] == dt.date(2022, 12, 31) and ends[0] == dt.date(2022, 1, 31)  # no month of 2023–2026
    assert [p.balance_minor for p in points if p.month_end >= dt.date(2022, 11, 30)] == [100_00, 90_00]


def test_a_recent_history_and_a_balance_confirmed_lately_end_today(session, alice):
    _add(session, alice, TODAY - dt.timedelta(days=44))  # not out of date (cashflow.STALE_AFTER_DAYS)
    assert balance_window(session, user_id=alice.user_id, today=TODAY).end == TODAY
    _add(session, alice, dt.date(2022, 12, 31), "5")
    account = accounts.default_account_id(session, user_id=alice.user_id)
    accounts.confirm_balance(session, user_id=alice.user_id, account_id=account, day=TODAY - dt.timedelta(days=3))
    window = balance_window(session, user_id=alice.user_id, today=TODAY)
    assert (window.end, window.ends_early) == (TODAY, False)


def test_nothing_known_ends_today_and_a_future_row_is_not_data(session, alice):
    assert balance_window(session, user_id=alice.user_id, today=TODAY).end == TODAY  # an opening balance at most
    _add(session, alice, dt.date(2020, 5, 1))
    _add(session, alice, TODAY + dt.timedelta(days=30))  # scheduled ahead: not a balance known today
    assert balance_window(session, user_id=alice.user_id, today=TODAY).end == dt.date(2020, 5, 1)


def test_another_users_data_does_not_move_the_window(session, alice, bob):
    _add(session, alice, dt.date(2022, 12, 31))
    _add(session, bob, TODAY)
    accounts.confirm_balance(session, user_id=bob.user_id, account_id=accounts.default_account_id(
        session, user_id=bob.user_id), day=TODAY)
    assert balance_window(session, user_id=alice.user_id, today=TODAY).end == dt.date(2022, 12, 31)
    assert balance_window(session, user_id=bob.user_id, today=TODAY).end == TODAY
