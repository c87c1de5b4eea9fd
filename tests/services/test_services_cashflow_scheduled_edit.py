"""Editing an item scheduled by hand (issue #19; session 19, uicash): it was remove and schedule again.

``cashflow.update_scheduled`` takes every field as ``add_scheduled`` does and checks them with the same rules and
messages (one check, ``cashflow_scheduled._checked``); a refusal leaves the item and the data version as they were.
Another user's item or account is refused as one that does not exist (isolation matrix rows too)."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import BudgetwiseError, NotFoundError, ValidationError
from budgetwise.services import accounts, cashflow
from budgetwise.services.versions import data_version

TODAY = dt.date(2026, 12, 5)
GOOD = {"name": "Rent", "amount": "1200", "kind": "expense", "next_date": TODAY + dt.timedelta(days=5),
        "cadence": "monthly"}


def _add(session, user, **kw):
    return cashflow.add_scheduled(session, user_id=user.user_id, today=TODAY, **{**GOOD, **kw})


def _edit(session, user, item_id, **kw):
    return cashflow.update_scheduled(session, user_id=user.user_id, item_id=item_id, today=TODAY, **{**GOOD, **kw})


def test_every_field_is_edited_in_place(session, alice):
    checking = accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="1000",
                                       today=TODAY)
    item = _add(session, alice)
    before = data_version(session, user_id=alice.user_id)
    edited = _edit(session, alice, item.id, name="  Rent   (new flat) ", amount="1,350.50", kind="expense",
                   next_date=TODAY + dt.timedelta(days=20), cadence="once", account_id=checking.id)
    (listed,) = cashflow.list_scheduled(session, user_id=alice.user_id)
    assert listed == edited and listed.id == item.id  # the same item, not removed and added again
    assert (listed.name, listed.amount_minor, listed.kind, listed.next_date, listed.cadence, listed.account) == (
        "Rent (new flat)", 135_050, "expense", TODAY + dt.timedelta(days=20), None, "Checking")
    assert data_version(session, user_id=alice.user_id) > before  # cached projections are recomputed
    back = _edit(session, alice, item.id, kind="income", name="Refund", account_id=None, cadence="yearly")
    assert (back.kind, back.name, back.account_id, back.cadence) == ("income", "Refund", None, "yearly")


def test_the_projections_follow_an_item_moved_to_another_account(session, alice):
    checking = accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="1000",
                                       today=TODAY)
    savings = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings",
                                      opening_balance="5000", today=TODAY)
    item = _add(session, alice, account_id=savings.id, cadence="once")

    def labels(account_id):
        p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY,
                                   account_id=account_id)
        return [i.label for i in p.items]

    assert labels(savings.id) == ["Rent"] and labels(checking.id) == []
    _edit(session, alice, item.id, account_id=checking.id, cadence="once")
    assert labels(savings.id) == [] and labels(checking.id) == ["Rent"]


def test_moving_an_item_to_an_account_in_another_currency_reads_the_amount_in_it(session, alice):
    euro = accounts.create_account(session, user_id=alice.user_id, name="Euro", currency="EUR", today=TODAY)
    item = _add(session, alice)
    assert item.currency == "USD"
    assert _edit(session, alice, item.id, account_id=euro.id).currency == "EUR"


BAD = [
    ({"next_date": TODAY - dt.timedelta(days=1)}, "is in the past"),
    ({"next_date": TODAY + dt.timedelta(days=800)}, "more than two years away"),
    ({"next_date": "next tuesday"}, "is not a date"),
    ({"amount": "99999999999999"}, "implausibly large"),
    ({"amount": "0"}, None),
    ({"amount": "abc"}, None),
    ({"name": "   "}, "Give the scheduled item a name"),
    ({"name": "x" * 101}, "too long"),
    ({"kind": "transfer"}, "income or an expense"),
    ({"cadence": "fortnightly-ish"}, "or once"),
]


@pytest.mark.parametrize(("bad", "words"), BAD, ids=[str(next(iter(b))) + str(i) for i, (b, _) in enumerate(BAD)])
def test_bad_input_gets_adds_message_and_nothing_is_written(session, alice, bad, words):
    item = _add(session, alice)
    before, version = cashflow.list_scheduled(session, user_id=alice.user_id), data_version(session, user_id=alice.user_id)
    with pytest.raises(ValidationError) as added:
        _add(session, alice, **bad)
    with pytest.raises(ValidationError) as edited:
        # every other field changed too: none of them is written when one is refused
        _edit(session, alice, item.id, **{"name": "Other", "amount": "5", "kind": "income",
                                          "next_date": TODAY + dt.timedelta(days=9), "cadence": "weekly", **bad})
    assert edited.value.message == added.value.message and (words is None or words in edited.value.message)
    session.expire_all()
    assert cashflow.list_scheduled(session, user_id=alice.user_id) == before
    assert data_version(session, user_id=alice.user_id) == version


def test_an_archived_account_is_refused_with_adds_message_and_its_item_can_be_moved_out(session, alice):
    visa = accounts.create_account(session, user_id=alice.user_id, name="Visa", kind="credit_card", today=TODAY)
    checking = accounts.create_account(session, user_id=alice.user_id, name="Checking", today=TODAY)
    item = _add(session, alice, account_id=visa.id)
    accounts.archive_account(session, user_id=alice.user_id, account_id=visa.id)
    with pytest.raises(ValidationError) as added:
        _add(session, alice, account_id=visa.id)
    with pytest.raises(ValidationError) as edited:  # kept on the archived account: refused as a new item would be
        _edit(session, alice, item.id, account_id=visa.id, amount="1300")
    assert edited.value.message == added.value.message and "“Visa” is archived" in edited.value.message
    assert cashflow.list_scheduled(session, user_id=alice.user_id)[0].amount_minor == 120_000
    moved = _edit(session, alice, item.id, account_id=checking.id)  # moved to an open account: projected again
    assert moved.account == "Checking" and not moved.account_archived


def test_another_users_item_or_account_is_refused_as_unknown(session, alice, bob):
    mine = _add(session, alice)
    theirs = _add(session, bob, name="Bob's rent")
    bobs_account = accounts.create_account(session, user_id=bob.user_id, name="Bob's", today=TODAY)
    with pytest.raises(NotFoundError, match="This scheduled item does not exist."):
        _edit(session, alice, theirs.id)
    with pytest.raises(NotFoundError, match="This scheduled item does not exist."):
        _edit(session, alice, 999_999)
    with pytest.raises(NotFoundError) as exc:
        _edit(session, alice, mine.id, account_id=bobs_account.id)
    with pytest.raises(BudgetwiseError) as unknown:
        _edit(session, alice, mine.id, account_id=999_999)
    assert exc.value.message == unknown.value.message  # as an id that does not exist
    assert [i.name for i in cashflow.list_scheduled(session, user_id=bob.user_id)] == ["Bob's rent"]
    assert cashflow.list_scheduled(session, user_id=alice.user_id)[0].account_id is None


def test_scheduled_items_stop_at_the_per_user_limit(session, alice, bob, monkeypatch):
    """Session 21 (sec21): scheduled items had no limit, and each weekly one is 52 dates of a year's projection
    computed in the process every user's pages share (11,000 took 4.8 s of CPU a Cash flow run). At
    ``cashflow_scheduled.MAX_SCHEDULED_PER_USER`` the next is refused with the numbers; another user is not counted."""
    from budgetwise.services import cashflow_scheduled

    monkeypatch.setattr(cashflow_scheduled, "MAX_SCHEDULED_PER_USER", 2)
    _add(session, alice)
    _add(session, alice, name="Gym")
    with pytest.raises(ValidationError, match=r"You have 2 scheduled items; the limit is 2\."):
        _add(session, alice, name="Phone")
    assert len(cashflow.list_scheduled(session, user_id=alice.user_id)) == 2
    _add(session, bob)
