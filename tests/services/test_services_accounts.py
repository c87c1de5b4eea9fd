"""Accounts service (issue #19): create/rename/archive with specific messages, the default account,
new transactions get an account, balances from SQL aggregates with the rate rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgetwise.errors import ConflictError, NotFoundError, ValidationError
from budgetwise.models import Account, ExchangeRate, Transaction
from budgetwise.services import accounts
from budgetwise.services import transactions as tx

TODAY = dt.date.today()  # read once at import: tests pass it as the services' today (a run may cross midnight)


def _count(session, uid):
    return session.query(Account).filter(Account.user_id == uid).count()


def test_create_list_rename_archive(session, alice):
    uid = alice.user_id
    a = accounts.create_account(session, user_id=uid, name="  Everyday   checking ", kind="checking",
                                opening_balance="1,250.50", opening_date=TODAY - dt.timedelta(days=30))
    assert a.name == "Everyday checking" and a.currency == alice.currency and a.opening_balance_minor == 125050
    card = accounts.create_account(session, user_id=uid, name="Visa", kind="credit card", opening_balance="-300")
    assert card.kind == "credit_card" and card.opening_balance_minor == -30000
    assert [x.name for x in accounts.list_accounts(session, user_id=uid)] == ["Everyday checking", "Visa"]
    assert accounts.rename_account(session, user_id=uid, account_id=card.id, name="Visa gold").name == "Visa gold"
    assert accounts.find_account(session, user_id=uid, name="VISA GOLD").id == card.id
    accounts.archive_account(session, user_id=uid, account_id=card.id)
    assert [x.name for x in accounts.list_accounts(session, user_id=uid)] == ["Everyday checking"]
    assert len(accounts.list_accounts(session, user_id=uid, include_archived=True)) == 2
    accounts.archive_account(session, user_id=uid, account_id=card.id, archived=False)
    assert len(accounts.list_accounts(session, user_id=uid)) == 2


def test_same_name_is_refused_case_insensitively_and_nothing_is_written(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Savings", kind="savings")
    before = _count(session, uid)
    with pytest.raises(ConflictError, match="already have an account called “SAVINGS”"):
        accounts.create_account(session, user_id=uid, name="SAVINGS")
    other = accounts.create_account(session, user_id=uid, name="Other", kind="cash")  # beside the starter
    with pytest.raises(ConflictError, match="already have an account called “savings”"):
        accounts.rename_account(session, user_id=uid, account_id=other.id, name="savings")
    assert _count(session, uid) == before + 1


def test_bad_input_gets_specific_messages(session, alice):
    uid = alice.user_id
    before = _count(session, uid)  # the starter account made at registration
    with pytest.raises(ValidationError, match=r"opening balance is in EUR but the account “Cash” is in USD"):
        accounts.create_account(session, user_id=uid, name="Cash", currency="USD", opening_balance="10",
                                opening_balance_currency="EUR")
    with pytest.raises(ValidationError, match="not an account type"):
        accounts.create_account(session, user_id=uid, name="X", kind="piggy bank")
    with pytest.raises(ValidationError, match="Give the account a name"):
        accounts.create_account(session, user_id=uid, name="   ")
    with pytest.raises(ValidationError, match="more decimals than JPY allows"):
        accounts.create_account(session, user_id=uid, name="Yen", currency="JPY", opening_balance="10.5")
    with pytest.raises(ValidationError, match="implausibly large"):
        accounts.create_account(session, user_id=uid, name="Big", opening_balance="1000000000000000")
    with pytest.raises(ValidationError, match="in the future") as err:
        accounts.create_account(session, user_id=uid, name="Later", opening_date=TODAY + dt.timedelta(days=10), today=TODAY)
    earliest, latest = accounts.opening_date_limits(TODAY)
    span = f"from {earliest.isoformat()} to today, {latest.isoformat()}"
    assert span in err.value.message  # the page's picker accepts any date: the refusal names the limits
    with pytest.raises(ValidationError, match="before 1900") as err:
        accounts.create_account(session, user_id=uid, name="Old", opening_date=dt.date(1899, 12, 31), today=TODAY)
    assert span in err.value.message
    # typed text (``accounts add --opening-date``) is read by the one date parser, dates.parse_date
    with pytest.raises(ValidationError) as err:
        accounts.create_account(session, user_id=uid, name="Typo", opening_date="2024-13-01")
    assert (err.value.message, err.value.field) == ("“2024-13-01” is not a date (expected YYYY-MM-DD).", "opening_date")
    with pytest.raises(ValidationError, match="Give the opening balance date as YYYY-MM-DD"):
        accounts.create_account(session, user_id=uid, name="Number", opening_date=20240101)
    assert _count(session, uid) == before
    assert accounts.create_account(session, user_id=uid, name="Text", opening_date=" 2024-01-31 ").opening_date == \
        dt.date(2024, 1, 31)


def test_the_opening_date_stops_at_the_users_today_not_a_day_later(session, alice):
    """Today+1 was let through "for a browser whose day has already begun": the page now passes
    the browser's own day, so the latest date is exactly that day."""
    uid = alice.user_id
    with pytest.raises(ValidationError, match="in the future"):
        accounts.create_account(session, user_id=uid, name="Tomorrow", opening_date=TODAY + dt.timedelta(days=1),
                                today=TODAY)
    ahead = TODAY + dt.timedelta(days=1)  # a browser already in tomorrow (e.g. New Zealand)
    made = accounts.create_account(session, user_id=uid, name="Ahead", opening_date=ahead, today=ahead)
    assert made.opening_date == ahead
    with pytest.raises(ValidationError, match=r"in the future; use today or an earlier day .*to today, " + str(ahead)):
        accounts.set_opening_balance(session, user_id=uid, account_id=made.id, amount="5",
                                     opening_date=ahead + dt.timedelta(days=1), today=ahead)
    assert accounts.create_account(session, user_id=uid, name="Today", opening_date=TODAY,
                                   today=TODAY).opening_date == TODAY


def test_opening_date_refusals_write_dates_in_the_users_format(session, alice):
    """Session 16: the refusals wrote ISO dates ("2025-01-03") whatever the user's date format; they now read like
    the rest of the app (dates.day_text with the user's format and locale), and nothing is written."""
    from budgetwise.services.profile import update_profile

    uid = alice.user_id
    update_profile(session, user_id=uid, locale="de_DE", date_format="%d %b %Y")
    today = dt.date(2026, 3, 10)
    with pytest.raises(ValidationError) as err:
        accounts.create_account(session, user_id=uid, name="Later", opening_date=dt.date(2026, 5, 1), today=today)
    assert err.value.message == ("The opening balance date 01 Mai 2026 is in the future; use today or an earlier day "
                                 "(the date is from 01 Jan. 1900 to today, 10 März 2026).")
    update_profile(session, user_id=uid, date_format="%d.%m.%Y")
    made = accounts.create_account(session, user_id=uid, name="Old", opening_date=today, today=today)
    with pytest.raises(ValidationError) as err:
        accounts.set_opening_balance(session, user_id=uid, account_id=made.id, amount="5",
                                     opening_date=dt.date(1899, 12, 31), today=today)
    assert err.value.message == ("The opening balance date 31.12.1899 is before 1900 "
                                 "(the date is from 01.01.1900 to today, 10.03.2026).")
    assert err.value.field == "opening_date" and "1899-12-31" not in err.value.message
    assert accounts.get_account(session, user_id=uid, account_id=made.id).opening_balance_minor == 0


def test_the_only_open_account_cannot_be_archived(session, alice):
    only = accounts.create_account(session, user_id=alice.user_id, name="Only")
    with pytest.raises(ValidationError, match="“Only” is your only open account"):
        accounts.archive_account(session, user_id=alice.user_id, account_id=only.id)


def test_other_users_accounts_are_not_found(session, alice, bob):
    a = accounts.create_account(session, user_id=alice.user_id, name="Alice checking")
    with pytest.raises(NotFoundError):
        accounts.get_account(session, user_id=bob.user_id, account_id=a.id)
    with pytest.raises(NotFoundError):
        tx.add_transaction(session, user_id=bob.user_id, date=TODAY, amount="1", kind="expense",
                           description="x", account_id=a.id)
    # the same name is fine for another user
    accounts.create_account(session, user_id=bob.user_id, name="Alice checking")


def test_new_transactions_get_an_account(session, alice):
    uid = alice.user_id
    t = tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="coffee")
    default = accounts.list_accounts(session, user_id=uid)
    assert [a.name for a in default] == [accounts.DEFAULT_ACCOUNT_NAME] and t.account_id == default[0].id
    card = accounts.create_account(session, user_id=uid, name="Card", kind="credit_card")
    t2 = tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="x",
                            account_id=card.id)
    assert t2.account_id == card.id
    t3 = tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="y", account="card")
    assert t3.account_id == card.id  # the free-text account names an existing account
    accounts.archive_account(session, user_id=uid, account_id=card.id)
    with pytest.raises(ValidationError, match="“Card” is archived"):
        tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="z",
                           account_id=card.id)


def test_attach_unassigned_moves_rows_without_account(session, alice):
    uid = alice.user_id
    session.add(Transaction(user_id=uid, date=TODAY, amount_minor=100, currency=alice.currency, kind="expense",
                            description="bulk", merchant="bulk", fingerprint="f1"))
    session.flush()
    assert accounts.attach_unassigned(session, user_id=uid) == 1
    assert session.query(Transaction).filter(Transaction.user_id == uid, Transaction.account_id.is_(None)).count() == 0


def test_balances_per_account_and_total(session, alice):
    uid = alice.user_id
    chk = accounts.create_account(session, user_id=uid, name="Checking", opening_balance="1000",
                                  opening_date=TODAY - dt.timedelta(days=60))
    sav = accounts.create_account(session, user_id=uid, name="Savings", kind="savings", opening_balance="500")
    # before the opening date: already inside the opening balance, not counted again
    tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=90), amount="999", kind="expense",
                       description="old", account_id=chk.id)
    tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=10), amount="2000", kind="income",
                       description="salary", account_id=chk.id)
    tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=5), amount="250.25", kind="expense",
                       description="rent", account_id=chk.id)
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="100", kind="income", description="interest",
                       account_id=sav.id)
    b = accounts.balances(session, user_id=uid)
    by = {x.account.name: x for x in b.accounts}
    assert by["Checking"].balance_minor == 100000 + 200000 - 25025
    assert by["Savings"].balance_minor == 60000
    assert b.total_minor == 274975 + 60000 and b.missing_rates == ()
    earlier = accounts.balances(session, user_id=uid, as_of=TODAY - dt.timedelta(days=7))
    assert {x.account.name: x.balance_minor for x in earlier.accounts}["Checking"] == 300000


def test_a_missing_rate_is_named_never_one(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Home", opening_balance="100")
    accounts.create_account(session, user_id=uid, name="Euro", currency="EUR", opening_balance="100")
    b = accounts.balances(session, user_id=uid)
    euro = {x.account.name: x for x in b.accounts}["Euro"]
    assert euro.balance_minor == 10000 and euro.base_minor is None
    assert b.total_minor == 10000
    assert [m.currency for m in b.missing_rates] == ["EUR"]
    # the message speaks of the account's balance, not of "1 transaction" (QA, session 10)
    text = b.missing_rates[0].describe()
    assert "an account balance of €100.00 is not included" in text and "transaction" not in text
    session.add(ExchangeRate(date=TODAY - dt.timedelta(days=1), base="EUR", quote="USD", rate=Decimal("1.10"), source="manual"))
    session.flush()
    b = accounts.balances(session, user_id=uid)
    assert {x.account.name: x.base_minor for x in b.accounts}["Euro"] == 11000
    assert b.total_minor == 21000 and b.missing_rates == ()


def test_a_missing_rate_names_an_overdrawn_balance_with_its_sign(session, alice):
    """QA 2026-12-05: an account at -€59.99 (one card payment, no rate) was named "an account balance of
    €59.99", as if the money were there; transactions still add up as sizes."""
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Home", opening_balance="100")
    euro = accounts.create_account(session, user_id=uid, name="Euro", currency="EUR")
    tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=3), amount="59.99", kind="expense",
                       description="NINTENDO", currency="EUR", account_id=euro.id, auto_categorize=False)
    (missing,) = accounts.balances(session, user_id=uid).missing_rates
    assert missing.amount_minor == -5999
    assert "an account balance of -€59.99 is not included" in missing.describe()


def test_a_zero_balance_needs_no_rate(session, alice):
    """Session 23 (trial23c, in a browser): a new, empty EUR card of a USD user read "No EUR → USD rate …: an
    account balance of €0.00 is not included. Add the rate" on Accounts, Cash flow and the Dashboard, and "— no
    rate" in its row. Nothing converts to nothing at any rate; a balance that is zero again after a purchase and
    its refund too."""
    from budgetwise.services import rates

    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Home", opening_balance="100")
    accounts.create_account(session, user_id=uid, name="Euro Visa", kind="credit_card", currency="EUR")
    back = accounts.create_account(session, user_id=uid, name="Euro cash", kind="cash", currency="EUR")
    for kind in ("expense", "income"):
        tx.add_transaction(session, user_id=uid, date=TODAY - dt.timedelta(days=3), amount="20", kind=kind,
                           description="SHOP", currency="EUR", account_id=back.id, auto_categorize=False)
    b = accounts.balances(session, user_id=uid)
    assert {x.account.name: x.base_minor for x in b.accounts} == {"Home": 10000, "Euro Visa": 0, "Euro cash": 0}
    assert b.missing_rates == () and b.total_minor == 10000
    conv = rates.Converter(session, "USD", user_id=uid)
    assert conv.convert_minor(0, "EUR", TODAY) == 0 and conv.convert_minor(1, "EUR", TODAY) is None


def test_balance_history_month_ends(session, alice):
    uid = alice.user_id
    first = TODAY.replace(day=1)
    prev_end = first - dt.timedelta(days=1)
    chk = accounts.create_account(session, user_id=uid, name="Checking", opening_balance="100",
                                  opening_date=prev_end.replace(day=1))
    tx.add_transaction(session, user_id=uid, date=prev_end.replace(day=1), amount="50", kind="income",
                       description="a", account_id=chk.id)
    tx.add_transaction(session, user_id=uid, date=first, amount="30", kind="expense", description="b", account_id=chk.id)
    points, missing = accounts.balance_history(session, user_id=uid, months=2, today=TODAY)
    assert missing == ()
    assert [(p.month_end, p.balance_minor) for p in points] == [(prev_end, 15000), (TODAY, 12000)]


def test_demo_data_lands_in_named_accounts(session, db):
    from budgetwise.services import demo

    principal, rows = demo.create_demo_account(session, settings=db.settings, months=3)
    names = {a.name: a for a in accounts.list_accounts(session, user_id=principal.user_id)}
    assert "Checking" in names
    assert session.query(Transaction).filter(Transaction.user_id == principal.user_id,
                                             Transaction.account_id.is_(None)).count() == 0
    b = accounts.balances(session, user_id=principal.user_id)
    assert sum(x.transactions for x in b.accounts) == rows


def test_a_new_user_starts_with_one_account_that_their_first_own_account_replaces(session, alice):
    """The starter account is made at registration (made on the first write instead, two processes
    writing at once both created it); the user's first own checking account in its currency takes its place while
    unused (session 24: a card added first took it, and became the default, before)."""
    uid = alice.user_id
    assert [a.name for a in accounts.list_accounts(session, user_id=uid)] == [accounts.DEFAULT_ACCOUNT_NAME]
    accounts.create_account(session, user_id=uid, name="Card", kind="credit_card")
    assert [a.name for a in accounts.list_accounts(session, user_id=uid)] == [accounts.DEFAULT_ACCOUNT_NAME, "Card"]
    checking = accounts.create_account(session, user_id=uid, name="Checking")
    assert [(a.name, a.kind) for a in accounts.list_accounts(session, user_id=uid)] == [("Checking", "checking"),
                                                                                        ("Card", "credit_card")]
    tx.add_transaction(session, user_id=uid, date=TODAY, amount="5", kind="expense", description="x")
    assert accounts.default_account_id(session, user_id=uid) == checking.id
    accounts.create_account(session, user_id=uid, name="Savings", kind="savings")
    assert [a.name for a in accounts.list_accounts(session, user_id=uid)] == ["Checking", "Card", "Savings"]


def test_an_opening_balance_in_another_currency_is_refused_and_nothing_is_written(session, alice):
    """Issue #19 bad input: "€500" for a USD account is not read as 500 USD (typed or given as a currency)."""
    uid = alice.user_id
    before = _count(session, uid)
    with pytest.raises(ValidationError, match=r"opening balance “€500” is in EUR but the account “Cash” is in USD"):
        accounts.create_account(session, user_id=uid, name="Cash", currency="USD", opening_balance="€500")
    with pytest.raises(ValidationError, match=r"“500 GBP” is in GBP but the account “Cash” is in USD"):
        accounts.create_account(session, user_id=uid, name="Cash", currency="USD", opening_balance="500 GBP")
    assert _count(session, uid) == before
    euro = accounts.create_account(session, user_id=uid, name="Euro", currency="EUR", opening_balance="€500")
    assert euro.opening_balance_minor == 50_000  # the account's own currency is fine
    usd = accounts.create_account(session, user_id=uid, name="Dollars", currency="USD", opening_balance="$1,250.50")
    assert usd.opening_balance_minor == 125_050
    with pytest.raises(ValidationError, match=r"“CHF 20” is in CHF but the account “Euro” is in EUR"):
        accounts.set_opening_balance(session, user_id=uid, account_id=euro.id, amount="CHF 20")
    with pytest.raises(ValidationError, match=r"opening balance is in GBP but the account “Euro” is in EUR"):
        accounts.set_opening_balance(session, user_id=uid, account_id=euro.id, amount="20", currency="GBP")
    assert accounts.get_account(session, user_id=uid, account_id=euro.id).opening_balance_minor == 50_000


def test_an_undated_opening_balance_counts_from_the_first_transaction_not_before(session, alice):
    """Review: an opening balance without a date counted in every past month of the balance history."""
    from budgetwise.dates import add_months, month_end

    uid = alice.user_id
    this_month = TODAY.replace(day=1)
    first_day = add_months(this_month, -2)  # the account's history starts two months ago
    wallet = accounts.create_account(session, user_id=uid, name="Wallet", kind="cash", opening_balance="100")
    tx.add_transaction(session, user_id=uid, date=first_day, amount="10", kind="expense", description="a",
                       account_id=wallet.id)
    points, _ = accounts.balance_history(session, user_id=uid, months=4, today=TODAY)
    mine = [(p.month_end, p.balance_minor) for p in points if p.account_id == wallet.id]
    assert mine == [
        (month_end(add_months(this_month, -3)), 0),  # before its first transaction: no opening balance
        (month_end(first_day), 9000),
        (month_end(add_months(this_month, -1)), 9000),
        (TODAY, 9000),
    ]
    started = [(p.month_end, p.started) for p in points if p.account_id == wallet.id]
    assert [flag for _, flag in started] == [False, True, True, True]  # the chart leaves out the month before
    on = lambda day: {b.account.id: b.balance_minor for b in accounts.balances(session, user_id=uid, as_of=day).accounts}  # noqa: E731
    assert on(first_day - dt.timedelta(days=1))[wallet.id] == 0  # balances on a day agree with the history
    assert on(first_day)[wallet.id] == 9000
    assert accounts.opening_start(session, user_id=uid, account_id=wallet.id) == first_day


def test_an_undated_opening_balance_without_transactions_counts_from_the_accounts_creation(session, alice):
    uid = alice.user_id
    box = accounts.create_account(session, user_id=uid, name="Savings box", kind="savings", opening_balance="250")
    created = session.get(Account, box.id).created_at.date()
    assert accounts.opening_start(session, user_id=uid, account_id=box.id) == created
    points, _ = accounts.balance_history(session, user_id=uid, months=3)
    mine = [p.balance_minor for p in points if p.account_id == box.id]
    assert mine[-1] == 25000 and mine[0] == 0  # created today: not in the months before
    # a dated opening balance keeps its own day, even before any transaction
    dated = accounts.create_account(session, user_id=uid, name="Old", opening_balance="5", opening_date=TODAY - dt.timedelta(days=400))
    assert accounts.opening_start(session, user_id=uid, account_id=dated.id) == TODAY - dt.timedelta(days=400)


def test_a_typed_opening_balance_is_read_in_the_users_number_format(session, alice):
    """QA (browser): "500.123" typed by an en_US user became an opening balance of $500,123.00; the
    opening balance now reads typed text like every other amount form, in the user's number format."""
    from budgetwise.services.profile import update_profile

    uid = alice.user_id
    before = _count(session, uid)
    with pytest.raises(ValidationError, match="more decimals than USD allows"):
        accounts.create_account(session, user_id=uid, name="Rainy day", kind="savings", opening_balance="500.123")
    assert _count(session, uid) == before  # nothing written
    ok = accounts.create_account(session, user_id=uid, name="Rainy day", kind="savings", opening_balance="1,250")
    assert ok.opening_balance_minor == 125_000  # "1,250" is still grouping for en_US
    assert accounts.set_opening_balance(session, user_id=uid, account_id=ok.id, amount="2.500").opening_balance_minor == 250
    update_profile(session, user_id=uid, locale="de_DE")
    assert accounts.set_opening_balance(session, user_id=uid, account_id=ok.id, amount="2.500").opening_balance_minor == 250_000
    assert accounts.set_opening_balance(session, user_id=uid, account_id=ok.id, amount="12,50").opening_balance_minor == 1_250
    # a Decimal (a statement's balance) is a machine value: its "." is the decimal point in any locale
    dinar = accounts.create_account(session, user_id=uid, name="Dinar", currency="KWD", opening_balance=Decimal("500.125"))
    assert dinar.opening_balance_minor == 500_125
    assert accounts.set_opening_balance(session, user_id=uid, account_id=dinar.id,
                                        amount=Decimal("500.000")).opening_balance_minor == 500_000


def test_a_float_opening_balance_is_refused_as_the_balance_on_a_day_is(session, alice):
    """Session 24 (review24): sec24 refused a float for ``account_balance.set_balance_on`` "as for an opening balance",
    but the opening balance took one, read as typed text in the user's number format: 1.234 (a float) opened a German
    user's account at 1 234,00 €, a thousandfold. A float is refused here too, nothing written."""
    from budgetwise.services.profile import update_profile

    uid = alice.user_id
    update_profile(session, user_id=uid, locale="de_DE")
    before = _count(session, uid)
    for machine in (1.234, 5.5, 7):
        with pytest.raises(ValidationError, match="as text or a Decimal in major units"):
            accounts.create_account(session, user_id=uid, name="Giro", currency="EUR", opening_balance=machine)
    assert _count(session, uid) == before
    giro = accounts.create_account(session, user_id=uid, name="Giro", currency="EUR", opening_balance=Decimal("1.23"))
    with pytest.raises(ValidationError, match="as text or a Decimal in major units"):
        accounts.set_opening_balance(session, user_id=uid, account_id=giro.id, amount=1.234)
    assert accounts.get_account(session, user_id=uid, account_id=giro.id).opening_balance_minor == 123
