"""budgetwise.names: the one rule for the names of accounts, categories (own and global), goals and scheduled items
(session 22, names22), on SQLite, PostgreSQL and MariaDB. What changed: goals and global categories now store a
name with its spacing collapsed and refuse one that differs from a taken name only in spacing; a global category
that differs only in the case of a non-ASCII letter is refused on SQLite too (its lower() knows ASCII only); a
goal's duplicate is a ConflictError like the others; every duplicate and too-long message quotes “as typed”."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import ConflictError, ValidationError
from budgetwise.names import clean_name, name_key, quoted, same_name
from budgetwise.services import accounts, categories, goals
from budgetwise.services import cashflow_scheduled as scheduled
from budgetwise.services.admin import global_categories

TODAY = dt.date.today()


def test_the_rule_itself():
    assert clean_name("  Main \t  Checking\u200b\x07 ", what="account", limit=20, missing="?") == "Main Checking"
    with pytest.raises(ValidationError, match=r"^Say it\.$"):
        clean_name(" \u200b\x00 ", what="account", limit=20, missing="Say it.")
    with pytest.raises(ValidationError, match=r"^The goal name is too long \(3 characters at most\)\.$"):
        clean_name("abcd", what="goal", limit=3, missing="?")
    assert name_key("Main  CHECKING ") == name_key("main checking") and name_key("STRASSE") == name_key("straße")
    assert same_name("ÉPARGNE", [(1, "Food"), (2, "épargne")]) == (2, "épargne")
    assert same_name("épargne", [(2, "Épargne")], exclude_id=2) is None
    assert quoted("O'Brien \\ x") == "“O'Brien \\ x”"


def _goal(session, user, name):
    return goals.create_goal(session, user_id=user.user_id, name=name, target="100",
                             target_date=TODAY + dt.timedelta(days=200), today=TODAY)


def _scheduled(session, user, name):
    return scheduled.add_scheduled(session, user_id=user.user_id, name=name, amount="9", kind="expense",
                                   next_date=TODAY + dt.timedelta(days=3), cadence="monthly", today=TODAY)


def test_every_name_is_stored_with_its_spacing_collapsed(db, session, alice):
    typed = "  Rainy \t  day\u200b  fund "
    assert accounts.create_account(session, user_id=alice.user_id, name=typed, kind="savings").name == "Rainy day fund"
    assert categories.create_category(session, user_id=alice.user_id, name=typed, kind="expense").name == "Rainy day fund"
    assert _goal(session, alice, typed).name == "Rainy day fund"  # was "Rainy \t  day  fund"
    glob = global_categories.create_global_category(session, principal=alice, name="Pet  food", kind="expense")
    assert glob.name == "Pet food"  # was "Pet  food"
    assert _scheduled(session, alice, typed).name == "Rainy day fund"


@pytest.mark.parametrize("taken, typed", [("Rainy day", "RAINY  DAY"), ("Épargne", "ÉPARGNE"), ("Straße", "STRASSE")])
def test_a_taken_name_is_refused_whatever_its_case_and_spacing(db, session, alice, taken, typed):
    clean = " ".join(typed.split())
    accounts.create_account(session, user_id=alice.user_id, name=taken, kind="savings")
    with pytest.raises(ConflictError, match=f"^You already have an account called “{clean}” "):
        accounts.create_account(session, user_id=alice.user_id, name=typed, kind="savings")
    categories.create_category(session, user_id=alice.user_id, name=taken, kind="expense")
    with pytest.raises(ConflictError, match=f"^There is already a category named “{taken}”"):
        categories.create_category(session, user_id=alice.user_id, name=typed, kind="expense")
    _goal(session, alice, taken)
    with pytest.raises(ConflictError, match=f"^You already have a goal called “{taken}”: "):  # was a ValidationError
        _goal(session, alice, typed)  # "RAINY  DAY" was a second goal
    global_categories.create_global_category(session, principal=alice, name=f"G {taken}", kind="expense")
    with pytest.raises(ConflictError, match=f"^A global category named “G {clean}” already exists"):
        global_categories.create_global_category(session, principal=alice, name=f"G {typed}", kind="expense")
    session.rollback()


def test_renames_follow_the_same_rule_and_keep_their_own_name(db, session, alice):
    a = accounts.create_account(session, user_id=alice.user_id, name="Main", kind="checking")
    accounts.create_account(session, user_id=alice.user_id, name="Spare", kind="checking")
    assert accounts.rename_account(session, user_id=alice.user_id, account_id=a.id, name="MAIN ").name == "MAIN"
    with pytest.raises(ConflictError):
        accounts.rename_account(session, user_id=alice.user_id, account_id=a.id, name="spare")
    g = _goal(session, alice, "Car")
    _goal(session, alice, "Bike")
    assert goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, name=" car  ").name == "car"
    with pytest.raises(ConflictError):
        goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, name="BIKE")


def test_restoring_an_archived_goal_whose_name_is_taken_is_a_conflict_like_create(db, session, alice):
    """Session 23: ``update_goal(archived=False)`` without a name skipped the duplicate check, so an archived "Car"
    restored beside a newer active "CAR" made two active goals of the same name."""
    old = _goal(session, alice, "Car")
    goals.update_goal(session, user_id=alice.user_id, goal_id=old.id, archived=True)
    _goal(session, alice, "CAR")  # allowed: the other one is archived
    with pytest.raises(ConflictError, match="^You already have a goal called “CAR”: ") as err:
        goals.update_goal(session, user_id=alice.user_id, goal_id=old.id, archived=False)
    assert err.value.field == "name"
    active = [g.name for g in goals.list_goals(session, user_id=alice.user_id)]
    assert active == ["CAR"]
    # with a new name it is restored; and archiving or restoring a goal whose name is free stays as it was
    assert not goals.update_goal(session, user_id=alice.user_id, goal_id=old.id, archived=False, name="Old car").is_archived
    assert goals.update_goal(session, user_id=alice.user_id, goal_id=old.id, archived=True).is_archived
    assert not goals.update_goal(session, user_id=alice.user_id, goal_id=old.id, archived=False).is_archived


def test_too_long_names_say_which_thing(db, session, alice):
    for call, what, limit in [
        (lambda n: accounts.create_account(session, user_id=alice.user_id, name=n, kind="savings"), "account", 100),
        (lambda n: categories.create_category(session, user_id=alice.user_id, name=n, kind="expense"), "category", 60),
        (lambda n: _goal(session, alice, n), "goal", 100),
        (lambda n: global_categories.create_global_category(session, principal=alice, name=n, kind="expense"),
         "category", 60),
        (lambda n: _scheduled(session, alice, n), "scheduled item", 100),  # was "The name is too long"
    ]:
        call("x" * limit)  # the limit itself is a name
        with pytest.raises(ValidationError, match=rf"^The {what} name is too long \({limit} characters at most\)\.$"):
            call("y" * (limit + 1))


def test_a_message_quotes_the_name_as_typed_not_as_python_writes_it(db, session, alice):
    name = "Bob's \\ savings"
    accounts.create_account(session, user_id=alice.user_id, name=name, kind="savings")
    with pytest.raises(ConflictError) as err:
        accounts.create_account(session, user_id=alice.user_id, name=name, kind="savings")
    assert "“Bob's \\ savings”" in err.value.message  # repr wrote "Bob's \\\\ savings" in double quotes


def test_scheduled_items_may_share_a_name(db, session, alice):
    """Two rents (two flats) are two items: the schedule has no duplicate rule, as before."""
    _scheduled(session, alice, "Rent")
    _scheduled(session, alice, "rent")


def test_another_users_names_are_not_taken(db, session, alice, bob):
    accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")
    categories.create_category(session, user_id=alice.user_id, name="Pets", kind="expense")
    _goal(session, alice, "Car")
    accounts.create_account(session, user_id=bob.user_id, name="savings", kind="savings")
    categories.create_category(session, user_id=bob.user_id, name="pets", kind="expense")
    _goal(session, bob, "car")


def test_quoted_shows_what_cannot_be_seen_as_repr_did_and_nothing_else_changes():
    """Session 23 (tidy23): the services' and the importer's messages quote values (amounts, column headers, sheet
    names) with :func:`quoted` instead of ``repr``; a character the user cannot see still shows as its escape."""
    assert quoted("12abc") == "“12abc”" and quoted("it's") == "“it's”" and quoted("C:\\d") == "“C:\\d”"
    assert quoted("12\t5") == "“12\\t5”" and quoted("1\u00a0000") == "“1\\xa0000”" and quoted("a\u200bb") == "“a\\u200bb”"
    assert quoted(3) == "“3”" and quoted("Straße €") == "“Straße €”"


# messages the user reads quote values through names.quoted; what is left with repr, and why
_REPR_LEFT = {
    "services/admin/global_categories.py": "the audit log's details (a record, its format kept)",
    "services/admin/users.py": "the audit log's details",
    "services/categorize/rules.py": "the audit log's details",
    "services/backup.py": "a broken backup's table and column names (the schema's identifiers)",
    "services/backup_check.py": "a broken backup's table, column and stored values",
    "services/rates/ecb.py": "the ECB feed's own values (not typed by the user); period and address use quoted",
    "services/forecast/api.py": "a cache key's hash, not a message",
    "services/categorize/review.py": "a programming error (ValueError)",
    "services/reports/scope.py": "a programming error (ValueError)",
    "services/forecast/conformal.py": "a programming error (ValueError)",
    "services/forecast/ensemble.py": "a programming error (ValueError)",
    "services/goal_stats.py": "a programming error (ValueError)",
}


def test_the_messages_quote_values_as_typed_not_with_repr():
    """``'12abc' is not a number`` (repr: escapes, quotes switched around an apostrophe) read “12abc” elsewhere."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "budgetwise"
    found = set()
    # the command line too (session 24, sec24: six of its messages still used repr)
    for path in [*(root / "services").rglob("*.py"), *(root / "importing").rglob("*.py"), *(root / "cli").rglob("*.py"),
                 root / "money.py", root / "dates.py", root / "periods.py"]:
        if re.search(r"!r\}|\brepr\(", path.read_text(encoding="utf-8")):
            found.add(path.relative_to(root).as_posix())
    assert found <= set(_REPR_LEFT), sorted(found - set(_REPR_LEFT))
