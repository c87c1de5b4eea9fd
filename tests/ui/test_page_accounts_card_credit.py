"""Accounts and Cash flow: a credit card in credit is named as probably lacking its opening balance (session 29,
trial29: the Kaggle cards at +$12,143.62 and +$4,794.00, counted as money in net worth and the lowest balance)."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts
from budgetwise.services import transactions as tx

PAGE = "pages/accounts.py"


def _user_with_a_card_in_credit(app_env):
    alice = app_env.create_user()
    day = dt.date.today() - dt.timedelta(days=5)
    with app_env.scope() as s:
        chk = accounts.create_account(s, user_id=alice.user_id, name="Checking")
        card = accounts.create_account(s, user_id=alice.user_id, name="Visa", kind="credit_card")
        for acc, amount, kind in ((chk, "2000", "income"), (card, "500", "income"), (card, "120", "expense")):
            tx.add_transaction(s, user_id=alice.user_id, date=day, amount=amount, kind=kind, description="X",
                               account_id=acc.id, auto_categorize=False)
    return alice, card


def test_accounts_names_a_card_in_credit_and_offers_to_set_its_balance(app_env):
    alice, card = _user_with_a_card_in_credit(app_env)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    (note,) = [w.value for w in at.warning if "in credit" in str(w.value)]
    assert "“Visa” ($380.00) is in credit" in note, note
    assert "opening balance" in note and "Set a balance to match your bank" in note
    # the balance form starts on that card; nothing is changed until the user sets it
    assert at.selectbox(key="acct_balance_account").value == card.id
    with app_env.scope() as s:
        assert accounts.balances(s, user_id=alice.user_id).total_minor == 200000 + 38000


def test_cash_flow_says_its_lowest_balance_counts_a_cards_credit(app_env):
    alice, _card = _user_with_a_card_in_credit(app_env)
    at = app_env.page("pages/cashflow.py", user=alice, timeout=60)
    at.run()
    assert not at.exception
    text = " ".join(str(c.value) for c in at.caption).replace("\\", "")  # the notes are Markdown-escaped
    assert "“Visa” is a credit card in credit (+$380.00)" in text, text
    assert "opening balance is probably missing" in text and "Accounts page" in text
