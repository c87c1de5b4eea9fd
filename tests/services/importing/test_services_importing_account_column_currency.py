"""Session 14 (newuser): the account the rows land in decides the currency of rows the file gives none.

A file's Account column that names an account the user already has (GBP) put the rows there in the
user's currency (USD) without a word; now they take the account's. With no account anywhere (no
column, none chosen) the rows keep the user's currency and land in an account in it, even when the
user's first account is in another currency."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.errors import ValidationError
from budgetwise.importing import ImportOptions
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc

COLUMN = (b"Date,Description,Amount,Account\n2024-03-01,TESCO STORES 2231,-12.50,gbp card\n"
          b"2024-03-02,PRET A MANGER,-4.20,GBP Card\n2024-03-03,Corner shop,-7.00,Holiday cash\n"
          b"2024-03-04,Coffee,-3.00,\n")
PLAIN = b"Date,Description,Amount\n2024-03-01,Tesco,-12.50\n2024-03-02,Refund,5.00\n"


def _stored(session, user_id: int) -> dict[str, tuple[str, int, str]]:
    rows = session.execute(select(Transaction.description, Transaction.currency, Transaction.amount_minor,
                                  Account.currency).join(Account, Account.id == Transaction.account_id)
                           .where(Transaction.user_id == user_id)).all()
    return {d: (c, a, ac) for d, c, a, ac in rows}


def test_rows_the_account_column_puts_into_a_gbp_account_are_stored_in_gbp(session, alice):
    accounts.create_account(session, user_id=alice.user_id, name="GBP card", currency="GBP")
    preview = svc.preview_import(session, user_id=alice.user_id, data=COLUMN, filename="household.csv")
    assert {r.description: r.currency for r in preview.rows} == {
        "TESCO STORES 2231": "GBP", "PRET A MANGER": "GBP", "Corner shop": "USD", "Coffee": "USD"}
    fc = preview.file_currency
    assert (fc.source, fc.fallback) == ("accounts", "USD")
    assert fc.note == ("The file names no currency, so the rows its Account column puts into your accounts are "
                       "stored in each account's currency: “GBP card” in GBP (2 rows). The other 2 rows are stored "
                       "in USD. Choose a currency for the file (Currency of this file; --currency) to store every row in it instead.")
    svc.commit_import(session, user_id=alice.user_id, data=COLUMN, filename="household.csv", preview=preview)
    stored = _stored(session, alice.user_id)
    assert stored["TESCO STORES 2231"] == ("GBP", 1250, "GBP") and stored["PRET A MANGER"] == ("GBP", 420, "GBP")
    # a new account the file names is made in the rows' currency; a row without a value stays in USD
    assert stored["Corner shop"] == ("USD", 700, "USD") and stored["Coffee"][0] == "USD"
    # the same file again: every row a duplicate (the fingerprints carry the adopted currency)
    again = svc.preview_import(session, user_id=alice.user_id, data=COLUMN, filename="household.csv")
    assert (again.rows_new, again.rows_duplicate) == (0, 4)


def test_a_chosen_currency_or_a_currency_column_still_wins(session, alice):
    accounts.create_account(session, user_id=alice.user_id, name="GBP card", currency="GBP")
    chosen = svc.preview_import(session, user_id=alice.user_id, data=COLUMN, filename="h.csv",
                                options=ImportOptions(currency="EUR"))
    assert {r.currency for r in chosen.rows} == {"EUR"} and chosen.file_currency.source == "chosen"
    column = b"Date,Description,Amount,Account,Currency\n2024-03-01,Fnac,-3.20,GBP card,EUR\n"
    own = svc.preview_import(session, user_id=alice.user_id, data=column, filename="c.csv")
    assert [r.currency for r in own.rows] == ["EUR"] and own.file_currency.source == "column"


def test_an_amount_a_zero_decimal_account_cannot_hold_keeps_the_files_currency_and_says_why(session, alice):
    accounts.create_account(session, user_id=alice.user_id, name="Yen wallet", currency="JPY")
    data = b"Date,Description,Amount,Account\n2024-03-01,Ramen,-1200.00,Yen wallet\n2024-03-02,Gum,-1.50,Yen wallet\n"
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="jp.csv")
    assert [(r.description, r.currency, r.amount_minor) for r in preview.rows] == [
        ("Ramen", "JPY", 1200), ("Gum", "USD", 150)]
    assert ("“Yen wallet” in JPY (1 row); 1 more keeps USD: its amount has more decimals than JPY allows. "
            "The other row is stored in USD.") in preview.file_currency.note


def test_with_no_account_anywhere_the_rows_land_in_an_account_in_their_currency(session, alice):
    """The brief's case: the user's first (here only) account is in GBP, the user's currency USD, no
    account chosen and the file names none. The rows keep USD and go to an account in USD (a new one),
    not into the GBP account: the account they land in and their currency agree."""
    # replace_starter: as before session 24 (an account in another currency added by hand now stays beside the
    # starter, which stays the default; tests/services/test_services_accounts_default_by_hand.py)
    gbp = accounts.create_account(session, user_id=alice.user_id, name="Barclays", currency="GBP", replace_starter=True)
    assert [a.name for a in accounts.list_accounts(session, user_id=alice.user_id)] == ["Barclays"]  # starter replaced
    # session 27: the rows would only be guessed to be in USD beside the user's one GBP account: asked, not guessed
    asked = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv")
    assert asked.file_currency.source == "default" and not asked.can_commit
    assert asked.account_question.startswith("Which account is this file's? It names neither its account nor its "
                                             "currency, and your account is in GBP (“Barclays”)")
    with pytest.raises(ValidationError, match="--account NAME"):
        svc.commit_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv", preview=asked)
    assert _stored(session, alice.user_id) == {}
    usd = ImportOptions(currency="USD")  # the answer: the file's currency (its rows go to an account in it)
    preview = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv", options=usd)
    assert {r.currency for r in preview.rows} == {"USD"} and preview.file_currency.source == "chosen"
    assert (preview.account_name, preview.account_new) == ("US Dollar account (USD)", True)
    assert "Your default account “Barclays” is in GBP, so the USD rows go to a new account" in preview.accounts_note
    svc.commit_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv", preview=preview, options=usd)
    assert {v[0] == v[2] == "USD" for v in _stored(session, alice.user_id).values()} == {True}
    # choosing the GBP account for the file stores the same kind of file in GBP (session 13)
    gbp_rows = svc.preview_import(session, user_id=alice.user_id, data=PLAIN.replace(b"Tesco", b"Boots"),
                                  filename="q.csv", options=ImportOptions(account_id=gbp.id))
    assert {r.currency for r in gbp_rows.rows} == {"GBP"}
