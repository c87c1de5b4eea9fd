"""The default account after a first import (session 21's new-user trial): a file's credit card took the
starter's place and so became the default, where the next file without an account column went. Only a
checking account an import creates takes the starter's place; with none, the starter stays the default."""

from __future__ import annotations

from budgetwise.importing import ImportOptions
from budgetwise.services import accounts
from budgetwise.services import importing as svc

CARD_FIRST = (b"Date,Description,Amount,Account\n2024-03-01,Diner,-30.00,Visa Card\n"
              b"2024-03-02,Salary,1000.00,Everyday Checking\n2024-03-03,Fuel,-40.00,Visa Card\n")
CARD_ONLY = b"Date,Description,Amount,Account\n2024-03-01,Diner,-30.00,Amex\n2024-03-02,Fuel,-40.00,Amex\n"
NO_ACCOUNT = b"Date,Description,Amount\n2024-04-01,Grocer,-12.50\n"


def _default(session, uid: int) -> accounts.AccountView:
    return accounts.get_account(session, user_id=uid, account_id=accounts.default_account_id(session, user_id=uid))


def test_a_checking_account_from_the_file_becomes_the_default_not_the_card_listed_first(session, alice):
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=CARD_FIRST, filename="a.csv")
    default = _default(session, uid)
    assert (default.name, default.kind) == ("Everyday Checking", "checking")
    names = {a.name: a.kind for a in accounts.list_accounts(session, user_id=uid)}
    assert names == {"Everyday Checking": "checking", "Visa Card": "credit_card"}  # no empty starter left
    preview = svc.preview_import(session, user_id=uid, data=NO_ACCOUNT, filename="b.csv")
    assert preview.account_name == "Everyday Checking"


def test_a_file_naming_only_a_card_keeps_the_starter_as_the_default(session, alice):
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=CARD_ONLY, filename="a.csv")
    assert _default(session, uid).name == accounts.DEFAULT_ACCOUNT_NAME
    preview = svc.preview_import(session, user_id=uid, data=NO_ACCOUNT, filename="b.csv")
    assert preview.account_name == accounts.DEFAULT_ACCOUNT_NAME


def test_a_credit_card_statement_keeps_the_starter_as_the_default(session, alice):
    uid = alice.user_id
    ofx = (
        b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
        b"OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0"
        b"<SEVERITY>INFO</STATUS><CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>4111222233334444</CCACCTFROM>"
        b"<BANKTRANLIST><DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60"
        b"<FITID>1<NAME>DINER</STMTTRN></BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>"
    )
    svc.commit_import(session, user_id=uid, data=ofx, filename="card.ofx")
    kinds = {a.name: a.kind for a in accounts.list_accounts(session, user_id=uid)}
    assert _default(session, uid).name == accounts.DEFAULT_ACCOUNT_NAME, kinds
    assert "credit_card" in kinds.values()


def test_the_account_remembered_with_a_saved_mapping_is_preselected_else_the_default(session, alice):
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=CARD_FIRST, filename="a.csv")
    card = accounts.find_account(session, user_id=uid, name="Visa Card")
    first = svc.preview_import(session, user_id=uid, data=NO_ACCOUNT, filename="b.csv")
    svc.save_mapping(session, user_id=uid, name="Card export", header_signature=first.header_signature,
                     columns=first.columns, mapping=first.mapping, account_id=card.id)
    again = svc.preview_import(session, user_id=uid, data=NO_ACCOUNT, filename="c.csv", options=ImportOptions())
    assert (again.account_name, again.account_id) == ("Visa Card", card.id)
