"""One account's cash-flow projection (issue #19; session 17, cfacct): the transfers between the user's own
accounts move it (Savings rises with the monthly transfer, Checking falls by it), recurring ones on their
schedule like any known item, through the spending-accounts scope's owner of "a confirmed transfer whose other
side is outside the accounts counted" (``forecast.history_from_db(account_ids=...)``); the total is unaffected
(a transfer nets to zero) and a transfer is never "your next income"."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.dates import add_months
from budgetwise.services import accounts, cashflow, transfers
from budgetwise.services import transactions as tx

TODAY = dt.date(2026, 12, 5)
MONTHS = 8


def _add(session, user, account_id, amount, kind, day, desc):
    return tx.add_transaction(session, user_id=user.user_id, date=day, amount=amount, kind=kind, description=desc,
                              account_id=account_id, auto_categorize=False)


def _months():
    first = add_months(TODAY.replace(day=1), -MONTHS)
    return [add_months(first, k) for k in range(MONTHS)]


def _transfer(session, user, out_id, in_id, amount, day, out_desc, in_desc):
    out = _add(session, user, out_id, amount, "expense", day, out_desc)
    inn = _add(session, user, in_id, amount, "income", day + dt.timedelta(days=1), in_desc)
    transfers.confirm_transfer(session, user_id=user.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)


@pytest.fixture
def two_accounts(session, alice):
    """Checking (salary on the 25th, rent on the 1st, groceries) and Savings; 500 a month goes from Checking to
    Savings on the 26th, each transfer confirmed."""
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    sav = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")
    for k, month in enumerate(_months()):
        _add(session, alice, chk.id, "3000", "income", month.replace(day=25), "ACME PAYROLL")
        _add(session, alice, chk.id, "1000", "expense", month, "LANDLORD RENT")
        for day in (4, 11, 18):
            _add(session, alice, chk.id, str(80 + (k * 7 + day) % 40), "expense", month.replace(day=day), "GROCER")
        _transfer(session, alice, chk.id, sav.id, "500", month.replace(day=26), "TRANSFER TO SAVINGS",
                  "TRANSFER FROM CHECKING")
    return chk, sav


def _project(session, user, **kw):
    return cashflow.cashflow_user(session, user_id=user.user_id, horizon_months=3, today=TODAY, **kw)


def _transfer_items(p, word):
    return [i for i in p.items if word in i.label.upper()]


def test_one_accounts_projection_moves_with_the_transfers_and_the_total_does_not(session, alice, two_accounts):
    chk, sav = two_accounts
    savings = _project(session, alice, account_id=sav.id)
    into = _transfer_items(savings, "FROM CHECKING")
    assert [i.amount_minor for i in into] == [50_000] * 3 and {i.cadence for i in into} == {"monthly"}
    assert savings.days[-1].balance_minor == savings.start_balance_minor + 150_000  # nothing else moves Savings
    assert savings.next_income_date is None  # a transfer in is not income
    assert not any("Transfers between your accounts" in n for n in savings.notes)
    checking = _project(session, alice, account_id=chk.id)
    out = _transfer_items(checking, "TO SAVINGS")
    assert [i.amount_minor for i in out] == [-50_000] * 3
    # Checking is the one spending account: its own projection is the spending accounts' one
    spending = _project(session, alice)
    assert spending.scope is not None and spending.scope.account_ids == (chk.id,)
    assert checking.days == spending.days and checking.items == spending.items
    # all accounts together: the transfers net to zero, none is a known item
    whole = _project(session, alice, scope="all")
    assert not _transfer_items(whole, "TRANSFER")
    assert whole.start_balance_minor == checking.start_balance_minor + savings.start_balance_minor


def test_a_transfer_into_the_accounts_counted_is_not_the_next_income(session, alice):
    """Money moved from Savings to Checking on the 10th of each month keeps Checking going, but "before your next
    income" is the salary on the 25th."""
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    sav = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings",
                                  opening_balance="20000", opening_date=add_months(TODAY, -MONTHS - 1), today=TODAY)
    for month in _months():
        _add(session, alice, chk.id, "2000", "income", month.replace(day=25), "ACME PAYROLL")
        _add(session, alice, chk.id, "2300", "expense", month.replace(day=2), "LANDLORD RENT")
        _transfer(session, alice, sav.id, chk.id, "300", month.replace(day=9), "TO CHECKING", "FROM SAVINGS")
    for kw in ({"account_id": chk.id}, {}):
        p = _project(session, alice, **kw)
        assert [i.amount_minor for i in _transfer_items(p, "FROM SAVINGS")] == [30_000] * 3
        assert p.next_income_date == dt.date(2026, 12, 25), kw
    savings = _project(session, alice, account_id=sav.id)
    assert [i.amount_minor for i in _transfer_items(savings, "TO CHECKING")] == [-30_000] * 3


def _household(session, user, *, one_off_transfer: bool):
    chk = accounts.create_account(session, user_id=user.user_id, name="Checking")
    sav = accounts.create_account(session, user_id=user.user_id, name="Savings", kind="savings")
    for k, month in enumerate(_months()):
        _add(session, user, chk.id, "3000", "income", month.replace(day=25), "ACME PAYROLL")
        for day in (4, 11, 18):
            _add(session, user, chk.id, str(300 + (k * 13 + day) % 90), "expense", month.replace(day=day), "GROCER")
    if one_off_transfer:
        _transfer(session, user, chk.id, sav.id, "2000", _months()[-3].replace(day=15), "TO SAVINGS", "FROM CHECKING")
    return chk, sav


def _moves(p):
    return [(d.date, d.balance_minor - p.start_balance_minor, d.lower_minor - d.balance_minor,
             d.upper_minor - d.balance_minor) for d in p.days]


def test_a_transfer_is_never_variable_spending_or_income(session, alice, bob):
    """A one-off confirmed transfer of 2,000 from Checking to Savings: not a known item (it does not recur) and not
    in the usual spending of Checking (or of the spending accounts) or the usual income of Savings: each projection
    moves as that of a household without it (only the start differs)."""
    mine, theirs = _household(session, alice, one_off_transfer=True), _household(session, bob, one_off_transfer=False)
    for k in range(2):
        with_it = _project(session, alice, account_id=mine[k].id)
        without = _project(session, bob, account_id=theirs[k].id)
        assert _moves(with_it) == _moves(without) and with_it.items == without.items
        assert with_it.start_balance_minor - without.start_balance_minor == (-200_000, 200_000)[k]
    assert _moves(_project(session, alice)) == _moves(_project(session, bob))
