"""A credit card whose computed balance is in credit (session 29, trial29): the Kaggle export starts mid-history, its
card payments exceed its charges, and the cards showed +$12,143.62 and +$4,794.00, counted in net worth as money the
user has. Such a card probably lacks its opening balance: it is named, never changed without the user."""

from __future__ import annotations

import datetime as dt

from budgetwise.models import Account
from budgetwise.services import accounts
from budgetwise.services import transactions as tx
from budgetwise.services.card_credit import cards_in_credit


def _add(session, user_id, account_id, amount, kind, day=dt.date(2025, 1, 10)):
    tx.add_transaction(session, user_id=user_id, date=day, amount=amount, kind=kind, description="X",
                       account_id=account_id, auto_categorize=False)


def test_a_card_in_credit_without_a_set_balance_is_named(session, alice):
    uid = alice.user_id
    chk = accounts.create_account(session, user_id=uid, name="Checking")
    card = accounts.create_account(session, user_id=uid, name="Visa", kind="credit_card")
    owed = accounts.create_account(session, user_id=uid, name="Amex", kind="credit_card")
    _add(session, uid, chk.id, "900", "income")  # checking in credit: as expected
    _add(session, uid, card.id, "500", "income")  # payments...
    _add(session, uid, card.id, "120", "expense")  # ...exceed the charges
    _add(session, uid, owed.id, "80", "expense")  # a card that owes: as expected
    now = accounts.balances(session, user_id=uid)
    assert [(b.account.name, b.balance_minor) for b in cards_in_credit(now)] == [("Visa", 38000)]
    # the user set its balance to match the bank: their figure, not a missing opening balance
    session.get(Account, card.id).balance_confirmed_on = dt.date(2025, 1, 31)
    session.flush()
    assert cards_in_credit(accounts.balances(session, user_id=uid)) == ()
