"""Undoing an import puts back the balance it confirmed or set from the file's statement (session 25, known25;
``services/importing/balance_undo.py``, migration 0040). Before, the undo deleted the rows and left the account's
confirmed day (and an opening balance set from the statement): a balance "confirmed" on a day whose rows were gone.
Runs on SQLite, and PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import NotFoundError
from budgetwise.services import account_balance as AB
from budgetwise.services import accounts
from budgetwise.services import importing as svc

# the statement says 2,180.00 after the last row (2024-03-05); the rows add up to 1,180.00
CSV = (b"Date,Description,Amount,Balance\n2024-03-01,Coffee,-3.50,996.50\n2024-03-02,Salary,2500.00,3496.50\n"
       b"2024-03-03,Rent,-1200.00,2296.50\n2024-03-04,Groceries,-96.50,2200.00\n2024-03-05,Book,-20.00,2180.00\n")
DAY = dt.date(2024, 3, 5)
# a savings statement of a bank account the user has no account for yet: the import creates "Savings …4444"
OFX = (b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
       b"OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
       b"<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>55554444<ACCTTYPE>SAVINGS</BANKACCTFROM><BANKTRANLIST>"
       b"<DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>1<NAME>FEE"
       b"</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>500.00<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS>"
       b"</BANKMSGSRSV1></OFX>")


def _import(session, user, *, set_opening: bool, data: bytes = CSV, filename: str = "a.csv"):
    """As the Import page does with its box ticked (or the CLI with --set-opening-balance): commit, then reconcile
    with the statement and set the opening balance from it when it differs, all as import ``batch_id``."""
    preview = svc.preview_import(session, user_id=user.user_id, data=data, filename=filename)
    result = svc.commit_import(session, user_id=user.user_id, data=data, filename=filename, preview=preview)
    recon = svc.after_preview(session, user_id=user.user_id, preview=preview, data=data, batch_id=result.batch_id)
    if set_opening and not recon.reconciles:
        svc.set_opening_from_statement(session, principal=user, account_id=recon.account_id, balance=recon.statement,
                                       batch_id=result.batch_id)
    return result, recon.account_id


def _state(session, user, account_id: int):
    view = accounts.get_account(session, user_id=user.user_id, account_id=account_id)
    return view.opening_balance_minor, view.opening_date, view.balance_confirmed_on


def test_undo_puts_back_the_opening_balance_and_the_confirmed_day_the_import_set(session, alice):
    account = accounts.default_account_id(session, user_id=alice.user_id)
    earlier = dt.date(2024, 1, 31)  # the user had matched the bank before
    accounts.confirm_balance(session, user_id=alice.user_id, account_id=account, day=earlier)
    result, got = _import(session, alice, set_opening=True)
    assert got == account and _state(session, alice, account) == (100000, None, DAY)
    done = svc.undo_import(session, user_id=alice.user_id, batch_id=result.batch_id)
    assert _state(session, alice, account) == (0, None, earlier)  # old code: (100000, None, 2024-03-05)
    assert "has its opening balance and its last confirmed balance from before this import again" in done.accounts_text


def test_undo_of_an_import_that_only_reconciled_clears_its_confirmed_day(session, alice):
    account = accounts.default_account_id(session, user_id=alice.user_id)
    accounts.set_opening_balance(session, user_id=alice.user_id, account_id=account, amount="1000")  # it matches
    result, _ = _import(session, alice, set_opening=False)
    assert _state(session, alice, account) == (100000, None, DAY)  # confirmed by the reconciliation
    svc.undo_import(session, user_id=alice.user_id, batch_id=result.batch_id)
    assert _state(session, alice, account) == (100000, None, None)  # the opening balance was the user's: kept


def test_a_balance_set_after_the_import_is_a_newer_fact_and_stays(session, alice):
    """Its figure stays; the day it confirmed counted the rows the undo deleted, so it is no longer marked (session 26:
    it stayed "confirmed"; ``test_undo_balance_orders.py`` walks every order)."""
    result, account = _import(session, alice, set_opening=True)
    AB.set_balance_on(session, principal=alice, account_id=account, amount="2000", day=DAY, today=dt.date(2026, 12, 7))
    after = _state(session, alice, account)
    done = svc.undo_import(session, user_id=alice.user_id, batch_id=result.batch_id)
    assert _state(session, alice, account) == (*after[:2], None)
    assert "opening balance was set after this import (by you): it stays" in done.accounts_text


def test_an_account_the_import_created_and_set_is_removed_again(session, alice):
    """Its opening balance came from the file being undone: put back, the account is empty and goes (old code: kept,
    "it has an opening balance")."""
    result, account = _import(session, alice, set_opening=True, data=OFX, filename="savings.ofx")
    name = accounts.get_account(session, user_id=alice.user_id, account_id=account).name
    assert name.startswith("Savings") and _state(session, alice, account) == (50660, None, dt.date(2024, 1, 31))
    done = svc.undo_import(session, user_id=alice.user_id, batch_id=result.batch_id)
    assert done.removed_accounts == (name,) and not done.kept_accounts
    assert "before this import" not in done.accounts_text  # the account is gone: nothing to say of its balance


def test_another_users_batch_changes_nothing_and_is_not_found(session, alice, bob):
    result, account = _import(session, alice, set_opening=True)
    before = _state(session, alice, account)
    theirs = accounts.default_account_id(session, user_id=bob.user_id)
    preview = svc.preview_import(session, user_id=bob.user_id, data=CSV, filename="a.csv")
    svc.commit_import(session, user_id=bob.user_id, data=CSV, filename="a.csv", preview=preview)
    recon = svc.after_preview(session, user_id=bob.user_id, preview=preview, data=CSV)
    with pytest.raises(NotFoundError):
        svc.set_opening_from_statement(session, principal=bob, account_id=theirs, balance=recon.statement,
                                       batch_id=result.batch_id)
    assert _state(session, bob, theirs) == (0, None, None)  # refused before anything was written
    with pytest.raises(NotFoundError):
        svc.undo_import(session, user_id=bob.user_id, batch_id=result.batch_id)
    assert _state(session, alice, account) == before
