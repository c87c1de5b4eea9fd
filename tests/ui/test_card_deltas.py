"""Session 19 (uicash): a card's change arrow follows the change's sign, not its text's first character.

st.metric draws a text delta that does not start with "-" as a rise. nl_NL writes a fall of $20 "US$ -20,00",
de_CH "$-20.00", fy_NL (Western Frisian) "US$ 20,00-" with the minus after the number, Arabic puts a
right-to-left mark first: the dashboard's income fall showed a green rising arrow there (review18). Every card
delta goes through ``widgets.signed_delta``; a structure test keeps it so."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from budgetwise.dates import add_months
from budgetwise.principal import Principal
from budgetwise.services import profile
from budgetwise.ui.reporting import change_text
from budgetwise.ui.widgets import signed_delta
from tests.helpers_reports import add_rows

ROOT = Path(__file__).resolve().parent.parent.parent
UP, DOWN, NONE = MetricProto.MetricDirection.UP, MetricProto.MetricDirection.DOWN, MetricProto.MetricDirection.NONE
GREEN, RED, GRAY = MetricProto.MetricColor.GREEN, MetricProto.MetricColor.RED, MetricProto.MetricColor.GRAY
# en_US's minus first; nl_NL and de_CH: the currency first; fy_NL: the minus after the number; ar_EG: an RTL mark
LOCALES = ("en_US", "nl_NL", "de_CH", "fy_NL", "ar_EG")


def _principal(locale: str) -> Principal:
    return Principal(user_id=1, email="a@example.com", name="A", role="user", currency="USD", locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_fall_points_down_whatever_the_locale_writes(locale):
    text = change_text(_principal(locale), -2000)
    assert text is not None
    assert signed_delta(-2000, text) == {"delta": text, "delta_color": "red", "delta_arrow": "down"}
    assert signed_delta(-2000, text, delta_color="inverse")["delta_color"] == "green"  # less spending is good
    rise = change_text(_principal(locale), 2000)
    assert signed_delta(2000, rise) == {"delta": rise, "delta_color": "green", "delta_arrow": "up"}
    assert signed_delta(2000, rise, delta_color="inverse")["delta_color"] == "red"
    assert signed_delta(2000, rise, delta_color="off")["delta_color"] == "off"


def test_the_locales_do_write_a_fall_streamlit_would_misread():
    """The premise: outside en_US these texts do not start with "-" (the test above would pass vacuously if
    Babel wrote them so)."""
    texts = {loc: change_text(_principal(loc), -2000) for loc in LOCALES}
    assert texts["en_US"] == "-$20.00"
    assert not any(str(texts[loc]).startswith("-") for loc in LOCALES[1:]), texts
    assert str(texts["fy_NL"]).endswith("-"), texts


def test_no_change_is_grey_without_an_arrow_and_nothing_is_no_delta():
    assert signed_delta(0, "unchanged") == {"delta": "unchanged", "delta_color": "off", "delta_arrow": "off"}
    assert signed_delta(None, "x") == {"delta": None}
    assert signed_delta(5, None) == {"delta": None}


@pytest.mark.parametrize("locale", LOCALES)
def test_dashboard_cards_arrows_follow_the_sign(app_env, locale):
    """Income and expenses fell, net savings and the savings rate rose: in every locale the income card is a red
    fall, the expenses card a green fall (less spending), net savings and the rate green rises."""
    alice = app_env.create_user()
    today = dt.date.today()
    this_month, last_month = today.replace(day=1), add_months(today.replace(day=1), -1)
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, locale=locale)
        add_rows(s, alice.user_id, [(last_month, 300000, "income", "ACME PAYROLL", "Salary"),
                                    (last_month, 290000, "expense", "RENT", "Rent"),
                                    (this_month, 100000, "income", "ACME PAYROLL", "Salary"),
                                    (this_month, 50000, "expense", "RENT", "Rent")])
    at = app_env.page("pages/dashboard.py", user=alice)
    at.run(timeout=60)
    assert not at.exception
    cards = {m.label: m.proto for m in at.metric}
    got = {label: (cards[label].direction, cards[label].color)
           for label in ("Income", "Expenses", "Net savings", "Savings rate")}
    assert got == {"Income": (DOWN, RED), "Expenses": (DOWN, GREEN), "Net savings": (UP, GREEN),
                   "Savings rate": (UP, GREEN)}, (locale, {k: cards[k].delta for k in cards})


def _metric_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("metric", "money_metric"):
                yield name, node


def test_every_card_delta_goes_through_signed_delta():
    """No st.metric / money_metric call in the pages or the UI package passes a delta, its colour or its arrow
    itself (positionally or by keyword): only ``**signed_delta(...)`` (or a helper returning it) sets them."""
    offenders = []
    files = [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "budgetwise" / "ui").rglob("*.py"))]
    for path in files:
        for name, call in _metric_calls(ast.parse(path.read_text(encoding="utf-8"))):
            positional = len(call.args) - (3 if name == "money_metric" else 2)
            named = [k.arg for k in call.keywords if k.arg in ("delta", "delta_color", "delta_arrow")]
            if positional > 0 or named:
                offenders.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert len(files) > 50
    assert not offenders, offenders
