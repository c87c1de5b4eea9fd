"""Session 15 (charts): the Budgets, Forecast, Cash flow, Accounts and Goals pages show their Plotly figures
through ``Loader.chart``: a rerun with nothing changed builds no figure again, and every input the figure
shows (the data, the page's inputs, the user's locale and formats) is part of the key, so a changed input
is a changed chart, never a stale one (AppTest)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from budgetwise.services import accounts, demo, profile
from budgetwise.services import budgets as B
from budgetwise.services import goals as G
from budgetwise.ui import charts, plan_charts

BUILDERS = {
    "pages/budgets.py": (charts, "budget_progress"),
    "pages/forecast.py": (plan_charts, "forecast_figure"),
    "pages/cashflow.py": (plan_charts, "cashflow_figure"),
    "pages/accounts.py": (plan_charts, "balance_history"),
    "pages/goals.py": (plan_charts, "goal_figure"),
}


def _count_builds(monkeypatch, module, name) -> list[str]:
    built: list[str] = []
    real = getattr(module, name)

    def counting(*args, **kwargs):
        built.append(name)
        return real(*args, **kwargs)

    counting.__name__ = name
    monkeypatch.setattr(module, name, counting)
    return built


def _specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _user(app_env):
    """A user with a year of demo history, a second account, a budget and a goal: every chart has data."""
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=demo.generate(months=12))
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="1234567.89",
                                opening_date=today - dt.timedelta(days=200))
        for month in (today.replace(day=1), (today.replace(day=1) - dt.timedelta(days=40)).replace(day=1)):
            B.set_budget(s, user_id=alice.user_id, month=month, amount="3500")
        G.create_goal(s, user_id=alice.user_id, name="Car", target="15000", target_date=today + dt.timedelta(days=400),
                      already_saved="2000")
    return alice


def _change_input(at, page: str) -> None:
    """Change an input the page's chart shows."""
    if page == "pages/budgets.py":
        box = at.selectbox(key="bud_w_month")
        box.set_value(box.options[1])
    elif page == "pages/forecast.py":
        at.slider(key="fc_w_horizon").set_value(3)
    elif page == "pages/cashflow.py":
        at.text_input(key="cf_wi_amount").input("1500")
        at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    elif page == "pages/accounts.py":
        at.button_group(key="acct_months").set_value(6)
    elif page == "pages/goals.py":
        at.session_state["goal_share_1"] = 0.5  # the share of future savings (the slider's canonical value)
        at.session_state["goal_w_share_1"] = 50


@pytest.mark.parametrize("page", sorted(BUILDERS))
def test_a_rerun_builds_nothing_and_each_input_changes_the_chart(app_env, monkeypatch, page):
    built = _count_builds(monkeypatch, *BUILDERS[page])
    alice = _user(app_env)
    at = app_env.page(page, user=alice, timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert built, "the chart was not drawn"
    first, shown = len(built), _specs(at)
    at.run()  # a rerun (any widget that changes no chart): nothing built again, the same charts
    assert not at.exception and len(built) == first
    assert _specs(at) == shown
    _change_input(at, page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(built) > first and _specs(at) != shown, "an input of the chart changed, the chart did not"
    changed = _specs(at)
    # the user's number format: not in the data version; the key holds it, so the chart follows at once
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, locale="de_DE")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    after = _specs(at)
    assert after != changed
    assert any(spec["layout"].get("separators") == ",." for spec in after)


def test_another_user_never_gets_a_cached_chart(app_env, monkeypatch):
    built = _count_builds(monkeypatch, plan_charts, "balance_history")
    users = [app_env.create_user(f"{n}@example.com", n) for n in ("alice", "bob")]
    for user in users:
        with app_env.scope() as s:
            demo.seed_transactions(s, user_id=user.user_id, rows=demo.generate(months=3))
    for user in users:
        at = app_env.page("pages/accounts.py", user=user)
        at.run()
        assert not at.exception
    assert len(built) == 2


def test_many_accounts_draw_the_largest_and_one_other_line(app_env):
    """26 accounts: the legend of every account took most of the chart (QA); the largest 8 are drawn,
    the others summed as one line, and a caption says so."""
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        for i in range(26):
            accounts.create_account(s, user_id=alice.user_id, name=f"Account {i:02d}", kind="savings",
                                    opening_balance=str(100 * (i + 1)), opening_date=today - dt.timedelta(days=200),
                                    replace_starter=True)  # the first replaces the starter (by hand: beside it)
        # matched with the bank today: known up to today (session 25: opening balances given 200 days ago and
        # nothing since are old, and the chart would end on their day)
        accounts.confirm_balance(s, user_id=alice.user_id, account_id=accounts.find_account(
            s, user_id=alice.user_id, name="Account 00").id, day=today)
    at = app_env.page("pages/accounts.py", user=alice)
    at.run()
    assert not at.exception
    (spec,) = _specs(at)
    names = [t["name"] for t in spec["data"]]
    assert names[0] == "Net worth" and names[-1] == "Other accounts (18)"
    assert len(names) == 1 + plan_charts.ACCOUNT_LINES + 1
    assert set(names[1:-1]) == {f"Account {i:02d}" for i in range(18, 26)}  # the largest balances
    assert spec["layout"]["legend"]["y"] > 1  # above the plot, never over it
    assert any("summed as one line" in c.value for c in at.caption)
