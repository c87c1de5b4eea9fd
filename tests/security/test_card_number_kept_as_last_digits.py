"""Session 28 (mask28, #19, sec28's open point): a "Card No." / "Card Used For Transaction" column holding whole card
numbers ("4111 1111 1111 1234") made an account keeping the whole number as its ``external_id`` (and "Download all
my data" exported it in accounts.csv); an account chosen for such a file kept it whole too. Routing a card's rows
needs only its last 4 digits (``account_numbers.by_card`` matches an account keeping "1234" for any value ending so,
as for Capital One's masked "1234"), so that is all an import keeps now. IBANs and account numbers stay whole (session
27: the account keeps its number, the rows' text is masked). Made-up numbers; SQLite, PostgreSQL, MariaDB."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Account, Transaction
from budgetwise.services import account_numbers, accounts, data_export
from budgetwise.services import importing as svc

WHOLE = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
         b"2016-01-05,2016-01-06,4111 1111 1111 1234,Airplanes R Us,Other Travel,1000.00,\n"
         b"2016-01-04,2016-01-05,4111 1111 1111 1234,Grocer,Food,20.00,\n")
MASKED = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
          b"2016-02-05,2016-02-06,1234,Cafe,Food,5.00,\n")


def _import(session, user_id: int, data: bytes, name: str, options: ImportOptions | None = None):
    preview = svc.preview_import(session, user_id=user_id, data=data, filename=name, options=options)
    svc.commit_import(session, user_id=user_id, data=data, filename=name, preview=preview, options=options)
    return preview


def _whole_shown(text: str) -> bool:
    return "41111111" in "".join(text.split())


def test_a_whole_card_number_is_kept_as_its_last_four_digits(session, alice):
    uid = alice.user_id
    assert account_numbers.card_number("4111 1111 1111 1234") == "1234"
    assert account_numbers.card_number("XXXX-XXXX-XXXX-1234") == "1234"
    _import(session, uid, WHOLE, "card.csv")
    card = session.scalars(select(Account).where(Account.user_id == uid, Account.name == "Card …1234")).one()
    assert card.external_id == "1234"
    exported = data_export.export_frames(session, user_id=uid)["accounts.csv"].to_csv()
    assert not _whole_shown(exported)
    # the card's next statements, whole or masked, still go there by themselves
    _import(session, uid, WHOLE.replace(b"2016-01-0", b"2016-03-0"), "card2.csv")
    _import(session, uid, MASKED, "card3.csv")
    assert set(session.scalars(select(Transaction.account_id).where(Transaction.user_id == uid))) == {card.id}


def test_an_account_chosen_for_a_file_of_whole_card_numbers_keeps_the_last_four(session, alice):
    uid = alice.user_id
    visa = accounts.create_account(session, user_id=uid, name="My Visa", kind="credit_card")
    preview = _import(session, uid, WHOLE, "card.csv", ImportOptions(account_id=visa.id))
    assert "keeps the file's number (card …1234)" in preview.accounts_note
    assert session.get(Account, visa.id).external_id == "1234"
    again = _import(session, uid, WHOLE.replace(b"2016-01-0", b"2016-03-0"), "card2.csv")
    assert [(s.name, s.new) for s in again.accounts] == [("My Visa", False)]


def test_an_iban_is_still_kept_whole(session, alice):
    data = b"Date,Description,Amount,IBAN\n2024-03-01,Rewe,-12.50,DE89 3704 0044 0532 0130 00\n"
    _import(session, alice.user_id, data, "giro.csv")
    kept = session.scalars(select(Account.external_id).where(Account.user_id == alice.user_id,
                                                            Account.external_id.is_not(None))).all()
    assert kept == ["DE89370400440532013000"]
