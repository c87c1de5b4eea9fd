"""Migration 0022: learned rules written on a learning key that dropped a one-letter name ("wellington" for "Z
WELLINGTON") or kept Brazil's rails ("pix enviado aline souza") take the key the rows give now ("z wellington", "aline
souza"); a money-in and a money-out rule that end on one key stay two rules; hand-written rules, another user's
rules, every row's category and the stored merchant untouched; the downgrade runs it back. SQLite always;
PostgreSQL / MariaDB when their test URLs are set (a throwaway database, see test_migration_default_rules.py).
Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [  # id, user, description, merchant as stored
    (101, 1, "PIX ENVIADO ALINE SOUZA", "pix enviado aline souza"),
    (102, 1, "PIX RECEBIDO ALINE SOUZA", "pix recebido aline souza"),
    (103, 1, "Z WELLINGTON", "z wellington"),
    (104, 1, "Z ENERGY PETONE 1234", "z energy petone"),
    (105, 2, "PIX ENVIADO ALINE SOUZA", "pix enviado aline souza"),
    (106, 1, "TED BAKER LONDON", "ted baker london"),
]


def _kinds(conn) -> dict[int, str | None]:
    return dict(conn.execute(text("SELECT id, kind FROM rules WHERE user_id IS NOT NULL AND origin = 'learned'")).all())


def test_0022_rekeys_one_letter_names_and_brazilian_rails_keeping_directions_apart(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0021") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id IN (101, 103, 104, 105, 106)"))
            conn.execute(text("UPDATE transactions SET kind = 'income' WHERE id = 102"))
            m16._add_rule(conn, 900001, 1, a, "pix enviado aline souza")
            m16._add_rule(conn, 900002, 1, b, "pix recebido aline souza", day=2)
            m16._add_rule(conn, 900003, 1, a, "wellington")
            m16._add_rule(conn, 900004, 1, b, "energy petone")
            m16._add_rule(conn, 900005, 1, b, "pix enviado", "contains", origin="user")  # by hand: left alone
            m16._add_rule(conn, 900006, 2, b, "pix enviado aline souza")  # another user's, on their own rows
            m16._add_rule(conn, 900007, 1, a, "ted baker london")  # a name, not a rail: unchanged
            conn.execute(text("UPDATE rules SET kind = 'expense' WHERE id = 900001"))
            conn.execute(text("UPDATE rules SET kind = 'income' WHERE id = 900002"))
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 101"), {"a": a})
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0022")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "aline souza", "exact", a),  # money out
                900002: (1, "aline souza", "exact", b),  # money in: the same key, still its own rule
                900003: (1, "z wellington", "exact", a),  # no longer the city's name
                900004: (1, "z energy petone", "exact", b),
                900005: (1, "pix enviado", "contains", b),
                900006: (2, "aline souza", "exact", b),
                900007: (1, "ted baker london", "exact", a),
            }
            assert {k: v for k, v in _kinds(conn).items() if k in (900001, 900002)} == {
                900001: "expense", 900002: "income"}
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0021")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == rules_before
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
