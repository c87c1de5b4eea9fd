"""The second floor for forecast ranges of no width (``conformal.change_floor``, session 22, floor22; issue #17):
the 80% range of "no change, or a change of a measured size with chance h / (k + h)"; off by default (it failed its
pre-registered test, benchmarks/change_floor_decide.py), and only a range of no width ever moves. Session 22's
floor22b reads k from the history instead and ships it on (tests/services/forecast/test_change_run.py); these tests
keep floor22's reading, from the flag off."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import conformal


def _constant(months: int) -> pd.DataFrame:
    rows = []
    for d in pd.date_range(end="2026-06-01", periods=months, freq="MS"):
        rows.append((d.date().replace(day=5), 100.0, "Streaming", "expense", "Netflix"))
        rows.append((d.date().replace(day=10), 400.0, "Groceries", "expense", "Market"))
    return pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])


def _range(frame: pd.DataFrame) -> pd.DataFrame:
    return F.forecast_frame(frame, series="category:Streaming", horizon=3, as_of=dt.date(2026, 6, 30)).forecast


@pytest.fixture(autouse=True)
def _floor22(monkeypatch):
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", False)
    monkeypatch.setattr(conformal, "CHANGE_FLOOR_RUN", "errors")  # floor22's k: the exactly-right one-step errors


def test_the_mixture_range_is_the_point_while_a_change_is_at_most_a_one_in_five_chance():
    sizes = np.array(conformal.CHANGE_SIZES)
    assert conformal.change_floor(2, 1) == pytest.approx(np.quantile(sizes, 1 - 0.2 / (1 / 3)))  # chance 1/3
    assert conformal.change_floor(4, 1) == 0.0 and conformal.change_floor(12, 3) == 0.0  # chance 1/5: the point
    assert conformal.change_floor(11, 3) > 0.0  # 3/14 > 1/5
    assert conformal.change_floor(3, 1) < conformal.change_floor(2, 1)  # a longer run proves more
    assert conformal.change_floor(3, 1) < conformal.change_floor(3, 2) < conformal.change_floor(3, 3)  # further: wider
    assert conformal.change_floor(2, 3, on=False) == 0.0 and conformal.change_floor(1, 3) == 0.0


def test_each_step_uses_the_one_step_errors_as_the_run_and_its_own_horizon(monkeypatch):
    scores = np.zeros(12)
    scores[0] = np.nan
    steps = np.array([1] * 4 + [2] * 4 + [3] * 4)  # 3 finite one-step errors
    assert not conformal.certainty_floors(scores, steps, np.array([1, 2, 3]), 3).any()  # off: nothing
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    out = conformal.certainty_floors(scores, steps, np.array([1, 2, 3, 4]), 3)
    assert out == pytest.approx([conformal.change_floor(3, h) for h in (1, 2, 3, 4)])


def test_a_short_constant_category_gets_a_range_with_the_flag_and_none_without(monkeypatch):
    frame = _constant(10)
    off = _range(frame)
    assert (off["yhat_lower"] == off["yhat_upper"]).all()  # off: unchanged
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    on = _range(frame)
    assert (on["yhat"] == off["yhat"]).all()
    width = (on["yhat_upper"] - on["yhat_lower"]).to_numpy()
    assert (width > 0).all() and width[0] < width[1] <= width[2]  # wider further ahead
    assert (on["yhat_lower"] >= 0).all()


def test_a_long_constant_category_keeps_its_point_as_its_range_with_the_flag(monkeypatch):
    frame = _constant(24)
    off = _range(frame)
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    pd.testing.assert_frame_equal(_range(frame), off)  # a change within 3 months is at most a one-in-five chance


def test_a_category_with_width_is_unchanged_by_the_flag(monkeypatch):
    frame = _constant(12)
    rng = np.random.default_rng(3)
    streaming = frame["category"] == "Streaming"
    frame.loc[streaming, "amount"] = np.round(100 + rng.normal(0, 3, int(streaming.sum())), 2)
    off = _range(frame)
    assert (off["yhat_upper"] > off["yhat_lower"]).all()
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    pd.testing.assert_frame_equal(_range(frame), off)
