"""Accounts page: which account is the default, and when an added account becomes it (session 24; AppTest).

A EUR card added first used to take the starter's place and so became a USD user's default, without a word, and
later CSV files without an account went to it."""

from budgetwise.services import accounts

PAGE = "pages/accounts.py"


def _captions(at) -> str:
    return "\n".join(str(c.value) for c in at.caption).replace("\\", "")


def test_a_card_added_first_leaves_the_starter_as_the_default_and_the_page_says_so(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="acct_new_name").input("Visa")
    at.selectbox(key="acct_new_kind").set_value("credit_card")
    at.selectbox(key="acct_new_currency").set_value("EUR")
    at.button(key="FormSubmitter:acct_new-Add account").click()
    at.run()
    assert not at.exception and not at.error
    with app_env.scope() as s:
        names = [a.name for a in accounts.list_accounts(s, user_id=alice.user_id)]
        default = accounts.default_account_id(s, user_id=alice.user_id)
        assert names == [accounts.DEFAULT_ACCOUNT_NAME, "Visa"]
        assert accounts.get_account(s, user_id=alice.user_id, account_id=default).name == accounts.DEFAULT_ACCOUNT_NAME
    said = _captions(at)
    assert "Your default account is “Main account” (checking, USD)" in said
    assert "only as a checking account in USD; a card or an account in another currency is added beside it" in said
