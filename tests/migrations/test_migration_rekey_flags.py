"""Migration 0019: learned rules written on a learning key that held a bank's debit / credit flag ("df pak" for
"4835-****-1234 Df PAK N SAVE ...") or a NEFT / RTGS reference ("utibr acme pvt") take the key the rows give now
("pak save", "acme pvt"); the stored merchant of a row with such a reference loses it; hand-written rules,
another user's rules and every row's category untouched; the downgrade runs it back. SQLite always;
PostgreSQL / MariaDB when their test URLs are set (a throwaway database, see test_migration_default_rules.py)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [  # id, user, description, merchant as stored
    (101, 1, "4835-****-1234 Df PAK N SAVE PETONE", "df pak n save petone"),
    (102, 1, "4835-****-9876 Df PAK N SAVE KILBIRNIE KILBIRNIE", "df pak n save kilbirnie kilbirnie"),
    (103, 1, "UPI/DR/402212345678/SWIGGY/HDFC/swiggy@ybl/UPI", "upi dr swiggy hdfc swiggy ybl upi"),
    (104, 2, "4835-****-5555 Df PAK N SAVE PETONE", "df pak n save petone"),
    (105, 1, "RTGS/UTIBR52022105573911/ACME PVT LTD", "rtgs utibr acme pvt ltd"),
]


def test_0019_rekeys_learned_rules_off_a_card_flag_and_downgrades(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0018") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            m16._add_rule(conn, 900001, 1, a, "df pak", "starts_with")
            m16._add_rule(conn, 900002, 1, b, "dr swiggy hdfc swiggy ybl")
            m16._add_rule(conn, 900003, 1, b, "df pak", "contains", origin="user")  # written by hand: left alone
            m16._add_rule(conn, 900004, 2, b, "df pak save petone")  # another user's, re-keyed on their own rows
            m16._add_rule(conn, 900005, 1, a, "utibr acme pvt")
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 102"), {"a": a})
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0019")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "pak save", "starts_with", a),
                900002: (1, "swiggy hdfc swiggy ybl", "exact", b),
                900003: (1, "df pak", "contains", b),
                900004: (2, "pak save petone", "exact", b),
                900005: (1, "acme pvt", "exact", a),
            }
            assert merchants == {**merchants_before, 105: "rtgs acme pvt ltd"} and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0018")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == rules_before and merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
