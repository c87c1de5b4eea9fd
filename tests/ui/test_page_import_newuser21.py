"""Import page, session 21's new-user trial (AppTest): after a file whose account column names a card first,
the next file without an account column is preselected into the checking account (not the card); a file
without a description column keeps its labels, and the label table says so."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import Transaction
from tests.ui.test_page_import import PAGE, _click, _texts, _upload

CARD_FIRST = (b"Date,Description,Amount,Account\n2024-03-01,Diner,-30.00,Visa Card\n"
              b"2024-03-02,Salary,1000.00,Everyday Checking\n")
NO_ACCOUNT = b"Date,Description,Amount\n2024-04-01,Grocer,-12.50\n"
NO_DESCRIPTION = (b"Category,Date,AmountIn,AmountOut\nRecreation,2024-03-01,,25.00\nRecreation,2024-03-02,,25.00\n"
                  b"Groceries,2024-03-03,,40.10\n")


def test_the_next_file_without_an_account_goes_to_the_checking_account_not_the_card(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "household.csv", CARD_FIRST)
    _click(at, "Import 2 transactions")
    assert not at.exception
    _upload(at, "plain.csv", NO_ACCOUNT)
    assert not at.exception
    box = next(s for s in at.selectbox if s.label == "Account")
    assert box.format_func(box.value) == "Everyday Checking (your default account)"


def test_a_file_without_descriptions_keeps_its_labels_and_the_table_says_so(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "v.csv", NO_DESCRIPTION)
    assert not at.exception
    assert ("3 rows have no description of their own in the file (none, or the label again): each keeps its label "
            "as its description (“Recreation”)") in _texts(at).replace("\\", "")
    _click(at, "Import 3 transactions")
    assert not at.exception
    with app_env.scope() as s:
        descs = sorted(s.scalars(select(Transaction.description).where(Transaction.user_id == alice.user_id)))
    assert descs == ["Groceries", "Recreation", "Recreation"]
