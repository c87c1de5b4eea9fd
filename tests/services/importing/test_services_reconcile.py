"""Statement reconciliation (issue #19): a file's own balance against the account it goes to."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from budgetwise.errors import ValidationError
from budgetwise.importing import ImportOptions, parse_file
from budgetwise.importing import statement as st
from budgetwise.models import AuditLog
from budgetwise.services import accounts
from budgetwise.services import importing as svc

# oldest first; the balance moves by each amount; it says 2,180.00 after the last row, while the
# rows alone add up to 1,180.00: the account held 1,000.00 before the statement
CSV = (b"Date,Description,Amount,Balance\n2024-03-01,Coffee,-3.50,996.50\n2024-03-02,Salary,2500.00,3496.50\n"
       b"2024-03-03,Rent,-1200.00,2296.50\n2024-03-04,Groceries,-96.50,2200.00\n2024-03-05,Book,-20.00,2180.00\n")


def _ofx(ledger: str, curdef: str = "EUR") -> bytes:
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
        "OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        f"<STMTRS><CURDEF>{curdef}<BANKACCTFROM><BANKID>1<ACCTID>55554444<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
        "<DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>1<NAME>DINER"
        f"</STMTTRN></BANKTRANLIST>{ledger}</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode()


def test_ledger_balance_is_read_from_sgml_and_xml_spellings():
    sgml = st.ledger_balance(_ofx("<LEDGERBAL><BALAMT>1234.56<DTASOF>20240131120000[-5:EST]"))
    assert (sgml.amount_minor, sgml.currency, sgml.date) == (123456, "EUR", dt.date(2024, 1, 31))
    xml = st.ledger_balance(_ofx("<ledgerbal>\n  <balamt>-10,5</balamt>\n  <dtasof>20240201</dtasof>\n</ledgerbal>"))
    assert (xml.amount_minor, xml.date) == (-1050, dt.date(2024, 2, 1))
    assert st.ledger_balance(_ofx("")) is None
    assert st.ledger_balance(_ofx("<LEDGERBAL><BALAMT>abc<DTASOF>20240131</LEDGERBAL>")) is None
    assert st.ledger_balance(_ofx("<LEDGERBAL><BALAMT>1.234<DTASOF>20240131</LEDGERBAL>")) is None  # 3 decimals in EUR


def test_the_running_balance_gives_the_closing_balance_in_either_file_order():
    parsed = parse_file(CSV, "a.csv")
    assert parsed.statement_balance.amount_minor == 218000 and parsed.statement_balance.date == dt.date(2024, 3, 5)
    head, *body = CSV.strip().split(b"\n")
    newest_first = parse_file(b"\n".join([head, *body[::-1]]) + b"\n", "a.csv")
    assert newest_first.statement_balance == parsed.statement_balance
    wrong = CSV.replace(b"2296.50", b"9.00").replace(b"2200.00", b"7.00").replace(b"3496.50", b"5.00")
    assert parse_file(wrong, "a.csv").statement_balance is None  # not the running balance of these rows


def test_the_statement_balance_message_writes_its_day_in_the_users_date_format(session, alice):
    """The reconciliation sentence said "on 2024-03-05" whatever date format the user chose."""
    from budgetwise.services.profile import update_profile

    assert "on 2024-03-05" in svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv").reconciliation.message
    update_profile(session, user_id=alice.user_id, date_format="%m/%d/%Y")
    message = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv").reconciliation.message
    assert "on 03/05/2024" in message and "2024-03-05" not in message


def test_preview_shows_the_difference_and_the_opening_balance_can_be_set_from_it(session, alice):
    preview = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv")
    recon = preview.reconciliation
    assert (recon.computed_minor, recon.difference_minor, recon.reconciles) == (118000, 100000, False)
    assert "difference of +$1,000.00" in recon.message and "will be at $1,180.00" in recon.message
    svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv", preview=preview)
    after = svc.after_import(session, user_id=alice.user_id, parsed=preview.analysis.parsed,
                             options=preview.analysis.options, data=CSV)
    assert after.difference_minor == 100000 and "is at $1,180.00" in after.message
    view = svc.set_opening_from_statement(session, principal=alice, account_id=after.account_id, balance=after.statement)
    assert view.opening_balance_minor == 100000
    again = svc.after_import(session, user_id=alice.user_id, parsed=preview.analysis.parsed,
                             options=preview.analysis.options, data=CSV)
    assert again.reconciles and "matches the account" in again.message
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "account.opening_from_statement")).one()
    assert "0.00 -> 1000.00 USD" in audit.details and "2180.00 on 2024-03-05" in audit.details
    # importing the same statement again adds nothing, and it still reconciles
    assert svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv").reconciliation.reconciles


def test_a_statement_in_another_currency_than_the_account_gets_a_specific_message(session, alice):
    usd = accounts.create_account(session, user_id=alice.user_id, name="Checking", currency="USD")
    data = _ofx("<LEDGERBAL><BALAMT>100.00<DTASOF>20240131</LEDGERBAL>")
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.ofx",
                                 options=ImportOptions(account_id=usd.id))
    recon = preview.reconciliation
    assert recon.difference_minor is None and "is in EUR but the account “Checking” is in USD" in recon.message
    with pytest.raises(ValidationError, match="is in EUR but the account “Checking” is in USD"):
        svc.set_opening_from_statement(session, principal=alice, account_id=usd.id, balance=recon.statement)
    assert accounts.get_account(session, user_id=alice.user_id, account_id=usd.id).opening_balance_minor == 0


def test_an_ofx_statement_for_a_new_account_is_reconciled_against_its_own_rows(session, alice):
    data = _ofx("<LEDGERBAL><BALAMT>-6.60<DTASOF>20240131</LEDGERBAL>")
    recon = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.ofx").reconciliation
    assert recon.account_id is None and recon.account_name == "Checking …4444" and recon.reconciles


def test_an_opening_date_after_the_statement_is_refused(session, alice):
    acct = accounts.create_account(session, user_id=alice.user_id, name="Later", opening_date="2024-06-01")
    balance = st.StatementBalance(500, "USD", dt.date(2024, 3, 5), "probe")
    with pytest.raises(ValidationError, match="opens on 2024-06-01, after the statement's date 2024-03-05"):
        svc.set_opening_from_statement(session, principal=alice, account_id=acct.id, balance=balance)


def test_the_opening_date_refusal_names_months_in_the_users_language(session, alice):
    """Session 16: the user's "%d %b %Y" wrote English month names for a de_DE user ("01 Jun 2024")."""
    from budgetwise.services import profile

    german = profile.update_profile(session, user_id=alice.user_id, date_format="%d %b %Y", locale="de_DE")
    acct = accounts.create_account(session, user_id=alice.user_id, name="Later", opening_date="2024-06-01")
    balance = st.StatementBalance(500, "USD", dt.date(2024, 3, 5), "probe")
    with pytest.raises(ValidationError, match="opens on 01 Juni 2024, after the statement's date 05 März 2024"):
        svc.set_opening_from_statement(session, principal=german, account_id=acct.id, balance=balance)


def test_an_undated_opening_balance_joins_the_preview_when_the_file_is_older_than_the_account(session, alice):
    """An undated opening balance counts from the account's first transaction (or creation): a new
    account holding 1,000.00 whose statement (March 2024) is older than the account itself. Before the
    import its balance on 2024-03-05 has no opening balance; after it, the file's rows come first and
    the opening balance counts from them, and the preview must say what the import will give."""
    account = accounts.create_account(session, user_id=alice.user_id, name="Current", opening_balance="1000")
    preview = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv",
                                 options=ImportOptions(account_id=account.id))
    assert preview.reconciliation.computed_minor == 218000 and preview.reconciliation.reconciles
    svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv", preview=preview)
    after = svc.after_import(session, user_id=alice.user_id, parsed=preview.analysis.parsed,
                             options=preview.analysis.options, data=CSV)
    assert after.reconciles
