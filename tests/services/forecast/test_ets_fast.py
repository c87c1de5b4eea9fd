"""The ETS candidate's fast path (``forecast/ets_fast.py``, session 11) is statsmodels' fit to the last bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from budgetwise.services.forecast import ets_fast
from budgetwise.services.forecast import statistical as S

statsmodels = pytest.importorskip("statsmodels")


def _statsmodels(y: np.ndarray, steps: int, error: str) -> np.ndarray:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(ETSModel(y, error=error).fit(disp=False).forecast(steps), dtype=float)


def _series() -> list[np.ndarray]:
    """Spending-like period totals of every length the backtest fits (4-40: both of statsmodels' starting
    rules), skewed, flat-ish with noise, mostly small with spikes, large amounts, cents."""
    rng = np.random.default_rng(17)
    out = []
    for i in range(60):
        n = int(rng.integers(4, 41))
        shape = i % 5
        if shape == 0:
            y = rng.gamma(2.0, 300.0, n)
        elif shape == 1:
            y = np.round(rng.lognormal(5.0, 1.2, n), 2)
        elif shape == 2:
            y = 1000 + np.round(rng.normal(0.0, 40.0, n), 2)
        elif shape == 3:
            y = np.round(rng.gamma(0.4, 80.0, n), 2) + 0.01
        else:
            y = rng.gamma(3.0, 2e6, n)
        out.append(y)
    return out


@pytest.fixture
def verified():
    if ets_fast._routines() is None:
        pytest.skip(f"ets_fast runs only on {sorted(ets_fast.VERIFIED)} (statsmodels, scipy); add a pair once this "
                    "test passes with the path forced on")


@pytest.mark.parametrize("error", ["mul", "add"])
def test_the_fast_fit_is_statsmodels_to_the_last_bit(verified, error):
    checked = 0
    for y in _series():
        fast = ets_fast.forecast(y, 3, error)
        assert fast is not None  # the ordinary path: converged, finite
        assert np.array_equal(fast, _statsmodels(y, 3, error)), (error, y)
        checked += 1
    assert checked == 60


def test_additive_errors_with_zero_months_and_the_candidates_agree(verified, monkeypatch):
    """Series with empty months (ETS(A,N,N) inside ``ets_mul``), and the candidates with the path on and off."""
    rng = np.random.default_rng(3)
    for n in (4, 7, 9, 10, 11, 24, 36):
        y = np.round(rng.gamma(0.6, 50.0, n), 2)
        y[rng.random(n) < 0.4] = 0.0
        y[0], y[-1] = 12.5, 0.0
        on = S.ets_mul(y, 6)
        monkeypatch.setattr(ets_fast, "ENABLED", False)
        off = S.ets_mul(y, 6), S.ets(y, 6)
        monkeypatch.setattr(ets_fast, "ENABLED", True)
        assert np.array_equal(on, off[0]) and np.array_equal(S.ets(y, 6), off[1])
        assert np.array_equal(on, _statsmodels(y, 6, "add" if (y <= 0).any() else "mul"))


def test_off_the_verified_versions_statsmodels_runs(monkeypatch):
    monkeypatch.setattr(ets_fast, "VERIFIED", frozenset())
    monkeypatch.setattr(ets_fast, "_state", {})
    y = np.array([120.0, 80.0, 95.5, 130.0, 101.0, 99.0])
    assert ets_fast.forecast(y, 3, "mul") is None
    assert np.array_equal(S.ets_mul(y, 3), _statsmodels(y, 3, "mul"))


@pytest.mark.parametrize("error", ["mul", "add"])
def test_weekly_lengths_are_statsmodels_to_the_last_bit(verified, error):
    """The weekly backtest fits series of a year to three years of weeks (session 17: the residuals' buffer)."""
    rng = np.random.default_rng(29)
    for n in (52, 61, 87, 104, 131, 156):
        y = np.round(rng.gamma(1.5, 120.0, n), 2) + 0.01
        y[rng.integers(0, n, 3)] *= 6.0  # rent weeks and one-offs
        fast = ets_fast.forecast(y, 8, error)
        assert fast is not None and np.array_equal(fast, _statsmodels(y, 8, error)), (error, n)
