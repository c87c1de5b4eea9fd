"""Session 28 (ofx28, #19, mask28's open point): an OFX credit-card statement's account id (``<CCACCTFROM><ACCTID>``,
often the whole card number) made an account keeping it whole as its ``external_id`` ("Download all my data" exported
it in accounts.csv), because the OFX import found its account by that exact id. A card number there (13-19 digits
passing the Luhn check, ``account_numbers.is_card_number``) is kept as its last 4 digits now and the statement is
routed as a card column's value is (``account_numbers.by_card``): the same file again, or a CSV of the card, whole or
masked, reaches the same account; another card (other last 4) never does. A bank statement's id stays whole (it is
found by it exactly). Made-up numbers; SQLite, PostgreSQL, MariaDB."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import Account, Transaction
from budgetwise.services import account_numbers, data_export
from budgetwise.services import importing as svc

CARD = "4111111111131234"  # Luhn-valid, ends 1234
OTHER = "5555555555345678"  # Luhn-valid, ends 5678
HEADER = (b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
          b"COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")


def _card_ofx(acctid: str, day: str = "20240105", fitid: str = "1") -> bytes:
    return HEADER + (
        "<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><CCSTMTRS><CURDEF>USD"
        f"<CCACCTFROM><ACCTID>{acctid}</CCACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20240201<STMTTRN>"
        f"<TRNTYPE>POS<DTPOSTED>{day}<TRNAMT>-6.60<FITID>{fitid}<NAME>DINER</STMTTRN></BANKTRANLIST></CCSTMTRS>"
        "</CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>").encode()


def _bank_ofx(acctid: str) -> bytes:
    return HEADER + (
        "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD"
        f"<BANKACCTFROM><BANKID>121000248<ACCTID>{acctid}<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
        "<DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>1<NAME>DINER"
        "</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>").encode()


def _import(session, user_id: int, data: bytes, name: str):
    preview = svc.preview_import(session, user_id=user_id, data=data, filename=name)
    return preview, svc.commit_import(session, user_id=user_id, data=data, filename=name, preview=preview)


def _numbered(session, user_id: int) -> dict[str, str]:
    return {a.name: a.external_id for a in session.scalars(select(Account).where(Account.user_id == user_id))
            if a.external_id}


def test_an_ofx_card_statement_keeps_the_last_four_and_finds_its_account_again(session, alice):
    uid = alice.user_id
    assert account_numbers.is_card_number(CARD) and not account_numbers.is_card_number("4111111111111234")
    _import(session, uid, _card_ofx(CARD), "card.ofx")
    assert _numbered(session, uid) == {"Credit card …1234": "1234"}
    exported = data_export.export_frames(session, user_id=uid)["accounts.csv"].to_csv()
    assert "41111111" not in exported
    preview, result = _import(session, uid, _card_ofx(CARD), "card-again.ofx")  # the same file again
    assert (result.rows_imported, result.rows_duplicate) == (0, 1)
    assert preview.account_name == "Credit card …1234"
    _import(session, uid, _card_ofx(CARD, "20240110", "2"), "card-feb.ofx")  # its next statement
    _import(session, uid, _card_ofx("XXXXXXXXXXXX1234", "20240111", "3"), "masked.ofx")  # a masked id
    csv = b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n2024-01-20,2024-01-21,1234,Cafe,Food,5.00,\n"
    _import(session, uid, csv, "card.csv")  # a CSV of the card
    assert _numbered(session, uid) == {"Credit card …1234": "1234"}
    ids = list(session.scalars(select(Transaction.account_id).where(Transaction.user_id == uid)))
    assert len(ids) == 4 and len(set(ids)) == 1


def test_a_csv_card_account_is_found_by_an_ofx_statement_of_the_card_and_another_card_is_not(session, alice):
    uid = alice.user_id
    csv = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
           b"2024-01-20,2024-01-21,XXXX-XXXX-XXXX-1234,Cafe,Food,5.00,\n")
    _import(session, uid, csv, "card.csv")
    _import(session, uid, _card_ofx(CARD), "card.ofx")
    _import(session, uid, _card_ofx(OTHER, "20240112", "9"), "other.ofx")
    assert _numbered(session, uid) == {"Card …1234": "1234", "Credit card …5678": "5678"}


def test_a_bank_statement_id_stays_whole(session, alice):
    uid = alice.user_id
    long_bank = "4012888888881881"  # Luhn-valid digits, but a checking account's id: kept whole, found by it
    _import(session, uid, _bank_ofx(long_bank), "bank.ofx")
    _import(session, uid, _bank_ofx(long_bank), "bank-again.ofx")
    assert _numbered(session, uid) == {"Checking …1881": long_bank}
    _import(session, uid, _card_ofx("4111222233334444", "20240113", "8"), "not-luhn.ofx")  # not a card number: whole, as before
    assert _numbered(session, uid)["Credit card …4444"] == "4111222233334444"
