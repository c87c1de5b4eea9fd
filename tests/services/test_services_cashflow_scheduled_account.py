"""Items scheduled by hand for an account (issue #19; session 18, cfacct, migration 0028): one account's projection
counts that account's items; the projections of several accounts count the items of no particular account as before
and the items of the accounts they count (an item of Savings is not in the spending accounts' answers); an archived
account's items stay, out of every projection, until it is restored; another user's or an archived account is
refused."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx

TODAY = dt.date(2026, 12, 5)
OLD_NOTE = ("Only “Checking”: its own recurring items and spending, and the transfers to and from your other accounts. "
            "Items scheduled by hand (which belong to no account) are not in a single account's projection.")


def _add(session, user, account_id, amount, kind, day, desc):
    return tx.add_transaction(session, user_id=user.user_id, date=day, amount=amount, kind=kind, description=desc,
                              account_id=account_id, auto_categorize=False)


@pytest.fixture
def three(session, alice):
    """Checking 1,000 (a coffee), Visa -200 and Savings 9,000 (a fee): the spending accounts are Checking and Visa."""
    def make(name, kind, opening):
        return accounts.create_account(session, user_id=alice.user_id, name=name, kind=kind, opening_balance=opening,
                                       opening_date=TODAY - dt.timedelta(days=10), today=TODAY)
    chk, visa, sav = make("Checking", "checking", "1000"), make("Visa", "credit_card", "-200"), \
        make("Savings", "savings", "9000")
    _add(session, alice, chk.id, "20", "expense", TODAY - dt.timedelta(days=2), "COFFEE")
    _add(session, alice, sav.id, "5", "expense", TODAY - dt.timedelta(days=2), "FEE")
    return chk, visa, sav


def _schedule(session, user, name, amount, kind="expense", account_id=None, days=5, **kw):
    return cashflow.add_scheduled(session, user_id=user.user_id, name=name, amount=amount, kind=kind,
                                  next_date=TODAY + dt.timedelta(days=days), today=TODAY, account_id=account_id, **kw)


def _labels(p):
    return sorted(i.label for i in p.items)


def test_each_projection_counts_the_items_of_the_accounts_it_counts(session, alice, three):
    chk, visa, sav = three
    for args in (("Rent", "700"), ("Card fee", "30", "expense", visa.id), ("Interest", "12", "income", sav.id),
                 ("Gym", "40", "expense", chk.id)):
        _schedule(session, alice, *args)
    listed = {i.name: (i.account_id, i.account) for i in cashflow.list_scheduled(session, user_id=alice.user_id)}
    assert listed == {"Rent": (None, ""), "Card fee": (visa.id, "Visa"), "Interest": (sav.id, "Savings"),
                      "Gym": (chk.id, "Checking")}

    def run(**kw):
        return cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY, **kw)

    spending = run()  # the page's default: Checking and Visa, and the items of no particular account
    assert spending.scope is not None and spending.scope.account_ids == (chk.id, visa.id)
    assert _labels(spending) == ["Card fee", "Gym", "Rent"]
    assert spending.lowest_minor == 98_000 - 20_000 - 70_000 - 3_000 - 4_000
    assert "Scheduled for accounts not counted here, so left out: “Interest” (Savings)." in spending.notes
    everything = run(scope="all")
    assert _labels(everything) == ["Card fee", "Gym", "Interest", "Rent"]
    assert not any("left out" in n for n in everything.notes)
    one = run(account_id=chk.id)
    assert _labels(one) == ["Gym"] and one.lowest_minor == 98_000 - 4_000
    assert one.notes[0] == ("Only “Checking”: its own recurring items, spending and items scheduled for it, and the "
                            "transfers to and from your other accounts. Items scheduled for no particular account are "
                            "not in a single account's projection.")
    assert _labels(run(account_id=sav.id)) == ["Interest"]
    # a what-if's "cancel" reaches an account's item as any other
    assert _labels(run(account_id=chk.id, cancel=["gym"])) == []


def test_an_item_of_an_account_is_in_that_accounts_currency_and_converted(session, alice):
    eur = accounts.create_account(session, user_id=alice.user_id, name="Euro", currency="EUR", opening_balance="100",
                                  opening_date=TODAY - dt.timedelta(days=3), today=TODAY)
    item = _schedule(session, alice, "Miete", "50", account_id=eur.id)
    assert (item.currency, item.amount_minor, item.account) == ("EUR", 5_000, "Euro")
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY, scope="all")
    assert "Miete" not in _labels(p) and any("No EUR → USD rate: the scheduled item “Miete”" in n for n in p.notes)
    usd = _schedule(session, alice, "Fee", "3", account_id=eur.id, currency="USD")  # an explicit currency wins
    assert usd.currency == "USD"


def test_another_users_or_an_archived_account_is_refused(session, alice, bob, three):
    chk, visa, _sav = three
    theirs = accounts.list_accounts(session, user_id=bob.user_id)[0]
    with pytest.raises(NotFoundError, match="This account does not exist"):
        _schedule(session, alice, "Rent", "700", account_id=theirs.id)
    with pytest.raises(NotFoundError):
        _schedule(session, bob, "Rent", "700", account_id=chk.id)
    accounts.archive_account(session, user_id=alice.user_id, account_id=visa.id)
    with pytest.raises(ValidationError, match="The account “Visa” is archived: nothing new can be scheduled for it"):
        _schedule(session, alice, "Card fee", "30", account_id=visa.id)
    assert cashflow.list_scheduled(session, user_id=alice.user_id) == []
    assert cashflow.list_scheduled(session, user_id=bob.user_id) == []


def test_archiving_an_account_keeps_its_items_out_of_every_projection_until_it_is_restored(session, alice, three):
    chk, visa, _sav = three
    _schedule(session, alice, "Rent", "700")
    _schedule(session, alice, "Card fee", "30", account_id=visa.id)
    _schedule(session, alice, "Annual fee", "90", account_id=visa.id, days=9)
    assert cashflow.archived_items_note(session, user_id=alice.user_id, account_id=chk.id) is None
    accounts.archive_account(session, user_id=alice.user_id, account_id=visa.id)
    assert cashflow.archived_items_note(session, user_id=alice.user_id, account_id=visa.id) == (
        "Its scheduled items “Card fee” and “Annual fee” stay on the Cash flow page but are not projected while it is "
        "archived; restoring the account brings them back.")
    listed = {i.name: i.account_archived for i in cashflow.list_scheduled(session, user_id=alice.user_id)}
    assert listed == {"Rent": False, "Card fee": True, "Annual fee": True}
    for kw in ({}, {"scope": "all"}, {"account_id": visa.id}):
        p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY, **kw)
        assert "Card fee" not in _labels(p) and "Annual fee" not in _labels(p)
        assert any(n.startswith("Not projected: “Card fee” (Visa) and “Annual fee” (Visa)") for n in p.notes)
    accounts.archive_account(session, user_id=alice.user_id, account_id=visa.id, archived=False)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY, scope="all")
    assert _labels(p) == ["Annual fee", "Card fee", "Rent"] and not any("Not projected" in n for n in p.notes)


def test_without_items_of_an_account_the_words_are_as_before(session, alice, three):
    """The CLI's output stays byte-identical for a user whose items belong to no particular account."""
    chk, _visa, _sav = three
    _schedule(session, alice, "Rent", "700")
    one = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY, account_id=chk.id)
    assert one.notes[0] == OLD_NOTE and _labels(one) == []
    spending = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=TODAY)
    assert _labels(spending) == ["Rent"] and not any("scheduled" in n.lower() for n in spending.notes)


def test_deleting_an_account_leaves_its_items_to_no_particular_account(session, alice, three):
    """The foreign key clears (ON DELETE SET NULL): an item never points at a missing account."""
    from budgetwise.models import Account

    chk, _visa, _sav = three
    item = _schedule(session, alice, "Gym", "40", account_id=chk.id)
    session.query(Account).filter(Account.id == chk.id).delete()
    session.flush()
    session.expire_all()
    [left] = cashflow.list_scheduled(session, user_id=alice.user_id)
    assert (left.id, left.account_id, left.account) == (item.id, None, "")
