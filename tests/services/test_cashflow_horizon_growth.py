"""How the cash-flow band grows with the months ahead where no step's own errors say it (session 23, cf23):
``cashflow_model.HORIZON_GROWTH`` "sqrt" (months' errors independent) or "shared" (a repeated month's error, which
every month ahead shares)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import cashflow_model as M
from budgetwise.services.forecast.ensemble import conformal_offsets


@pytest.fixture(autouse=True)
def _session_23_rules(monkeypatch):
    """Session 23's growth beyond month 3 (the square root) and no one-off allowance: session 25 (cflow25) turned on
    "linear" and the young band's one-offs, tested in test_cashflow_beyond_growth.py / test_cashflow_young_one_offs.py."""
    monkeypatch.setattr(M, "BEYOND_GROWTH", "sqrt")
    monkeypatch.setattr(M, "YOUNG_ONE_OFFS", False)


def _nets() -> pd.Series:
    ends = [dt.date(2026, m, 28) for m in range(1, 7)]
    return pd.Series([100_00, 300_00, 200_00, 500_00, 400_00, 600_00], index=ends)


def test_the_growth_of_a_repeated_month_within_the_backtested_steps_and_the_square_root_beyond():
    assert M.HORIZON_GROWTH == "shared"  # on since its pre-registered test passed (session 23)
    for k in range(1, 8):
        assert math.isclose(float(M._growth(k, "sqrt")), math.sqrt(k))
    assert [round(float(M._growth(k, "shared")) ** 2, 9) for k in (1, 2, 3)] == [1.0, 3.0, 6.0]  # (k + k^2) / 2
    assert math.isclose(float(M._growth(6, "shared")), math.sqrt(6.0) * math.sqrt(2.0))  # from month 3: sqrt
    steps = np.array([1, 2, 3, 1])
    assert np.allclose(M._growth(steps, "shared"), [1.0, math.sqrt(3.0), math.sqrt(6.0), 1.0])


def test_repeating_last_month_the_error_grows_as_the_shared_growth_says():
    """The premise, by simulation: months of independent noise, each forecast by the month before repeated; the
    k-month cumulative error's spread over the one-month one is sqrt((k + k^2) / 2), not sqrt(k)."""
    x = np.random.default_rng(23).normal(0.0, 1.0, 200_000)
    t = np.arange(1, len(x) - 3)
    cum = {k: sum(x[t + j] for j in range(1, k + 1)) - k * x[t] for k in (1, 2, 3)}
    for k in (2, 3):
        ratio = float(np.std(cum[k]) / np.std(cum[1]))
        assert abs(ratio - float(M._growth(k, "shared"))) < 0.02
        assert ratio > float(M._growth(k, "sqrt")) + 0.2


def test_the_young_band_grows_by_the_chosen_growth_and_one_month_ahead_is_the_same(monkeypatch):
    nets = _nets()
    changes = np.diff(nets.to_numpy(dtype=float))
    half = M.T90[len(changes) - 1] * float(np.sqrt(np.mean(changes * changes)))
    few = np.array([0.1] * (M.YOUNG_ERRORS - 1))
    bands = {}
    for growth in M.HORIZON_GROWTHS:
        monkeypatch.setattr(M, "HORIZON_GROWTH", growth)
        band, how = M._band(few, np.ones(len(few), dtype=int), 5, 1000.0, nets, conformal_offsets)
        assert how == "normal"
        assert band == tuple((int(-half * float(M._growth(k, growth))), int(half * float(M._growth(k, growth))))
                             for k in range(1, 6))
        bands[growth] = band
    assert bands["sqrt"][0] == bands["shared"][0]
    assert all(bands["shared"][k][1] > bands["sqrt"][k][1] for k in range(1, 5))


def test_pooled_errors_are_normalised_by_the_growth_and_a_step_with_its_own_errors_keeps_them(monkeypatch):
    """The "scale" band (shipped since session 20): a step with fewer than MIN_SCALE_ERRORS of its own errors takes
    every step's errors, each divided by the growth of its step, times that of the step asked."""
    nets = pd.Series([100_00, -50_00] * 6, index=[dt.date(2025, m, 28) for m in range(1, 13)])
    steps = np.array([1, 2, 3] * 4 + [1, 2, 1])  # 15 errors: 6 one-month, 5 two-month, 4 three-month
    scores = np.array([0.1, 0.6, 1.2, -0.2, -0.8, -1.5, 0.3, 0.9, 1.6, -0.1, -0.5, -1.1, 0.2, -0.7, 0.05])
    monkeypatch.setattr(M, "BAND_RULE", "scale")
    for growth in M.HORIZON_GROWTHS:
        monkeypatch.setattr(M, "HORIZON_GROWTH", growth)
        g = M._growth(steps, growth)
        for k in (1, 2, 3):
            mae = float(np.mean(np.abs(scores) / g)) * float(M._growth(k, growth))
            half = M.Z80_MAE * math.sqrt(1.0 + 1.0 / len(scores)) * mae
            assert M._scale_offsets(scores, steps, k) == (-half, half)
    many = np.array([1, 2, 3] * 9)  # 9 of each step: every step its own errors, whatever the growth
    s2 = np.linspace(-1.0, 1.0, len(many))
    monkeypatch.setattr(M, "HORIZON_GROWTH", "shared")
    shared = M._band(s2, many, 3, 1000.0, nets, conformal_offsets)
    monkeypatch.setattr(M, "HORIZON_GROWTH", "sqrt")
    assert shared == M._band(s2, many, 3, 1000.0, nets, conformal_offsets)
