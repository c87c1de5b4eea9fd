"""The measured-change floor's run read from the history (``conformal.CHANGE_FLOOR_RUN = "history"``, session 22,
floor22b; benchmarks/change_run_decide.py): k = the months the total has stood exactly constant up to the origin (not the
backtest's one-step errors), in the final range and per origin in the backtest."""

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
        rows.append((d.date().replace(day=1), 50.0, "Rent", "expense", "Landlord"))  # the history starts on the 1st
        rows.append((d.date().replace(day=5), 100.0, "Streaming", "expense", "Netflix"))
    return pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])


def _result(frame: pd.DataFrame):
    return F.forecast_frame(frame, series="category:Streaming", horizon=3, as_of=dt.date(2026, 6, 30))


def test_the_constant_run_counts_back_from_the_last_total():
    assert conformal.constant_run(np.array([5.0, 7.0, 7.0, 7.0])) == 3
    assert conformal.constant_run(np.array([7.0, 7.0])) == 2
    assert conformal.constant_run(np.array([7.0, 7.0, 8.0])) == 1
    assert conformal.constant_run(np.array([0.1 + 0.2, 0.3, 0.3])) == 3  # float sums of the same amounts
    assert conformal.constant_run(np.array([3.0, 0.0, 0.0])) == 0  # a run of nothing: not measured
    assert conformal.constant_run(np.array([])) == 0


def test_k_is_the_run_not_the_errors(monkeypatch):
    scores, steps = np.zeros(9), np.array([1] * 3 + [2] * 3 + [3] * 3)  # 3 exactly-right one-step errors
    wanted = np.array([1, 2, 3])
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", False)
    assert not conformal.certainty_floors(scores, steps, wanted, 3, 10).any()  # off: nothing
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    on = conformal.certainty_floors(scores, steps, wanted, 3, 10)
    assert on == pytest.approx([conformal.change_floor(10, h) for h in (1, 2, 3)])
    assert not conformal.certainty_floors(scores, steps, wanted, 3, 1).any()  # not constant: outside the model
    monkeypatch.setattr(conformal, "CHANGE_FLOOR_RUN", "errors")
    assert conformal.certainty_floors(scores, steps, wanted, 3, 10) == pytest.approx(
        [conformal.change_floor(3, h) for h in (1, 2, 3)])


def test_a_ten_month_constant_category_is_read_as_ten_months(monkeypatch):
    frame = _constant(10)
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", False)
    off = _result(frame).forecast
    assert (off["yhat_lower"] == off["yhat_upper"]).all()  # off: the claim of certainty
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    on = _result(frame).forecast
    assert (on["yhat"] == off["yhat"]).all()
    half = ((on["yhat_upper"] - on["yhat_lower"]) / 2).to_numpy()
    # k = 10: a change by month 1 / 2 is at most a one-in-five chance (the point), by month 3 3/13
    assert half == pytest.approx([0.0, 0.0, 100 * conformal.change_floor(10, 3)], abs=0.01)
    monkeypatch.setattr(conformal, "CHANGE_FLOOR_RUN", "errors")  # floor22's k (4 errors): +-40% / 63% at 2 / 3
    assert ((_result(frame).forecast["yhat_upper"] - off["yhat_upper"])[1:] > 30).all()


def test_the_backtest_reads_the_run_at_each_origin(monkeypatch):
    frame = _constant(12)  # July 2025 - June 2026
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    table = _result(frame).backtest.table
    assert (table["forecast"] == 100).all() and len(table)
    for origin, rows in table.groupby("origin"):
        k = sum(d <= origin for d in pd.date_range("2025-07-01", "2026-06-01", freq="MS").date)  # months up to it
        half = ((rows["upper"] - rows["lower"]) / 2).to_numpy()
        assert half == pytest.approx([100 * conformal.change_floor(k, int(h)) for h in rows["step"]], abs=0.01)
    assert (table["upper"] > table["lower"]).any()  # the first origin (6 months) is floored 2 and 3 months ahead


def test_a_category_with_width_is_unchanged(monkeypatch):
    frame = _constant(12)
    streaming = frame["category"] == "Streaming"
    frame.loc[streaming, "amount"] = np.round(100 + np.random.default_rng(3).normal(0, 3, int(streaming.sum())), 2)
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", False)
    off = _result(frame).forecast
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", True)
    pd.testing.assert_frame_equal(_result(frame).forecast, off)


def test_a_long_constant_category_keeps_its_point_and_the_backtest_its_first_origins_range(monkeypatch):
    frame = _constant(24)
    on = _result(frame)
    monkeypatch.setattr(conformal, "FORECAST_CHANGE_FLOOR", False)
    off = _result(frame)
    pd.testing.assert_frame_equal(on.forecast, off.forecast)  # k = 24: a change by month 3 is 1 in 9
    assert (on.backtest.table["upper"] >= off.backtest.table["upper"]).all()  # origins from 12 months: the point
    assert (on.backtest.table == off.backtest.table).all().all()


def test_the_default_is_the_pre_registered_verdict():
    assert conformal.FORECAST_CHANGE_FLOOR is True  # passed on seeds 2121-2150 (benchmarks/change_run_decide.py)
    assert conformal.CHANGE_FLOOR_RUN == "history"
