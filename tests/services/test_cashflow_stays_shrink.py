"""Session 27 (cf27): ``cashflow_model.SHRINK_TO_STAYS``, the projection moved half-way towards "the balance stays"
where the history's own backtest says the chosen rule did not beat it one month ahead (lumpy income;
benchmarks/cashflow_lumpy_check.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import cashflow_model as M
from budgetwise.services import forecast as F
from tests.services.test_cashflow_model import _history

ENDS = list(pd.date_range("2024-01-31", periods=14, freq="ME").date)


def _runs(preds: list[float], actual: list[float]) -> tuple[dict, dict]:
    """A backtest as ``fit`` keeps it: per origin (scale, {rule: cumulative forecasts}, cumulative actuals)."""
    runs = {o: (1.0, {"median": [p], "model": [p]}, [a]) for o, p, a in zip(ENDS, preds, actual)}
    return runs, {o: "median" for o in runs}


def test_no_weight_before_six_earlier_origins_or_where_the_rule_beat_stays(monkeypatch):
    monkeypatch.setattr(M, "STAYS_WEIGHT", "half")
    lumpy = [3000.0 if i % 3 == 0 else -1500.0 for i in range(14)]
    runs, rules = _runs([800.0] * 14, lumpy)
    w = M._stays_weights(runs, rules, 12)
    assert min(w) == ENDS[M.MIN_CHOICE_ERRORS]  # the first origin with six earlier ones
    assert set(w.values()) == {0.5}
    steady = [1000.0 + (30 if i % 2 else -30) for i in range(14)]
    runs, rules = _runs([1000.0] * 14, steady)
    assert M._stays_weights(runs, rules, 12) == {}  # the rule beat "stays": nothing moves
    assert M._stays_weights(*_runs([800.0] * 14, lumpy), None) == {}  # a fixed rule (choose=None): nothing


def test_the_fitted_weight_minimises_the_backtests_absolute_errors(monkeypatch):
    monkeypatch.setattr(M, "STAYS_WEIGHT", "fitted")
    lumpy = [3000.0 if i % 3 == 0 else -1500.0 for i in range(14)]
    runs, rules = _runs([1000.0] * 14, lumpy)
    w = M._stays_weights(runs, rules, 12)
    o = ENDS[-1]
    before = [x for x in ENDS if x < o][-12:]
    grid = np.linspace(0.0, 1.0, 101)
    loss = [sum(abs(runs[x][2][0] - g * 1000.0) for x in before) for g in grid]
    assert min(loss) == pytest.approx(sum(abs(runs[x][2][0] - w[o] * 1000.0) for x in before))
    assert min(w.values()) >= 0.0 and max(w.values()) <= 1.0


def test_a_steady_salaried_history_is_untouched(monkeypatch):
    history, _ = _history(30)
    fits = {}
    for on in (False, True):
        monkeypatch.setattr(M, "SHRINK_TO_STAYS", on)
        fits[on] = M.fit(history, as_of=history.as_of, steps=4)
    assert fits[True] == fits[False]


def _lumpy_history(months: int = 30, end: dt.date = dt.date(2026, 6, 30)):
    rng = np.random.default_rng(11)
    rows = []
    day = (end.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    while day <= end:
        if day.day == 1:
            rows.append((day, 1200.0, "Rent", "expense", "LANDLORD"))
        if day.day % 3 == 0:
            rows.append((day, round(40.0 + rng.normal(0, 10), 2), "Groceries", "expense", "SHOP"))
        if rng.random() < 0.02:  # invoices paid on no schedule
            rows.append((day, round(float(rng.uniform(2000, 9000)), 2), "Income", "income", f"CLIENT {day.day}"))
        day += dt.timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])
    frame["date"], frame["amount"] = frame["date"].astype(str), frame["amount"].astype(str)
    return F.history_from_frame(F.parse_transactions(frame, currency="USD"), currency="USD", as_of=end)


def test_where_the_model_did_not_beat_stays_each_whole_months_net_is_halved(monkeypatch):
    history = _lumpy_history(end=dt.date(2026, 3, 31))  # its rule there: the model alone, +1,226.97 a month
    monkeypatch.setattr(M, "STAYS_WEIGHT", "half")
    fits = {}
    for on in (False, True):
        monkeypatch.setattr(M, "SHRINK_TO_STAYS", on)
        fits[on] = M.fit(history, as_of=history.as_of, steps=3, flows=())
    assert fits[True].rule == fits[False].rule
    # no known items (flows=()): a month's net is its "other"; halved, every month, the band recalibrated
    assert all(abs(on - 0.5 * off) <= 1 for on, off in zip(fits[True].month_other, fits[False].month_other))
    assert fits[True].rule == "model" and fits[False].month_other[0] > 100_000
    assert fits[True].band != fits[False].band
