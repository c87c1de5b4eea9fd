"""Import service: preview, duplicates, one-transaction commit, history, undo, saved mappings.

Runs on SQLite always and on PostgreSQL / MariaDB when their URLs are set (see conftest).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pandas as pd
import pytest
from sqlalchemy import func, select

from budgetwise.errors import ImportFileError, NotFoundError, ValidationError
from budgetwise.importing import ColumnMapping, FileLayout, ImportOptions, parse_file
from budgetwise.models import ImportBatch, ImportMapping, Transaction, User
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx
from budgetwise.services.auth import data_version
from budgetwise.text import fingerprint
from budgetwise.textforms import merchant_key

CSV = (
    b"Date,Description,Amount\n"
    b"2024-03-01,Coffee Corner,-3.50\n"
    b"2024-03-01,Coffee Corner,-3.50\n"
    b"2024-03-02,ACME Salary March,2500.00\n"
    b"2024-03-03,Grocery Store 123,-45.10\n"
    b"1800-01-01,Ancient,-1.00\n"
    b"2024-03-04,Bad amount,12abc\n"
)


def count(session, model, user_id) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(model.user_id == user_id)) or 0)


def commit(session, user, data=CSV, name="march.csv", **opts):
    return svc.commit_import(session, user_id=user.user_id, data=data, filename=name, options=ImportOptions(**opts))


# --------------------------------------------------------------------------- preview
def test_preview_writes_nothing_and_explains_everything(session, alice):
    before = data_version(session, user_id=alice.user_id)
    p = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="march.csv")
    assert (p.file_format, p.encoding, p.delimiter, p.header_row) == ("csv", "utf-8", ",", 1)
    assert p.columns == ("Date", "Description", "Amount")
    assert p.mapping == ColumnMapping(date=0, amount=2, description=(1,))
    assert (p.rows_read, p.rows_valid, p.rows_duplicate, p.rows_new) == (6, 4, 0, 4)
    assert [(r.row, r.field) for r in p.rejections] == [(6, "date"), (7, "amount")]
    assert "implausibly old" in p.rejections[0].reason and "letters" in p.rejections[1].reason
    assert [(r.row, r.amount_minor, r.kind) for r in p.rows] == [(2, 350, "expense"), (3, 350, "expense"),
                                                                 (4, 250000, "income"), (5, 4510, "expense")]
    assert p.currencies == (("USD", 4),)
    assert (p.date_min, p.date_max) == (dt.date(2024, 3, 1), dt.date(2024, 3, 3))
    assert count(session, Transaction, alice.user_id) == 0
    assert count(session, ImportBatch, alice.user_id) == 0
    assert data_version(session, user_id=alice.user_id) == before


def test_the_preview_carries_how_the_file_was_read_exactly_as_parsed(session, alice):
    """FileLayout is the one owner of how a file was read (format, dialect, header, columns, mapping,
    conventions, warnings): the preview extends it and carries the parse's values unchanged."""
    data = b"Buchungstag;Text;Betrag;Saldo\n01.03.2024;REWE;-3,50;96,50\n02.03.2024;Lohn;2.500,00;2.596,50\n"
    p = svc.preview_import(session, user_id=alice.user_id, data=data, filename="konto.csv")
    parsed = parse_file(data, "konto.csv", default_currency="USD")
    assert isinstance(p, FileLayout) and isinstance(parsed, FileLayout)
    assert p.layout() == parsed.layout()
    assert (p.delimiter, p.decimal, p.date_order) == (";", ",", "dmy")
    assert set(p.layout()) == {f.name for f in dataclasses.fields(FileLayout)}


def test_file_above_the_size_limit_is_refused(session, alice):
    with pytest.raises(ImportFileError, match="limit is 1 MB"):
        svc.preview_import(session, user_id=alice.user_id, data=b"x" * (1024 * 1024 + 1), filename="big.csv",
                           max_bytes=1024 * 1024)


# --------------------------------------------------------------------------- commit
def test_commit_stores_rows_as_one_batch(session, alice):
    before = data_version(session, user_id=alice.user_id)
    result = commit(session, alice)
    assert (result.rows_read, result.rows_imported, result.rows_duplicate, result.rows_rejected) == (6, 4, 0, 2)
    batch = session.get(ImportBatch, result.batch_id)
    assert (batch.user_id, batch.filename, batch.file_format, batch.status) == (alice.user_id, "march.csv", "csv", "committed")
    assert (batch.rows_read, batch.rows_imported, batch.rows_duplicate, batch.rows_rejected) == (6, 4, 0, 2)
    assert batch.file_sha256 == hashlib.sha256(CSV).hexdigest()  # what "imported before" looks up
    rows = session.scalars(select(Transaction).where(Transaction.user_id == alice.user_id).order_by(Transaction.id)).all()
    assert [(t.date, t.amount_minor, t.kind, t.description) for t in rows] == [
        (dt.date(2024, 3, 1), 350, "expense", "Coffee Corner"),
        (dt.date(2024, 3, 1), 350, "expense", "Coffee Corner"),
        (dt.date(2024, 3, 2), 250000, "income", "ACME Salary March"),
        (dt.date(2024, 3, 3), 4510, "expense", "Grocery Store 123"),
    ]
    for t in rows:
        assert t.source == "import" and t.import_batch_id == batch.id
        assert t.currency == "USD"  # the user's currency: the file has none
        assert t.merchant == merchant_key(t.description)
        assert t.fingerprint == fingerprint(t.date.isoformat(), t.amount_minor, t.kind, t.description, t.currency)
        assert t.category_manual is False
        assert t.created_at.tzinfo is not None
    assert data_version(session, user_id=alice.user_id) > before


def test_newest_first_statement_is_stored_oldest_first_keeping_same_day_order(session, alice):
    data = (b"Date,Description,Amount\n2024-03-03,Third,-3\n2024-03-02,Second b,-2\n2024-03-02,Second a,-2\n"
            b"2024-03-01,First,-1\n")
    commit(session, alice, data)
    rows = session.execute(select(Transaction.date, Transaction.description)
                           .where(Transaction.user_id == alice.user_id).order_by(Transaction.id)).all()
    assert [d for _, d in rows] == ["First", "Second a", "Second b", "Third"]


def test_bulk_insert_stores_values_as_the_orm_does(session, alice):
    """The importer's executemany sends each column through the dialect's own type (SQLite: DATE and
    DATETIME as text), so imported rows and rows added through the ORM read back alike."""
    commit(session, alice)
    added = tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2024, 3, 5), amount="1.00",
                               kind="expense", description="Hand added")
    raw = session.connection().exec_driver_sql(
        "SELECT date, created_at, category_manual FROM transactions WHERE user_id = ? ORDER BY id"
        if session.bind.dialect.name == "sqlite" else
        "SELECT date, created_at, category_manual FROM transactions WHERE user_id = %s ORDER BY id",
        (alice.user_id,),
    ).all()
    kinds = {(type(r[0]), type(r[1]), type(r[2])) for r in raw}
    assert len(kinds) == 1, kinds  # imported rows and the ORM row have the same stored types
    if session.bind.dialect.name == "sqlite":
        import re
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r[0]) for r in raw)
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", r[1]) for r in raw)
    assert added is not None


def test_currency_comes_from_the_file_or_the_user(session, alice):
    session.get(User, alice.user_id).currency = "EUR"
    session.flush()
    data = b"Date,Amount,Currency,Memo\n2024-01-01,-1.500,KWD,fuel\n2024-01-02,-2.00,,bread\n2024-01-03,-300,JPY,sushi\n"
    commit(session, alice, data)
    got = session.execute(
        select(Transaction.currency, Transaction.amount_minor).where(Transaction.user_id == alice.user_id).order_by(Transaction.date)
    ).all()
    assert [tuple(r) for r in got] == [("KWD", 1500), ("EUR", 200), ("JPY", 300)]


def test_reimporting_the_same_file_is_idempotent(session, alice):
    commit(session, alice)
    again = commit(session, alice)
    assert (again.rows_imported, again.rows_duplicate) == (0, 4)
    assert count(session, Transaction, alice.user_id) == 4
    assert again.nothing_new and again.batch_id is None and count(session, ImportBatch, alice.user_id) == 1  # QA: no empty batch
    p = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="march.csv")
    assert (p.rows_duplicate, p.rows_new) == (4, 0) and all(r.duplicate for r in p.rows)
    assert p.previous_import is not None


def test_duplicates_are_counted_not_deduplicated(session, alice):
    one = b"Date,Description,Amount\n2024-05-01,Coffee,-3.00\n"
    three = b"Date,Description,Amount\n2024-05-01,Coffee,-3.00\n2024-05-01,COFFEE ,-3.00\n2024-05-01,coffee,-3.00\n2024-05-02,Tea,-2.00\n"
    assert commit(session, alice, one).rows_imported == 1
    result = commit(session, alice, three)
    assert (result.rows_imported, result.rows_duplicate) == (3, 1)  # 3 coffees in the file, 1 stored: 2 new + tea
    assert count(session, Transaction, alice.user_id) == 4


def test_overlapping_statement_skips_what_is_already_there(session, alice):
    tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2024, 3, 3), amount="45.10", kind="expense",
                       description="grocery   store 123", auto_categorize=False)
    result = commit(session, alice)
    assert (result.rows_imported, result.rows_duplicate) == (3, 1)


def test_deleted_transactions_do_not_block_a_reimport(session, alice):
    first = commit(session, alice)
    ids = session.scalars(select(Transaction.id).where(Transaction.import_batch_id == first.batch_id)).all()
    tx.delete_transactions(session, user_id=alice.user_id, transaction_ids=ids[:2])
    again = commit(session, alice)
    assert (again.rows_imported, again.rows_duplicate) == (2, 2)
    assert count(session, Transaction, alice.user_id) == 4


def test_include_duplicates_imports_them_anyway(session, alice):
    commit(session, alice)
    again = commit(session, alice, include_duplicates=True)
    assert (again.rows_imported, again.rows_duplicate) == (4, 0)


def test_duplicates_are_per_user(session, alice, bob):
    commit(session, bob)
    assert commit(session, alice).rows_imported == 4


def test_a_failure_leaves_the_database_as_it_was(db, monkeypatch):
    from tests.conftest import create_user

    with db.scope() as s:
        user = create_user(s, db.settings, "carol@example.com", "Carol")
    monkeypatch.setattr(svc.commit, "INSERT_CHUNK", 2)
    real = svc._Inserter.insert

    def failing(self, columns, constants, size):
        real(self, columns, constants, size)
        # after the first chunk is in the database
        assert self.conn.scalar(select(func.count()).select_from(Transaction)) >= 2
        raise RuntimeError("disk full")

    monkeypatch.setattr(svc._Inserter, "insert", failing)
    with pytest.raises(RuntimeError):
        with db.scope() as s:
            commit(s, user)
    # Even a caller that swallows the error and commits keeps nothing (the savepoint rolled back).
    with db.scope() as s:
        try:
            commit(s, user)
        except RuntimeError:
            pass
    with db.scope() as s:
        assert count(s, Transaction, user.user_id) == 0
        assert count(s, ImportBatch, user.user_id) == 0


def test_large_files_are_inserted_in_chunks_with_progress(session, alice, monkeypatch):
    monkeypatch.setattr(svc.commit, "INSERT_CHUNK", 3)
    lines = ["Date,Description,Amount"] + [f"2024-01-{d:02d},Shop {d},-{d}.00" for d in range(1, 11)]
    seen: list[float] = []
    result = svc.commit_import(session, user_id=alice.user_id, data="\n".join(lines).encode(), filename="x.csv",
                               progress=lambda f, m: seen.append(f))
    assert result.rows_imported == 10 == count(session, Transaction, alice.user_id)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 5


def test_incomplete_mapping_cannot_be_committed(session, alice):
    with pytest.raises(ImportFileError, match="no column was found"):
        commit(session, alice, b"foo,bar\nhello,world\n")
    assert count(session, ImportBatch, alice.user_id) == 0


def test_ofx_statement_currency_and_account(session, alice):
    ofx = (
        b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\n"
        b"OLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        b"<STMTRS><CURDEF>CAD<BANKACCTFROM><BANKID>1<ACCTID>777<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
        b"<DTSTART>20240101<DTEND>20240201<STMTTRN><TRNTYPE>POS<DTPOSTED>20240105<TRNAMT>-6.60<FITID>1<NAME>DINER"
        b"</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    result = commit(session, alice, ofx, "bank.ofx")
    t = session.scalar(select(Transaction).where(Transaction.import_batch_id == result.batch_id))
    assert (t.currency, t.amount_minor, t.kind, t.account, t.date) == ("CAD", 660, "expense", "777", dt.date(2024, 1, 5))
    assert session.get(ImportBatch, result.batch_id).account == "777"


# --------------------------------------------------------------------------- history & undo
def test_history_and_undo_remove_exactly_the_batch(session, alice):
    tx.add_transaction(session, user_id=alice.user_id, date=dt.date(2024, 1, 1), amount="9.99", kind="expense",
                       description="typed by hand", auto_categorize=False)
    first = commit(session, alice)
    second = commit(session, alice, b"Date,Description,Amount\n2024-04-01,Other,-1.00\n", "april.csv")
    history = svc.list_import_batches(session, user_id=alice.user_id)
    assert [b.id for b in history] == [second.batch_id, first.batch_id]
    assert history[1].rows_remaining == 4
    removed = svc.undo_import(session, user_id=alice.user_id, batch_id=first.batch_id)
    assert removed.rows == 4 and removed.removed_accounts == () and removed.accounts_text == ""
    left = session.scalars(select(Transaction.description).where(Transaction.user_id == alice.user_id).order_by(Transaction.id)).all()
    assert left == ["typed by hand", "Other"]
    view = svc.get_import_batch(session, user_id=alice.user_id, batch_id=first.batch_id)
    assert view.status == "undone" and view.undone_at is not None and view.rows_remaining == 0
    with pytest.raises(ValidationError, match="already undone"):
        svc.undo_import(session, user_id=alice.user_id, batch_id=first.batch_id)
    # the same file can come back after an undo
    assert commit(session, alice).rows_imported == 4


def test_other_users_batches_are_invisible(session, alice, bob):
    result = commit(session, alice)
    assert svc.list_import_batches(session, user_id=bob.user_id) == []
    with pytest.raises(NotFoundError):
        svc.undo_import(session, user_id=bob.user_id, batch_id=result.batch_id)
    with pytest.raises(NotFoundError):
        svc.get_import_batch(session, user_id=bob.user_id, batch_id=result.batch_id)
    assert count(session, Transaction, alice.user_id) == 4


# --------------------------------------------------------------------------- saved mappings
ODD = b"When;What;Out;In;Whatever\n2024-02-01;Rent;750,00;;x\n2024-02-02;Pay;;2.000,00;y\n"


def test_saved_mapping_is_reused_for_the_same_layout(session, alice, bob):
    p = svc.preview_import(session, user_id=alice.user_id, data=ODD, filename="odd.csv")
    chosen = ColumnMapping(date=0, description=(1, 4), debit=2, credit=3)
    view = svc.save_mapping(session, user_id=alice.user_id, name="My bank", header_signature=p.header_signature,
                            columns=p.columns, mapping=chosen, date_order="dmy", decimal=",")
    assert view.columns["description"] == ["What", "Whatever"]
    again = svc.preview_import(session, user_id=alice.user_id, data=ODD, filename="odd2.csv")
    assert again.saved_mapping is not None and again.saved_mapping.name == "My bank"
    assert again.mapping == chosen
    assert [r.description for r in again.rows] == ["Rent – x", "Pay – y"]
    # replaced, not duplicated, when saved again; invisible to others
    svc.save_mapping(session, user_id=alice.user_id, name="Renamed", header_signature=p.header_signature,
                     columns=p.columns, mapping=chosen)
    assert [m.name for m in svc.list_mappings(session, user_id=alice.user_id)] == ["Renamed"]
    assert svc.preview_import(session, user_id=bob.user_id, data=ODD, filename="odd.csv").saved_mapping is None
    with pytest.raises(NotFoundError):
        svc.delete_mapping(session, user_id=bob.user_id, mapping_id=view.id)
    svc.delete_mapping(session, user_id=alice.user_id, mapping_id=view.id)
    assert count(session, ImportMapping, alice.user_id) == 0


def test_saving_an_incomplete_mapping_is_refused(session, alice):
    with pytest.raises(ValidationError):
        svc.save_mapping(session, user_id=alice.user_id, name="x", header_signature="abc", columns=("a",),
                         mapping=ColumnMapping(date=0))
    with pytest.raises(ValidationError):
        svc.save_mapping(session, user_id=alice.user_id, name=" ", header_signature="abc", columns=("a", "b"),
                         mapping=ColumnMapping(date=0, amount=1))


# --------------------------------------------------------------------------- fingerprints
def test_vectorized_fingerprints_equal_the_shared_function():
    rows = pd.DataFrame(
        {
            "date": [dt.date(2024, 1, 1), dt.date(2023, 12, 31), dt.date(2024, 1, 1)],
            "amount_minor": [350, 1, 99999999],
            "kind": ["expense", "income", "expense"],
            "description": ["Café  Müller", "", "ÅNGSTRÖM & Co"],
            "currency": ["eur", "USD", "SEK"],
        }
    )
    got = list(svc.fingerprints(rows))
    expected = [fingerprint(d.isoformat(), a, k, desc, c) for d, a, k, desc, c in rows.itertuples(index=False)]
    assert got == expected


def test_garbage_collection_resumes_after_imports_even_when_one_fails():
    import gc

    assert gc.isenabled()
    with svc._gc_paused():
        assert not gc.isenabled()
        with svc._gc_paused():  # a second import running at the same time
            pass
        assert not gc.isenabled()  # still paused: the first one is running
    assert gc.isenabled()
    with pytest.raises(RuntimeError), svc._gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with svc._gc_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_the_collector_is_paused_while_a_preview_or_a_commit_parses_the_file(session, alice, monkeypatch):
    """The preview parses the file too (the command line's import parses it only there)."""
    import gc

    from budgetwise.services.importing import preview

    seen: list[bool] = []
    real = preview.parse_file

    def parse(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(preview, "parse_file", parse)
    assert gc.isenabled()
    svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="march.csv")
    commit(session, alice)
    assert seen == [False, False] and gc.isenabled()


def test_a_currency_is_suggested_from_the_amounts_sign():
    """Issue #14 item 13: the sign proposes the file's currency unless it is the user's own."""
    assert svc.suggest_currency(("£",), "USD") == "GBP"
    assert svc.suggest_currency(("£",), "GBP") is None
    assert svc.suggest_currency(("£",), "USD", chosen="EUR") is None  # the user chose already
    assert svc.suggest_currency(("$", "£"), "USD") is None  # mixed signs: no guess
    assert svc.suggest_currency(("$",), "NZD") is None  # NZ$: "$" is most likely the user's own dollar
    assert svc.suggest_currency(("$",), "EUR") == "USD"
    assert svc.suggest_currency((), "USD") is None


# --------------------------------------------------------------------------- one analysis (#18)
def test_commit_reuses_the_previews_parse_and_still_checks_duplicates(session, alice, monkeypatch):
    p = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="march.csv")
    commit(session, alice, data=CSV.replace(b"Grocery Store 123,-45.10", b"Other,-1.00"))  # a row lands meanwhile
    calls = []
    real = svc.preview.parse_file
    monkeypatch.setattr(svc.preview, "parse_file", lambda *a, **k: calls.append(1) or real(*a, **k))
    result = svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="march.csv", preview=p)
    assert calls == []  # no second parse
    # duplicates were recomputed in the write transaction: only the grocery row is new
    assert (result.rows_imported, result.rows_duplicate) == (1, 3)


def test_commit_parses_again_when_the_preview_is_of_other_options(session, alice, monkeypatch):
    p = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="march.csv")
    calls = []
    real = svc.preview.parse_file
    monkeypatch.setattr(svc.preview, "parse_file", lambda *a, **k: calls.append(1) or real(*a, **k))
    svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="march.csv",
                      options=ImportOptions(include_duplicates=True), preview=p)
    assert calls == [1]
    svc.commit_import(session, user_id=alice.user_id, data=CSV + b"2024-03-05,New,-2.00\n", filename="march.csv", preview=p)
    assert calls == [1, 1]


def test_a_reimported_export_matches_the_stored_rows_despite_the_formula_guard(session, alice, bob):
    """QA (session 7): the CSV export puts an apostrophe before text a spreadsheet would run as a
    formula ("'=1+2", "Shop, '-5%"); importing that export again added those rows a second time
    (and stored the apostrophe). The importer takes the guard away again."""
    from budgetwise.services import exports

    data = (
        b"date,description,amount\n"
        b'2024-03-01,"=HYPERLINK(""http://x.example"",""go"")",-3.50\n'
        b"2024-03-02,+Interest,1.25\n"
        b"2024-03-03,@home store,-9.99\n"
        b'2024-03-04,"Shop, -5% off; =deal",-4.00\n'
        b"2024-03-05,Plain 'quoted' shop,-1.00\n"
    )
    assert commit(session, alice, data=data).rows_imported == 5
    stored = sorted(session.scalars(select(Transaction.description).where(Transaction.user_id == alice.user_id)))
    exported = exports.to_csv_bytes(exports.transactions_export_frame(session, user_id=alice.user_id))
    assert b"'=HYPERLINK" in exported and b"'+Interest" in exported and b"Shop, '-5% off; '=deal" in exported
    again = commit(session, alice, data=exported, name="export.csv")
    assert (again.rows_imported, again.rows_duplicate) == (0, 5)
    # the guard is not stored either: a fresh account gets the texts as they were
    bob_id = bob.user_id
    svc.commit_import(session, user_id=bob_id, data=exported, filename="export.csv", options=ImportOptions())
    assert sorted(session.scalars(select(Transaction.description).where(Transaction.user_id == bob_id))) == stored


def test_two_imports_of_one_file_at_once_the_second_says_which_import_stored_the_rows(session, alice):
    """Session 15 (uiqa): two imports of one file from one preview (two tabs pressing Import): the second found
    every row stored and said only "Nothing new in this file"; its result names the import that stored them
    and says it happened meanwhile. A later import of the file (no preview with new rows) says "already
    imported, by import #n"."""
    from budgetwise.services import importing as svc

    data = b"date,amount,description\n2024-03-01,-3.50,Coffee\n2024-03-02,25.00,Refund\n"
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="march.csv")
    first = svc.commit_import(session, user_id=alice.user_id, data=data, filename="march.csv", preview=preview)
    second = svc.commit_import(session, user_id=alice.user_id, data=data, filename="march.csv", preview=preview)
    assert first.rows_imported == 2 and second.nothing_new
    assert (second.stored_by, second.meanwhile) == (((first.batch_id, "march.csv"),), True)
    assert second.message.startswith(f"Nothing was imported a second time: import #{first.batch_id} (march.csv), made "
                                     "in another tab or window after this preview was read, already stored this "
                                     "file's 2 rows.")
    later = svc.commit_import(session, user_id=alice.user_id, data=data, filename="march.csv")
    assert later.nothing_new and not later.meanwhile
    assert later.message == (f"Nothing new in this file (2 rows already imported, by import #{first.batch_id} "
                             "(march.csv)): nothing was imported and no import was recorded.")


def test_an_import_past_the_per_account_transaction_limit_is_refused_with_the_numbers(session, alice, monkeypatch):
    """Session 20 (sec2): any number of imports could fill a hosted instance's disk for every user. An import
    that would take the account past ``limits.MAX_TRANSACTIONS_PER_USER`` is refused whole, saying how many the
    account holds and the limit; one that reaches the limit exactly is stored."""
    from budgetwise.importing import limits

    first = commit(session, alice)
    held = count(session, Transaction, alice.user_id)
    assert held == first.rows_imported > 0
    monkeypatch.setattr(limits, "MAX_TRANSACTIONS_PER_USER", held + 2)
    three = b"Date,Description,Amount\n2024-04-01,A,-1.00\n2024-04-02,B,-2.00\n2024-04-03,C,-3.00\n"
    with pytest.raises(ImportFileError, match=rf"This account holds {held} transactions; the limit is {held + 2}, "
                                              r"and this file would add 3\."):
        commit(session, alice, data=three, name="april.csv")
    assert count(session, Transaction, alice.user_id) == held and count(session, ImportBatch, alice.user_id) == 1
    two = b"Date,Description,Amount\n2024-04-01,A,-1.00\n2024-04-02,B,-2.00\n"
    assert commit(session, alice, data=two, name="april.csv").rows_imported == 2
    assert count(session, Transaction, alice.user_id) == held + 2
