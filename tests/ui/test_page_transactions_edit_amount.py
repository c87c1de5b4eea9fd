"""Amounts in forms are written in the user's number format (session 23, trial23; AppTest).

Seen in a browser trial with the Hungarian number format: the Edit form of a 240,00 CHF row showed "240.00" (a
point, whatever the user's format) and the service reads the text in the user's format. For two decimals the
point still read as a decimal point, but a three-decimal currency changed on any save: 12.345 KWD, shown
"12.345", was saved as 12 345 KWD by a user whose decimal separator is a comma (only the category was changed)."""

import datetime as dt

from budgetwise.services import transactions as tx
from budgetwise.services.profile import update_profile

PAGE = "pages/transactions.py"


def test_saving_an_edit_keeps_a_three_decimal_amount_in_a_comma_locale(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, locale="de_DE")
        t = tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2025, 3, 1), amount="12,345", kind="expense",
                               description="Souk", currency="KWD")
        assert t.amount_minor == 12345
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.multiselect(key="tx_selected").set_value([t.id])
    at.run()
    assert at.text_input(key=f"tx_e_amount_{t.id}").value == "12,345"
    at.text_input(key=f"tx_e_desc_{t.id}").input("Souk Mubarakiya")
    at.button(key=f"FormSubmitter:tx_edit_form_{t.id}-Save changes").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        row = tx.get_transaction(s, user_id=alice.user_id, transaction_id=t.id)
    assert (row.description, row.amount_minor, row.currency) == ("Souk Mubarakiya", 12345, "KWD")


def test_amount_placeholders_are_written_in_the_users_number_format(app_env):
    """The New goal and Add an account forms showed "5,000.00" and "0.00" to a comma-decimal user."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, locale="de_DE")
    goals = app_env.page("pages/goals.py", user=alice)
    goals.run()
    assert goals.text_input(key="goal_new_target").placeholder == "e.g. 12,50 or 1.234,56"
    accounts = app_env.page("pages/accounts.py", user=alice)
    accounts.run()
    assert accounts.text_input(key="acct_new_opening").placeholder == "0,00 (negative for a card or loan debt)"
