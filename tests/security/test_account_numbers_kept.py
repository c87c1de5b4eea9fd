"""Where a full account or card number could still be kept after session 27 masked the rows' account texts (imp27,
migration 0046) and the import's words (sec27). sec28 found two:

* an account column written with no-break spaces ("DE89\\u00a03704 …", narrow no-break spaces in French-formatted
  exports) was stored whole as every row's account text (pages, the CSV export, the rules' "Only for account"):
  ``row_text`` looked for a long number in the raw text, where a no-break space ends a number, while the masking
  itself collapses white space;
* an import batch kept the file's name whole, and banks name their exports after the IBAN ("NL91ABNA0417164300_
  01-01-2024_31-12-2024.csv" is ING's pattern): Import History, the undo's words and "Download all my data" showed it.

Made-up numbers; SQLite, PostgreSQL, MariaDB.
"""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import ImportBatch, Transaction
from budgetwise.services import data_export
from budgetwise.services import importing as svc
from budgetwise.services.account_numbers import file_name, row_text

NBSP_IBAN = "DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000"
NARROW_CARD = "4111\u202f1111\u202f1111\u202f1234"


def _digits_shown(text: str) -> bool:
    return any(part in "".join(text.split()) for part in ("37040044", "0532013000", "41111111", "0417164300"))


def test_a_number_spaced_with_no_break_spaces_is_masked_in_the_rows_text():
    assert row_text(NBSP_IBAN) == "DE…3000"
    assert row_text(NARROW_CARD) == "Account …1234"
    assert row_text("Visa") == "Visa" and row_text("2024") == "2024"  # no number: as written


def test_an_import_keeps_no_full_number_in_its_rows(session, alice):
    data = ("Date,Description,Amount,Account\n"
            f"2024-03-01,Zorblat Markt,-12.50,{NBSP_IBAN}\n2024-03-02,Vrenglo Cafe,-4.20,{NARROW_CARD}\n").encode()
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="bank.csv")
    kept = session.scalars(select(Transaction.account).where(Transaction.user_id == alice.user_id)).all()
    assert kept and not any(_digits_shown(t or "") for t in kept), kept


def test_a_files_name_keeps_no_account_number():
    assert file_name("NL91ABNA0417164300_01-01-2024_31-12-2024.csv") == "NL91ABNA…4300_01-01-2024_31-12-2024.csv"
    assert file_name("CSV_A_DE89370400440532013000_EUR_20240101_20241231.csv") == \
        "CSV_A_DE…3000_EUR_20240101_20241231.csv"  # dates of 8 digits stay
    assert file_name("Umsaetze 01.01.2024 - 31.12.2024.csv") == "Umsaetze 01.01.2024 - 31.12.2024.csv"
    assert file_name("statement.ofx") == "statement.ofx"


def test_an_import_batch_keeps_the_files_name_masked(session, alice):
    data = b"Date,Description,Amount\n2024-03-01,Zorblat Markt,-12.50\n"
    name = "NL91ABNA0417164300_01-01-2024_31-12-2024.csv"
    svc.commit_import(session, user_id=alice.user_id, data=data, filename=name)
    stored = session.scalars(select(ImportBatch.filename).where(ImportBatch.user_id == alice.user_id)).all()
    shown = [b.filename for b in svc.list_import_batches(session, user_id=alice.user_id)]
    exported = data_export.export_frames(session, user_id=alice.user_id)["import_batches.csv"].to_csv()
    assert stored == ["NL91ABNA…4300_01-01-2024_31-12-2024.csv"] and shown == stored
    assert not _digits_shown(exported), exported
