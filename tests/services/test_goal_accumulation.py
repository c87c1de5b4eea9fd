"""How a goal's months add up (goal_stats.ACCUMULATION, session 24, fc24): the correlation of the step-1 and step-2
errors ("pair") or the one that makes the backtest's own 2- and 3-month sums of errors as wide as they were ("sums")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import goal_stats, goals
from budgetwise.services.forecast.types import Backtest
from tests.services.test_services_goals import _net, _view


def _table(errors: np.ndarray) -> pd.DataFrame:
    """A backtest table whose origin i has the errors ``errors[i, step - 1]`` (actual - forecast); NaN: not scored."""
    rows = [{"origin": dt.date(2025, 1, 1) + dt.timedelta(days=31 * i), "ds": None, "step": s + 1,
             "actual": 1000.0 + e, "forecast": 1000.0, "lower": 0.0, "upper": 0.0, "mean3": 0.0, "last_year": 0.0}
            for i, row in enumerate(errors) for s, e in enumerate(row) if not math.isnan(e)]
    return pd.DataFrame(rows)


def _persistent(n: int = 12, seed: int = 1) -> np.ndarray:
    """Errors that keep their sign and size from month to month (a bias that changes from origin to origin)."""
    rng = np.random.default_rng(seed)
    level = rng.choice([-1.0, 1.0], n) * rng.uniform(150, 250, n)
    return level[:, None] + rng.normal(0, 10, (n, 3))


def _with_backtest(net, table: pd.DataFrame):
    bt = Backtest(steps=3, origins=12, points=len(table), methods=(), coverage=None, coverage_points=0, verdict="",
                  table=table)
    return dataclasses.replace(net, backtest=bt)


def test_errors_that_persist_add_up_as_correlated_months():
    table = _table(_persistent())
    assert goal_stats.sum_correlation(table) == pytest.approx(0.9)  # the sums grow like k: clipped at 0.9


def test_every_pair_of_steps_counts_not_only_the_first_two():
    rng = np.random.default_rng(4)
    a, b = rng.normal(0, 100, 40), rng.normal(0, 100, 40)
    errors = np.c_[a, b, a + b]  # steps 1 and 2 independent, the third carries both
    table = _table(errors)
    assert abs(goal_stats.error_correlation(table)) < 0.35
    assert goal_stats.sum_correlation(table) > goal_stats.error_correlation(table) + 0.2


def test_a_bias_every_origin_shares_is_not_read_as_correlation():
    errors = 300.0 + np.random.default_rng(5).normal(0, 100, (40, 3))  # the range's width holds the bias
    assert goal_stats.sum_correlation(_table(errors)) < 0.3


def test_independent_errors_add_up_as_independent_months():
    rng = np.random.default_rng(2)
    assert goal_stats.sum_correlation(_table(rng.normal(0, 100, (400, 3)))) < 0.05


def test_errors_that_offset_each_other_are_not_read_below_zero():
    e = np.array([[100.0, -100.0, 100.0], [-80.0, 80.0, -80.0]] * 6)  # a salary paid early, then late
    assert goal_stats.sum_correlation(_table(e)) == 0.0


TOO_LITTLE = [
    np.ones((7, 3)),  # fewer than MIN_SUM_ORIGINS with every step scored
    np.c_[np.ones(12), np.full(12, np.nan), np.full(12, np.nan)],  # one step only
    np.r_[np.ones((7, 3)), np.c_[np.ones((5, 2)), np.full(5, np.nan)]],  # 12 origins, 7 with every step
]


@pytest.mark.parametrize("errors", TOO_LITTLE)
def test_too_little_to_read_the_sums_from_gives_the_pair_rule_and_no_scaling(errors):
    table = _table(errors)
    assert goal_stats.sum_correlation(table) == goal_stats.error_correlation(table)
    assert goal_stats.sum_scale(table, np.full(24, 50.0), 0.3, 0.8) == 1.0
    for how in ("pair", "sums", "scaled"):
        rho, scale = goal_stats.accumulation(table, np.full(24, 50.0), 0.8, how=how)
        assert math.isfinite(rho) and 0.0 <= rho <= 0.9 and scale == 1.0
    assert goal_stats.sum_correlation(None) == goal_stats.DEFAULT_ERROR_CORRELATION
    assert goal_stats.accumulation(None, np.array([]), 0.8, how="scaled") == (goal_stats.DEFAULT_ERROR_CORRELATION, 1.0)


def test_errors_all_zero_read_the_pair_rule_and_no_scaling():
    table = _table(np.zeros((12, 3)))
    assert goal_stats.sum_correlation(table) == goal_stats.error_correlation(table) == 0.5
    # the least scale (0.5) until session 25: no width seen is not a narrower width (test_goal_steady.py)
    assert goal_stats.sum_scale(table, np.full(24, 50.0), 0.5, 0.8) == 1.0


def _spread_sums(half: float, n: int = 10) -> pd.DataFrame:
    """Origins whose 3-month sums of errors run evenly from -half to +half (the range's rule with 10: min and max)."""
    return _table(np.c_[np.linspace(-half, half, n), np.zeros(n), np.zeros(n)])


def test_the_scale_is_the_ranges_rule_on_three_month_sums_over_the_paths_width():
    z = 1.2815515655446004
    scale = goal_stats.sum_scale(_spread_sums(100.0), np.full(24, 50.0), 0.0, 0.8)
    assert scale == pytest.approx((100.0 / z) / (50.0 * math.sqrt(3)))  # 0.90: the sums were narrower
    with_rho = goal_stats.sum_scale(_spread_sums(100.0), np.full(24, 50.0), 0.5, 0.8)
    assert with_rho == pytest.approx((100.0 / z) / (50.0 * math.sqrt(3 + 0.5 * 6)))


def test_the_scale_is_never_more_than_halved_or_doubled_nor_read_from_a_path_of_no_width():
    lo, hi = goal_stats.SUM_SCALE_LIMITS
    assert goal_stats.sum_scale(_spread_sums(1.0), np.full(24, 50.0), 0.0, 0.8) == lo
    assert goal_stats.sum_scale(_spread_sums(1e6), np.full(24, 50.0), 0.0, 0.8) == hi
    assert goal_stats.sum_scale(_spread_sums(100.0), np.zeros(24), 0.0, 0.8) == 1.0
    assert goal_stats.sum_scale(_spread_sums(100.0), np.full(2, 50.0), 0.0, 0.8) == 1.0  # fewer months than steps


def test_the_flag_chooses_the_rule_and_refuses_an_unknown_one(monkeypatch):
    table, sd = _spread_sums(100.0), np.full(24, 50.0)
    monkeypatch.setattr(goal_stats, "ACCUMULATION", "pair")
    assert goal_stats.accumulation(table, sd, 0.8) == (goal_stats.error_correlation(table), 1.0)
    monkeypatch.setattr(goal_stats, "ACCUMULATION", "sums")
    assert goal_stats.accumulation(table, sd, 0.8) == (goal_stats.sum_correlation(table), 1.0)
    monkeypatch.setattr(goal_stats, "ACCUMULATION", "scaled")
    rho = goal_stats.error_correlation(table)
    assert goal_stats.accumulation(table, sd, 0.8) == (rho, goal_stats.sum_scale(table, sd, rho, 0.8))
    with pytest.raises(ValueError):
        goal_stats.accumulation(table, sd, 0.8, how="independent")


def test_the_path_is_scaled_as_a_whole():
    block = goal_stats.Block(dt.date(2026, 3, 1), dt.date(2026, 3, 31), 100.0, 40.0)
    plain = goal_stats.savings_path([block, block], 0.2)
    half = goal_stats.savings_path([block, block], 0.2, 0.5)
    assert half.cum_mean == plain.cum_mean
    assert half.cum_sd == pytest.approx(tuple(0.5 * x for x in plain.cum_sd))


def test_project_goal_with_narrow_three_month_sums_has_a_narrower_range_and_a_higher_chance_when_on_track(monkeypatch):
    net = _with_backtest(_net(500.0, 300.0), _spread_sums(300.0))  # sums within +-300: narrower than 3 months of 300
    goal = _view(target=400000, saved=0, target_date=dt.date(2027, 2, 28))  # 12 x 500 expected: on track
    monkeypatch.setattr(goal_stats, "ACCUMULATION", "pair")
    pair = goals.project_goal(goal, net)
    monkeypatch.setattr(goal_stats, "ACCUMULATION", "scaled")
    scaled = goals.project_goal(goal, net)
    assert 0.5 < pair.probability < scaled.probability
    width = (lambda p: float((p.chart["upper"] - p.chart["lower"]).iloc[-1]))
    assert width(scaled) < width(pair)
    before = (lambda p: p.explanation.split("Chance of reaching it by")[0])
    assert "Chance of reaching it by" in scaled.explanation and before(scaled) == before(pair)  # the words stay


@pytest.mark.parametrize("how", ["pair", "sums", "scaled"])
@pytest.mark.parametrize("months", [1, 2, 6, 12])
def test_short_histories_never_get_a_nan_chance(monkeypatch, how, months):
    monkeypatch.setattr(goal_stats, "ACCUMULATION", how)
    for net in (_net(200.0, 80.0), _with_backtest(_net(200.0, 80.0), _table(np.ones((months, 3)))),
                _with_backtest(_net(200.0, 0.0, months=2), _spread_sums(50.0))):
        p = goals.project_goal(_view(120000, 0, dt.date(2026, 10, 31)), net)
        assert p.probability is not None and math.isfinite(p.probability) and 0.0 <= p.probability <= 1.0
        assert np.isfinite(p.chart[["expected", "lower", "upper"]].to_numpy(dtype=float)).all()


def test_the_scale_shrunk_towards_one_by_its_origins():
    """Session 25 (fc25): ``shrink`` origins' worth of a prior at 1, on the log scale; fewer origins: closer to 1."""
    z = 1.2815515655446004
    ratio = (100.0 / z) / (50.0 * math.sqrt(3))
    sd = np.full(24, 50.0)
    assert goal_stats.sum_scale(_spread_sums(100.0), sd, 0.0, 0.8, shrink=10.0) == pytest.approx(ratio ** 0.5)
    twelve = goal_stats.sum_scale(_spread_sums(100.0, n=12), sd, 0.0, 0.8, shrink=10.0)  # the same min and max
    assert twelve == pytest.approx(ratio ** (12 / 22))
    assert ratio < twelve < ratio ** 0.5 < 1.0  # more origins: further from 1
    assert goal_stats.sum_scale(_spread_sums(100.0), sd, 0.0, 0.8, shrink=0.0) == pytest.approx(ratio)
    assert goal_stats.SUM_SCALE_SHRINK >= 0.0
