"""The pure parts of categorization, tested without a database.

``types``, ``textforms``, ``regex_safety`` and ``ruleset`` hold no Session: a rule set is
built from plain rows and matched against plain tuples.
"""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest

from budgetwise import textforms
from budgetwise.errors import ValidationError
from budgetwise.services.categorize import regex_safety, ruleset
from budgetwise.services.categorize.ruleset import _match_rows, _RuleRow, _RuleSet

PURE = ("budgetwise.textforms",) + tuple(
    f"budgetwise.services.categorize.{m}" for m in ("types", "regex_safety", "ruleset", "labelled", "history")
)


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_know_no_database(name):
    module = importlib.import_module(name)
    imported = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
    assert not {m for m in imported if m.startswith(("sqlalchemy", "budgetwise.models", "budgetwise.db"))}
    assert "Session" not in {n.id for n in ast.walk(ast.parse(inspect.getsource(module))) if isinstance(n, ast.Name)}


def test_learn_key_drops_boilerplate_and_numbers():
    assert textforms.learn_key("POS purchase REWE 1234 Berlin") == textforms.learn_key("card payment rewe 99 berlin")
    assert textforms.learn_key("") == ""


def test_compile_regex_accepts_plain_and_refuses_nested_repeats():
    assert regex_safety.compile_regex(r"\bnetflix\b").search("netflix com")
    with pytest.raises(ValidationError):
        regex_safety.compile_regex(r"(a+)+$")
    with pytest.raises(ValidationError):
        regex_safety.compile_regex("x" * 300)


def test_required_literals_of_a_plain_alternation():
    assert sorted(regex_safety._required_literals(r"\bnetflix\b|spotify")) == ["netflix", "spotify"]


def _row(rule_id, category_id, match_type, pattern, *, is_global=False, kind=None, min_amount=None):
    return _RuleRow(rule_id, category_id, match_type, pattern, min_amount, None, kind, None,
                    "default" if is_global else "user", is_global)


def test_ruleset_first_match_in_order_with_amount_and_kind_checks():
    rules = _RuleSet([
        _row(1, 10, "contains", "rewe", min_amount=5000),
        _row(2, 20, "starts_with", "rewe"),
        _row(3, 30, "regex", r"\bsalary\b", kind="income"),
        _row(4, 40, "exact", "netflix", is_global=True),
    ])
    hits = _match_rows(rules, [
        ("REWE Markt 12", 9000, "expense", None),  # big enough for rule 1
        ("Rewe Markt 13", 100, "expense", None),  # rule 1's minimum not met: rule 2
        ("Monthly SALARY", 100, "income", None),
        ("Monthly salary", 100, "expense", None),  # rule 3 is for income only
        ("NETFLIX", 100, "expense", None),
        ("unknown shop", 100, "expense", None),
    ])
    assert [h.row.id if h else None for h in hits] == [1, 2, 3, None, 4, None]


def test_compiled_rules_are_memoized_per_row_tuple():
    rows = (_row(1, 10, "contains", "aldi"),)
    assert ruleset._compiled_rules(rows) is ruleset._compiled_rules(tuple(rows))
