"""Migration 0016: learned rules on the learning key before session 10 take the current key of the rows they
were learned on (merged per user, the latest correction's category), hand-written rules and every row's
category untouched, the stored merchant keeps a name glued to a number; the downgrade runs it back. SQLite
always; PostgreSQL / MariaDB when their test URLs are set (a throwaway database, see
test_migration_default_rules.py)."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import inspect, text

from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

ROWS = [  # id, user, description, merchant as stored before 0016
    (101, 1, "PAYPAL INST XFER 220803", "paypal inst xfer"),
    (102, 1, "ATM08SEP", ""),
    (103, 1, "ATM09SEP", ""),
    (104, 1, "DROGASIL1148 SAO PAULO", "sao paulo"),
    (105, 2, "PAYPAL INST XFER 220901", "paypal inst xfer"),
]


def _add_rows(conn) -> None:
    cols = [c["name"] for c in inspect(conn).get_columns("transactions")]
    own = {"id": ":id", "user_id": ":u", "description": ":d", "merchant": ":m", "fingerprint": ":fp"}
    select = ", ".join(own.get(c, c) for c in cols)
    for tid, uid, desc, merchant in ROWS:
        conn.execute(text(f"INSERT INTO transactions ({', '.join(cols)}) SELECT {select} FROM transactions WHERE id = 1"),
                     {"id": tid, "u": uid, "d": desc, "m": merchant, "fp": f"fp{tid}"})


def _add_rule(conn, rid, uid, category, pattern, match_type="exact", origin="learned", day=1) -> None:
    conn.execute(text("INSERT INTO rules (id, user_id, category_id, name, priority, match_type, pattern, origin, "
                      "is_active, created_at, updated_at) VALUES (:id, :u, :c, :n, 50, :mt, :p, :o, :t, :w, :w)"),
                 {"id": rid, "u": uid, "c": category, "n": f"Learned: {pattern}", "mt": match_type, "p": pattern,
                  "o": origin, "t": True, "w": dt.datetime(2026, 1, day)})


def _state(conn) -> tuple[dict, dict, dict]:
    rules = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(text(
        "SELECT id, user_id, pattern, match_type, category_id FROM rules WHERE id >= 900000 OR "
        "(user_id IS NOT NULL AND origin = 'learned')"))}
    merchants = dict(conn.execute(text("SELECT id, merchant FROM transactions")).all())
    cats = {r[0]: (r[1], r[2]) for r in conn.execute(text("SELECT id, category_id, rule_id FROM transactions"))}
    return rules, merchants, cats


def test_0016_rekeys_learned_rules_and_merchants_per_user_and_downgrades(url):  # noqa: F811
    with seeded_at(url, "0015") as (cfg, engine):
        with engine.begin() as conn:
            a, b = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().all()[:2]
            _add_rows(conn)
            _add_rule(conn, 900001, 1, a, "inst xfer")
            _add_rule(conn, 900002, 1, a, "atm08sep", day=1)
            _add_rule(conn, 900003, 1, b, "atm09sep", day=2)  # the latest correction of the cash machine
            _add_rule(conn, 900004, 1, a, "sao paulo")
            _add_rule(conn, 900005, 1, b, "inst xfer", "contains", origin="user")  # written by hand: left alone
            _add_rule(conn, 900006, 2, b, "inst xfer", "starts_with")  # another user's own rule
            conn.execute(text("UPDATE transactions SET category_id = :b, rule_id = 900003 WHERE id = 103"), {"b": b})
            conn.execute(text("UPDATE transactions SET category_id = :a, category_manual = :t WHERE id = 104"),
                         {"a": a, "t": True})
            _, merchants_before, cats_before = _state(conn)
        command.upgrade(cfg, "0016")
        with engine.connect() as conn:
            rules, merchants, cats = _state(conn)
            assert rules == {
                900001: (1, "paypal inst xfer", "exact", a),
                900002: (1, "atm", "exact", b),  # 900003 merged into the first written, with its category
                900004: (1, "drogasil sao paulo", "exact", a),
                900005: (1, "inst xfer", "contains", b),
                900006: (2, "paypal inst", "starts_with", b),
            }
            assert {i: merchants[i] for i in (102, 103, 104, 105)} == {102: "atm", 103: "atm", 104: "drogasil sao paulo",
                                                                       105: "paypal inst xfer"}
            assert {i: m for i, m in merchants.items() if i < 100} == {i: m for i, m in merchants_before.items() if i < 100}
            assert {i: c for i, (c, _) in cats.items()} == {i: c for i, (c, _) in cats_before.items()}
            assert cats[103] == (b, 900002)  # the row the merged rule set points at the rule that stands for it
        engine.dispose()
        command.downgrade(cfg, "0015")
        with engine.connect() as conn:
            rules, merchants, _ = _state(conn)
            assert merchants == merchants_before
            ours = range(900001, 900007)
            assert {rid: r for rid, r in rules.items() if rid in ours} == {
                900001: (1, "inst xfer", "exact", a),
                900002: (1, "atm08sep", "exact", b),
                900004: (1, "sao paulo", "exact", a),
                900005: (1, "inst xfer", "contains", b),
                900006: (2, "inst xfer", "starts_with", b),
            }
            # merged on the way up, split again by the rows (a new rule: PostgreSQL's ids come from its sequence)
            assert sorted(r for rid, r in rules.items() if rid not in ours) == [(1, "atm09sep", "exact", b)]
        engine.dispose()
        command.upgrade(cfg, "head")
