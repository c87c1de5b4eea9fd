"""Migration 0039: a learned rule on a bill payment's key whose payee is too short for a key alone ("Pay Bill to 4040 -
QZ Acc. NHIFM12" gave "bill qz acc nhifm": the reference back in) takes the key "bill qz"; a hand-written rule, another
user's rule, every row's category and the stored merchant untouched; the downgrade runs it back. SQLite always;
PostgreSQL / MariaDB when their test URLs are set. Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from budgetwise.textforms import learn_key, learn_key_before_session_25
from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [(101, 1, "Pay Bill to 4040 - QZ Acc. NHIFM12", ""), (102, 1, "Pay Bill to 4040 - QZ Acc. WXYV", ""),
        (103, 1, "Pay Bill to 77 - E-VRENGLO Acc. KQTT", ""),
        (201, 2, "Pay Bill to 4040 - XJ Acc. KQTT", "")]


def test_the_keys_before_and_after():
    assert learn_key_before_session_25("Pay Bill to 4040 - QZ Acc. NHIFM12") == "bill qz acc nhifm"
    assert learn_key("Pay Bill to 4040 - QZ Acc. NHIFM12") == "bill qz"
    assert learn_key("Pay Bill to 4040 - QZ Acc. WXYV") == "bill qz"  # one payee whatever the reference
    assert learn_key("Pay Bill to 77 - E-VRENGLO Acc. KQTT") == "vrenglo"  # a longer payee: as in session 24


def test_0039_rekeys_a_short_bill_payees_key_and_downgrades(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0035") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id >= 101"))
            m16._add_rule(conn, 900001, 1, a, "bill qz acc nhifm")  # learned on one reference: the other was apart
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 101"), {"a": a})
            m16._add_rule(conn, 900002, 1, b, "bill qz acc", "contains", origin="user")  # by hand: left alone
            m16._add_rule(conn, 900003, 1, b, "vrenglo")  # already today's key: unchanged
            m16._add_rule(conn, 900004, 2, a, "bill xj acc kqtt")  # another user's: re-keyed for that user alone
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0039")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "bill qz", "exact", a),  # now also the other reference's row
                900002: (1, "bill qz acc", "contains", b),
                900003: (1, "vrenglo", "exact", b),
                900004: (2, "bill xj", "exact", a),
            }
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0035")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            # the rule's rows had two keys before: each gets its rule back
            added = {rid: r for rid, r in rules.items() if rid not in rules_before}
            assert sorted(added.values()) == [(1, "bill qz acc wxyv", "exact", a)]
            assert rules_before == {k: v for k, v in rules.items() if k not in added}
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
