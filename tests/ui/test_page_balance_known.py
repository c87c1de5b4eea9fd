"""The last day a balance is known, as the pages say it (session 25, known25; ``services/balance_known.py``, the one
owner): an opening balance given long ago is old on the Accounts and Cash flow pages alike, and a balance confirmed
today makes the Goals page's chance current as it does the Cash flow page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgetwise.services import account_balance as AB
from budgetwise.services import accounts, demo
from budgetwise.services import goals as G
from budgetwise.services.demo import DemoRow

TODAY = dt.date.today()
MARCH = TODAY - dt.timedelta(days=280)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts).replace("\\", "").replace("\u2011", "-")  # dates' unbroken hyphens


def _savings_set_in_march(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="5000",
                                opening_date=MARCH, replace_starter=True)
    return alice


def test_an_opening_balance_given_long_ago_is_old_on_accounts_and_cash_flow(app_env):
    """Old code: the Accounts page drew the balance up to today without a word, Cash flow said nothing either (no
    transaction, so no out-of-date note) and gave its chance and alert on a nine-month-old balance."""
    alice = _savings_set_in_march(app_env)
    at = app_env.page("pages/accounts.py", user=alice)
    at.run()
    assert not at.exception
    said = f"Your newest balance is the opening balance you gave for {MARCH.isoformat()}: nothing since then is known"
    assert said in _texts(at)
    cash = app_env.page("pages/cashflow.py", user=alice)
    cash.run()
    assert not cash.exception
    (warning,) = [w.value.replace("\\", "").replace("\u2011", "-") for w in cash.warning if "old balance" in w.value]
    assert said in warning and "set today's balance on the Accounts page" in warning


def test_an_old_history_on_the_accounts_page_says_where_the_chart_ends(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=alice.user_id, rows=[
            DemoRow(dt.date(2022, m, 3), Decimal("100.00"), "expense", "RENT", "Rent", "Checking") for m in (9, 10, 11, 12)])
    at = app_env.page("pages/accounts.py", user=alice)
    at.run()
    assert not at.exception
    assert "Your newest transaction is from 2022-12-03: the chart ends there, with your last data." in _texts(at)


def _seed_history(env, user, end: dt.date, months: int = 12) -> None:
    first = (end.replace(day=1) - dt.timedelta(days=31 * months)).replace(day=1)
    rows, day = [], first
    while day < end:
        if day.day == 25:
            rows.append(DemoRow(day, Decimal("3000.00"), "income", "ACME PAYROLL", "Salary", "Checking"))
        if day.day == 2:
            rows.append(DemoRow(day, Decimal("1500.00"), "expense", "RENT", "Rent", "Checking"))
        if day.toordinal() % 4 == 0:
            rows.append(DemoRow(day, Decimal("40.00"), "expense", "MARKET", "Groceries", "Checking"))
        day += dt.timedelta(days=1)
    with env.scope() as s:
        demo.seed_transactions(s, user_id=user.user_id, rows=rows)


def test_a_balance_confirmed_today_makes_the_goals_chance_current(app_env):
    """Old code: the Goals page read the history's newest transaction alone and said the chance was measured from an
    old history after "Set a balance" for today, while the Cash flow page called the same data current."""
    alice = app_env.create_user()
    _seed_history(app_env, alice, end=TODAY - dt.timedelta(days=300))
    with app_env.scope() as s:
        G.create_goal(s, user_id=alice.user_id, name="Car", target="4000", target_date=TODAY + dt.timedelta(days=365))
        checking = accounts.find_account(s, user_id=alice.user_id, name="Checking")
        AB.set_balance_on(s, principal=alice, account_id=checking.id, amount="2500", day=TODAY, today=TODAY)
    at = app_env.page("pages/goals.py", user=alice, timeout=120)
    at.run()
    assert not at.exception and not at.error
    assert "chance by" in _texts(at)
    assert not [w for w in at.warning if "Your newest transaction is from" in w.value]
