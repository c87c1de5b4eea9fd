"""A statement whose preamble names its account by number (an IBAN, an account number) and no currency: the rows go
to the account keeping that number, in its currency, or to a new one in the currency of the IBAN's country — as the
same number in an account column does (session 26) — not to a second account of that number in the user's currency
(sec27: "DE…3000" in EUR held the IBAN, the statement made "DE…3000 (2)" in USD with the same number). Made-up
numbers and shops; SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import Account, Transaction
from budgetwise.services import importing as svc

IBAN = "DE89 3704 0044 0532 0130 00"
COLUMN = ("Date,Description,Amount,Account\n" f"2024-03-01,Zorblat Markt,-12.50,{IBAN}\n").encode()
STATEMENT = (f"Account:,{IBAN}\n\nDate,Description,Amount\n2024-03-05,Vrenglo Cafe,-5.00\n").encode()


def _import(session, uid: int, data: bytes, name: str):
    preview = svc.preview_import(session, user_id=uid, data=data, filename=name)
    svc.commit_import(session, user_id=uid, data=data, filename=name, preview=preview)
    return preview


def _where(session, uid: int) -> list[tuple[str, str | None, str, str]]:
    return [tuple(r) for r in session.execute(
        select(Account.name, Account.external_id, Account.currency, Transaction.currency)
        .join(Account, Account.id == Transaction.account_id).where(Transaction.user_id == uid)
        .order_by(Transaction.date))]


def test_a_statement_naming_an_accounts_number_goes_to_it_in_its_currency(session, alice):
    uid = alice.user_id
    _import(session, uid, COLUMN, "bank.csv")  # the account column's IBAN: "DE…3000" in EUR (session 26)
    preview = _import(session, uid, STATEMENT, "statement.csv")
    number = "DE89370400440532013000"
    assert _where(session, uid) == [("DE…3000", number, "EUR", "EUR"), ("DE…3000", number, "EUR", "EUR")]
    assert [a.name for a in preview.accounts if a.new] == []
    assert session.scalar(select(Account.id).where(Account.user_id == uid, Account.name.like("%(2)%"))) is None


def test_a_statement_naming_a_new_iban_makes_its_account_in_the_ibans_currency(session, alice, bob):
    _import(session, bob.user_id, COLUMN, "bank.csv")  # another user's account of that number changes nothing
    _import(session, alice.user_id, STATEMENT, "statement.csv")
    assert _where(session, alice.user_id) == [("DE…3000", "DE89370400440532013000", "EUR", "EUR")]


def test_a_chosen_currency_or_a_plain_account_name_is_left_as_before(session, alice):
    from budgetwise.importing import ImportOptions

    uid = alice.user_id
    data = STATEMENT
    preview = svc.preview_import(session, user_id=uid, data=data, filename="s.csv",
                                 options=ImportOptions(currency="USD"))
    svc.commit_import(session, user_id=uid, data=data, filename="s.csv", preview=preview,
                      options=ImportOptions(currency="USD"))
    assert [r[3] for r in _where(session, uid)] == ["USD"]
    plain = b"Account:,Everyday 12\n\nDate,Description,Amount\n2024-03-06,Vrenglo Cafe,-5.00\n"
    _import(session, uid, plain, "p.csv")
    assert _where(session, uid)[-1][2:] == ("USD", "USD")
