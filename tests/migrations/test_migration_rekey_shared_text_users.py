"""Migration 0029 across users (session 20 review): several users whose exports share a phrase, each with a learned
rule on the phrase's key corrected from a different payee, are re-keyed each to their own payee; one user's hand-set
rows never narrow another's rule; a user without rows keeps the rule as it is; the downgrade runs all back.
SQLite always; PostgreSQL / MariaDB when their test URLs are set. Made-up texts, no evaluation row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)
from tests.migrations.test_migration_rekey_shared_text import OLD, PAYEES, TAIL

ROWS = [(1000 + 100 * u + i, u, f"{p}{TAIL}", "") for u in (1, 2) for i, p in enumerate(PAYEES)]


def _row(user: int, payee: str) -> int:
    return 1000 + 100 * user + PAYEES.index(payee)


def test_0029_rekeys_each_users_rule_to_their_own_corrected_payee(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", ROWS)
    with seeded_at(url, "0028") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            m16._add_rows(conn)
            conn.execute(text("UPDATE transactions SET kind = 'expense' WHERE id >= 1000"))
            by_hand = text("UPDATE transactions SET category_id = :c, category_manual = :t WHERE id = :i")
            conn.execute(by_hand, {"c": a, "t": True, "i": _row(1, "PayPal")})  # user 1 corrected PayPal
            conn.execute(by_hand, {"c": b, "t": True, "i": _row(2, "Q1000")})  # user 2 corrected Q1000 ...
            conn.execute(by_hand, {"c": a, "t": True, "i": _row(2, "H&M")})  # ... and filed H&M under user 1's
            m16._add_rule(conn, 900001, 1, a, OLD)
            m16._add_rule(conn, 900002, 2, b, OLD)
            m16._add_rule(conn, 900003, 3, a, OLD)  # a user without a row left
            rules_before, merchants_before, cats_before = m16._state(conn)
        command.upgrade(cfg, "0029")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == {900001: (1, "paypal", "exact", a), 900002: (2, "q1000", "exact", b),
                             900003: (3, OLD, "exact", a)}
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.downgrade(cfg, "0028")
        with engine.connect() as conn:
            rules, merchants, cats = m16._state(conn)
            assert rules == rules_before
            assert merchants == merchants_before and cats == cats_before
        engine.dispose()
        command.upgrade(cfg, "head")
