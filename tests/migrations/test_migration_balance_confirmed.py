"""Migration 0035 (``accounts.balance_confirmed_on``, session 24): existing accounts have no confirmed balance; the
downgrade drops the column and keeps every account and transaction as it was. SQLite always (the accounts table keeps
its AUTOINCREMENT both ways); PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import _autoincrement, seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ACCOUNT_COLUMNS = "id, user_id, name, name_key, kind, currency, opening_balance_minor, opening_date, is_archived"


def _snapshot(engine) -> tuple[list[tuple], list[tuple]]:
    with engine.connect() as conn:
        accounts = [tuple(r) for r in conn.execute(text(f"SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY id"))]
        rows = [tuple(r) for r in conn.execute(text(
            "SELECT id, user_id, account_id, date, amount_minor, currency FROM transactions ORDER BY id"))]
    return accounts, rows


def test_0035_adds_the_confirmed_day_and_downgrades_keeping_everything(url):  # noqa: F811
    with seeded_at(url, "0036") as (cfg, engine):
        with engine.begin() as conn:
            conn.execute(text("UPDATE accounts SET opening_balance_minor = 12345, opening_date = :d "
                              "WHERE user_id = 1 AND name_key = 'checking'"), {"d": dt.date(2025, 1, 1)})
        before = _snapshot(engine)
        assert before[0] and before[1]
        command.upgrade(cfg, "0035")
        assert "balance_confirmed_on" in {c["name"] for c in inspect(engine).get_columns("accounts")}
        assert _snapshot(engine) == before
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM accounts WHERE balance_confirmed_on IS NOT NULL")).scalar() == 0
            conn.execute(text("UPDATE accounts SET balance_confirmed_on = :d WHERE user_id = 1 AND name_key = 'checking'"),
                         {"d": dt.date(2026, 12, 6)})
            if engine.dialect.name == "sqlite":
                assert _autoincrement(conn, "accounts")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT balance_confirmed_on FROM accounts WHERE user_id = 1 AND "
                                     "name_key = 'checking'")).scalar() in (dt.date(2026, 12, 6), "2026-12-06")
        command.downgrade(cfg, "0036")
        assert "balance_confirmed_on" not in {c["name"] for c in inspect(engine).get_columns("accounts")}
        assert _snapshot(engine) == before
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert _autoincrement(conn, "accounts")
        command.upgrade(cfg, "0035")  # and up again
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM accounts WHERE balance_confirmed_on IS NOT NULL")).scalar() == 0
