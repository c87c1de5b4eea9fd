"""Session 14 (tidy): the Reports page's and the dashboard's Plotly figures are built once per user, data
version and arguments (``Loader.chart``), and a cached figure is the same chart as a freshly built one."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from budgetwise.services import demo
from budgetwise.services import transactions as tx
from budgetwise.ui import charts

BUILDERS = ("income_expense_bars", "spending_donut", "category_area", "trend_lines", "savings_rate_line",
            "budget_progress")


def _count_builds(monkeypatch) -> list[str]:
    built: list[str] = []
    for name in BUILDERS:
        real = getattr(charts, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            built.append(_name)
            return _real(*args, **kwargs)

        counting.__name__ = name
        monkeypatch.setattr(charts, name, counting)
    return built


def _specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.mark.parametrize("page", ["pages/reports.py", "pages/dashboard.py"])
def test_a_rerun_builds_no_chart_again_and_a_write_does(app_env, monkeypatch, page):
    built = _count_builds(monkeypatch)
    alice = app_env.create_user()
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=demo.generate(months=3))
    at = app_env.page(page, user=alice)
    at.run()
    assert not at.exception and built
    first, shown = len(built), _specs(at)
    at.run()
    assert not at.exception and len(built) == first  # nothing built again
    assert _specs(at) == shown  # the same charts, from the cache
    with app_env.scope() as s:  # a write bumps the data version: built again, with the new row
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date.today(), amount="12345.67", kind="income",
                           description="BONUS", auto_categorize=False)
    at.run()
    assert not at.exception and len(built) == 2 * first
    assert _specs(at) != shown


def test_another_user_with_the_same_figures_gets_a_chart_built_for_them(app_env, monkeypatch):
    """The cache key holds the user (never shared across users, even when the arguments are equal)."""
    built = _count_builds(monkeypatch)
    users = [app_env.create_user(f"{n}@example.com", n) for n in ("alice", "bob")]
    rows = demo.generate(months=2)
    for user in users:
        with app_env.scope() as s:
            demo.seed_transactions(s, user_id=user.user_id, rows=rows)
    counts = []
    for user in users:
        at = app_env.page("pages/reports.py", user=user)
        at.run()
        assert not at.exception
        counts.append(len(built))
    assert counts[1] == 2 * counts[0]


def test_only_chart_builders_are_cached():
    from budgetwise.ui.reporting import _chart_builder

    assert _chart_builder(charts.trend_lines) is charts.trend_lines
    for fn in (charts._layout, json.loads):
        with pytest.raises(ValueError, match="not a chart builder"):
            _chart_builder(fn)


def test_a_figure_from_its_spec_is_the_same_chart():
    months = pd.DataFrame({"label": ["Okt. 2026", "Nov. 2026"], "period": ["2026-10-01", "2026-11-01"],
                           "income_minor": [123456, 1234567], "expense_minor": [99900, 12345678],
                           "net_minor": [23556, -11111111], "savings_rate": [19.1, -900.0], "so_far": [False, True]})
    trend = pd.DataFrame({"month": [dt.date(2026, 10, 1), dt.date(2026, 11, 1)], "category": ["Food", "Food"],
                          "color": ["#123456", "#123456"], "amount_minor": [5000, 7000]})
    by_cat = pd.DataFrame({"category": ["Food", "<b>Rent</b>"], "color": ["#123456", "#654321"],
                           "amount_minor": [5000, 90000]})
    for fig in (charts.income_expense_bars(months, currency="EUR", locale="de_DE"),
                charts.trend_lines(months, currency="EUR", locale="de_DE"),
                charts.savings_rate_line(months, locale="de_DE"),
                charts.category_area(trend, currency="EUR", locale="de_DE", running_month=dt.date(2026, 11, 1)),
                charts.spending_donut(by_cat, currency="EUR", locale="de_DE")):
        again = charts.from_spec(fig.to_dict())
        assert json.loads(again.to_json()) == json.loads(fig.to_json())
