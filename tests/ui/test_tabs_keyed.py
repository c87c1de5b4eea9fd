"""Every st.tabs of the pages has a key (session 13, a new user in Chromium).

Without one, the browser reopened the first tab after a rerun started from a later one: "Save preferences"
showed Details, picking an import to undo under Import → History showed "Import a file" (so its Undo button
was never seen), picking a rule under Categorize → Rules showed "To review", and the Monthly PDF's month
under Reports showed Overview. A key keeps the tabs one element across reruns (checked in Chromium on each
page); AppTest does not model the open tab, so this checks the source."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _tabs_calls():
    for path in sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "budgetwise" / "ui").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "tabs"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "st"):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", {k.arg for k in node.keywords}


def test_every_tabs_call_has_a_key():
    calls = list(_tabs_calls())
    assert len(calls) >= 5  # profile, import, categorize, reports, admin
    assert [where for where, keywords in calls if "key" not in keywords] == []
