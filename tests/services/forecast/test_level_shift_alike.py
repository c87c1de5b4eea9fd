"""Session 29 (runs29, issue #17, shift28's "Left (1)"): :data:`oneoff.ONE_OFF_RUNS2` -- a run that ends the history
is a change of level only when its periods are alike (at least ``RUN_MIN`` within the prefix's scale of the run's
median), and a short part after the cut is judged on that band, so a purchase after two high months is still capped
(shift28's loss, "giant" 3236) while a true level shift is read as a new level."""

from __future__ import annotations

import numpy as np
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import oneoff
from tests.services.forecast.test_bad_input import _sane
from tests.services.forecast.test_level_shift_run import NEW, OLD, _steady_shift, _steady_totals

R2 = oneoff.ONE_OFF_RUNS2


@pytest.mark.parametrize("new", [NEW, OLD / 3.6])
def test_a_run_at_a_new_level_is_not_capped(new):
    y = _steady_totals(new, 12)
    assert np.array_equal(oneoff.winsorize(y, R2), y)
    assert (oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL)[-12:] != y[-12:]).all()  # the shipped rule caps each new month


def test_a_purchase_after_two_high_months_is_still_capped():
    """shift28's "giant" 3236 shape: the three periods beyond the limit are not alike (the purchase is 4.5 x the two
    months), so no change of level: the shipped rule's reading."""
    y = np.r_[_steady_totals(OLD, 0)[:19] * np.linspace(0.8, 1.2, 19), 2.8 * OLD, 2.7 * OLD, 12.6 * OLD]
    assert oneoff._level_change(y, oneoff._limits(y)) == 19  # what ``ONE_OFF_RUNS`` cut at
    assert oneoff._alike(y, 19) is None
    assert np.array_equal(oneoff.winsorize(y, R2), oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL))
    assert oneoff.winsorize(y, R2)[-1] < 3 * OLD


@pytest.mark.parametrize("after", [4, 5])
def test_a_purchase_ending_a_short_new_level_counts_as_that_level(after):
    """Under 6 periods after the cut there are no limits of its own: the purchase is judged on the band around the
    run's median (the prefix's scale) and counts as the run's usual month; the new months are not capped."""
    y = _steady_totals(NEW, after)
    y[-1] = 6 * NEW
    seen = oneoff.winsorize(y, R2)
    assert [i for i, _ in oneoff.one_offs(y, R2)] == [35]
    assert seen[-1] == pytest.approx(float(np.median(y[36 - after:-1])))
    assert np.array_equal(seen[:-1], y[:-1])
    assert oneoff.winsorize(y, oneoff.ONE_OFF_RUNS)[-1] == y[-1]  # shift28's rule: counted in full


def test_a_long_run_is_judged_on_its_own_limits_as_the_runs_rule():
    y = _steady_totals(NEW, 12)
    y[30] = 6 * NEW
    y[10] = 6 * OLD
    assert [i for i, _ in oneoff.one_offs(y, R2)] == [10, 30]
    assert np.array_equal(oneoff.winsorize(y, R2), oneoff.winsorize(y, oneoff.ONE_OFF_RUNS))


@pytest.mark.parametrize("after", [1, 2])
def test_one_or_two_new_months_are_still_capped(after):
    y = _steady_totals(NEW, after)
    assert len(oneoff.one_offs(y, R2)) == after


def test_without_a_run_it_is_the_shipped_rule():
    rng = np.random.default_rng(29)
    for _ in range(50):
        y = rng.lognormal(7, 0.3, 30)
        y[rng.integers(0, 30)] *= 8
        y[20:24] *= 4  # a run that does not end the history
        assert np.array_equal(oneoff.winsorize(y, R2), oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL))


def test_the_forecast_follows_the_new_level_of_a_steady_history(monkeypatch):
    """Patching ``ensemble.DEFAULT`` reaches the candidates (session 28, config28) and ``model.MODEL_ONE_OFF`` the
    model: the forecast reads the new level and names no one-off."""
    from budgetwise.services.forecast import ensemble as E
    from budgetwise.services.forecast import model

    monkeypatch.setattr(model, "MODEL_ONE_OFF", R2)
    monkeypatch.setattr(E, "DEFAULT", E.replace(E.DEFAULT, winsor=R2))
    result = F.forecast_frame(_steady_shift(), horizon=3, currency="EUR")
    _sane(result)
    yhat = result.forecast["yhat"].to_numpy(dtype=float)
    assert yhat.min() > 0.85 * NEW and yhat.max() < 1.15 * NEW
    assert not [n for n in result.notes if "one-off" in n]


def test_the_default():
    """Session 29: ``RUNS2`` on since its pre-registered run (benchmarks/forecast_runs29_check.py, fresh seeds
    3411-3470) passed; ``ONE_OFF_YEARLY`` (yearly29) ships on top of it (:data:`oneoff.YEARLY_BASE`); the candidates
    and the model read it alike."""
    from budgetwise.services.forecast import ensemble as E
    from budgetwise.services.forecast import model

    assert oneoff.RUNS2 and oneoff.YEARLY_BASE == R2
    assert oneoff.SHIPPED in (R2, oneoff.ONE_OFF_YEARLY)
    assert E.DEFAULT.winsor == oneoff.SHIPPED and model.MODEL_ONE_OFF == oneoff.SHIPPED


def test_a_new_level_of_over_a_year_is_no_yearly_payment():
    """Merged with yearly29: months of a new level a year apart were capped alike by ``ONE_OFF_LOCAL`` (similar
    excesses); on ``ONE_OFF_RUNS2`` they are not capped, so none is a yearly payment carried again on top."""
    y = _steady_totals(NEW, 14)
    assert np.array_equal(oneoff.winsorize(y, oneoff.ONE_OFF_YEARLY), y)
    assert not oneoff.yearly(y, 12).any()
    out = {"mean3": np.full(3, NEW)}
    assert oneoff.carry_yearly(out, y, 3, 12, oneoff.ONE_OFF_YEARLY) is out


def test_the_shipped_forecast_follows_the_new_level():
    result = F.forecast_frame(_steady_shift(), horizon=3, currency="EUR")
    _sane(result)
    yhat = result.forecast["yhat"].to_numpy(dtype=float)
    assert yhat.min() > 0.85 * NEW and yhat.max() < 1.15 * NEW
    assert not [n for n in result.notes if "one-off" in n]
