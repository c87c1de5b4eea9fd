"""Migration 0006 (issue 13) on a database that already has data: account identifiers are
backfilled, SQLite's tables are rebuilt with AUTOINCREMENT without losing a row or a foreign
key, a deleted newest id is not handed out again, and the downgrade works.

Runs on SQLite always, and on PostgreSQL / MariaDB in a throwaway database when their test
URLs are set (the ``url`` fixture of test_migration_default_rules).
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from budgetwise.db import alembic_config, make_engine
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (fixture)

NOW = "2026-01-01 00:00:00"


def _add_user(conn, email: str) -> int:
    conn.execute(text(
        "insert into users (email, name, password_hash, role, is_active, token_version, data_version, failed_logins,"
        " currency, locale, date_format, week_start, totp_enabled, created_at, updated_at)"
        " values (:e, 'U', 'h', 'user', :t, 1, 1, 0, 'USD', 'en_US', '%Y-%m-%d', 0, :f, :n, :n)"
    ), {"e": email, "t": True, "f": False, "n": NOW})
    return conn.execute(text("select id from users where email = :e"), {"e": email}).scalar_one()


def _add_owned_rows(conn, user_id: int) -> None:
    conn.execute(text(
        "insert into categories (user_id, name, kind, color, is_archived, created_at, updated_at)"
        " values (:u, 'Mine', 'expense', '#123456', :f, :n, :n)"
    ), {"u": user_id, "f": False, "n": NOW})
    category = conn.execute(text("select id from categories where user_id = :u"), {"u": user_id}).scalar_one()
    conn.execute(text(
        "insert into transactions (user_id, date, amount_minor, currency, kind, description, merchant, notes,"
        " category_id, category_manual, source, fingerprint, created_at, updated_at)"
        " values (:u, '2026-01-01', 1234, 'USD', 'expense', 'coffee', 'coffee', '', :c, :f, 'manual', 'fp', :n, :n)"
    ), {"u": user_id, "c": category, "f": False, "n": NOW})


def _count(conn, table: str, user_id: int) -> int:
    return conn.execute(text(f"select count(*) from {table} where user_id = :u"), {"u": user_id}).scalar_one()


def test_0006_on_existing_data_upgrade_no_reuse_and_downgrade(url):  # noqa: F811
    cfg = alembic_config(url)
    command.upgrade(cfg, "0005")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            ids = [_add_user(conn, f"u{i}@example.com") for i in range(3)]
            for uid in ids:
                _add_owned_rows(conn, uid)
        command.upgrade(cfg, "head")
        with engine.begin() as conn:
            uids = dict(conn.execute(text("select id, account_uid from users")).all())
            assert set(uids) == set(ids)
            assert len(set(uids.values())) == 3 and all(len(v) == 32 for v in uids.values())  # backfilled, distinct
            for uid in ids:  # nothing lost in the table rebuilds
                assert _count(conn, "categories", uid) == 1 and _count(conn, "transactions", uid) == 1
            if engine.dialect.name == "sqlite":
                assert conn.execute(text("pragma foreign_keys")).scalar() == 1
                assert conn.execute(text("pragma foreign_key_check")).all() == []
            # the foreign keys still cascade
            conn.execute(text("delete from users where id = :u"), {"u": ids[-1]})
            assert _count(conn, "transactions", ids[-1]) == 0 and _count(conn, "categories", ids[-1]) == 0
        with engine.begin() as conn:
            conn.execute(text(
                "insert into users (email, name, password_hash, role, is_active, token_version, data_version,"
                " failed_logins, currency, locale, date_format, week_start, totp_enabled, created_at, updated_at,"
                " account_uid) values ('new@example.com', 'N', 'h', 'user', :t, 1, 1, 0, 'USD', 'en_US', '%Y-%m-%d',"
                " 0, :f, :n, :n, 'fresh-account-uid')"
            ), {"t": True, "f": False, "n": NOW})
            new_id = conn.execute(text("select id from users where email = 'new@example.com'")).scalar_one()
        assert new_id > ids[-1]  # the deleted newest id is not handed out again
        engine.dispose()
        command.downgrade(cfg, "0005")
        with engine.begin() as conn:
            columns = [r for r in conn.execute(text("select * from users")).keys()]  # noqa: SIM118 (a Result, not a dict)
            assert "account_uid" not in columns
            assert _count(conn, "transactions", ids[0]) == 1
        engine.dispose()
        command.upgrade(cfg, "head")
        command.check(cfg)
    finally:
        engine.dispose()
