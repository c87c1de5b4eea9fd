"""Migration 0017 (transactions.bank_type): added empty, dropped again, no row lost; on SQLite the
rebuilt transactions table keeps AUTOINCREMENT. SQLite always; PostgreSQL / MariaDB when their test
URLs are set (a throwaway database, see test_migration_default_rules.py)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import _autoincrement, seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("transactions")}


def test_0017_adds_the_bank_type_and_downgrades_keeping_every_row(url):  # noqa: F811
    with seeded_at(url, "0016") as (cfg, engine):
        with engine.begin() as conn:
            conn.execute(text("UPDATE transactions SET category_signal = 'brand' WHERE id = 1"))
        command.upgrade(cfg, "0017")
        assert "bank_type" in _columns(engine)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM transactions WHERE bank_type IS NULL")).scalar() == 5
            conn.execute(text("UPDATE transactions SET bank_type = 'SRVCHG' WHERE id = 2"))
            assert conn.execute(text("SELECT bank_type FROM transactions WHERE id = 2")).scalar() == "SRVCHG"
        engine.dispose()
        command.downgrade(cfg, "0016")
        assert "bank_type" not in _columns(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, amount_minor, category_signal FROM transactions ORDER BY id")).all()
            assert [(r[0], r[1]) for r in rows] == [(1, 1000), (2, 2000), (3, 3000), (4, 4000), (5, 500)]
            assert rows[0][2] == "brand"  # the other columns stay
            if engine.dialect.name == "sqlite":
                assert _autoincrement(conn, "transactions")
        command.upgrade(cfg, "head")  # and up again
        assert "bank_type" in _columns(engine)
