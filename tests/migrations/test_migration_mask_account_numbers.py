"""Migration 0046 (session 27, #19): the account text of stored rows keeps no account number ("DE…3000"); the account
whose rows named one number keeps it as its ``external_id`` (a later file of that number still finds it); names and
short numbers stay as written; the downgrade changes nothing. SQLite always; PostgreSQL / MariaDB when their test URLs
are set."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

TEXTS = {1: "DE89 3704 0044 0532 0130 00", 2: "DE89370400440532013000", 3: "1234 5678 9012 3456", 5: "DE89370400440532013000"}


def _state(conn) -> tuple[dict, dict]:
    rows = dict(conn.execute(text("SELECT id, account FROM transactions")).all())
    numbers = {(u, k): e for u, k, e in conn.execute(text("SELECT user_id, name_key, external_id FROM accounts"))}
    return rows, numbers


def test_0046_masks_the_rows_account_numbers_and_keeps_each_on_its_account(url):  # noqa: F811
    with seeded_at(url, "0044") as (cfg, engine):
        with engine.begin() as conn:
            for tid, value in TEXTS.items():
                conn.execute(text("UPDATE transactions SET account = :v WHERE id = :i"), {"v": value, "i": tid})
            before_rows, before_numbers = _state(conn)
        assert before_rows[4] is None and set(before_numbers.values()) == {None}  # a row without account text
        command.upgrade(cfg, "0046")
        with engine.connect() as conn:
            rows, numbers = _state(conn)
        assert rows == {**before_rows, 1: "DE…3000", 2: "DE…3000", 3: "Account …3456", 5: "DE…3000"}
        assert numbers == {**before_numbers, (1, "checking"): "DE89370400440532013000",
                           (1, "visa card"): "1234567890123456", (2, "checking"): "DE89370400440532013000"}
        command.downgrade(cfg, "0044")
        with engine.connect() as conn:
            assert _state(conn) == (rows, numbers)  # nothing to bring back: the numbers are on the accounts
        command.upgrade(cfg, "0046")  # and up again: nothing more to do
        with engine.connect() as conn:
            assert _state(conn) == (rows, numbers)
