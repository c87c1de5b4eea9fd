"""Migration 0014 (transactions.category_signal): added empty, dropped again, no row lost; on SQLite
the rebuilt transactions table keeps AUTOINCREMENT. Runs on SQLite always, and on PostgreSQL /
MariaDB when their test URLs are set (a throwaway database, see test_migration_default_rules.py)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import _autoincrement, seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("transactions")}


def test_0014_adds_the_signal_and_downgrades_keeping_every_row(url):  # noqa: F811
    with seeded_at(url, "0013") as (cfg, engine):
        with engine.begin() as conn:
            conn.execute(text("UPDATE transactions SET category_source = 'rule', category_confidence = 0.45 WHERE id = 1"))
        command.upgrade(cfg, "0014")
        assert "category_signal" in _columns(engine)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM transactions WHERE category_signal IS NULL")).scalar() == 5
            conn.execute(text("UPDATE transactions SET category_signal = 'recurring variable expense' WHERE id = 1"))
            assert conn.execute(text("SELECT category_signal FROM transactions WHERE id = 1")).scalar() == (
                "recurring variable expense")
        engine.dispose()
        command.downgrade(cfg, "0013")
        assert "category_signal" not in _columns(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, amount_minor, category_source FROM transactions ORDER BY id")).all()
            assert [(r[0], r[1]) for r in rows] == [(1, 1000), (2, 2000), (3, 3000), (4, 4000), (5, 500)]
            assert rows[0][2] == "rule"  # the answer itself stays
            if engine.dialect.name == "sqlite":
                assert _autoincrement(conn, "transactions")
        command.upgrade(cfg, "head")  # and up again
        assert "category_signal" in _columns(engine)
