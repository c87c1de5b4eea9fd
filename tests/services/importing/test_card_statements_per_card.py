"""Session 28 (cards28, #19): route27's and imp27's open points on a card statement's and a chosen account's number.

1. A file numbering several cards: one account per card (the account keeping that number, else a new "Card …1234"),
   one batch, undone whole; the preview says which rows go where.
2. PC Financial Mastercard's "Card Used For Transaction" ("**** 1234") is its card-number column, not a name.
3. One empty hand-made credit-card account (no number, no rows): a numbered card statement is asked about (that account
   suggested), not put beside it in a new "Card …1234"; chosen, the account keeps the card's digits.
4. An account chosen for a file of IBANs keeps the file's number (when it keeps none and no other account keeps it).
5. An updated export whose rows went in under a chosen account's currency is not asked about again: the rows stored
   before count (no duplicate)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.importing import ImportOptions, parse_file
from budgetwise.models import Account, ImportBatch, Transaction
from budgetwise.services import account_numbers, accounts
from budgetwise.services import importing as svc

MULTI = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
         b"2016-01-05,2016-01-06,1234,Airplanes R Us,Other Travel,1000.00,\n"
         b"2016-01-04,2016-01-05,5678,Grocer,Food,20.00,\n"
         b"2016-01-03,2016-01-04,5678,Cafe,Food,5.00,\n")
CARD = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        b"2015-12-31,2016-01-02,1234,Airplanes R Us,Other Travel,1000.00,\n"
        b"2015-12-31,2016-01-02,1234,CAPITAL ONE AUTOPAY PYMT,Payment/Credit,,1000.00\n")
PC = (b'"Merchant Name","Card Used For Transaction","Date","Time","Amount"\n'
      b'"Mobil","**** 1234","01/10/2019","06:50 PM","36.33"\n'
      b'"Cafe","**** 4567","01/11/2019","05:08 PM","13.98"\n'
      b'"Grocer","**** 1234","01/12/2019","05:08 PM","50.00"\n')
IBAN = "DE89 3704 0044 0532 0130 00"
GIRO = f"Date,Description,Amount,IBAN\n2024-03-01,Rewe,-12.50,{IBAN}\n2024-03-02,Miete,-800.00,{IBAN}\n".encode()
PLAIN = b"Date,Description,Amount\n2024-03-01,Tesco,-12.50\n2024-03-02,Pret,-4.20\n"


def _import(session, user_id: int, data: bytes, name: str, options: ImportOptions | None = None):
    preview = svc.preview_import(session, user_id=user_id, data=data, filename=name, options=options)
    result = svc.commit_import(session, user_id=user_id, data=data, filename=name, preview=preview, options=options)
    return preview, result


def _where(session, user_id: int) -> dict[str, str]:
    return dict(session.execute(select(Transaction.description, Account.name).join(
        Account, Account.id == Transaction.account_id).where(Transaction.user_id == user_id)).all())


# ---------------------------------------------------------------------------- 1. several cards in one file
def test_a_file_of_two_cards_goes_one_account_per_card_in_one_batch_undone_whole(session, alice):
    uid = alice.user_id
    partner = accounts.create_account(session, user_id=uid, name="Partner's card", kind="credit_card",
                                      external_id="4111111111115678")
    platinum = accounts.create_account(session, user_id=uid, name="Platinum Card", kind="credit_card")
    _import(session, uid, b"Date,Description,Amount\n2016-01-01,Old,-1.00\n", "old.csv", ImportOptions(account_id=platinum.id))
    preview, result = _import(session, uid, MULTI, "cards.csv")
    assert [(s.name, s.rows, s.new) for s in preview.accounts] == [("Partner's card", 2, False), ("Card …1234", 1, True)]
    # each preview row says the account it goes to
    assert {(r.description, r.goes_to) for r in preview.rows} == {
        ("Airplanes R Us", "Card …1234"), ("Grocer", "Partner's card"), ("Cafe", "Partner's card")}
    assert _where(session, uid) == {"Airplanes R Us": "Card …1234", "Grocer": "Partner's card",
                                    "Cafe": "Partner's card", "Old": "Platinum Card"}
    assert set(session.scalars(select(Transaction.import_batch_id).where(
        Transaction.user_id == uid, Transaction.description != "Old"))) == {result.batch_id}
    svc.undo_import(session, user_id=uid, batch_id=result.batch_id)
    assert _where(session, uid) == {"Old": "Platinum Card"}
    names = {a.name for a in accounts.list_accounts(session, user_id=uid, include_archived=True)}
    assert "Card …1234" not in names and {"Partner's card", "Platinum Card"} <= names and partner.id


def test_a_payment_row_without_a_number_in_a_file_of_two_cards_goes_to_one_of_its_cards(session, alice):
    """Not to another card account of the user's for its type alone (route27's rule, for several cards)."""
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="Platinum Card", kind="credit_card", external_id="9999")
    data = MULTI + b"2016-01-06,2016-01-07,,PAYMENT - THANK YOU,Payment,,500.00\n"
    preview, _ = _import(session, uid, data, "cards.csv")
    assert _where(session, uid)["PAYMENT - THANK YOU"] in {"Card …1234", "Card …5678"}
    assert "Platinum Card" not in {s.name for s in preview.accounts}


# ---------------------------------------------------------------------------- 2. PC Mastercard's column
def test_card_used_for_transaction_is_the_card_number_column(session, alice):
    parsed = parse_file(PC, "pc.csv")
    assert parsed.mapping.account == 1
    preview, _ = _import(session, alice.user_id, PC, "pc.csv")
    assert [(s.name, s.rows, s.new, s.kind) for s in preview.accounts] == [
        ("Card …1234", 2, True, "credit_card"), ("Card …4567", 1, True, "credit_card")]
    kept = dict(session.execute(select(Account.name, Account.external_id).where(Account.user_id == alice.user_id)).all())
    assert (kept["Card …1234"], kept["Card …4567"]) == ("1234", "4567")
    assert set(session.scalars(select(Transaction.account).where(Transaction.user_id == alice.user_id))) == {
        "**** 1234", "**** 4567"}


def test_the_real_pc_mastercard_file_goes_to_its_two_cards(session, alice, shared_data):
    data = (shared_data / "bank_formats" / "csv" / "ca_pc_mastercard.csv").read_bytes()
    preview, _ = _import(session, alice.user_id, data, "ca_pc_mastercard.csv")
    assert {(s.name, s.kind) for s in preview.accounts} == {("Card …1234", "credit_card"), ("Card …4567", "credit_card")}


def test_a_names_column_of_a_card_header_stays_names():
    """Amex's "Card Member" holds the member's name: not card digits, read as before (an account name)."""
    data = b"Date,Description,Card Member,Amount\n2024-03-01,Grocer,JANE DOE,12.50\n"
    parsed = parse_file(data, "amex.csv")
    assert set(parsed.rows["account"]) == {"JANE DOE"}


# ---------------------------------------------------------------------------- 3. the empty hand-made "Visa"
def test_one_empty_card_account_is_suggested_not_put_beside(session, alice):
    uid = alice.user_id
    visa = accounts.create_account(session, user_id=uid, name="Visa", kind="credit_card")
    preview = svc.preview_import(session, user_id=uid, data=CARD, filename="capitalone.csv")
    assert preview.account_suggestion == visa.id and not preview.can_commit
    assert "“Visa”" in preview.account_question and "…1234" in preview.account_question
    n = session.scalar(select(func.count()).select_from(Account).where(Account.user_id == uid))
    for call in (svc.prepare_import, svc.commit_import):
        with pytest.raises(ValidationError, match="--account"):
            call(session, user_id=uid, data=CARD, filename="capitalone.csv", preview=preview)
    assert session.scalar(select(func.count()).select_from(Account).where(Account.user_id == uid)) == n
    # chosen: the rows go there and it keeps the card's digits, so the next statement goes there by itself
    _import(session, uid, CARD, "capitalone.csv", ImportOptions(account_id=visa.id))
    assert session.get(Account, visa.id).external_id == "1234"
    later = CARD.replace(b"2015-12-31", b"2016-01-31").replace(b"2016-01-02", b"2016-02-02")
    again, _ = _import(session, uid, later, "capitalone2.csv")
    assert (again.account_question, [(s.name, s.new) for s in again.accounts]) == ("", [("Visa", False)])


@pytest.mark.parametrize("other", ["rows", "number", "second"])
def test_a_card_account_with_rows_or_a_number_or_two_of_them_is_not_asked_about(session, alice, other):
    uid = alice.user_id
    visa = accounts.create_account(session, user_id=uid, name="Visa", kind="credit_card",
                                   external_id="9999" if other == "number" else None)
    if other == "rows":
        _import(session, uid, b"Date,Description,Amount\n2024-03-01,Grocer,-1.00\n", "v.csv",
                ImportOptions(account_id=visa.id))
    if other == "second":
        accounts.create_account(session, user_id=uid, name="Mastercard", kind="credit_card")
    preview = svc.preview_import(session, user_id=uid, data=CARD, filename="capitalone.csv")
    assert (preview.account_question, preview.account_suggestion) == ("", None)
    assert [(s.name, s.new) for s in preview.accounts] == [("Card …1234", True)]


def test_another_users_empty_card_account_asks_nothing(session, alice, bob):
    accounts.create_account(session, user_id=bob.user_id, name="Visa", kind="credit_card")
    preview = svc.preview_import(session, user_id=alice.user_id, data=CARD, filename="capitalone.csv")
    assert (preview.account_question, preview.account_suggestion) == ("", None)


# ---------------------------------------------------------------------------- 4. a chosen account keeps the number
def test_an_account_chosen_for_a_file_of_ibans_keeps_its_number(session, alice):
    uid = alice.user_id
    giro = accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    preview, _ = _import(session, uid, GIRO, "giro.csv", ImportOptions(account_id=giro.id))
    assert "“Girokonto” keeps the file's number (DE…3000), so the next file of it goes there by itself." in (
        preview.accounts_note)
    assert session.get(Account, giro.id).external_id == "DE89370400440532013000"
    later = GIRO.replace(b"2024-03-0", b"2024-04-0")
    again, _ = _import(session, uid, later, "giro2.csv")
    assert [(s.name, s.new) for s in again.accounts] == [("Girokonto", False)]


def test_a_chosen_account_keeps_its_own_number_and_another_accounts_number_is_not_taken(session, alice, bob):
    uid = alice.user_id
    accounts.create_account(session, user_id=bob.user_id, name="Bob's", external_id="DE89370400440532013000")
    own = accounts.create_account(session, user_id=uid, name="Own", currency="EUR", external_id="DE02120300000000202051")
    _import(session, uid, GIRO, "giro.csv", ImportOptions(account_id=own.id))
    assert session.get(Account, own.id).external_id == "DE02120300000000202051"
    first = accounts.create_account(session, user_id=uid, name="First", currency="EUR",
                                    external_id="DE89370400440532013000")
    second = accounts.create_account(session, user_id=uid, name="Second", currency="EUR")
    _import(session, uid, GIRO.replace(b"2024-03-0", b"2024-05-0"), "giro3.csv", ImportOptions(account_id=second.id))
    assert session.get(Account, second.id).external_id is None and first.id
    # bob's account keeping that number blocks nothing of alice's
    third = accounts.create_account(session, user_id=uid, name="Third", currency="EUR")
    assert not account_numbers.keep_number(session, user_id=uid, account_id=third.id, number="DE89370400440532013000")  # first keeps it
    with pytest.raises(NotFoundError):
        account_numbers.keep_number(session, user_id=bob.user_id, account_id=third.id, number="DE75512108001245126199")


# ---------------------------------------------------------------------------- 5. an updated export, chosen currency
def test_an_updated_export_stored_in_a_chosen_accounts_currency_is_not_asked_again(session, alice):
    uid = alice.user_id
    giro = accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    _import(session, uid, PLAIN, "plain.csv", ImportOptions(account_id=giro.id))  # EUR rows (the account's)
    again = PLAIN + b"2024-03-03,Boots,-3.00\n"
    later = svc.preview_import(session, user_id=uid, data=again, filename="plain2.csv")
    assert (later.account_question, later.account_name, later.rows_new, later.rows_duplicate) == (
        "", "Girokonto", 1, 2)
    svc.commit_import(session, user_id=uid, data=again, filename="plain2.csv", preview=later)
    stored = session.execute(select(Transaction.description, Transaction.currency, Transaction.account_id).where(
        Transaction.user_id == uid).order_by(Transaction.description)).all()
    assert stored == [("Boots", "EUR", giro.id), ("Pret", "EUR", giro.id), ("Tesco", "EUR", giro.id)]
    assert session.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.user_id == uid)) == 2


def test_rows_stored_by_another_user_in_another_currency_do_not_count(session, alice, bob):
    giro = accounts.create_account(session, user_id=bob.user_id, name="Girokonto", currency="EUR")
    _import(session, bob.user_id, PLAIN, "plain.csv", ImportOptions(account_id=giro.id))
    accounts.create_account(session, user_id=alice.user_id, name="Euro", currency="EUR")
    later = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="plain.csv")
    assert later.account_question and later.rows_new == 2
