"""benchmarks/categorize_errors.py's nearest-neighbour probe (session 21): per (learning key, direction) the category
of the history's most alike key of the same direction, and how alike. Made-up rows."""

from __future__ import annotations

from benchmarks.categorize_errors import neighbours
from budgetwise.services.categorize.history import HistoryRow, UserKnowledge


def _row(key: str, kind: str, category: int) -> HistoryRow:
    return HistoryRow(key, key, kind, 1000, 1, None, category)


def test_the_nearest_key_of_the_same_direction_answers():
    knowledge = UserKnowledge([_row("padaria sol", "expense", 1), _row("padaria sol", "expense", 1),
                               _row("padaria sol", "expense", 2), _row("posto shell", "expense", 3),
                               _row("padaria sol", "income", 4)])
    out = neighbours(knowledge, [("padaria sol centro", "expense"), ("padaria sol", "income"),
                                 ("zzzz", "expense"), ("anything", "transfer")])
    assert out[0][0] == 1 and out[0][1] > 0.5  # most of the alike key's rows
    assert out[1] == (4, out[1][1]) and out[1][1] > 0.99  # the income rows, not the expenses
    assert out[2] == (None, 0.0)  # nothing alike
    assert out[3] == (None, 0.0)  # no history in that direction


def test_no_history_rows_no_neighbour():
    assert neighbours(UserKnowledge([]), [("padaria", "expense")]) == [(None, 0.0)]
