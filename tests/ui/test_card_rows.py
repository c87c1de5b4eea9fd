"""Session 15 (uiqa): a row of metric cards formats each figure once. The rows formatted every money figure
twice: once for the list that sizes the row's font (``widgets.metric_row``) and again inside
``widgets.money_metric``; the card now shows the text of that list."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from budgetwise.ui import format as fmt
from tests.helpers_reports import add_rows

# this month's income and expenses, each shown only on its card (the net also shows elsewhere on the dashboard)
INCOME, EXPENSE = 1_234_567, 345_679


@pytest.fixture
def formatted(monkeypatch) -> Counter:
    calls: Counter = Counter()
    real = fmt.format_money

    def counting(minor, *args, **kwargs):
        calls[int(minor)] += 1
        return real(minor, *args, **kwargs)

    monkeypatch.setattr(fmt, "format_money", counting)
    return calls


@pytest.mark.parametrize("page", ["pages/dashboard.py", "pages/reports.py"])
def test_each_card_figure_is_formatted_once(app_env, formatted, page):
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        add_rows(s, alice.user_id, [(today.replace(day=1), INCOME, "income", "Salary", "Salary"),
                                    (today.replace(day=1), EXPENSE, "expense", "Rent", "Rent")])
    at = app_env.page(page, user=alice)
    at.run(timeout=60)
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["Income"] == "$12,345.67" and shown["Net savings"] == "$8,888.88"
    assert formatted[INCOME] == 1 and formatted[EXPENSE] == 1, formatted  # twice before the fix
