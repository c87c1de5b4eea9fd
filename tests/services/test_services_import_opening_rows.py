"""Opening-balance rows in an exported history (session 28, fix28; trial28: a Bluecoins export's "(New Account)" rows,
Degiro 5 231 €, were stored as uncategorized income). Such a row, the first of its account in the file, is kept in
the user's transfer category: in the account's balance, never income or spending; the preview says so; no row is
dropped. Made-up files in the shapes of money-manager exports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from budgetwise.models import Category, Transaction
from budgetwise.services import accounts, reports
from budgetwise.services import importing as svc

BLUECOINS = (
    b"Type,Date,Title,Amount,Category,Account\n"
    b"Expense,2022-02-03,Grocer,-50.00,Groceries,Bank\n"
    b"Income,2022-02-01,Salary,2000.00,Salary,Bank\n"
    b"New Account,2022-01-05,Broker,5231.00,(New Account),Broker\n"
    b"Expense,2022-01-04,Cafe,-3.00,Eating out,Bank\n"
    b"New Account,2022-01-01,Bank,120.50,(New Account),Bank\n"
)

# YNAB-style: "Starting Balance" first; a later row that says "Opening balance" is an ordinary row
YNAB = (
    b"Date,Payee,Memo,Outflow,Inflow\n"
    b"2022-03-01,Starting Balance,,0.00,800.00\n"
    b"2022-03-02,Opening balance,gift card top-up,0.00,25.00\n"
    b"2022-03-03,Market,,12.00,0.00\n"
)


def _stored(session, user_id: int) -> list[tuple]:
    return [tuple(r) for r in session.execute(
        select(Transaction.date, Transaction.amount_minor, Transaction.kind, Category.kind)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .where(Transaction.user_id == user_id).order_by(Transaction.date))]


def test_an_apps_new_account_rows_are_balances_not_income(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv")
    assert preview.rows_valid == 5  # nothing dropped
    # the accounts have no opening balance: each row becomes its account's (session 29, open29; fix28's note and
    # transfer rows before), in the same balances
    assert preview.opening_line.startswith("2 opening-balance rows become their accounts' opening balances: “Bank”")
    assert not any("kept in the category of transfers" in w for w in preview.warnings)
    svc.commit_import(session, user_id=uid, data=BLUECOINS, filename="bluecoins.csv", preview=preview)
    stored = _stored(session, uid)
    assert len(stored) == 3 and not [a for _, a, _, _ in stored if a in (523100, 12050)]
    got = {a.name: (a.opening_balance_minor, a.opening_date) for a in accounts.list_accounts(session, user_id=uid)}
    assert got["Bank"] == (12050, dt.date(2022, 1, 1)) and got["Broker"] == (523100, dt.date(2022, 1, 5))
    total = reports.summary(session, user_id=uid, filters=reports.ReportFilter(dt.date(2022, 1, 1), dt.date(2022, 2, 28)))
    assert total.income_minor == 200000  # the salary only (was 200000 + 523100 + 12050)
    balances = {b.account.name: b.balance_minor
                for b in accounts.balances(session, user_id=uid, as_of=dt.date(2022, 3, 1)).accounts}
    assert balances["Broker"] == 523100 and balances["Bank"] == 12050 + 200000 - 5000 - 300


def test_a_starting_balance_row_first_in_the_file_and_an_ordinary_opening_balance_row_later(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=YNAB, filename="ynab.csv")
    # the account has no opening balance: the row becomes it (open28), the preview says so instead of fix28's note
    assert "“Starting Balance” $800.00 on 2022-03-01 becomes" in preview.opening_line
    assert not any("kept in the category of transfers" in w for w in preview.warnings)
    svc.commit_import(session, user_id=uid, data=YNAB, filename="ynab.csv", preview=preview)
    stored = _stored(session, uid)
    # the account had no opening balance: the Starting Balance row became it (open28), not a stored row
    assert [s[1] for s in stored] == [2500, 1200]
    assert stored[0][3] != "transfer"  # not the account's first row: as any row
