"""Session 19 (cards): every row of count/money cards is a ``widgets.metric_row`` (one owner), so on a phone it
lays its cards two a line (CARD_CSS); Categorize, Accounts, Forecast and the Reports' Recurring tab built theirs
with ``st.columns`` and stacked them one a line (Categorize's six took ≈ 740 px of a 390 px screen)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "budgetwise" / "ui"
CARD_MODULES = ["categorize/overview.py", "accounts/overview.py", "forecast/result.py", "reports/recurring.py",
                "reports/summary.py"]


@pytest.mark.parametrize("module", CARD_MODULES)
def test_card_rows_are_metric_rows(module):
    tree = ast.parse((UI / module).read_text())
    calls = [n.func for n in ast.walk(tree) if isinstance(n, ast.Call)]
    names = {f.id if isinstance(f, ast.Name) else f.attr for f in calls if isinstance(f, ast.Name | ast.Attribute)}
    assert "metric_row" in names
    assert "columns" not in names, f"{module}: a row of cards through st.columns stacks one a line on a phone"
