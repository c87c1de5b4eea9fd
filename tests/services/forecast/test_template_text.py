"""The method sentence says last year's template only where the forecast uses one, and "chosen by the backtest" only
when the backtest had the points to choose it (session 23, fc23; docs/history/forecasting.md)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from budgetwise.services import forecast as F
from budgetwise.services.forecast import model


def _history(months: int, seed: int = 3) -> pd.DataFrame:
    """Rent on the 1st (recurring), groceries most days with a December bump, travel now and then; ends 2026-06-30."""
    rng = np.random.default_rng(seed)
    end = dt.date(2026, 6, 30)
    start = (pd.Timestamp(end) - pd.DateOffset(months=months) + pd.Timedelta(days=1)).date()
    rows = []
    for d in pd.date_range(start, end):
        if d.day == 1:
            rows.append((d, 1200.0, "Rent", "expense", "Landlord"))
        level = 1 + 0.3 * math.cos(2 * math.pi * (d.day_of_year - 350) / 365.25)
        if rng.random() < 0.5:
            rows.append((d, round(level * rng.gamma(4, 15), 2), "Groceries", "expense", "Market"))
        if rng.random() < 0.02:
            rows.append((d, round(rng.gamma(3, 100), 2), "Travel", "expense", "Airline"))
    f = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])
    f["date"] = f["date"].dt.strftime("%Y-%m-%d")
    f["amount"] = f["amount"].map(lambda v: f"{v:.2f}")
    return F.parse_transactions(f)


def test_seasonal_tested_needs_three_points_with_a_year_before_them():
    assert not model.seasonal_tested(np.array([np.nan, 1.0, np.nan, 2.0]))
    assert model.seasonal_tested(np.array([np.nan, 1.0, 0.0, 2.0]))
    assert not model.seasonal_tested(np.array([]))


def test_no_year_of_history_no_template_named():
    result = F.forecast_frame(_history(9), horizon=2)
    assert "same month last year" not in result.method.split("seasonal model:")[-1]
    assert "1 recurring payment projected on its schedule" in result.method


def test_a_first_year_says_the_template_is_not_tested():
    result = F.forecast_frame(_history(13), horizon=2)  # 12 complete months: no backtest origin had a year before it
    assert "weight on the same month last year (not tested: too few of your backtest months had a year before them)" \
        in result.method
    assert "chosen by the backtest)" not in result.method.split("seasonal model:")[-1]


def test_a_tested_template_says_it_was_chosen_by_the_backtest():
    result = F.forecast_frame(_history(15), horizon=2)  # 14 complete months: 3+ backtest months had a year before
    assert "weight on the same month last year (chosen by the backtest)" in result.method
    assert "not tested" not in result.method
