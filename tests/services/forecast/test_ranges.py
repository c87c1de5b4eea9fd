"""Occasional series' ranges (session 10, 2026-12-05, docs/forecasting.md): a range that would read as certainty
("nothing, for sure") reaches at least the smallest period with spending before the origin."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from budgetwise.services import forecast as F
from budgetwise.services.forecast import backtest
from tests.services.forecast.test_services_forecast import household

D = dt.date


def _travel(monkeypatch, floor):
    monkeypatch.setattr(backtest, "OCCASIONAL_FLOOR", floor)
    df = household(D(2022, 1, 1), months=30, july_travel="900.00", seed=3)
    # a second, smaller trip in 2023 so that the smallest month with spending is not the usual one
    extra = pd.DataFrame([("2023-03-10", "250.00", "Travel", "expense", "TRAIN")],
                         columns=["date", "amount", "category", "type", "description"])
    return F.forecast_frame(pd.concat([df, extra], ignore_index=True), series="category:Travel", horizon=6,
                            as_of=D(2024, 6, 30))


def test_an_occasional_series_range_is_never_a_certain_nothing_once_it_had_spending(monkeypatch):
    before = _travel(monkeypatch, None)
    after = _travel(monkeypatch, "min")
    cols = ["yhat", "yhat_lower", "yhat_upper"]
    flat_before = (before.forecast["yhat_upper"] - before.forecast["yhat_lower"] <= 0).to_numpy()
    assert flat_before.any()  # the previous ranges: [0, 0] for the months without a trip last year
    # the forecast itself and its lower bounds are unchanged; only the certain-nothing ranges widen
    assert np.array_equal(before.forecast[["yhat", "yhat_lower"]].to_numpy(float),
                          after.forecast[["yhat", "yhat_lower"]].to_numpy(float))
    values = after.forecast[cols].to_numpy(float)
    assert (values >= 0).all() and np.isfinite(values).all()
    widened = after.forecast[flat_before]
    assert (widened["yhat_upper"] >= widened["yhat"] + 250.00 - 0.005).all()  # the smallest month with spending
    assert (after.forecast["yhat_upper"] > after.forecast["yhat_lower"]).all()
    # the backtest shown: a zero-width range only where no earlier month had spending
    t = after.backtest.table
    hist = after.history
    for _, row in t[t["upper"] - t["lower"] <= 0].iterrows():
        assert not (hist.loc[hist["ds"] <= row["origin"], "y"] > 0).any()
    assert after.backtest.coverage >= before.backtest.coverage


def test_frequent_series_ranges_are_unchanged(monkeypatch):
    df = household(D(2023, 1, 1), months=20, seed=4)
    monkeypatch.setattr(backtest, "OCCASIONAL_FLOOR", None)
    a = F.forecast_frame(df, series="category:Groceries", horizon=3)
    monkeypatch.setattr(backtest, "OCCASIONAL_FLOOR", "min")
    b = F.forecast_frame(df, series="category:Groceries", horizon=3)
    pd.testing.assert_frame_equal(a.forecast, b.forecast)
    pd.testing.assert_frame_equal(a.backtest.table, b.backtest.table)


def test_weekly_ranges_are_not_floored(monkeypatch):
    """Measured on monthly categories only: a weekly forecast keeps its conformal ranges."""
    df = household(D(2022, 1, 1), months=30, july_travel="900.00", seed=3)
    monkeypatch.setattr(backtest, "OCCASIONAL_FLOOR", None)
    a = F.forecast_frame(df, series="category:Travel", horizon=8, freq="week", as_of=D(2024, 6, 30))
    monkeypatch.setattr(backtest, "OCCASIONAL_FLOOR", "min")
    b = F.forecast_frame(df, series="category:Travel", horizon=8, freq="week", as_of=D(2024, 6, 30))
    pd.testing.assert_frame_equal(a.forecast, b.forecast)


def test_a_range_that_held_far_fewer_values_than_its_level_is_called_too_narrow():
    """Session 13 (new user, browser, 4½ months of history, weekly): "The 80 % range contained the actual value
    21 % of the time" stood without a word; now the verdict says the range was much too narrow. A few points
    short of the level (backtest noise) says nothing more."""
    from types import SimpleNamespace

    from budgetwise.services.forecast.types import MethodError

    ctx = SimpleNamespace(freq="week", history=SimpleNamespace(currency="EUR", locale="en_US"))
    methods = [MethodError("budgetwise", "BudgetWise forecast", 10.0, 20.0, 28),
               MethodError("mean3", "Mean of the last 3 months", 12.0, 25.0, 28)]
    narrow = backtest._verdict(methods, ctx, 0.21, 0.8)  # type: ignore[arg-type]
    assert "contained the actual value 21% of the time. On your history the range was much too narrow" in narrow
    for fine in (0.72, 0.8, 0.95):
        assert "too narrow" not in backtest._verdict(methods, ctx, fine, 0.8)  # type: ignore[arg-type]
    assert "too narrow" not in backtest._verdict(methods, ctx, None, 0.8)  # type: ignore[arg-type]
