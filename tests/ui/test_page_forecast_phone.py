"""Forecast page on a phone (AppTest), trial28: the short-history message comes before the controls, and a
history shorter than one whole month says so instead of "this history has 0"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgetwise.services import demo
from budgetwise.services.demo import DemoRow
from budgetwise.ui.format import unbroken_dates as shown  # dates as displayed (no line break inside)
from tests.ui.test_page_forecast import PAGE, _seed


def _in_order(node):
    """The page's elements in the order they are drawn (blocks walked depth first)."""
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _in_order(child)


def test_the_short_history_message_comes_before_the_controls(app_env):
    """At 390 px the data, series, horizon, interval and period controls filled the first screen; the message
    saying why there is no forecast started at its bottom edge (trial28, Bea's one-month Bank of Ireland file)."""
    alice = app_env.create_user()
    _seed(app_env, alice, months=2)  # 3 complete months
    at = app_env.page(PAGE, user=alice, timeout=30)
    at.run()
    assert not at.exception and not at.error
    drawn = list(_in_order(at.main))
    message = next(i for i, e in enumerate(drawn) if str(getattr(e, "value", "")).startswith("A monthly forecast needs"))
    series = next(i for i, e in enumerate(drawn) if getattr(e, "label", None) == "Series")
    assert message < series


def test_less_than_one_whole_month_says_none_yet_and_which_days_it_has(app_env):
    """27 transactions from 1 to 28 September 2017 read "this history has 0. Add 6 more months…"."""
    bea = app_env.create_user()
    rows = [DemoRow(dt.date(2017, 9, d), Decimal("12.50"), "expense", f"SHOP {d}", "Groceries", "Checking")
            for d in range(1, 29, 3)]
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=bea.user_id, rows=rows)
    at = app_env.page(PAGE, user=bea, timeout=30)
    at.run()
    assert not at.exception
    top = at.info[0].value
    assert "this history has 0" not in top
    assert shown("this history has none yet: your transactions from 2017-09-01 to 2017-09-28 do not fill a whole "
                 "month") in top
    assert len(top.split()) <= 45, top
