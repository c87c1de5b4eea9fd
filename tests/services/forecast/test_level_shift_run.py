"""Session 28 (shift28, issue #17, oneoff28's "Left (2)"): a level shift in a STEADY history -- 24 months within
+-5%, then 12 months at 3.6 x -- had every new month capped by the one-off rule (:func:`oneoff.winsorize`: the whole
history's robust z puts each new month above the limit), so a household spending 5,500 a month was forecast about
2,000. A run of consecutive periods on the same side of the limits is a change of level, not a string of one-offs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import oneoff
from tests.services.forecast.test_bad_input import _sane

OLD, NEW = 1530.0, 5500.0


def _steady_shift(new: float = NEW, after: int = 12, months: int = 36) -> pd.DataFrame:
    """``months - after`` months of about 1,530 (within +-5%), then ``after`` months of about ``new``; rent, four
    groceries and a utility bill a month; data to the last day of December 2026."""
    rng = np.random.default_rng(2828)
    rows = []
    starts = pd.date_range(end="2026-12-01", periods=months, freq="MS")
    for i, start in enumerate(starts):
        f = (new if i >= months - after else OLD) / OLD
        rows.append((start, 900.0 * f, "Rent", "LANDLORD"))
        for d in (3, 10, 17, 24):
            rows.append((start + pd.Timedelta(days=d), 130.0 * f * rng.uniform(0.95, 1.05), "Groceries", "MARKET"))
        rows.append((start + pd.Timedelta(days=12), 110.0 * f * rng.uniform(0.95, 1.05), "Utilities", "POWER"))
    rows.append((pd.Timestamp("2026-12-31"), 4.5, "Groceries", "KIOSK"))
    df = pd.DataFrame(rows, columns=["date", "amount", "category", "description"])
    return df.assign(date=df["date"].dt.strftime("%Y-%m-%d"), amount=df["amount"].map("{:.2f}".format),
                     type="expense")


def _steady_totals(new: float, after: int) -> np.ndarray:
    rng = np.random.default_rng(28)
    return np.r_[OLD * rng.uniform(0.95, 1.05, 36 - after), new * rng.uniform(0.95, 1.05, after)]


@pytest.mark.parametrize("new", [NEW, OLD / 3.6])
def test_a_run_at_a_new_level_is_not_capped(new):
    y = _steady_totals(new, 12)
    assert oneoff.one_offs(y, oneoff.ONE_OFF_RUNS) == []
    assert np.array_equal(oneoff.winsorize(y, oneoff.ONE_OFF_RUNS), y)


def test_a_lone_month_in_a_steady_history_is_still_a_one_off():
    y = _steady_totals(OLD, 0)
    y[20] = 5 * OLD
    assert [i for i, _ in oneoff.one_offs(y, oneoff.ONE_OFF_RUNS)] == [20]


@pytest.fixture
def runs(monkeypatch):
    """The forecast with :data:`oneoff.ONE_OFF_RUNS` (the candidates, the model and the note alike)."""
    from budgetwise.services.forecast import ensemble as E
    from budgetwise.services.forecast import model

    monkeypatch.setattr(model, "MODEL_ONE_OFF", oneoff.ONE_OFF_RUNS)
    # the candidates read it when called (session 28, config28: ``backtest``'s defaults were bound at import)
    monkeypatch.setattr(E, "DEFAULT", E.replace(E.DEFAULT, winsor=oneoff.ONE_OFF_RUNS))


def test_the_forecast_follows_the_new_level_of_a_steady_history(runs):
    result = F.forecast_frame(_steady_shift(), horizon=3, currency="EUR")
    _sane(result)
    y = result.history["y"].to_numpy(dtype=float)
    assert float(np.median(y[-12:])) == pytest.approx(NEW, rel=0.05)
    yhat = result.forecast["yhat"].to_numpy(dtype=float)
    assert yhat.min() > 0.85 * NEW and yhat.max() < 1.15 * NEW
    assert not [n for n in result.notes if "one-off" in n]  # no month of the new level named a one-off


def test_the_run_cuts_the_history_and_each_part_keeps_its_one_offs():
    y = _steady_totals(NEW, 12)
    y[30] = 6 * NEW  # a purchase at the new level
    y[10] = 6 * OLD  # and one before the change
    assert [i for i, _ in oneoff.one_offs(y, oneoff.ONE_OFF_RUNS)] == [10, 30]
    assert oneoff._level_change(y, oneoff._limits(y)) == 24


@pytest.mark.parametrize("after", [1, 2])
def test_one_or_two_new_months_at_the_end_are_still_capped(after):
    """Under ``RUN_MIN`` periods a run that ends the history cannot be told from a one-off (a purchase and the
    month after it): still capped."""
    y = _steady_totals(NEW, after)
    assert len(oneoff.one_offs(y, oneoff.ONE_OFF_RUNS)) == after


def test_only_a_run_that_ends_the_history_is_a_change_of_level():
    """A run that starts the history (most often a partial start of the data) or ends before the last period is
    left to the one-off rule, as before."""
    y = _steady_totals(OLD, 0)
    y[:4] = 20.0
    assert oneoff._level_change(y, oneoff._limits(y)) is None
    y = _steady_totals(OLD, 0)
    y[20:24] = NEW
    assert oneoff._level_change(y, oneoff._limits(y)) is None
    assert np.array_equal(oneoff.winsorize(y, oneoff.ONE_OFF_RUNS), oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL))


def test_a_purchase_after_two_high_months_reads_as_a_run_under_the_rule():
    """Why ``oneoff.RUNS`` stays off (shift28's pre-registered run, "giant" 3236): two high months then a purchase of
    about 8 usual months end the history; the three read as a change of level and the purchase counts in full."""
    y = np.r_[_steady_totals(OLD, 0)[:19] * np.linspace(0.8, 1.2, 19), 2.8 * OLD, 2.7 * OLD, 12.6 * OLD]
    assert oneoff._level_change(y, oneoff._limits(y)) == 19
    assert oneoff.winsorize(y, oneoff.ONE_OFF_RUNS)[-1] == y[-1]
    assert oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL)[-1] < 3 * OLD
    assert not oneoff.RUNS and oneoff.SHIPPED != oneoff.ONE_OFF_RUNS  # session 29: ``ONE_OFF_RUNS2`` ships instead


def test_the_other_modes_are_unchanged_by_the_run_rule():
    y = _steady_totals(NEW, 12)
    assert len(oneoff.one_offs(y, oneoff.ONE_OFF_LOCAL)) == 12  # oneoff28's mode: every new month a one-off
