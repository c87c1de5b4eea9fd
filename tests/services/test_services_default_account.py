"""The user's choice of default account (session 25, ``services/default_account.py``) and the starter account an
import's new account replaces (only in the starter's currency, as one added by hand).

A trial of session 25: the first file a EUR user imported (a Czech Raiffeisen CSV in CZK, with an account column)
took the USD starter's place and stayed the default account; every later preview began "Your default account
“123456789/1234” is in CZK, so …", and nothing made another account the default."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services.default_account import set_default_account
from budgetwise.services.profile import update_profile

CZK_COLUMN = (b"Date,Description,Amount,Currency,Account\n2024-03-01,Potraviny,-300.00,CZK,123456789/1234\n"
              b"2024-03-02,Mzda,30000.00,CZK,123456789/1234\n")
EUR_COLUMN = b"Date,Description,Amount,Currency,Account\n2024-03-01,Bakker,-3.00,EUR,ING Betaal\n"
CZK_PLAIN = b"Date,Description,Amount,Currency\n2024-03-01,Potraviny,-300.00,CZK\n"
EUR_PLAIN = b"Date,Description,Amount,Currency\n2024-04-01,Supermarkt,-12.50,EUR\n"


def _default(session, uid: int) -> accounts.AccountView:
    return accounts.get_account(session, user_id=uid, account_id=accounts.default_account_id(session, user_id=uid))


def _eur_user(session, principal) -> int:
    update_profile(session, user_id=principal.user_id, currency="EUR")
    assert _default(session, principal.user_id).currency == "EUR"  # the untouched starter followed
    return principal.user_id


def test_the_user_makes_another_open_account_the_default(session, alice):
    uid = alice.user_id
    starter = _default(session, uid)
    savings = accounts.create_account(session, user_id=uid, name="Savings", kind="savings")
    card = accounts.create_account(session, user_id=uid, name="Visa", kind="credit_card")
    assert _default(session, uid).id == starter.id
    made = set_default_account(session, user_id=uid, account_id=card.id)
    assert made.is_default and _default(session, uid).id == card.id
    assert accounts.default_of(accounts.list_accounts(session, user_id=uid)).id == card.id
    set_default_account(session, user_id=uid, account_id=savings.id)  # the choice moves: one flagged
    assert [a.name for a in accounts.list_accounts(session, user_id=uid) if a.is_default] == ["Savings"]
    assert accounts.resolve_account_id(session, user_id=uid) == savings.id  # where a new transaction goes


def test_an_archived_account_cannot_be_the_default_and_archiving_it_falls_back(session, alice):
    uid = alice.user_id
    starter = _default(session, uid)
    other = accounts.create_account(session, user_id=uid, name="Other", currency="EUR")
    accounts.archive_account(session, user_id=uid, account_id=other.id)
    with pytest.raises(ValidationError, match="archived"):
        set_default_account(session, user_id=uid, account_id=other.id)
    accounts.archive_account(session, user_id=uid, account_id=other.id, archived=False)
    set_default_account(session, user_id=uid, account_id=other.id)
    accounts.archive_account(session, user_id=uid, account_id=other.id)
    assert _default(session, uid).id == starter.id  # the first open one again
    accounts.archive_account(session, user_id=uid, account_id=other.id, archived=False)
    assert _default(session, uid).id == starter.id  # restored, it is not the default again without a word


def test_another_users_account_is_refused_like_a_missing_one_and_nothing_changes(session, alice, bob):
    bobs = accounts.create_account(session, user_id=bob.user_id, name="Bob's", currency="EUR")
    bob_default = _default(session, bob.user_id).id
    alice_default = _default(session, alice.user_id).id
    for wrong in (bobs.id, 999_999):
        with pytest.raises(NotFoundError) as err:
            set_default_account(session, user_id=alice.user_id, account_id=wrong)
        assert "Bob" not in str(err.value)
    assert _default(session, alice.user_id).id == alice_default
    assert _default(session, bob.user_id).id == bob_default
    set_default_account(session, user_id=bob.user_id, account_id=bobs.id)
    assert _default(session, alice.user_id).id == alice_default  # one user's choice is not another's


def test_rows_without_an_account_stay_in_the_account_they_counted_in(session, alice):
    uid = alice.user_id
    starter = _default(session, uid)
    other = accounts.create_account(session, user_id=uid, name="Other", kind="savings")
    session.add(Transaction(user_id=uid, date=dt.date(2024, 1, 5), amount_minor=700, currency=alice.currency,
                            kind="expense", description="bulk", merchant="bulk", fingerprint="bulk-1"))
    session.flush()
    before = {b.account.id: b.balance_minor for b in accounts.balances(session, user_id=uid).accounts}
    assert before[starter.id] == -700
    set_default_account(session, user_id=uid, account_id=other.id)
    after = {b.account.id: b.balance_minor for b in accounts.balances(session, user_id=uid).accounts}
    assert after == before


def test_a_foreign_currency_account_from_an_account_column_leaves_the_starter_the_default(session, alice):
    uid = _eur_user(session, alice)
    svc.commit_import(session, user_id=uid, data=CZK_COLUMN, filename="raiffeisen.csv")
    assert _default(session, uid).name == accounts.DEFAULT_ACCOUNT_NAME
    names = {a.name: a.currency for a in accounts.list_accounts(session, user_id=uid)}
    assert names == {accounts.DEFAULT_ACCOUNT_NAME: "EUR", "Account …1234": "CZK"}
    preview = svc.preview_import(session, user_id=uid, data=EUR_PLAIN, filename="ing.csv")
    assert preview.account_name == accounts.DEFAULT_ACCOUNT_NAME
    assert "Your default account" not in " ".join(str(n) for n in vars(preview).values() if isinstance(n, str))


def test_an_account_column_in_the_users_currency_still_takes_the_starters_place(session, alice):
    uid = _eur_user(session, alice)
    svc.commit_import(session, user_id=uid, data=EUR_COLUMN, filename="ing.csv")
    assert _default(session, uid).name == "ING Betaal"
    assert [a.name for a in accounts.list_accounts(session, user_id=uid)] == ["ING Betaal"]


def test_a_foreign_currency_file_without_an_account_goes_beside_the_starter(session, alice):
    uid = _eur_user(session, alice)
    svc.commit_import(session, user_id=uid, data=CZK_PLAIN, filename="czk.csv")
    names = {a.name: a.currency for a in accounts.list_accounts(session, user_id=uid)}
    assert names == {accounts.DEFAULT_ACCOUNT_NAME: "EUR", "Czech Koruna account (CZK)": "CZK"}, names
    assert _default(session, uid).name == accounts.DEFAULT_ACCOUNT_NAME


def test_the_chosen_default_is_where_a_file_in_its_currency_goes_and_the_preview_measures_against(session, alice):
    uid = _eur_user(session, alice)
    svc.commit_import(session, user_id=uid, data=CZK_COLUMN, filename="raiffeisen.csv")
    ing = accounts.create_account(session, user_id=uid, name="ING", currency="EUR")
    set_default_account(session, user_id=uid, account_id=ing.id)
    preview = svc.preview_import(session, user_id=uid, data=EUR_PLAIN, filename="ing.csv")
    assert preview.account_name == "ING"
    czk = svc.preview_import(session, user_id=uid, data=CZK_PLAIN, filename="czk.csv")
    assert czk.account_name == "Account …1234"  # the number masked (session 26)
