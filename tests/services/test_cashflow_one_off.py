"""Issue #19 (session 21, outlier): one 90,000 purchase in 30 otherwise steady months. The band stays finite and
holds the projection, and the Cash flow notes name the month as a one-off (``goal_stats.one_off_shortfalls``, the
one detector of a month whose net fell far below its neighbours) and say what it does to the band: it is
calibrated on the history's own misses, that month's included, so it is wider, upward too."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from budgetwise.dates import month_end
from budgetwise.services import cashflow
from budgetwise.services import cashflow_model as M
from budgetwise.services import forecast as F
from tests.services.test_cashflow_model import _history


def _with_purchase(day: dt.date | None, noise: float = 5.0):
    history, canon = _history(30, noise=noise)
    if day is None:
        return history
    extra = F.parse_transactions(pd.DataFrame({"date": [day.isoformat()], "amount": ["90000.00"], "category": ["Home"],
                                               "type": ["expense"], "description": ["BUILDER"]}), currency="USD")
    return F.history_from_frame(pd.concat([canon, extra], ignore_index=True), currency="USD", as_of=history.as_of)


@pytest.mark.parametrize("day", [dt.date(2025, 3, 10), dt.date(2026, 4, 10)])
def test_a_90000_purchase_in_steady_months_is_named_and_the_band_holds_the_projection(day):
    history = _with_purchase(day)
    model = M.fit(history, as_of=history.as_of, steps=3)
    assert [end for end, _ in model.one_offs] == [month_end(day)]
    assert model.one_offs[0][1] < -80_000_00  # that month's net, minor units
    assert all(np.isfinite([lo, hi]).all() and lo <= 0 <= hi for lo, hi in model.band)
    p = cashflow.project_history(history, start_balance_minor=100_000, as_of=history.as_of, horizon_months=2)
    assert all(d.lower_minor <= d.balance_minor <= d.upper_minor for d in p.days)
    note = next(n for n in p.notes if "one-off" in n)
    assert day.strftime("%B %Y") in note and "-$88," in note and "upward as well as downward" in note


def test_steady_months_without_a_purchase_name_no_one_off():
    history = _with_purchase(None)
    model = M.fit(history, as_of=history.as_of, steps=3)
    assert model.one_offs == ()
    p = cashflow.project_history(history, start_balance_minor=100_000, as_of=history.as_of, horizon_months=2)
    assert not any("one-off" in n for n in p.notes)


def test_the_note_names_several_months_in_the_users_locale():
    model = M.NetModel(0, (0,), ((-1, 1),), "conformal", 24, 30,
                       one_offs=((dt.date(2025, 3, 31), -8_879_157), (dt.date(2026, 4, 30), -2_000_000)))
    (note,) = cashflow.model_notes(model, locale="de_DE", currency="EUR")
    assert "März 2025" in note and "April 2026" in note and "one-offs" in note and "those months" in note
    assert "88.791,57" in note
    young = M.NetModel(0, (0,), ((-1, 1),), "normal", 6, 8, one_offs=model.one_offs)
    # the young band's own note only (since session 25 it says its lower edge allows for a one-off; no month named)
    assert not any("fell far below" in n for n in cashflow.model_notes(young))


def test_the_months_are_one_list_after_a_colon_in_the_users_locale():
    """Session 25 (trial25): "november 2020 (€ -7.082,87) and april 2023 (€ -4.948,53) and mei 2023 (€ -11.134,80)
    were months …": "and" twice, and a sentence starting with a Dutch month name in lower case."""
    model = M.NetModel(0, (0,), ((-1, 1),), "conformal", 24, 30,
                       one_offs=((dt.date(2020, 11, 30), -708_287), (dt.date(2023, 4, 30), -494_853),
                                 (dt.date(2023, 5, 31), -1_113_480)))
    (note,) = cashflow.model_notes(model, locale="nl_NL", currency="EUR")
    (one,) = cashflow.model_notes(replace(model, one_offs=model.one_offs[:1]), locale="nl_NL", currency="EUR")
    note, one = note.replace("\xa0", " "), one.replace("\xa0", " ")  # the locale's no-break space after €
    assert note.startswith("Months whose net fell far below your usual months (one-offs): november 2020 (€ -7.082,87), "
                           "april 2023 (€ -4.948,53) and mei 2023 (€ -11.134,80). The band"), note
    assert one.startswith("A month whose net fell far below your usual months (a one-off): november 2020 (€ -7.082,87). ")
