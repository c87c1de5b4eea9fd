"""The cash-flow certainty floor on a young history (session 22, young22; issue #19): with fewer than
``YOUNG_ERRORS`` backtest errors the band comes from the month-to-month changes of the monthly net, and a history
whose changes are all exactly 0 gets ``conformal.certainty_floor(n)`` x today's level x sqrt(k) with n = those
changes (``conformal.CASHFLOW_FLOOR``); a young band with width never moves. Measured, not changed:
benchmarks/young_floor_check.py, docs/history/accounts.md "Session 22 ... (young22)"."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import cashflow_model as M
from budgetwise.services.forecast import conformal


@pytest.mark.parametrize("months", [3, 6, 8])
def test_a_young_steady_history_s_band_is_the_floor_by_its_changes(monkeypatch, months):
    nets = pd.Series([1800.0] * months)
    scores, steps = np.zeros(3), np.array([1, 2, 3])  # fewer than YOUNG_ERRORS: the young band
    monkeypatch.setattr(conformal, "CASHFLOW_FLOOR", False)
    off, how = M._band(scores, steps, 3, 180000.0, nets, conformal.conformal_offsets)
    assert how == "normal" and off == ((0, 0),) * 3
    monkeypatch.setattr(conformal, "CASHFLOW_FLOOR", True)
    on, _ = M._band(scores, steps, 3, 180000.0, nets, conformal.conformal_offsets)
    for k, (lo, hi) in enumerate(on, start=1):
        f = int(conformal.certainty_floor(months - 1) * 180000.0 * math.sqrt(k))
        assert (lo, hi) == (-f, f) and f > 0
    if months == 3:  # n = 2 changes: +- 66% of the level the first month
        assert abs(on[0][1] / 180000.0 - 0.6557) < 1e-3


def test_a_young_band_with_width_is_the_same_with_and_without_the_floor(monkeypatch):
    nets = pd.Series([1800.0, 1750.0, 1900.0, 1800.0])
    scores, steps = np.zeros(3), np.array([1, 2, 3])
    monkeypatch.setattr(conformal, "CASHFLOW_FLOOR", True)
    on = M._band(scores, steps, 3, 180000.0, nets, conformal.conformal_offsets)
    monkeypatch.setattr(conformal, "CASHFLOW_FLOOR", False)
    assert on == M._band(scores, steps, 3, 180000.0, nets, conformal.conformal_offsets)
    assert all(hi > 0 > lo for lo, hi in on[0])


def test_a_young_history_with_one_change_has_nothing_to_floor_by(monkeypatch):
    monkeypatch.setattr(conformal, "CASHFLOW_FLOOR", True)
    band, _ = M._band(np.zeros(0), np.zeros(0, dtype=int), 2, 180000.0, pd.Series([1800.0, 1800.0]),
                      conformal.conformal_offsets)
    assert band == ((0, 0),) * 2  # n < 2: nothing measured, no floor (and cashflow needs 3 months anyway)
