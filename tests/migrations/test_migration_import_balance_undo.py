"""Migration 0040 (``import_batches.balance_undo_json``, session 25): existing imports have nothing to put back; the
downgrade drops the column and keeps every batch as it was. SQLite always (the table keeps its AUTOINCREMENT both
ways); PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import _autoincrement, seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

COLUMNS = "id, user_id, filename, file_sha256, file_format, rows_imported, status"


def _batches(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT {COLUMNS} FROM import_batches ORDER BY id"))]


def test_0040_adds_the_balance_to_put_back_and_downgrades_keeping_every_batch(url):  # noqa: F811
    with seeded_at(url, "0039") as (cfg, engine):
        with engine.begin() as conn:
            for n, uid in ((1, 1), (2, 2)):
                conn.execute(text(
                    "INSERT INTO import_batches (id, user_id, filename, file_sha256, file_format, rows_read, "
                    "rows_imported, rows_duplicate, rows_rejected, status, created_at) VALUES (:id, :u, :f, :h, 'csv', "
                    "3, 3, 0, 0, 'committed', :t)"),
                    {"id": n, "u": uid, "f": f"bank{n}.csv", "h": f"{n:064d}", "t": dt.datetime(2026, 12, 1, 12)})
        before = _batches(engine)
        assert len(before) == 2
        command.upgrade(cfg, "0040")
        assert "balance_undo_json" in {c["name"] for c in inspect(engine).get_columns("import_batches")}
        assert _batches(engine) == before
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM import_batches WHERE balance_undo_json IS NOT NULL")).scalar() == 0
            conn.execute(text("UPDATE import_batches SET balance_undo_json = :j WHERE id = 1"),
                         {"j": '{"account_id": 1, "before": [0, null, null], "after": [5, null, "2026-11-30"]}'})
            if engine.dialect.name == "sqlite":
                assert _autoincrement(conn, "import_batches")
        command.downgrade(cfg, "0039")
        assert "balance_undo_json" not in {c["name"] for c in inspect(engine).get_columns("import_batches")}
        assert _batches(engine) == before
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert _autoincrement(conn, "import_batches")
        command.upgrade(cfg, "0040")  # and up again
        assert _batches(engine) == before
