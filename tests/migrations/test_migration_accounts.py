"""Migration 0010 (accounts): existing transactions move into accounts, nothing lost, reversible.

Runs on SQLite always, and on PostgreSQL / MariaDB when their test URLs are set (in a throwaway
database, see tests/migrations/test_migration_default_rules.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from budgetwise.db import alembic_config, make_engine
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

NOW = dt.datetime(2026, 1, 1, 12, 0, 0)


def _seed(conn) -> None:
    for uid, email, currency in ((1, "a@example.com", "USD"), (2, "b@example.com", "EUR"), (3, "c@example.com", "GBP")):
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, role, is_active, token_version, data_version, "
                "failed_logins, currency, locale, date_format, week_start, totp_enabled, created_at, updated_at) "
                "VALUES (:id, :e, 'x', 'h', 'user', :t, 1, 1, 0, :c, 'en_US', '%Y-%m-%d', 0, :f, :n, :n)"
            ),
            {"id": uid, "e": email, "c": currency, "n": NOW, "t": True, "f": False},
        )
    rows = [
        # user 1: "Checking" and "checking" are one account; a row without account -> Main account
        (1, 1, "2025-01-05", 1000, "USD", "Checking"),
        (2, 1, "2025-01-03", 2000, "USD", "checking"),
        (3, 1, "2025-02-01", 3000, "EUR", "Visa card"),
        (4, 1, "2025-03-01", 4000, "USD", None),
        # user 2: the same account name as user 1, their own account
        (5, 2, "2025-01-10", 500, "EUR", "Checking"),
    ]
    for tid, uid, day, amount, cur, account in rows:
        conn.execute(
            text(
                "INSERT INTO transactions (id, user_id, date, amount_minor, currency, kind, description, merchant, "
                "notes, account, category_manual, source, fingerprint, created_at, updated_at) VALUES "
                "(:id, :u, :d, :a, :c, 'expense', 'd', 'd', '', :acc, :f, 'manual', :fp, :n, :n)"
            ),
            {"id": tid, "u": uid, "d": dt.date.fromisoformat(day), "a": amount, "c": cur, "acc": account,
             "fp": f"fp{tid}", "n": NOW, "f": False},
        )


@contextlib.contextmanager
def seeded_at(database_url: str, revision: str) -> Iterator[tuple[Config, Engine]]:
    """The database at ``database_url`` brought to 0005, given the rows of ``_seed``, then brought to ``revision``:
    yields its alembic config and an engine on it (disposed afterwards, also when the test fails)."""
    cfg = alembic_config(database_url)
    command.upgrade(cfg, "0005")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            _seed(conn)
        command.upgrade(cfg, revision)
        yield cfg, engine
    finally:
        engine.dispose()


def test_0010_moves_every_transaction_into_an_account_and_downgrades(url):  # noqa: F811
    with seeded_at(url, "0010") as (cfg, engine):
        with engine.connect() as conn:
            accounts = {
                (r[0], r[1]): (r[2], r[3], r[4])
                for r in conn.execute(text("SELECT user_id, name_key, currency, opening_date, id FROM accounts"))
            }
            assert set(accounts) == {(1, "checking"), (1, "visa card"), (1, "main account"), (2, "checking"), (3, "main account")}
            assert accounts[(1, "checking")][0] == "USD" and str(accounts[(1, "checking")][1])[:10] == "2025-01-03"
            assert accounts[(1, "visa card")][0] == "EUR"
            assert accounts[(2, "checking")][0] == "EUR"
            assert accounts[(3, "main account")][0] == "GBP"  # a user without transactions gets one too
            placed = dict(conn.execute(text("SELECT id, account_id FROM transactions")).all())
            assert None not in placed.values()
            assert placed[1] == placed[2] == accounts[(1, "checking")][2]
            assert placed[3] == accounts[(1, "visa card")][2]
            assert placed[4] == accounts[(1, "main account")][2]
            assert placed[5] == accounts[(2, "checking")][2]
            assert conn.execute(text("SELECT count(*) FROM transactions")).scalar() == 5
        command.downgrade(cfg, "0005")
        with engine.connect() as conn:
            back = dict(conn.execute(text("SELECT id, account FROM transactions")).all())
            assert back == {1: "Checking", 2: "checking", 3: "Visa card", 4: "Main account", 5: "Checking"}
        command.upgrade(cfg, "0010")  # and up again
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM transactions WHERE account_id IS NULL")).scalar() == 0


def _autoincrement(conn, table: str) -> bool:
    return "AUTOINCREMENT" in conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}).scalar()


def test_0011_links_a_goal_to_an_account_and_downgrades(url):  # noqa: F811
    """Migration 0011 adds the nullable goals.account_id and users.cashflow_threshold_minor (0 for existing
    users); the downgrade drops both and keeps every goal and user."""
    with seeded_at(url, "0005") as (cfg, engine):
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO goals (id, user_id, name, target_minor, currency, target_date, initial_saved_minor, "
                "is_archived, created_at, updated_at) VALUES (1, 1, 'Bike', 50000, 'USD', :d, 1000, :f, :n, :n)"
            ), {"d": dt.date(2030, 1, 1), "f": False, "n": NOW})
        command.upgrade(cfg, "0011")
        with engine.begin() as conn:
            assert conn.execute(text("SELECT account_id FROM goals WHERE id = 1")).scalar() is None
            account = conn.execute(text("SELECT id FROM accounts WHERE user_id = 1 AND name_key = 'checking'")).scalar()
            conn.execute(text("UPDATE goals SET account_id = :a WHERE id = 1"), {"a": account})
            assert conn.execute(text("SELECT cashflow_threshold_minor FROM users WHERE id = 1")).scalar() == 0
            conn.execute(text("UPDATE users SET cashflow_threshold_minor = -5000 WHERE id = 1"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT account_id FROM goals WHERE id = 1")).scalar() == account
        command.downgrade(cfg, "0010")
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, target_minor, initial_saved_minor FROM goals")).all()
            assert [tuple(r) for r in row] == [("Bike", 50000, 1000)]
            assert conn.execute(text("SELECT count(*) FROM accounts")).scalar() == 5
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 3
            if engine.dialect.name == "sqlite":  # the rebuilt tables keep AUTOINCREMENT (0006)
                assert _autoincrement(conn, "goals") and _autoincrement(conn, "users")
        command.upgrade(cfg, "0011")  # and up again
        with engine.connect() as conn:
            assert conn.execute(text("SELECT account_id FROM goals WHERE id = 1")).scalar() is None
            if engine.dialect.name == "sqlite":
                assert _autoincrement(conn, "goals") and _autoincrement(conn, "users")
