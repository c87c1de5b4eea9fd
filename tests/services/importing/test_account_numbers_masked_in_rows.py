"""Session 27 (#19): an imported row's account text keeps no account number. A file's account column holding an IBAN
("DE89 3704 0044 0532 0130 00") stored it whole on every row, shown as the row's account text (Transactions, Admin,
the preview) and exported. Now the row keeps the masked form ("DE…3000", ``account_numbers.row_text``); the full
number is the account's ``external_id`` only, and a later file of that number still finds its account, whether the
import created it or the user chose it."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Account, ImportBatch, Transaction
from budgetwise.services import accounts, categories, exports
from budgetwise.services import importing as svc
from budgetwise.services.account_numbers import row_text
from budgetwise.services.categorize import RuleSpec, create_rule
from budgetwise.services.data_export import _transactions

IBAN = "DE89 3704 0044 0532 0130 00"


def _file(*rows: tuple[str, str, str], iban: str = IBAN) -> bytes:
    return ("Date,Amount,Account,Description,Currency\n"
            + "".join(f"{d},{a},{iban},{t},EUR\n" for d, a, t in rows)).encode()


def _texts(session, user_id: int) -> set[tuple[str | None, str]]:
    return set(session.execute(select(Transaction.account, Account.name).join(Account, Account.id == Transaction.account_id)
                               .where(Transaction.user_id == user_id)).all())


def test_row_text_masks_numbers_only():
    assert [row_text(v) for v in (IBAN, "DE89370400440532013000", "123456789/0800", "Visa", "Visa 1234", "2024", "", None)] \
        == ["DE…3000", "DE…3000", "Account …0800", "Visa", "Visa 1234", "2024", None, None]


def test_rows_exports_and_the_preview_show_the_masked_number_and_the_next_file_finds_the_account(session, alice):
    uid = alice.user_id
    data = _file(("2024-03-01", "-12.50", "REWE"), ("2024-03-02", "-4.20", "DM"))
    preview = svc.preview_import(session, user_id=uid, data=data, filename="giro.csv")
    assert [r.account for r in preview.rows] == ["DE…3000", "DE…3000"]
    svc.commit_import(session, user_id=uid, data=data, filename="giro.csv", preview=preview)
    assert _texts(session, uid) == {("DE…3000", "DE…3000")}
    number = "DE89370400440532013000"
    assert session.scalar(select(Account.external_id).where(Account.user_id == uid, Account.name == "DE…3000")) == number
    assert session.scalar(select(ImportBatch.account).where(ImportBatch.user_id == uid)) == "DE…3000"
    frame = exports.transactions_export_frame(session, user_id=uid)
    everything = _transactions(session, uid)
    for table in (frame, everything):
        assert set(table["account"]) == {"DE…3000"}
        assert not table.astype(str).apply(lambda c: c.str.contains("0532")).any().any()
    later = _file(("2024-04-01", "-9.00", "Aldi"), iban=number)  # the same number written without spaces
    again = svc.preview_import(session, user_id=uid, data=later, filename="giro2.csv")
    assert [(a.name, a.new) for a in again.accounts] == [("DE…3000", False)]


def test_a_file_imported_into_a_chosen_account_sends_its_next_statement_there(session, alice):
    uid = alice.user_id
    giro = accounts.create_account(session, user_id=uid, name="Girokonto", currency="EUR")
    data = _file(("2024-03-01", "-12.50", "REWE"))
    svc.commit_import(session, user_id=uid, data=data, filename="a.csv", options=ImportOptions(account_id=giro.id))
    assert _texts(session, uid) == {("DE…3000", "Girokonto")}
    nxt = svc.preview_import(session, user_id=uid, data=_file(("2024-04-01", "-9.00", "Aldi")), filename="b.csv")
    assert [(a.name, a.new) for a in nxt.accounts] == [("Girokonto", False)]


def test_a_rule_for_the_account_number_matches_the_masked_rows(session, alice):
    uid = alice.user_id
    food = next(c for c in categories.list_categories(session, user_id=uid) if c.name == "Groceries")
    rule = create_rule(session, user_id=uid, spec=RuleSpec(category_id=food.id, pattern="shop", account=IBAN))
    assert rule.account == "DE…3000"
    data = _file(("2024-03-01", "-12.50", "Corner shop"))
    svc.commit_import(session, user_id=uid, data=data, filename="a.csv")
    assert session.scalar(select(Transaction.category_id).where(Transaction.user_id == uid)) == food.id


def test_another_users_account_of_that_number_is_not_found(session, alice, bob):
    data = _file(("2024-03-01", "-12.50", "REWE"))
    svc.commit_import(session, user_id=bob.user_id, data=data, filename="a.csv")
    mine = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.csv")
    assert [(a.name, a.new) for a in mine.accounts] == [("DE…3000", True)]
