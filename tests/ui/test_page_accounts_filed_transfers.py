"""Accounts: pairs the import already filed under Transfers are not "to check" (session 29, trial29: the Kaggle
file's card payments, each half under Transfers, read "50 transfers to check")."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx

PAGE = "pages/accounts.py"
CSV = (
    b"date,description,amount,type,category,account\n"
    b"2025-01-26,CREDIT CARD PAYMENT,500.00,expense,Transfers,Checking\n"
    b"2025-01-27,PAYMENT THANK YOU,500.00,income,Transfers,Card\n"
    b"2025-02-26,CREDIT CARD PAYMENT,400.00,expense,Transfers,Checking\n"
    b"2025-02-27,PAYMENT THANK YOU,400.00,income,Transfers,Card\n"
)


def _section(at):
    return next(e for e in at.expander if "Transfers between your accounts" in str(e.label))


def test_pairs_filed_under_transfers_do_not_nag_and_say_what_linking_does(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        svc.commit_import(s, user_id=alice.user_id, data=CSV, filename="cards.csv")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    section = _section(at)
    assert "to check" not in str(section.label) and "2 filed under Transfers" in str(section.label)
    assert not section.proto.expanded  # nothing is wrong: not opened at the user
    note = " ".join(str(c.value) for c in at.caption)
    assert "already count as neither income nor spending" in note and "where the money went" in note
    # a pair with a row outside Transfers still needs the user's check, and is counted so
    with app_env.scope() as s:
        chk = accounts.find_account(s, user_id=alice.user_id, name="Checking")
        sav = accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings")
        for acc, kind, text in ((chk, "expense", "TO SAVINGS"), (sav, "income", "FROM CHECKING")):
            tx.add_transaction(s, user_id=alice.user_id, date=dt.date(2025, 3, 10), amount="75", kind=kind,
                               description=text, account_id=acc.id, auto_categorize=False)
    at.run()
    section = _section(at)
    assert "(1 to check, 2 filed under Transfers)" in str(section.label) and section.proto.expanded
