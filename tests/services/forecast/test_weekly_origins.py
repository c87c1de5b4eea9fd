"""A year of backtest origins at every frequency (session 14, helper weekly, docs/forecasting.md): the switch
``backtest.ORIGINS_A_YEAR`` gives a weekly series 52 origins and leaves a monthly series at its 12."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import api, backtest
from tests.services.forecast.test_services_forecast import household

D = dt.date


@pytest.mark.parametrize(("a_year", "month", "week"), [(False, 12, 12), (True, 12, 52)])
def test_origin_count_is_a_year_of_periods_when_switched_on(monkeypatch, a_year, month, week):
    monkeypatch.setattr(backtest, "ORIGINS_A_YEAR", a_year)
    assert backtest.origin_count("month") == month
    assert backtest.origin_count("week") == week


def _weekly(monkeypatch, a_year: bool) -> F.ForecastResult:
    monkeypatch.setattr(backtest, "ORIGINS_A_YEAR", a_year)
    df = household(D(2023, 1, 1), months=20, seed=4)
    return F.forecast_frame(df, freq="week", horizon=8)


def test_a_weekly_series_backtests_a_year_of_origins(monkeypatch):
    before, after = _weekly(monkeypatch, False), _weekly(monkeypatch, True)
    assert before.backtest.table["origin"].nunique() == 12
    assert after.backtest.table["origin"].nunique() == 52
    # a year of weekly origins: 52 dates a week apart, ending where the 12 ended
    origins = sorted(after.backtest.table["origin"].unique())
    assert origins[-1] == max(before.backtest.table["origin"])
    assert {(b - a).days for a, b in zip(origins, origins[1:])} == {7}
    for res in (before, after):
        values = res.forecast[["yhat", "yhat_lower", "yhat_upper"]].to_numpy(float)
        assert np.isfinite(values).all() and (values >= 0).all()
        assert (res.forecast["yhat_lower"] <= res.forecast["yhat"]).all()
        assert (res.forecast["yhat"] <= res.forecast["yhat_upper"]).all()
        assert (res.backtest.table["lower"] >= 0).all()


def test_the_origins_stop_at_the_minimum_history(monkeypatch):
    """A short weekly history keeps its origins from week 12 on (fewer than a year of them)."""
    monkeypatch.setattr(backtest, "ORIGINS_A_YEAR", True)
    df = household(D(2024, 1, 1), months=7, seed=5)
    res = F.forecast_frame(df, freq="week", horizon=4)
    weeks = len(res.history)
    assert res.backtest.table["origin"].nunique() == weeks - 1 - (F.MIN_HISTORY["week"] - 1)
    assert res.backtest.table["origin"].min() == res.history["ds"].iloc[F.MIN_HISTORY["week"] - 1] + dt.timedelta(days=6)


@pytest.mark.parametrize("series", ["expenses", "income", "net", "category:Groceries"])
def test_monthly_series_are_unchanged(monkeypatch, series):
    df = household(D(2022, 1, 1), months=30, seed=3)
    out = []
    for a_year in (False, True):
        monkeypatch.setattr(backtest, "ORIGINS_A_YEAR", a_year)
        out.append(F.forecast_frame(df, series=series, horizon=3))
    pd.testing.assert_frame_equal(out[0].forecast, out[1].forecast)
    pd.testing.assert_frame_equal(out[0].backtest.table, out[1].backtest.table)


def test_the_category_caches_are_keyed_by_the_origin_count(monkeypatch):
    hist = F.history_from_frame(household(D(2023, 1, 1), months=20, seed=4))
    keys = []
    for a_year in (False, True):
        monkeypatch.setattr(backtest, "ORIGINS_A_YEAR", a_year)
        keys.append((api._runs_key(hist, "expense", "week", 3, {}), api._runs_key(hist, "expense", "month", 3, {})))
    assert keys[0][0] != keys[1][0]  # weekly: a different count, a different key
    assert keys[0][1] == keys[1][1]  # monthly: 12 either way
