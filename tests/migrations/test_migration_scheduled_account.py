"""Migration 0028 (a scheduled item's account; the import that created an account): existing items belong to no
particular account and existing accounts to no import; the downgrade drops both columns and keeps every row. SQLite
always (where the accounts table gains AUTOINCREMENT); PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import NOW, _autoincrement, seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_0028_ties_scheduled_items_to_accounts_and_downgrades(url):  # noqa: F811
    with seeded_at(url, "0027") as (cfg, engine):
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO scheduled_items (id, user_id, name, kind, amount_minor, currency, cadence, next_date, "
                "created_at, updated_at) VALUES (1, 1, 'Rent', 'expense', 120000, 'USD', 'monthly', :d, :n, :n)"),
                {"d": dt.date(2030, 1, 1), "n": NOW})
            conn.execute(text(
                "INSERT INTO import_batches (id, user_id, filename, file_sha256, file_format, rows_read, rows_imported, "
                "rows_duplicate, rows_rejected, status, created_at) VALUES (7, 1, 'a.csv', 'x', 'csv', 1, 1, 0, 0, "
                "'committed', :n)"), {"n": NOW})
        accounts_before = _count(engine, "accounts")
        command.upgrade(cfg, "0028")
        assert "account_id" in _columns(engine, "scheduled_items")
        assert "created_by_import_id" in _columns(engine, "accounts")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT account_id FROM scheduled_items WHERE id = 1")).scalar() is None
            assert conn.execute(text("SELECT count(*) FROM accounts WHERE created_by_import_id IS NOT NULL")).scalar() == 0
            checking = conn.execute(text("SELECT id FROM accounts WHERE user_id = 1 AND name_key = 'checking'")).scalar()
            conn.execute(text("UPDATE scheduled_items SET account_id = :a WHERE id = 1"), {"a": checking})
            conn.execute(text("UPDATE accounts SET created_by_import_id = 7 WHERE id = :a"), {"a": checking})
            if engine.dialect.name == "sqlite":
                assert _autoincrement(conn, "accounts")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT account_id FROM scheduled_items WHERE id = 1")).scalar() == checking
        command.downgrade(cfg, "0027")
        assert "account_id" not in _columns(engine, "scheduled_items")
        assert "created_by_import_id" not in _columns(engine, "accounts")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name, amount_minor, cadence FROM scheduled_items")).all()
            assert [tuple(r) for r in rows] == [("Rent", 120000, "monthly")]
            assert conn.execute(text("SELECT count(*) FROM transactions WHERE account_id = :a"), {"a": checking}).scalar() == 2
            if engine.dialect.name == "sqlite":
                assert not _autoincrement(conn, "accounts")
        assert _count(engine, "accounts") == accounts_before
        command.upgrade(cfg, "0028")  # and up again
        with engine.connect() as conn:
            assert conn.execute(text("SELECT account_id FROM scheduled_items WHERE id = 1")).scalar() is None


def _count(engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)
