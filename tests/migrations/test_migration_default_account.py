"""Migration 0041 (``accounts.is_default``, session 25): no existing account is flagged (each user's default stays
the first open account); the downgrade drops the column and keeps every account and transaction as it was. SQLite
always (the accounts table keeps its AUTOINCREMENT both ways); PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import _autoincrement, seeded_at
from tests.migrations.test_migration_balance_confirmed import _snapshot
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)


def test_0041_adds_the_default_flag_unset_and_downgrades_keeping_everything(url):  # noqa: F811
    with seeded_at(url, "0038") as (cfg, engine):
        before = _snapshot(engine)
        assert before[0] and before[1]
        command.upgrade(cfg, "0041")
        assert "is_default" in {c["name"] for c in inspect(engine).get_columns("accounts")}
        assert _snapshot(engine) == before
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM accounts WHERE is_default")).scalar() == 0
            conn.execute(text("UPDATE accounts SET is_default = :t WHERE user_id = 1 AND name_key = 'checking'"),
                         {"t": True})
            if engine.dialect.name == "sqlite":
                assert _autoincrement(conn, "accounts")
        command.downgrade(cfg, "0038")
        assert "is_default" not in {c["name"] for c in inspect(engine).get_columns("accounts")}
        assert _snapshot(engine) == before
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert _autoincrement(conn, "accounts")
        command.upgrade(cfg, "0041")  # and up again
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM accounts WHERE is_default")).scalar() == 0
