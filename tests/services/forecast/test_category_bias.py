"""Session 18 (fcbias, issue #17): the options measured against the low bias of monthly category forecasts — the
categories' own ranking error (``Config.cat_score``) and their own level correction (``Config.cat_level_*``).
Both apply only to a monthly series ranked with a pool (the user's expense categories)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import level as L
from budgetwise.services.forecast import pooled as P
from tests.services.forecast.test_ensemble import _records, _starts


def _rows(actual: list[float], scale: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame({"actual": actual, "scale": [scale] * len(actual)})


def test_the_squared_and_symmetric_errors():
    rec = _rows([100.0, 0.0, 50.0])
    pred = np.array([[80.0], [0.0], [100.0]])
    assert np.allclose(E._scaled_errors(pred, rec, "squared")[:, 0], [0.04, 0.0, 0.25])
    sape = E._scaled_errors(pred, rec, "sape")[:, 0]
    assert sape[0] == pytest.approx(20 / 90) and math.isnan(sape[1]) and sape[2] == pytest.approx(50 / 75)
    # the APE's pull: a forecast 20% low costs 0.2, one 20% high 0.2 too, but against a low actual the high one
    # costs more; the symmetric error and the squared one do not favour the low forecast in the same way
    assert E._scaled_errors(np.array([[80.0]]), _rows([100.0]), "sape")[0, 0] > \
        E._scaled_errors(np.array([[120.0]]), _rows([100.0]), "sape")[0, 0]
    with pytest.raises(ValueError):
        E.Config(cat_score="mode")


def test_the_sum_level_counts_the_periods_forecast_at_zero():
    a = np.array([0.0, 300.0, 100.0, 100.0, 500.0])
    f = np.array([100.0, 100.0, 100.0, 100.0, 0.0])
    o = np.array([1, 1, 2, 2, 3])
    assert L.factor(a, f, o, 0.0, "mean") == pytest.approx(500 / 400)  # the zero forecast left out
    assert L.factor(a, f, o, 0.0, "sum") == pytest.approx(2.0)  # 1000 / 400, capped at x2
    assert L.factor(a, np.zeros(5), o, 0.0, "sum") == 1.0  # nothing forecast: nothing to scale


def _skewed(n: int = 30, seed: int = 5) -> tuple[np.ndarray, pd.DataFrame]:
    """A category whose months are right-skewed (mostly ~100, every fourth ~250): median below mean."""
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(n) % 4 == 3, 250.0, 100.0) * rng.uniform(0.9, 1.1, n)
    return y, _records(y, lambda past, s: float(np.median(past[-6:])))


def _pool(names: tuple[str, ...]) -> P.Pooled:
    return P.Pooled(names, {}, np.ones(len(names)), 5)


def test_the_category_options_apply_only_with_a_pool_and_are_off_by_default():
    y, rec = _skewed()
    starts, kw = _starts(len(y)), dict(freq="month", model_final=np.full(3, float(np.median(y[-6:]))))
    assert E.DEFAULT.cat_score is None and E.DEFAULT.cat_level_prior == 0.0
    pool = _pool(E.DEFAULT.candidates)
    base = E.select(rec, y, starts, 3, pooled=pool, **kw)
    for cfg in (replace(E.DEFAULT, cat_score="squared"), replace(E.DEFAULT, cat_level_prior=3.0)):
        on = E.select(rec, y, starts, 3, config=cfg, pooled=pool, **kw)
        without_pool = E.select(rec, y, starts, 3, config=cfg, **kw)  # a total, income: no pool, unchanged
        plain = E.select(rec, y, starts, 3, **kw)
        assert without_pool.choice == plain.choice and np.array_equal(without_pool.final, plain.final)
        weekly = E.select(rec, y, starts, 3, config=cfg, pooled=pool, **{**kw, "freq": "week"})
        weekly_plain = E.select(rec, y, starts, 3, pooled=pool, **{**kw, "freq": "week"})
        assert np.array_equal(weekly.final, weekly_plain.final)
        assert np.isfinite(on.final).all() and np.isfinite(on.records["yhat"]).all()
    # the mean level raises the skewed category toward its mean month (prequentially: the first origin unchanged)
    lev = E.select(rec, y, starts, 3, config=replace(E.DEFAULT, cat_level_prior=3.0), pooled=pool, **kw)
    assert lev.choice.level > 1.0 and np.allclose(lev.final, base.final * lev.choice.level)
    first = rec["origin_day"] == rec["origin_day"].min()
    assert np.allclose(lev.records.loc[first, "yhat"], base.records.loc[first, "yhat"])
    a = rec["actual"].to_numpy()
    assert abs((lev.records["yhat"] - a).sum()) < abs((base.records["yhat"] - a).sum())


def test_the_category_score_changes_the_ranking_and_the_pool_evidence():
    y, rec = _skewed()
    starts = _starts(len(y))
    cfg = replace(E.DEFAULT, cat_score="squared")
    _, _, err_ape = E.evidence(rec, y, starts, config=E.DEFAULT)
    _, _, err_sq = E.evidence(rec, y, starts, config=cfg)
    assert err_ape.shape == err_sq.shape and not np.allclose(np.nan_to_num(err_ape), np.nan_to_num(err_sq))
    model = np.full(3, float(np.median(y[-6:])))
    a = E.select(rec, y, starts, 3, pooled=_pool(cfg.candidates), model_final=model)
    b = E.select(rec, y, starts, 3, config=cfg, pooled=_pool(cfg.candidates), model_final=model)
    assert a.choice.errors != b.choice.errors


def test_an_occasional_category_is_corrected_by_the_statistic_of_the_category_config():
    """The occasional rule replaces the config; the category level correction keeps the categories' own statistic
    ("sum": the months forecast at zero count, so an occasional series forecast mostly at zero is raised)."""
    y = np.zeros(30)
    y[[2, 5, 9, 13, 16, 20, 23, 27]] = 300.0
    rec = _records(y, lambda past, s: 0.0)
    starts, pool = _starts(len(y)), _pool(E.DEFAULT.candidates)
    kw = dict(freq="month", model_final=np.zeros(3), pooled=pool)
    cfg = replace(E.DEFAULT, cat_level_prior=3.0, cat_level_occasional_only=True)
    by_sum = E.select(rec, y, starts, 3, config=replace(cfg, cat_level_stat="sum"), **kw)
    by_mean = E.select(rec, y, starts, 3, config=replace(cfg, cat_level_stat="mean"), **kw)
    assert by_sum.choice.level > by_mean.choice.level >= 1.0
    a = rec["actual"].to_numpy()
    assert abs((by_sum.records["yhat"] - a).sum()) < abs((by_mean.records["yhat"] - a).sum())
