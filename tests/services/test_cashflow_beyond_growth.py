"""How the cash-flow band widens beyond the backtested months (session 24, cflow24): ``cashflow_model.BEYOND_GROWTH``
"sqrt" (sqrt(k / 3) from month 3) or "linear" (k / 3 from month 3) where the band at month 3 does not rest on that
month's own backtest errors (young histories); a band with its own month-3 errors keeps the square root."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import cashflow_model as M
from budgetwise.services.forecast.ensemble import conformal_offsets


def _nets() -> pd.Series:
    ends = [dt.date(2026, m, 28) for m in range(1, 7)]
    return pd.Series([100_00, 300_00, 200_00, 500_00, 400_00, 600_00], index=ends)


def test_the_linear_growth_is_on_with_the_young_one_offs_since_their_pre_registered_test_passed():
    """benchmarks/cashflow_beyond_check.py: alone, on seeds 2391-2450 young months 4-6 reached 72.2 / 69.3 / 67.1%, not
    each within 72-88% (B1, session 24); with the one-off allowance (benchmarks/cashflow_oneoff_check.py, session 25) on
    seeds 2511-2570 78.3 / 76.5 / 76.2% (O1-O7 held)."""
    assert M.BEYOND_GROWTH == "linear" and M.YOUNG_ONE_OFFS is True
    assert M.BEYOND_GROWTH in M.BEYOND_GROWTHS and "sqrt" in M.BEYOND_GROWTHS


@pytest.fixture
def _no_one_offs(monkeypatch):
    """The growth alone (the young band's one-off allowance, on since session 25, has its own tests)."""
    monkeypatch.setattr(M, "YOUNG_ONE_OFFS", False)


def test_beyond_month_three_the_growth_goes_on_in_proportion_to_the_months_or_with_the_square_root():
    for k in (1, 2, 3):  # the backtested months: the same growth whatever BEYOND_GROWTH says
        same = {float(M._growth(k, "shared", b)) for b in M.BEYOND_GROWTHS if b != "repeat"}
        assert len(same) == 1
    for k in (4, 6, 12):
        g3 = float(M._growth(3, "shared"))
        assert math.isclose(float(M._growth(k, "shared", "sqrt")), g3 * math.sqrt(k / 3))
        assert math.isclose(float(M._growth(k, "shared", "linear")), g3 * k / 3)
        assert math.isclose(float(M._growth(k, "shared", "repeat")), math.sqrt((k + k * k) / 2))
        assert float(M._growth(k, "shared", "linear")) > float(M._growth(k, "shared", "repeat")) \
            > float(M._growth(k, "shared", "sqrt"))
    assert math.isclose(float(M._growth(6, "sqrt", "sqrt")), math.sqrt(6))  # session 11's growth, unchanged
    assert np.allclose(M._growth(np.array([1, 3, 6]), "shared", "linear"), [1.0, math.sqrt(6), 2 * math.sqrt(6)])


@pytest.mark.usefixtures("_no_one_offs")
def test_a_young_band_widens_linearly_beyond_month_three_and_is_the_same_before(monkeypatch):
    nets = _nets()
    few = np.array([0.1] * (M.YOUNG_ERRORS - 1))
    bands = {}
    for beyond in ("sqrt", "linear"):
        monkeypatch.setattr(M, "BEYOND_GROWTH", beyond)
        bands[beyond], how = M._band(few, np.ones(len(few), dtype=int), 6, 1000.0, nets, conformal_offsets)
        assert how == "normal"
    assert bands["sqrt"][:3] == bands["linear"][:3]
    for k in (4, 5, 6):
        ratio = bands["linear"][k - 1][1] / bands["sqrt"][k - 1][1]
        assert abs(ratio - (k / 3) / math.sqrt(k / 3)) < 1e-3  # k/3 against sqrt(k/3): x1.15, x1.29, x1.41


@pytest.mark.usefixtures("_no_one_offs")
def test_a_pooled_band_widens_linearly_beyond_month_three_and_one_with_its_own_errors_keeps_the_square_root(
        monkeypatch):
    nets = pd.Series([100_00, -50_00] * 6, index=[dt.date(2025, m, 28) for m in range(1, 13)])
    steps = np.array([1, 2, 3] * 4 + [1, 2, 1])  # 15 errors, 4 at month 3: the pooled "scale" band
    scores = np.array([0.1, 0.6, 1.2, -0.2, -0.8, -1.5, 0.3, 0.9, 1.6, -0.1, -0.5, -1.1, 0.2, -0.7, 0.05])
    many = np.array([1, 2, 3] * 9)  # 9 errors at each month: month 3's band rests on its own errors
    s2 = np.linspace(-1.0, 1.0, len(many))
    monkeypatch.setattr(M, "BAND_RULE", "scale")
    monkeypatch.setattr(M, "HORIZON_GROWTH", "shared")
    got = {}
    for beyond in ("sqrt", "linear"):
        monkeypatch.setattr(M, "BEYOND_GROWTH", beyond)
        got[beyond] = (M._band(scores, steps, 6, 1000.0, nets, conformal_offsets)[0],
                       M._band(s2, many, 6, 1000.0, nets, conformal_offsets)[0])
    pooled_sqrt, pooled_lin = got["sqrt"][0], got["linear"][0]
    assert pooled_sqrt[:3] == pooled_lin[:3]
    for k in (4, 5, 6):
        assert abs(pooled_lin[k - 1][1] / pooled_lin[2][1] - k / 3) < 1e-3
        assert abs(pooled_sqrt[k - 1][1] / pooled_sqrt[2][1] - math.sqrt(k / 3)) < 1e-3
    assert got["sqrt"][1] == got["linear"][1]  # its own month-3 errors: untouched


@pytest.mark.usefixtures("_no_one_offs")
def test_fit_widens_only_a_young_historys_band_beyond_month_three(monkeypatch):
    """A 30-month history (its month-3 band rests on its own errors): the same band under both; a 6-month one (the
    young band): the same months 1-3, wider from month 4."""
    from tests.services.test_cashflow_model import _history

    bands = {}
    for months in (30, 6):
        history, _ = _history(months, noise=40.0)
        for beyond in ("sqrt", "linear"):
            monkeypatch.setattr(M, "BEYOND_GROWTH", beyond)
            bands[months, beyond] = M.fit(history, as_of=dt.date(2026, 6, 30), steps=6).band
    assert bands[30, "sqrt"] == bands[30, "linear"]
    assert bands[6, "sqrt"][:3] == bands[6, "linear"][:3]
    assert all(bands[6, "linear"][k][1] > bands[6, "sqrt"][k][1] for k in (3, 4, 5))
