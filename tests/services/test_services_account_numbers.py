"""An account number in a file's account column is kept out of the account's name (session 26, bal26;
``services/account_numbers.py``). Before, the account an import created was named after the value whole: the full
IBAN or account number on every page, while an OFX statement's number was masked ("Checking …6877"). Now the name
masks it the same way ("DE…3000", "Account …0800"), the full number is the account's ``external_id``, and a later file
with the same number finds the account by it — not by the masked name: two accounts ending in the same four digits
stay two. Accounts named before keep their names. Runs on SQLite, and PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

from sqlalchemy import func, select

from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services.account_numbers import by_number, masked, number_of
from budgetwise.services.importing.by_currency import statement_account_name

IBAN = "DE89 3704 0044 0532 0130 00"
CSV = ("Date,Description,Amount,Account\n"
       f"2024-03-01,Grocer,-12.50,{IBAN}\n"
       "2024-03-02,Salary,1000.00,123456789/0800\n"
       "2024-03-03,Rent,-500.00,987654321/0800\n"
       "2024-03-04,Diner,-30.00,Visa\n").encode()
# the same accounts' next export: the IBAN without its spaces, in lower case
LATER = (b"Date,Description,Amount,Account\n"
         b"2024-04-01,Grocer,-10.00,de89370400440532013000\n"
         b"2024-04-02,Rent,-500.00,987654321/0800\n")


def _accounts(session, uid: int) -> dict[str, str | None]:
    return {a.name: a.external_id for a in accounts.list_accounts(session, user_id=uid, include_archived=True)}


def _rows(session, uid: int) -> dict[str, int]:
    got = session.execute(select(Account.name, func.count()).join(Transaction, Transaction.account_id == Account.id)
                          .where(Transaction.user_id == uid).group_by(Account.name)).all()
    return {n: int(c) for n, c in got}


def test_the_rule():
    assert masked(IBAN) == "DE…3000" and number_of(IBAN) == "DE89370400440532013000"
    assert masked("123456789/0800") == "Account …0800" and number_of("123456789/0800") == "123456789/0800"
    assert masked("Visa") == "Visa" and number_of("Visa") is None and number_of("Visa 1234") is None
    assert masked("FRANK Account 666-123456-789") == statement_account_name("FRANK Account 666-123456-789")


def test_new_accounts_show_the_number_masked_and_keep_it_whole_privately(session, alice):
    """Old code: accounts "DE89 3704 0044 0532 0130 00", "123456789/0800" and "987654321/0800"."""
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=CSV, filename="bank.csv")
    shown = {s.name for s in preview.accounts if s.new}
    assert shown == {"DE…3000", "Account …0800", "Account …0800 (2)", "Visa"}
    svc.commit_import(session, user_id=uid, data=CSV, filename="bank.csv", preview=preview)
    got = _accounts(session, uid)
    assert got["DE…3000"] == "DE89370400440532013000" and got["Visa"] is None
    assert {got["Account …0800"], got["Account …0800 (2)"]} == {"123456789/0800", "987654321/0800"}
    assert not any("0532" in name or "12345" in name or "98765" in name for name in got)


def test_a_later_file_finds_each_account_by_its_number_not_its_masked_name(session, alice):
    uid = alice.user_id
    svc.commit_import(session, user_id=uid, data=CSV, filename="bank.csv")
    before = _accounts(session, uid)
    second = next(n for n, e in before.items() if e == "987654321/0800")
    preview = svc.preview_import(session, user_id=uid, data=LATER, filename="bank2.csv")
    assert not any(s.new for s in preview.accounts)
    svc.commit_import(session, user_id=uid, data=LATER, filename="bank2.csv", preview=preview)
    assert _accounts(session, uid) == before  # nothing created
    rows = _rows(session, uid)
    assert rows["DE…3000"] == 2 and rows[second] == 2  # the second "…0800", not the first


def test_an_ofx_account_and_a_column_with_its_number_are_one_account(session, alice):
    """Found by the number alone: no row carries the value yet, and the names differ ("Account …7890")."""
    uid = alice.user_id
    made = accounts.account_for_external_id(session, user_id=uid, external_id="1234567890", currency="USD")
    data = b"Date,Description,Amount,Account\n2024-03-01,Grocer,-12.50,1234567890\n"
    svc.commit_import(session, user_id=uid, data=data, filename="bank.csv")
    assert _rows(session, uid) == {accounts.get_account(session, user_id=uid, account_id=made).name: 1}


def test_an_account_named_after_its_number_before_keeps_its_name_and_its_rows(session, alice):
    uid = alice.user_id
    accounts.create_account(session, user_id=uid, name="123456789/0800", currency="USD")
    data = b"Date,Description,Amount,Account\n2024-03-01,Grocer,-12.50,123456789/0800\n"
    svc.commit_import(session, user_id=uid, data=data, filename="bank.csv")
    assert _rows(session, uid) == {"123456789/0800": 1}
    assert "Account …0800" not in _accounts(session, uid)


def test_the_type_chosen_for_the_masked_name_is_used(session, alice):
    uid = alice.user_id
    found = accounts.accounts_for_names(session, user_id=uid, names={"123456789/0800": "USD"}, create=True,
                                        kinds={accounts.import_account_key("Account …0800"): "savings"})
    made = found[accounts.import_account_key("123456789/0800")]
    assert (made.name, made.kind) == ("Account …0800", "savings")


def test_another_users_number_is_not_found(session, alice, bob):
    svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="bank.csv")
    assert by_number(session, user_id=bob.user_id, values=[IBAN]) == {}
    assert set(by_number(session, user_id=alice.user_id, values=[IBAN])) == {IBAN}
    svc.commit_import(session, user_id=bob.user_id, data=LATER, filename="bank2.csv")  # bob's own accounts
    assert _rows(session, bob.user_id) == {"de…3000": 1, "Account …0800": 1}  # the file's spelling
    assert _rows(session, alice.user_id)["DE…3000"] == 1


def test_statements_whose_preambles_name_numbers_ending_alike_stay_two_accounts(session, alice):
    """Old code: the second statement's rows went to the first account (found by its masked name)."""
    from budgetwise.importing import ImportOptions

    def statement(number: str, what: str) -> bytes:
        return (f"Account details for:,ZORBLAT Account {number}\n\nDate,Description,Amount\n"
                f"2024-03-01,{what},-12.50\n").encode()

    options = ImportOptions(currency="SGD")
    for number, what in (("123-456789-012", "First"), ("999-111119-012", "Second"), ("999-111119-012", "Third")):
        svc.commit_import(session, user_id=alice.user_id, data=statement(number, what), filename="s.csv",
                          options=options)
    where = dict(session.execute(select(Transaction.description, Account.name).join(
        Account, Account.id == Transaction.account_id).where(Transaction.user_id == alice.user_id)).all())
    assert where == {"First": "ZORBLAT Account …9012", "Second": "ZORBLAT Account …9012 (2)",
                     "Third": "ZORBLAT Account …9012 (2)"}
