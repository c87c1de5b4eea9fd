"""Migration 0043: a learned rule on a key of legal forms only ("limited" of "POS PURCHASE LIMITED": a payment's words
and a form, every such company one merchant) takes the key its rows give now ("pos purchase limited"); a hand-written
rule, another user's rule, a rule on a key with a name ("vrenglo limited"), every row's category and the stored merchant
untouched; the downgrade runs it back. SQLite always; PostgreSQL / MariaDB when their test URLs are set. Made-up texts,
no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from budgetwise.textforms import learn_key
from budgetwise.textkeys import learn_key_before_session_26
from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [(101, 1, "POS PURCHASE LIMITED 4711", ""), (102, 1, "POS PURCHASE VRENGLO LIMITED", ""),
        (201, 2, "CARD PURCHASE LIMITED", "")]


def test_the_keys_before_and_after():
    assert learn_key_before_session_26("POS PURCHASE LIMITED 4711") == "limited"
    assert learn_key("POS PURCHASE LIMITED 4711") == "pos purchase limited"
    assert learn_key("CARD PURCHASE LIMITED") == "card purchase limited"  # not the same merchant any more
    assert learn_key("POS PURCHASE VRENGLO LIMITED") == "vrenglo limited"  # a name beside the form: as before


def test_0043_rekeys_a_legal_form_key_and_downgrades(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0041") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id >= 101"))
            m16._add_rule(conn, 900001, 1, a, "limited")  # learned on the form alone
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 101"), {"a": a})
            m16._add_rule(conn, 900002, 1, b, "limited", "contains", origin="user")  # by hand: left alone
            m16._add_rule(conn, 900003, 1, b, "vrenglo limited")  # a name beside the form: unchanged
            m16._add_rule(conn, 900004, 2, a, "limited")  # another user's: re-keyed for that user alone
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0043")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "pos purchase limited", "exact", a),
                900002: (1, "limited", "contains", b),
                900003: (1, "vrenglo limited", "exact", b),
                900004: (2, "card purchase limited", "exact", a),
            }
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0041")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == rules_before
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
