"""Session 13: a file without a currency imported into an account in another currency than the user's
is in the account's currency (a currency column, an OFX CURDEF, the user's choice or an amount header
still win), with the Account box / --account, the account saved with the mapping, and an OFX
statement's known account alike; the preview shows the currency that will be stored."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc
from tests.services.importing.test_services_reconcile import CSV, _ofx

PLAIN = b"Date,Description,Amount\n2024-03-01,Tesco,-12.50\n2024-03-02,Refund,5.00\n"
COLUMN = b"Date,Description,Amount,Currency\n2024-03-01,Fnac,-3.20,EUR\n2024-03-02,Boots,-4.00,\n"


def _gbp_card(session, user_id: int) -> accounts.AccountView:
    return accounts.create_account(session, user_id=user_id, name="GBP card", currency="GBP")


def _stored(session, batch_id: int) -> dict[str, tuple[str, int]]:
    rows = session.execute(select(Transaction.description, Transaction.currency, Transaction.account_id)
                           .where(Transaction.import_batch_id == batch_id)).all()
    return {d: (c, a) for d, c, a in rows}


def test_a_plain_file_into_a_gbp_account_is_stored_in_gbp_and_the_preview_says_so(session, alice):
    card = _gbp_card(session, alice.user_id)
    options = ImportOptions(account_id=card.id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="card.csv", options=options)
    assert {r.currency for r in preview.rows} == {"GBP"} and preview.currencies == (("GBP", 2),)
    fc = preview.file_currency
    assert (fc.source, fc.fallback, fc.automatic, fc.account) == ("account", "GBP", "GBP", "GBP card")
    assert fc.note == "The file names no currency, so its rows are stored in GBP, the currency of the account “GBP card”."
    assert "is in GBP but" not in preview.accounts_note  # no mismatch to report
    result = svc.commit_import(session, user_id=alice.user_id, data=PLAIN, filename="card.csv", options=options,
                               preview=preview)
    assert _stored(session, result.batch_id) == {"Tesco": ("GBP", card.id), "Refund": ("GBP", card.id)}


def test_without_an_account_chosen_the_users_currency_stays_the_default(session, alice):
    _gbp_card(session, alice.user_id)
    fc = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv").file_currency
    assert (fc.source, fc.fallback, fc.account) == ("default", "USD", "")
    assert "taken as USD, your currency" in fc.note  # said (session 29)


def test_the_file_still_wins_column_header_and_choice(session, alice):
    card = _gbp_card(session, alice.user_id)
    into = ImportOptions(account_id=card.id)
    # a currency column: each row's own; an empty cell takes the account's; the mismatch is said (the old rule)
    preview = svc.preview_import(session, user_id=alice.user_id, data=COLUMN, filename="c.csv", options=into)
    assert {r.description: r.currency for r in preview.rows} == {"Fnac": "EUR", "Boots": "GBP"}
    assert preview.file_currency.source == "column" and preview.file_currency.fallback == "GBP"
    assert "1 row with an empty currency cell is stored in GBP." in preview.file_currency.note
    assert preview.file_currency.asks
    assert "“GBP card” is in GBP but some of the file's rows are in EUR" in preview.accounts_note
    result = svc.commit_import(session, user_id=alice.user_id, data=COLUMN, filename="c.csv", options=into)
    assert _stored(session, result.batch_id) == {"Fnac": ("EUR", card.id), "Boots": ("GBP", card.id)}
    # a code in the amount header
    header = b"Date,Description,Amount (EUR)\n2024-04-01,Fnac,-3.20\n"
    fc = svc.preview_import(session, user_id=alice.user_id, data=header, filename="h.csv", options=into).file_currency
    assert (fc.source, fc.fallback, fc.automatic) == ("header", "EUR", "EUR")
    # the user's own choice (the picker, --currency)
    chosen = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv",
                                options=ImportOptions(account_id=card.id, currency="CHF"))
    assert {r.currency for r in chosen.rows} == {"CHF"}
    assert (chosen.file_currency.source, chosen.file_currency.automatic) == ("chosen", "GBP")


def test_pound_signs_into_a_gbp_account_suggest_nothing(session, alice):
    card = _gbp_card(session, alice.user_id)
    signed = "Date,Description,Amount\n2024-03-01,Tesco,-£12.50\n".encode()
    assert svc.preview_import(session, user_id=alice.user_id, data=signed, filename="s.csv").suggested_currency == "GBP"
    into = svc.preview_import(session, user_id=alice.user_id, data=signed, filename="s.csv",
                              options=ImportOptions(account_id=card.id))
    assert into.suggested_currency is None and {r.currency for r in into.rows} == {"GBP"}


def test_the_account_saved_with_the_mapping_gives_its_currency(session, alice):
    card = _gbp_card(session, alice.user_id)
    first = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv")
    svc.save_mapping(session, user_id=alice.user_id, name="Card", header_signature=first.header_signature,
                     columns=first.columns, mapping=first.mapping, account_id=card.id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv")
    assert preview.saved_mapping is not None and preview.account_name == "GBP card"
    assert {r.currency for r in preview.rows} == {"GBP"} and preview.file_currency.source == "account"
    result = svc.commit_import(session, user_id=alice.user_id, data=PLAIN, filename="p.csv")
    assert set(_stored(session, result.batch_id).values()) == {("GBP", card.id)}


def test_ofx_curdef_wins_and_a_statement_without_one_takes_its_accounts_currency(session, alice):
    card = _gbp_card(session, alice.user_id)
    into = ImportOptions(account_id=card.id)
    with_curdef = svc.preview_import(session, user_id=alice.user_id, data=_ofx("", "USD"), filename="s.ofx", options=into)
    assert {r.currency for r in with_curdef.rows} == {"USD"} and with_curdef.file_currency.source == "statement"
    bare = _ofx("").replace(b"<CURDEF>EUR", b"")
    chosen = svc.preview_import(session, user_id=alice.user_id, data=bare, filename="s.ofx", options=into)
    assert {r.currency for r in chosen.rows} == {"GBP"} and chosen.file_currency.source == "account"
    # no account chosen: a statement whose bank account id is already a GBP account of the user's
    assert {r.currency for r in svc.preview_import(session, user_id=alice.user_id, data=bare, filename="s.ofx").rows} == {"USD"}
    known = accounts.account_for_external_id(session, user_id=alice.user_id, external_id="55554444", currency="GBP")
    preview = svc.preview_import(session, user_id=alice.user_id, data=bare, filename="s.ofx")
    assert {r.currency for r in preview.rows} == {"GBP"} and preview.account_name == accounts.get_account(
        session, user_id=alice.user_id, account_id=known).name
    result = svc.commit_import(session, user_id=alice.user_id, data=bare, filename="s.ofx", preview=preview)
    assert set(_stored(session, result.batch_id).values()) == {("GBP", known)}


def test_a_running_balance_into_a_gbp_account_can_set_its_opening_balance(session, alice, bob):
    card = _gbp_card(session, alice.user_id)
    into = ImportOptions(account_id=card.id)
    preview = svc.preview_import(session, user_id=alice.user_id, data=CSV, filename="a.csv", options=into)
    recon = preview.reconciliation
    assert recon.statement.currency == "GBP" and recon.difference_minor == 100000  # 1,000.00 before the statement
    svc.commit_import(session, user_id=alice.user_id, data=CSV, filename="a.csv", options=into, preview=preview)
    svc.set_opening_from_statement(session, principal=alice, account_id=card.id, balance=recon.statement)
    assert accounts.get_account(session, user_id=alice.user_id, account_id=card.id).opening_balance_minor == 100000
