"""Session 26 (trial26, in Chromium): with three EUR accounts, Commerzbank's and N26's EUR rows went into the first
one (bunq's, "NL26BUNQ…") because they share its currency, though Commerzbank's file names its own IBAN ("IBAN
Auftraggeberkonto"); and a UK file with no currency was offered to the USD/CAD account holding years of other rows,
with "set the opening balance so that it matches the statement" computed against that account.

Now a file that names its own account goes to the account holding that id or to a new one; a file naming none does
not go, by currency alone, into an account that is another bank account's (it holds rows naming an IBAN, or an OFX
account id); and a statement balance is not offered to reset the opening balance of an account the import chose
(not the user) when none of the file's rows is in it and it holds other rows. Made-up files; IBANs are textbook ones."""

from __future__ import annotations

from sqlalchemy import func, select

from budgetwise.importing import ImportOptions
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc

BUNQ = (b'"Date","Amount","Account","Counterparty","Name","Description"\n'
        b'"2024-03-01","-8,78","NL91ABNA0417164300","","CLOUDFLARE","CLOUDFLARE 650-3198939, US"\n'
        b'"2024-03-02","-7,99","NL91ABNA0417164300","","NETFLIX.COM","NETFLIX.COM 14087249160, NL"\n')
COMMERZ = ("Buchungstag;Wertstellung;Umsatzart;Buchungstext;Betrag;Währung;Auftraggeberkonto;"
           "Bankleitzahl Auftraggeberkonto;IBAN Auftraggeberkonto\n"
           '04.03.2024;04.03.2024;Lastschrift;"Kartenzahlung REWE SAGT DANKE Hamburg";-17,22;EUR;532013000;37040044;'
           "DE89370400440532013000\n"
           '05.03.2024;05.03.2024;Gutschrift;"Gehalt Maerz";2.100,00;EUR;532013000;37040044;DE89370400440532013000\n'
           ).encode()
N26 = ("Datum,Empfänger,Kontonummer,Transaktionstyp,Verwendungszweck,Kategorie,Betrag (EUR)\n"
       "2024-03-06,NINTENDO OF EUROPE,,MasterCard Zahlung,,Medien & Elektronik,-59.99\n"
       "2024-03-07,Backerei Schmidt,,MasterCard Zahlung,,Essen,-4.20\n").encode()
UK = (b"Date,Description,Amount,Balance\n"
      b"10/02/2018,MERCHANT NAME@12:34,-5.00,995.00\n"
      b"11/02/2018,CORNER SHOP,-2.50,992.50\n")


def _account_of(session, user_id: int, description: str) -> tuple[int, str, str]:
    row = session.execute(select(Account.id, Account.name, Account.currency)
                          .join(Transaction, Transaction.account_id == Account.id)
                          .where(Transaction.user_id == user_id, Transaction.description.like(f"%{description}%"))).one()
    return int(row[0]), str(row[1]), str(row[2])


def _import(session, user_id: int, data: bytes, name: str, options: ImportOptions | None = None):
    preview = svc.preview_import(session, user_id=user_id, data=data, filename=name, options=options)
    svc.commit_import(session, user_id=user_id, data=data, filename=name, preview=preview, options=options)
    return preview


def test_a_file_naming_its_own_iban_goes_to_that_accounts_not_to_the_first_in_its_currency(session, alice):
    _import(session, alice.user_id, BUNQ, "bunq.csv")
    bunq_id, _, _ = _account_of(session, alice.user_id, "NETFLIX")
    preview = svc.preview_import(session, user_id=alice.user_id, data=COMMERZ, filename="commerzbank.csv")
    assert [(s.new, s.from_file, s.rows) for s in preview.accounts] == [(True, True, 2)], preview.accounts
    assert "NL91" not in preview.accounts_note and "NL91" not in preview.account_name
    _import(session, alice.user_id, COMMERZ, "commerzbank.csv")
    commerz_id, _, currency = _account_of(session, alice.user_id, "REWE")
    assert commerz_id != bunq_id and currency == "EUR"
    assert _account_of(session, alice.user_id, "Gehalt")[0] == commerz_id
    # the next statement of that IBAN goes to the account holding it
    later = COMMERZ.replace(b"04.03.2024", b"04.04.2024").replace(b"05.03.2024", b"05.04.2024")
    again = svc.preview_import(session, user_id=alice.user_id, data=later, filename="commerzbank2.csv")
    assert [(s.new, s.rows) for s in again.accounts] == [(False, 2)], again.accounts
    _import(session, alice.user_id, later, "commerzbank2.csv")
    assert session.scalar(select(Transaction.account_id).where(
        Transaction.user_id == alice.user_id, Transaction.date == __import__("datetime").date(2024, 4, 5))) == commerz_id


def test_a_file_naming_no_account_does_not_go_into_another_banks_account_by_currency(session, alice):
    _import(session, alice.user_id, BUNQ, "bunq.csv")
    _import(session, alice.user_id, COMMERZ, "commerzbank.csv")
    taken = {_account_of(session, alice.user_id, d)[0] for d in ("NETFLIX", "REWE")}
    preview = svc.preview_import(session, user_id=alice.user_id, data=N26, filename="n26.csv")
    assert [(s.new, s.rows) for s in preview.accounts] == [(True, 2)], preview.accounts
    _import(session, alice.user_id, N26, "n26.csv")
    n26_id, name, currency = _account_of(session, alice.user_id, "NINTENDO")
    assert n26_id not in taken and currency == "EUR" and name == "Euro account (EUR)"
    # an EUR account the user keeps (no other bank's id in it) still takes such rows, as before
    session.execute(Transaction.__table__.delete().where(Transaction.account_id == n26_id))
    accounts.create_account(session, user_id=alice.user_id, name="Savings EUR", currency="EUR")
    hand = svc.preview_import(session, user_id=alice.user_id, data=N26, filename="n26.csv")
    assert [s.name for s in hand.accounts] in (["Euro account (EUR)"], ["Savings EUR"])


def test_the_statement_balance_does_not_reset_an_account_the_file_shares_no_rows_with(session, alice):
    main = accounts.default_account_id(session, user_id=alice.user_id)
    history = b"Date,Description,Amount\n2023-01-05,RENT,-1200.00\n2023-02-05,RENT,-1200.00\n"
    _import(session, alice.user_id, history, "history.csv", ImportOptions(account_id=main))
    # one currency only: the rows' currency is the user's only one, the offer stands as before
    alone = svc.preview_import(session, user_id=alice.user_id, data=UK, filename="firstdirect.csv")
    assert alone.reconciliation is not None and alone.reconciliation.difference_minor not in (None, 0)
    accounts.create_account(session, user_id=alice.user_id, name="Savings EUR", currency="EUR")
    preview = svc.preview_import(session, user_id=alice.user_id, data=UK, filename="firstdirect.csv")
    assert preview.account_id == main
    recon = preview.reconciliation
    assert recon is not None and recon.difference_minor is None, recon
    assert "none of this file's rows" in recon.message and "opening balance" in recon.message, recon.message
    # the file's currency chosen by the user: the offer stands, as before
    told = svc.preview_import(session, user_id=alice.user_id, data=UK, filename="firstdirect.csv",
                              options=ImportOptions(currency="USD"))
    assert told.reconciliation is not None and told.reconciliation.difference_minor not in (None, 0)
    # the account chosen by the user: likewise
    chosen = svc.preview_import(session, user_id=alice.user_id, data=UK, filename="firstdirect.csv",
                                options=ImportOptions(account_id=main))
    assert chosen.reconciliation is not None and chosen.reconciliation.difference_minor not in (None, 0)
    # an empty account the import chose: the offer stands (nothing else to shift)
    fresh = svc.preview_import(session, user_id=alice.user_id, data=UK.replace(b"2018", b"2024"), filename="fd.csv")
    assert fresh.reconciliation is not None


def test_another_users_accounts_never_count(session, alice, bob):
    """Isolation: bob's bunq and Commerzbank accounts (and his rows) neither take nor block alice's rows."""
    _import(session, bob.user_id, BUNQ, "bunq.csv")
    _import(session, bob.user_id, COMMERZ, "commerzbank.csv")
    preview = svc.preview_import(session, user_id=alice.user_id, data=COMMERZ, filename="commerzbank.csv")
    assert [(s.new, s.rows) for s in preview.accounts] == [(True, 2)]
    _import(session, alice.user_id, COMMERZ, "commerzbank.csv")
    a_id = _account_of(session, alice.user_id, "REWE")[0]
    assert session.get(Account, a_id).user_id == alice.user_id
    euro = svc.preview_import(session, user_id=alice.user_id, data=N26, filename="n26.csv")
    assert [(s.new, s.rows) for s in euro.accounts] == [(True, 2)]


def test_the_trials_real_files(session, alice, shared_data):
    """trial26's order on the real exports (../shared/data): a CAD user with a Canadian history in "Main account",
    then bunq, Outbank, Commerzbank, N26 and First Direct."""
    from budgetwise.services.profile import update_profile

    update_profile(session, user_id=alice.user_id, currency="CAD")
    main = accounts.default_account_id(session, user_id=alice.user_id)
    history = b"Date,Description,Amount\n2022-01-05,RENT,-1200.00\n2025-01-05,RENT,-1300.00\n"
    _import(session, alice.user_id, history, "history.csv", ImportOptions(account_id=main))
    folder = shared_data / "bank_formats" / "csv"
    where: dict[str, set[int]] = {}
    for name in ("nl_bunq_statement_en.csv", "de_outbank_app.csv", "de_commerzbank_checking.csv",
                 "de_n26_20171001-20171106.csv"):
        preview = _import(session, alice.user_id, (folder / name).read_bytes(), name)
        batch = session.scalar(select(func.max(Transaction.import_batch_id)).where(Transaction.user_id == alice.user_id))
        where[name] = set(session.scalars(select(Transaction.account_id).where(
            Transaction.user_id == alice.user_id, Transaction.import_batch_id == batch)))
        assert preview.rows_new > 0, name
    ids = list(where.values())
    assert all(len(i) == 1 for i in ids) and len(set().union(*ids)) == 4, where  # four accounts, one each
    assert {session.get(Account, next(iter(i))).currency for i in ids} == {"EUR"}
    uk = svc.preview_import(session, user_id=alice.user_id, data=(folder / "uk_firstdirect_checking.csv").read_bytes(),
                            filename="uk_firstdirect_checking.csv")
    assert uk.account_id == main and uk.reconciliation is not None
    assert uk.reconciliation.difference_minor is None and "none of this file's rows" in uk.reconciliation.message
