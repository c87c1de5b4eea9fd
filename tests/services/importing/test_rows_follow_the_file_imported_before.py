"""Session 25 (trial25): an updated export of one bank, without an account column, goes where the file's rows
imported before are — not to the first account in its currency.

In the trial a household history (no account column) was imported into "ING" (chosen on the page); its next,
longer export was offered, with the page's defaults, to the user's first EUR account ("BE111…", another bank's):
40 duplicates found, and the 2 new rows went to the other bank's account, so both balances were wrong."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx

FIRST = b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n2024-03-02,Salary,1000.00\n2024-03-03,Cafe,-3.10\n"
LATER = FIRST + b"2024-03-04,Bakery,-2.40\n2024-03-05,Cinema,-11.00\n"
EUR = ImportOptions(currency="EUR")


def _accounts(session, user_id):
    """Main account in use (USD), then two EUR accounts: "Other bank" first (the one chosen by currency before)."""
    tx.add_transaction(session, user_id=user_id, date="2024-01-02", amount="1.00", kind="expense", description="Coffee")
    other = accounts.create_account(session, user_id=user_id, name="Other bank", currency="EUR")
    ing = accounts.create_account(session, user_id=user_id, name="ING", currency="EUR")
    return other, ing


def _account_of(session, user_id, description):
    return session.scalar(select(Transaction.account_id).where(Transaction.user_id == user_id,
                                                               Transaction.description == description))


def test_the_new_rows_of_an_updated_export_go_to_the_account_that_holds_its_earlier_rows(session, alice):
    other, ing = _accounts(session, alice.user_id)
    svc.commit_import(session, user_id=alice.user_id, data=FIRST, filename="ing.csv",
                      options=ImportOptions(currency="EUR", account_id=ing.id))
    preview = svc.preview_import(session, user_id=alice.user_id, data=LATER, filename="ing-later.csv", options=EUR)
    assert (preview.rows_duplicate, preview.rows_new) == (3, 2)
    assert (preview.account_name, preview.account_id) == ("ING", ing.id)  # was "Other bank"
    assert [(a.name, a.rows) for a in preview.accounts] == [("ING", 2)]
    assert "The EUR rows go to “ING”: it holds the rows of this file imported before." in preview.accounts_note
    assert "Other bank" not in preview.accounts_note
    svc.commit_import(session, user_id=alice.user_id, data=LATER, filename="ing-later.csv", options=EUR)
    assert _account_of(session, alice.user_id, "Bakery") == ing.id
    assert _account_of(session, alice.user_id, "Cinema") == ing.id
    assert not session.scalar(select(Transaction.id).where(Transaction.account_id == other.id))


def test_a_file_with_nothing_stored_before_still_goes_by_its_currency(session, alice):
    other, _ing = _accounts(session, alice.user_id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=LATER, filename="new.csv", options=EUR)
    assert (preview.account_name, preview.rows_duplicate) == ("Other bank", 0)
    assert "your EUR account “Other bank”" in preview.accounts_note and "imported before" not in preview.accounts_note
    svc.commit_import(session, user_id=alice.user_id, data=LATER, filename="new.csv", options=EUR)
    assert _account_of(session, alice.user_id, "Bakery") == other.id


def test_an_account_chosen_for_the_file_still_wins(session, alice):
    other, ing = _accounts(session, alice.user_id)
    svc.commit_import(session, user_id=alice.user_id, data=FIRST, filename="ing.csv",
                      options=ImportOptions(currency="EUR", account_id=ing.id))
    chosen = ImportOptions(currency="EUR", account_id=other.id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=LATER, filename="later.csv", options=chosen)
    assert preview.account_name == "Other bank"
    svc.commit_import(session, user_id=alice.user_id, data=LATER, filename="later.csv", options=chosen)
    assert _account_of(session, alice.user_id, "Bakery") == other.id


def test_another_users_identical_rows_do_not_decide(session, alice, bob):
    """Isolation: bob stored the same rows in his own EUR account; alice's file still goes by her currency."""
    bob_eur = accounts.create_account(session, user_id=bob.user_id, name="Bob EUR", currency="EUR")
    svc.commit_import(session, user_id=bob.user_id, data=FIRST, filename="b.csv",
                      options=ImportOptions(currency="EUR", account_id=bob_eur.id))
    other, _ing = _accounts(session, alice.user_id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=LATER, filename="a.csv", options=EUR)
    assert (preview.account_name, preview.account_id, preview.rows_duplicate) == ("Other bank", other.id, 0)
    svc.commit_import(session, user_id=alice.user_id, data=LATER, filename="a.csv", options=EUR)
    assert _account_of(session, alice.user_id, "Bakery") == other.id


def test_rows_held_in_an_account_of_another_currency_do_not_move_the_file_there(session, alice):
    """The EUR rows imported before into the USD Main account (chosen then, allowed): a later file still goes to an
    account in its own currency (the rule places rows by currency first)."""
    other, _ing = _accounts(session, alice.user_id)
    main = accounts.default_account_id(session, user_id=alice.user_id)
    svc.commit_import(session, user_id=alice.user_id, data=FIRST, filename="x.csv",
                      options=ImportOptions(currency="EUR", account_id=main))
    preview = svc.preview_import(session, user_id=alice.user_id, data=LATER, filename="y.csv", options=EUR)
    assert preview.account_name == "Other bank"
