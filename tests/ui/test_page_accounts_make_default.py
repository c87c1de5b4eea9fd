"""Accounts page: the user makes another account the default (session 25; AppTest). A trial's first file (CZK) took
the starter's place and stayed a EUR user's default, and no control made another account the default."""

from budgetwise.services import accounts

PAGE = "pages/accounts.py"


def test_the_user_makes_another_account_the_default_and_an_archived_one_cannot_be(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        czk = accounts.create_account(s, user_id=alice.user_id, name="123456789/1234", currency="CZK").id
        ing = accounts.create_account(s, user_id=alice.user_id, name="ING", currency="EUR").id
        accounts.archive_account(s, user_id=alice.user_id, account_id=ing)
    at = app_env.page(PAGE, user=alice)
    at.run()
    said = "\n".join(str(c.value) for c in at.caption).replace("\\", "")
    assert "Make another account the default under “Rename, change type, make default, archive or restore”" in said
    at.selectbox(key="acct_manage").set_value(ing)
    at.run()
    assert at.button(key=f"acct_default_{ing}").disabled  # archived: restore it first
    at.selectbox(key="acct_manage").set_value(czk)
    at.run()
    at.button(key=f"acct_default_{czk}").click()
    at.run()
    assert not at.exception and not at.error
    with app_env.scope() as s:
        assert accounts.default_account_id(s, user_id=alice.user_id) == czk
    said = "\n".join(str(c.value) for c in at.caption).replace("\\", "")
    assert "Your default account is “123456789/1234” (checking, CZK)" in said
    assert "“123456789/1234” is your default account." in said
