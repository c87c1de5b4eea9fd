"""Migration 0048 (session 28, mask28, #19): a whole card number kept as a credit-card account's number is reduced to
its last 4 digits (not an OFX account's ACCTID, not a checking account's number, not an IBAN); account texts spaced
with no-break spaces, which 0046 missed, are masked (the account keeping the number first); import batches' file names
lose their runs of 9+ digits. The downgrade keeps all that (a privacy change is not undone) and drops the undo's
column. SQLite always; PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import NOW, seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

NBSP_IBAN = "DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000"
NARROW_CARD = "4111\u202f1111\u202f1111\u202f1111"


def _account(conn, user_id: int, key: str, kind: str, number: str | None) -> None:
    conn.execute(text("UPDATE accounts SET kind = :k, external_id = :e WHERE user_id = :u AND name_key = :n"),
                 {"k": kind, "e": number, "u": user_id, "n": key})


def _batch(conn, batch_id: int, user_id: int, name: str, fmt: str, account: str | None) -> None:
    conn.execute(text(
        "INSERT INTO import_batches (id, user_id, filename, file_sha256, file_format, account, rows_read, "
        "rows_imported, rows_duplicate, rows_rejected, status, created_at) VALUES "
        "(:i, :u, :f, 'x', :ff, :a, 1, 1, 0, 0, 'committed', :n)"), {"i": batch_id, "u": user_id, "f": name,
                                                                      "ff": fmt, "a": account, "n": NOW})


def _state(conn) -> tuple[dict, dict, dict]:
    rows = dict(conn.execute(text("SELECT id, account FROM transactions")).all())
    numbers = {(u, k): e for u, k, e in conn.execute(text("SELECT user_id, name_key, external_id FROM accounts"))}
    batches = {i: (f, a) for i, f, a in conn.execute(text("SELECT id, filename, account FROM import_batches"))}
    return rows, numbers, batches


def test_0048_reduces_card_numbers_and_masks_what_0046_missed(url):  # noqa: F811
    with seeded_at(url, "0047") as (cfg, engine):
        with engine.begin() as conn:
            _account(conn, 1, "checking", "checking", "4012888888881881")  # a checking account's number: whole
            _account(conn, 1, "visa card", "credit_card", None)  # its rows name a card in narrow NBSPs
            _account(conn, 1, "main account", "credit_card", "5555555555554444")  # an OFX file's: whole
            _account(conn, 3, "main account", "credit_card", "378282246310005")  # a card column's whole number
            _batch(conn, 1, 1, "NL91ABNA0417164300_01-01-2024_31-12-2024.ofx", "ofx", NBSP_IBAN)
            _batch(conn, 2, 1, "Umsaetze 20240101-20241231.csv", "csv", "Visa")
            conn.execute(text("UPDATE transactions SET import_batch_id = 1 WHERE id = 4"))
            conn.execute(text("UPDATE transactions SET account = :v WHERE id = 3"), {"v": NARROW_CARD})
            conn.execute(text("UPDATE transactions SET account = :v WHERE id = 5"), {"v": NBSP_IBAN})
            before = _state(conn)
        command.upgrade(cfg, "0048")
        with engine.connect() as conn:
            after = _state(conn)
            assert "gave_number_to" in {c["name"] for c in inspect(conn).get_columns("import_batches")}
        assert after[0] == {**before[0], 3: "Account …1111", 5: "DE…3000"}
        assert after[1] == {**before[1], (1, "visa card"): "1111", (3, "main account"): "0005",
                            (2, "checking"): "DE89370400440532013000"}
        assert after[2] == {1: ("NL91ABNA…4300_01-01-2024_31-12-2024.ofx", "DE…3000"),
                            2: ("Umsaetze 20240101-20241231.csv", "Visa")}  # 8-digit dates stay
        command.downgrade(cfg, "0047")
        with engine.connect() as conn:
            assert _state(conn) == after  # a privacy change is not undone
            assert "gave_number_to" not in {c["name"] for c in inspect(conn).get_columns("import_batches")}
        command.upgrade(cfg, "0048")  # and up again: nothing more to do
        with engine.connect() as conn:
            assert _state(conn) == after
