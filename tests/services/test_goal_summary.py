"""The goal's explanation in a sentence or two (session 26, trial26: 170 words under "Will I make it?"); the whole
paragraph stays behind an expander (tests/ui/test_page_goals.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from budgetwise.services.goal_text import summary


def _goal(overdue: bool = False):
    return SimpleNamespace(currency="CAD", overdue=overdue, target_minor=1_000_000,
                           target_date=dt.date(2027, 12, 31))


def test_each_case_is_short_plain_and_names_the_monthly_figure():
    texts = {
        "saving": summary(_goal(), 0.6, 229.79, 100, locale="en_CA"),
        "nothing": summary(_goal(), 0.05, 0.0, 100, locale="en_CA"),
        "falling": summary(_goal(), 0.2, -896.73, 100, locale="en_CA"),
        "overdue": summary(_goal(overdue=True), 0.0, 229.79, 100, locale="en_CA"),
    }
    assert texts["saving"] == "Based on your forecast savings of about $229.79 a month for this goal."
    assert "$896.73 a month" in texts["falling"] and "further away" in texts["falling"]
    assert "chance comes from how much your months vary" in texts["falling"]  # 20 %: where a chance comes from
    assert "vary" not in texts["nothing"]  # 5 %: nothing to explain
    assert texts["overdue"].startswith("The target date has passed")
    assert all(len(t.split()) <= 30 for t in texts.values()), texts
