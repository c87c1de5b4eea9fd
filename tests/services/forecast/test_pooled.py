"""Evidence pooled across a user's categories (2026-12-05, issue #17): the pure pieces, the choice with a
prior, and one category alone giving the same numbers as within "all categories"."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import api, backtest
from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import pooled as P
from tests.services.forecast.test_ensemble import _records, _starts
from tests.services.forecast.test_services_forecast import household

D = dt.date
NAN = math.nan


# --------------------------------------------------------------------------- the pure pieces
def test_relative_errors_are_each_mean_over_the_mean_of_the_means():
    err = np.array([[1.0, 2.0, NAN], [3.0, 2.0, 5.0]])
    rel, n = P.relative_errors(err, min_points=2)
    # means 2, 2, (one point: not enough) -> relative 1, 1, NaN; two rows have a scored error
    assert rel[:2].tolist() == [1.0, 1.0] and math.isnan(rel[2]) and n == 2
    rel, _ = P.relative_errors(np.array([[1.0, 3.0]]), min_points=1)
    assert rel.tolist() == [0.5, 1.5]
    rel, _ = P.relative_errors(np.zeros((3, 2)), min_points=1)  # all perfect: all equal, no division by zero
    assert rel.tolist() == [1.0, 1.0]
    rel, n = P.relative_errors(np.full((0, 2), NAN), min_points=1)  # no rows
    assert np.isnan(rel).all() and n == 0


def test_the_pool_averages_the_series_and_is_prequential():
    days = np.array([D(2024, 1, 31)] * 2 + [D(2024, 2, 29)] * 2, dtype=object)
    ends = np.array([D(2024, 1, 31), D(2024, 2, 29), D(2024, 2, 29), D(2024, 3, 31)], dtype=object)
    a = np.array([[1.0, 3.0], [1.0, 3.0], [3.0, 1.0], [3.0, 1.0]])  # after February, candidate 2 wins
    b = np.array([[2.0, 2.0]] * 4)
    pooled = P.pool_evidence([(days, ends, a), (days, ends, b)], ("x", "y"), min_points=1)
    # at the January origin only the target ending then is known: a says x (0.5/1.5), b ties (1/1)
    assert np.allclose(pooled.at_day[D(2024, 1, 31)], [0.75, 1.25])
    # at the end, a's errors average 2 and 2: a tie, so the pool is (1, 1)
    assert np.allclose(pooled.final, [1.0, 1.0]) and pooled.series == 2
    assert np.allclose(pooled.prior(D(2024, 1, 31), ["y", "x", "z"])[:2], [1.25, 0.75])
    assert math.isnan(pooled.prior(D(2024, 1, 31), ["z"])[0]) and np.isnan(pooled.prior(D(2030, 1, 1), ["x"])).all()
    # a series with fewer than two rankable candidates does not count
    lonely = P.pool_evidence([(days, ends, np.c_[a[:, :1], np.full(4, NAN)])], ("x", "y"), min_points=1)
    assert np.isnan(lonely.final).all() and lonely.series == 0


def test_pooled_scores_shrink_toward_the_pool_by_k_over_n_plus_k():
    rel, prior = np.array([0.8, 1.2, NAN]), np.array([1.2, 0.8, 0.5])
    assert np.allclose(P.pooled_scores(rel, 6, prior, 0.0)[:2], [0.8, 1.2])
    assert np.allclose(P.pooled_scores(rel, 6, prior, 6.0)[:2], [1.0, 1.0])
    assert np.allclose(P.pooled_scores(rel, 6, prior, 18.0)[:2], [1.1, 0.9])
    # k = inf: the pooled figure, but only for candidates the series itself could rank
    inf = P.pooled_scores(rel, 6, prior, math.inf)
    assert np.allclose(inf[:2], [1.2, 0.8]) and math.isnan(inf[2])
    # no evidence of its own: the pool alone
    assert np.allclose(P.pooled_scores(np.full(3, NAN), 0, prior, 12.0), prior)
    assert P.best_by_score(np.array([0.9, NAN, 0.7, 0.9]), np.array([True, True, True, True]), 2) == [2, 0]
    assert P.best_by_score(np.array([0.9, 0.8]), np.array([True, False]), 2) == [0]


# --------------------------------------------------------------------------- the choice with a prior
def _series(seed: int = 3, n: int = 30) -> tuple[np.ndarray, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    y = 100 + rng.normal(0, 12, n)
    return y, _records(y, lambda past, s: past[-1])


def _pool_for(names: tuple[str, ...], favourite: tuple[str, ...]) -> P.Pooled:
    vec = np.array([0.5 if c in favourite else 1.5 for c in names])
    return P.Pooled(names, {}, vec, 5)


def test_a_strong_prior_decides_the_choice_and_k_zero_ignores_it():
    y, rec = _series()
    starts = _starts(len(y))
    cfg = replace(E.DEFAULT, pool=math.inf)
    names = cfg.candidates
    favourite = ("mean12", "blend", "last_year", "median_k")
    pooled = _pool_for(names, favourite)
    kw = dict(freq="month", model_final=np.full(3, y[-1]))
    plain = E.select(rec, y, starts, 3, config=replace(E.DEFAULT, occasional_rule=None), **kw)
    strong = E.select(rec, y, starts, 3, config=cfg, pooled=pooled, **kw)
    assert strong.choice.pooled and set(strong.choice.chosen) == set(favourite)
    assert strong.choice.errors == plain.choice.errors  # the series' own errors are still what is reported
    # pool = 0: the prior is not used (the shipped rule on the series' own evidence)
    off = E.select(rec, y, starts, 3, config=replace(E.DEFAULT, pool=0.0), pooled=pooled, **kw)
    assert not off.choice.pooled and off.choice.chosen == E.select(rec, y, starts, 3, **kw).choice.chosen
    # the same again gives the same (deterministic), and the backtest stays finite
    again = E.select(rec, y, starts, 3, config=cfg, pooled=pooled, **kw)
    assert again.choice == strong.choice and np.array_equal(again.final, strong.final)
    assert np.isfinite(strong.records["yhat"]).all() and np.isfinite(strong.final).all()


def test_occasional_series_keep_their_own_rule_with_a_pool():
    y = np.zeros(30)
    y[[4, 16, 28]] = 500.0
    rec = _records(y, lambda past, s: 0.0)
    starts = _starts(len(y))
    cfg = replace(E.DEFAULT, pool=12.0)
    got = E.select(rec, y, starts, 3, config=cfg, pooled=_pool_for(cfg.candidates, ("model",)), freq="month",
                   model_final=np.zeros(3))
    assert not got.choice.pooled and "model" not in got.choice.chosen


def test_a_negative_pool_is_refused():
    with pytest.raises(ValueError):
        replace(E.DEFAULT, pool=-1.0)
    with pytest.raises(ValueError):
        replace(E.DEFAULT, pool=math.nan)


# --------------------------------------------------------------------------- one category = within all categories
@pytest.fixture(params=[None, E.CHEAP_POOL], ids=["every-candidate-pool", "cheap-pool"])
def pooling(monkeypatch, request):
    """Pooling on (whatever the shipped k), with the pool of every candidate or the cheap pool (session 10),
    a cold cache before and after."""
    monkeypatch.setattr(E, "DEFAULT", replace(E.DEFAULT, pool=12.0, pool_candidates=request.param))
    _clear()
    yield request.param
    _clear()


def _clear() -> None:
    api._RUNS_CACHE.clear()
    api._POOL_CACHE.clear()


def _kept() -> int:
    """How many histories' evidence is kept (the runs of every category, or the cheap pool)."""
    return len(api._POOL_CACHE) if E.DEFAULT.pool_candidates is not None else len(api._RUNS_CACHE)


def _busy_household() -> pd.DataFrame:
    df = household(D(2023, 1, 1), months=26, july_travel="900.00", seed=11)
    rng = np.random.default_rng(5)
    extra = [(D(2023 + i // 12, i % 12 + 1, 12), f"{abs(rng.normal(120, 60)):.2f}", "Dining", "expense", f"CAFE {i}")
             for i in range(26)]
    extra += [(D(2023 + i // 12, i % 12 + 1, 20), f"{abs(rng.normal(60, 5)):.2f}", "Phone", "expense", f"TEL {i % 3}")
              for i in range(0, 26)]
    more = pd.DataFrame(extra, columns=["date", "amount", "category", "type", "description"]).assign(
        date=lambda d: d["date"].map(str))
    return pd.concat([df, more], ignore_index=True)


def _same(a: F.ForecastResult, b: F.ForecastResult) -> None:
    cols = ["yhat", "yhat_lower", "yhat_upper"]
    assert np.array_equal(a.forecast[cols].to_numpy(float), b.forecast[cols].to_numpy(float))
    assert a.method == b.method
    pd.testing.assert_frame_equal(a.backtest.table, b.backtest.table)


def test_one_category_gives_the_same_numbers_as_within_all_categories(pooling):
    h = F.history_from_frame(_busy_household(), as_of=D(2025, 2, 28))
    alone = {n: F.forecast_history(h, series=F.category_series(n), horizon=4) for n in ("Dining", "Travel")}
    assert _kept() == 1  # the second category reused the first one's evidence
    _clear()  # cold: all categories computed afresh
    every = {r.label: r for r in F.forecast_history_categories(h, horizon=4).results}
    assert set(every) == {"Dining", "Groceries", "Phone", "Rent", "Travel"}
    for name, result in alone.items():
        _same(result, every[name])
    assert "other categories" in every["Dining"].method  # the page says the choice pooled evidence
    # the frame path (CLI --input) is the same machinery
    _same(F.forecast_frame(_busy_household(), series="category:Dining", horizon=4, as_of=D(2025, 2, 28)),
          every["Dining"])


def test_pooling_with_one_two_or_empty_categories_is_finite(pooling):
    base = household(D(2023, 1, 1), months=20, seed=4, salary=None)
    one = base[base["category"] == "Groceries"]
    for frame, cats in ((one, ["Groceries"]), (base[base["category"].isin(["Groceries", "Rent"])], ["Groceries", "Rent"])):
        h = F.history_from_frame(frame, as_of=D(2024, 8, 31))
        out = F.forecast_history_categories(h, horizon=3)
        assert [r.label for r in out.results] == cats
        for r in out.results:
            values = r.forecast[["yhat", "yhat_lower", "yhat_upper"]].to_numpy(float)
            assert np.isfinite(values).all() and (values >= 0).all()
            _same(F.forecast_history(h, series=F.category_series(r.label), horizon=3), r)
    zeros = pd.DataFrame({"date": [f"2024-0{m}-03" for m in range(1, 8)], "amount": ["0.00"] * 7,
                          "category": ["Gifts"] * 7, "type": ["expense"] * 7, "description": ["X"] * 7})
    h = F.history_from_frame(pd.concat([one, zeros], ignore_index=True), as_of=D(2024, 8, 31))
    out = F.forecast_history_categories(h, horizon=3)
    for r in out.results:
        assert np.isfinite(r.forecast[["yhat", "yhat_lower", "yhat_upper"]].to_numpy(float)).all()
    assert {r.label for r in out.results} | {n for n, _ in out.skipped} >= {"Groceries"}


def test_the_cache_is_keyed_by_the_data(pooling):
    h = F.history_from_frame(_busy_household(), as_of=D(2025, 2, 28))
    F.forecast_history(h, series="category:Phone", horizon=3)
    F.forecast_history(h, series="category:Phone", horizon=3)
    assert _kept() == 1
    changed = _busy_household()
    changed.loc[changed["category"] == "Phone", "amount"] = "75.00"
    F.forecast_history(F.history_from_frame(changed, as_of=D(2025, 2, 28)), series="category:Phone", horizon=3)
    assert _kept() == 2
    # the texts kept with the runs (a category's "too little history") are in the user's date format
    assert api._fingerprint(replace(h, date_format="%d.%m.%Y")) != api._fingerprint(h)


def test_only_monthly_expense_categories_pool():
    assert api._pools("expense", "month") == (E.DEFAULT.pool > 0)
    assert not api._pools("income", "month") and not api._pools("expense", "week")


def test_the_cheap_pool_is_made_of_the_period_totals_alone(pooling):
    """The cheap pool's evidence of a category (from its period totals) is the one its model run gives, and
    one category alone does not compute the others' model runs (session 10)."""
    if pooling is None:
        pytest.skip("the pool of every candidate needs the model runs")
    h = F.history_from_frame(_busy_household(), as_of=D(2025, 2, 28))
    ctx, _ = api._prepare(h, "month", 3)
    flows = F._frame_flow_provider(h)(F.flow_dates(h, freq="month", horizon=3))
    for name in ("Dining", "Travel", "Rent"):
        sel = F._selection(h, F.category_series(name))
        run = backtest._run_series(ctx, sel, flows, 3)
        a = backtest._run_evidence(run, ctx, {}, config=E.DEFAULT)
        b = backtest._totals_evidence(ctx, sel, {}, config=E.DEFAULT)
        assert a[2].shape[1] == len(E.CHEAP_POOL)
        assert list(a[0]) == list(b[0]) and list(a[1]) == list(b[1])  # origin and target-end days
        assert np.array_equal(a[2], b[2], equal_nan=True)  # every reference candidate's errors
    F.forecast_history(h, series="category:Dining", horizon=3)
    assert len(api._RUNS_CACHE) == 0 and len(api._POOL_CACHE) == 1
