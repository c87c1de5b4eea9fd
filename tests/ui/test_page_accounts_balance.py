"""Accounts page: set an existing account's balance as the bank shows it (session 23, trial23; AppTest).

In the browser trial an account that an import created read 940,00 Ft and nothing on the page could change an
existing account's opening balance (only "Add an account" and the Import page's statement checkbox set one)."""

import datetime as dt

from budgetwise.services import accounts
from budgetwise.services import transactions as tx

PAGE = "pages/accounts.py"


def _plain(markdown: str) -> str:
    """The text as the browser shows it (md() escapes "$" and ".")."""
    return markdown.replace("\\", "")


def test_set_the_balance_on_a_day_then_a_refusal(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        acct = accounts.list_accounts(s, user_id=alice.user_id)[0]
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2019, 4, 17), amount="1290", kind="income",
                           description="memo goes here", account_id=acct.id)
        tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2019, 4, 19), amount="350", kind="expense",
                           description="memo goes here", account_id=acct.id)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert any(e.label == "Set a balance to match your bank" for e in at.expander)
    assert any("Now: $940.00 today, from an opening balance of $0.00" in _plain(c.value) for c in at.caption)
    key = f"acct_balance_{acct.id}"
    at.text_input(key=f"{key}_amount").input("2,345.56")
    at.date_input(key=f"{key}_day").set_value(dt.date(2019, 4, 19))
    at.button(key=f"FormSubmitter:{key}-Set the balance").click()
    at.run()
    assert not at.exception
    said = _plain(" ".join(m.value for m in at.success))
    assert "“Main account” now holds $2,345.56 at the end of 2019" in said
    assert "its opening balance is $1,405.56 (it was $0.00)" in said
    with app_env.scope() as s:
        assert accounts.get_account(s, user_id=alice.user_id, account_id=acct.id).opening_balance_minor == 140556
    # a refusal is shown where the action was started and changes nothing
    key2 = f"{key}_1"  # the form came back with fresh widgets
    at.text_input(key=f"{key2}_amount").input("€20")
    at.button(key=f"FormSubmitter:{key2}-Set the balance").click()
    at.run()
    assert not at.exception
    assert any("is in EUR but the account “Main account” is in USD" in e.value for e in at.error)
    with app_env.scope() as s:
        assert accounts.get_account(s, user_id=alice.user_id, account_id=acct.id).opening_balance_minor == 140556
