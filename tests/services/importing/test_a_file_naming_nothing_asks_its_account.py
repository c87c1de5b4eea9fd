"""Session 27 (#19, route26's "left"): a CSV/Excel file that names neither its account nor its currency is not guessed
into an account when the user's accounts are in several currencies: the preview asks (``account_question``), the
import is refused until an account or the file's currency is chosen, and nothing is written. One currency: as before."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from budgetwise.errors import ValidationError
from budgetwise.importing import ImportOptions
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx

PLAIN = b"Date,Description,Amount\n2024-03-01,Tesco,-12.50\n2024-03-02,Pret,-4.20\n"


def _count(session, model, user_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(model.user_id == user_id)))


def _accounts_of(session, user_id: int) -> set[str]:
    return set(session.scalars(select(Account.name).join(Transaction, Transaction.account_id == Account.id)
                               .where(Transaction.user_id == user_id)))


def test_accounts_in_two_currencies_ask_and_nothing_is_written_until_answered(session, alice):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date="2024-01-02", amount="1.00", kind="expense", description="Coffee")
    giro = accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    preview = svc.preview_import(session, user_id=uid, data=PLAIN, filename="plain.csv")
    assert preview.account_question == (
        "Which account is this file's? It names neither its account nor its currency, and your accounts are in EUR "
        "and USD (“Main account” and “Girokonto”), so its rows would only be guessed to be in USD.")
    assert not preview.can_commit and preview.rows_new == 2  # the rows are read; only their account is missing
    n_accounts = _count(session, Account, uid)
    for call in (svc.prepare_import, svc.commit_import):
        with pytest.raises(ValidationError, match="Pass --account NAME .* or --currency CODE"):
            call(session, user_id=uid, data=PLAIN, filename="plain.csv", preview=preview)
    assert (_count(session, Transaction, uid), _count(session, Account, uid)) == (1, n_accounts)
    # the answer: an account chosen for the file
    chosen = ImportOptions(account_id=giro.id)
    assert svc.preview_import(session, user_id=uid, data=PLAIN, filename="plain.csv", options=chosen).account_question == ""
    svc.commit_import(session, user_id=uid, data=PLAIN, filename="plain.csv", options=chosen)
    assert _accounts_of(session, uid) == {"Main account", "Girokonto"}


def test_an_updated_export_of_rows_stored_before_goes_where_they_are_unasked(session, alice):
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=PLAIN, filename="plain.csv")  # accounts in USD only: not asked
    accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    again = PLAIN + b"2024-03-03,Boots,-3.00\n"
    later = svc.preview_import(session, user_id=uid, data=again, filename="plain2.csv")
    assert (later.account_question, later.account_name, later.rows_new) == ("", "Main account", 1)


def test_the_files_currency_answers_it_too(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    eur = ImportOptions(currency="EUR")
    preview = svc.preview_import(session, user_id=uid, data=PLAIN, filename="plain.csv", options=eur)
    assert preview.account_question == "" and preview.account_name == "Girokonto"
    svc.commit_import(session, user_id=uid, data=PLAIN, filename="plain.csv", options=eur)
    assert _accounts_of(session, uid) == {"Girokonto"}


def test_one_currency_keeps_the_smooth_path_and_a_file_naming_its_account_or_currency_is_not_asked(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Savings", kind="savings", currency="USD")
    assert svc.preview_import(session, user_id=uid, data=PLAIN, filename="plain.csv").account_question == ""
    accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    named = b"Date,Description,Amount,Account\n2024-03-01,Tesco,-12.50,Savings\n"
    currency = b"Date,Description,Amount,Currency\n2024-03-01,Tesco,-12.50,EUR\n"
    header = b"Date,Description,Betrag (EUR)\n2024-03-01,Tesco,-12.50\n"
    for data in (named, currency, header):
        assert svc.preview_import(session, user_id=uid, data=data, filename="f.csv").account_question == "", data


def test_another_users_accounts_do_not_make_the_question(session, alice, bob):
    accounts.create_account(session, user_id=bob.user_id, name="Girokonto", currency="EUR")
    accounts.create_account(session, user_id=bob.user_id, name="Pounds", currency="GBP")
    assert svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv").account_question == ""
    # nor does bob's copy of the file, stored in his EUR account, answer alice's question
    accounts.create_account(session, user_id=alice.user_id, name="Euro", currency="EUR")
    giro = next(a for a in accounts.list_accounts(session, user_id=bob.user_id) if a.name == "Girokonto")
    svc.commit_import(session, user_id=bob.user_id, data=PLAIN, filename="p.csv", options=ImportOptions(account_id=giro.id))
    assert svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv").account_question
