"""What a forecast says it left out for want of an exchange rate: only the rows of its own series (session 25)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from budgetwise.services import forecast as F
from tests.services.forecast.test_services_forecast import _seed, household


def _huf_in_and_out(session, user_id: int) -> None:
    """Nine months in USD, and in HUF (no rate stored) 350 out and 1,290 in: the trial's "2 transactions
    (HUF 1.640,00)" under a forecast of expenses."""
    today = dt.date.today()
    first = (today.replace(day=1) - dt.timedelta(days=250)).replace(day=1)
    _seed(session, user_id, household(first, months=9, end=today - dt.timedelta(days=1)))
    day = first + dt.timedelta(days=20)
    _seed(session, user_id, pd.DataFrame(
        [(day.isoformat(), "350.00", "Shopping", "expense", "BUDAPEST SHOP"),
         (day.isoformat(), "1290.00", "Salary", "income", "BUDAPEST PAY")],
        columns=["date", "amount", "category", "type", "description"]), currency="HUF")
    session.flush()


def test_a_forecast_of_expenses_names_only_the_expenses_left_out(db, session, alice):
    _huf_in_and_out(session, alice.user_id)
    expenses = F.forecast_user(session, user_id=alice.user_id, series=F.SERIES_EXPENSES, horizon=2)
    notes = " ".join(expenses.notes)
    assert "1 transaction (HUF350.00) is not included" in notes, notes
    assert "1,640" not in notes and "2 transactions" not in notes
    assert [(m.currency, m.count, m.amount_minor) for m in expenses.missing_rates] == [("HUF", 1, 35000)]
    assert expenses.rate_notes and all(n in expenses.notes for n in expenses.rate_notes)

    income = F.forecast_user(session, user_id=alice.user_id, series=F.SERIES_INCOME, horizon=2)
    assert [(m.count, m.amount_minor) for m in income.missing_rates] == [(1, 129000)]
    assert "1 transaction (HUF1,290.00) is not included" in " ".join(income.notes)
    net = F.forecast_user(session, user_id=alice.user_id, series=F.SERIES_NET, horizon=2)
    assert [m.count for m in net.missing_rates] == [2]  # the net uses both


def test_a_category_forecast_names_the_rows_of_its_kind(db, session, alice):
    _huf_in_and_out(session, alice.user_id)
    rent = F.forecast_user(session, user_id=alice.user_id, series="category:Rent", horizon=2)
    assert [(m.count, m.amount_minor) for m in rent.missing_rates] == [(1, 35000)]
    assert sum("not included" in n for n in rent.notes) == 1


def test_the_history_keeps_naming_every_row_left_out(db, session, alice):
    """The history's notes (the "too little history" message reads them) still name all the rows."""
    _huf_in_and_out(session, alice.user_id)
    history = F.history_from_db(session, user_id=alice.user_id)
    assert any("2 transactions (HUF1,640.00) are not included" in n for n in history.notes)
    assert [m.count for m in history.left_out_for(None)] == [2]
