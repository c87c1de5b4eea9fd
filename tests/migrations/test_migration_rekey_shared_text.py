"""Migration 0029: a learned rule on a key of the text every description of the user shares ("hidden for data
protection purposes", learned from one PayPal row) takes the payee's own key ("paypal"), narrowed to the payee the
user corrected by hand; a rule of a user whose descriptions share nothing, hand-written rules, every row's category
and the stored merchant untouched; the downgrade runs it back. SQLite always; PostgreSQL / MariaDB when their test
URLs are set. Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

TAIL = " - Hidden For Data Protection Purposes"
PAYEES = ["PayPal", "Q1000", "H&M", "Zorblat Markt", "Vrenglo Cafe", "Quixa Energie", "Blorp Boeken", "Nuhtfit Gym",
          "Trabzo Reizen", "Plimsel Apotheek", "Kwerty Kapper", "Drosk Bakkerij"]
ROWS = [(101 + i, 1, f"{p}{TAIL}", "") for i, p in enumerate(PAYEES)] + [
    (201, 2, f"PayPal{TAIL}", ""), (202, 2, f"Q1000{TAIL}", "")]  # user 2: two keys, nothing read as shared
OLD = "hidden for data protection purposes"


def test_0029_rekeys_a_key_of_shared_words_to_the_corrected_payee_and_downgrades(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0028") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id >= 101"))
            # the PayPal row corrected by hand; the rule learned on its key filed the Q1000 and H&M rows as well
            conn.execute(text("UPDATE transactions SET category_id = :a, category_manual = :t WHERE id = 101"),
                         {"a": a, "t": True})
            m16._add_rule(conn, 900001, 1, a, OLD)
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id IN (102, 103)"),
                         {"a": a})
            m16._add_rule(conn, 900002, 1, b, "hidden", "contains", origin="user")  # by hand: left alone
            m16._add_rule(conn, 900003, 2, b, OLD)  # another user's, whose two descriptions share nothing read
            m16._add_rule(conn, 900004, 1, b, "zorblat markt hidden for data protection purposes")  # has its payee
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0029")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "paypal", "exact", a),  # the payee corrected by hand, not one rule per payee
                900002: (1, "hidden", "contains", b),
                900003: (2, OLD, "exact", b),
                900004: (1, "zorblat markt hidden for data protection purposes", "exact", b),
            }
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0028")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == rules_before
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")


def test_without_a_hand_set_row_the_old_key_splits_into_each_payees_rule(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0028") as (cfg, engine):
        with engine.begin() as conn:
            a = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().first()
            m16._add_rows(conn)
            m16._add_rule(conn, 900001, 1, a, OLD)  # learned from a labelled file: no row says which payee
        command.upgrade(cfg, "0029")
        with engine.connect() as conn:
            rules, _, _ = m16._state(conn)
            mine = sorted(p for (u, p, mt, c) in rules.values() if u == 1)
            assert mine == ["h&m", "paypal", "q1000"]  # what the rule filed before, each payee now its own rule
            assert {c for (u, _, _, c) in rules.values() if u == 1} == {a}
        engine.dispose()
        command.downgrade(cfg, "0028")
        with engine.connect() as conn:
            rules, _, _ = m16._state(conn)
            assert sorted(p for (u, p, _, _) in rules.values() if u == 1) == [OLD]
        engine.dispose()
        command.upgrade(cfg, "head")
