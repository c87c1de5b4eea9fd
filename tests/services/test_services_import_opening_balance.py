"""An opening-balance row becomes the account's opening balance (session 28, open28; fix28 kept it as a transfer
row): when the account has none and no earlier rows, the import writes the row's amount and day as its opening
balance and does not store the row (the balance counts it once: the same balance as fix28's transfer row); a
re-import writes nothing twice; undoing the import puts the previous opening balance back. An opening balance the
user set, or earlier rows, keep fix28's transfer row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc

YNAB = (
    b"Date,Payee,Memo,Outflow,Inflow\n"
    b"2019-11-02,Starting Balance,,0.00,5231.00\n"
    b"2019-11-05,Market,,12.00,0.00\n"
    b"2019-11-06,Opening balance,gift card top-up,0.00,25.00\n"
)
END = dt.date(2019, 12, 1)


def _rows(session, uid: int) -> list[tuple]:
    return [tuple(r) for r in session.execute(select(Transaction.date, Transaction.description, Transaction.amount_minor)
                                              .where(Transaction.user_id == uid).order_by(Transaction.date))]


def _account(session, uid: int):
    found = [b for b in accounts.balances(session, user_id=uid, as_of=END).accounts if b.balance_minor]
    assert len(found) == 1
    return found[0]


def test_the_starting_balance_row_becomes_the_accounts_opening_balance_once(session, alice):
    uid = alice.user_id
    done = svc.commit_import(session, user_id=uid, data=YNAB, filename="ynab.csv")
    assert done.rows_imported == 2
    assert "“Starting Balance” $5,231.00 on 2019-11-02 becomes" in done.opening and "opening balance" in done.opening
    assert [r[1] for r in _rows(session, uid)] == ["Market", "Opening balance – gift card top-up"]  # not stored as a row
    held = _account(session, uid)
    assert (held.account.opening_balance_minor, held.account.opening_date) == (523100, dt.date(2019, 11, 2))
    assert held.balance_minor == 523100 - 1200 + 2500  # as with fix28's transfer row
    again = svc.commit_import(session, user_id=uid, data=YNAB, filename="ynab.csv")  # a re-import: nothing twice
    assert again.nothing_new and again.rows_duplicate == 3
    assert len(_rows(session, uid)) == 2 and _account(session, uid).balance_minor == 523100 - 1200 + 2500
    svc.undo_import(session, user_id=uid, batch_id=done.batch_id)
    view = accounts.get_account(session, user_id=uid, account_id=held.account.id)
    assert (view.opening_balance_minor, view.opening_date) == (0, None) and not _rows(session, uid)


def test_an_opening_balance_the_user_set_stays_and_the_row_is_a_transfer(session, alice):
    uid = alice.user_id
    first = svc.commit_import(session, user_id=uid, data=b"Date,Payee,Outflow,Inflow\n2019-12-01,Cafe,3.00,0.00\n",
                              filename="a.csv")
    account_id = session.scalar(select(Transaction.account_id).where(Transaction.import_batch_id == first.batch_id))
    accounts.set_opening_balance(session, user_id=uid, account_id=account_id, amount="100.00",
                                 opening_date=dt.date(2019, 1, 1))
    done = svc.commit_import(session, user_id=uid, data=YNAB, filename="ynab.csv")
    assert done.rows_imported == 3 and "stays a transfer row" in done.opening and "has an opening balance" in done.opening
    view = accounts.get_account(session, user_id=uid, account_id=account_id)
    assert (view.opening_balance_minor, view.opening_date) == (10000, dt.date(2019, 1, 1))


def test_the_preview_says_what_the_import_does_with_the_row(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=YNAB, filename="ynab.csv")
    assert preview.opening_line.startswith("“Starting Balance” $5,231.00 on 2019-11-02 becomes “")
    assert preview.opening_line.endswith("'s opening balance.")
    done = svc.commit_import(session, user_id=uid, data=YNAB, filename="ynab.csv", preview=preview)
    assert done.opening == preview.opening_line
    again = svc.preview_import(session, user_id=uid, data=YNAB, filename="ynab.csv")
    assert again.rows_new == 0 and again.opening_line.endswith("'s opening balance: nothing new.")  # session 29
    assert again.opening_line.startswith("“Starting Balance” $5,231.00 on 2019-11-02 is already “")


def test_a_failed_import_leaves_the_opening_balance_as_it_was(session, alice, monkeypatch):
    import pytest

    from budgetwise.services.importing import commit

    uid = alice.user_id

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit, "_insert_rows", fail)  # after the opening balance is written
    with pytest.raises(RuntimeError):
        svc.commit_import(session, user_id=uid, data=YNAB, filename="ynab.csv")
    assert all((b.account.opening_balance_minor, b.account.opening_date) == (0, None)
               for b in accounts.balances(session, user_id=uid, as_of=END).accounts)
    assert not _rows(session, uid)
