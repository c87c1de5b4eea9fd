"""A gap month is not a one-off shortfall of a goal's chance (session 27, goal27; issue #17).

A month without any income or expense row of the user (a skipped import, a history that stops and resumes) has net
savings of 0, and ``goal_stats.one_off_shortfalls`` read it as a month that saved far less than its neighbours: a
one-off shortfall, which lowered the goal's chance and named the month on the Goals page. With
``goal_stats.ONE_OFF_SKIP_GAPS`` such a month (``ForecastResult.empty_months``) is neither a shortfall nor a month
looked at; a month that holds rows and saved exactly 0 still counts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services import goal_stats, goals
from budgetwise.services.demo import DemoRow, seed_transactions

WIGGLE = [37, -52, 18, -9, 61, -33, 4, -70, 25, 48, -16, 11, -41, 29, -3, 56, -22, 8, -64, 33, 15, -47, 2, 39]


def _history(gaps: list[int], zero: list[int] = ()) -> tuple[list[float], list[bool]]:
    """24 months of about +1,000 a month; ``gaps``: months without data (0), ``zero``: months that saved exactly 0."""
    y = [1000.0 + w for w in WIGGLE]
    for i in list(gaps) + list(zero):
        y[i] = 0.0
    return y, [i not in gaps for i in range(len(y))]


@pytest.mark.parametrize("where", [[0], [1, 2], [11], [12, 13, 14], [22], [23]], ids=["first", "second-third", "middle",
                                                                                     "middle-run", "before-last", "last"])
def test_a_gap_month_is_neither_a_shortfall_nor_a_month_looked_at(where):
    y, has = _history(where)
    before = goal_stats.one_off_shortfalls(y)
    assert before.months == 24 and before.sizes and set(before.at) <= set(where)  # the old reading: gaps are shortfalls
    found = goal_stats.one_off_shortfalls(y, has_data=has)
    assert found.sizes == () and found.at == ()
    assert found.months == 24 - len(where)


def test_a_real_month_of_zero_saving_still_counts_and_indexes_the_history():
    y, has = _history([3, 4], zero=[15])
    found = goal_stats.one_off_shortfalls(y, has_data=has)
    assert found.months == 22
    assert found.at == (15,) and round(found.sizes[0], -2) == 1000.0  # its index in the whole history, gaps included


def test_a_history_without_gaps_is_read_exactly_as_before():
    y, has = _history([], zero=[15])
    assert goal_stats.one_off_shortfalls(y, has_data=has) == goal_stats.one_off_shortfalls(y)
    assert goal_stats.goal_one_offs(y, has_data=has) == goal_stats.goal_one_offs(y)


def test_too_few_months_with_data_count_none():
    y, has = _history(list(range(0, 13)))  # 11 months with data: fewer than ONE_OFF_MIN_MONTHS
    assert goal_stats.one_off_shortfalls(y, has_data=has).sizes == ()
    assert goal_stats.one_off_shortfalls(y, has_data=has).months == 11


def _net(values: list[float], empty: tuple[dt.date, ...]) -> F.ForecastResult:
    months = [dt.date(2024 + m // 12, m % 12 + 1, 1) for m in range(len(values))]
    start = dt.date(2026, 1, 1)
    ds = [(pd.Timestamp(start) + pd.DateOffset(months=i)).date() for i in range(24)]
    fc = pd.DataFrame({"ds": ds, "yhat": [1000.0] * 24, "yhat_lower": [800.0] * 24, "yhat_upper": [1200.0] * 24,
                       "known": [0.0] * 24, "observed": [0.0] * 24})
    return F.ForecastResult(
        series="net", label="Net savings", freq="month", horizon=24, interval=0.8, currency="USD",
        as_of=start - dt.timedelta(days=1), history=pd.DataFrame({"ds": months, "y": values}), forecast=fc,
        backtest=None, known_flows=(), method="test", empty_months=empty,
    )


def _goal() -> goals.GoalView:
    return goals.GoalView(1, "Car", "USD", 1150000, dt.date(2026, 12, 31), 0, 0, False, dt.date(2026, 1, 1))


def test_the_goal_chance_and_words_skip_the_gap_months(monkeypatch):
    y, _ = _history([8, 9])
    empty = (dt.date(2024, 9, 1), dt.date(2024, 10, 1))
    with_gaps = goals.project_goal(_goal(), _net(y, empty))
    assert goal_stats.net_one_offs(_net(y, empty)).sizes == ()
    monkeypatch.setattr(goal_stats, "ONE_OFF_SKIP_GAPS", False)  # the old reading: two one-off shortfalls
    old = goals.project_goal(_goal(), _net(y, empty))
    assert len(goal_stats.net_one_offs(_net(y, empty)).sizes) == 2
    assert with_gaps.probability > old.probability
    assert "September 2024" in old.explanation and "September 2024" not in with_gaps.explanation, old.explanation
    # the forecast names no empty month: nothing is skipped (a month of zero saving with rows is a shortfall)
    monkeypatch.setattr(goal_stats, "ONE_OFF_SKIP_GAPS", True)
    assert len(goal_stats.net_one_offs(_net(y, ())).sizes) == 2


def _row(day: dt.date, amount: str, kind: str, description: str, category: str) -> DemoRow:
    return DemoRow(day, Decimal(amount), kind, description, category, "Checking")


def test_through_the_database_a_gap_is_empty_and_a_month_that_saved_nothing_is_not(db, session, alice):
    rows = []
    for i in range(26):
        day = dt.date(2023 + i // 12, i % 12 + 1, 1)
        if i in (9, 10):
            continue  # October and November 2023: no row at all
        income = "2500.00" if i != 17 else "1500.00"  # June 2024: income and expenses cancel to the cent
        rows.append(_row(day.replace(day=25), income, "income", "PAYROLL ACME", "Salary"))
        rows.append(_row(day.replace(day=3), "1000.00", "expense", "RENT", "Rent"))
        rows.append(_row(day.replace(day=12), f"{480 + WIGGLE[i % 24]}.00", "expense", "MARKET", "Groceries"))
        if i == 17:
            rows.append(_row(day.replace(day=12), f"{20 - WIGGLE[i % 24]}.00", "expense", "MARKET", "Groceries"))
    seed_transactions(session, user_id=alice.user_id, rows=rows)
    net = F.forecast_user(session, user_id=alice.user_id, series=F.SERIES_NET, horizon=24, freq="month")
    hist = dict(zip(net.history["ds"], net.history["y"]))
    assert hist[dt.date(2023, 10, 1)] == 0 and hist[dt.date(2024, 6, 1)] == 0
    assert net.empty_months == (dt.date(2023, 10, 1), dt.date(2023, 11, 1))
    found = goal_stats.net_one_offs(net)
    assert dt.date(2024, 6, 1) in found.when and dt.date(2023, 10, 1) not in found.when, found
    assert found.months == min(len(net.history), goal_stats.ONE_OFF_MONTHS) - 2  # the two gaps not looked at
