"""Session 10: rows that nothing else places go to an account in their currency (never EUR rows into a
USD account without a word), and the preview says where the rows' currency comes from."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx

EUR_FILE = b"Date,Description,Amount,Currency\n2024-03-01,Backerei,-3.20,EUR\n2024-03-02,Kino,-12.00,EUR\n"
MIXED = EUR_FILE + b"2024-03-03,Diner,-8.00,USD\n2024-03-04,Refund,5.00,\n"
PLAIN = b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n2024-03-02,Salary,1000.00\n"


def _use_main(session, user_id):
    """A Main account in use (so no new account takes its place)."""
    tx.add_transaction(session, user_id=user_id, date="2024-01-02", amount="1.00", kind="expense", description="Coffee")


def _stored(session, user_id):
    rows = session.execute(select(Transaction.description, Transaction.currency, Transaction.account_id)
                           .where(Transaction.user_id == user_id, Transaction.source == "import")).all()
    names = {a.id: (a.name, a.currency) for a in accounts.list_accounts(session, user_id=user_id)}
    return {d: (c, names[a]) for d, c, a in rows}


def test_a_eur_file_goes_to_a_new_eur_account_named_for_it_and_the_preview_says_so(session, alice):
    _use_main(session, alice.user_id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv")
    assert (preview.account_name, preview.account_new, preview.accounts_by_currency) == ("Euro account (EUR)", True, True)
    assert [(a.name, a.rows, a.new) for a in preview.accounts] == [("Euro account (EUR)", 2, True)]
    assert "“Main account” is in USD" in preview.accounts_note and "new account “Euro account (EUR)”" in preview.accounts_note
    svc.commit_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv", preview=preview)
    assert _stored(session, alice.user_id) == {"Backerei": ("EUR", ("Euro account (EUR)", "EUR")),
                                               "Kino": ("EUR", ("Euro account (EUR)", "EUR"))}
    assert {a.name for a in accounts.list_accounts(session, user_id=alice.user_id)} == {"Main account", "Euro account (EUR)"}
    # the same file again: the account is found, not created a second time
    again = svc.preview_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv")
    assert (again.account_name, again.account_new, again.rows_duplicate) == ("Euro account (EUR)", False, 2)
    svc.commit_import(session, user_id=alice.user_id, data=EUR_FILE + b"2024-03-05,Apotheke,-4.00,EUR\n", filename="de2.csv")
    assert len(accounts.list_accounts(session, user_id=alice.user_id)) == 2


def test_an_existing_account_in_the_files_currency_takes_the_rows(session, alice):
    _use_main(session, alice.user_id)
    konto = accounts.create_account(session, user_id=alice.user_id, name="Konto DE", currency="EUR")
    preview = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="de.csv",
                                 options=ImportOptions(currency="EUR"))
    assert (preview.account_name, preview.account_new) == ("Konto DE", False)
    assert "your EUR account “Konto DE”" in preview.accounts_note
    result = svc.commit_import(session, user_id=alice.user_id, data=PLAIN, filename="de.csv",
                               options=ImportOptions(currency="EUR"))
    assert set(session.scalars(select(Transaction.account_id).where(Transaction.import_batch_id == result.batch_id))) == {konto.id}


def test_a_new_user_s_untouched_starter_account_stays_beside_a_file_in_another_currency(session, alice):
    # until session 25 the EUR account took the USD starter's place and so became the default: a trial's first file
    # (CZK) stayed a EUR user's default for good. Now only an account in the starter's currency takes its place (as
    # one added by hand); the untouched starter follows the base currency when the user changes it
    svc.commit_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv")
    got = [(a.name, a.currency) for a in accounts.list_accounts(session, user_id=alice.user_id)]
    assert got == [("Main account", "USD"), ("Euro account (EUR)", "EUR")]
    assert accounts.default_account_id(session, user_id=alice.user_id) == accounts.find_account(
        session, user_id=alice.user_id, name="Main account").id


def test_a_file_in_two_currencies_puts_each_currency_in_its_account(session, alice):
    _use_main(session, alice.user_id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=MIXED, filename="mixed.csv")
    assert sorted((a.name, a.rows, a.new) for a in preview.accounts) == [
        ("Euro account (EUR)", 2, True), ("Main account", 2, False)]
    svc.commit_import(session, user_id=alice.user_id, data=MIXED, filename="mixed.csv")
    stored = _stored(session, alice.user_id)
    assert stored["Backerei"] == ("EUR", ("Euro account (EUR)", "EUR"))
    assert stored["Diner"] == ("USD", ("Main account", "USD")) and stored["Refund"] == ("USD", ("Main account", "USD"))


def test_an_account_chosen_in_another_currency_is_used_and_the_preview_says_so(session, alice):
    _use_main(session, alice.user_id)
    main = accounts.default_account_id(session, user_id=alice.user_id)
    options = ImportOptions(account_id=main)
    preview = svc.preview_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv", options=options)
    assert preview.account_name == "Main account" and not preview.accounts_by_currency
    assert "“Main account” is in USD but the file's rows are in EUR" in preview.accounts_note
    svc.commit_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv", options=options)
    assert {v[1] for v in _stored(session, alice.user_id).values()} == {("Main account", "USD")}


def test_a_file_in_the_users_currency_goes_to_the_default_account_as_before(session, alice):
    preview = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="us.csv")
    assert (preview.account_name, preview.accounts_by_currency, preview.accounts_note) == ("Main account", False, "")
    assert preview.file_currency.source == "default"
    # said, not assumed silently (session 29, trial29)
    assert preview.file_currency.note.startswith("The file names no currency, so its amounts are taken as USD")


def test_the_preview_says_a_currency_column_decides_and_what_it_found(session, alice):
    fc = svc.preview_import(session, user_id=alice.user_id, data=MIXED, filename="mixed.csv").file_currency
    assert fc.source == "column" and fc.from_file and fc.found == (("EUR", 2), ("USD", 2))
    assert fc.note == ("Each row's currency comes from the file's “Currency” column: EUR (2 rows), USD (2 rows). "
                       "1 row with an empty currency cell is stored in USD.")
    assert (fc.missing, fc.asks) == (1, True)
    # every row has its currency: nothing is said of empty cells, and no currency is asked for (session 23)
    full = svc.preview_import(session, user_id=alice.user_id, data=EUR_FILE, filename="de.csv").file_currency
    assert full.note == "Each row's currency comes from the file's “Currency” column: EUR (2 rows)."
    assert (full.source, full.missing, full.asks) == ("column", 0, False)
    chosen = svc.preview_import(session, user_id=alice.user_id, data=MIXED, filename="mixed.csv",
                                options=ImportOptions(currency="GBP")).file_currency
    assert chosen.source == "column" and chosen.fallback == "GBP" and dict(chosen.found) == {"EUR": 2, "GBP": 1, "USD": 1}


def test_the_preview_says_a_header_or_the_choice_decides(session, alice):
    header = b"Datum;Text;Betrag (EUR)\n01.03.2024;Kaffee;-3,50\n"
    fc = svc.preview_import(session, user_id=alice.user_id, data=header, filename="h.csv").file_currency
    assert (fc.source, fc.fallback, fc.automatic) == ("header", "EUR", "EUR")
    assert fc.note == "The column “Betrag (EUR)” names the currency: EUR."
    fc = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv",
                            options=ImportOptions(currency="CHF")).file_currency
    assert (fc.source, fc.fallback, fc.automatic) == ("chosen", "CHF", "USD")
