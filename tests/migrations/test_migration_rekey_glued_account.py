"""Migration 0033: a learned rule on a name glued to an account abbreviation ("Pay Bill to 4040 - VRENGLOAcc. 1234"
gave "vrengloacc") takes the spaced form's key ("vrenglo"); a hand-written rule, another user's rule, every row's
category and the stored merchant untouched; the downgrade runs it back. SQLite always; PostgreSQL / MariaDB when
their test URLs are set. Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [(101, 1, "Pay Bill to 4040 - VRENGLOAcc. 1234", ""), (102, 1, "Pay Bill to 4040 - VRENGLO Acc. 5678", ""),
        (103, 1, "Pay Bill Online to 77 - Quixa Power LtdAcct. 99", ""),
        (201, 2, "Pay Bill to 4040 - PLIMSEL Acc. 12", "")]


def test_0033_rekeys_a_glued_account_key_to_the_spaced_form_and_downgrades(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0032") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id >= 101"))
            m16._add_rule(conn, 900001, 1, a, "vrengloacc")  # learned on the glued row: its spaced twin was apart
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 101"), {"a": a})
            m16._add_rule(conn, 900002, 1, b, "vrengloacc", "contains", origin="user")  # by hand: left alone
            m16._add_rule(conn, 900003, 1, b, "quixa power ltdacct")
            m16._add_rule(conn, 900004, 2, a, "plimsel")  # another user's, of a key that does not change
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0033")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "vrenglo", "exact", a),  # now also the spaced row's key
                900002: (1, "vrengloacc", "contains", b),
                900003: (1, "quixa power", "exact", b),
                900004: (2, "plimsel", "exact", a),
            }
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0032")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            # the rule's rows had two keys before: each gets its rule back, the glued one as it was learned
            added = {rid: r for rid, r in rules.items() if rid not in rules_before}
            assert list(added.values()) == [(1, "vrengloacc", "exact", a)]
            assert {**rules_before, 900001: (1, "vrenglo", "exact", a)} == {k: v for k, v in rules.items()
                                                                            if k not in added}
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
