"""The bank's own type of a transaction (issue #16): read from OFX <TRNTYPE> and from a CSV's "Type"
column, cleaned (untrusted text), stored in transactions.bank_type; rows' descriptions and
fingerprints do not change, so a file imported before still finds its rows as duplicates."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from budgetwise.importing import ImportOptions, parse_file
from budgetwise.importing.banktype import BANK_TYPE_MAX, clean_bank_type
from budgetwise.models import Transaction
from budgetwise.services import importing as svc


def _ofx(*trns: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"<STMTTRN><TRNTYPE>{t}<DTPOSTED>2024010{i + 1}<TRNAMT>{amt}<FITID>{i}<NAME>{name}</STMTTRN>"
        for i, (t, amt, name) in enumerate(trns)
    )
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
        "OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>42<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
        f"<DTSTART>20240101<DTEND>20240201{body}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode()


SCHWAB = (
    b"Date,Type,Check #,Description,Withdrawal (-),Deposit (+),RunningBalance\n"
    b"01/05/2024,ATM,,BMO HARRIS BANK,$60.00,,$940.00\n"
    b"01/06/2024,VISA,,COFFEE SHOP 12,$4.50,,$935.50\n"
    b"01/07/2024,INTADJUST,,Interest Paid,,$0.12,$935.62\n"
)

UK = (
    b"Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance\n"
    b"05/01/2024,CPT,'30-00-00,12345678,LNK HIGH ST CD 1234,20.00,,980.00\n"
    b"06/01/2024,DD,'30-00-00,12345678,BRITISH GAS,45.10,,934.90\n"
    b"07/01/2024,FPI,'30-00-00,12345678,J SMITH,,100.00,1034.90\n"
)

DIRECTION = (
    b"Date,Description,Amount,Type\n"
    b"2024-01-05,Shop A,12.50,Debit\n"
    b"2024-01-06,Employer,1000.00,Credit\n"
)


def test_clean_bank_type_strips_control_characters_and_caps_the_length():
    assert clean_bank_type("  ATM\x00\x1b[31m ") == "ATM[31m"
    assert clean_bank_type("DIRECT\u202eDEBIT") == "DIRECTDEBIT"
    assert clean_bank_type("'=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert clean_bank_type("X" * 500) == "X" * BANK_TYPE_MAX
    assert clean_bank_type("a   b") == "a b"
    assert clean_bank_type(None) == ""


def test_ofx_trntype_is_kept_per_row():
    parsed = parse_file(_ofx(("ATM", "-60.00", "BMO HARRIS BANK"), ("SRVCHG", "-5.00", "MONTHLY"),
                             ("DIRECTDEBIT\x07" + "Z" * 40, "-9.00", "GYM")), "s.ofx")
    assert parsed.rows["bank_type"].tolist() == ["ATM", "SRVCHG", ("DIRECTDEBIT" + "Z" * 40)[:BANK_TYPE_MAX]]
    assert parsed.rows["description"].tolist() == ["BMO HARRIS BANK", "MONTHLY", "GYM"]


def test_a_csv_type_column_is_mapped_as_the_bank_type_and_descriptions_do_not_change():
    for data, types in ((SCHWAB, ["ATM", "VISA", "INTADJUST"]), (UK, ["CPT", "DD", "FPI"])):
        parsed = parse_file(data, "f.csv")
        assert parsed.mapping.bank_type == 1
        assert parsed.rows["bank_type"].tolist() == types
        # the same file read with no bank-type column: every other role and each description is the same
        without = parse_file(data, "f.csv", ImportOptions(mapping=replace(parsed.mapping, bank_type=None)))
        assert without.rows["description"].tolist() == parsed.rows["description"].tolist()
        assert without.rows["kind"].tolist() == parsed.rows["kind"].tolist()
        assert set(without.rows["bank_type"]) == {""}


def test_a_type_column_of_debit_and_credit_stays_the_direction_hint():
    parsed = parse_file(DIRECTION, "d.csv")
    assert parsed.mapping.direction == 3 and parsed.mapping.bank_type == 3
    assert parsed.rows["kind"].tolist() == ["expense", "income"]
    assert parsed.rows["bank_type"].tolist() == ["Debit", "Credit"]


def test_a_file_without_a_type_column_has_none():
    parsed = parse_file(b"Date,Description,Amount\n2024-01-05,Shop,-3.00\n", "n.csv")
    assert parsed.mapping.bank_type is None
    assert parsed.rows["bank_type"].tolist() == [""]


def test_the_bank_type_is_stored_and_reimports_are_duplicates(session, alice):
    for data, name in ((SCHWAB, "s.csv"), (UK, "u.csv"), (_ofx(("ATM", "-60.00", "BMO"), ("FEE", "-2.00", "X")), "o.ofx")):
        first = svc.commit_import(session, user_id=alice.user_id, data=data, filename=name)
        again = svc.preview_import(session, user_id=alice.user_id, data=data, filename=name)
        assert again.rows_duplicate == again.rows_valid > 0
        stored = session.scalars(select(Transaction.bank_type).where(Transaction.import_batch_id == first.batch_id))
        assert set(stored) <= {"ATM", "VISA", "INTADJUST", "CPT", "DD", "FPI", "FEE"}


def test_rows_stored_without_a_bank_type_are_still_found_as_duplicates(session, alice):
    """A file imported before the bank type existed (its rows' bank_type NULL) is found again."""
    first = svc.commit_import(session, user_id=alice.user_id, data=UK, filename="u.csv")
    session.execute(Transaction.__table__.update().where(Transaction.import_batch_id == first.batch_id)
                    .values(bank_type=None))
    again = svc.preview_import(session, user_id=alice.user_id, data=UK, filename="u.csv")
    assert again.rows_duplicate == 3
