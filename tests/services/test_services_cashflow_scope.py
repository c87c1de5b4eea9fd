"""Which accounts the cash-flow answers count (issue #19; session 16, spendacct): the spending accounts
(checking, credit card, cash) by default, all of them on request, all with a reason when there are no
spending accounts to count; a confirmed transfer out of the spending accounts is money leaving them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.kinds import ACCOUNT_KINDS, SPENDING_ACCOUNT_KINDS
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts, cashflow, forecast, transfers
from budgetwise.services import cashflow_scope as S
from budgetwise.services import transactions as tx

TODAY = dt.date(2026, 12, 5)


def _bal(i, name, kind, balance=10_000, count=5, archived=False):
    view = SimpleNamespace(id=i, name=name, kind=kind, is_archived=archived)
    return SimpleNamespace(account=view, balance_minor=balance, base_minor=balance, transactions=count)


def _balances(*rows):
    return SimpleNamespace(accounts=rows, total_minor=sum(r.base_minor for r in rows), missing_rates=())


# --------------------------------------------------------------------------- pure: resolve and words
def test_the_spending_kinds_have_one_owner_and_are_account_kinds():
    assert {"checking", "credit_card", "cash"} == SPENDING_ACCOUNT_KINDS and set(ACCOUNT_KINDS) > SPENDING_ACCOUNT_KINDS
    assert S.spending_kinds_text() == "checking, credit card or cash"
    assert Account.__table__.c.kind.type.length >= max(map(len, ACCOUNT_KINDS))


def test_spending_accounts_are_counted_and_the_others_named_as_left_out():
    b = _balances(_bal(1, "Checking", "checking"), _bal(2, "Visa", "credit_card", -5_000),
                  _bal(3, "Savings", "savings"), _bal(4, "Wallet", "cash"))
    scope = S.resolve(b)
    assert scope.choice == "spending" and scope.account_ids == (1, 2, 4) and scope.spending_only
    assert scope.words == "Spending accounts: Checking, Visa and Wallet; Savings is not counted."
    two_out = S.resolve(_balances(_bal(1, "Checking", "checking"), _bal(2, "Savings", "savings"),
                                  _bal(3, "Mortgage", "loan")))
    assert two_out.words == "Spending accounts: Checking; Savings and Mortgage are not counted."
    everything = S.resolve(b, "all")
    assert everything.account_ids is None and not everything.spending_only
    assert everything.words == "All accounts: Checking, Visa, Savings and Wallet."


def test_when_every_account_is_a_spending_one_the_projection_is_the_all_accounts_one():
    scope = S.resolve(_balances(_bal(1, "Checking", "checking"), _bal(2, "Cash", "cash")))
    assert scope.account_ids is None and scope.words == "Spending accounts: Checking and Cash (all your accounts)."


def test_only_savings_or_empty_spending_accounts_fall_back_to_all_and_say_why():
    only_savings = S.resolve(_balances(_bal(1, "Savings", "savings")))
    assert only_savings.account_ids is None and only_savings.fallback
    assert only_savings.words == ("All accounts: Savings. You have no checking, credit card or cash account, so all "
                                  "your accounts are counted.")
    empty = S.resolve(_balances(_bal(1, "Checking", "checking", balance=0, count=0), _bal(2, "Savings", "savings")))
    assert empty.account_ids is None
    assert empty.words.endswith("Checking has no balance or transactions yet, so all your accounts are counted.")
    # an archived checking account is no account to spend from: all are counted
    closed = S.resolve(_balances(_bal(1, "Old checking", "checking", archived=True), _bal(2, "Savings", "savings")))
    assert closed.account_ids is None and "no checking, credit card or cash account" in closed.words
    assert S.resolve(_balances()).words == "All your accounts."


def test_an_archived_spending_account_counts_but_is_not_named():
    scope = S.resolve(_balances(_bal(1, "Checking", "checking"), _bal(2, "Old card", "credit_card", archived=True),
                                _bal(3, "Savings", "savings"), _bal(4, "Old savings", "savings", archived=True)))
    assert scope.account_ids == (1, 2) and scope.counted == ("Checking",) and scope.left_out == ("Savings",)


def test_many_names_are_summed_up_and_a_bad_choice_is_refused():
    assert S.names_text([f"A{i}" for i in range(9)]) == "A0, A1, A2, A3, A4 and 4 more"
    assert S.names_text(["A", "B"], last="or") == "A or B" and S.names_text([]) == ""
    with pytest.raises(ValidationError, match="“savings” is not a choice of accounts; choose one of: spending, all"):
        S.resolve(_balances(_bal(1, "Checking", "checking")), "savings")


# --------------------------------------------------------------------------- the database path
def _add(session, user, account_id, amount, kind, day, desc):
    return tx.add_transaction(session, user_id=user.user_id, date=day, amount=amount, kind=kind, description=desc,
                              account_id=account_id, auto_categorize=False)


def _link(session, user, out, inn):
    return transfers.confirm_transfer(session, user_id=user.user_id, out_transaction_id=out.id, in_transaction_id=inn.id)


def _sums(history):
    by = history.daily.groupby("kind")["amount_minor"].sum()
    return int(by.get("income", 0)), int(by.get("expense", 0))


def test_a_transfer_out_of_the_spending_accounts_counts_one_between_them_does_not(session, alice):
    day = dt.date(2026, 3, 10)
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    card = accounts.create_account(session, user_id=alice.user_id, name="Visa", kind="credit_card")
    sav = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings")
    _add(session, alice, chk.id, "3000", "income", day, "SALARY")
    _add(session, alice, chk.id, "100", "expense", day, "GROCER")
    _add(session, alice, card.id, "200", "expense", day, "SHOP")
    _add(session, alice, sav.id, "5", "income", day, "INTEREST")
    _link(session, alice, _add(session, alice, chk.id, "200", "expense", day, "CARD PAYMENT"),
          _add(session, alice, card.id, "200", "income", day, "PAYMENT THANK YOU"))
    _link(session, alice, _add(session, alice, chk.id, "500", "expense", day, "TO SAVINGS"),
          _add(session, alice, sav.id, "500", "income", day + dt.timedelta(days=1), "FROM CHECKING"))
    spending = forecast.history_from_db(session, user_id=alice.user_id, account_ids=[chk.id, card.id])
    assert _sums(spending) == (300_000, 80_000)  # the salary; groceries, the shop and the 500 to savings
    assert _sums(forecast.history_from_db(session, user_id=alice.user_id)) == (300_500, 30_000)  # no transfer at all
    assert _sums(forecast.history_from_db(session, user_id=alice.user_id, account_id=chk.id)) == (300_000, 10_000)
    savings = forecast.history_from_db(session, user_id=alice.user_id, account_ids=[sav.id])
    assert _sums(savings) == (50_500, 0)  # from the other side: the 500 came in
    # a row without an account is the default account's (Checking, the first): the other side of the
    # transfer to savings now has none, and it still counts as crossing when seen from Savings
    session.execute(update(Transaction).where(Transaction.description == "TO SAVINGS").values(account_id=None))
    assert _sums(forecast.history_from_db(session, user_id=alice.user_id, account_ids=[sav.id])) == (50_500, 0)
    assert _sums(forecast.history_from_db(session, user_id=alice.user_id, account_ids=[chk.id, card.id])) \
        == (300_000, 80_000)


def test_a_row_without_an_account_in_a_default_account_outside_the_set_crosses_too(session, alice):
    day = dt.date(2026, 3, 10)
    sav = accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings",  # the default
                                  replace_starter=True)  # as an import's first account (by hand: beside the starter)
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    _add(session, alice, chk.id, "3000", "income", day, "SALARY")
    _link(session, alice, _add(session, alice, chk.id, "500", "expense", day, "TO SAVINGS"),
          _add(session, alice, sav.id, "500", "income", day, "FROM CHECKING"))
    session.execute(update(Transaction).where(Transaction.description == "FROM CHECKING").values(account_id=None))
    assert _sums(forecast.history_from_db(session, user_id=alice.user_id, account_ids=[chk.id])) == (300_000, 50_000)


def test_several_account_ids_are_checked_in_one_go(session, alice, bob):
    mine = accounts.create_account(session, user_id=alice.user_id, name="Checking")
    theirs = accounts.create_account(session, user_id=bob.user_id, name="Checking")
    with pytest.raises(NotFoundError):
        accounts.account_rows(session, user_id=alice.user_id, account_id=[mine.id, theirs.id])
    with pytest.raises(NotFoundError):
        accounts.account_rows(session, user_id=alice.user_id, account_id=[])


@pytest.fixture
def demo_user(session, db):
    from budgetwise.services import demo

    principal, _ = demo.create_demo_account(session, settings=db.settings, months=24, today=TODAY)
    return principal


def test_the_demo_answers_from_checking_and_leaves_its_savings_out(session, demo_user):
    """The demo (Checking and Savings): "safe to spend" counted the Savings balance ($929 a day)."""
    uid = demo_user.user_id
    snapshot = accounts.balances(session, user_id=uid, as_of=TODAY)
    checking = next(b for b in snapshot.accounts if b.account.kind == "checking")
    spend = cashflow.cashflow_user(session, user_id=uid, horizon_months=3, today=TODAY)
    whole = cashflow.cashflow_user(session, user_id=uid, horizon_months=3, today=TODAY, scope="all")
    assert spend.start_balance_minor == checking.base_minor and whole.start_balance_minor == snapshot.total_minor
    assert spend.accounts_text == "Spending accounts: Checking; Savings is not counted."
    assert whole.accounts_text == "All accounts: Checking and Savings."
    assert spend.safe_per_day_minor < whole.safe_per_day_minor / 3 and spend.lowest_minor < whole.lowest_minor
    # the monthly transfer to savings is money leaving Checking: a known item of the spending projection only
    assert any("SAVINGS" in i.label and i.amount_minor < 0 for i in spend.items)
    assert not any("SAVINGS" in i.label and i.amount_minor < 0 for i in whole.items)
    assert spend.next_income_date == whole.next_income_date
    # the what-if works on the spending accounts' projection
    extra = cashflow.what_if_item(amount="800", kind="expense", date=TODAY + dt.timedelta(days=3), currency="USD",
                                  today=TODAY)
    with_it = cashflow.cashflow_user(session, user_id=uid, horizon_months=3, today=TODAY, what_if=[extra])
    assert with_it.lowest_minor == spend.lowest_minor - 80_000 and with_it.accounts_text == spend.accounts_text
    saving = next(i.label for i in spend.items if "SAVINGS" in i.label)
    stopped = cashflow.cashflow_user(session, user_id=uid, horizon_months=3, today=TODAY, cancel=[saving])
    assert stopped.days[-1].balance_minor > spend.days[-1].balance_minor


def test_a_user_with_only_a_savings_account_gets_the_all_accounts_answer_and_why(session, alice):
    sav = accounts.create_account(session, user_id=alice.user_id, name="Rainy day", kind="savings",
                                  opening_balance="2500", opening_date=TODAY - dt.timedelta(days=30), today=TODAY,
                                  replace_starter=True)  # an import's first account (by hand: beside the starter)
    _add(session, alice, sav.id, "40", "expense", TODAY - dt.timedelta(days=3), "FEE")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=TODAY)
    assert p.start_balance_minor == 246_000 and p.scope is not None and p.scope.fallback
    assert p.accounts_text == ("All accounts: Rainy day. You have no checking, credit card or cash account, so all "
                               "your accounts are counted.")
    assert p.days == cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=TODAY,
                                            scope="all").days


def test_scheduled_items_count_in_the_spending_accounts_projection(session, alice):
    chk = accounts.create_account(session, user_id=alice.user_id, name="Checking", opening_balance="1000",
                                  opening_date=TODAY - dt.timedelta(days=10), today=TODAY)
    accounts.create_account(session, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="9000",
                            opening_date=TODAY - dt.timedelta(days=10), today=TODAY)
    _add(session, alice, chk.id, "20", "expense", TODAY - dt.timedelta(days=2), "COFFEE")
    cashflow.add_scheduled(session, user_id=alice.user_id, name="Rent", amount="700", kind="expense",
                           next_date=TODAY + dt.timedelta(days=5), today=TODAY)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY)
    assert p.start_balance_minor == 98_000 and p.lowest_minor == 28_000
    assert [i.label for i in p.items] == ["Rent"] and p.scope is not None and p.scope.account_ids == (chk.id,)


def test_a_savings_account_added_by_hand_beside_the_empty_starter_gets_the_all_accounts_answer(session, alice):
    """Session 24: an account added by hand that is not a checking account in the user's currency leaves the starter
    (the default account) in place; empty, it is no spending account to answer about, so all accounts are counted."""
    sav = accounts.create_account(session, user_id=alice.user_id, name="Rainy day", kind="savings",
                                  opening_balance="2500", opening_date=TODAY - dt.timedelta(days=30), today=TODAY)
    _add(session, alice, sav.id, "40", "expense", TODAY - dt.timedelta(days=3), "FEE")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=TODAY)
    assert p.start_balance_minor == 246_000 and p.scope is not None and p.scope.fallback
    assert p.accounts_text == ("All accounts: Main account and Rainy day. Main account has no balance or transactions "
                               "yet, so all your accounts are counted.")
