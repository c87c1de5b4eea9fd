"""Session 28 (oneoff28, issue #17): trial27's total expenses (May 2023 €30,098 against "about €1,513" usual, a
forecast of €5,772 "spread by the recurring-payment model"). The forecast was the household's level since a change
of level (about €5,500 a month from 2022), not the one-off; the note's usual was the whole history's median and it
named the model at any weight. The one-off rule's option ``oneoff.ONE_OFF_LOCAL`` (shipped as ``oneoff.SHIPPED``
when ``oneoff.LOCAL`` is on) and the note's sentence, true with the option on and off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import model, oneoff
from tests.services.forecast.test_bad_input import _sane

OLD, NEW = 1500.0, 5500.0


def _shifted_totals() -> np.ndarray:
    """24 months at about 1,500, then 12 at about 5,500 with one month of 30,000 (the 9th of them)."""
    rng = np.random.default_rng(28)
    y = np.r_[OLD * rng.uniform(0.8, 1.2, 24), NEW * rng.uniform(0.9, 1.1, 12)]
    y[32] = 30_000.0
    return y


def test_a_lone_one_off_counts_as_the_level_around_it_with_the_local_mode():
    y = _shifted_totals()
    whole = oneoff.winsorize(y, oneoff.ONE_OFF_MEDIAN)[32]
    local = oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL)[32]
    assert whole < 2 * OLD  # the whole history's median: the old level
    near = np.r_[y[26:32], y[33:36]]
    assert local == pytest.approx(float(np.median(near)))  # the usual months within 6 of it
    assert [i for i, _ in oneoff.one_offs(y, oneoff.ONE_OFF_LOCAL)] == [32]  # the same months are one-offs
    others = np.delete(np.arange(len(y)), 32)
    assert np.array_equal(oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL)[others], oneoff.winsorize(y, oneoff.ONE_OFF_MEDIAN)[others])


def test_the_local_median_falls_back_to_the_whole_history_with_few_usual_periods_near(monkeypatch):
    monkeypatch.setattr(oneoff, "LOCAL_SPAN", 1)
    x = np.array([100.0, 5000.0, 5000.0, 110.0, 5000.0, 5000.0, 120.0, 90.0, 105.0, 95.0, 100.0, 98.0, 102.0, 97.0])
    above = x > 1000
    assert oneoff._local_usual(x, above, 3) == pytest.approx(float(np.median(x[~above])))  # only 110 near (< 3)
    assert oneoff._local_usual(x, above, 10) == pytest.approx(98.0)  # 95, 100, 98


def test_the_shipped_mode_follows_the_flag():
    local = oneoff.ONE_OFF_LOCAL if oneoff.LOCAL else oneoff.ONE_OFF_MEDIAN
    runs = oneoff.ONE_OFF_RUNS if oneoff.RUNS else local  # session 28 (shift28): RUNS off
    runs2 = oneoff.ONE_OFF_RUNS2 if oneoff.RUNS2 else runs  # session 29 (runs29): on
    assert (oneoff.ONE_OFF_YEARLY if oneoff.YEARLY else runs2) == oneoff.SHIPPED  # session 29 (yearly29): on
    assert (oneoff.ONE_OFF_RUNS2 if oneoff.RUNS2 else oneoff.ONE_OFF_LOCAL) == oneoff.YEARLY_BASE
    assert E.DEFAULT.winsor == oneoff.SHIPPED and model.MODEL_ONE_OFF == oneoff.SHIPPED


def _level_shift_and_tax() -> pd.DataFrame:
    """Trial27's shape: 24 months of about 2,000 (rent 700, shopping, one varying purchase), then 12 of about 6,000
    (rent 2,500, more shopping), a 25,000 tax payment in the 9th month after the change; data to the last day of December 2026."""
    rng = np.random.default_rng(27)
    rows = []
    for i, start in enumerate(pd.date_range("2024-01-01", "2026-12-01", freq="MS")):
        new = i >= 24
        rows.append((start, 2500.0 if new else 700.0, "Rent", "LANDLORD"))
        rows.append((start + pd.Timedelta(days=20), rng.uniform(0, 3000) if new else rng.uniform(0, 1500), "Other",
                     f"SHOP {i}"))  # months that vary, as a household's do
        for d in rng.choice(28, 10, replace=False):
            rows.append((start + pd.Timedelta(days=int(d)), rng.uniform(250, 350) if new else rng.uniform(60, 100),
                         "Shopping", f"STORE {d}"))
    rows.append((pd.Timestamp("2026-09-14"), 25_000.0, "Taxes", "TAX OFFICE"))
    rows.append((pd.Timestamp("2026-12-31"), 4.5, "Shopping", "KIOSK"))
    df = pd.DataFrame(rows, columns=["date", "amount", "category", "description"])
    return df.assign(date=df["date"].dt.strftime("%Y-%m-%d"), amount=df["amount"].map("{:.2f}".format),
                     type="expense")


@pytest.mark.parametrize("mode", [oneoff.ONE_OFF_MEDIAN, oneoff.ONE_OFF_LOCAL])
def test_after_a_change_of_level_the_note_reads_the_recent_usual_and_names_no_model(monkeypatch, mode):
    """The sentence "The recurring-payment model still spreads it …" (``backtest._one_off_note``) is said only when
    the model's own forecast runs above 2 usual periods; here the forecast is the recent level, with either mode."""
    monkeypatch.setattr(model, "MODEL_ONE_OFF", mode)
    monkeypatch.setattr(E, "DEFAULT", E.replace(E.DEFAULT, winsor=mode))  # the candidates too (config28)
    result = F.forecast_frame(_level_shift_and_tax(), horizon=3, currency="EUR")
    _sane(result)
    (note,) = [n for n in result.notes if "one-off" in n]
    y = result.history["y"].to_numpy(dtype=float)
    recent = float(np.median(np.delete(y, 32)[-12:]))
    assert "September 2026" in note and f"about €{recent:,.0f}" in note
    assert recent > 2.5 * float(np.median(y))  # the whole history's median: the old level, no longer said
    assert "recurring-payment model" not in note and "not expected to come again in full" in note
    assert float(result.forecast["yhat"].max()) < 2 * recent


def test_the_model_is_named_only_when_its_own_forecast_carries_the_one_off(monkeypatch):
    """Bills only and one 900,000 purchase, the model's one-off rule off (session 21's case): the sentence names the
    model, and its own forecast does run far above the usual month."""
    from budgetwise.services.forecast import backtest
    from tests.services.forecast.test_one_off import _bills_only_and_one_purchase

    monkeypatch.setattr(model, "MODEL_ONE_OFF", False)
    seen = {}
    real = backtest._model_carries

    def spy(run, usual):
        seen["own"] = float((run.final["model_part"] + run.final["observed"]).max())
        seen["usual"] = usual
        return real(run, usual)

    monkeypatch.setattr(backtest, "_model_carries", spy)
    result = F.forecast_frame(_bills_only_and_one_purchase(), horizon=3)
    (note,) = [n for n in result.notes if "one-off" in n]
    assert "The recurring-payment model still spreads it" in note
    assert seen["own"] > backtest.ONE_OFF_CAUTION * seen["usual"]
