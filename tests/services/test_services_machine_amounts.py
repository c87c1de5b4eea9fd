"""Money a caller passes as a machine number (session 25, sec25).

A float or an int says nothing of the user's number format, and read as typed text it is misread: 1.234 (a float)
is 1 234 for a German user, whose "." groups thousands. review24 refused it for the opening balance and sec24 for the
balance on a day; a goal's target, its amount already saved and a contribution still took one, and the cash flow's
"warn me below" too. A Decimal is a machine value whose "." is its decimal point: the dashboard passed the saved
threshold as ``str(Decimal("5.000"))`` for a Kuwaiti dinar user (5 KWD), read as 5 000 KWD.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from budgetwise.errors import ValidationError
from budgetwise.models import Goal, GoalContribution
from budgetwise.services import accounts, cashflow, goals
from budgetwise.services.profile import update_profile

TODAY = dt.date(2026, 3, 10)
LATER = TODAY + dt.timedelta(days=200)


def _rows(session, uid):
    return (session.scalar(select(func.count(Goal.id)).where(Goal.user_id == uid)),
            session.scalar(select(func.count(GoalContribution.id)).where(GoalContribution.user_id == uid)))


def test_a_goal_refuses_floats_and_ints_as_its_target_saved_amount_and_contributions(session, alice):
    uid = alice.user_id
    update_profile(session, user_id=uid, locale="de_DE")
    for machine in (1.234, 5.5, 7):
        with pytest.raises(ValidationError, match="as text or Decimal in major units") as refused:
            goals.create_goal(session, user_id=uid, name="Urlaub", target=machine, target_date=LATER, today=TODAY)
        assert refused.value.field == "target"
        with pytest.raises(ValidationError, match="as text or Decimal in major units") as refused:
            goals.create_goal(session, user_id=uid, name="Urlaub", target="2.000", already_saved=machine,
                              target_date=LATER, today=TODAY)
        assert refused.value.field == "already_saved"
    assert _rows(session, uid) == (0, 0)
    goal = goals.create_goal(session, user_id=uid, name="Urlaub", target=Decimal("1.23"), target_date=LATER,
                             today=TODAY)
    assert goal.target_minor == 123  # a Decimal's "." is its decimal point: 1,23, not 123
    for machine in (1.234, 5.5, 7):
        with pytest.raises(ValidationError, match="as text or Decimal in major units"):
            goals.update_goal(session, user_id=uid, goal_id=goal.id, target=machine, today=TODAY)
        with pytest.raises(ValidationError, match="as text or Decimal in major units") as refused:
            goals.add_contribution(session, user_id=uid, goal_id=goal.id, amount=machine, today=TODAY)
        assert refused.value.field == "amount"
    assert goals.get_goal(session, user_id=uid, goal_id=goal.id, today=TODAY).target_minor == 123
    assert _rows(session, uid) == (1, 0)
    typed = goals.add_contribution(session, user_id=uid, goal_id=goal.id, amount="1.234", today=TODAY)
    assert typed.amount_minor == 123_400  # typed text is read in the user's format, as before
    assert goals.add_contribution(session, user_id=uid, goal_id=goal.id, amount=Decimal("0.5"),
                                  today=TODAY).amount_minor == 50


def test_the_threshold_refuses_a_float_and_reads_a_decimal_point(session, alice):
    for machine in (1.234, True):
        with pytest.raises(ValidationError, match="as text or a Decimal"):
            cashflow.parse_threshold(machine, "EUR", decimal_hint=",")
    assert cashflow.parse_threshold(Decimal("5.000"), "KWD") == 5_000  # 5 KWD, not 5 000
    assert cashflow.parse_threshold(Decimal("1.5"), "EUR", decimal_hint=",") == 150
    assert cashflow.parse_threshold("1.500", "EUR", decimal_hint=",") == 150_000  # typed: the user's format
    uid = alice.user_id
    update_profile(session, user_id=uid, locale="de_DE")
    with pytest.raises(ValidationError, match="as text or a Decimal"):
        cashflow.set_threshold(session, user_id=uid, threshold=1.234)
    assert cashflow.get_threshold(session, user_id=uid) == 0


def test_the_projection_reads_a_decimal_threshold_and_typed_text_in_the_users_format(session, alice):
    """The dashboard passes the saved threshold as a Decimal; the command line's ``--threshold`` is typed text, read
    in the user's number format as the page reads it (it was read with no format: "1.500" by a KWD user or an en_US
    user, whose "." is the decimal point, was 1 500)."""
    uid = alice.user_id
    today = dt.date.today()
    update_profile(session, user_id=uid, currency="KWD")
    accounts.create_account(session, user_id=uid, name="Checking", currency="KWD", opening_balance="100.000",
                            opening_date=today - dt.timedelta(days=10))
    decimal = cashflow.cashflow_user(session, user_id=uid, horizon_months=1, today=today, threshold=Decimal("5.000"))
    assert decimal.threshold_minor == 5_000
    assert decimal.below_threshold(str) is None  # 100 KWD stays above 5 KWD
    typed = cashflow.cashflow_user(session, user_id=uid, horizon_months=1, today=today, threshold="1.500")
    assert typed.threshold_minor == 1_500
    update_profile(session, user_id=uid, locale="de_DE")
    german = cashflow.cashflow_user(session, user_id=uid, horizon_months=1, today=today, threshold="1.500")
    assert german.threshold_minor == 1_500_000  # "." groups thousands for a German user
