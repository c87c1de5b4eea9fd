"""Session 21 (oneoffcat): a category holding a single purchase (24 months, one 150,000 "Electronics" purchase and
nothing else there) has no spread, so the one-off rule caps nothing (``oneoff.winsorize``: zero MAD); the forecast
carries it (same month next year: half of it; the range: all of it). Not capped (that would be a new default, needing
a pre-registered test): the Forecast page's notes say so, naming the month and amount (``backtest._one_off_note``)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import oneoff
from budgetwise.services.forecast.history import history_from_frame
from tests.services.forecast.test_bad_input import _sane

D = dt.date


def _two_years(purchase: dt.date | None) -> pd.DataFrame:
    """November 2024 - October 2026: rent and salary monthly, groceries every other day; one 150,000 Electronics
    purchase on ``purchase``; a kiosk row on 1 November 2026 so October is complete."""
    rng = np.random.default_rng(5)
    rows = []
    day = D(2024, 11, 1)
    while day < D(2026, 11, 1):
        if day.day == 1:
            rows += [(day, "1200.00", "Rent", "expense", "LANDLORD"), (day, "3000.00", "Salary", "income", "EMPLOYER")]
        if day.toordinal() % 2 == 0:
            rows.append((day, f"{rng.uniform(80, 160):.2f}", "Groceries", "expense", "MARKET"))
        day += dt.timedelta(days=1)
    if purchase is not None:
        rows.append((purchase, "150000.00", "Electronics", "expense", "SHOP"))
    rows.append((D(2026, 11, 1), "4.50", "Groceries", "expense", "KIOSK"))
    df = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])
    df["date"] = df["date"].astype(str)
    return df


def test_a_series_with_one_period_of_spending_has_nothing_capped():
    y = np.zeros(24)
    y[12] = 150_000.0
    assert oneoff.one_offs(y, oneoff.ONE_OFF_MEDIAN) == []  # no spread: the rule does not apply (documented)


@pytest.mark.parametrize(("purchase", "carried"), [(D(2025, 11, 12), True), (D(2026, 6, 12), False)])
def test_a_category_holding_a_single_purchase_is_named_in_the_notes(purchase, carried):
    cats = F.forecast_history_categories(history_from_frame(_two_years(purchase)), horizon=3)
    (elec,) = [r for r in cats.results if "Electronics" in str(r.series)]
    _sane(elec)
    assert elec.forecast["yhat_upper"].max() >= 140_000  # reproduced: the range reaches the purchase
    (note,) = [n for n in elec.notes if "Only one month of 24 has spending" in n]
    assert f"{purchase:%B %Y}: $150,000.00" in note
    if carried:  # the same month a year later: last year's month averaged in
        assert elec.forecast["yhat"].max() > 50_000 and "treat it with caution" in note
    else:
        assert elec.forecast["yhat"].max() == 0 and "range may still reach it" in note
    rent = next(r for r in cats.results if "Rent" in str(r.series))
    assert not any("Only one" in n for n in rent.notes)


def test_the_total_names_the_purchase_as_a_one_off_and_not_as_a_lone_period():
    total = F.forecast_frame(_two_years(D(2026, 6, 12)), horizon=3)
    assert any("June 2026" in n and "one-off" in n for n in total.notes)
    assert not any("Only one" in n for n in total.notes)
    assert total.forecast["yhat"].max() < 5_000
