"""Session 19 (uicash): the Cash flow page shows one account alone, as ``budgetwise cashflow --account`` does.

"Accounts counted" has a third choice, "One account", and an "Account" choice under it; the projection is the
service's (``cashflow_user(account_id=)``). The dashboard's card keeps the spending / all choice."""

from __future__ import annotations

from budgetwise.services import accounts, cashflow
from budgetwise.ui.cashflow.projection import ACCOUNT_KEY

PAGE = "pages/cashflow.py"


def _user(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        checking = accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
        savings = accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings",
                                          opening_balance="5000")
    return alice, checking.id, savings.id


def _lowest(at) -> str:
    return next(m for m in at.metric if str(m.label) == "Lowest balance").value


def _captions(at) -> str:
    return " ".join(c.value.replace("\\", "") for c in at.caption)


def test_one_account_is_projected_alone_and_the_dashboard_keeps_its_choice(app_env):
    alice, checking, savings = _user(app_env)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert _lowest(at) == "$1,000.00" and "cf_w_account" not in [w.key for w in at.selectbox]
    at.radio(key="cf_w_scope").set_value("account")
    at.run()
    assert not at.exception
    assert at.selectbox(key="cf_w_account").options == ["Checking", "Savings"]
    at.selectbox(key="cf_w_account").set_value(savings)
    at.run()
    assert not at.exception
    assert _lowest(at) == "$5,000.00"  # Savings alone: neither the spending accounts' $1,000 nor all $6,000
    assert "Only “Savings”" in _captions(at)
    with app_env.scope() as s:  # the service's own projection of that account, not one made in the page
        expected = cashflow.cashflow_user(s, user_id=alice.user_id, horizon_months=3, account_id=savings)
    assert _lowest(at) == f"${expected.lowest_minor / 100:,.2f}"
    assert at.session_state[ACCOUNT_KEY] == savings and at.session_state["cf_scope"] == "spending"
    # a what-if compares within that account
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$5,000.00" and "-$1,500.00" in str(lowest.delta)
    at.radio(key="cf_w_scope").set_value("all")
    at.run()
    assert _lowest(at) == "$6,000.00" and at.session_state[ACCOUNT_KEY] is None


def test_the_account_survives_another_page_and_an_archived_one_falls_back(app_env):
    alice, checking, savings = _user(app_env)
    at = app_env.page(PAGE, user=alice)
    at.session_state[ACCOUNT_KEY] = savings  # chosen earlier in the session; the widgets' own values are gone
    at.run()
    assert not at.exception
    assert at.radio(key="cf_w_scope").value == "account" and at.selectbox(key="cf_w_account").value == savings
    assert _lowest(at) == "$5,000.00"
    with app_env.scope() as s:
        accounts.archive_account(s, user_id=alice.user_id, account_id=savings)
    at2 = app_env.page(PAGE, user=alice)
    at2.session_state[ACCOUNT_KEY] = savings  # archived since: not offered, the spending accounts again
    at2.run()
    assert not at2.exception
    assert at2.radio(key="cf_w_scope").value == "spending" and _lowest(at2) == "$1,000.00"
