"""How a goal's chance reads the spread off the net-savings range (goal_stats.RANGE_READING, session 21, netwidth)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import goal_stats, goals
from budgetwise.services.forecast import conformal
from budgetwise.services.forecast.types import Backtest
from tests.services.test_services_goals import _net, _view

Z80 = NormalDist().inv_cdf(0.9)


def _table(per_step: dict[int, int]) -> pd.DataFrame:
    rows = [{"origin": i, "ds": None, "step": s, "actual": 0.0, "forecast": 0.0, "lower": 0.0, "upper": 0.0,
             "mean3": 0.0, "last_year": 0.0} for s, n in per_step.items() for i in range(n)]
    return pd.DataFrame(rows)


def _with_backtest(net, table: pd.DataFrame):
    bt = Backtest(steps=3, origins=12, points=len(table), methods=(), coverage=None, coverage_points=0, verdict="",
                  table=table)
    return dataclasses.replace(net, backtest=bt)


def test_nominal_reading_is_the_default_and_is_z_of_the_level():
    assert goal_stats.RANGE_READING == "nominal"
    z = goal_stats.range_z(_table({1: 12, 2: 11, 3: 10}), 6, 0.8)
    assert np.allclose(z, Z80)
    assert np.allclose(goal_stats.range_z(None, 4, 0.8, "expected"), Z80)  # no backtest: nominal


@pytest.mark.parametrize("n", [8, 9, 10, 11, 12, 13, 18, 19, 20, 33, 60])
def test_expected_reading_is_the_coverage_of_the_conformal_ranks(n):
    """The expected coverage of the split-conformal rule's ranks, checked against the rule itself on exchangeable
    draws: the range [s_lo, s_hi] of n scores holds a new one with probability (hi - lo) / (n + 1)."""
    z = goal_stats.range_z(_table({1: n}), 1, 0.8, "expected")[0]
    covered = 2 * NormalDist().cdf(z) - 1
    rng = np.random.default_rng(n)
    draws = rng.normal(size=(20000, n + 1))
    inside = []
    for row in draws:
        lo, hi = conformal.conformal_offsets(row[:n], 0.8)
        inside.append(lo <= row[n] <= hi)
    assert covered == pytest.approx(float(np.mean(inside)), abs=0.012)


def test_months_beyond_the_backtested_steps_use_the_last_steps_n_and_few_errors_pool():
    z = goal_stats.range_z(_table({1: 12, 2: 11, 3: 10}), 5, 0.8, "expected")
    assert z[0] > z[1] > z[2] > Z80 and z[3] == z[4] == z[2]  # n 12 / 11 / 10: 11/13, 10/12, 9/11
    assert 2 * NormalDist().cdf(z[0]) - 1 == pytest.approx(11 / 13)
    pooled = goal_stats.range_z(_table({1: 6, 2: 5, 3: 4}), 3, 0.8, "expected")  # 15 pooled: ranks 1 and 15
    assert np.allclose(pooled, NormalDist().inv_cdf(0.5 + 14 / 16 / 2))
    assert np.allclose(goal_stats.range_z(_table({1: 3, 2: 2}), 3, 0.8, "expected"), Z80)  # 5: nominal


def test_an_unknown_reading_is_refused():
    with pytest.raises(ValueError):
        goal_stats.range_z(_table({1: 12}), 1, 0.8, "wide")


def test_project_goal_reads_the_flag(monkeypatch):
    today = dt.date(2026, 3, 1)
    goal = _view(target=300000, saved=0, target_date=dt.date(2026, 8, 31), today=today)  # 6 months of 500 = 3000
    net = _with_backtest(_net(450.0, 200.0), _table({1: 12, 2: 11, 3: 10}))
    monkeypatch.setattr(goal_stats, "ONE_OFFS", False)
    monkeypatch.setattr(goal_stats, "ACCUMULATION", "pair")  # this fixture's errors are all 0 (scaled: halved until session 25)
    nominal = goals.project_goal(goal, net)
    monkeypatch.setattr(goal_stats, "RANGE_READING", "expected")
    expected = goals.project_goal(goal, net)
    assert expected.probability < nominal.probability < 0.5  # a narrower spread: further from an even chance
    for p in (nominal.probability, expected.probability):
        assert p is not None and math.isfinite(p)
    band = lambda pr: float((pr.chart["upper"] - pr.chart["expected"]).iloc[-1])  # noqa: E731
    assert band(expected) < band(nominal)  # the chart's band is the same spread
    monkeypatch.setattr(goal_stats, "RANGE_READING", "nominal")
    no_backtest = goals.project_goal(goal, _net(450.0, 200.0))
    assert no_backtest.probability == pytest.approx(nominal.probability)
