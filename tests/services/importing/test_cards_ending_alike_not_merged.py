"""Two cards of one user ending in the same last 4 digits are never merged silently (session 29, sec29; ofx28's and
mask28's leftover). A card is kept as its last 4 digits (mask28, ofx28: never the whole number), so once two of a
user's accounts keep "1234" (0048/0049 reduced two whole numbers ending alike, or the user chose a second account
for a card ending so) the next statement went into the first of them, "Amex" or "Visa" as the ids fell; and one file
numbering two different whole card numbers ending alike put both into one "Card …1234". What a user expects: the
statement in the account of that card, and when the import cannot tell which account that is, to be asked (the
import's account question, as for the empty "Visa": nothing imported until an account is chosen). One account
keeping the digits is still found without a question. Made-up numbers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.errors import ValidationError
from budgetwise.importing import ImportOptions
from budgetwise.models import Account, Transaction
from budgetwise.services import account_numbers, accounts
from budgetwise.services import importing as svc
from budgetwise.services.importing import ask

HEAD = b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
CSV = HEAD + b"2024-01-05,2024-01-06,1234,Diner,Food,6.60,\n"
TWO_WHOLE = (HEAD + b"2024-01-05,2024-01-06,4111111111131234,Diner,Food,6.60,\n"
             b"2024-01-07,2024-01-08,5555555555551234,Cafe,Food,4.20,\n")
OFX_HEADER = (b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
              b"COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n")
OFX = OFX_HEADER + (
    b"<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><CCSTMTRS><CURDEF>USD"
    b"<CCACCTFROM><ACCTID>4111111111131234</CCACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20240201<STMTTRN>"
    b"<TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>1<NAME>DINER</STMTTRN></BANKTRANLIST></CCSTMTRS>"
    b"</CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>")


def _two_cards(session, uid: int) -> tuple[Account, Account]:
    amex = accounts.create_account(session, user_id=uid, name="Amex Gold", kind="credit_card", external_id="1234")
    visa = accounts.create_account(session, user_id=uid, name="Visa Classic", kind="credit_card", external_id="1234")
    return amex, visa


def _held(session, uid: int) -> dict[str, int]:
    rows = session.execute(select(Account.name, Transaction.id).join(Account, Account.id == Transaction.account_id)
                           .where(Transaction.user_id == uid)).all()
    out: dict[str, int] = {}
    for name, _ in rows:
        out[name] = out.get(name, 0) + 1
    return out


@pytest.mark.parametrize(("data", "name"), [(CSV, "card.csv"), (OFX, "card.ofx")])
def test_a_statement_of_a_card_two_accounts_keep_is_asked_about(session, alice, data, name):
    uid = alice.user_id
    amex, visa = _two_cards(session, uid)
    preview = svc.preview_import(session, user_id=uid, data=data, filename=name)
    assert "…1234" in preview.account_question and "“Amex Gold”" in preview.account_question \
        and "“Visa Classic”" in preview.account_question, preview.account_question
    with pytest.raises(ValidationError, match="--account"):
        svc.commit_import(session, user_id=uid, data=data, filename=name)
    assert _held(session, uid) == {}
    chosen = ImportOptions(account_id=visa.id)  # answered: the rows go where the user says
    assert svc.preview_import(session, user_id=uid, data=data, filename=name, options=chosen).account_question == ""
    svc.commit_import(session, user_id=uid, data=data, filename=name, options=chosen)
    assert _held(session, uid) == {"Visa Classic": 1}


def test_one_file_of_two_whole_card_numbers_ending_alike_is_asked_about(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=TWO_WHOLE, filename="two.csv")
    assert preview.account_question.startswith(ask.CLASH_ASKS) and "…1234" in preview.account_question
    with pytest.raises(ValidationError):
        svc.commit_import(session, user_id=uid, data=TWO_WHOLE, filename="two.csv")
    assert _held(session, uid) == {}


def test_one_account_keeping_the_digits_is_found_without_a_question(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Amex Gold", kind="credit_card", external_id="1234")
    before = set(session.scalars(select(Account.name).where(Account.user_id == uid)))
    for data, name in ((CSV, "card.csv"), (OFX, "card.ofx")):  # the same payment: the second finds it stored
        preview = svc.preview_import(session, user_id=uid, data=data, filename=name)
        assert preview.account_question == "" and preview.account_name == "Amex Gold"
        svc.commit_import(session, user_id=uid, data=data, filename=name, preview=preview)
    assert _held(session, uid) == {"Amex Gold": 1}
    assert set(session.scalars(select(Account.name).where(Account.user_id == uid))) == before


def test_another_users_accounts_keeping_the_digits_ask_nothing(session, alice, bob):
    _two_cards(session, alice.user_id)
    assert account_numbers.card_clash(session, user_id=bob.user_id, values=["1234"]) is None
    assert account_numbers.card_clash(session, user_id=alice.user_id, values=["1234"]) == \
        ("1234", ["Amex Gold", "Visa Classic"])
    preview = svc.preview_import(session, user_id=bob.user_id, data=CSV, filename="card.csv")
    assert preview.account_question == "" and "Amex" not in str(preview) and "Visa" not in str(preview)
