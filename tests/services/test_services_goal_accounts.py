"""Goals linked to a savings account (issue #19): progress from the account's balance, converted with
the rate rules (a missing rate is named, never 1.0), ownership checked, specific messages."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.services import accounts, goal_accounts, goals, rates
from budgetwise.services import transactions as tx

TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=400)


def _goal(session, uid, **kw):
    return goals.create_goal(session, user_id=uid, name=kw.pop("name", "Bike"), target="1000", target_date=LATER,
                             already_saved="100", today=TODAY, **kw)


def test_a_linked_goal_follows_the_savings_balance(session, alice):
    uid = alice.user_id
    savings = accounts.create_account(session, user_id=uid, name="Savings", kind="savings", opening_balance="250",
                                      opening_date=TODAY - dt.timedelta(days=10))
    tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=2), amount="50", kind="income",
                       description="to savings", account_id=savings.id, auto_categorize=False)
    goal = _goal(session, uid)
    goals.add_contribution(session, user_id=uid, goal_id=goal.id, amount="20", today=TODAY)
    assert goals.get_goal(session, user_id=uid, goal_id=goal.id, today=TODAY).saved_minor == 12000
    assert goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=savings.id) == savings.id
    view = goals.get_goal(session, user_id=uid, goal_id=goal.id, today=TODAY)
    assert (view.account_id, view.account_name, view.saved_minor, view.account_note) == (savings.id, "Savings", 30000, "")
    assert view.remaining_minor == 70000 and view.progress == pytest.approx(0.3)
    assert [g.saved_minor for g in goals.list_goals(session, user_id=uid, today=TODAY)] == [30000]
    # money recorded on the goal no longer counts: the service says where it goes instead
    with pytest.raises(ValidationError, match="follows a savings account"):
        goals.add_contribution(session, user_id=uid, goal_id=goal.id, amount="5", today=TODAY)
    # unlinking brings the recorded amounts back
    assert goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=None) is None
    assert goals.get_goal(session, user_id=uid, goal_id=goal.id, today=TODAY).saved_minor == 12000


def test_only_an_open_savings_account_can_be_linked(session, alice):
    uid = alice.user_id
    checking = accounts.create_account(session, user_id=uid, name="Everyday", kind="checking")
    savings = accounts.create_account(session, user_id=uid, name="Rainy day", kind="savings")
    goal = _goal(session, uid)
    assert [a.name for a in goal_accounts.linkable_accounts(session, user_id=uid)] == ["Rainy day"]
    with pytest.raises(ValidationError, match="“Everyday” is a checking account: a goal follows a savings account"):
        goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=checking.id)
    accounts.archive_account(session, user_id=uid, account_id=savings.id)
    with pytest.raises(ValidationError, match="“Rainy day” is archived"):
        goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=savings.id)
    with pytest.raises(NotFoundError):
        goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=999_999)
    with pytest.raises(NotFoundError):
        goal_accounts.link_account(session, user_id=uid, goal_id=999_999, account_id=None)
    assert goals.get_goal(session, user_id=uid, goal_id=goal.id).account_id is None  # nothing half-written


def test_another_users_account_or_goal_is_refused(session, alice, bob):
    theirs = accounts.create_account(session, user_id=alice.user_id, name="Alice savings", kind="savings",
                                     opening_balance="999")
    alice_goal = _goal(session, alice.user_id)
    bob_goal = _goal(session, bob.user_id)
    with pytest.raises(NotFoundError, match="This account does not exist"):
        goal_accounts.link_account(session, user_id=bob.user_id, goal_id=bob_goal.id, account_id=theirs.id)
    with pytest.raises(NotFoundError, match="That goal does not exist"):
        goal_accounts.link_account(session, user_id=bob.user_id, goal_id=alice_goal.id, account_id=None)
    # a stale link to an account that is not the user's shows nothing of it
    assert goal_accounts.linked_balances(session, user_id=bob.user_id, links=[(bob_goal.id, theirs.id, "USD")]) == {}


def test_an_account_in_another_currency_is_converted_and_a_missing_rate_is_named(session, alice):
    uid = alice.user_id
    euro = accounts.create_account(session, user_id=uid, name="Euro savings", kind="savings", currency="EUR",
                                   opening_balance="200", opening_date=TODAY - dt.timedelta(days=3))
    goal = _goal(session, uid)
    goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=euro.id)
    view = goals.get_goal(session, user_id=uid, goal_id=goal.id, today=TODAY)
    # no EUR -> USD rate: never 1.0; the recorded amounts stay and the rate is named
    assert view.account_balance_minor is None and view.saved_minor == 10000
    assert "No exchange rate EUR → USD" in view.account_note and "Euro savings" in view.account_note
    rates.add_rate(session, principal=alice, date=TODAY - dt.timedelta(days=1), base="EUR", quote="USD", rate="1.5")
    view = goals.get_goal(session, user_id=uid, goal_id=goal.id, today=TODAY)
    assert view.account_balance_minor == 30000 and view.saved_minor == 30000 and view.account_note == ""


def test_an_accounts_type_can_be_changed_so_a_goal_can_follow_it_and_not_broken_under_a_goal(session, alice, bob):
    """QA: an imported "Savings" account is created as checking and its type could never change."""
    uid = alice.user_id
    imported = accounts.create_account(session, user_id=uid, name="Savings")  # as an import creates it
    goal = _goal(session, uid)
    with pytest.raises(ValidationError, match="a goal follows a savings account"):
        goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=imported.id)
    changed = accounts.set_account_kind(session, user_id=uid, account_id=imported.id, kind="Savings")
    assert changed.kind == "savings" and changed.kind_label == "Savings"
    assert goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=imported.id) == imported.id
    with pytest.raises(ValidationError, match="“Savings” cannot become a checking account: the goal “Bike” follows it"):
        accounts.set_account_kind(session, user_id=uid, account_id=imported.id, kind="checking")
    assert accounts.get_account(session, user_id=uid, account_id=imported.id).kind == "savings"
    with pytest.raises(ValidationError, match="not an account type"):
        accounts.set_account_kind(session, user_id=uid, account_id=imported.id, kind="piggy bank")
    with pytest.raises(NotFoundError):  # another user's account is answered like one that does not exist
        accounts.set_account_kind(session, user_id=bob.user_id, account_id=imported.id, kind="cash")
    goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=None)
    assert accounts.set_account_kind(session, user_id=uid, account_id=imported.id, kind="credit_card").kind == "credit_card"


def test_the_missing_rate_note_writes_dates_in_the_users_format(session, alice):
    """Session 11 QA: the "No exchange rate …" note wrote ISO dates ("2026-12-05") whatever the user's
    date format; it is written by the one date formatter (German month names for a de_DE user)."""
    from budgetwise.dates import day_text
    from budgetwise.services import profile

    uid = alice.user_id
    profile.update_profile(session, user_id=uid, locale="de_DE", date_format="%d %b %Y")
    euro = accounts.create_account(session, user_id=uid, name="Euro savings", kind="savings", currency="EUR",
                                   opening_balance="200", opening_date=TODAY - dt.timedelta(days=3))
    goal = _goal(session, uid)
    goal_accounts.link_account(session, user_id=uid, goal_id=goal.id, account_id=euro.id)
    note = goals.get_goal(session, user_id=uid, goal_id=goal.id, today=TODAY).account_note
    assert day_text(TODAY, "%d %b %Y", "de_DE") in note and TODAY.isoformat() not in note, note
    # a goal in another currency than the user's (kept from before a currency change) is converted directly
    note = goal_accounts.linked_balances(session, user_id=uid, links=[(goal.id, euro.id, "GBP")], today=TODAY)[goal.id].note
    assert "EUR → GBP on " + day_text(TODAY, "%d %b %Y", "de_DE") in note, note
