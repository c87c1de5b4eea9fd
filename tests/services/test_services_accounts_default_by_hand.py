"""The default account after accounts added by hand (session 24, issue #19's defect noted in session 23): a EUR credit
card added first took the starter's place and so became a USD user's default, where later CSV files without an
account went. An account added by hand takes the starter's place (and the default's) only as a checking account in
the starter's currency, whenever the starter is still untouched; any other is added beside it.
Runs on SQLite, and PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

from budgetwise.importing import ImportOptions
from budgetwise.services import accounts
from budgetwise.services import importing as svc

NO_ACCOUNT = b"Date,Description,Amount\n2024-04-01,Grocer,-12.50\n"


def _default(session, uid: int) -> accounts.AccountView:
    return accounts.get_account(session, user_id=uid, account_id=accounts.default_account_id(session, user_id=uid))


def test_a_card_in_another_currency_added_first_does_not_become_the_default(session, alice):
    uid = alice.user_id
    starter = _default(session, uid)
    card = accounts.create_account(session, user_id=uid, name="Visa", kind="credit_card", currency="EUR")
    assert card.id != starter.id
    assert _default(session, uid) == starter and (starter.kind, starter.currency) == ("checking", "USD")
    assert accounts.default_of(accounts.list_accounts(session, user_id=uid)) == starter
    # session 27: a file naming no currency, for a user with USD and EUR accounts: its currency (or account) is chosen
    usd = ImportOptions(currency="USD")
    preview = svc.preview_import(session, user_id=uid, data=NO_ACCOUNT, filename="b.csv", options=usd)
    assert preview.account_name == accounts.DEFAULT_ACCOUNT_NAME  # not the card
    result = svc.commit_import(session, user_id=uid, data=NO_ACCOUNT, filename="b.csv", options=usd)
    assert result.rows_imported == 1
    got = {b.account.name: b.transactions for b in accounts.balances(session, user_id=uid).accounts}
    assert got == {accounts.DEFAULT_ACCOUNT_NAME: 1, "Visa": 0}


def test_a_checking_account_in_the_users_currency_added_later_takes_the_starters_place(session, alice):
    uid = alice.user_id
    starter = _default(session, uid)
    accounts.create_account(session, user_id=uid, name="Visa", kind="credit_card", currency="EUR")
    accounts.create_account(session, user_id=uid, name="Savings", kind="savings")  # the user's currency: beside too
    checking = accounts.create_account(session, user_id=uid, name="Everyday", kind="checking", currency="USD")
    assert checking.id == starter.id and _default(session, uid).name == "Everyday"
    assert {a.name for a in accounts.list_accounts(session, user_id=uid)} == {"Everyday", "Visa", "Savings"}


def test_a_checking_account_in_another_currency_is_added_beside_the_starter(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Euro checking", kind="checking", currency="EUR")
    assert _default(session, uid).name == accounts.DEFAULT_ACCOUNT_NAME


def test_a_starter_that_holds_rows_stays_and_stays_the_default(session, alice):
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=NO_ACCOUNT, filename="b.csv")
    accounts.create_account(session, user_id=uid, name="Everyday", kind="checking")
    assert _default(session, uid).name == accounts.DEFAULT_ACCOUNT_NAME
    assert len(accounts.list_accounts(session, user_id=uid)) == 2
