"""An existing account's balance set as the bank shows it on a day (services.account_balance; session 23, trial23).

Found in a browser trial: the Hungarian Erste export's account read 940,00 Ft (its running balance did not follow
its amounts, so the Import page offered no statement balance) and no page could change an existing account's
opening balance. Runs on SQLite, and PostgreSQL / MariaDB when their URLs are set.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import AuditLog
from budgetwise.services import account_balance as AB
from budgetwise.services import accounts
from budgetwise.services import transactions as tx
from budgetwise.services.profile import update_profile

D = dt.date


def _erste(session, principal):
    """A HUF account with the Erste file's two rows: +1 290 on 17 April 2019, -350 on the 19th (940 in all)."""
    uid = principal.user_id
    acct = accounts.create_account(session, user_id=uid, name="Erste", currency="HUF")
    tx.add_transaction(session, user_id=uid, date=D(2019, 4, 17), amount="1290", kind="income",
                       description="memo goes here – payee", account_id=acct.id, currency="HUF")
    tx.add_transaction(session, user_id=uid, date=D(2019, 4, 19), amount="350", kind="expense",
                       description="memo goes here – payee", account_id=acct.id, currency="HUF")
    return acct


def _balance(session, uid, account_id, day):
    found = accounts.balances(session, user_id=uid, as_of=day)
    return next(b.balance_minor for b in found.accounts if b.account.id == account_id)


def test_the_balance_on_a_day_of_the_history_sets_the_opening_balance(session, alice):
    uid = alice.user_id
    update_profile(session, user_id=uid, locale="hu_HU")  # "2 345,56" in her number format
    acct = _erste(session, alice)
    done = AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="2 345,56", day=D(2019, 4, 19),
                             today=D(2026, 12, 6))
    assert done.account.opening_balance_minor == 234556 - 94000 and done.account.opening_date is None
    assert (done.balance_minor, done.day, done.previous_opening_minor) == (234556, D(2019, 4, 19), 0)
    assert _balance(session, uid, acct.id, D(2019, 4, 19)) == 234556
    assert _balance(session, uid, acct.id, D(2019, 4, 17)) == 234556 + 35000  # the day before the purchase
    audit = session.scalars(select(AuditLog).where(AuditLog.target_user_id == uid)).all()
    assert any("the balance you entered" in a.details for a in audit)


def test_a_day_before_the_history_opens_the_account_that_day(session, alice):
    uid = alice.user_id
    acct = _erste(session, alice)
    done = AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="500", day=D(2019, 1, 1))
    assert (done.account.opening_balance_minor, done.account.opening_date) == (50000, D(2019, 1, 1))
    assert _balance(session, uid, acct.id, D(2019, 1, 1)) == 50000
    assert _balance(session, uid, acct.id, D(2019, 4, 19)) == 50000 + 94000
    # set again on a later day: the opening date stays, the opening balance follows
    again = AB.set_balance_on(session, principal=alice, account_id=acct.id, amount="1000", day=D(2019, 4, 19))
    assert (again.account.opening_balance_minor, again.account.opening_date) == (100000 - 94000, D(2019, 1, 1))
    assert again.previous_opening_minor == 50000


@pytest.mark.parametrize(("amount", "day", "message"), [
    ("", D(2019, 4, 19), "The balance is empty"),
    ("lots", D(2019, 4, 19), "The balance “lots” is not a number"),
    ("€500", D(2019, 4, 19), "is in EUR but the account “Erste” is in HUF"),
    ("500", None, "Choose the day of the balance"),
    ("500", D(2026, 12, 7), "is in the future"),
])
def test_refusals_name_the_field_and_write_nothing(session, alice, amount, day, message):
    acct = _erste(session, alice)
    with pytest.raises(ValidationError, match=message):
        AB.set_balance_on(session, principal=alice, account_id=acct.id, amount=amount, day=day, today=D(2026, 12, 6))
    after = accounts.get_account(session, user_id=alice.user_id, account_id=acct.id)
    assert (after.opening_balance_minor, after.opening_date) == (0, None)


def test_another_users_account_is_not_found(session, alice, bob):
    acct = _erste(session, alice)
    with pytest.raises(NotFoundError):
        AB.set_balance_on(session, principal=bob, account_id=acct.id, amount="1", day=D(2019, 4, 19))
    assert accounts.get_account(session, user_id=alice.user_id, account_id=acct.id).opening_balance_minor == 0


def test_a_decimal_is_a_machine_value_and_a_float_or_int_is_refused(session, alice):
    """Session 24 (sec24): a Decimal was read in the user's number format, so Decimal("1.234") set 1 234,00 € for a
    German user (a thousands point), a thousandfold; and a float (5.5) was taken as money. A Decimal's "." is its
    decimal point (as ``accounts.set_opening_balance`` reads one); a float or an int is refused, nothing written."""
    from decimal import Decimal

    uid = alice.user_id
    update_profile(session, user_id=uid, locale="de_DE")
    acct = accounts.create_account(session, user_id=uid, name="Giro", currency="EUR")
    done = AB.set_balance_on(session, principal=alice, account_id=acct.id, amount=Decimal("1.23"), day=D(2020, 1, 6),
                             today=D(2026, 12, 6))
    assert done.balance_minor == 123
    with pytest.raises(ValidationError, match="more decimal places than EUR allows"):
        AB.set_balance_on(session, principal=alice, account_id=acct.id, amount=Decimal("1.234"), day=D(2020, 1, 6))
    for machine in (5.5, 7, True):
        with pytest.raises(ValidationError, match="Give the balance as text or a Decimal"):
            AB.set_balance_on(session, principal=alice, account_id=acct.id, amount=machine, day=D(2020, 1, 6))
    assert accounts.get_account(session, user_id=uid, account_id=acct.id).opening_balance_minor == 123
