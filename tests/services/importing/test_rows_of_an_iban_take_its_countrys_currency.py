"""Session 26 (trial26, in Chromium): a bank file whose account column holds the user's IBAN and no currency anywhere
(bunq's export: "NL26BUNQ2025126409", no currency column) was stored in the user's currency: a CAD user's Dutch
statement became CAD rows in a new CAD account. Now the rows of a new account named by an IBAN with valid check
digits take the currency of the IBAN's country, and the account is created in it; a chosen currency, a currency
column, an account the user has already and anything that is not an IBAN decide as before."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.importing import ImportOptions
from budgetwise.importing.iban import iban_country, iban_currency
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import importing as svc

# made-up rows; the IBANs are the textbook examples (valid check digits)
DUTCH = (b'"Date","Amount","Account","Counterparty","Name","Description"\n'
         b'"2024-03-01","-8,78","NL91ABNA0417164300","","CLOUDFLARE","CLOUDFLARE 650-3198939, US"\n'
         b'"2024-03-02","-7,99","NL91ABNA0417164300","","NETFLIX.COM","NETFLIX.COM 14087249160, NL"\n'
         b'"2024-03-03","-3,00","","","Kiosk","Kiosk"\n')


def _stored(session, user_id: int) -> dict[str, tuple[str, int, str, str]]:
    rows = session.execute(select(Transaction.description, Transaction.currency, Transaction.amount_minor,
                                  Account.currency, Account.name).join(Account, Account.id == Transaction.account_id)
                           .where(Transaction.user_id == user_id)).all()
    return {d: (c, a, ac, n) for d, c, a, ac, n in rows}


def test_an_iban_names_its_countrys_currency_only_with_valid_check_digits():
    assert iban_currency("NL91ABNA0417164300") == "EUR" and iban_country("nl91 abna 0417 1643 00") == "NL"
    assert iban_currency("GB29NWBK60161331926819") == "GBP"
    assert iban_currency("CH9300762011623852957") == "CHF"
    assert iban_currency("NL92ABNA0417164300") is None  # one check digit off
    assert iban_currency("HR1210010051863000160") is None  # kuna until 2023: no guess without a day (session 27)
    assert iban_currency("123456789/1234") is None and iban_currency("Checking") is None


def test_the_rows_of_a_new_iban_account_take_its_countrys_currency(session, alice):
    preview = svc.preview_import(session, user_id=alice.user_id, data=DUTCH, filename="bunq.csv")
    assert {r.description: r.currency for r in preview.rows} == {
        "CLOUDFLARE 650-3198939, US": "EUR", "NETFLIX.COM 14087249160, NL": "EUR", "Kiosk": "USD"}
    fc = preview.file_currency
    assert (fc.source, fc.fallback) == ("accounts", "USD")
    assert fc.note.startswith("The file names no currency, so the rows its Account column puts into an account are "
                              "stored in its currency: “NL91ABNA…4300” in EUR (2 rows, a new account: an IBAN of "
                              "Netherlands). The other row is stored in USD."), fc.note
    svc.commit_import(session, user_id=alice.user_id, data=DUTCH, filename="bunq.csv", preview=preview)
    stored = _stored(session, alice.user_id)
    assert stored["NETFLIX.COM 14087249160, NL"] == ("EUR", 799, "EUR", "NL91ABNA…4300")  # the number masked (session 26)
    assert stored["Kiosk"][:3] == ("USD", 300, "USD")
    again = svc.preview_import(session, user_id=alice.user_id, data=DUTCH, filename="bunq.csv")
    assert (again.rows_new, again.rows_duplicate) == (0, 3)


def test_a_chosen_currency_an_existing_account_or_the_users_own_currency_decide_as_before(session, alice, bob):
    chosen = svc.preview_import(session, user_id=alice.user_id, data=DUTCH, filename="b.csv",
                                options=ImportOptions(currency="CAD"))
    assert {r.currency for r in chosen.rows} == {"CAD"} and chosen.file_currency.source == "chosen"
    # the user's currency is the IBAN's: nothing moves, nothing said
    from budgetwise.services.profile import update_profile

    update_profile(session, user_id=bob.user_id, currency="EUR")
    euro = svc.preview_import(session, user_id=bob.user_id, data=DUTCH, filename="b.csv")
    assert {r.currency for r in euro.rows} == {"EUR"} and euro.file_currency.source == "default"
    # an account of that name the user has already keeps deciding (its currency, here USD: nothing moves)
    accounts.create_account(session, user_id=alice.user_id, name="NL91ABNA0417164300", currency="USD")
    held = svc.preview_import(session, user_id=alice.user_id, data=DUTCH, filename="b.csv")
    assert {r.currency for r in held.rows} == {"USD"} and held.file_currency.source == "default"


def test_another_users_iban_account_does_not_decide(session, alice, bob):
    """Isolation: bob's USD account of that IBAN is not alice's; her rows take the IBAN's currency."""
    accounts.create_account(session, user_id=bob.user_id, name="NL91ABNA0417164300", currency="USD")
    preview = svc.preview_import(session, user_id=alice.user_id, data=DUTCH, filename="bunq.csv")
    assert [r.currency for r in preview.rows][:2] == ["EUR", "EUR"]
