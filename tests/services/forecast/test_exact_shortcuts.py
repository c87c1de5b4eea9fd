"""Session 11's speed-ups of one category cold give the numbers of the forms they replaced, exactly
(docs/forecasting.md "Session 11"): each shortcut against the previous code, kept here as the reference."""

from __future__ import annotations

import copy
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import api, backtest, ets_fast, model
from budgetwise.services.forecast import ensemble as E
from tests.services.forecast.test_pooled import _busy_household, _same

D = dt.date


def _median_k_before(past: np.ndarray, steps: int, freq: str = "month") -> np.ndarray:
    """``median_k`` as it was until session 11 (np.median on windows, np.nanmean over the targets)."""
    y = np.asarray(past, dtype=float)
    n = len(y)
    if n == 0 or not np.isfinite(y).all():
        return np.full(steps, math.nan)
    week = freq == "week"
    ks = sorted({round(k * 52 / 12) if week else k for k in E.MEDIAN_KS})
    h, last = (13, 104) if week else (3, 24)
    origins = range(max(ks[0] - 1, n - 1 - last), n - 1)
    if not len(origins):
        return np.repeat(float(np.median(y[-ks[2]:])), steps)
    js = np.arange(origins.start, origins.stop)
    ahead = np.lib.stride_tricks.sliding_window_view(np.r_[y, np.full(h, np.nan)], h)[js + 1]
    err = []
    for k in ks:
        full = js >= k - 1
        med = np.empty(len(js))
        if full.any():
            med[full] = np.median(np.lib.stride_tricks.sliding_window_view(y, k)[js[full] - k + 1], axis=1)
        med[~full] = [np.median(y[: j + 1]) for j in js[~full]]
        err.append(float(np.nanmean(np.abs(ahead - med[:, None]), axis=1).sum()))
    return np.repeat(float(np.median(y[-ks[int(np.argmin(err))]:])), steps)


@pytest.mark.parametrize("freq", ["month", "week"])
def test_median_k_is_the_previous_form_to_the_last_bit(freq):
    rng = np.random.default_rng(11)
    for i in range(400):
        n = int(rng.integers(0, 130))
        y = [rng.gamma(2.0, 300.0, n), np.round(rng.lognormal(5.0, 1.0, n), 2), rng.integers(0, 4, n) * 25.0,
             np.zeros(n), rng.normal(0.0, 1.0, n)][i % 5]
        for steps in (1, 3):
            assert np.array_equal(E.median_k(y, steps, freq), _median_k_before(y, steps, freq), equal_nan=True)


def test_a_series_day_totals_are_the_frames_group_by():
    h = F.history_from_frame(_busy_household(), as_of=D(2025, 2, 28))
    ctx, _ = api._prepare(h, "month", 4)
    for series in ("category:Phone", "category:Dining", F.SERIES_EXPENSES, "income"):
        sel = model._selection(h, series)
        data = model._SeriesData(ctx, sel)
        rows = h.daily[h.daily["kind"] == sel.kind]
        if sel.category is not None:
            rows = rows[rows["category"] == sel.category]
        pos = {c: i for i, c in enumerate(data.cats)}
        y = np.zeros_like(data.Y)
        days = (rows["date"] - pd.Timestamp(ctx.start)).dt.days.to_numpy()
        ok = (days >= 0) & (days < ctx.n_obs)
        np.add.at(y, (rows["category"].map(pos).to_numpy()[ok], days[ok]),
                  rows["amount_minor"].to_numpy(dtype=float)[ok] / ctx.scale)
        assert np.array_equal(data.Y, y)
        m = h.merchants[(h.merchants["kind"] == sel.kind) & h.merchants["category"].isin(pos)]
        groups = {str(k): g for k, g in m.groupby("key", sort=False)}
        assert list(data.by_key) == list(groups) and groups
        for key, g in groups.items():
            days = (g["date"] - pd.Timestamp(ctx.start)).dt.days.to_numpy()
            ok = (days >= 0) & (days < ctx.n_obs)
            want = (g["category"].map(pos).to_numpy()[ok], days[ok], g["amount_minor"].to_numpy(dtype=float)[ok]
                    / ctx.scale)
            assert all(np.array_equal(a, b) for a, b in zip(data.by_key[key], want))


def test_the_prequential_seasonal_weights_are_the_frames():
    h = F.history_from_frame(_busy_household(), as_of=D(2025, 2, 28))
    ctx, _ = api._prepare(h, "month", 4)
    flows = F._frame_flow_provider(h)(F.flow_dates(h, freq="month", horizon=4))
    for series in ("category:Groceries", "category:Dining", F.SERIES_EXPENSES):
        run = backtest._run_series(ctx, model._selection(h, series), flows, 4)
        rec = run.records
        yhat = np.zeros(len(rec))
        for origin_day, idx in rec.groupby("origin_day").groups.items():  # the previous form, on frames
            w = model._choose_weight(rec[rec["target_end"] <= origin_day])
            rows = rec.loc[idx]
            yhat[rec.index.get_indexer(idx)] = model._combine(
                rows["level"].to_numpy(), rows["seasonal"].to_numpy(), rows["known"].to_numpy(), w)
        assert np.array_equal(rec["yhat"].to_numpy(), yhat) and len(rec)
        assert run.weight == model._choose_weight(rec)


def test_one_category_is_the_same_with_statsmodels_itself(monkeypatch):
    """The whole product (pooled evidence of every category) with the ETS fit by statsmodels: the same figures."""
    pytest.importorskip("statsmodels")
    h = F.history_from_frame(_busy_household(), as_of=D(2025, 2, 28))
    api._RUNS_CACHE.clear()
    fast = F.forecast_history(h, series="category:Dining", horizon=4)
    api._RUNS_CACHE.clear()
    monkeypatch.setattr(ets_fast, "ENABLED", False)
    try:
        _same(fast, F.forecast_history(h, series="category:Dining", horizon=4))
    finally:
        api._RUNS_CACHE.clear()


def _backtest_bounds_before(rec: pd.DataFrame, ctx, interval: float) -> tuple[np.ndarray, np.ndarray]:
    """The prequential intervals of ``backtest._backtest_bounds`` as they were until session 14 (per origin on the
    frame: groupby, iloc), before its clipping."""
    steps = backtest.BACKTEST_STEPS[ctx.freq]
    lower, upper = np.full(len(rec), np.nan), np.full(len(rec), np.nan)
    scores_all = ((rec["actual"] - rec["yhat"]) / rec["scale"]).to_numpy()
    scores_all = np.where(rec["level_ok"].to_numpy(dtype=bool), scores_all, np.nan)
    steps_all = rec["step"].to_numpy(dtype=int)
    for origin_day, idx in rec.groupby("origin_day").groups.items():
        pos = rec.index.get_indexer(idx)
        known = (rec["target_end"] <= origin_day).to_numpy()
        rows = rec.iloc[pos]
        lower[pos], upper[pos], _ = backtest._intervals(
            rows["yhat"].to_numpy(), rows["sigma"].to_numpy(), rows["scale"].to_numpy(), scores_all[known],
            steps_all[known], rows["step"].to_numpy(dtype=int), steps, interval,
            score_periods=rec["target_end"].to_numpy()[known],  # conformal.SHORT_RANGE (session 22)
        )
    return lower, upper


@pytest.mark.parametrize("freq,horizon", [("month", 4), ("week", 8)])
def test_the_backtest_intervals_per_origin_are_the_frames(freq, horizon):
    """Session 14 (wkspeed): the backtest's prequential intervals on arrays give the frame form's numbers exactly."""
    h = F.history_from_frame(_busy_household(), as_of=D(2025, 2, 28))
    ctx, _ = api._prepare(h, freq, horizon)
    flows = F._frame_flow_provider(h)(F.flow_dates(h, freq=freq, horizon=horizon))
    for series in ("category:Groceries", "category:Phone", F.SERIES_EXPENSES):
        run = backtest._run_series(ctx, model._selection(h, series), flows, horizon)
        for interval in (0.8, 0.5):
            rec = run.records.copy()
            lower, upper = _backtest_bounds_before(rec.copy(), ctx, interval)
            backtest._backtest_bounds(rec, run, ctx, interval, clip=False)
            want_lo = np.minimum(lower, rec["yhat"].to_numpy())
            want_hi = np.maximum(upper, rec["yhat"].to_numpy())
            assert len(rec) and np.array_equal(rec["lower"].to_numpy(), want_lo, equal_nan=True)
            assert np.array_equal(rec["upper"].to_numpy(), want_hi, equal_nan=True)


def _weekly_household() -> pd.DataFrame:
    """The busy household plus a monthly grocery-box subscription: a weekly, not occasional category with a recurring
    payment (what K changes)."""
    df = _busy_household()
    box = pd.DataFrame([(D(2023 + i // 12, i % 12 + 1, 3), "45.00", "Groceries", "expense", "FARMBOX") for i in range(26)],
                       columns=["date", "amount", "category", "type", "description"])
    box["date"] = box["date"].astype(str)
    return pd.concat([df, box[df.columns]], ignore_index=True)


@pytest.mark.parametrize("known", [False, True])
def test_weekly_categories_are_the_same_without_the_pools_evidence(monkeypatch, known):
    """Session 17 (wkspeed): a kind that does not pool (weekly categories) computes no pool evidence in this process
    (its choice computes the candidates it needs): the same forecasts as with the evidence computed, off and K."""
    from dataclasses import replace

    h = F.history_from_frame(_weekly_household(), as_of=D(2025, 2, 28))
    monkeypatch.setattr(E, "DEFAULT", replace(E.DEFAULT, week_known=known))
    assert not api._pools("expense", "week") and api._pools("expense", "month")
    got = {}
    for pools in (False, True):  # True: the evidence as before session 17 (it filled the memo the choice reuses)
        monkeypatch.setattr(api, "_pools", lambda kind, freq, on=pools: on)
        api._RUNS_CACHE.clear()
        runs = api._category_runs(h, "expense", "week", 8, F._frame_flow_provider(h)(
            F.flow_dates(h, freq="week", horizon=8)))
        assert all(bool(m) == pools for m in runs.memos.values())  # no candidate computed before the choice
        ctx, _ = api._prepare(h, "week", 8)
        got[pools] = {n: api._pooled_result(copy.copy(runs.runs[n]), runs.memos[n], None, ctx, F.category_series(n),
                                            8, 0.8) for n in runs.runs}
    api._RUNS_CACHE.clear()
    assert set(got[False]) == {"Dining", "Groceries", "Phone", "Rent", "Travel"}
    assert ("without the recurring payments" in got[False]["Groceries"].method) == known  # K applied where it acts
    for name, result in got[False].items():
        _same(result, got[True][name])
