"""Session 20 (fcshort, issue #17): the selection bagged over the backtest's origins (``Config(weights="bagged")``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from budgetwise.services.forecast import bagged
from budgetwise.services.forecast import ensemble as E
from tests.services.forecast.test_ensemble import _records, _starts

BAGGED = replace(E.DEFAULT, pool=0.0, weights="bagged", thin_full=0)


def _errors(means: list[float], origins: int, noise: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    err = np.abs(np.array(means)[None, :] + rng.normal(0, noise, (3 * origins, len(means))))
    return err, np.repeat(np.arange(origins), 3)


def test_clearly_separated_candidates_get_the_plain_picks_equal_weights():
    err, org = _errors([0.1, 0.2, 0.3, 0.4, 0.9, 1.0, 1.1], 12, 0.001)
    w = bagged.weights(err, np.isfinite(err), range(7), org, 4)
    assert np.allclose(w, [0.25] * 4 + [0.0] * 3)


def test_candidates_the_backtest_cannot_tell_apart_share_the_weight_and_it_sums_to_one():
    err, org = _errors([0.20, 0.21, 0.22, 0.23, 0.24, 0.25], 6, 0.05)
    w = bagged.weights(err, np.isfinite(err), range(6), org, 4)
    assert w.sum() == pytest.approx(1.0) and (w > 0).sum() >= 5 and w.max() <= 0.25 + 1e-12
    assert 0 < w.min() < 0.25 or w.min() == 0.0 and sorted(w)[1] < 0.25  # spread, not the plain pick's 1/4 each
    again = bagged.weights(err, np.isfinite(err), range(6), org, 4)
    assert np.array_equal(w, again)  # a fixed seed: the same backtest, the same weights


def test_a_candidate_outside_the_eligible_columns_or_unscored_gets_nothing():
    err, org = _errors([0.1, 0.2, 0.3, 0.4, 0.5], 8, 0.01)
    err[:, 1] = np.nan
    ok = np.isfinite(err)
    w = bagged.weights(err, ok, [0, 2, 3, 4], org, 4)
    assert w[1] == 0.0 and w.sum() == pytest.approx(1.0)
    assert bagged.weights(err, ok, [], org, 4).sum() == 0.0


def _short_series_where_the_naive_is_best() -> tuple[tuple, np.ndarray]:
    """16 months whose level moved twice: the 3-month mean follows it, the longer windows and a model fitted
    to the old level do not."""
    rng = np.random.default_rng(20)
    totals = np.concatenate([np.full(6, 1000.0), np.full(5, 1400.0), np.full(5, 1900.0)]) + rng.normal(0, 15, 16)
    model = lambda past, s: float(np.mean(past[:6]))  # noqa: E731 - stuck at the first level
    return (_records(totals, model, origins=6), totals, _starts(len(totals)), 3), totals


def test_a_short_series_whose_best_guess_is_the_naive_one_keeps_it():
    """The brief's case: few backtest origins and a naive guess that is best on every one of them. The bagged pick
    keeps that guess at its full share (it is best on every resample), never gives the model a share the
    backtest does not support, and forecasts closer to it than the shipped thin prior does."""
    args, totals = _short_series_where_the_naive_is_best()
    final_model = np.full(3, 1000.0)
    got = E.select(*args, model_final=final_model, config=BAGGED)
    w = dict(zip(got.choice.chosen, got.choice.weights or ()))
    assert got.choice.chosen[0] == "mean3" and w["mean3"] == pytest.approx(0.25)
    assert "model" not in w
    shipped = E.select(*args, model_final=final_model, config=replace(E.DEFAULT, pool=0.0))
    mean3 = E.candidates_at(totals, len(totals) - 1, 3, "month", ("mean3",))["mean3"]
    assert np.all(np.abs(got.final - mean3) < np.abs(shipped.final - mean3))
    assert np.isfinite(got.records["yhat"]).all()  # the backtest shown: the same rule, prequentially
    assert got.choice.describe().endswith("(how many chosen on your history)")  # the page's words: its members


def test_weekly_series_ignore_the_bagged_pick():
    args, _ = _short_series_where_the_naive_is_best()
    plain = replace(BAGGED, weights="equal")
    a = E.select(*args, freq="week", model_final=np.full(3, 1000.0), config=plain)
    b = E.select(*args, freq="week", model_final=np.full(3, 1000.0), config=BAGGED)
    assert a.choice == b.choice and np.array_equal(a.final, b.final)


def test_the_bagged_pick_ships_for_the_default_rule_only():
    """Shipped on the pre-registered test of ``benchmarks/forecast_bagged_check.py`` on fresh seeds 1581-1640 (session
    20); ``Config()``'s field defaults (the cash-flow model's base) and the occasional rule keep equal weights."""
    assert E.DEFAULT.weights == "bagged" and E.DEFAULT.thin_full == 12
    assert E.Config().weights == "equal" and E.OCCASIONAL.weights == "equal"


def test_a_weighted_average_of_more_than_four_names_the_four_largest():
    """The page's words stay readable: a bagged pick may give all 8 candidates a share."""
    c = E.Choice(("mean3", "model", "median6", "mean12", "blend", "last_year"), weights=(0.3, 0.2, 0.2, 0.15, 0.1, 0.05))
    text = c.describe()
    assert text.startswith("a weighted average (largest weight first) of the mean of the last 3 months, the recurring")
    assert text.endswith("the mean of the last 12 months and 2 others weighted less")
    assert E.Choice(("mean3", "model", "median6", "mean12", "blend")).describe().endswith("the 12-month mean")  # all named


def test_the_others_beyond_the_four_named_are_counted_in_words_and_weigh_less():
    """Session 20 second reading (review20b): five weighted names read "and 1 others weighted less", and a name
    weighted as much as the fourth was left out as one "weighted less"."""
    five = E.Choice(("mean3", "model", "median6", "mean12", "blend"), weights=(0.3, 0.25, 0.2, 0.15, 0.1))
    assert five.describe().endswith("the mean of the last 12 months and 1 other weighted less")
    tied = E.Choice(("mean3", "model", "median6", "mean12", "blend", "last_year"),
                    weights=(0.3, 0.2, 0.2, 0.1, 0.1, 0.1))
    assert "weighted less" not in tied.describe() and tied.describe().endswith("the same month last year")
    cut = E.Choice(("mean3", "model", "median6", "mean12", "blend", "last_year", "ets_mul"),
                   weights=(0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05))
    assert cut.describe().endswith("the same month last year and 1 other weighted less")
