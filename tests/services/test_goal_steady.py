"""A goal's chance when every net backtest error is 0 (session 25, fc25; issue #17).

Net savings exactly the same every month (a salary and fixed bills): the backtest is right to the cent, the range is
the change floor's alone ("no change, or a measured change with chance h / (k + h)", ``conformal.change_floor``), and
the chance read it as a normal around the path: a goal of exactly the steady pace got 50% ("uncertain"), one a little
below it certainty while the floor was 0, and the 3-month sums' scale of all-zero errors was the least one (0.5).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services import goal_stats, goals
from tests.services.test_goal_accumulation import _table


@pytest.fixture(scope="module")
def steady():
    """36 months of a 3,000 salary and 2,000 rent: net savings 1,000 every month."""
    rows = []
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            rows.append({"date": dt.date(year, month, 25), "amount": 3000.0, "type": "income",
                         "description": "PAYROLL", "category": "Salary"})
            rows.append({"date": dt.date(year, month, 3), "amount": 2000.0, "type": "expense",
                         "description": "RENT", "category": "Rent"})
    return F.forecast_frame(pd.DataFrame(rows), series="net", horizon=24, freq="month")


def _chance(net, target: float, months: int) -> goals.GoalProjection:
    today = dt.date(2026, 1, 1)
    when = (pd.Timestamp(today) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()
    return goals.project_goal(goals.GoalView(1, "Car", "USD", int(target * 100), when, 0, 0, False, today), net)


def test_a_steady_savers_goal_at_their_own_pace_is_likely_not_an_even_chance(steady):
    bt = steady.backtest.table
    assert np.all(bt["actual"] == bt["forecast"])  # the fixture: every backtest error 0
    assert goal_stats.steady_run(steady) == (34, 1000.0)
    at_pace = _chance(steady, 12000.0, 12)  # 12 months of 1,000: exactly the path
    # no change with chance 34 / 46, else up or down alike: 0.739 + 0.261 / 2 (was 0.5, "uncertain")
    assert at_pace.probability == pytest.approx(34 / 46 + 12 / 46 / 2, abs=0.002)  # (11.96 months from 2 January)
    assert at_pace.words == "likely"
    below, above = _chance(steady, 11500.0, 12), _chance(steady, 12500.0, 12)
    assert at_pace.probability < below.probability < 1.0 and below.words == "very likely"
    assert 0.0 < above.probability < 0.15 and above.words == "unlikely"  # only a raise reaches it (was 21%)
    # 6 months: the floor has no width yet, but a change can still come (was "over 99%")
    six = _chance(steady, 5800.0, 6).probability
    assert 0.9 < six < 0.99


def test_the_steady_chance_falls_as_the_target_rises_and_is_never_nan():
    ps = [goal_stats.steady_chance(need, 12000.0, 12.0, 20, 1000.0) for need in np.linspace(0, 40000, 81)]
    assert all(math.isfinite(p) and 0.0 <= p <= 1.0 for p in ps)
    assert all(a >= b for a, b in zip(ps, ps[1:]))
    assert ps[0] > 0.99 and ps[-1] == 0.0  # (a change of 2.07 times the level turns the savings negative)
    assert goal_stats.steady_chance(12000.0, 12000.0, 12.0, 1000, 1000.0) > 0.99  # a long steady run: hardly a change


def test_any_backtest_error_or_a_history_that_moves_is_not_steady(steady):
    table = steady.backtest.table.copy()
    table.loc[table.index[3], "actual"] += 1.0  # one error of a unit
    moved = dataclasses.replace(steady, backtest=dataclasses.replace(steady.backtest, table=table))
    assert goal_stats.steady_run(moved) == (0, 0.0)
    hist = steady.history.copy()
    hist.loc[hist.index[-1], "y"] = 1001.0
    assert goal_stats.steady_run(dataclasses.replace(steady, history=hist)) == (0, 0.0)
    # without it, the normal around the path: an even chance at exactly the pace, as before
    assert _chance(moved, 12000.0, 12).probability == pytest.approx(0.5, abs=0.01)


def test_three_month_sums_all_right_to_the_cent_leave_the_paths_spread_as_it_is():
    table = _table(np.zeros((12, 3)))
    assert goal_stats.sum_scale(table, np.full(24, 50.0), 0.5, 0.8) == 1.0  # was the least scale, 0.5
    assert goal_stats.sum_scale(_table(np.full((12, 3), 0.001)), np.full(24, 50.0), 0.5, 0.8) == 1.0
    assert goal_stats.accumulation(table, np.full(24, 50.0), 0.8, how="scaled") == (0.5, 1.0)
