"""A balance the user confirmed is a fact about its day (session 24, issue #19's defect noted in session 23): after
"Set a balance to match your bank" for today, the Cash flow page and the dashboard's outlook still said the projection
starts "from an old balance". ``accounts.balance_confirmed_on`` (migration 0035) records the day; the out-of-date rule
(``cashflow.out_of_date_since`` via ``cashflow.stale_notes``) reads the newer of it and the newest transaction.
Runs on SQLite, and PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import NotFoundError
from budgetwise.importing.model import StatementBalance
from budgetwise.services import account_balance as AB
from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx
from budgetwise.services.importing import set_opening_from_statement

TODAY = dt.date.today()


def _old_history(session, uid: int, days_old: int = 200, name: str = "Checking") -> accounts.AccountView:
    """Four months of rent, the newest ``days_old`` days ago, in an account without an opening date."""
    acct = accounts.create_account(session, user_id=uid, name=name)
    newest = TODAY - dt.timedelta(days=days_old)
    for n in range(4):
        tx.add_transaction(session, user_id=uid, date=newest - dt.timedelta(days=30 * n), amount="400",
                           kind="expense", description=f"Rent {n}", account_id=acct.id)
    return acct


def _projection(session, uid: int, **kw) -> cashflow.Projection:
    return cashflow.cashflow_user(session, user_id=uid, horizon_months=2, today=TODAY, **kw)


def test_a_balance_set_for_today_makes_the_projection_current(session, alice):
    acct = _old_history(session, alice.user_id)
    assert _projection(session, alice.user_id).out_of_date  # the history alone is 200 days old
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="2500", day=TODAY, today=TODAY)
    assert accounts.get_account(session, user_id=alice.user_id, account_id=acct.id).balance_confirmed_on == TODAY
    p = _projection(session, alice.user_id)
    assert not p.out_of_date and p.out_of_date_text() is None and p.start_balance_minor == 250000


def test_a_balance_confirmed_long_ago_is_still_old_and_the_note_names_both_days(session, alice):
    acct = _old_history(session, alice.user_id, days_old=300)
    confirmed = TODAY - dt.timedelta(days=cashflow.STALE_AFTER_DAYS + 10)
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="2500", day=confirmed, today=TODAY)
    p = _projection(session, alice.user_id)
    assert p.out_of_date and p.stale_note is not None
    assert "and your newest confirmed balance from " + confirmed.isoformat() in p.stale_note
    assert "set today's balance on the Accounts page" in p.stale_note


def test_within_the_rule_a_confirmed_day_counts_as_a_transaction_day_would(session, alice):
    acct = _old_history(session, alice.user_id)
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="10", today=TODAY,
                      day=TODAY - dt.timedelta(days=cashflow.STALE_AFTER_DAYS - 1))
    assert not _projection(session, alice.user_id).out_of_date
    accounts.confirm_balance(session, user_id=alice.user_id, account_id=acct.id,  # an older match keeps the newer day
                             day=TODAY - dt.timedelta(days=100))
    assert not _projection(session, alice.user_id).out_of_date


def test_a_day_before_the_history_opens_the_account_and_is_confirmed_too(session, alice):
    acct = _old_history(session, alice.user_id, days_old=30)
    first = TODAY - dt.timedelta(days=30 + 90 + 5)
    done = AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="900", day=first, today=TODAY)
    assert done.account.opening_date == first and done.account.balance_confirmed_on == first


def test_an_opening_balance_typed_by_hand_clears_the_confirmed_day(session, alice):
    """The confirmed balance may no longer hold once the opening balance changes some other way."""
    acct = _old_history(session, alice.user_id)
    AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="2500", day=TODAY, today=TODAY)
    accounts.set_opening_balance(session, user_id=alice.user_id, account_id=acct.id, amount="1")
    assert accounts.get_account(session, user_id=alice.user_id, account_id=acct.id).balance_confirmed_on is None
    assert _projection(session, alice.user_id).out_of_date


def test_an_opening_date_is_a_known_balance_too(session, alice):
    """An account added today with today's balance: its opening balance holds at the start of its opening day."""
    _old_history(session, alice.user_id)
    accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="50",
                            opening_date=TODAY - dt.timedelta(days=1))
    assert not _projection(session, alice.user_id, scope="all").out_of_date


def test_a_statement_balance_set_from_an_import_is_a_confirmed_day(session, alice):
    acct = _old_history(session, alice.user_id)
    day = TODAY - dt.timedelta(days=3)
    set_opening_from_statement(session, principal=alice, account_id=acct.id,
                               balance=StatementBalance(123456, "USD", day, "the statement's LEDGERBAL"))
    assert accounts.get_account(session, user_id=alice.user_id, account_id=acct.id).balance_confirmed_on == day
    assert not _projection(session, alice.user_id).out_of_date


def test_only_the_counted_accounts_confirmed_days_count(session, alice):
    """One account's projection reads its own confirmed day, not another account's."""
    checking = _old_history(session, alice.user_id)
    savings = _old_history(session, alice.user_id, name="Savings")
    AB.set_balance_on(session, principal=alice, account_id=savings.id, amount="10", day=TODAY, today=TODAY)
    assert _projection(session, alice.user_id, account_id=checking.id).out_of_date
    assert not _projection(session, alice.user_id, account_id=savings.id).out_of_date


def test_another_users_account_is_not_confirmed(session, alice, bob):
    acct = _old_history(session, alice.user_id)
    with pytest.raises(NotFoundError):
        accounts.confirm_balance(session, user_id=bob.user_id, account_id=acct.id, day=TODAY)
    assert accounts.get_account(session, user_id=alice.user_id, account_id=acct.id).balance_confirmed_on is None
