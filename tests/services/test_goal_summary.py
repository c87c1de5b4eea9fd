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


def test_a_date_before_the_target_beside_a_chance_below_even_says_why():
    """trial29: "Uncertain 45% chance by 2027-12-07 · expected around 2027-09-09" read as a contradiction; the
    expected date is on usual months, the chance also counts one-off months (goal_stats.chance). The sentence under
    it now says so, with the months seen; otherwise the summary is as before."""
    from budgetwise.services.goal_stats import OneOffs

    seen = OneOffs(21, (8792.44, 8792.44), when=(dt.date(2018, 5, 1), dt.date(2019, 6, 1)))
    text = summary(_goal(), 0.45, 2320.0, 100, locale="en_US", one_offs=seen, projected=dt.date(2027, 9, 9))
    assert text.startswith("Based on your forecast savings of about CA$2,320.00 a month for this goal. ")
    assert "expected date counts usual months only" in text and "(as in May 2018 and June 2019)" in text
    assert "about once every 10 months" in text and "past its date" in text
    plain = "Based on your forecast savings of about CA$2,320.00 a month for this goal."
    assert summary(_goal(), 0.7, 2320.0, 100, locale="en_US", one_offs=seen, projected=dt.date(2027, 9, 9)) == plain
    assert summary(_goal(), 0.45, 2320.0, 100, locale="en_US", one_offs=seen, projected=dt.date(2028, 3, 1)) == plain
    assert summary(_goal(), 0.45, 2320.0, 100, locale="en_US", projected=dt.date(2027, 9, 9)) == plain
