"""Session 22 (newuser22b): a card export (Capital One's "Card No." column) went to the default checking account.
With nothing chosen it goes to the user's credit-card account, the preview says why; with none, the preview offers
one; a checking file keeps the default account; an account chosen for the file still wins."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.importing.words import NEW_CARD_ACCOUNT
from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx

# session 27 (route27): a "Card No." column holding the card's digits is the file's account column, so those rows go to
# that card's account ("Card …1234": test_a_card_number_names_its_card_account.py); a card statement that does not
# number its card (the column left empty here) still goes to the user's credit-card account, as below
CARD = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        b"2015-12-31,2016-01-02,,Airplanes R Us,Other Travel,1000.00,\n"
        b"2015-12-31,2016-01-02,,CAPITAL ONE AUTOPAY PYMT,Payment/Credit,,1000.00\n")
NUMBERED = CARD.replace(b",,Airplanes", b",1234,Airplanes").replace(b",,CAPITAL", b",1234,CAPITAL")
CHECKING = b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n2024-03-02,Salary,1000.00\n"


def _setup(session, user_id, *, card: bool = True):
    checking = accounts.create_account(session, user_id=user_id, name="Checking")
    tx.add_transaction(session, user_id=user_id, date="2024-01-02", amount="1.00", kind="expense",
                       description="Coffee", account_id=checking.id)
    return accounts.create_account(session, user_id=user_id, name="Visa", kind="credit_card") if card else None


def _accounts_of_imported(session, user_id):
    ids = session.scalars(select(Transaction.account_id).where(Transaction.user_id == user_id,
                                                               Transaction.source == "import")).all()
    names = {a.id: a.name for a in accounts.list_accounts(session, user_id=user_id)}
    return {names[i] for i in ids}


def test_a_card_statement_goes_to_the_credit_card_account_and_the_preview_says_why(session, alice):
    visa = _setup(session, alice.user_id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert (preview.account_name, preview.account_id, preview.card_header) == ("Visa", visa.id, "Card No.")
    assert "looks like a credit-card statement (its “Card No.” column)" in preview.accounts_note
    assert not preview.card_note
    svc.commit_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv", preview=preview)
    assert _accounts_of_imported(session, alice.user_id) == {"Visa"}


def test_a_statement_numbering_its_card_goes_to_that_cards_account_not_to_a_card_account_by_type(session, alice):
    """Session 27 (trial27): Capital One's rows ("Card No." 1234) went into the only card account, another card's.
    Session 28 (cards28): that account holds rows here (it is another card's); an empty one is asked about instead
    (test_card_statements_per_card.py)."""
    visa = _setup(session, alice.user_id)
    tx.add_transaction(session, user_id=alice.user_id, date="2024-01-03", amount="2.00", kind="expense",
                       description="Books", account_id=visa.id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=NUMBERED, filename="capitalone.csv")
    assert [(s.name, s.new, s.kind) for s in preview.accounts] == [("Card …1234", True, "credit_card")]
    assert preview.account_id != visa.id and not preview.card_header and not preview.card_note
    svc.commit_import(session, user_id=alice.user_id, data=NUMBERED, filename="capitalone.csv", preview=preview)
    assert _accounts_of_imported(session, alice.user_id) == {"Card …1234"}


def test_without_a_credit_card_account_the_preview_offers_one_and_the_default_stays(session, alice):
    _setup(session, alice.user_id, card=False)
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert preview.account_name == "Checking" and not preview.card_header
    assert "you have no credit-card account: its rows go to “Checking”. To keep them apart" in preview.card_note
    assert "choose “New account…” above, with the type Credit card" in preview.page_card_note
    assert "--kind credit_card" in preview.card_note and "--kind" not in preview.page_card_note


def test_a_checking_file_keeps_the_default_account(session, alice):
    _setup(session, alice.user_id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=CHECKING, filename="bank.csv")
    assert (preview.account_name, preview.card_header, preview.card_note) == ("Checking", "", "")
    svc.commit_import(session, user_id=alice.user_id, data=CHECKING, filename="bank.csv", preview=preview)
    assert _accounts_of_imported(session, alice.user_id) == {"Checking"}


def test_of_the_shared_bank_exports_only_the_card_ones_are_card_statements(shared_data):
    """Erste's checking export has a card number column (and a running balance): not a card statement."""
    from budgetwise.importing import parse_file
    from budgetwise.services.importing.card import card_header

    found = {}
    for f in sorted((shared_data / "bank_formats" / "csv").glob("*.csv")):
        if (header := card_header(parse_file(f.read_bytes(), f.name))) is not None:
            found[f.name] = header
    assert found == {"us_capitalone_card.csv": "Card No.", "ca_pc_mastercard.csv": "Card Used For Transaction"}


def test_an_account_chosen_for_the_file_wins(session, alice):
    _setup(session, alice.user_id)
    checking = next(a for a in accounts.list_accounts(session, user_id=alice.user_id) if a.name == "Checking")
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv",
                                 options=ImportOptions(account_id=checking.id))
    assert (preview.account_name, preview.card_header, preview.card_note) == ("Checking", "", "")


def test_another_users_credit_card_account_is_never_proposed(session, alice, bob):
    accounts.create_account(session, user_id=bob.user_id, name="Bob's Visa", kind="credit_card")
    _setup(session, alice.user_id, card=False)
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert preview.account_name == "Checking" and preview.card_note


def test_an_archived_credit_card_account_is_never_proposed(session, alice):
    """Review22b: an archived card (a closed Visa) does not take a card statement's rows."""
    visa = _setup(session, alice.user_id)
    accounts.archive_account(session, user_id=alice.user_id, account_id=visa.id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert preview.account_name == "Checking" and preview.account_id != visa.id and preview.card_note
    svc.commit_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv", preview=preview)
    assert _accounts_of_imported(session, alice.user_id) == {"Checking"}


def test_a_card_account_in_another_currency_is_not_proposed(session, alice):
    """Review22b: a card statement in dollars does not go to a euro card account."""
    _setup(session, alice.user_id, card=False)
    euro = accounts.create_account(session, user_id=alice.user_id, name="Euro Visa", kind="credit_card", currency="EUR")
    # session 27: a file naming no currency, for a user with USD and EUR accounts, is asked about first
    asked = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert asked.account_question and not asked.can_commit
    usd = ImportOptions(currency="USD")
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv", options=usd)
    assert preview.account_id != euro.id
    # session 23 (tidy23): and it says so, not silently the default account (card_note was "" with any card account)
    assert preview.account_name == "Checking" and not preview.card_header
    assert preview.card_note == (
        "This file looks like a credit-card statement (its “Card No.” column), but its rows are in USD and your "
        "credit-card account “Euro Visa” (EUR) is not: they go to “Checking”. " + NEW_CARD_ACCOUNT.cli)
    assert preview.page_card_note.endswith(NEW_CARD_ACCOUNT.page)
    svc.commit_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv", preview=preview,
                      options=usd)
    assert _accounts_of_imported(session, alice.user_id) == {"Checking"}


def test_a_dollar_card_account_beside_the_euro_one_takes_the_dollar_rows_without_a_note(session, alice):
    _setup(session, alice.user_id, card=False)
    accounts.create_account(session, user_id=alice.user_id, name="Euro Visa", kind="credit_card", currency="EUR")
    usd = accounts.create_account(session, user_id=alice.user_id, name="Visa", kind="credit_card")
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert (preview.account_id, preview.card_note) == (usd.id, "")
