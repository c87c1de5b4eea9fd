"""Undo of an import removes the accounts that import created when they are empty and nothing refers to them
(issue #19; session 18, cfacct, migration 0028): not when they hold other rows, a goal follows one, an item is
scheduled for it, a saved mapping sends files to it, it has an opening balance, or it is the last open account;
the result names removed and kept accounts; a failure leaves the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.models import Account, ImportBatch, Transaction
from budgetwise.services import accounts, cashflow, goal_accounts, goals
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx
from budgetwise.services.importing import history as history_module
from budgetwise.services.importing import routing

CSV = (b"Date,Description,Amount,Account\n2024-03-01,Grocer,-12.50,Checking\n2024-03-02,Diner,-30.00,Visa\n"
       b"2024-03-03,Interest,1.00,Savings\n")
TODAY = dt.date.today()


def _names(session, uid):
    return sorted(a.name for a in accounts.list_accounts(session, user_id=uid, include_archived=True))


def _import(session, uid, data=CSV, name="a.csv"):
    return svc.commit_import(session, user_id=uid, data=data, filename=name)


def _id(session, uid, name):
    return accounts.find_account(session, user_id=uid, name=name).id


def test_the_accounts_an_import_created_are_marked_and_its_undo_removes_them(session, alice):
    uid = alice.user_id
    before = _names(session, uid)
    first = _import(session, uid)
    created = dict(session.execute(select(Account.name, Account.created_by_import_id)
                                   .where(Account.user_id == uid)).all())
    # the untouched starter account took the first new name: it existed before, so it is not the import's
    assert created == {"Checking": None, "Visa": first.batch_id, "Savings": first.batch_id}
    assert before == ["Main account"]
    done = svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    assert done.rows == 3 and done.removed_accounts == ("Visa", "Savings") and done.kept_accounts == ()
    assert done.accounts_text == "Removed the empty accounts it created: “Visa” and “Savings”."
    assert _names(session, uid) == ["Checking"]


def test_the_last_open_account_stays(session, alice):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)  # the starter "Main account" holds a row: the import creates all three
    first = _import(session, uid)
    accounts.archive_account(session, user_id=uid, account_id=_id(session, uid, "Main account"))
    done = svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    assert len(done.removed_accounts) == 2 and len(done.kept_accounts) == 1
    kept = done.kept_accounts[0]
    assert kept[1] == "it is your only open account" and f"Kept “{kept[0]}”, which it created: it is your only open " \
        "account." in done.accounts_text
    assert [a.name for a in accounts.list_accounts(session, user_id=uid)] == [kept[0]]


def test_what_refers_to_an_account_keeps_it_and_says_why(session, alice):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)  # the starter "Main account" holds a row: the import creates all three
    first = _import(session, uid)
    visa, savings, checking = (_id(session, uid, n) for n in ("Visa", "Savings", "Checking"))
    accounts.set_account_kind(session, user_id=uid, account_id=savings, kind="savings")
    goal = goals.create_goal(session, user_id=uid, name="Trip", target="1000",
                             target_date=TODAY + dt.timedelta(days=400))
    goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=savings)
    cashflow.add_scheduled(session, user_id=uid, name="Card fee", amount="3", kind="expense",
                           next_date=TODAY + dt.timedelta(days=3), account_id=visa)
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="9", kind="expense", description="typed too",
                       account_id=checking, auto_categorize=False)
    done = svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    assert done.removed_accounts == ()
    assert dict(done.kept_accounts) == {"Checking": "it holds other transactions", "Visa":
                                        "an item is scheduled for it on the Cash flow page", "Savings": "a goal follows it"}
    assert _names(session, uid) == ["Checking", "Main account", "Savings", "Visa"]


def test_an_opening_balance_or_a_saved_mapping_keeps_it(session, alice):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)
    first = _import(session, uid)
    accounts.set_opening_balance(session, user_id=uid, account_id=_id(session, uid, "Visa"), amount="-40")
    preview = svc.preview_import(session, user_id=uid, data=CSV, filename="a.csv")
    svc.save_mapping(session, user_id=uid, name="Bank", header_signature=preview.header_signature,
                     columns=preview.columns, mapping=preview.mapping, account_id=_id(session, uid, "Savings"))
    done = svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    assert done.removed_accounts == ("Checking",)
    assert dict(done.kept_accounts) == {"Visa": "it has an opening balance",
                                        "Savings": "a saved column mapping sends files to it"}


def test_undoing_two_imports_into_a_new_account_removes_it_with_the_second(session, alice):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)
    first = _import(session, uid)
    second = _import(session, uid, b"Date,Description,Amount,Account\n2024-04-01,Grocer,-7.00,Checking\n", "b.csv")
    done = svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    assert done.removed_accounts == ("Visa", "Savings") and done.kept_accounts == (
        ("Checking", "it holds other transactions"),)
    assert svc.undo_import(session, user_id=uid, batch_id=second.batch_id).removed_accounts == ("Checking",)
    assert _names(session, uid) == ["Main account"]


def test_an_archived_empty_account_it_created_goes_too(session, alice):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)
    first = _import(session, uid)
    accounts.archive_account(session, user_id=uid, account_id=_id(session, uid, "Visa"))
    assert "Visa" in svc.undo_import(session, user_id=uid, batch_id=first.batch_id).removed_accounts


def test_a_failure_leaves_the_database_as_it_was(session, alice, monkeypatch):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)
    first = _import(session, uid)
    names = _names(session, uid)

    def broken(*_a, **_k):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(history_module, "_delete_accounts", broken)
    with pytest.raises(RuntimeError):
        svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    session.expire_all()
    assert _names(session, uid) == names
    assert session.get(ImportBatch, first.batch_id).status == "committed"
    assert len(session.scalars(select(Transaction.id).where(Transaction.import_batch_id == first.batch_id)).all()) == 3
    monkeypatch.undo()
    assert svc.undo_import(session, user_id=uid, batch_id=first.batch_id).removed_accounts == ("Checking", "Visa",
                                                                                               "Savings")


def test_an_account_added_by_hand_or_by_another_import_is_never_removed(session, alice, bob):
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)
    accounts.create_account(session, user_id=uid, name="Visa")  # by hand: the file's Visa rows go into it
    first = _import(session, uid)
    theirs = _import(session, bob.user_id)
    assert svc.undo_import(session, user_id=uid, batch_id=first.batch_id).removed_accounts == ("Checking", "Savings")
    assert "Visa" in _names(session, uid) and {"Checking", "Visa", "Savings"} <= set(_names(session, bob.user_id))
    assert theirs.batch_id is not None


OFX = (
    b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
    b"OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
    b"<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>55506877<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
    b"<DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>1<NAME>DINER"
    b"</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
)


@pytest.mark.parametrize(("data", "name", "created"), [
    (CSV, "a.csv", ["Checking", "Savings", "Visa"]),  # the file's account column
    (OFX, "a.ofx", ["Checking …6877"]),  # the statement's ACCTID
    (b"Date,Description,Amount,Currency\n2024-03-01,Boulangerie,-4.20,EUR\n", "eur.csv", ["Euro account (EUR)"]),
], ids=["account-column", "ofx-acctid", "by-currency"])
def test_an_account_added_in_another_tab_while_the_import_runs_is_not_the_imports(session, alice, monkeypatch,
                                                                                   data, name, created):
    """Security review, session 19: the import tagged every account that appeared while it ran, so its undo removed
    an empty account the user added meanwhile in another tab. Another session on the import's own connection (so
    it sees the import's uncommitted rows, as a concurrent READ COMMITTED transaction sees the other's commit)
    adds accounts through the accounts service just before and just after the import creates its own."""
    uid = alice.user_id
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="typed",
                       auto_categorize=False)  # the starter "Main account" holds a row: nothing takes its place
    real_assign = routing.assign

    def by_hand(account_name):
        with Session(bind=session.connection(), join_transaction_mode="create_savepoint") as other:
            accounts.create_account(other, user_id=uid, name=account_name)
            other.commit()

    def assign_while_another_tab_adds(*args, **kwargs):
        by_hand("Cash box")
        try:
            return real_assign(*args, **kwargs)
        finally:
            by_hand("Joint")

    monkeypatch.setattr(routing, "assign", assign_while_another_tab_adds)
    first = _import(session, uid, data, name)
    monkeypatch.undo()
    tagged = sorted(session.scalars(select(Account.name).where(Account.user_id == uid,
                                                               Account.created_by_import_id == first.batch_id)))
    assert tagged == created
    done = svc.undo_import(session, user_id=uid, batch_id=first.batch_id)
    assert sorted(done.removed_accounts) == created and done.kept_accounts == ()
    assert _names(session, uid) == ["Cash box", "Joint", "Main account"]
