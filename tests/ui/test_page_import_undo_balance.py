"""The Import page: undoing an import whose statement set the account's opening balance (the box ticked) puts the
account back as it was, confirmed day included, and says so (session 25, known25; ``importing/balance_undo.py``).
Old code: the undo left the opening balance and the day "matched with your bank" of rows it had just deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from budgetwise.models import Account
from budgetwise.services import accounts
from tests.ui.test_page_import import BALANCED, PAGE, _click, _texts, _undo, _upload


def _state(app_env, user):
    with app_env.scope() as s:
        row = s.scalars(select(Account).where(Account.user_id == user.user_id)).one()
        return row.opening_balance_minor, row.opening_date, row.balance_confirmed_on


def test_undo_puts_back_the_opening_balance_and_the_confirmed_day_the_box_set(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:  # matched with the bank once before, on 31 January
        accounts.confirm_balance(s, user_id=alice.user_id, account_id=accounts.default_account_id(
            s, user_id=alice.user_id), day=dt.date(2024, 1, 31))
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "statement.csv", BALANCED)
    next(c for c in at.checkbox if "set the opening balance" in str(c.label)).check()
    _click(at, "Import 5 transactions")
    assert not at.exception
    assert _state(app_env, alice) == (100000, None, dt.date(2024, 3, 5))
    _undo(at)
    assert not at.exception
    assert _state(app_env, alice) == (0, None, dt.date(2024, 1, 31))
    assert ("“Main account” has its opening balance and its last confirmed balance from before this import again"
            in _texts(at).replace("\\", ""))


def test_undo_after_a_balance_set_by_hand_says_it_no_longer_holds(app_env):
    """Session 26 (bal26): the user set the balance for the statement's day after the import; the undo keeps the
    opening balance they set and says in words that the day is no longer marked, with both amounts. Old code: the
    day stayed "confirmed" and the page said the balance "was left as it is"."""
    from budgetwise.services import account_balance as AB

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "statement.csv", BALANCED)
    next(c for c in at.checkbox if "set the opening balance" in str(c.label)).check()
    _click(at, "Import 5 transactions")
    with app_env.scope() as s:
        account = accounts.default_account_id(s, user_id=alice.user_id)
        AB.set_balance_on(s, principal=alice, account_id=account, amount="2000", day=dt.date(2024, 3, 5),
                          today=dt.date(2026, 12, 7))
    _undo(at)
    assert not at.exception
    assert _state(app_env, alice) == (82000, None, None)
    said = _texts(at).replace("\\", "").replace("\u2011", "-")  # the page keeps a date on one line
    assert "“Main account”'s opening balance was set after this import (by you): it stays $820.00." in said
    assert "The balance of $2,000.00 confirmed for 2024-03-05 (by you) counted this import's rows" in said
    assert "so it is no longer marked as matching your bank's" in said
