"""Data migrations of the default rules: 0002 is frozen, 0004 brings existing databases to the new set.

Runs on SQLite always, and on PostgreSQL / MariaDB when their test URLs are set: there in
a throwaway database created for the test (never the shared test database, which other
test runs keep at head).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from budgetwise.db import alembic_config, make_engine
from budgetwise.services.default_rules import DEFAULT_RULES
from tests.conftest import BACKEND_ENV, ROOT
from tests.migrations.revisions import start_at

VERSIONS = ROOT / "migrations" / "versions"
# sha256 of repr(SEEDED_RULES) in 0002: that list is what 0002 has always seeded and must never change.
SEEDED_V1_SHA256 = "8b7c95e636ad87a1a857b53952461043c5e95579bec8181313cd80f7110cd745"


def _module(filename: str):
    spec = importlib.util.spec_from_file_location(f"_test_migration_{Path(filename).stem}", VERSIONS / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


M0002 = _module("0002_default_rules.py")
M0004 = _module("0004_default_rules_v2.py")
M0009 = _module("0009_categorize_learning.py")
M0012 = _module("0012_default_rules_v4.py")
M0013 = _module("0013_default_rules_v5.py")
M0018 = _module("0018_default_rules_v6.py")
M0020 = _module("0020_default_rules_v7.py")
M0023 = _module("0023_default_rules_v8.py")
M0024 = _module("0024_default_rules_v9.py")
M0026 = _module("0026_default_rules_v10.py")
M0030 = _module("0030_default_rules_v11.py")
M0031 = _module("0031_default_rules_v12.py")
M0032 = _module("0032_default_rules_v13.py")
M0034 = _module("0034_default_rules_v14.py")
M0036 = _module("0036_default_rules_v15.py")
M0038 = _module("0038_default_rules_v16.py")
M0042 = _module("0042_default_rules_v17.py")
M0044 = _module("0044_default_rules_v18.py")
M0047 = _module("0047_default_rules_v19.py")
M0050 = _module("0050_default_rules_v20.py")
V1 = M0002.SEEDED_RULES
V2 = M0004.RULES_V2
V3 = M0009.RULES_V3
V4 = M0012.RULES_V4
V5 = M0013.RULES_V5
V6 = M0018.RULES_V6
V7 = M0020.RULES_V7
V8 = M0023.RULES_V8
V9 = M0024.RULES_V9
V10 = M0026.RULES_V10
V11 = M0030.RULES_V11
V12 = M0031.RULES_V12
V13 = M0032.RULES_V13
V14 = M0034.RULES_V14
V15 = M0036.RULES_V15
V16 = M0038.RULES_V16
V17 = M0042.RULES_V17
V18 = M0044.RULES_V18
V19 = M0047.RULES_V19
V20 = M0050.RULES_V20  # the latest default set


def _entries(rules) -> tuple:
    return tuple((r.name, r.category, r.kind, r.priority, r.match_type, r.pattern) for r in rules)


def test_the_application_defaults_are_the_latest_migration_s_list():
    assert _entries(DEFAULT_RULES) == V20, (
        "budgetwise/services/default_rules.py changed: ship the new default set as a new data migration "
        "(like 0004_default_rules_v2.py) instead of editing a migration that has run"
    )


def test_0002_seeds_a_frozen_list():
    assert hashlib.sha256(repr(V1).encode()).hexdigest() == SEEDED_V1_SHA256
    assert "DEFAULT_RULES" not in (VERSIONS / "0002_default_rules.py").read_text()


# --------------------------------------------------------------------------- databases
@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def url(request, tmp_path) -> Iterator[str]:
    backend = request.param
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    base = os.environ.get(BACKEND_ENV[backend])
    if not base:
        pytest.skip(f"{backend}: set {BACKEND_ENV[backend]} to check the data migrations on {backend}")
    name = f"bw_mig_{uuid.uuid4().hex[:12]}"
    admin_engine = make_engine(base)
    try:
        with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if backend == "postgresql":
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        admin_engine.dispose()


def _rules(conn) -> dict[str, tuple]:
    rows = conn.execute(text(
        "SELECT r.name, c.name, r.kind, r.priority, r.match_type, r.pattern, r.is_active, r.id "
        "FROM rules r JOIN categories c ON c.id = r.category_id WHERE r.user_id IS NULL AND r.origin = 'default'"
    )).all()
    names = [r[0] for r in rows]
    assert len(names) == len(set(names)), "duplicate default rule names"
    return {r[0]: (r[0], r[1], r[2], int(r[3]), r[4], r[5], bool(r[6]), r[7]) for r in rows}


def _content(rules: dict[str, tuple]) -> set[tuple]:
    return {v[:6] for v in rules.values()}


def test_a_new_database_gets_exactly_the_latest_default_rules(url):
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert _content(_rules(conn)) == set(V20)
    finally:
        engine.dispose()


def test_0004_updates_untouched_rules_and_leaves_the_admin_s_alone(url):
    cfg = start_at(url, "0003")
    engine = make_engine(url)
    v1_names = [e[0] for e in V1]
    v2_names = {e[0] for e in V2}
    in_both = [n for n in v1_names if n in v2_names and dict((e[0], e) for e in V1)[n] != dict((e[0], e) for e in V2)[n]]
    edited, deactivated, deleted = in_both[0], in_both[1], in_both[2]
    gone = [n for n in v1_names if n not in v2_names]
    later = dt.datetime(2030, 1, 1)
    try:
        with engine.begin() as conn:
            before = _rules(conn)
            assert _content(before) == {e for e in V1}
            conn.execute(text("UPDATE rules SET pattern = 'zorblat', updated_at = :t WHERE name = :n"),
                         {"t": later, "n": edited})
            conn.execute(text("UPDATE rules SET is_active = :f, updated_at = :t WHERE name = :n"),
                         {"f": False, "t": later, "n": deactivated})
            conn.execute(text("DELETE FROM rules WHERE name = :n"), {"n": deleted})
            groceries = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL AND name = 'Groceries'")).scalar()
            conn.execute(text(
                "INSERT INTO rules (user_id, category_id, name, priority, match_type, pattern, origin, is_active, "
                "created_at, updated_at) VALUES (NULL, :c, 'Local market', 50, 'contains', 'marche local', "
                "'default', :t, :now, :now)"), {"c": groceries, "t": True, "now": later})
        with engine.connect() as conn:
            kept = {n: v for n, v in _rules(conn).items()}
        command.upgrade(cfg, "0004")
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat" and after[edited][7] == kept[edited][7]  # the admin's edit stays
        assert after[deactivated][6] is False and after[deactivated][5] == kept[deactivated][5]
        assert deleted not in after  # deleted by the admin: stays deleted
        assert after["Local market"][:6] == ("Local market", "Groceries", None, 50, "contains", "marche local")
        expected = {e for e in V2 if e[0] not in {edited, deactivated, deleted}}
        assert {v[:6] for n, v in after.items() if n not in {edited, deactivated, "Local market"}} == expected
        for name in set(v1_names) & v2_names - {edited, deactivated, deleted}:
            assert after[name][7] == kept[name][7]  # updated in place: same id
        assert not set(gone) & set(after)

        command.downgrade(cfg, "0003")  # back to 0002's list, the admin's rules still untouched
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat" and deleted not in down and "Local market" in down
        assert {v[:6] for n, v in down.items() if n not in {edited, deactivated, "Local market"}} == {
            e for e in V1 if e[0] not in {edited, deactivated, deleted}}
    finally:
        engine.dispose()


def test_0004_recognises_databases_seeded_by_the_first_0002(url):
    """Databases created before 0002 was frozen hold an earlier list: it is upgraded too."""
    cfg = start_at(url, "0003")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cats = dict(conn.execute(text("SELECT name, id FROM categories WHERE user_id IS NULL")).all())
            conn.execute(text("DELETE FROM rules WHERE user_id IS NULL"))
            now = dt.datetime(2026, 11, 21, 6, 0)
            for name, category, kind, priority, match_type, pattern in M0004.SEEDED_V0:
                conn.execute(text(
                    "INSERT INTO rules (user_id, category_id, name, priority, match_type, pattern, kind, origin, "
                    "is_active, created_at, updated_at) VALUES (NULL, :c, :n, :p, :m, :pat, :k, 'default', :t, :now, :now)"
                ), {"c": cats[category], "n": name, "p": priority, "m": match_type, "pat": pattern, "k": kind,
                    "t": True, "now": now})
        command.upgrade(cfg, "0004")
        with engine.connect() as conn:
            assert _content(_rules(conn)) == set(V2)
    finally:
        engine.dispose()


def test_0009_brings_untouched_v2_rules_to_v3_and_back(url):
    cfg = start_at(url, "0005")
    engine = make_engine(url)
    changed = [e[0] for e in V3 if e[0] in {x[0] for x in V2} and e not in set(V2)]
    edited = changed[0]
    try:
        with engine.begin() as conn:
            assert _content(_rules(conn)) == set(V2)
            conn.execute(text("UPDATE rules SET pattern = 'zorblat' WHERE name = :n"), {"n": edited})
        command.upgrade(cfg, "0009")
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat"  # the admin's edit stays
        assert {v[:6] for n, v in after.items() if n != edited} == {e for e in V3 if e[0] != edited}
        command.downgrade(cfg, "0005")
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat"
        assert {v[:6] for n, v in down.items() if n != edited} == {e for e in V2 if e[0] != edited}
    finally:
        engine.dispose()


def test_0012_brings_untouched_v3_rules_to_v4_and_back(url):
    cfg = start_at(url, "0009")
    engine = make_engine(url)
    changed = [e[0] for e in V4 if e[0] in {x[0] for x in V3} and e not in set(V3)]
    edited, deleted = changed[0], changed[1]
    try:
        with engine.begin() as conn:
            assert _content(_rules(conn)) == set(V3)
            conn.execute(text("UPDATE rules SET pattern = 'zorblat' WHERE name = :n"), {"n": edited})
            conn.execute(text("UPDATE transactions SET rule_id = NULL WHERE rule_id IN "
                              "(SELECT id FROM rules WHERE name = :n)"), {"n": deleted})
            conn.execute(text("DELETE FROM rules WHERE name = :n"), {"n": deleted})
        command.upgrade(cfg, "0012")
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat"  # the admin's edit stays
        assert deleted not in after  # a seeded rule the admin deleted stays deleted
        assert {v[:6] for n, v in after.items() if n != edited} == {e for e in V4 if e[0] not in (edited, deleted)}
        command.downgrade(cfg, "0009")
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat"
        assert {v[:6] for n, v in down.items() if n != edited} == {e for e in V3 if e[0] not in (edited, deleted)}
    finally:
        engine.dispose()


def test_0013_brings_untouched_v4_rules_to_v5_and_back(url):
    cfg = start_at(url, "0012")
    engine = make_engine(url)
    v4_names = {x[0] for x in V4}
    changed = [e[0] for e in V5 if e[0] in v4_names and e not in set(V4)]
    added = [e[0] for e in V5 if e[0] not in v4_names]
    assert "Car rental" in added and "Transfer sent to an unknown payee (guess)" in added
    edited, deleted = changed[0], changed[1]
    try:
        with engine.begin() as conn:
            assert _content(_rules(conn)) == set(V4)
            conn.execute(text("UPDATE rules SET pattern = 'zorblat' WHERE name = :n"), {"n": edited})
            conn.execute(text("UPDATE transactions SET rule_id = NULL WHERE rule_id IN "
                              "(SELECT id FROM rules WHERE name = :n)"), {"n": deleted})
            conn.execute(text("DELETE FROM rules WHERE name = :n"), {"n": deleted})
            kept = _rules(conn)
        command.upgrade(cfg, "0013")
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat"  # the admin's edit stays
        assert deleted not in after  # a seeded rule the admin deleted stays deleted
        assert {v[:6] for n, v in after.items() if n != edited} == {e for e in V5 if e[0] not in (edited, deleted)}
        assert all(after[n][7] == kept[n][7] for n in changed if n not in (edited, deleted))  # updated in place
        command.downgrade(cfg, "0012")
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat"
        assert not set(added) & set(down)
        assert {v[:6] for n, v in down.items() if n != edited} == {e for e in V4 if e[0] not in (edited, deleted)}
    finally:
        engine.dispose()


def test_0018_brings_untouched_v5_rules_to_v6_and_back(url):
    cfg = start_at(url, "0017")
    engine = make_engine(url)
    v5_names = {x[0] for x in V5}
    changed = [e[0] for e in V6 if e[0] in v5_names and e not in set(V5)]
    added = [e[0] for e in V6 if e[0] not in v5_names]
    assert added and len(changed) > 2
    edited, deleted = changed[0], changed[1]
    try:
        with engine.begin() as conn:
            assert _content(_rules(conn)) == set(V5)
            conn.execute(text("UPDATE rules SET pattern = 'zorblat' WHERE name = :n"), {"n": edited})
            conn.execute(text("UPDATE transactions SET rule_id = NULL WHERE rule_id IN "
                              "(SELECT id FROM rules WHERE name = :n)"), {"n": deleted})
            conn.execute(text("DELETE FROM rules WHERE name = :n"), {"n": deleted})
            kept = _rules(conn)
        command.upgrade(cfg, "0018")
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat"  # the admin's edit stays
        assert deleted not in after  # a seeded rule the admin deleted stays deleted
        assert {v[:6] for n, v in after.items() if n != edited} == {e for e in V6 if e[0] not in (edited, deleted)}
        assert all(after[n][7] == kept[n][7] for n in changed if n not in (edited, deleted))  # updated in place
        command.downgrade(cfg, "0017")
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat"
        assert not set(added) & set(down)
        assert {v[:6] for n, v in down.items() if n != edited} == {e for e in V5 if e[0] not in (edited, deleted)}
    finally:
        engine.dispose()


def test_the_sixth_set_keeps_the_fifth_set_s_rules_and_adds_rules_of_its_own():
    """0018 adds rules after each group's earlier ones: a fifth-set rule keeps its name and pattern (the
    user's agreement with a default rule is counted per rule), except the one "regal" fix."""
    v6 = {e[0]: e for e in V6}
    moved = [e[0] for e in V5 if e[0] not in v6 or (v6[e[0]][1], v6[e[0]][2], v6[e[0]][4], v6[e[0]][5])
             != (e[1], e[2], e[4], e[5])]
    assert moved == ["Entertainment (5)"] and "regalo" not in v6["Entertainment (5)"][5]
    assert [e[0] for e in V6 if e[0] not in {x[0] for x in V5}]  # new rules, with names of their own


def test_0020_brings_untouched_v6_rules_to_v7_and_back(url):
    cfg = start_at(url, "0019")
    engine = make_engine(url)
    v6_names = {x[0] for x in V6}
    changed = [e[0] for e in V7 if e[0] in v6_names and e not in set(V6)]
    added = [e[0] for e in V7 if e[0] not in v6_names]
    assert added and len(changed) > 2
    edited, deleted = "Phone and internet (5)", changed[0] if changed[0] != "Phone and internet (5)" else changed[1]
    try:
        with engine.begin() as conn:
            assert _content(_rules(conn)) == set(V6)
            conn.execute(text("UPDATE rules SET pattern = 'zorblat' WHERE name = :n"), {"n": edited})
            conn.execute(text("UPDATE transactions SET rule_id = NULL WHERE rule_id IN "
                              "(SELECT id FROM rules WHERE name = :n)"), {"n": deleted})
            conn.execute(text("DELETE FROM rules WHERE name = :n"), {"n": deleted})
            kept = _rules(conn)
        command.upgrade(cfg, "0020")
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat"  # the admin's edit stays
        assert deleted not in after  # a seeded rule the admin deleted stays deleted
        assert {v[:6] for n, v in after.items() if n != edited} == {e for e in V7 if e[0] not in (edited, deleted)}
        assert all(after[n][7] == kept[n][7] for n in changed if n not in (edited, deleted))  # updated in place
        command.downgrade(cfg, "0019")
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat"
        assert not set(added) & set(down)
        assert {v[:6] for n, v in down.items() if n != edited} == {e for e in V6 if e[0] not in (edited, deleted)}
    finally:
        engine.dispose()


def test_the_seventh_set_drops_the_bare_internet_and_keeps_the_sixth_set_s_other_rules():
    """0020 drops the bare word "internet" (a payment channel) from "Phone and internet (5)"; the words after it
    move up into "(6)"; every other sixth-set rule keeps its name and pattern; the new words are rules of their
    own."""
    v7 = {e[0]: e for e in V7}
    moved = [e[0] for e in V6 if e[0] not in v7 or (v7[e[0]][1], v7[e[0]][2], v7[e[0]][4], v7[e[0]][5])
             != (e[1], e[2], e[4], e[5])]
    assert moved == ["Phone and internet (5)", "Phone and internet (6)"]
    assert "|internet|" not in v7["Phone and internet (5)"][5] and "internet" in {
        w for e in V6 if e[0] == "Phone and internet (5)" for w in e[5].replace("(?:", "|").split("|")}
    assert [e[0] for e in V7 if e[0] not in {x[0] for x in V6}]  # new rules, with names of their own


def test_0023_brings_untouched_v7_rules_to_v8_and_back(url):
    cfg = start_at(url, "0021")
    engine = make_engine(url)
    v7_names = {x[0] for x in V7}
    changed = [e[0] for e in V8 if e[0] in v7_names and e not in set(V7)]
    added = [e[0] for e in V8 if e[0] not in v7_names]
    assert added and len(changed) > 2
    edited = "Credit card payments (2)"
    deleted = next(n for n in changed if n != edited)
    try:
        with engine.begin() as conn:
            assert _content(_rules(conn)) == set(V7)
            conn.execute(text("UPDATE rules SET pattern = 'zorblat' WHERE name = :n"), {"n": edited})
            conn.execute(text("UPDATE transactions SET rule_id = NULL WHERE rule_id IN "
                              "(SELECT id FROM rules WHERE name = :n)"), {"n": deleted})
            conn.execute(text("DELETE FROM rules WHERE name = :n"), {"n": deleted})
            kept = _rules(conn)
        command.upgrade(cfg, "0023")
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat"  # the admin's edit stays
        assert deleted not in after  # a seeded rule the admin deleted stays deleted
        assert {v[:6] for n, v in after.items() if n != edited} == {e for e in V8 if e[0] not in (edited, deleted)}
        assert all(after[n][7] == kept[n][7] for n in changed if n not in (edited, deleted))  # updated in place
        command.downgrade(cfg, "0021")
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat"
        assert not set(added) & set(down)
        assert {v[:6] for n, v in down.items() if n != edited} == {e for e in V7 if e[0] not in (edited, deleted)}
    finally:
        engine.dispose()


def _words(pattern: str) -> set[str]:
    return {w.replace("\\", "") for w in re.split(r"\|", re.sub(r"\\b|\(\?:|\)", "|", pattern)) if w}


def test_the_eighth_set_moves_the_channel_words_late_and_keeps_the_other_rules():
    """0023 takes the payment-channel words out of the early card-payment and own-account rules (each keeps its
    other words), brings them back as late rules of the same groups just before "Transfers (generic)", and adds
    rules of their own; every other seventh-set rule keeps its name and pattern."""
    v8 = {e[0]: e for e in V8}
    moved = [e[0] for e in V7 if e[0] not in v8 or (v8[e[0]][1], v8[e[0]][2], v8[e[0]][4], v8[e[0]][5])
             != (e[1], e[2], e[4], e[5])]
    assert set(moved) <= {f"Credit card payments ({i})" for i in range(1, 4)} | {
        f"Transfers between own accounts ({i})" for i in range(1, 6)}
    v7 = {e[0]: e for e in V7}
    for name in moved:  # only channel words left
        gone = _words(v7[name][5]) - _words(v8[name][5])
        assert gone and gone <= {"autopay", "auto pay", "automatic payment", "epay", "autopay pymt", "mobile pymt",
                                 "online pymt", "internet banking", "online banking transfer", "internet payment",
                                 "internet pmt", "mobile banking transfer", "internet transfer", "online transfer to"}
        assert _words(v8[name][5]) <= _words(v7[name][5])
    late = [v8["Credit card payments (5)"], v8["Transfers between own accounts (6)"]]
    generic = v8["Transfers (generic) (1)"]
    fees = v8["Fees (generic)"]
    assert fees[3] < late[1][3] < generic[3] and all(e[1] == "Transfers" for e in late)
    # review15: the card-payment channel words come after the bill groups and before the shops (a store card's
    # bill, "LOWES AUTOPAY"); education and gifts moved before the shops, the other groups keep their order
    last_bill = max(e[3] for e in V8 if e[0].startswith(("Gifts and donations", "Education", "Energy and water")))
    first_shop = min(e[3] for e in V8 if e[0].startswith(("Supermarkets and groceries", "Shopping")))
    assert last_bill < late[0][3] < first_shop
    v7_order = [e[0] for e in sorted(V7, key=lambda e: e[3]) if e[0] in v8 and not e[0].startswith(
        ("Education", "Gifts"))]
    assert v7_order == sorted(v7_order, key=lambda n: v8[n][3])
    assert "autopay" in _words(late[0][5]) and "internet banking" in _words(late[1][5])


def _round_trip(url, revisions: tuple[str, str], old: tuple, new: tuple, edited: str, deleted: str) -> None:
    """Upgrade from ``revisions[0]`` (the ``old`` set) to ``revisions[1]`` (the ``new`` one) with one default rule
    edited by an administrator and one deleted, then downgrade: untouched rules follow, the admin's stay theirs."""
    cfg = start_at(url, revisions[0])
    engine = make_engine(url)
    old_names = {x[0] for x in old}
    changed = [e[0] for e in new if e[0] in old_names and e not in set(old)]
    added = [e[0] for e in new if e[0] not in old_names]
    assert added and len(changed) > 2 and {edited, deleted} <= set(changed)
    try:
        with engine.begin() as conn:
            assert _content(_rules(conn)) == set(old)
            conn.execute(text("UPDATE rules SET pattern = 'zorblat' WHERE name = :n"), {"n": edited})
            conn.execute(text("UPDATE transactions SET rule_id = NULL WHERE rule_id IN "
                              "(SELECT id FROM rules WHERE name = :n)"), {"n": deleted})
            conn.execute(text("DELETE FROM rules WHERE name = :n"), {"n": deleted})
            kept = _rules(conn)
        command.upgrade(cfg, revisions[1])
        with engine.connect() as conn:
            after = _rules(conn)
        assert after[edited][5] == "zorblat"  # the admin's edit stays
        assert deleted not in after  # a seeded rule the admin deleted stays deleted
        assert {v[:6] for n, v in after.items() if n != edited} == {e for e in new if e[0] not in (edited, deleted)}
        assert all(after[n][7] == kept[n][7] for n in changed if n not in (edited, deleted))  # updated in place
        command.downgrade(cfg, revisions[0])
        with engine.connect() as conn:
            down = _rules(conn)
        assert down[edited][5] == "zorblat"
        assert not set(added) & set(down)
        assert {v[:6] for n, v in down.items() if n != edited} == {e for e in old if e[0] not in (edited, deleted)}
    finally:
        engine.dispose()


def test_0024_brings_untouched_v8_rules_to_v9_and_back(url):
    _round_trip(url, ("0023", "0024"), V8, V9, edited="Loan repayments (1)", deleted="Loan repayments (2)")


def test_the_ninth_set_moves_home_loans_and_transfer_channels_and_keeps_the_other_rules():
    """0024 takes "home loan" and "rata mutuo" out of the loan rule and "tfr to", "trf to", "ib tfr" out of the early
    own-account rule (each keeps its other words); the mortgage words come back as a rent rule just before the loan
    rules, the channel words in the late own-account rule; every other eighth-set rule keeps its name, category and
    pattern (the priorities move)."""
    v9 = {e[0]: e for e in V9}
    v8 = {e[0]: e for e in V8}
    moved = [e[0] for e in V8 if (v9[e[0]][1], v9[e[0]][2], v9[e[0]][4], v9[e[0]][5]) != (e[1], e[2], e[4], e[5])]
    assert set(moved) <= {"Loan repayments (1)", "Loan repayments (2)", "Transfers between own accounts (4)",
                          "Transfers between own accounts (6)"}
    for name in moved:
        gone, new = _words(v8[name][5]) - _words(v9[name][5]), _words(v9[name][5]) - _words(v8[name][5])
        assert gone <= {"home loan", "rata mutuo", "tfr to", "trf to", "ib tfr"}
        assert new <= {"tfr to", "trf to", "ib tfr"} and (name == "Transfers between own accounts (6)") == bool(new)
    early = v9["Rent and mortgage (6)"]
    assert early[1] == "Rent" and {"home loan", "housing loan", "rata mutuo"} <= _words(early[5])
    assert early[3] < min(e[3] for e in V9 if e[0].startswith("Loan repayments"))
    assert max(e[3] for e in V9 if e[0].startswith("Investments and brokers")) < early[3]
    v8_order = [e[0] for e in sorted(V8, key=lambda e: e[3])]
    assert v8_order == sorted(v8_order, key=lambda n: v9[n][3])  # the eighth set's rules keep their order


def test_0026_brings_untouched_v9_rules_to_v10_and_back(url):
    """The tenth set only adds rules: the ninth set's rules change their priority alone (updated in place)."""
    _round_trip(url, ("0025", "0026"), V9, V10, edited="Phone and internet (1)", deleted="Insurance (1)")


def _only_adds_rules(old: tuple, new: tuple) -> None:
    """Every ``old`` rule keeps its name, category, kind and pattern, and its order; each new rule sits right after a
    rule of its own group, with the group's category."""
    by_name = {e[0]: e for e in new}
    assert all((by_name[e[0]][1], by_name[e[0]][2], by_name[e[0]][4], by_name[e[0]][5]) == (e[1], e[2], e[4], e[5])
               for e in old)
    old_order = [e[0] for e in sorted(old, key=lambda e: e[3])]
    assert old_order == sorted(old_order, key=lambda n: by_name[n][3])
    old_names = {e[0] for e in old}
    by_priority = sorted(new, key=lambda e: e[3])
    group = {e[0]: re.sub(r" \(\d+\)$", "", e[0]) for e in new}
    for before, added in zip(by_priority, by_priority[1:]):
        if added[0] not in old_names:  # right after a rule of its own group, with the group's category
            assert group[before[0]] == group[added[0]] and before[1] == added[1], added[0]


def test_the_tenth_set_only_adds_rules_and_keeps_the_ninth_set_s_rules_and_order():
    """0026 adds rules of their own, each after its group's others: every ninth-set rule keeps its name, category,
    kind and pattern, and the ninth set's order; each new rule sits among its own group's rules."""
    _only_adds_rules(V9, V10)


def test_0030_brings_untouched_v10_rules_to_v11_and_back(url):
    """The eleventh set only adds rules: the tenth set's rules change their priority alone (updated in place)."""
    _round_trip(url, ("0029", "0030"), V10, V11, edited="Energy and water (1)", deleted="Salary and payroll (1)")


def test_the_eleventh_set_only_adds_rules_and_keeps_the_tenth_set_s_rules_and_order():
    """0030 (payment words of more languages) adds rules of their own after each group's others, as 0026 did."""
    _only_adds_rules(V10, V11)
    assert len(V11) > len(V10)


def test_0031_brings_untouched_v11_rules_to_v12_and_back(url):
    """The twelfth set takes words that caught other words out of their rules and adds rules after the groups'."""
    _round_trip(url, ("0030", "0031"), V11, V12, edited="Energy and water (1)", deleted="Fuel (4)")


def _only_takes_listed_words_out(old: tuple, new: tuple, removed: dict[str, tuple[str, ...]]) -> None:
    """A rule of ``old`` loses only ``removed`` words of its own group (each other word keeps its text in its block),
    every other rule keeps its pattern and the old order."""
    by_name = {e[0]: e for e in new}
    gone_words = {w.rstrip("$#*") for ws in removed.values() for w in ws}
    for e in old:
        now = by_name[e[0]]
        assert (now[1], now[2], now[4]) == (e[1], e[2], e[4])
        if now[5] != e[5]:
            group = re.sub(r" \(\d+\)$", "", e[0])
            assert group in removed, e[0]
            assert _words(now[5]) < _words(e[5]) and _words(e[5]) - _words(now[5]) <= gone_words, e[0]
    old_order = [e[0] for e in sorted(old, key=lambda e: e[3])]
    assert old_order == sorted(old_order, key=lambda n: by_name[n][3])


def test_the_twelfth_set_only_takes_the_listed_words_out_and_adds_rules_after_their_groups():
    """0031: a rule of the eleventh set loses only ``V12_REMOVED`` words of its own group (each other word keeps its
    text in its block), every other rule keeps its pattern; the new rules follow their groups' others."""
    from budgetwise.services.default_rule_additions_v12 import V12_REMOVED

    _only_takes_listed_words_out(V11, V12, V12_REMOVED)
    assert len(V12) == len(V11) + 5


def test_0032_brings_untouched_v12_rules_to_v13_and_back(url):
    """The thirteenth set takes brands that were prefixes out of their rules and adds rules after the groups'."""
    _round_trip(url, ("0031", "0032"), V12, V13, edited="Shopping (9)", deleted="Travel (6)")


def test_the_thirteenth_set_only_takes_the_listed_words_out_and_adds_rules_after_their_groups():
    """0032: as 0031, with ``V13_REMOVED``; each new rule follows a rule of its own group."""
    from budgetwise.services.default_rule_additions_v13 import V13_ADDITIONS, V13_REMOVED

    _only_takes_listed_words_out(V12, V13, V13_REMOVED)
    v12_names = {e[0] for e in V12}
    by_priority = sorted(V13, key=lambda e: e[3])
    added = [(before, e) for before, e in zip(by_priority, by_priority[1:]) if e[0] not in v12_names]
    assert len(added) == len(V13) - len(V12) == len(V13_ADDITIONS)
    for before, e in added:
        assert re.sub(r" \(\d+\)$", "", before[0]) == re.sub(r" \(\d+\)$", "", e[0]) and before[1] == e[1], e[0]


def test_0034_brings_untouched_v13_rules_to_v14_and_back(url):
    """The fourteenth set takes Swiggy Instamart out of food delivery and adds rules after and before groups'."""
    _round_trip(url, ("0033", "0034"), V13, V14, edited="Food delivery", deleted="Travel (6)")


def test_the_fourteenth_set_only_takes_the_listed_words_out_and_places_its_rules():
    """0034: as 0032, with ``V14_REMOVED``; a rule of ``V14_ADDITIONS``/``V14_PATTERNS`` follows a rule of its own
    group, a ``V14_EARLY`` rule (numbered after its group's others) comes just before the first rule of the group named
    beside it."""
    from budgetwise.services.default_rule_additions_v14 import V14_ADDITIONS, V14_EARLY, V14_PATTERNS, V14_REMOVED

    _only_takes_listed_words_out(V13, V14, V14_REMOVED)
    v13_names = {e[0] for e in V13}
    by_priority = sorted(V14, key=lambda e: e[3])
    group = lambda e: re.sub(r" \(\d+\)$", "", e[0])  # noqa: E731
    added = [(before, e, after) for before, e, after in zip(by_priority, by_priority[1:], by_priority[2:])
             if e[0] not in v13_names]
    assert len(added) == len(V14) - len(V13) == len(V14_ADDITIONS) + len(V14_PATTERNS) + len(V14_EARLY)
    for before, e, after in added:
        if group(e) in V14_EARLY:
            assert group(after) == V14_EARLY[group(e)][0] and group(before) != group(after), e[0]
            assert int(e[0].rsplit("(", 1)[1][:-1]) > max(
                int(x[0].rsplit("(", 1)[1][:-1]) for x in V13 if group(x) == group(e) and x[0].endswith(")"))
        else:
            assert group(before) == group(e) and before[1] == e[1], e[0]


def test_0036_brings_untouched_v14_rules_to_v15_and_back(url):
    """The fifteenth set takes "southwest" and "swiggy genie" out, adds rules after groups and before others."""
    _round_trip(url, ("0037", "0036"), V14, V15, edited="Transfers (generic) (1)", deleted="Travel (4)")


def test_the_fifteenth_set_only_takes_the_listed_words_out_and_places_its_rules():
    """0036: as 0034, with ``V15_REMOVED``; a rule of ``V15_ADDITIONS``/``V15_PATTERNS`` follows a rule of its own
    group, a ``V15_EARLY`` rule (numbered after its group's others, a new group's from 1) comes just before the first
    rule of the group named beside it."""
    from budgetwise.services.default_rule_additions_v15 import (
        V15_ADDITIONS,
        V15_EARLY,
        V15_NEW_GROUPS,
        V15_PATTERNS,
        V15_REMOVED,
    )

    _only_takes_listed_words_out(V14, V15, V15_REMOVED)
    v14_names = {e[0] for e in V15 if e[0] in {x[0] for x in V14}}
    by_priority = sorted(V15, key=lambda e: e[3])
    group = lambda e: re.sub(r" \(\d+\)$", "", e[0])  # noqa: E731
    added = [e for e in by_priority if e[0] not in v14_names]
    early_groups = {g for g, _, _ in V15_EARLY}
    assert len(added) == len(V15) - len(V14) and {group(e) for e in added} == (
        set(V15_ADDITIONS) | set(V15_PATTERNS) | early_groups)
    for e in added:
        i = by_priority.index(e)
        if group(e) in V15_NEW_GROUPS:
            assert (e[1], e[2]) == V15_NEW_GROUPS[group(e)]
        befores = [before for g, before, _ in V15_EARLY if g == group(e)]
        if befores and group(by_priority[i - 1]) != group(e):  # an early rule: just before its named group
            nxt = next(x for x in by_priority[i:] if group(x) != group(e))
            assert group(nxt) in befores, e[0]
        elif not befores:
            assert group(by_priority[i - 1]) == group(e) and by_priority[i - 1][1] == e[1], e[0]
    numbered = {g: max(int(x[0].rsplit("(", 1)[1][:-1]) for x in V14 if group(x) == g and x[0].endswith(")"))
                for g, _, _ in V15_EARLY if g not in V15_NEW_GROUPS}
    for e in added:
        if group(e) in numbered and group(e) not in V15_ADDITIONS and group(e) not in V15_PATTERNS:
            assert int(e[0].rsplit("(", 1)[1][:-1]) > numbered[group(e)], e[0]


def test_0038_brings_untouched_v15_rules_to_v16_and_back(url):
    """The sixteenth set adds rules after groups and before others; every fifteenth-set rule keeps its words."""
    _round_trip(url, ("0040", "0038"), V15, V16, edited="Fees (generic)", deleted="Travel (6)")


def test_the_sixteenth_set_keeps_every_rule_s_words_and_places_its_rules():
    """0038: no rule of the fifteenth set changes but for its priority (the order kept); a rule of
    ``V16_ADDITIONS``/``V16_PATTERNS`` follows a rule of its own group, a ``V16_EARLY``/``V16_EARLY_PATTERNS`` rule
    (numbered after its group's others, a new group's from 1) comes just before the first rule of the group named beside it."""
    from budgetwise.services.default_rule_additions_v16 import (
        V16_ADDITIONS,
        V16_EARLY,
        V16_EARLY_PATTERNS,
        V16_NEW_GROUPS,
        V16_PATTERNS,
    )

    early = V16_EARLY + V16_EARLY_PATTERNS
    _only_takes_listed_words_out(V15, V16, {})
    v15_names = {x[0] for x in V15}
    by_priority = sorted(V16, key=lambda e: e[3])
    group = lambda e: re.sub(r" \(\d+\)$", "", e[0])  # noqa: E731
    added = [e for e in by_priority if e[0] not in v15_names]
    early_groups = {g for g, _, _ in early}
    assert len(added) == len(V16) - len(V15) == 17 and {group(e) for e in added} == (
        set(V16_ADDITIONS) | set(V16_PATTERNS) | early_groups)
    for e in added:
        i = by_priority.index(e)
        if group(e) in V16_NEW_GROUPS:
            assert (e[1], e[2]) == V16_NEW_GROUPS[group(e)]
        befores = [before for g, before, _ in early if g == group(e)]
        if befores and group(by_priority[i - 1]) != group(e):  # an early rule: just before its named group
            # the next rule of another group, past other new early rules placed before the same group
            nxt = next(x for x in by_priority[i:] if group(x) != group(e) and not (x in added and group(x) in early_groups))
            assert group(nxt) in befores, e[0]
        else:
            assert group(by_priority[i - 1]) == group(e) and by_priority[i - 1][1] == e[1], e[0]
    numbered = {g: max(int(x[0].rsplit("(", 1)[1][:-1]) for x in V15 if group(x) == g and x[0].endswith(")"))
                for g, _, _ in early if g not in V16_NEW_GROUPS}
    for e in added:  # a new rule never takes an old rule's number
        if group(e) in numbered:
            assert int(e[0].rsplit("(", 1)[1][:-1]) > numbered[group(e)], e[0]


def test_0042_brings_untouched_v16_rules_to_v17_and_back(url):
    """The seventeenth set adds a rule after "Taxes"' own and one after "Energy and water"'s; every sixteenth-set rule
    keeps its words."""
    _round_trip(url, ("0043", "0042"), V16, V17, edited="Fees (generic)", deleted="Travel (6)")


def test_the_seventeenth_set_keeps_every_rule_s_words_and_places_its_rules():
    """0042: no rule of the sixteenth set changes but for its priority (the order kept); a rule of ``V17_ADDITIONS``
    follows a rule of its own group, the ``V17_EARLY`` rule comes just before the first rule of the group named
    beside it; every new rule takes a number after every other of its group."""
    from budgetwise.services.default_rule_additions_v17 import V17_ADDITIONS, V17_EARLY

    _only_takes_listed_words_out(V16, V17, {})
    v16_names = {x[0] for x in V16}
    by_priority = sorted(V17, key=lambda e: e[3])
    group = lambda e: re.sub(r" \(\d+\)$", "", e[0])  # noqa: E731
    added = [e for e in by_priority if e[0] not in v16_names]
    early = {g: before for g, before, _ in V17_EARLY}
    assert len(added) == len(V17) - len(V16) == len(V17_ADDITIONS) + len(V17_EARLY)
    assert {group(e) for e in added} == set(V17_ADDITIONS) | set(early)
    for e in added:
        i = by_priority.index(e)
        if group(e) in early:
            assert group(by_priority[i + 1]) == early[group(e)], e[0]
        else:
            assert group(by_priority[i - 1]) == group(e) and by_priority[i - 1][1] == e[1], e[0]
        assert int(e[0].rsplit("(", 1)[1][:-1]) > max(
            int(x[0].rsplit("(", 1)[1][:-1]) for x in V16 if group(x) == group(e) and x[0].endswith(")"))


def test_0044_brings_untouched_v17_rules_to_v18_and_back(url):
    """The eighteenth set takes "phone" out of "Phone and internet (6)" and adds it back as a rule that does not read
    "PhonePe", and a rule after "Food delivery"'s and "Restaurants, cafes and bars"' own."""
    _round_trip(url, ("0042", "0044"), V17, V18, edited="Fees (generic)", deleted="Travel (6)")


def test_the_eighteenth_set_only_takes_the_listed_words_out_and_adds_rules_after_their_groups():
    """0044: a rule of the seventeenth set loses only ``V18_REMOVED`` words, every other keeps its words and the order;
    each new rule follows a rule of its own group (the ``V18_EARLY`` rule comes just before the first rule of the group
    named beside it) and takes a number after every other of its group."""
    from budgetwise.services.default_rule_additions_v18 import V18_ADDITIONS, V18_EARLY, V18_PATTERNS, V18_REMOVED

    _only_takes_listed_words_out(V17, V18, V18_REMOVED)
    v17_names = {x[0] for x in V17}
    by_priority = sorted(V18, key=lambda e: e[3])
    group = lambda e: re.sub(r" \(\d+\)$", "", e[0])  # noqa: E731
    added = [e for e in by_priority if e[0] not in v17_names]
    early = {g: before for g, before, _ in V18_EARLY}
    assert len(added) == len(V18) - len(V17) == len(set(V18_ADDITIONS) | set(V18_PATTERNS)) + len(V18_EARLY)
    for e in added:
        i = by_priority.index(e)
        if group(e) in early:
            assert group(by_priority[i + 1]) == early[group(e)], e[0]
        else:
            assert group(by_priority[i - 1]) == group(e) and by_priority[i - 1][1] == e[1], e[0]
        assert int(e[0].rsplit("(", 1)[1][:-1]) > max(
            int(x[0].rsplit("(", 1)[1][:-1]) for x in V17 if group(x) == group(e) and x[0].endswith(")"))


def test_0047_brings_untouched_v18_rules_to_v19_and_back(url):
    """The nineteenth set narrows the eighteenth set's card payment, "shagun", "aguinaldo" and "cylinder refill", "tire"
    and "online payment"; an administrator's edited and deleted rule stay theirs."""
    _round_trip(url, ("0046", "0047"), V18, V19, edited="Credit card payments (11)", deleted="Parking and car (4)")


def test_the_nineteenth_set_only_takes_the_listed_words_out_and_places_its_rules():
    """0047: a rule of the eighteenth set loses only ``V19_REMOVED`` words or gets its ``V19_REWRITTEN`` regex (the
    Energy rule whose three words all left takes the set's two new ones), every other keeps its pattern and the order;
    no rule is renamed; each new rule follows a rule of its own group, or (``V19_EARLY``, ``V19_EARLY_PATTERNS``) comes
    just before the first rule of the group named beside it, and takes a number after every other of its group."""
    from budgetwise.services.default_rule_additions_v19 import (
        V19_ADDITIONS,
        V19_EARLY,
        V19_EARLY_PATTERNS,
        V19_PATTERNS,
        V19_REMOVED,
        V19_REWRITTEN,
    )

    group = lambda e: re.sub(r" \(\d+\)$", "", e[0])  # noqa: E731
    v18, v19 = {e[0]: e for e in V18}, {e[0]: e for e in V19}
    assert set(v18) <= set(v19)
    rewritten = {v18[n][0] for n in v18 if v18[n][5] in V19_REWRITTEN.get(group(v18[n]), {})}
    refilled = {"Energy and water (22)"}  # its three words left, the two new ones took its place
    assert v19["Energy and water (22)"][5] == r"\b(?:domestic gas|cooking gas)"
    _only_takes_listed_words_out(tuple(e for e in V18 if e[0] not in rewritten | refilled),
                                 tuple(e for e in V19 if e[0] not in rewritten | refilled), V19_REMOVED)
    assert rewritten == {"Credit card payments (11)"}
    old_order = [e[0] for e in sorted(V18, key=lambda e: e[3])]
    assert old_order == sorted(old_order, key=lambda n: v19[n][3])
    by_priority = sorted(V19, key=lambda e: e[3])
    added = [e for e in by_priority if e[0] not in v18]
    early = {g: before for g, before, _ in V19_EARLY + V19_EARLY_PATTERNS}
    assert len(added) == len(V19) - len(V18) == 10
    assert {group(e) for e in added} == (set(V19_ADDITIONS) - {"Energy and water"}) | set(V19_PATTERNS) | set(early)
    for e in added:
        i = by_priority.index(e)
        if group(e) in early:
            assert group(by_priority[i + 1]) == early[group(e)] or by_priority[i + 1][3] >= 9000, e[0]
        else:
            assert group(by_priority[i - 1]) == group(e) and by_priority[i - 1][1] == e[1], e[0]
        assert int(e[0].rsplit("(", 1)[1][:-1]) > max(
            int(x[0].rsplit("(", 1)[1][:-1]) for x in V18 if group(x) == group(e) and x[0].endswith(")"))


def test_shipped_default_rules_carry_a_calibrated_confidence_and_edited_ones_do_not():
    from budgetwise.services.default_rules import FALLBACK_PRIORITY, default_rule_confidence

    certain = [r for r in DEFAULT_RULES if r.priority < FALLBACK_PRIORITY]
    assert all(0.3 < default_rule_confidence(r.name, r.pattern) < 1.0 for r in certain)
    assert default_rule_confidence(certain[0].name, "zorblat") == 1.0  # an admin's edit is the admin's rule
    assert default_rule_confidence("An admin's own rule", "zorblat") == 1.0
