"""Every date input shows dates in the user's order (session 26, trial26: a "31 Dec 2025" user).

st.date_input has no month names; ``ui.format.date_input_format`` maps each offered date format to the nearest
one it has ("31 Dec 2025" → DD/MM/YYYY, or the locale's separator; "31-12-2025" → DD-MM-YYYY). Streamlit's own
default, YYYY/MM/DD, is no user's format, so a call without ``format=`` through that one helper (directly, or
the period picker's ``picker_format`` that the caller fills from it) would show it. This checks the source:
AppTest renders one page at a time."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.elements.widgets.time_widgets import ALLOWED_DATE_FORMATS

from budgetwise.services.profile import DATE_FORMATS
from budgetwise.ui.format import date_input_format

ROOT = Path(__file__).resolve().parent.parent.parent


def _date_inputs():
    for path in sorted([*(ROOT / "pages").glob("*.py"), *(ROOT / "budgetwise" / "ui").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "date_input":
                fmt = next((k.value for k in node.keywords if k.arg == "format"), None)
                yield f"{path.relative_to(ROOT)}:{node.lineno}", ast.unparse(fmt) if fmt is not None else ""


def test_every_date_input_takes_the_users_format_from_the_one_helper():
    calls = list(_date_inputs())
    assert len(calls) >= 15
    allowed = {"date_input_format(principal)", "picker_format"}
    assert [(where, fmt) for where, fmt in calls if fmt not in allowed] == []


@pytest.mark.parametrize("date_format", sorted(DATE_FORMATS))
@pytest.mark.parametrize("locale", ["en_US", "en_CA", "en_GB", "de_DE", "fr_FR", "nl_NL"])
def test_each_offered_format_maps_to_one_streamlit_accepts_in_the_same_order(date_format, locale):
    fmt = date_input_format(SimpleNamespace(date_format=date_format, locale=locale))
    assert ALLOWED_DATE_FORMATS.match(fmt), fmt
    day = dt.date(2025, 12, 31)
    order = sorted(("%d", "%m", "%Y"), key=lambda t: day.strftime(date_format.replace("%b", "%m")).find(
        day.strftime(t)))
    assert [t for t in fmt.replace(".", "/").replace("-", "/").split("/")] == [
        {"%d": "DD", "%m": "MM", "%Y": "YYYY"}[t] for t in order]
