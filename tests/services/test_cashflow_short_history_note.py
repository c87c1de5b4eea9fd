"""Session 26 (cf26): the band of a history of 9-13 complete months is a rule's beyond month 3 (linear growth, the
lower edge's one-off allowance: ``NetModel.young``) and the Cash flow page says so in plain words, as it does for the
band of up to 8 months (its "approximate" note); a longer history gets neither."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from budgetwise.services import cashflow as C
from budgetwise.services import cashflow_model as M
from tests.services.test_cashflow_model import _history

END = dt.date(2026, 6, 30)
WORDS = "Further ahead the band is an allowance rather than a measurement"


def _fit(months: int):
    history, _ = _history(months, noise=40.0)
    return M.fit(history, as_of=END, steps=6)


@pytest.mark.parametrize("months", [10, 12])
def test_a_nine_to_thirteen_month_history_is_told_how_little_its_band_rests_on(months):
    model = _fit(months)
    assert model.how != "normal" and model.young
    notes = C.model_notes(model)
    assert any(n.startswith(f"The band rests on {model.months} complete months of history") and WORDS in n
               and "widens more with each month" in n and "allows for a large one-off expense" in n for n in notes)


def test_a_long_history_gets_no_such_note():
    model = _fit(24)
    assert not model.young
    assert not any(WORDS in n for n in C.model_notes(model))


def test_a_history_of_up_to_eight_months_keeps_its_own_note_only():
    model = _fit(6)
    assert model.how == "normal" and model.young
    notes = C.model_notes(model)
    assert not any(WORDS in n for n in notes) and any(n.startswith("The band is approximate") for n in notes)


def test_the_note_says_only_the_rules_that_are_on(monkeypatch):
    model = _fit(10)
    monkeypatch.setattr(M, "YOUNG_ONE_OFFS", False)
    (note,) = [n for n in C.model_notes(model) if WORDS in n]
    assert "widens more with each month" in note and "one-off" not in note
    monkeypatch.setattr(M, "BEYOND_GROWTH", "sqrt")
    assert not any(WORDS in n for n in C.model_notes(model))


def test_young_band_is_the_one_rule_of_the_band_and_the_model():
    steps = np.array([1, 2, 3] * 7)
    assert M.young_band(np.zeros(11), np.ones(11, dtype=int))  # fewer than YOUNG_ERRORS: the young band
    assert M.young_band(np.zeros(len(steps)), steps)  # 7 month-3 errors: pooled, still young
    steps = np.array([1, 2, 3] * 8)
    assert not M.young_band(np.zeros(len(steps)), steps)
