"""Accounts page: "Confirm all N likely transfers" (issue #19) confirms the clear-cut offers in one click and
leaves an ambiguous one (a row that could pair with two others) to be checked by hand (AppTest)."""

import datetime as dt

from budgetwise.services import accounts, transfers
from budgetwise.services import transactions as tx

PAGE = "pages/accounts.py"


def test_confirm_all_likely_transfers_in_one_click(app_env):
    alice = app_env.create_user()
    today = dt.date.today()
    with app_env.scope() as s:
        chk = accounts.create_account(s, user_id=alice.user_id, name="Checking")
        card = accounts.create_account(s, user_id=alice.user_id, name="Card", kind="credit_card")
        savings = accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings")

        def add(days_ago, amount, kind, desc, acc):
            return tx.add_transaction(s, user_id=alice.user_id, date=today - dt.timedelta(days=days_ago),
                                      amount=amount, kind=kind, description=desc, account_id=acc.id,
                                      auto_categorize=False).id

        for k, amount in enumerate(("312.45", "287.10", "405.99")):
            add(10 + 30 * k, amount, "expense", "CREDIT CARD PAYMENT", chk)
            add(9 + 30 * k, amount, "income", "PAYMENT THANK YOU", card)
        torn = add(3, "250.00", "expense", "TRANSFER", chk)  # into the card or into savings: either could be it
        add(3, "250.00", "income", "PAYMENT THANK YOU", card)
        add(2, "250.00", "income", "TRANSFER", savings)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert any("(4 to check)" in str(e.label) for e in at.expander)
    button = at.button(key="acct_tr_all")
    assert button.label == "Confirm all 3 likely transfers"  # the count before the click
    assert any("The other 1 wait for a click each" in c.value for c in at.caption)
    button.click()
    at.run()
    assert not at.exception
    assert any("Confirmed 3 transfers" in m.value and "undone in the transfers table below" in m.value
               for m in at.success)
    with app_env.scope() as s:
        assert len(transfers.list_transfers(s, user_id=alice.user_id)) == 3
    section = next(e for e in at.expander if "(1 to check)" in str(e.label))
    assert section.proto.expanded
    assert [b for b in at.button if str(b.key).startswith(f"acct_tr_{torn}_")]  # still offered, one by one
    assert not [b for b in at.button if b.key == "acct_tr_all"]  # no clear-cut offer left: no bulk button
