"""Session 27 (trial27, in Chromium): after the Kaggle history (its Account column made "Platinum Card", "Silver Card",
"Checking"), Capital One's card export (its own "Card No." column, last four digits "1234", no currency) went into
"Platinum Card", the only card account, though nothing ties them (no shared number, no shared rows).

Now a card-number column ("Card No.", "Card Number", "Card", "Kartennummer", "Numéro de carte") whose values look like
card digits is the file's account column: its rows go to the account whose number (``external_id``) ends in those
digits, else to a new credit-card account "Card …1234"; never to another card account for its type and currency."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.importing import parse_file
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc

KAGGLE_LIKE = (b"Date,Description,Amount,Transaction Type,Category,Account Name\n"
               b"01/01/2018,Amazon,11.11,debit,Shopping,Platinum Card\n"
               b"01/02/2018,Mortgage Payment,1247.44,debit,Mortgage & Rent,Checking\n"
               b"01/02/2018,Thai Restaurant,24.22,debit,Restaurants,Silver Card\n"
               b"01/03/2018,Credit Card Payment,2298.09,credit,Credit Card Payment,Platinum Card\n")
CARD = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        b"2015-12-31,2016-01-02,1234,Airplanes R Us,Other Travel,1000.00,\n"
        b"2015-12-31,2016-01-02,1234,CAPITAL ONE AUTOPAY PYMT,Payment/Credit,,1000.00\n")


def _import(session, user_id: int, data: bytes, name: str):
    preview = svc.preview_import(session, user_id=user_id, data=data, filename=name)
    svc.commit_import(session, user_id=user_id, data=data, filename=name, preview=preview)
    return preview


def _account_of(session, user_id: int, description: str) -> Account:
    return session.scalars(select(Account).join(Transaction, Transaction.account_id == Account.id).where(
        Transaction.user_id == user_id, Transaction.description.like(f"%{description}%"))).one()


def test_the_capital_one_file_after_the_kaggle_history_gets_its_own_card_account(session, alice, shared_data):
    _import(session, alice.user_id, KAGGLE_LIKE, "kaggle.csv")
    platinum = _account_of(session, alice.user_id, "Amazon")
    assert (platinum.name, platinum.kind) == ("Platinum Card", "credit_card")
    data = (shared_data / "bank_formats" / "csv" / "us_capitalone_card.csv").read_bytes()
    preview = _import(session, alice.user_id, data, "us_capitalone_card.csv")
    assert [(s.name, s.new, s.rows, s.kind) for s in preview.accounts] == [("Card …1234", True, 2, "credit_card")]
    card = _account_of(session, alice.user_id, "Airplanes")
    assert card.id != platinum.id and (card.name, card.kind, card.currency) == ("Card …1234", "credit_card", "USD")
    assert _account_of(session, alice.user_id, "AUTOPAY").id == card.id
    # the next statement of that card goes to the same account, even renamed
    accounts.rename_account(session, user_id=alice.user_id, account_id=card.id, name="Quicksilver")
    later = data.replace(b"2015-12-31", b"2016-01-31").replace(b"2016-01-02", b"2016-02-02")
    again = _import(session, alice.user_id, later, "us_capitalone_card2.csv")
    assert [(s.name, s.new) for s in again.accounts] == [("Quicksilver", False)]
    assert set(session.scalars(select(Transaction.account_id).where(
        Transaction.user_id == alice.user_id, Transaction.description.like("%Airplanes%")))) == {card.id}


def test_a_card_account_keeping_a_number_ending_in_those_digits_takes_the_rows(session, alice):
    _import(session, alice.user_id, KAGGLE_LIKE, "kaggle.csv")
    ofx = accounts.create_account(session, user_id=alice.user_id, name="Credit card …1234", kind="credit_card",
                                  external_id="4111111111111234")
    other = accounts.create_account(session, user_id=alice.user_id, name="Credit card …9999", kind="credit_card",
                                    external_id="4111111111119999")
    preview = _import(session, alice.user_id, CARD, "capitalone.csv")
    assert [(s.name, s.new) for s in preview.accounts] == [("Credit card …1234", False)]
    assert _account_of(session, alice.user_id, "Airplanes").id == ofx.id != other.id


def test_a_payment_row_without_the_card_number_goes_to_the_files_one_card(session, alice):
    _import(session, alice.user_id, KAGGLE_LIKE, "kaggle.csv")
    blank = CARD.replace(b",1234,CAPITAL", b",,CAPITAL")
    preview = _import(session, alice.user_id, blank, "capitalone.csv")
    assert [(s.name, s.rows) for s in preview.accounts] == [("Card …1234", 2)]
    assert _account_of(session, alice.user_id, "AUTOPAY").id == _account_of(session, alice.user_id, "Airplanes").id


@pytest.mark.parametrize(("header", "value"), [
    ("Card No.", "1234"), ("Card Number", "XXXX-XXXX-XXXX-1234"), ("Card", "************1234"),
    ("Kartennummer", "•••• 1234"), ("Numéro de carte", "1234"), ("Card No.", "4111 1111 1111 1234"),
])
def test_a_card_number_column_is_the_account_column(header, value):
    data = (f"Date,{header},Description,Amount\n2024-03-01,{value},Grocer,-12.50\n"
            f"2024-03-02,{value},Cafe,-3.50\n").encode()
    parsed = parse_file(data, "card.csv")
    assert parsed.mapping.account == 1, parsed.mapping
    assert set(parsed.rows["account"]) == {value}


@pytest.mark.parametrize("data", [
    b"Date,Card No.,Description,Amount\n2024-03-01,12.50,Grocer,-12.50\n2024-03-02,3.50,Cafe,-3.50\n",  # no card digits
    b"Date,Card No.,Description,Amount,Balance\n2024-03-01,1234,Grocer,-12.50,100.00\n"  # a checking export
    b"2024-03-02,1234,Cafe,-3.50,96.50\n",
])
def test_a_card_column_without_card_digits_or_beside_a_balance_is_not_the_account_column(data):
    assert parse_file(data, "bank.csv").mapping.account is None


def test_another_users_card_number_is_never_used(session, alice, bob):
    """Isolation: bob's account keeping a number ending in 1234 neither takes nor blocks alice's rows."""
    bobs = accounts.create_account(session, user_id=bob.user_id, name="Bob's card", kind="credit_card",
                                   external_id="4111111111111234")
    preview = _import(session, alice.user_id, CARD, "capitalone.csv")
    assert [(s.name, s.new) for s in preview.accounts] == [("Card …1234", True)]
    card = _account_of(session, alice.user_id, "Airplanes")
    assert card.id != bobs.id and card.user_id == alice.user_id
