"""Cash flow page and dashboard card on an out-of-date balance (session 21's new-user trial, AppTest): no red
"below $0" alert and no "100%" chance on a balance the same page says is old; the page says it plainly."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts
from budgetwise.services import transactions as tx


def _old_user(app_env, days_old: int = 700):
    alice = app_env.create_user()
    newest = dt.date.today() - dt.timedelta(days=days_old)
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="100",
                                opening_date=newest - dt.timedelta(days=120))
        for n in range(4):
            tx.add_transaction(s, user_id=alice.user_id, date=newest - dt.timedelta(days=30 * n), amount="400",
                               kind="expense", description=f"Rent {n}")
    return alice


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def test_the_cash_flow_page_gives_no_alert_on_an_old_balance_and_asks_for_recent_transactions(app_env):
    at = app_env.page("pages/cashflow.py", user=_old_user(app_env))
    at.run()
    assert not at.exception and not at.error  # no red "goes below $0.00"
    (warning,) = [w.value for w in at.warning if "old balance" in w.value]
    assert "Import your recent transactions" in warning
    chance = next(m for m in at.metric if str(m.label) == "Chance of going below")
    assert chance.value == "—"
    assert _texts(at).count("Your newest transaction is from") == 1  # said once, in the warning


def test_the_dashboard_card_says_out_of_date_instead_of_below_your_threshold(app_env):
    at = app_env.page("pages/dashboard.py", user=_old_user(app_env))
    at.run()
    assert not at.exception
    text = _texts(at)
    assert "Below your threshold" not in text and "At risk" not in text
    assert "Out of date:** This projection starts from an old balance" in text and "from an old balance -$" in text


def test_a_current_balance_below_zero_still_gets_the_alert(app_env):
    at = app_env.page("pages/cashflow.py", user=_old_user(app_env, days_old=2))
    at.run()
    assert not at.exception and any("below $0.00" in e.value for e in at.error)  # "already below … today" (zfword)


def test_a_what_if_on_an_old_balance_gives_no_change_of_a_chance_not_given(app_env):
    """Session 22 (a new user's trial): the chance card read "—" (not given on an old balance) with "+8 points with
    the what-if" under it: a change of a figure the page does not give."""
    at = app_env.page("pages/cashflow.py", user=_old_user(app_env))
    at.run()
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    chance = next(m for m in at.metric if str(m.label) == "Chance of going below")
    assert chance.value == "—" and not chance.delta
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert "with the what-if" in str(lowest.delta)  # the figures the page gives still show the what-if


def test_safe_to_spend_is_not_given_on_an_old_balance_as_the_chance_is_not(app_env):
    """Session 22 (newuser22b): "Safe to spend per day $…" stood beside the "—" chance under the warning that called
    the balance not about your money now; it is not given either, with the reason, and no what-if change of it."""
    at = app_env.page("pages/cashflow.py", user=_old_user(app_env))
    at.run()
    safe = next(m for m in at.metric if str(m.label) == "Safe to spend per day")
    assert safe.value == "—" and "old balance" in str(safe.help)
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    safe = next(m for m in at.metric if str(m.label) == "Safe to spend per day")
    assert not at.exception and safe.value == "—" and not safe.delta


def test_a_current_balance_still_gets_safe_to_spend(app_env):
    at = app_env.page("pages/cashflow.py", user=_old_user(app_env, days_old=2))
    at.run()
    safe = next(m for m in at.metric if str(m.label) == "Safe to spend per day")
    assert safe.value != "—" and "old balance" not in str(safe.help)


def test_a_balance_set_for_today_on_the_accounts_page_makes_cash_flow_and_dashboard_current(app_env):
    """Session 24 (issue #19, noted in session 23): after "Set a balance to match your bank" for today both pages still
    said the projection starts "from an old balance"; the confirmed day (``accounts.balance_confirmed_on``) counts."""
    alice = _old_user(app_env)
    with app_env.scope() as s:
        acct = accounts.list_accounts(s, user_id=alice.user_id)[0]
    before = app_env.page("pages/cashflow.py", user=alice)
    before.run()
    assert any("old balance" in w.value for w in before.warning)
    at = app_env.page("pages/accounts.py", user=alice)
    at.run()
    key = f"acct_balance_{acct.id}"
    at.text_input(key=f"{key}_amount").input("2,500")
    at.button(key=f"FormSubmitter:{key}-Set the balance").click()  # the day: today, the form's default
    at.run()
    assert not at.exception and at.success
    assert any("Last set to match your bank on" in _texts_of(c) for c in at.caption)  # the page says the day it was confirmed
    cash = app_env.page("pages/cashflow.py", user=alice)
    cash.run()
    assert not cash.exception
    assert "old balance" not in _texts(cash) and "Your newest transaction is from" not in _texts(cash)
    assert next(m for m in cash.metric if str(m.label) == "Chance of going below").value != "—"
    dash = app_env.page("pages/dashboard.py", user=alice)
    dash.run()
    assert not dash.exception
    text = _texts(dash)
    assert "Out of date" not in text and "from an old balance" not in text and "(today $2,500.00)" in text


def _texts_of(element) -> str:
    return str(element.value).replace("\\", "")
