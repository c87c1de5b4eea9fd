"""Imports put their rows into an account (issue #19): a chosen one, the OFX account id's, or the default."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.importing import ImportOptions
from budgetwise.models import ImportBatch, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc

CSV = b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n2024-03-02,Salary,1000.00\n"


def _ofx(acctid: str, fitid: str = "1") -> bytes:
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
        "OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        f"<STMTRS><CURDEF>CAD<BANKACCTFROM><BANKID>1<ACCTID>{acctid}<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
        f"<DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>{fitid}<NAME>DINER{fitid}"
        "</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode()


def _accounts_of(session, batch_id):
    return set(session.scalars(select(Transaction.account_id).where(Transaction.import_batch_id == batch_id)))


def test_csv_rows_go_to_the_chosen_account(session, alice):
    card = accounts.create_account(session, user_id=alice.user_id, name="Card", kind="credit_card")
    result = svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv",
                               options=ImportOptions(account_id=card.id))
    assert _accounts_of(session, result.batch_id) == {card.id}


def test_csv_without_a_choice_goes_to_the_default_account(session, alice):
    result = svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv")
    default = accounts.default_account_id(session, user_id=alice.user_id)
    assert _accounts_of(session, result.batch_id) == {default}


def test_ofx_account_ids_map_to_accounts_automatically(session, alice):
    first = svc.commit_import(session, user_id=alice.user_id, data=_ofx("12345678"), filename="a.ofx")
    (acct,) = _accounts_of(session, first.batch_id)
    view = accounts.get_account(session, user_id=alice.user_id, account_id=acct)
    assert view.external_id == "12345678" and view.currency == "CAD" and view.name == "Checking …5678"
    again = svc.commit_import(session, user_id=alice.user_id, data=_ofx("12345678", "2"), filename="b.ofx")
    assert _accounts_of(session, again.batch_id) == {acct}
    other = svc.commit_import(session, user_id=alice.user_id, data=_ofx("999", "3"), filename="c.ofx")
    assert _accounts_of(session, other.batch_id) != {acct}


def test_another_users_or_an_archived_account_is_refused_and_nothing_is_written(session, alice, bob):
    theirs = accounts.create_account(session, user_id=bob.user_id, name="Bob's")
    with pytest.raises(NotFoundError):
        svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv",
                          options=ImportOptions(account_id=theirs.id))
    old = accounts.create_account(session, user_id=alice.user_id, name="Old")
    accounts.create_account(session, user_id=alice.user_id, name="New")
    accounts.archive_account(session, user_id=alice.user_id, account_id=old.id)
    with pytest.raises(ValidationError, match="“Old” is archived"):
        svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv",
                          options=ImportOptions(account_id=old.id))
    assert session.query(ImportBatch).filter(ImportBatch.user_id == alice.user_id).count() == 0


def test_csv_account_is_remembered_with_the_saved_mapping(session, alice):
    card = accounts.create_account(session, user_id=alice.user_id, name="Card", kind="credit_card")
    preview = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv")
    saved = svc.save_mapping(session, user_id=alice.user_id, name="My bank", header_signature=preview.header_signature,
                             columns=preview.columns, mapping=preview.mapping, account_id=card.id)
    assert saved.account_id == card.id
    again = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="b.csv")
    assert again.saved_mapping.account_id == card.id
    result = svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="b.csv")
    assert _accounts_of(session, result.batch_id) == {card.id}
    # an explicit choice wins over the remembered one
    other = accounts.create_account(session, user_id=alice.user_id, name="Other")
    result = svc.commit_import(session, user_id=alice.user_id,
                               data=CSV.replace(b"2024-03", b"2024-04"), filename="c.csv",
                               options=ImportOptions(account_id=other.id))
    assert _accounts_of(session, result.batch_id) == {other.id}


def test_an_ofx_account_gets_a_readable_name_from_its_type_and_last_digits(session, alice):
    assert accounts.external_account_name("1452687~7", "CHECKING") == "Checking …6877"
    assert accounts.external_account_name("987654321", "savings") == "Savings …4321"
    assert accounts.external_account_name("4111-22", "CREDITLINE") == "Credit card …1122"
    assert accounts.external_account_name("AB~7") == "Account …AB~7"
    acct = accounts.account_for_external_id(session, user_id=alice.user_id, external_id="1452687~7",
                                            account_type="SAVINGS")
    view = accounts.get_account(session, user_id=alice.user_id, account_id=acct)
    assert (view.name, view.kind, view.external_id) == ("Savings …6877", "savings", "1452687~7")
    # the same last digits again: a unique name, and the preview names the account the import will create
    assert accounts.name_for_external_id(session, user_id=alice.user_id, external_id="99996877",
                                         account_type="SAVINGS") == "Savings …6877 (2)"


def test_the_preview_names_the_account_the_import_uses(session, alice):
    first = svc.preview_import(session, user_id=alice.user_id, data=_ofx("1452687~7"), filename="a.ofx")
    assert (first.account_name, first.account_new) == ("Checking …6877", True)
    svc.commit_import(session, user_id=alice.user_id, data=_ofx("1452687~7"), filename="a.ofx")
    # the OFX account (CAD) stays beside the unused USD starter account (session 25: only an account in the
    # starter's currency takes its place): a CAD CSV goes to it, and says so; a CSV in the user's USD goes to the
    # USD starter, not into the CAD account (session 10)
    names = [a.name for a in accounts.list_accounts(session, user_id=alice.user_id)]
    usd = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv")
    assert (usd.account_name, usd.account_new) == ("Main account", False)
    cad = ImportOptions(currency="CAD")
    csv = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv", options=cad)
    assert names == ["Main account", "Checking …6877"] and (csv.account_name, csv.account_new) == ("Checking …6877", False)
    result = svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv", options=cad)
    ofx_account = accounts.find_account(session, user_id=alice.user_id, name="Checking …6877").id
    assert _accounts_of(session, result.batch_id) == {ofx_account}
