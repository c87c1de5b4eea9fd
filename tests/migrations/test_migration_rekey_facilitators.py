"""Migration 0027: learned rules written on a learning key that kept a facilitator's code before a "*" ("pag padaria
sol", "mp loja do ze") or a mobile-money phrase before the payee ("customer transfer peter kamau") take the key the
rows give now ("padaria sol", "loja do ze", "peter kamau"); a money-in and a money-out rule that end on one key stay
two rules; hand-written rules, another user's rules, every row's category and the stored merchant untouched; the
downgrade runs it back. SQLite always; PostgreSQL / MariaDB when their test URLs are set (a throwaway database, see
test_migration_default_rules.py). Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [  # id, user, description, merchant as stored
    (101, 1, "PAG*PADARIA SOL 11/10", "pag padaria sol"),
    (102, 1, "Customer Transfer to - 0722000111 PETER KAMAU", "customer transfer to peter kamau"),
    (103, 1, "Funds received from - 0722000111 PETER KAMAU", "funds received from peter kamau"),
    (104, 1, "UBER *TRIP", "uber trip"),
    (105, 2, "PAG*PADARIA SOL 11/10", "pag padaria sol"),
    (106, 1, "MP *LOJA DO ZE", "mp loja do ze"),
]


def test_0027_rekeys_facilitator_codes_and_wallet_phrases_keeping_directions_apart(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0026") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id IN (101, 102, 104, 105, 106)"))
            conn.execute(text("UPDATE transactions SET kind = 'income' WHERE id = 103"))
            m16._add_rule(conn, 900001, 1, a, "pag padaria sol")
            m16._add_rule(conn, 900002, 1, b, "customer transfer peter kamau")
            m16._add_rule(conn, 900003, 1, a, "funds received peter kamau", day=2)
            m16._add_rule(conn, 900004, 1, b, "uber trip")  # a brand and its product, not a facilitator: unchanged
            m16._add_rule(conn, 900005, 1, b, "pag", "contains", origin="user")  # by hand: left alone
            m16._add_rule(conn, 900006, 2, b, "pag padaria sol")  # another user's, on their own rows
            m16._add_rule(conn, 900007, 1, a, "mp loja do ze")
            conn.execute(text("UPDATE rules SET kind = 'expense' WHERE id = 900002"))
            conn.execute(text("UPDATE rules SET kind = 'income' WHERE id = 900003"))
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 101"), {"a": a})
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0027")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "padaria sol", "exact", a),
                900002: (1, "peter kamau", "exact", b),  # money out
                900003: (1, "peter kamau", "exact", a),  # money in: the same key, still its own rule
                900004: (1, "uber trip", "exact", b),
                900005: (1, "pag", "contains", b),
                900006: (2, "padaria sol", "exact", b),
                900007: (1, "loja do ze", "exact", a),
            }
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0026")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == rules_before
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
