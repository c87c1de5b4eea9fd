"""Migration 0045 (session 27): account keys under Unicode's compatibility forms; look-alike names renamed, not lost;
the downgrade puts the canonical keys back. SQLite always; PostgreSQL / MariaDB when their test URLs are set."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from alembic import command
from sqlalchemy import text

from budgetwise.names import name_key
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

NOW = dt.datetime(2026, 1, 1, 12, 0, 0)
MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0045_name_keys_nfkc.py"
# made-up names: full-width, a superscript, a ligature, a no-break space, Greek with a combining ypogegrammeni, a
# decomposed accent, plain ASCII
SAMPLES = ["Ｓａｖｉｎｇｓ", "Savings", "Plan ²", "Plan 2", "ﬁx it", "a\u00a0b", "α\u0345\u0301", "E\u0301pargne",
           "Main Account", "ＳＴＲＡＳＳＥ", "straße", "㍿ fund", "Ǆungla"]


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0045", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_0045_after_key_is_todays_name_key_and_before_key_is_canonical_only():
    m = _migration()
    for s in SAMPLES:
        assert m.key_of_session_27(s) == name_key(s), s  # when name_key changes again, 0045 keeps its frozen copy
    assert m.key_before_session_27("Ｓａｖｉｎｇｓ") != m.key_before_session_27("Savings")
    assert m.key_before_session_27("E\u0301pargne") == m.key_before_session_27("Épargne")
    # the oldest of a key keeps its name; a later one takes the first number no row has (row 3 keeps "(2)")
    assert m.renames([(1, "Savings"), (2, "Ｓａｖｉｎｇｓ"), (3, "SAVINGS (2)"), (4, "savings")], limit=100,
                     key=name_key) == {2: "Ｓａｖｉｎｇｓ (3)", 4: "savings (4)"}
    assert m.renames([(7, "Ｔｕｉｔｉｏｎ")], limit=60, key=name_key, taken=["Tuition"]) == {7: "Ｔｕｉｔｉｏｎ (2)"}
    long = "Ｘ" * 60
    assert m.renames([(1, "x" * 60), (2, long)], limit=60, key=name_key) == {2: "Ｘ" * 56 + " (2)"}


def _account(conn, uid: int, aid: int, name: str, key: str, archived: bool = False) -> None:
    conn.execute(text(
        "INSERT INTO accounts (id, user_id, name, name_key, kind, currency, opening_balance_minor, is_archived, "
        "is_default, created_at, updated_at) VALUES (:id, :u, :n, :k, 'checking', 'USD', 0, :a, :f, :t, :t)"),
        {"id": aid, "u": uid, "n": name, "k": key, "a": archived, "f": False, "t": NOW})


def _goal(conn, uid: int, gid: int, name: str, archived: bool = False) -> None:
    conn.execute(text(
        "INSERT INTO goals (id, user_id, name, target_minor, currency, target_date, initial_saved_minor, is_archived, "
        "created_at, updated_at) VALUES (:id, :u, :n, 100, 'USD', :d, 0, :a, :t, :t)"),
        {"id": gid, "u": uid, "n": name, "d": dt.date(2027, 1, 1), "a": archived, "t": NOW})


def _category(conn, uid: int | None, cid: int, name: str) -> None:
    conn.execute(text(
        "INSERT INTO categories (id, user_id, name, kind, color, is_archived, created_at, updated_at) "
        "VALUES (:id, :u, :n, 'expense', '#123456', :a, :t, :t)"), {"id": cid, "u": uid, "n": name, "a": False, "t": NOW})


def _accounts(conn) -> dict[int, tuple[int, str, str]]:
    return {int(r[0]): (int(r[1]), str(r[2]), str(r[3]))
            for r in conn.execute(text("SELECT id, user_id, name, name_key FROM accounts"))}


def test_0045_rekeys_accounts_renames_look_alikes_and_downgrades_the_keys(url):  # noqa: F811
    old = _migration().key_before_session_27
    with seeded_at(url, "0042") as (cfg, engine):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM accounts WHERE user_id IN (1, 2, 3) AND id NOT IN "
                              "(SELECT account_id FROM transactions WHERE account_id IS NOT NULL)"))
            # user 1: "Savings" (older) and full-width "Ｓａｖｉｎｇｓ", two accounts under the old keys; "Plan ²" and
            # "Plan 2"; a legacy key stored as typed (pre-session 23) that is not its name's key
            for aid, name in ((101, "Savings"), (102, "Ｓａｖｉｎｇｓ"), (103, "Plan ²"), (104, "Plan 2"),
                              (105, "Savings (2)")):
                _account(conn, 1, aid, name, old(name))
            _account(conn, 1, 106, "E\u0301pargne", "E\u0301pargne".lower())
            # user 2: a full-width name alone: keeps its name, gets the new key
            _account(conn, 2, 201, "Ｓａｖｉｎｇｓ", old("Ｓａｖｉｎｇｓ"))
            _goal(conn, 1, 301, "Ｃａｒ")
            _goal(conn, 1, 302, "Car")
            _goal(conn, 1, 303, "ＣＡＲ", archived=True)  # archived: the goals' check looks among open goals only
            conn.execute(text("INSERT INTO categories (user_id, name, kind, color, is_archived, created_at, updated_at)"
                              " VALUES (NULL, 'Tuition', 'expense', '#123456', :a, :t, :t)"), {"a": False, "t": NOW})
            _category(conn, 1, 401, "Ｔｕｉｔｉｏｎ")  # a global category's name is taken: the user's is renamed
            _category(conn, 2, 402, "Ｈｏｂｂｙ")
            _category(conn, 2, 403, "hobby")
            before = _accounts(conn)
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                      for t in ("accounts", "goals", "categories", "transactions")}
        command.upgrade(cfg, "0045")
        with engine.connect() as conn:
            after = _accounts(conn)
            assert {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                    for t in counts} == counts  # nothing lost
            assert after[101] == (1, "Savings", "savings")
            assert after[105] == (1, "Savings (2)", "savings (2)")
            assert after[102] == (1, "Ｓａｖｉｎｇｓ (3)", "savings (3)")  # renamed: the first free number
            assert after[103] == (1, "Plan ²", "plan 2") and after[104] == (1, "Plan 2 (2)", "plan 2 (2)")
            assert after[106] == (1, "E\u0301pargne", name_key("E\u0301pargne"))
            assert after[201] == (2, "Ｓａｖｉｎｇｓ", "savings")
            for _uid, name, key in after.values():
                assert key == name_key(name)[:100]
            goals = dict(conn.execute(text("SELECT id, name FROM goals WHERE id > 300")).all())
            assert goals == {301: "Ｃａｒ", 302: "Car (2)", 303: "ＣＡＲ"}
            cats = dict(conn.execute(text("SELECT id, name FROM categories WHERE id IN (401, 402, 403)")).all())
            assert cats == {401: "Ｔｕｉｔｉｏｎ (2)", 402: "Ｈｏｂｂｙ", 403: "hobby (2)"}
        command.downgrade(cfg, "0042")
        with engine.connect() as conn:
            down = _accounts(conn)
            for aid, (uid, name, key) in down.items():
                assert key == old(name)[:100], (aid, name, key)
            assert down[201] == (2, "Ｓａｖｉｎｇｓ", before[201][2])  # the old key back
            assert down[102][1] == "Ｓａｖｉｎｇｓ (3)"  # a renamed account keeps its new name (documented)
        command.upgrade(cfg, "0045")  # and up again: nothing left to rename
        with engine.connect() as conn:
            assert _accounts(conn) == after
