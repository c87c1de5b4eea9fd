"""Savings goals: plans, refusals with alternatives, contributions, ownership, projections."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from budgetwise.errors import ConflictError, NotFoundError, ValidationError
from budgetwise.models import Goal
from budgetwise.services import auth, demo, goals
from budgetwise.services.demo import DemoRow
from budgetwise.services.forecast import ForecastResult

TODAY = dt.date(2026, 3, 10)


def _goal(session, user, **kw):
    args = {"name": "Emergency fund", "target": "1200.00", "target_date": TODAY + dt.timedelta(days=120)} | kw
    return goals.create_goal(session, user_id=user.user_id, today=TODAY, **args)


# --------------------------------------------------------------------------- plan
def test_plan_amounts_are_rounded_up_and_reach_the_target(db, session, alice):
    g = _goal(session, alice, target="1000.00", already_saved="100.00", target_date=TODAY + dt.timedelta(days=90))
    assert g.saved_minor == 10000 and g.remaining_minor == 90000
    assert g.days_left == 90
    assert g.per_day_minor == 1000  # 900.00 / 90 days
    assert g.per_week_minor == 7000
    # 2026-03-10 -> 06-08: 2 calendar months (to 05-10) + 29 of the 31 days to 06-10 = 91/31 months;
    # 900 / (91/31) = 306.593... -> rounded up (the old average 30.44-day month gave 304.37)
    assert g.per_month_minor == 30660
    assert g.per_day_minor * g.days_left >= g.remaining_minor
    assert g.months_left == pytest.approx(91 / 31)
    assert g.whole_months_left == 2
    assert g.progress == pytest.approx(0.1)
    assert not g.reached and not g.overdue


def test_reached_goal_needs_no_more_saving(db, session, alice):
    g = _goal(session, alice, target="500", already_saved="600")
    assert g.reached and g.remaining_minor == 0 and g.progress == 1.0
    assert g.per_day_minor is None and g.per_month_minor is None


@pytest.mark.parametrize("when", [TODAY, TODAY - dt.timedelta(days=1)])
def test_target_date_today_or_past_is_refused_with_alternatives(db, session, alice, when):
    with pytest.raises(ValidationError) as err:
        _goal(session, alice, target="1200.00", target_date=when)
    message = str(err.value)
    assert err.value.field == "target_date"
    assert ("today" in message) if when == TODAY else ("in the past" in message)
    # no history: no saving pace, but monthly amounts for later dates
    assert "would not be reached" in message
    six = TODAY.replace(month=9)
    assert f"by {six.isoformat()}: $" in message
    assert session.query(Goal).count() == 0


def test_refusal_uses_the_net_savings_pace(db, session, alice):
    rows = []
    for month in (12, 1, 2):
        year = 2025 if month == 12 else 2026
        rows.append(DemoRow(dt.date(year, month, 25), Decimal("3000.00"), "income", "PAYROLL", "Salary", "Checking"))
        rows.append(DemoRow(dt.date(year, month, 3), Decimal("2700.00"), "expense", "RENT", "Rent", "Checking"))
        rows.append(DemoRow(dt.date(year, month, 4), Decimal("200.00"), "expense", "TO SAVINGS", "Transfers", "Checking"))
    demo.seed_transactions(session, user_id=alice.user_id, rows=rows)
    assert goals.net_savings_pace(session, user_id=alice.user_id, today=TODAY) == 30000  # transfers excluded
    with pytest.raises(ValidationError) as err:
        _goal(session, alice, target="1200.00", target_date=TODAY)
    message = str(err.value)
    assert "$300.00 a month" in message
    assert "on 2026-07-10" in message  # 1200 / 300 = 4 months = 121.7 -> 122 days
    alt = goals.date_alternatives(session, user_id=alice.user_id, remaining_minor=120000, today=TODAY)
    assert alt.reach_date == dt.date(2026, 7, 10) and alt.pace_source == "net savings"
    assert [d for d, _ in alt.options] == [dt.date(2026, 9, 10), dt.date(2027, 3, 10), dt.date(2028, 3, 10)]
    assert [amount for _, amount in alt.options] == [20000, 10000, 5000]  # 1200 / 6, 12, 24 calendar months


@pytest.mark.parametrize(
    "target, months, per_month",
    [("1765.44", 12, 14712), ("1000.00", 3, 33334), ("100.00", 1, 10000), ("2400.00", 24, 10000)],
)
def test_exactly_n_calendar_months_saves_target_over_n_rounded_up(db, session, alice, target, months, per_month):
    """QA 2026-12-04: $1,765.44 due in exactly 12 months showed $147.22 (average month), not $147.12."""
    from dateutil.relativedelta import relativedelta

    g = _goal(session, alice, target=target, target_date=TODAY + relativedelta(months=months))
    assert g.months_left == months and g.whole_months_left == months
    assert g.per_month_minor == per_month
    assert g.per_month_minor * months >= g.remaining_minor > (g.per_month_minor - 1) * months  # up, never down


def test_calendar_months_follow_month_ends(db, session, alice):
    """Jan 31 + 1 month is Feb 28 (relativedelta): one month, not 28/30.44 of one."""
    g = goals.create_goal(session, user_id=alice.user_id, today=dt.date(2027, 1, 31), name="Trip",
                          target="300.00", target_date=dt.date(2027, 2, 28))
    assert g.months_left == 1 and g.per_month_minor == 30000
    g2 = goals.create_goal(session, user_id=alice.user_id, today=dt.date(2027, 1, 31), name="Bike",
                           target="300.00", target_date=dt.date(2027, 3, 15))
    assert g2.whole_months_left == 1 and g2.months_left == pytest.approx(1 + 15 / 31)  # 02-28 -> 03-15 of 02-28 -> 03-31


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"target": "0"}, "target"),
        ({"target": "-5"}, "target"),
        ({"target": "abc"}, "target"),
        ({"target": "12.3456"}, "target"),
        ({"already_saved": "-1"}, "already_saved"),
        ({"target_date": "not a date"}, "target_date"),
        ({"target_date": dt.date(2090, 1, 1)}, "target_date"),
    ],
)
def test_invalid_goals_are_refused(db, session, alice, kwargs, field):
    with pytest.raises(ValidationError) as err:
        _goal(session, alice, **kwargs)
    assert err.value.field == field



@pytest.mark.parametrize("target, words", [("-3", "The target amount must be more than zero."),
                                           ("0", "The target amount must be more than zero."),
                                           ("99999999999", "The target amount “99999999999” is implausibly large")])
def test_a_bad_target_is_refused_in_words_about_a_target(db, session, alice, target, words):
    """QA session 13 (browser): a target of -3 read "choose income or expense as the type instead of a
    minus sign" on a form without a type; a huge one spoke of "per transaction"."""
    g = _goal(session, alice)
    for call in (lambda: _goal(session, alice, name="Other", target=target),
                 lambda: goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, target=target, today=TODAY)):
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.field == "target" and words in err.value.message
        assert "income or expense" not in err.value.message and "transaction" not in err.value.message

def test_duplicate_names_are_refused_case_insensitively(db, session, alice):
    _goal(session, alice, name="Car")
    with pytest.raises(ConflictError) as err:
        _goal(session, alice, name="car")
    assert "already have a goal" in str(err.value)


# --------------------------------------------------------------------------- edit / delete / ownership
def test_edit_keeps_an_unchanged_past_date_but_refuses_a_new_one(db, session, alice):
    g = _goal(session, alice)
    later = TODAY + dt.timedelta(days=400)
    edited = goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, name="Rainy day", target="2000",
                               target_date=later, today=TODAY)
    assert (edited.name, edited.target_minor, edited.target_date) == ("Rainy day", 200000, later)
    # time passes: the date is now in the past, other edits still work
    future_today = later + dt.timedelta(days=5)
    edited = goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, target="2100", target_date=later,
                               today=future_today)
    assert edited.overdue and edited.target_minor == 210000
    with pytest.raises(ValidationError):
        goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, target_date=later + dt.timedelta(days=1),
                          today=future_today)


def test_other_users_goals_are_not_found(db, session, alice, bob):
    g = _goal(session, alice)
    for call in (
        lambda: goals.get_goal(session, user_id=bob.user_id, goal_id=g.id),
        lambda: goals.update_goal(session, user_id=bob.user_id, goal_id=g.id, name="Mine"),
        lambda: goals.delete_goal(session, user_id=bob.user_id, goal_id=g.id),
        lambda: goals.add_contribution(session, user_id=bob.user_id, goal_id=g.id, amount="5", today=TODAY),
        lambda: goals.list_contributions(session, user_id=bob.user_id, goal_id=g.id),
        lambda: goals.get_goal(session, user_id=alice.user_id, goal_id=g.id + 999),
    ):
        with pytest.raises(NotFoundError) as err:
            call()
        assert str(err.value) == "That goal does not exist."
    assert goals.list_goals(session, user_id=bob.user_id) == []


def test_delete_removes_the_goal_and_its_contributions(db, session, alice):
    g = _goal(session, alice)
    c = goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="50", today=TODAY)
    goals.delete_goal(session, user_id=alice.user_id, goal_id=g.id)
    assert goals.list_goals(session, user_id=alice.user_id) == []
    with pytest.raises(NotFoundError):
        goals.delete_contribution(session, user_id=alice.user_id, contribution_id=c.id)


def test_archived_goals_are_hidden_by_default(db, session, alice):
    g = _goal(session, alice)
    goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, archived=True)
    assert goals.list_goals(session, user_id=alice.user_id) == []
    assert [x.id for x in goals.list_goals(session, user_id=alice.user_id, include_archived=True)] == [g.id]


def test_goal_writes_leave_the_data_version_alone(db, session, alice):
    """Session 11: no cached result reads goals; a goal write bumped the version that keys the cached
    net-savings forecast, so the Goals page re-ran it (seconds) after every goal or contribution."""
    v0 = auth.data_version(session, user_id=alice.user_id)
    g = _goal(session, alice)
    goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="10", today=TODAY)
    goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, name="Trip 2", today=TODAY)
    goals.delete_goal(session, user_id=alice.user_id, goal_id=g.id)
    assert auth.data_version(session, user_id=alice.user_id) == v0


# --------------------------------------------------------------------------- contributions
def test_contributions_add_up_and_withdrawals_cannot_overdraw(db, session, alice):
    g = _goal(session, alice, target="1000", already_saved="100")
    goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="250.50", date=TODAY - dt.timedelta(days=3),
                           note="March", today=TODAY)
    goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="-50", today=TODAY)
    g2 = goals.get_goal(session, user_id=alice.user_id, goal_id=g.id, today=TODAY)
    assert g2.saved_minor == 10000 + 25050 - 5000
    history = goals.list_contributions(session, user_id=alice.user_id, goal_id=g.id)
    assert [c.amount_minor for c in history] == [-5000, 25050]
    with pytest.raises(ValidationError) as err:
        goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="-400", today=TODAY)
    assert "at most $300.50" in str(err.value)
    for bad, field in (("0", "amount"), ("x", "amount")):
        with pytest.raises(ValidationError) as err:
            goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount=bad, today=TODAY)
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="5",
                               date=TODAY + dt.timedelta(days=1), today=TODAY)
    assert err.value.field == "date"


def test_dates_outside_the_limits_are_refused_naming_them(db, session, alice):
    """The page's pickers accept any date (one outside a picker's limits would never be sent), so
    the service refuses a contribution or target date outside its limits, naming them."""
    g = _goal(session, alice)
    first, last = goals.contribution_date_limits(TODAY)
    for day in (last + dt.timedelta(days=1), first - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as err:
            goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="5", date=day, today=TODAY)
        assert err.value.field == "date"
        assert f"from {first.isoformat()} to today, {last.isoformat()}" in err.value.message
    latest = goals.latest_target_date(TODAY)
    too_far = latest + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, target_date=too_far, today=TODAY)
    assert err.value.field == "target_date" and f"to {latest.isoformat()}" in err.value.message
    with pytest.raises(ValidationError, match=f"to {latest.isoformat()}"):
        _goal(session, alice, name="Far", target_date=too_far)
    assert goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, target_date=latest,
                             today=TODAY).target_date == latest
    assert goals.list_contributions(session, user_id=alice.user_id, goal_id=g.id) == []


def test_the_reach_date_counts_calendar_months_like_the_monthly_amounts(db, session, alice):
    """Saving exactly an alternative's monthly amount reaches the goal on that alternative's date: the
    pace's reach date counts calendar months as GoalView.per_month_minor and the alternatives do (an
    average 30.44-day month gave 366 days for 12 months, 2027-03-11 beside "by 2027-03-10: $300.00")."""
    rows = []
    for month in (12, 1, 2):
        year = 2025 if month == 12 else 2026
        rows.append(DemoRow(dt.date(year, month, 25), Decimal("500.00"), "income", "PAYROLL", "Salary", "Checking"))
        rows.append(DemoRow(dt.date(year, month, 3), Decimal("200.00"), "expense", "RENT", "Rent", "Checking"))
    demo.seed_transactions(session, user_id=alice.user_id, rows=rows)
    alt = goals.date_alternatives(session, user_id=alice.user_id, remaining_minor=360000, today=TODAY)
    assert alt.pace_per_month_minor == 30000 and alt.options[1] == (dt.date(2027, 3, 10), 30000)
    assert alt.reach_date == dt.date(2027, 3, 10)
    reach = goals._reach_date
    assert reach(30000, 30000, dt.date(2026, 2, 4)) == dt.date(2026, 3, 4)  # one month, not 31 days (03-07)
    assert reach(45000, 30000, TODAY) == dt.date(2026, 4, 25)  # 1.5 months: April 10 + half of its 30 days
    assert reach(45001, 30000, TODAY) == dt.date(2026, 4, 26)  # a cent more: the next day (rounded up)
    assert reach(30000, 30000, dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)  # as relativedelta counts months
    assert reach(10**12, 1, TODAY) is None and reach(0, None, TODAY) == TODAY and reach(5, None, TODAY) is None


def test_contribution_pace_feeds_the_alternatives(db, session, alice):
    g = _goal(session, alice, target="1000")
    goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="300", date=TODAY - dt.timedelta(days=30),
                           today=TODAY)
    pace = goals.contribution_pace(session, user_id=alice.user_id, goal_id=g.id, today=TODAY)
    assert pace == 10146  # 300 over 90 days = 101.46 a month (rounded up)
    with pytest.raises(ValidationError) as err:
        goals.update_goal(session, user_id=alice.user_id, goal_id=g.id, target_date=TODAY, today=TODAY)
    assert "your contributions" in str(err.value)


# --------------------------------------------------------------------------- projection
def _net(monthly: float, spread: float, months: int = 24, interval: float = 0.8, start=dt.date(2026, 3, 1)) -> ForecastResult:
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + interval / 2)
    ds = [pd.Timestamp(start) + pd.DateOffset(months=i) for i in range(months)]
    fc = pd.DataFrame(
        {
            "ds": [d.date() for d in ds],
            "yhat": [monthly] * months,
            "yhat_lower": [monthly - z * spread] * months,
            "yhat_upper": [monthly + z * spread] * months,
            "known": [0.0] * months,
            "observed": [0.0] * months,
        }
    )
    return ForecastResult(
        series="net", label="Net savings", freq="month", horizon=months, interval=interval, currency="USD",
        as_of=start - dt.timedelta(days=1), history=pd.DataFrame({"ds": [], "y": []}), forecast=fc, backtest=None,
        known_flows=(), method="test",
    )


def _view(target: int, saved: int, target_date: dt.date, today: dt.date = dt.date(2026, 3, 1)) -> goals.GoalView:
    return goals.GoalView(1, "Trip", "USD", target, target_date, saved, 0, False, today)


def test_projection_date_probability_and_words():
    goal = _view(target=120000, saved=0, target_date=dt.date(2026, 12, 31))
    sure = goals.project_goal(goal, _net(200.0, 1.0))
    assert sure.status == "forecast"
    assert sure.projected_date == dt.date(2026, 8, 31)  # 6 months of 200
    assert sure.probability > 0.99 and sure.words == "very likely"
    half = goals.project_goal(goal, _net(200.0, 1.0), share=0.5)
    assert half.projected_date == dt.date(2027, 2, 28) and half.probability < 0.01 and half.words == "unlikely"
    tight = goals.project_goal(_view(120000, 0, dt.date(2026, 8, 31)), _net(200.0, 60.0))
    assert 0.35 < tight.probability < 0.65 and tight.words == "uncertain"
    assert "Chance of reaching it by 2026-08-31" in tight.explanation


def test_a_month_of_heavy_spending_so_far_is_made_up_before_the_goal_gains():
    """QA: right after a -$5,095 month the goal showed "≈100%, in 9 days" (the payday still to come
    was counted as savings although it only covers the month's spending so far)."""
    goal = _view(target=120000, saved=100000, target_date=dt.date(2026, 3, 20), today=dt.date(2026, 3, 10))
    net = _net(3000.0, 50.0, start=dt.date(2026, 3, 1))
    net.forecast.loc[0, "observed"] = -5095.0  # this month so far
    net.forecast.loc[0, "yhat"] = -5095.0 + 3000.0  # the rest of the month brings +3,000: still -2,095 overall
    p = goals.project_goal(goal, net)
    assert p.projected_date is None or p.projected_date >= dt.date(2026, 4, 1)
    assert p.probability < 0.05
    calm = _net(3000.0, 50.0, start=dt.date(2026, 3, 1))
    calm.forecast.loc[0, "observed"] = 500.0
    calm.forecast.loc[0, "yhat"] = 3500.0  # the rest of a good month does count
    assert goals.project_goal(goal, calm).projected_date < dt.date(2026, 3, 20)


def test_a_goal_reached_faster_than_the_average_pace_says_why():
    """QA: "about $915 a month ... reach $2,000 around 2026-12-11" read as a contradiction."""
    goal = _view(target=200000, saved=0, target_date=dt.date(2027, 6, 30))
    net = _net(900.0, 20.0, start=dt.date(2026, 3, 1))
    net.forecast.loc[0, "yhat"] = 1300.0
    net.forecast.loc[1, "yhat"] = 2000.0  # a bonus month
    p = goals.project_goal(goal, net)
    assert p.projected_date < dt.date(2026, 5, 1)
    assert "sooner than the average pace" in p.explanation and "$2,000.00 in April" in p.explanation
    steady = goals.project_goal(_view(target=500000, saved=0, target_date=dt.date(2027, 6, 30)), _net(900.0, 20.0))
    assert "sooner" not in steady.explanation


def test_more_uncertainty_means_a_lower_chance_when_on_track():
    goal = _view(target=120000, saved=0, target_date=dt.date(2026, 12, 31))
    calm = goals.project_goal(goal, _net(200.0, 20.0))
    wild = goals.project_goal(goal, _net(200.0, 150.0))
    assert calm.probability > wild.probability > 0.5


def test_projection_chart_has_expected_path_band_and_target():
    goal = _view(target=120000, saved=30000, target_date=dt.date(2026, 12, 31))
    p = goals.project_goal(goal, _net(150.0, 40.0))
    chart = p.chart
    assert list(chart.columns) == ["ds", "expected", "lower", "upper", "target"]
    assert chart["ds"].iloc[0] == goal.today and chart["expected"].iloc[0] == 300.0
    assert (chart["target"] == 1200.0).all()
    assert (np.diff(chart["expected"].to_numpy()) > 0).all()
    assert (chart["lower"] <= chart["expected"]).all() and (chart["expected"] <= chart["upper"]).all()
    assert dt.date(2026, 12, 31) in set(chart["ds"])


def test_negative_savings_never_reach_and_reached_goals_say_so():
    goal = _view(target=120000, saved=0, target_date=dt.date(2026, 12, 31))
    p = goals.project_goal(goal, _net(-100.0, 30.0))
    assert p.projected_date is None and p.probability < 0.01
    assert "negative on average" in p.explanation  # session 19: was "not positive … not funded"
    done = goals.project_goal(_view(100, 100, dt.date(2026, 12, 31)), _net(10.0, 1.0))
    assert done.status == "reached" and done.words == "reached"
    none = goals.project_goal(goal, None)
    assert none.status == "no_forecast" and none.probability is None and "6 months" in none.explanation


def test_beyond_the_horizon_the_average_continues():
    goal = _view(target=1000000, saved=0, target_date=dt.date(2030, 1, 1))
    p = goals.project_goal(goal, _net(200.0, 10.0, months=24))
    assert p.projected_date == dt.date(2030, 4, 30)  # 10000 / 200 = 50 months from March 2026
    assert p.probability < 0.01  # 46 months * 200 = 9200 by the target date
    assert p.chart["ds"].max() > dt.date(2030, 4, 30)


def test_a_forecast_that_ends_before_today_projects_from_today_not_from_the_data():
    """Session 14 (newuser): a user whose data ends in January 2025 made a goal in December 2026. The
    forecast months (Feb 2025 to Jan 2026) all lie before today; the average continued from the end of
    that horizon, so the path started in 2026-02, "you reach it around 2026-08-02" was a day already past
    with 4% saved, and the chart dropped to the saved amount at today and climbed again. The path now
    starts the day after today; the chart starts at today and only rises."""
    today = dt.date(2026, 12, 5)
    goal = _view(target=500000, saved=24105, target_date=dt.date(2027, 12, 5), today=today)
    p = goals.project_goal(goal, _net(250.0, 20.0, months=12, start=dt.date(2025, 2, 1)))
    assert p.projected_date is not None and p.projected_date > today
    # 4,758.95 still to save at 250 a month: 19+ months from today
    assert dt.date(2028, 7, 1) <= p.projected_date <= dt.date(2028, 8, 31)
    assert p.chart["ds"].min() == today
    assert list(p.chart["expected"]) == sorted(p.chart["expected"])  # never back down to the saved amount
    assert "around 2028-" in p.explanation


def test_default_shares_split_open_goals_equally():
    a, b, done = _view(100, 0, dt.date(2027, 1, 1)), _view(100, 0, dt.date(2027, 1, 1)), _view(100, 100, dt.date(2027, 1, 1))
    a = goals.GoalView(1, "A", "USD", 100, dt.date(2027, 1, 1), 0, 0, False, TODAY)
    b = goals.GoalView(2, "B", "USD", 100, dt.date(2027, 1, 1), 0, 0, False, TODAY)
    done = goals.GoalView(3, "C", "USD", 100, dt.date(2027, 1, 1), 100, 0, False, TODAY)
    assert goals.default_shares([a, b, done]) == {1: 0.5, 2: 0.5}
    assert goals.likelihood_words(0.95) == "very likely" and goals.likelihood_words(0.2) == "at risk"
    assert (goals.chance_text(0.999), goals.chance_text(0.001), goals.chance_text(0.42)) == ("over 99%", "under 1%", "42%")


@pytest.mark.parametrize(("saved", "target", "percent"), [
    (250_100, 1_000_000, 25),   # 25.01% saved: 25, as the progress bar says
    (999_999, 1_000_000, 99),   # a cent short: never "100%" before the goal is reached
    (1_000_000, 1_000_000, 100),
    (1_500_000, 1_000_000, 100),
    (-5_000, 1_000_000, 0),     # a linked account overdrawn
])
def test_progress_percent_is_a_whole_percent_rounded_down(saved, target, percent):
    g = goals.GoalView(1, "Trip", "USD", target, dt.date(2027, 1, 1), saved, 0, False, dt.date(2026, 1, 1))
    assert g.progress_percent == percent


# --------------------------------------------------------------------------- the user's number format
def test_goal_texts_write_dates_in_the_users_date_format(db, session, alice):
    """Refusals and the outlook's explanation wrote ISO dates whatever date format the user chose."""
    from budgetwise.services import profile

    tight = goals.project_goal(_view(120000, 0, dt.date(2026, 8, 31)), _net(200.0, 60.0), date_format="%d.%m.%Y")
    assert "Chance of reaching it by 31.08.2026" in tight.explanation and "2026-08-31" not in tight.explanation
    profile.update_profile(session, user_id=alice.user_id, date_format="%m/%d/%Y")
    with pytest.raises(ValidationError) as err:
        _goal(session, alice, target="2400", target_date=TODAY)
    six = TODAY.replace(month=9)
    assert f"by {six:%m/%d/%Y}: $" in str(err.value) and six.isoformat() not in str(err.value)


def test_goal_texts_write_money_in_the_users_locale(db, session, alice):
    """A de_DE user reads "1.234,56 €" in refusals and projections, not "€1,234.56"."""
    from budgetwise.services import profile

    profile.update_profile(session, user_id=alice.user_id, locale="de_DE", currency="EUR")
    with pytest.raises(ValidationError) as err:
        _goal(session, alice, target="2469,12", target_date=TODAY)
    six = TODAY.replace(month=9)
    assert f"by {six.isoformat()}: 411,52\xa0€ a month" in str(err.value)  # 2469.12 / 6
    g = _goal(session, alice, target="5000", already_saved="1234,56")
    with pytest.raises(ValidationError) as err:
        goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="-2000", today=TODAY)
    assert "at most 1.234,56\xa0€" in str(err.value)


def test_goal_refusals_read_locale_and_date_format_in_one_query(db, session, alice):
    """Session 10: the refusals read (locale, date format) with profile.user_formats (it took two queries),
    and a "31 Dec 2025" format writes the locale's month names ("10 März 2026" for de_DE, not "10 Mar 2026")."""
    from sqlalchemy import event

    from budgetwise.services import profile

    profile.update_profile(session, user_id=alice.user_id, locale="de_DE", currency="EUR", date_format="%d %b %Y")
    seen: list[str] = []

    def _record(conn, cursor, statement, *args) -> None:
        seen.append(" ".join(statement.lower().split()))

    event.listen(session.get_bind(), "before_cursor_execute", _record)
    try:
        with pytest.raises(ValidationError) as err:
            _goal(session, alice, target="2400", target_date=TODAY)
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", _record)
    message = str(err.value)
    assert "after today (10 März 2026)" in message and "by 10 Sept. 2026: 400,00\xa0€ a month" in message, message
    assert len([s for s in seen if s.startswith("select users.locale, users.date_format from users ")]) == 1
    assert not [s for s in seen if s.startswith("select users.date_format from")]  # (the amount's parser reads the locale)
    g = _goal(session, alice, target="5000")
    with pytest.raises(ValidationError) as err:
        goals.add_contribution(session, user_id=alice.user_id, goal_id=g.id, amount="10",
                               date=dt.date(2026, 5, 1), today=TODAY)
    assert "01 Mai 2026 is in the future" in str(err.value) and "to today, 10 März 2026" in str(err.value)


def test_projection_texts_use_the_given_locale():
    goal = dataclasses.replace(_view(target=200000, saved=0, target_date=dt.date(2027, 6, 30)), currency="EUR")
    net = dataclasses.replace(_net(900.0, 20.0, start=dt.date(2026, 3, 1)), currency="EUR")  # a EUR user's (session 19)
    net.forecast.loc[1, "yhat"] = 2000.0
    de = goals.project_goal(goal, net, locale="de_DE")
    assert "reach 2.000,00\xa0€ around" in de.explanation and "2.000,00\xa0€ in April" in de.explanation
    assert "reach €2,000.00 around" in goals.project_goal(goal, net).explanation  # en_US stays the default
    done = dataclasses.replace(goal, initial_saved_minor=200000)
    assert goals.project_goal(done, net, locale="de_DE").explanation == (
        "Goal reached: 2.000,00\xa0€ saved of 2.000,00\xa0€.")


def test_chance_text_in_the_users_locale():
    """Session 10: "92 %" for a de_DE user (the locale's own percent pattern), "92%" in en_US."""
    assert goals.chance_text(0.92, "de_DE") == "92\xa0%"
    assert (goals.chance_text(0.999, "de_DE"), goals.chance_text(0.001, "de_DE")) == ("over 99\xa0%", "under 1\xa0%")
    assert goals.chance_text(0.92) == "92%"


def test_monthly_net_savings_in_the_text_are_whole_months_and_name_their_basis():
    """QA 2026-12-05: data to 21 Nov (before November's salary), today 5 Dec. The text's "about 721 € a month"
    averaged November's last 9 days (capped at 0 €) with 11 whole months, and named no basis, while Reports and
    the Dashboard show November as it stands (-2,512 €). Now: whole forecast months, and the complete months of
    the history beside them."""
    goal = _view(target=500000, saved=0, target_date=dt.date(2027, 12, 5), today=dt.date(2026, 12, 5))
    net = _net(800.0, 50.0, start=dt.date(2026, 11, 1))
    net = dataclasses.replace(net, as_of=dt.date(2026, 11, 21),
                              history=pd.DataFrame({"ds": [dt.date(2026, m, 1) for m in range(1, 11)], "y": [700.0] * 10}))
    net.forecast.loc[0, "observed"] = -2512.0  # November so far: no salary yet
    net.forecast.loc[0, "yhat"] = -1500.0  # the salary still to come does not make the month positive
    assert net.partly_observed[:2] == [True, False]
    p = goals.project_goal(goal, net, locale="de_DE")
    assert p.monthly_savings == pytest.approx(800.0)  # was (0 + 11 * 800) / 12 = 733.33
    assert "about 800,00\xa0$ a month" in p.explanation
    assert "Your last 10 complete months in your data averaged 700,00\xa0$." in p.explanation


def test_net_savings_pace_leaves_out_the_month_the_data_stops_in(db, session, alice):
    """Session 11: today 5 Dec, the file stops on 21 Nov, before November's salary (25th). The pace counted
    September-November as three whole months: net 1000 + 1000 - 2000 = 0, so "no net savings". It is the last
    three months the data covers to their end (August-October), as the budget projection (covered_months)."""
    today = dt.date(2026, 12, 5)
    rows = []
    for month in (8, 9, 10, 11):
        rows.append(DemoRow(dt.date(2026, month, 1), Decimal("2000.00"), "expense", "RENT", "Rent", "Checking"))
        if month != 11:
            rows.append(DemoRow(dt.date(2026, month, 25), Decimal("3000.00"), "income", "PAYROLL", "Salary", "Checking"))
    rows.append(DemoRow(dt.date(2026, 11, 21), Decimal("40.00"), "expense", "MARKET", "Groceries", "Checking"))
    demo.seed_transactions(session, user_id=alice.user_id, rows=rows)
    assert goals.net_savings_pace(session, user_id=alice.user_id, today=today) == 100000  # was None
    alt = goals.date_alternatives(session, user_id=alice.user_id, remaining_minor=300000, today=today)
    assert (alt.pace_source, alt.pace_months, alt.reach_date) == ("net savings", 3, dt.date(2027, 3, 5))
    with pytest.raises(ValidationError) as err:
        goals.create_goal(session, user_id=alice.user_id, name="Car", target="3000.00", target_date=today, today=today)
    assert "$1,000.00 a month, from your net savings in your last 3 complete months of data" in str(err.value)


# --------------------------------------------------------------------------- a goal in another currency (session 19)
def test_a_goal_in_another_currency_than_the_forecast_is_projected_only_with_a_rate():
    """Session 19: after the base currency changed (USD -> EUR) the net-savings forecast is in EUR and a goal made
    before is in USD. The forecast was used 1:1; now it is converted at the rate given, and without one there is no
    forecast (never 1.0)."""
    goal = _view(target=120000, saved=0, target_date=dt.date(2026, 12, 31))
    in_eur = dataclasses.replace(_net(200.0, 1.0), currency="EUR")
    none = goals.project_goal(goal, in_eur)
    assert none.status == "no_rate" and none.probability is None and none.chart.empty
    assert "without an exchange rate between them there is no forecast" in none.explanation
    # 1 EUR = 1.25 USD: 200 EUR a month are 250 USD, so $1,200 take 4.8 months (not 6 as 1:1 said)
    converted = goals.project_goal(goal, in_eur, rate=Decimal("1.25"))
    same = goals.project_goal(goal, _net(250.0, 1.25))
    assert converted.status == "forecast" and converted.projected_date == same.projected_date
    assert converted.projected_date < goals.project_goal(goal, _net(200.0, 1.0)).projected_date
    assert in_eur.forecast["yhat"].iloc[0] == 200.0  # the forecast given is not changed
    assert goals.project_goal(goal, _net(200.0, 1.0), rate=Decimal("9")).projected_date == dt.date(2026, 8, 31)  # same currency: no rate used


def test_goal_rates_name_the_goals_worth_in_the_base_currency_or_the_missing_rate(db, session, alice):
    from budgetwise.services import goal_currency, profile, rates

    today = dt.date.today()
    goals.create_goal(session, user_id=alice.user_id, name="New York", target="4000", already_saved="500",
                      target_date=today + dt.timedelta(days=200))
    assert goal_currency.goal_rates(session, user_id=alice.user_id,
                                    goals=goals.list_goals(session, user_id=alice.user_id)) == {}  # same currency
    profile.update_profile(session, user_id=alice.user_id, currency="EUR")
    views = goals.list_goals(session, user_id=alice.user_id, today=today)
    [missing] = goal_currency.goal_rates(session, user_id=alice.user_id, goals=views, today=today).values()
    assert missing.rate is None and missing.saved_base_minor is None
    assert (f"No USD → EUR rate for {today.isoformat()} (no USD → EUR rate is stored)" in missing.text
            and "gets no forecast" in missing.text)
    old = today - dt.timedelta(days=20)  # too old to count (7 days): named with its date
    rates.add_rate(session, principal=alice, date=old, base="EUR", quote="USD", rate="1.25")
    [stale] = goal_currency.goal_rates(session, user_id=alice.user_id, goals=views, today=today).values()
    assert stale.rate is None and f"the latest stored is of {old.isoformat()}; a rate counts for 7 days" in stale.text
    rates.add_rate(session, principal=alice, date=today - dt.timedelta(days=2), base="EUR", quote="USD", rate="1.25")
    [found] = goal_currency.goal_rates(session, user_id=alice.user_id, goals=views, today=today).values()
    assert found.rate == Decimal("1.25") and (found.saved_base_minor, found.target_base_minor) == (40000, 320000)
    assert (f"$500.00 of $4,000.00 is €400.00 of €3,200.00 at 1 USD = 0.8 EUR (the rate of "
            f"{(today - dt.timedelta(days=2)).isoformat()})") in found.text
    assert [g.currency for g in goals.list_goals(session, user_id=alice.user_id)] == ["USD"]  # stored amounts stay


def test_the_net_savings_pace_is_converted_into_the_goals_currency_or_not_used(db, session, alice):
    """Session 19: the pace a past-date refusal offers was the base currency's figure written in the goal's."""
    from budgetwise.services import goal_currency, profile, rates

    today = dt.date.today()
    profile.update_profile(session, user_id=alice.user_id, currency="EUR")
    pace = goal_currency.pace_in_currency
    assert pace(session, user_id=alice.user_id, minor=10000, currency="EUR", today=today) == 10000
    assert pace(session, user_id=alice.user_id, minor=10000, currency="USD", today=today) is None  # no rate: none
    rates.add_rate(session, principal=alice, date=today, base="EUR", quote="USD", rate="1.25")
    assert pace(session, user_id=alice.user_id, minor=10000, currency="USD", today=today) == 12500
    assert pace(session, user_id=alice.user_id, minor=None, currency="USD", today=today) is None


def test_an_average_of_nothing_beside_a_chance_says_where_the_chance_comes_from():
    """Session 19 (new-user trial): "at this pace the goal is not funded" stood beside "47% chance". The average
    adds nothing (the expected path stays at what is saved); the chance comes from how much the savings vary."""
    goal = _view(target=300000, saved=0, target_date=dt.date(2027, 3, 1))
    wild = goals.project_goal(goal, _net(0.0, 40000.0))
    assert wild.monthly_savings == 0 and 0.3 < wild.probability < 0.5
    assert "not funded" not in wild.explanation
    assert "not positive on average, so they add nothing to this goal" in wild.explanation
    assert "comes from how much your net savings vary from month to month" in wild.explanation
    calm = goals.project_goal(goal, _net(0.0, 1.0))  # no spread, no chance: nothing to explain
    assert calm.probability < 0.1 and "vary from month to month" not in calm.explanation
    assert "vary from month to month" not in goals.project_goal(goal, _net(500.0, 40000.0)).explanation
    falling = goals.project_goal(goal, _net(-1000.0, 40000.0))  # in Chromium: the path fell, the text said "stays"
    assert "negative on average (about -$1,000.00 a month for this goal)" in falling.explanation
    assert "falls below what you have saved now" in falling.explanation and "stays at" not in falling.explanation


def test_a_past_date_for_a_goal_without_a_rate_names_the_rate_not_no_net_savings(db, session, alice):
    """Session 19 (new-user trial): a USD goal of a EUR user, no rate, edited to a past date: the refusal said
    "no net savings over the last three months" although the net savings had a pace; it names the missing rate."""
    from budgetwise.services import profile, rates

    today = dt.date(2026, 12, 5)
    rows = []
    for month in (8, 9, 10, 11):
        rows.append(DemoRow(dt.date(2026, month, 1), Decimal("2000.00"), "expense", "RENT", "Rent", "Checking"))
        rows.append(DemoRow(dt.date(2026, month, 25), Decimal("3000.00"), "income", "PAYROLL", "Salary", "Checking"))
    goal = goals.create_goal(session, user_id=alice.user_id, name="Trip", target="3000.00",
                             target_date=dt.date(2027, 6, 1), today=today)
    profile.update_profile(session, user_id=alice.user_id, currency="EUR")
    demo.seed_transactions(session, user_id=alice.user_id, rows=rows, currency="EUR")  # a pace of €1,000 a month
    alt = goals.date_alternatives(session, user_id=alice.user_id, remaining_minor=300000, goal_id=goal.id,
                                  today=today, currency="USD")
    assert alt.pace_per_month_minor is None and alt.missing_rate == "no USD → EUR rate for 2026-12-05"
    with pytest.raises(ValidationError) as err:
        goals.update_goal(session, user_id=alice.user_id, goal_id=goal.id, target_date=dt.date(2026, 11, 1), today=today)
    message = err.value.message
    assert "no net savings" not in message and "no USD → EUR rate for 2026-12-05" in message
    assert "Profile → Exchange rates" in message and "by 2027-06-05: $500.00 a month" in message
    rates.add_rate(session, principal=alice, date=today, base="EUR", quote="USD", rate="1.25")
    with pytest.raises(ValidationError) as err:
        goals.update_goal(session, user_id=alice.user_id, goal_id=goal.id, target_date=dt.date(2026, 11, 1), today=today)
    assert "$1,250.00 a month, from your net savings" in err.value.message
