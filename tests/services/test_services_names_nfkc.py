"""Names that look the same are one name (session 27): ``name_key`` is Unicode's compatibility caseless match (NFKC),
so full-width "Ｓａｖｉｎｇｓ" is "Savings" for accounts, goals, categories (one's own and global), and lookups by name
find either. Stored names keep the form typed (NFC, as since session 23). On SQLite, PostgreSQL and MariaDB.
Migration 0045 re-keys the stored account keys (tests/migrations/test_migration_0045_name_keys.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import ConflictError
from budgetwise.names import name_key
from budgetwise.services import accounts, categories, goals
from budgetwise.services.admin import global_categories

TODAY = dt.date.today()
WIDE = "Ｓａｖｉｎｇｓ"


def test_the_key_is_the_compatibility_caseless_match():
    assert name_key(WIDE) == name_key("Savings") == name_key("SAVINGS") == "savings"
    assert name_key("Plan ²") == name_key("Plan 2")
    assert name_key("a\u3000b") == name_key("a b")  # an ideographic space is a space
    assert name_key("ＳＴＲＡＳＳＥ") == name_key("straße")
    assert name_key("\u03b1\u0345\u0301") == name_key("\u03b1\u0301\u0345")  # the canonical order, as before
    assert name_key("Main  CHECKING") == "main checking"
    assert name_key("Savings") != name_key("Savings 2")


@pytest.mark.parametrize("first, second", [("Savings", WIDE), (WIDE, "savings")])
def test_a_full_width_name_is_the_same_name_everywhere(db, session, alice, first, second):
    uid = alice.user_id
    assert accounts.create_account(session, user_id=uid, name=first, kind="savings").name == first  # as typed
    with pytest.raises(ConflictError, match="^You already have an account called"):
        accounts.create_account(session, user_id=uid, name=second, kind="savings")
    other = accounts.create_account(session, user_id=uid, name="Other", kind="savings")
    with pytest.raises(ConflictError, match="^You already have an account called"):
        accounts.rename_account(session, user_id=uid, account_id=other.id, name=second)
    assert accounts.find_account(session, user_id=uid, name=second).name == first
    assert accounts.locked_account(session, user_id=uid, name=second).name == first
    assert categories.create_category(session, user_id=uid, name=first, kind="expense").name == first
    with pytest.raises(ConflictError, match="^There is already a category named"):
        categories.create_category(session, user_id=uid, name=second, kind="expense")
    goals.create_goal(session, user_id=uid, name=first, target="100", target_date=TODAY + dt.timedelta(days=200),
                      today=TODAY)
    with pytest.raises(ConflictError, match="^You already have a goal called"):
        goals.create_goal(session, user_id=uid, name=second, target="100",
                          target_date=TODAY + dt.timedelta(days=200), today=TODAY)
    global_categories.create_global_category(session, principal=alice, name=f"G {first}", kind="expense")
    with pytest.raises(ConflictError, match="^A global category named"):
        global_categories.create_global_category(session, principal=alice, name=f"G {second}", kind="expense")
    session.rollback()
