"""Migration 0021: learned rules written on a learning key that held a payment's channel ("via internet padaria
estrela", the stem "via internet" every internet payment fell under, "internetbanking stadtwerke") take the key the
rows give now ("padaria estrela", "stadtwerke musterstadt"); hand-written rules, another user's rules, every row's category and
the stored merchant untouched; the downgrade runs it back. SQLite always; PostgreSQL / MariaDB when their test URLs
are set (a throwaway database, see test_migration_default_rules.py). Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [  # id, user, description, merchant as stored
    (101, 1, "PAGAMENTO VIA INTERNET PADARIA ESTRELA", "pagamento via internet padaria estrela"),
    (102, 1, "PAGAMENTO PADARIA ESTRELA 12/03", "pagamento padaria estrela"),
    (103, 1, "Internetbanking Stadtwerke Musterstadt 88120044", "internetbanking stadtwerke musterstadt"),
    (104, 1, "pago por internet Floristeria Lirio", "pago por internet floristeria lirio"),
    (105, 2, "PAGAMENTO VIA INTERNET PADARIA ESTRELA", "pagamento via internet padaria estrela"),
    (106, 1, "VIA RAIL 7788", "via rail"),
]


def test_0021_rekeys_learned_rules_off_a_payment_channel_and_downgrades(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0020") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            m16._add_rule(conn, 900001, 1, a, "via internet padaria estrela")
            m16._add_rule(conn, 900002, 1, b, "internetbanking stadtwerke", "starts_with")
            m16._add_rule(conn, 900003, 1, b, "via internet", "contains", origin="user")  # written by hand: left alone
            m16._add_rule(conn, 900004, 2, b, "via internet padaria estrela")  # another user's, on their own rows
            m16._add_rule(conn, 900005, 1, a, "por internet floristeria lirio")
            m16._add_rule(conn, 900006, 1, b, "via rail")  # a name, not a channel: unchanged
            conn.execute(text("UPDATE transactions SET category_id = :a, rule_id = 900001 WHERE id = 101"), {"a": a})
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0021")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {
                900001: (1, "padaria estrela", "exact", a),  # now also the key of the counter payment (102)
                900002: (1, "stadtwerke musterstadt", "starts_with", b),  # a stem of two words at least
                900003: (1, "via internet", "contains", b),
                900004: (2, "padaria estrela", "exact", b),
                900005: (1, "floristeria lirio", "exact", a),
                900006: (1, "via rail", "exact", b),
            }
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0020")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            # the rule covers the counter payment's key since the upgrade: it keeps it, and the earlier key of the
            # internet payment is added beside it (rekey.plan_rekey: a rule that still covers rows keeps its key)
            added = {k: v for k, v in rules.items() if k not in rules_before}
            assert list(added.values()) == [(1, "via internet padaria estrela", "exact", a)]
            assert {k: v for k, v in rules.items() if k in rules_before} == {
                **rules_before, 900001: (1, "padaria estrela", "exact", a)}
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
