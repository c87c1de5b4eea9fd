"""Session 29 (yearly29, issue #17, oneoff28's "Left (1)"): a payment every year in the same month (annual insurance)
is a yearly payment, not a one-off. ``oneoff.ONE_OFF_YEARLY`` (``oneoff.SHIPPED`` when ``oneoff.YEARLY`` is on):
the note does not name it, every candidate's forecast of that calendar month carries it, the series they average
and the model's level stay capped as with ``ONE_OFF_LOCAL``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import model, oneoff
from tests.services.forecast.test_bad_input import _sane

Y = oneoff.ONE_OFF_YEARLY


def _totals(months: int = 36, due: int = 2, payment: float = 6000.0) -> np.ndarray:
    """Months of about 2,000 and ``payment`` more in month ``due`` of every year."""
    y = 2000.0 * np.random.default_rng(29).uniform(0.9, 1.1, months)
    y[due::12] += payment
    return y


def test_a_payment_every_year_is_yearly_and_not_a_one_off():
    y = _totals()
    assert np.flatnonzero(oneoff.yearly(y, 12)).tolist() == [2, 14, 26]
    assert [i for i, _ in oneoff.one_offs(y, oneoff.ONE_OFF_LOCAL)] == [2, 14, 26]  # shipped: three one-offs
    assert oneoff.one_offs(y, Y, 12) == []
    assert [i for i, _ in oneoff.one_offs(y, Y)] == [2, 14, 26]  # no season (weekly series): as before


def test_the_averaged_series_and_the_model_level_stay_capped():
    y = _totals()
    assert np.array_equal(oneoff.winsorize(y, Y), oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL))
    assert oneoff.capped(y, Y) == oneoff.capped(y, oneoff.ONE_OFF_LOCAL)  # model._one_offs_out: unchanged


def test_a_lone_one_off_or_an_unlike_amount_a_year_apart_stays_a_one_off():
    y = 2000.0 * np.random.default_rng(7).uniform(0.9, 1.1, 30)
    y[20] += 9000.0
    assert not oneoff.yearly(y, 12).any() and [i for i, _ in oneoff.one_offs(y, Y, 12)] == [20]
    y[8] += 3000.0  # a year before, but a third of the excess
    assert not oneoff.yearly(y, 12).any()
    y[8] += 4000.0  # 7,000 against 9,000: alike
    assert np.flatnonzero(oneoff.yearly(y, 12)).tolist() == [8, 20]


def test_with_two_years_before_both_must_be_alike():
    y = _totals(payment=6000.0)
    y[2] -= 6000.0  # the first year had none: month 26 is not alike two years back, nor 14 one year back
    assert not oneoff.yearly(y, 12).any()
    assert np.flatnonzero(oneoff.yearly(y[3:], 12)).tolist() == [11, 23]  # without the first year: yearly


def test_every_candidate_carries_last_years_payment_in_its_month():
    y = _totals(months=36, due=2)  # due in periods 2, 14, 26 (and 38)
    names = ("mean3", "median6", "mean12", "last_year", "blend", "ets")
    excess = y[26] - oneoff.winsorize(y, oneoff.ONE_OFF_LOCAL)[26]
    for k, due in ((33, None), (35, 2)):  # ahead: periods 34-36 (none due), 36-38 (38 due: the 3rd step)
        shipped = E.candidates_at(y, k, 3, "month", names, winsor=oneoff.ONE_OFF_LOCAL)
        yearly = E.candidates_at(y, k, 3, "month", names, winsor=Y)
        for n in names:
            add = np.zeros(3)
            if due is not None:
                add[due] = excess
            assert np.allclose(yearly[n], shipped[n] + add)
    assert yearly["last_year"][2] == pytest.approx(y[26])  # last year's month in full
    weekly = {m: E.candidates_at(y, 35, 3, "week", ("mean3",), winsor=m)["mean3"] for m in (Y, oneoff.ONE_OFF_LOCAL)}
    assert np.allclose(weekly[Y], weekly[oneoff.ONE_OFF_LOCAL])  # monthly series only


def _insured() -> pd.DataFrame:
    """36 months of rent and shopping (data to 30 September 2026) and a 6,000 insurance every October 15th."""
    rng = np.random.default_rng(17)
    rows = []
    for start in pd.date_range("2023-10-01", "2026-09-01", freq="MS"):
        rows.append((start, 900.0, "Rent", "LANDLORD"))
        for d in rng.choice(28, 8, replace=False):
            rows.append((start + pd.Timedelta(days=int(d)), rng.uniform(80, 160), "Shopping", f"STORE {d}"))
        if start.month == 10:
            rows.append((start + pd.Timedelta(days=14), 6000.0 * rng.uniform(0.97, 1.03), "Insurance", "INSURER"))
    rows.append((pd.Timestamp("2026-09-30"), 4.5, "Shopping", "KIOSK"))
    df = pd.DataFrame(rows, columns=["date", "amount", "category", "description"])
    return df.assign(date=df["date"].dt.strftime("%Y-%m-%d"), amount=df["amount"].map("{:.2f}".format),
                     type="expense")


@pytest.mark.parametrize("mode", [oneoff.ONE_OFF_LOCAL, Y])
def test_the_note_names_no_yearly_payment_and_the_forecast_carries_it(monkeypatch, mode):
    monkeypatch.setattr(model, "MODEL_ONE_OFF", mode)
    monkeypatch.setattr(E, "DEFAULT", E.replace(E.DEFAULT, winsor=mode))
    result = F.forecast_frame(_insured(), horizon=3, currency="EUR")
    _sane(result)
    named = [n for n in result.notes if "one-off" in n]
    october = float(result.forecast["yhat"].iloc[0])
    usual = float(np.median(result.history["y"]))
    if mode == Y:
        assert named == [] and october > usual + 3000.0  # carried (at least half the payment)
    else:
        assert len(named) == 1 and "October 2025" in named[0] and october < usual + 3000.0


def test_the_shipped_mode_follows_the_flag():
    if oneoff.YEARLY:
        assert oneoff.SHIPPED == Y
    assert E.DEFAULT.winsor == oneoff.SHIPPED and model.MODEL_ONE_OFF == oneoff.SHIPPED
