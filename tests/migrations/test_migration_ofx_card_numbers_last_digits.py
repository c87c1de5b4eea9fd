"""Migration 0049 (session 28, ofx28, #19): a whole card number a credit-card account keeps (0048 left those an OFX
file named, found whole by the OFX import then) is reduced to its last 4 digits; a checking account's number, an id
failing the Luhn check and a masked id stay. The downgrade keeps the reduced numbers (a privacy change is not undone).
SQLite always; PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_card_numbers_last_digits import _account, _batch
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)


def _numbers(conn) -> dict:
    return {(u, k): e for u, k, e in conn.execute(text("SELECT user_id, name_key, external_id FROM accounts"))}


def test_0049_reduces_ofx_card_numbers_and_keeps_them_reduced(url):  # noqa: F811
    with seeded_at(url, "0048") as (cfg, engine):
        with engine.begin() as conn:
            _account(conn, 1, "main account", "credit_card", "5555555555554444")  # an OFX card statement's ACCTID
            _batch(conn, 1, 1, "card.ofx", "ofx", "Account …4444")
            conn.execute(text("UPDATE transactions SET import_batch_id = 1 WHERE id = 4"))
            _account(conn, 1, "checking", "checking", "4012888888881881")  # a bank statement's id: whole
            _account(conn, 1, "visa card", "credit_card", "4111222233334444")  # no card number (Luhn): whole
            _account(conn, 3, "main account", "credit_card", "XXXXXXXXXXXX1234")  # masked: as it is
            before = _numbers(conn)
        command.upgrade(cfg, "0049")
        with engine.connect() as conn:
            after = _numbers(conn)
        assert after == {**before, (1, "main account"): "4444"}
        command.downgrade(cfg, "0048")
        with engine.connect() as conn:
            assert _numbers(conn) == after  # a privacy change is not undone
        command.upgrade(cfg, "0049")  # and up again: nothing more to do
        with engine.connect() as conn:
            assert _numbers(conn) == after
