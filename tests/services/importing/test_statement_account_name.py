"""A statement whose preamble names its account ("Account details for:,ZORBLAT Account 123-456789-012",
"Account: 12345678", a lone "Everyday Account 06-1234-5678901-00") gives the new account that name, long numbers
masked as an OFX account's are ("…" and the last 4 digits); the rows of a file naming an account the user has go
there (session 23: a new user's SGD statement named its account, the app called it "Singapore Dollar account").
Made-up banks and numbers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.importing.preamble import statement_account
from budgetwise.models import Account, Transaction
from budgetwise.services import importing
from budgetwise.services.importing.by_currency import statement_account_name

TABLE = "Date,Description,Amount\n2024-03-01,Zorblat Markt,-12.50\n2024-03-02,Vrenglo Cafe,-4.20\n"


def _file(preamble: str, table: str = TABLE) -> bytes:
    return (preamble + "\n\n" + table).encode()


@pytest.mark.parametrize(("preamble", "text", "name"), [
    ("Account details for:,ZORBLAT Account 123-456789-012\nAvailable Balance,\"1,000.00\"",
     "ZORBLAT Account 123-456789-012", "ZORBLAT Account …9012"),
    ("Account: 12345678", "12345678", "Account …5678"),
    ("Konto;DE12 3456 7890 1234 5678 90".replace(";", ","), "DE12 3456 7890 1234 5678 90", "DE…7890"),
    ("Everyday Account 06-1234-5678901-00", "Everyday Account 06-1234-5678901-00", "Everyday Account …0100"),
    ("Numéro de compte :,Epargne 12", "Epargne 12", "Epargne 12"),  # four digits or fewer stay as written
])
def test_the_preamble_names_the_account_and_long_numbers_are_masked(preamble, text, name):
    records = [line.split(",") for line in preamble.splitlines()]
    assert statement_account(records) == text
    assert statement_account_name(text) == name


@pytest.mark.parametrize("preamble", ["Transaction History", "Available Balance,\"6,666.66\"", "Exported 2024-03-05",
                                      "Account statement"])
def test_a_preamble_that_names_no_account_gives_none(preamble):
    assert statement_account([line.split(",") for line in preamble.splitlines()]) is None
    assert statement_account_name(None) == ""


def test_the_new_account_gets_the_preambles_name_and_a_later_file_goes_there(session, alice, bob):
    data = _file("Account details for:,ZORBLAT Account 123-456789-012\nAvailable Balance,\"1,000.00\"")
    options = ImportOptions(currency="SGD")
    preview = importing.preview_import(session, user_id=alice.user_id, data=data, filename="a.csv", options=options)
    assert (preview.account_name, preview.account_new) == ("ZORBLAT Account …9012", True)
    importing.commit_import(session, user_id=alice.user_id, data=data, filename="a.csv", options=options)
    mine = {a.name: a for a in session.scalars(select(Account).where(Account.user_id == alice.user_id))}
    assert "ZORBLAT Account …9012" in mine and mine["ZORBLAT Account …9012"].currency == "SGD"
    # another SGD file, another account: its own new account; then the first account's next statement goes back there
    other = _file("Account details for:,VRENGLO Account 999-000000-111",
                  TABLE.replace("Zorblat", "Quixa").replace("Vrenglo", "Blorp"))
    importing.commit_import(session, user_id=alice.user_id, data=other, filename="b.csv", options=options)
    again = _file("Account details for:,ZORBLAT Account 123-456789-012",
                  "Date,Description,Amount\n2024-04-01,Drosk Bakkerij,-3.00\n")
    preview = importing.preview_import(session, user_id=alice.user_id, data=again, filename="c.csv", options=options)
    assert (preview.account_name, preview.account_new) == ("ZORBLAT Account …9012", False)
    importing.commit_import(session, user_id=alice.user_id, data=again, filename="c.csv", options=options)
    where = dict(session.execute(select(Transaction.description, Account.name).join(
        Account, Account.id == Transaction.account_id).where(Transaction.user_id == alice.user_id)).all())
    assert where["Drosk Bakkerij"] == "ZORBLAT Account …9012" and where["Quixa Markt"] == "VRENGLO Account …0111"
    # another user's account of that name is not alice's, nor the reverse
    preview = importing.preview_import(session, user_id=bob.user_id, data=again, filename="c.csv", options=options)
    assert (preview.account_name, preview.account_new) == ("ZORBLAT Account …9012", True)


@pytest.mark.parametrize("case", ["archived", "another currency"])
def test_later_statements_of_an_account_under_a_taken_name_go_to_the_account_the_first_made(session, alice, case):
    """Session 24 (sec24): a statement naming an account whose name is taken (the user archived an account of that
    name, or has one in another currency) makes "… (2)"; each later statement of it made another account ("… (3)",
    "… (4)", one per import, up to the accounts' ceiling). It goes to "… (2)" now."""
    from budgetwise.services import accounts

    uid = alice.user_id
    taken = accounts.create_account(session, user_id=uid, name="ZORBLAT Account …9012",
                                    currency="SGD" if case == "archived" else "EUR")
    if case == "archived":
        accounts.create_account(session, user_id=uid, name="Everyday", currency="SGD")
        accounts.archive_account(session, user_id=uid, account_id=taken.id)
    options = ImportOptions(currency="SGD")
    for month in ("03", "04", "05"):
        data = _file("Account details for:,ZORBLAT Account 123-456789-012", TABLE.replace("2024-03", f"2024-{month}"))
        preview = importing.preview_import(session, user_id=alice.user_id, data=data, filename="a.csv", options=options)
        assert (preview.account_name, preview.account_new) == ("ZORBLAT Account …9012 (2)", month == "03")
        importing.commit_import(session, user_id=uid, data=data, filename="a.csv", options=options)
    names = sorted(session.scalars(select(Account.name).where(Account.user_id == uid, Account.name.like("ZORBLAT%"))))
    assert names == ["ZORBLAT Account …9012", "ZORBLAT Account …9012 (2)"]
    held = session.scalars(select(Account.name).join(Transaction, Transaction.account_id == Account.id)
                           .where(Transaction.user_id == uid)).all()
    assert len(held) == 6 and set(held) == {"ZORBLAT Account …9012 (2)"}
