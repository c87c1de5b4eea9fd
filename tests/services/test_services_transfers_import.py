"""Imported transfers are offered (issue #19, session 17 xferimp): a file whose rows name their accounts (a CSV
account column, OFX statements of two accounts) and whose two halves of a transfer are both in a transfer category
(the file's own category, a rule's) must still be offered as one pair. Left unlinked, the halves counted as
neither income nor spending but one account's cash flow never saw the money leave (only a confirmed pair says
where it went). Never paired across users."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select

from budgetwise.models import Category, Transaction
from budgetwise.services import accounts, reports, transfers
from budgetwise.services import importing as svc
from budgetwise.services.forecast.from_db import history_from_db

CSV = (
    b"date,description,amount,type,category,account\n"
    b"2025-01-03,GROCER,42.10,expense,Groceries,Checking\n"
    b"2025-01-26,TRANSFER TO SAVINGS ACCOUNT,500.00,expense,Transfers,Checking\n"
    b"2025-01-27,TRANSFER FROM CHECKING,500.00,income,,Savings\n"
    b"2025-02-03,GROCER,38.00,expense,Groceries,Checking\n"
    b"2025-02-26,TRANSFER TO SAVINGS ACCOUNT,500.00,expense,Transfers,Checking\n"
    b"2025-02-27,TRANSFER FROM CHECKING,500.00,income,Transfers,Savings\n"
)


def _ofx(acctid: str, acctype: str, amount: str, name: str) -> bytes:
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
        "OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        f"<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>{acctid}<ACCTTYPE>{acctype}</BANKACCTFROM><BANKTRANLIST>"
        f"<DTSTART>20250101<DTEND>20250201<STMTTRN><TRNTYPE>XFER<DTPOSTED>20250110<TRNAMT>{amount}<FITID>{acctid}1"
        f"<NAME>{name}</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode()


def _transfer_rows(session, user_id: int) -> dict[int, tuple[str, str | None, str | None]]:
    """{row id: (account, category kind, description)} of the user's rows in a transfer category."""
    rows = session.execute(
        select(Transaction.id, Transaction.account_id, Category.kind, Transaction.description)
        .join(Category, Category.id == Transaction.category_id).where(Transaction.user_id == user_id))
    return {i: (a, k, d) for i, a, k, d in rows if k == "transfer"}


def _spending(session, user_id: int, account_id: int) -> int:
    daily = history_from_db(session, user_id=user_id, as_of=dt.date(2025, 3, 31), account_ids=[account_id]).daily
    return int(daily.loc[daily["kind"] == "expense", "amount_minor"].sum())


def test_a_csv_with_an_account_column_offers_its_transfers_already_in_transfers(session, alice, bob):
    uid = alice.user_id
    result = svc.commit_import(session, user_id=uid, data=CSV, filename="both.csv")
    chk = accounts.find_account(session, user_id=uid, name="Checking")
    sav = accounts.find_account(session, user_id=uid, name="Savings")
    moved = _transfer_rows(session, uid)
    # each row in the account its line names; all four halves already in a transfer category (file or rule)
    assert sorted(a for a, _k, _d in moved.values()) == [chk.id, chk.id, sav.id, sav.id], moved
    flt = reports.ReportFilter(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 3, 31))
    summary = reports.summary(session, user_id=uid, filters=flt)
    assert (summary.income_minor, summary.expense_minor) == (0, 8010)
    before = _spending(session, uid, chk.id)
    assert before == 8010  # the old code: the $500 a month leaving Checking was never seen there

    # the same file for another user: each user's pairs are their own
    svc.commit_import(session, user_id=bob.user_id, data=CSV, filename="both.csv")
    found = transfers.find_candidates(session, user_id=uid)
    assert len(found) == 2 and {c.level for c in found} == {"likely"}  # the old code offered none
    assert {(c.out_account, c.in_account, c.amount_minor) for c in found} == {("Checking", "Savings", 50000)}
    assert {x for c in found for x in (c.out_transaction_id, c.in_transaction_id)} == set(moved)
    assert all("in a transfer category" in c.reasons for c in found)
    assert len(transfers.find_candidates(session, user_id=bob.user_id)) == 2
    assert not {x for c in transfers.find_candidates(session, user_id=bob.user_id)
                for x in (c.out_transaction_id, c.in_transaction_id)} & set(moved)

    # confirmed: still neither income nor spending in the reports, and Checking's cash flow sees the money go
    states = {t.id: (t.category_id, t.category_manual, t.category_source) for t in session.scalars(
        select(Transaction).where(Transaction.id.in_(list(moved))))}
    links = [transfers.confirm_transfer(session, user_id=uid, out_transaction_id=c.out_transaction_id,
                                        in_transaction_id=c.in_transaction_id) for c in found]
    assert reports.summary(session, user_id=uid, filters=flt) == summary
    assert _spending(session, uid, chk.id) == before + 2 * 50000
    assert transfers.find_candidates(session, user_id=uid) == []
    # undone: each row's state as the import left it (the file's category, the rule's)
    for link in links:
        transfers.undo_transfer(session, user_id=uid, transfer_id=link.id)
    session.expire_all()
    assert {t.id: (t.category_id, t.category_manual, t.category_source) for t in session.scalars(
        select(Transaction).where(Transaction.id.in_(list(moved))))} == states
    assert _spending(session, uid, chk.id) == before
    assert result.rows_imported == 6


def test_two_ofx_statements_offer_the_transfer_between_their_accounts(session, alice):
    """Two OFX files (a checking and a savings account, their account ids): rules put both halves in
    Transfers; the pair is offered."""
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=_ofx("111", "CHECKING", "-250.00", "TRANSFER TO SAVINGS"),
                      filename="chk.ofx")
    svc.commit_import(session, user_id=uid, data=_ofx("222", "SAVINGS", "250.00", "TRANSFER FROM CHECKING"),
                      filename="sav.ofx")
    rows = session.execute(select(Transaction.id, Transaction.account_id).where(Transaction.user_id == uid)).all()
    assert len({a for _i, a in rows}) == 2
    (cand,) = transfers.find_candidates(session, user_id=uid)
    assert {cand.out_transaction_id, cand.in_transaction_id} == {i for i, _a in rows}
    assert cand.level == "likely" and cand.amount_minor == 25000


def test_the_demo_csv_imported_offers_its_transfers(db, session, alice, tmp_path, capsys):
    """`budgetwise demo --csv` (both accounts) imported: every month's Checking → Savings transfer is offered
    (the old code offered none: both halves were in Transfers), and the CLI says so."""
    from budgetwise.cli import main

    path = tmp_path / "demo.csv"
    assert main(["demo", "--csv", str(path), "--months", "6", "--seed", "7"]) == 0
    said = capsys.readouterr().out
    assert "offered" in said and "Accounts" in said
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    out_rows = frame[(frame["account"] == "Checking") & (frame["category"] == "Transfers")]
    svc.commit_import(session, user_id=alice.user_id, data=path.read_bytes(), filename="demo.csv")
    found = transfers.find_candidates(session, user_id=alice.user_id)
    assert len(out_rows) >= 5
    assert len(found) == len(out_rows) and {(c.out_account, c.in_account) for c in found} == {("Checking", "Savings")}


def test_a_pair_already_filed_under_transfers_is_marked_filed(session, alice):
    """Session 29 (trial29): the Kaggle file's 50 card payments, each half filed under Transfers by the import, were
    counted "50 transfers to check" as if something were wrong. A pair both of whose rows are already in a transfer
    category is ``filed`` (linking it is optional: it tells each account's cash flow where the money went); a pair
    with a row outside one still needs the user's check."""
    from budgetwise.services import transactions as tx

    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=CSV, filename="both.csv")
    chk = accounts.find_account(session, user_id=uid, name="Checking")
    sav = accounts.find_account(session, user_id=uid, name="Savings")
    out = tx.add_transaction(session, user_id=uid, date=dt.date(2025, 3, 10), amount="75", kind="expense",
                             description="TO SAVINGS", account_id=chk.id, auto_categorize=False)
    tx.add_transaction(session, user_id=uid, date=dt.date(2025, 3, 10), amount="75", kind="income",
                       description="FROM CHECKING", account_id=sav.id, auto_categorize=False)
    found = {c.out_transaction_id: c for c in transfers.find_candidates(session, user_id=uid)}
    assert len(found) == 3
    assert not found.pop(out.id).filed
    assert all(c.filed for c in found.values())
