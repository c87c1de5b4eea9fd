"""Session 16 (shortfc, issue #17): the prior combination for a thin monthly backtest (``Config.thin_full``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import thin
from tests.services.forecast.test_ensemble import _records, _starts


def test_the_prior_weight_falls_to_zero_at_a_full_backtest():
    assert thin.prior_weight(6, 12) == pytest.approx(0.5)
    assert thin.prior_weight(9, 12) == pytest.approx(0.25)
    assert thin.prior_weight(12, 12) == 0.0 and thin.prior_weight(20, 12) == 0.0
    assert thin.prior_weight(3, 0) == 0.0  # off
    assert thin.mix({"a": 1.0}, ("b", "c"), 0.5) == {"a": 0.5, "b": 0.25, "c": 0.25}
    assert thin.mix({"a": 0.5, "b": 0.5}, ("b",), 0.5) == {"a": 0.25, "b": 0.75}
    assert thin.mix({"a": 1.0}, (), 0.5) == {"a": 1.0} and thin.mix({"a": 1.0}, ("b",), 0.0) == {"a": 1.0}


def _case(n: int, origins: int):
    rng = np.random.default_rng(16)
    totals = 1000 + rng.normal(0, 40, n)
    model = lambda past, s: 1500.0  # noqa: E731 - a poor model: never among the best
    return (_records(totals, model, origins=origins), totals, _starts(len(totals)), 3), totals


def test_a_thin_backtest_mixes_the_combination_with_the_model_and_the_6_month_median():
    args, totals = _case(16, 6)  # 6 backtest origins: the prior weighs (12 - 6) / 12 = 1/2
    base = replace(E.DEFAULT, pool=0.0, thin_full=0)
    plain = E.select(*args, model_final=np.full(3, 1500.0), config=base)
    mixed = E.select(*args, model_final=np.full(3, 1500.0), config=replace(base, thin_full=12))
    assert "model" not in plain.choice.chosen
    median6 = E.candidates_at(totals, len(totals) - 1, 3, "month", ("median6",))["median6"]
    assert np.allclose(mixed.final, 0.5 * plain.final + 0.25 * 1500.0 + 0.25 * median6)
    assert "model" in mixed.choice.chosen and mixed.choice.weights is not None
    assert abs(sum(mixed.choice.weights) - 1.0) < 1e-9
    assert np.isfinite(mixed.records["yhat"]).all()  # the backtest shown: the same rule, prequentially
    assert mixed.choice.describe().startswith("a weighted average")


def test_a_full_backtests_final_forecast_and_weekly_series_are_unchanged():
    """The backtest shown (prequential: at most 11 origins before any of its rows) and so the ranges do change."""
    args, _ = _case(30, 12)  # 12 origins: no prior in the final forecast
    base = replace(E.DEFAULT, pool=0.0, thin_full=0)
    a = E.select(*args, model_final=np.full(3, 1500.0), config=base)
    b = E.select(*args, model_final=np.full(3, 1500.0), config=replace(base, thin_full=12))
    assert a.choice == b.choice and np.array_equal(a.final, b.final)
    args, _ = _case(16, 6)
    a = E.select(*args, freq="week", model_final=np.full(3, 1500.0), config=base)
    b = E.select(*args, freq="week", model_final=np.full(3, 1500.0), config=replace(base, thin_full=12))
    assert a.choice == b.choice and np.array_equal(a.final, b.final)
    assert np.allclose(a.records["yhat"], b.records["yhat"])


def test_the_thin_prior_is_shipped_for_the_default_rule_only():
    """Shipped on the pre-registered test on fresh seeds 761-840 (docs/forecasting.md, session 16); ``Config()``'s
    field defaults (the previous rule, which the cash-flow model builds on) and the occasional rule keep it off."""
    assert E.DEFAULT.thin_full == 12 and E.DEFAULT.thin_prior == ("model", "median6")
    assert E.Config().thin_full == 0 and E.OCCASIONAL.thin_full == 0


def _robust(config: E.Config) -> E.Config:
    return replace(config, thin_full=thin.ROBUST_FULL, thin_prior=thin.ROBUST_PRIOR)


def test_the_robust_prior_keeps_a_third_of_the_weight_at_a_full_monthly_backtest():
    """Session 17: ``full`` 18 and the k-month median in the prior; at the monthly backtest's 12 origins the prior
    weighs (18 - 12) / 18 = 1/3, spread equally over the model, the 6-month median and the k-month median."""
    assert thin.prior_weight(12, thin.ROBUST_FULL) == pytest.approx(1 / 3)
    assert thin.prior_weight(6, thin.ROBUST_FULL) == pytest.approx(2 / 3)
    args, totals = _case(30, 12)
    base = replace(E.DEFAULT, pool=0.0, thin_full=0)
    plain = E.select(*args, model_final=np.full(3, 1500.0), config=base)
    robust = E.select(*args, model_final=np.full(3, 1500.0), config=_robust(base))
    assert "model" not in plain.choice.chosen
    c = E.candidates_at(totals, len(totals) - 1, 3, "month", ("median6", "median_k"))
    assert np.allclose(robust.final, 2 / 3 * plain.final + (1500.0 + c["median6"] + c["median_k"]) / 9)
    assert set(thin.ROBUST_PRIOR) <= set(robust.choice.chosen) and abs(sum(robust.choice.weights) - 1.0) < 1e-9
    assert np.isfinite(robust.records["yhat"]).all()


def test_the_robust_prior_leaves_weekly_series_alone():
    args, _ = _case(16, 6)
    base = replace(E.DEFAULT, pool=0.0, thin_full=0)
    a = E.select(*args, freq="week", model_final=np.full(3, 1500.0), config=base)
    b = E.select(*args, freq="week", model_final=np.full(3, 1500.0), config=_robust(base))
    assert a.choice == b.choice and np.array_equal(a.final, b.final)


def test_the_robust_prior_is_off_by_default():
    """Measured in session 17 and not shipped: it failed the pre-registered test on fresh seeds 841-900 (more
    histories above their own best naive guess, 24 against 22; docs/history/forecasting.md)."""
    assert (E.DEFAULT.thin_full, E.DEFAULT.thin_prior) == (12, ("model", "median6"))
    assert thin.ROBUST_FULL == 18 and thin.ROBUST_PRIOR == ("model", "median6", "median_k")


def test_the_guard_replaces_only_a_prior_member_clearly_worse_than_the_best_naive_guess():
    """Session 19 (fcnaive): paired over origins, the mean difference against ``z`` standard errors."""
    names = ["model", "median6", "mean3", "last_year"]
    origins = np.repeat(np.arange(6), 3)
    rng = np.random.default_rng(19)
    noise = rng.normal(0, 0.01, len(origins))
    err = np.column_stack([0.30 + noise, 0.10 + rng.normal(0, 0.05, len(origins)), 0.10 + noise,
                           np.full(len(origins), np.nan)])
    errors = {"model": 0.30, "median6": float(np.mean(err[:, 1])), "mean3": 0.10}
    got = thin.guarded(["model", "median6"], err, names, origins, errors, ("mean3", "last_year"), 1.0)
    assert got == ["mean3", "median6"]  # the model 20 points worse on every origin; the median within noise
    # no naive guess ranked (last year without points), or one origin only: unchanged
    assert thin.guarded(["model"], err, names, origins, {"model": 0.3}, ("last_year",), 1.0) == ["model"]
    one = np.zeros(len(origins), dtype=int)
    assert thin.guarded(["model"], err, names, one, errors, ("mean3",), 1.0) == ["model"]
    # the best naive guess is a member already: it stays, and mix() counts a repeated member twice
    assert thin.guarded(["mean3", "model"], err, names, origins, errors, ("mean3",), 1.0) == ["mean3", "mean3"]
    assert thin.mix({"a": 1.0}, ["b", "b"], 0.5) == {"a": 0.5, "b": 0.5}


def test_the_guarded_prior_moves_the_model_share_to_the_naive_guess_in_the_forecast():
    args, totals = _case(16, 6)  # the poor model (1500 against ~1000) is clearly worse than every naive guess
    base = replace(E.DEFAULT, pool=0.0, thin_full=12)
    plain = E.select(*args, model_final=np.full(3, 1500.0), config=replace(base, thin_full=0))
    guarded = E.select(*args, model_final=np.full(3, 1500.0), config=replace(base, thin_guard=1.0))
    best = min(("mean3", "last_year"), key=lambda c: guarded.choice.errors.get(c, np.inf))
    assert "model" not in guarded.choice.chosen and best in guarded.choice.chosen
    rec = args[0]
    err = np.abs(guarded.records[["cand_model", "cand_median6", "cand_mean3", "cand_last_year"]].to_numpy()
                 - rec["actual"].to_numpy()[:, None]) / rec["actual"].to_numpy()[:, None]
    members = thin.guarded(["model", "median6"], err, ["model", "median6", "mean3", "last_year"],
                           rec["origin_day"].to_numpy(), guarded.choice.errors, ("mean3", "last_year"), 1.0)
    assert members[0] == best  # the model's share went to the best naive guess
    naive = E.candidates_at(totals, len(totals) - 1, 3, "month", tuple(members))
    assert np.allclose(guarded.final, 0.5 * plain.final + 0.25 * naive[members[0]] + 0.25 * naive[members[1]])
    assert np.isfinite(guarded.records["yhat"]).all()
    # off by default, and nothing changes from a full backtest on
    assert E.Config().thin_guard is None and E.DEFAULT.thin_guard is None
    args, _ = _case(30, 12)
    a = E.select(*args, model_final=np.full(3, 1500.0), config=base)
    b = E.select(*args, model_final=np.full(3, 1500.0), config=replace(base, thin_guard=1.0))
    assert a.choice == b.choice and np.array_equal(a.final, b.final)


def test_the_standard_error_counts_the_overlap_of_consecutive_origins_and_is_never_below_the_plain_one():
    d = np.array([1.0, 1.2, 1.1, -0.5, -0.6, -0.4, 0.9, 1.0])  # runs of like values: positive autocorrelation
    plain = float(np.std(d, ddof=1)) / np.sqrt(len(d))
    assert thin.standard_error(d, 0) == pytest.approx(plain)
    assert thin.standard_error(d, 2) > plain
    alternating = np.array([1.0, -1.0] * 4)  # negative autocorrelation: the plain one is kept
    assert thin.standard_error(alternating, 2) == pytest.approx(float(np.std(alternating, ddof=1)) / 2 / np.sqrt(2))


def test_the_wide_prior_measured_in_session_26_is_off_and_spreads_over_its_four_members_when_asked():
    """fc26: ``thin.WIDE`` (the prior over model, median6, blend, median_k) failed its pre-registered test: off."""
    assert thin.WIDE is False and E.DEFAULT.thin_prior == thin.SHIPPED_PRIOR == ("model", "median6")
    args, totals = _case(16, 6)  # a year and 4 months: blend (last year's month) exists for the final forecast
    base = replace(E.DEFAULT, pool=0.0, thin_full=0)
    plain = E.select(*args, model_final=np.full(3, 1500.0), config=base)
    wide = E.select(*args, model_final=np.full(3, 1500.0), config=replace(base, thin_full=12,
                                                                           thin_prior=thin.WIDE_PRIOR))
    got = E.candidates_at(totals, len(totals) - 1, 3, "month", ("median6", "blend", "median_k"))
    prior = (1500.0 + got["median6"] + got["blend"] + got["median_k"]) / 4
    assert np.allclose(wide.final, 0.5 * plain.final + 0.5 * prior)
    assert set(thin.WIDE_PRIOR) <= set(wide.choice.chosen) and abs(sum(wide.choice.weights) - 1.0) < 1e-9
    assert np.isfinite(wide.final).all() and np.isfinite(wide.records["yhat"]).all()


@pytest.mark.parametrize("bad", [np.zeros(14), np.array([1e12] + [0.0] * 13), np.array([0.01] * 13 + [5e9])])
def test_the_wide_prior_never_gives_nan_on_bad_totals(bad):
    args = (_records(bad, lambda past, s: 0.0, origins=2), bad, _starts(14), 3)
    sel = E.select(*args, model_final=np.zeros(3), config=replace(E.DEFAULT, pool=0.0, thin_prior=thin.WIDE_PRIOR))
    assert np.isfinite(sel.final).all() and (sel.final >= 0).all()
