"""Per-user ceilings on what one account can store by hand (session 21, sec21): without one, a script adding rows one
at a time filled the disk every user shares, or made every page of the account (its pickers, its goal cards) slow
in the one process every user's pages run in. The transactions' and rates' ceilings are tested with their services;
accounts (``accounts.MAX_ACCOUNTS``) and rules (``categorize.MAX_RULES_PER_USER``) had theirs already."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import ValidationError
from budgetwise.services import categories, goals

TODAY = dt.date(2026, 3, 10)


def test_own_categories_stop_at_the_limit(db, session, alice, bob, monkeypatch):
    monkeypatch.setattr(categories, "MAX_OWN_CATEGORIES", 2)
    for name in ("Hobbies", "Pets"):
        categories.create_category(session, user_id=alice.user_id, name=name, kind="expense")
    with pytest.raises(ValidationError, match=r"You have 2 categories of your own \(archived ones count\); the most BudgetWise keeps is 2"):
        categories.create_category(session, user_id=alice.user_id, name="Garden", kind="expense")
    categories.create_category(session, user_id=bob.user_id, name="Garden", kind="expense")  # per user


def test_goals_stop_at_the_limit(db, session, alice, bob, monkeypatch):
    monkeypatch.setattr(goals, "MAX_GOALS", 2)

    def goal(user, name):
        return goals.create_goal(session, user_id=user.user_id, name=name, target="1200.00",
                                 target_date=TODAY + dt.timedelta(days=120), today=TODAY)

    bike = goal(alice, "Bike")
    goal(alice, "Trip")
    with pytest.raises(ValidationError, match=r"You have 2 goals \(archived ones count\); the most BudgetWise keeps is 2"):
        goal(alice, "Car")
    goal(bob, "Car")
    monkeypatch.setattr(goals, "MAX_CONTRIBUTIONS", 2)
    for _ in range(2):
        goals.add_contribution(session, user_id=alice.user_id, goal_id=bike.id, amount="10", today=TODAY)
    with pytest.raises(ValidationError, match="You have recorded 2 contributions, the most BudgetWise keeps"):
        goals.add_contribution(session, user_id=alice.user_id, goal_id=bike.id, amount="10", today=TODAY)


def test_saved_import_mappings_stop_at_the_limit_and_a_size(db, session, alice, monkeypatch):
    """A saved mapping stores the mapped columns' names, and a header cell may be 100,000 characters long: one
    mapping could hold megabytes, one per file layout, without end. At most ``MAX_MAPPINGS_PER_USER`` mappings of
    at most ``MAX_MAPPING_CHARS`` each."""
    from budgetwise.importing import ColumnMapping
    from budgetwise.services import importing as svc
    from budgetwise.services.importing import mappings

    def save(header: str):
        data = f"{header};Amount\n2024-02-01;750,00\n".encode()
        p = svc.preview_import(session, user_id=alice.user_id, data=data, filename="bank.csv")
        return svc.save_mapping(session, user_id=alice.user_id, name="Bank", header_signature=p.header_signature,
                                columns=p.columns, mapping=ColumnMapping(date=0, amount=1))

    with pytest.raises(ValidationError, match="BudgetWise remembers at most 16,384"):
        save("Date " + "x" * 20_000)
    monkeypatch.setattr(mappings, "MAX_MAPPINGS_PER_USER", 2)
    save("Date")
    save("Booking date")
    save("Booking date")  # the same layout again replaces its mapping
    with pytest.raises(ValidationError, match="You have 2 saved mappings, the most BudgetWise keeps"):
        save("Value date")


def test_a_limit_says_how_many_the_user_holds_archived_ones_too(db, session, alice, monkeypatch):
    """review21b: held above the ceiling (a restore, a lowered limit) the message said the ceiling as the count ('You
    have 2 categories' to a user with 3), and archived ones count without it saying so."""
    for name in ("Hobbies", "Pets", "Garden"):
        categories.create_category(session, user_id=alice.user_id, name=name, kind="expense")
    monkeypatch.setattr(categories, "MAX_OWN_CATEGORIES", 2)
    with pytest.raises(ValidationError, match=r"You have 3 categories of your own \(archived ones count\); the most"):
        categories.create_category(session, user_id=alice.user_id, name="Boat", kind="expense")
    for name in ("Bike", "Trip", "Car"):
        goals.create_goal(session, user_id=alice.user_id, name=name, target="1200.00",
                          target_date=TODAY + dt.timedelta(days=120), today=TODAY)
    monkeypatch.setattr(goals, "MAX_GOALS", 2)
    with pytest.raises(ValidationError, match=r"You have 3 goals \(archived ones count\); the most"):
        goals.create_goal(session, user_id=alice.user_id, name="Boat", target="1200.00",
                          target_date=TODAY + dt.timedelta(days=120), today=TODAY)


def test_rules_stop_at_the_limit_written_or_learned(db, session, alice, bob, monkeypatch):
    """Session 22 (tidy22): one check (``categorize.rules.check_rule_room``, under the user's lock) for a rule written
    by hand and one learned from a correction, with one message."""
    from sqlalchemy import select

    from budgetwise.models import Category
    from budgetwise.services import categorize
    from budgetwise.services import transactions as tx
    from budgetwise.services.categorize import RuleSpec
    from budgetwise.services.categorize import rules as rules_service

    food = session.scalar(select(Category.id).where(Category.user_id.is_(None), Category.kind == "expense")
                          .order_by(Category.id).limit(1))
    monkeypatch.setattr(rules_service, "MAX_RULES_PER_USER", 1)
    categorize.create_rule(session, user_id=alice.user_id, spec=RuleSpec(category_id=food, pattern="zorb"))
    with pytest.raises(ValidationError, match=r"You already have 1 rule; delete some first"):
        categorize.create_rule(session, user_id=alice.user_id, spec=RuleSpec(category_id=food, pattern="quux"))
    row = tx.add_transaction(session, user_id=alice.user_id, date=TODAY, amount="5.00", kind="expense",
                             description="Blorbmart 42")
    with pytest.raises(ValidationError, match=r"You already have 1 rule; delete some first"):
        categorize.learn_and_apply(session, user_id=alice.user_id, transaction_id=row.id, category_id=food)
    categorize.create_rule(session, user_id=bob.user_id, spec=RuleSpec(category_id=food, pattern="quux"))  # per user


def test_rekeying_adds_no_learned_rule_past_the_limit(db, session, alice, monkeypatch):
    """Session 23 (tidy23): re-keying can add rules (a rule that still covers some rows keeps its key, the rows' new
    key gets a rule beside it) and wrote them without the limit every other rule write keeps. Now the ones past
    :func:`categorize.rules.rule_room` are left out and named in the plan, never an error (it runs in migrations)."""
    from sqlalchemy import select

    from budgetwise.models import Category
    from budgetwise.services import categorize
    from budgetwise.services import transactions as tx
    from budgetwise.services.categorize import RuleSpec
    from budgetwise.services.categorize import rules as rules_service
    from budgetwise.services.categorize.rekey import learn_key_before_session_10, rekey_learned_rules
    from budgetwise.textforms import learn_key

    food = session.scalar(select(Category.id).where(Category.user_id.is_(None), Category.kind == "expense")
                          .order_by(Category.id).limit(1))
    categorize.create_rule(session, user_id=alice.user_id, origin="learned",
                           spec=RuleSpec(category_id=food, pattern="sao paulo", match_type="exact"))
    for text in ("DROGASIL1148 SAO PAULO", "SAO PAULO"):
        tx.add_transaction(session, user_id=alice.user_id, date=TODAY, amount="5.00", kind="expense", description=text)
    monkeypatch.setattr(rules_service, "MAX_RULES_PER_USER", 1)
    plan = rekey_learned_rules(session, user_id=alice.user_id, before=learn_key_before_session_10, after=learn_key)
    assert not plan.added and [p for _, p, _, _ in plan.left_out] == ["drogasil sao paulo"]
    assert categorize.count_rules(session, user_id=alice.user_id) == 1
    monkeypatch.setattr(rules_service, "MAX_RULES_PER_USER", 2)  # with room, the same plan writes it
    plan = rekey_learned_rules(session, user_id=alice.user_id, before=learn_key_before_session_10, after=learn_key)
    assert [p for _, p, _, _ in plan.added] == ["drogasil sao paulo"] and not plan.left_out
    assert categorize.count_rules(session, user_id=alice.user_id) == 2
