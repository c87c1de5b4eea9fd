"""Cash flow page (issue #19): the answers at the top, the chart, a what-if side by side, bad input (AppTest)."""

from budgetwise.services import accounts

PAGE = "pages/cashflow.py"


def test_a_guest_is_stopped(app_env):
    at = app_env.page(PAGE)
    at.run()
    assert not at.exception and not at.metric


def test_answers_chart_and_what_if(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert any("Lowest projected balance: $1,000.00" in i.value.replace("\\", "") for i in at.info)
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$1,000.00"
    assert at.get("plotly_chart")
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$1,000.00" and "-$1,500.00" in str(lowest.delta)  # side by side, nothing saved
    at.button(key="cf_wi_clear").click()
    at.run()
    assert not at.exception


def test_an_absurd_what_if_gets_a_specific_message(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="cf_wi_amount").input("99999999999999")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    assert any("implausibly large" in e.value for e in at.error)
