"""A file with the opening-balance rows of several accounts (session 29, open29; open28 left them transfer rows):
each account's "(New Account)" row becomes that account's opening balance when the account has none and no earlier
row; the import records every account it set (with what it had before), so undoing it puts all of them back; a
failure writes none of them; a re-import (preview and commit) finds them set already: nothing new. The preview's
line decides whether fix28's transfers note is left out by a flag, not by its words."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from budgetwise.models import Account, ImportBatch, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services.importing import opening_balance

HEAD = b"Type,Date,Set Time,Title,Amount,Currency,Exchange Rate,Category Group Name,Category,Account,Notes,Labels,Status\n"
BLUECOINS = HEAD + (
    b"Expense,2020-02-08 09:00:00,09:00,Bakery,-2.40,EUR,1.0000000000,Food,Groceries,Cash,,,None\n"
    b"Expense,2020-02-07 09:00:00,09:00,Market,-12.80,EUR,1.0000000000,Food,Groceries,Black Plus,,,None\n"
    b"Expense,2020-02-06 09:00:00,09:00,Cinema,-7.50,EUR,1.0000000000,Entertainment,Cinema,Boost,,,None\n"
    b"Expense,2020-02-05 09:00:00,09:00,Bakery,-3.10,EUR,1.0000000000,Food,Groceries,Cash,,,None\n"
    b"Expense,2020-02-04 08:00:00,08:00,Cinema,-8.00,EUR,1.0000000000,Entertainment,Cinema,Boost,,,None\n"
    b"Expense,2020-02-03 07:00:40,07:00,Netflix,-13.99,EUR,1.0000000000,Entertainment,Netflix,Boost,,,None\n"
    b"Expense,2020-02-02 20:00:05,20:00,Eating out,-10.39,EUR,1.0000000000,Food,Eating out,Cash,,,Reconciled\n"
    b"Expense,2020-01-20 10:00:00,10:00,Groceries,-40.00,EUR,1.0000000000,Food,Groceries,Black Plus,,,Reconciled\n"
    b"New Account,2020-01-16 00:00:00,00:00,Black Plus,-433.38,EUR,1.0000000000,(New Account),(New Account),Black Plus,,,Reconciled\n"
    b"New Account,2019-11-05 07:56:49,07:56,Cash,11.20,EUR,1.0000000000,(New Account),(New Account),Cash,,,Reconciled\n"
    b"New Account,2019-11-05 00:00:00,00:00,Boost,4.26,EUR,1.0000000000,(New Account),(New Account),Boost,,,Reconciled\n"
)
OPENINGS = {"Black Plus": (-43338, dt.date(2020, 1, 16)), "Cash": (1120, dt.date(2019, 11, 5)),
            "Boost": (426, dt.date(2019, 11, 5))}
END = dt.date(2020, 3, 1)


def _accounts(session, uid: int) -> dict[str, tuple[int, dt.date | None]]:
    return {a.name: (a.opening_balance_minor, a.opening_date) for a in session.scalars(
        select(Account).where(Account.user_id == uid))}


def _balances(session, uid: int) -> dict[str, int]:
    return {b.account.name: b.balance_minor for b in accounts.balances(session, user_id=uid, as_of=END).accounts}


def _descriptions(session, uid: int) -> list[str]:
    return sorted(session.scalars(select(Transaction.description).where(Transaction.user_id == uid)))


def _cash(session, uid: int) -> int:
    """An account the user made before the import, with no opening balance: its previous state is put back."""
    return accounts.create_account(session, user_id=uid, name="Cash", kind="cash", currency="EUR").id


def test_each_accounts_opening_row_sets_its_opening_balance_and_the_undo_puts_all_back(session, alice):
    uid = alice.user_id
    cash = _cash(session, uid)
    done = svc.commit_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    assert done.rows_imported == 8 and len(_descriptions(session, uid)) == 8 and "Cash" not in _descriptions(session, uid)
    got = _accounts(session, uid)
    assert {n: got[n] for n in OPENINGS} == OPENINGS
    assert "3 opening-balance rows become their accounts' opening balances" in done.opening
    assert "“Cash” €11.20 on 2019-11-05" in done.opening
    assert _balances(session, uid)["Black Plus"] == -43338 - 4000 - 1280  # counted once, as fix28's transfer row
    record = json.loads(session.get(ImportBatch, done.batch_id).balance_undo_json)
    assert sorted(r["account_id"] for r in record) == sorted(
        a.id for a in session.scalars(select(Account).where(Account.user_id == uid, Account.name.in_(OPENINGS))))
    undone = svc.undo_import(session, user_id=uid, batch_id=done.batch_id)
    assert not _descriptions(session, uid)
    got = _accounts(session, uid)
    assert "Cash" in got and got["Cash"] == (0, None)  # the user's own account: its opening balance from before
    assert "Boost" not in got and "Black Plus" not in got  # created by the import, empty again: removed
    assert accounts.get_account(session, user_id=uid, account_id=cash).opening_date is None
    # no statement was matched; nothing said of the accounts the undo removed
    assert undone.balance == (("Cash", "“Cash” has its opening balance from before this import again (€0.00)."),)


def test_a_reimport_is_nothing_new_in_the_preview_and_the_commit(session, alice):
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    again = svc.preview_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    assert again.rows_new == 0 and again.rows_duplicate == 11  # the opening rows are the opening balances already
    assert "already their accounts' opening balances" in again.opening_line
    done = svc.commit_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv", preview=again)
    assert done.nothing_new and done.rows_duplicate == 11
    assert {n: _accounts(session, uid)[n] for n in OPENINGS} == OPENINGS


def test_a_reimport_of_one_accounts_file_is_nothing_new_in_the_preview(session, alice):
    uid = alice.user_id
    ynab = b"Date,Payee,Outflow,Inflow\n2019-11-02,Starting Balance,0.00,5231.00\n2019-11-05,Market,12.00,0.00\n"
    svc.commit_import(session, user_id=uid, data=ynab, filename="ynab.csv")
    again = svc.preview_import(session, user_id=uid, data=ynab, filename="ynab.csv")
    assert (again.rows_new, again.rows_duplicate) == (0, 2)
    assert again.opening_line.startswith("“Starting Balance” $5,231.00 on 2019-11-02 is already “")
    assert again.opening_line.endswith("'s opening balance: nothing new.")


def test_the_preview_of_a_multi_account_file_says_each_balance(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    assert preview.rows_new == 11
    assert preview.opening_line.startswith("3 opening-balance rows become their accounts' opening balances: ")
    assert "“Black Plus” −€433.38 on 2020-01-16" in preview.opening_line or \
        "“Black Plus” -€433.38 on 2020-01-16" in preview.opening_line
    assert not any(opening_balance.KEPT_AS_TRANSFERS in w for w in preview.warnings)
    done = svc.commit_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv", preview=preview)
    assert done.opening == preview.opening_line


def test_an_account_with_its_own_opening_balance_keeps_its_row_the_others_are_set(session, alice):
    uid = alice.user_id
    cash = _cash(session, uid)
    accounts.set_opening_balance(session, user_id=uid, account_id=cash, amount="50.00", opening_date=dt.date(2019, 1, 1))
    preview = svc.preview_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    assert "2 opening-balance rows become" in preview.opening_line
    assert "“Cash” stays a transfer row of “Cash”: it has an opening balance." in preview.opening_line
    done = svc.commit_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    assert done.rows_imported == 9 and "Cash" in _descriptions(session, uid)
    got = _accounts(session, uid)
    assert got["Cash"] == (5000, dt.date(2019, 1, 1)) and got["Boost"] == OPENINGS["Boost"]


def test_a_failed_import_leaves_every_opening_balance_as_it_was(session, alice, monkeypatch):
    from budgetwise.services.importing import commit

    uid = alice.user_id
    _cash(session, uid)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit, "_insert_rows", fail)  # after the opening balances are written
    with pytest.raises(RuntimeError):
        svc.commit_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    got = _accounts(session, uid)
    assert got["Cash"] == (0, None) and "Boost" not in got and not _descriptions(session, uid)


def test_the_transfers_note_is_left_out_by_the_flag_not_by_the_words(session, alice):
    """An account whose name holds " becomes ": its row stays a transfer row, so fix28's note stays true and shown."""
    uid = alice.user_id
    acct = accounts.create_account(session, user_id=uid, name="Rent becomes due", currency="USD").id
    accounts.set_opening_balance(session, user_id=uid, account_id=acct, amount="10.00", opening_date=dt.date(2019, 1, 1))
    ynab = b"Date,Payee,Outflow,Inflow\n2019-11-02,Starting Balance,0.00,5231.00\n2019-11-05,Market,12.00,0.00\n"
    preview = svc.preview_import(session, user_id=uid, data=ynab, filename="ynab.csv",
                                 options=svc.ImportOptions(account_id=acct))
    assert "stays a transfer row of “Rent becomes due”" in preview.opening_line
    assert any(opening_balance.KEPT_AS_TRANSFERS in w for w in preview.warnings)


def test_an_import_recorded_before_session_29_still_undoes(session, alice):
    """One account's record as a plain object (sessions 25-28) is read as before."""
    uid = alice.user_id
    ynab = b"Date,Payee,Outflow,Inflow\n2019-11-02,Starting Balance,0.00,5231.00\n2019-11-05,Market,12.00,0.00\n"
    done = svc.commit_import(session, user_id=uid, data=ynab, filename="ynab.csv")
    batch = session.get(ImportBatch, done.batch_id)
    [entry] = json.loads(batch.balance_undo_json)
    batch.balance_undo_json = json.dumps(entry)  # the old form
    session.flush()
    svc.undo_import(session, user_id=uid, batch_id=done.batch_id)
    assert all(v == (0, None) for v in _accounts(session, uid).values())
