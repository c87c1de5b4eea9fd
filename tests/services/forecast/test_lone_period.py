"""Session 22 (cap22): ``ensemble.Config.lone`` -- the same period last year does not repeat a category's single
purchase (``oneoff.lone_period``). Off by default (its pre-registered test, benchmarks/forecast_lone_check.py);
tested on and off, and the Forecast page's note says what the forecast does either way."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import oneoff
from budgetwise.services.forecast.history import history_from_frame
from tests.services.forecast.test_bad_input import _sane
from tests.services.forecast.test_one_off_category import _two_years

D = dt.date


def _lone(at: int = 13, n: int = 24) -> np.ndarray:
    y = np.zeros(n)
    y[at] = 150_000.0
    return y


def test_lone_period_is_the_one_period_above_zero_of_at_least_six():
    assert oneoff.lone_period(_lone()) == 13
    assert oneoff.lone_period(_lone(n=6, at=2)) == 2
    assert oneoff.lone_period(_lone(n=5, at=2)) is None  # too short
    two = _lone()
    two[1] = 10.0
    assert oneoff.lone_period(two) is None
    neg = _lone()
    neg[0] = -1.0
    assert oneoff.lone_period(neg) is None
    assert oneoff.lone_period(np.zeros(12)) is None
    assert list(oneoff.without_lone(_lone())) == [0.0] * 24
    assert oneoff.without_lone(two) is two  # nothing lone: the same values


@pytest.mark.parametrize("lone", [False, True])
def test_last_year_repeats_a_lone_period_only_with_the_flag_off(lone):
    got = E.candidates_at(_lone(), 23, 3, "month", ("last_year", "blend", "mean3", "mean12"), lone=lone)
    # targets 24, 25, 26: last year's are 12, 13, 14 (the purchase in 13)
    assert list(got["last_year"]) == ([0.0, 0.0, 0.0] if lone else [0.0, 150_000.0, 0.0])
    assert got["blend"][1] == pytest.approx(0.5 * (0.0 if lone else 150_000.0) + 0.5 * 150_000.0 / 12)
    assert got["mean3"][0] == 0.0 and got["mean12"][0] == pytest.approx(12_500.0)  # the others unchanged


def test_a_regular_yearly_payment_still_repeats_with_the_flag_on():
    y = np.zeros(24)
    y[[1, 13]] = 1_200.0  # seen twice: not lone
    got = E.candidates_at(y, 23, 3, "month", ("last_year",), lone=True)
    assert list(got["last_year"]) == [0.0, 1_200.0, 0.0]


def test_the_memo_keeps_the_flag_apart():
    memo: dict = {}
    off = E._Candidates(_lone(), "month", ["last_year"], True, memo)(23, 3)["last_year"]
    on = E._Candidates(_lone(), "month", ["last_year"], True, memo, True)(23, 3)["last_year"]
    assert off[1] == 150_000.0 and on[1] == 0.0


def test_the_flag_is_off_by_default():
    assert not E.DEFAULT.lone and E.DEFAULT.occasional_rule is not None and not E.DEFAULT.occasional_rule.lone


def _electronics(purchase: dt.date, kind: str = "expense"):
    frame = _two_years(purchase)
    if kind == "income":
        frame.loc[frame["category"] == "Electronics", ["category", "type"]] = ["Gift", "income"]
    cats = F.forecast_history_categories(history_from_frame(frame), horizon=3, kind=kind)
    (res,) = [r for r in cats.results if ("Gift" if kind == "income" else "Electronics") in str(r.series)]
    _sane(res)
    return res


@pytest.fixture()
def lone_on(monkeypatch):
    monkeypatch.setattr(E, "DEFAULT", replace(E.DEFAULT, occasional_rule=replace(E.OCCASIONAL, lone=True)))


def test_the_flag_on_the_same_month_a_year_later_is_not_the_purchase_again(lone_on):
    res = _electronics(D(2025, 11, 12))  # the forecast starts in November 2026
    assert res.forecast["yhat"].max() == 0  # off: 72,500 (test_one_off_category)
    (note,) = [n for n in res.notes if "Only one month of 24 has spending" in n]
    assert "November 2025: $150,000.00" in note
    assert "The forecast does not repeat it a year later" in note and "range may still reach it" in note


def test_the_flag_on_a_recent_purchase_still_says_what_the_averages_carry(lone_on):
    res = _electronics(D(2026, 10, 3))  # the last month: the 3-month mean carries it
    top = res.forecast["yhat"].max()
    assert top > 20_000
    (note,) = [n for n in res.notes if "Only one month" in n]
    assert "does not repeat it a year later, but its averages of recent months count it in full" in note
    assert f"reaches ${top:,.2f} a month: treat it with caution" in note


def test_the_flag_off_note_keeps_its_words():
    res = _electronics(D(2025, 11, 12))
    (note,) = [n for n in res.notes if "Only one month" in n]
    assert "so the forecast's averages count it in full" in note and "does not repeat" not in note
    assert res.forecast["yhat"].max() > 50_000


def test_income_keeps_last_year_with_the_flag_on(lone_on):
    res = _electronics(D(2025, 11, 12), kind="income")  # a single gift: income was not measured, so not changed
    (note,) = [n for n in res.notes if "Only one month of 24 has income" in n]
    assert "does not repeat" not in note
    assert res.forecast["yhat"].max() > 50_000
