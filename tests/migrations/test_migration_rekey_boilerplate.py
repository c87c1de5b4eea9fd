"""Migration 0025: learned rules written on a learning key that kept a card's or a mobile wallet's channel words
("cartao deb mc graal", "bill acme acc") take the key the rows give now ("graal", "acme"); a money-in and a money-out
rule that end on one key stay two rules; hand-written rules, another user's rules, every row's category and the stored
merchant untouched; the downgrade runs it back. SQLite always; PostgreSQL / MariaDB when their test URLs are set (a
throwaway database, see test_migration_default_rules.py). Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [  # id, user, description, merchant as stored
    (101, 1, "COMPRA CARTAO DEB MC 11/10 PADARIA SOL", "compra cartao deb mc padaria sol"),
    (102, 1, "Pay Bill Online to 322889 - ACME WATER Acc. 5551", "pay bill online to acme water acc"),
    (103, 1, "Merchant Payment to 950699 - ACME WATER", "merchant payment to acme water"),
    (104, 1, "MC DONALDS PETONE", "mc donalds petone"),
    (105, 2, "COMPRA CARTAO DEB MC 11/10 PADARIA SOL", "compra cartao deb mc padaria sol"),
    (106, 1, "BILL S DINER", "bill s diner"),
]


def _kinds(conn) -> dict[int, str | None]:
    return dict(conn.execute(text("SELECT id, kind FROM rules WHERE user_id IS NOT NULL AND origin = 'learned'")).all())


def test_0025_rekeys_card_and_wallet_channel_words_keeping_directions_apart(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0024") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id IN (101, 102, 104, 105, 106)"))
            conn.execute(text("UPDATE transactions SET kind = 'income' WHERE id = 103"))
            m16._add_rule(conn, 900001, 1, a, "cartao deb mc padaria sol")
            m16._add_rule(conn, 900002, 1, b, "bill acme water acc")
            m16._add_rule(conn, 900003, 1, a, "merchant acme water", day=2)
            m16._add_rule(conn, 900004, 1, b, "mc donalds petone")  # a name, not a card's network: unchanged
            m16._add_rule(conn, 900005, 1, b, "cartao deb", "contains", origin="user")  # by hand: left alone
            m16._add_rule(conn, 900006, 2, b, "cartao deb mc padaria sol")  # another user's, on their own rows
            m16._add_rule(conn, 900007, 1, a, "bill diner")  # a name's word, not the bill-pay channel: unchanged
            conn.execute(text("UPDATE rules SET kind = 'expense' WHERE id = 900002"))
            conn.execute(text("UPDATE rules SET kind = 'income' WHERE id = 900003"))
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 101"), {"a": a})
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0025")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "padaria sol", "exact", a),
                900002: (1, "acme water", "exact", b),  # money out
                900003: (1, "acme water", "exact", a),  # money in: the same key, still its own rule
                900004: (1, "mc donalds petone", "exact", b),
                900005: (1, "cartao deb", "contains", b),
                900006: (2, "padaria sol", "exact", b),
                900007: (1, "bill diner", "exact", a),
            }
            assert {k: v for k, v in _kinds(conn).items() if k in (900002, 900003)} == {
                900002: "expense", 900003: "income"}
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0024")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == rules_before
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
