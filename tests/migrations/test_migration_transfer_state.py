"""Migration 0015 (a transfer link keeps each row's whole category state): a link confirmed before it
gets its rows' pre-link confidence, rule id and signal, and the rows lose them (a linked row carries no
rule's answer); the downgrade drops the columns and keeps every link. SQLite always; PostgreSQL /
MariaDB when their test URLs are set."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("transfer_links")}


def test_0015_moves_a_linked_rows_rule_answer_into_the_link(url):  # noqa: F811
    with seeded_at(url, "0014") as (cfg, engine):
        with engine.begin() as conn:
            # rows 1 (rule answer) and 2 (set by hand) linked the old way: the rows kept their answers
            conn.execute(text("INSERT INTO rules (id, user_id, category_id, name, priority, match_type, pattern, "
                              "origin, is_active, created_at, updated_at) VALUES (900007, 1, 1, 'r', 100, 'contains', "
                              "'d', 'user', :t, :n, :n)"), {"t": True, "n": dt.datetime(2025, 1, 1)})
            conn.execute(text("UPDATE transactions SET category_confidence = 0.9, rule_id = 900007, "
                              "category_signal = 'sig', category_manual = :t, category_source = 'transfer' "
                              "WHERE id IN (1, 2)"), {"t": True})
            conn.execute(text("INSERT INTO transfer_links (id, user_id, out_transaction_id, in_transaction_id, "
                              "out_prev_category_id, in_prev_category_id, out_prev_manual, in_prev_manual, created_at) "
                              "VALUES (1, 1, 1, 2, 1, 2, :f, :t, :n)"),
                         {"f": False, "t": True, "n": dt.datetime(2025, 1, 2)})
        command.upgrade(cfg, "0015")
        with engine.connect() as conn:
            link = conn.execute(text("SELECT out_prev_source, out_prev_confidence, out_prev_rule_id, out_prev_signal, "
                                     "in_prev_source FROM transfer_links WHERE id = 1")).one()
            assert tuple(link) == ("rule", 0.9, 900007, "sig", "manual")
            rows = conn.execute(text("SELECT category_confidence, rule_id, category_signal FROM transactions "
                                     "WHERE id IN (1, 2)")).all()
            assert [tuple(r) for r in rows] == [(None, None, None)] * 2
            assert conn.execute(text("SELECT count(*) FROM transactions WHERE rule_id IS NULL")).scalar() == 5
        engine.dispose()
        command.downgrade(cfg, "0014")
        assert "out_prev_source" not in _columns(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM transfer_links")).scalar() == 1
        command.upgrade(cfg, "head")
        assert "in_prev_signal" in _columns(engine)
