"""Import page, session 10: the preview names the account in the file's currency (a new one named for
the currency when the user has none) and says when a currency column decides each row's currency."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services import transactions as tx
from tests.ui.test_page_import import PAGE, _click, _texts, _upload

EUR_FILE = b"Date,Description,Amount,Currency\n2024-03-01,Backerei,-3.20,EUR\n2024-03-02,Kino,-12.00,EUR\n"
MIXED = EUR_FILE + b"2024-03-03,Diner,-8.00,USD\n"


def _plain(text: str) -> str:
    return text.replace("\\", "")


def _eur_file_for_a_usd_user(app_env):
    """A USD user with a USD row (so EUR rows get an account of their own), the EUR file uploaded."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=alice.user_id, date="2024-01-02", amount="1.00", kind="expense",
                           description="Coffee")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "de.csv", EUR_FILE)
    return alice, at


def test_a_eur_file_is_offered_a_new_eur_account_and_lands_there(app_env):
    alice, at = _eur_file_for_a_usd_user(app_env)
    assert not at.exception
    account_box = at.selectbox(key=next(k for k in (w.key for w in at.selectbox) if k.startswith("imp_account_")))
    assert account_box.format_func(None) == "New account “Euro account (EUR)” (in the file's currency)"
    text = _plain(_texts(at))
    assert "Your default account “Main account” is in USD" in text
    assert "new account “Euro account (EUR)” that this import creates" in text
    # the file has no account column: no "rows without an account" (session 25: every such file said it)
    assert "The rows go to **Euro account (EUR)** (2 rows, new, checking account)." in text
    assert "rows without an account" not in text
    _click(at, "Import 2 transactions")
    assert not at.exception
    with app_env.scope() as s:
        views = {a.id: (a.name, a.currency) for a in accounts.list_accounts(s, user_id=alice.user_id)}
        stored = set(s.scalars(select(Transaction.account_id).where(Transaction.user_id == alice.user_id,
                                                                    Transaction.source == "import")))
    assert {views[i] for i in stored} == {("Euro account (EUR)", "EUR")}


def test_a_currency_column_is_named_as_the_source_not_the_users_currency(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "mixed.csv", MIXED)
    assert not at.exception
    text = _plain(_texts(at))
    assert "Each row's currency comes from the file's “Currency” column: EUR (2 rows), USD (1 row)." in text
    labels = [str(w.label) for w in at.selectbox]
    # every row has its currency: no picker for rows without one (session 23: it showed anyway)
    assert "Currency of this file" not in labels and "Currency of rows without one" not in labels
    # the rows go to an account per currency, both listed
    assert "The rows go to" in text and "Euro account (EUR)" in text and "Main account" in text


def test_a_currency_column_with_an_empty_cell_asks_for_those_rows_currency(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "gaps.csv", MIXED + b"2024-03-04,Kiosk,-1.50,\n")
    assert not at.exception
    text = _plain(_texts(at))
    assert "1 row with an empty currency cell is stored in USD." in text
    labels = [str(w.label) for w in at.selectbox]
    assert "Currency of this file" not in labels and "Currency of rows without one" in labels


def test_a_file_without_a_currency_of_its_own_keeps_the_plain_picker(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "us.csv", b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n")
    assert not at.exception
    picker = next(w for w in at.selectbox if str(w.label) == "Currency of this file")
    assert picker.value == "USD"
    assert "comes from the file" not in _plain(_texts(at))


def test_a_file_already_imported_names_no_account_with_zero_rows(app_env):
    """QA 2026-12-05: the preview after importing (every row a duplicate) said "The rows go to Euro
    account (EUR) (0 rows, rows without an account)."; it now says no row goes anywhere."""
    alice, at = _eur_file_for_a_usd_user(app_env)
    _click(at, "Import 2 transactions")
    assert not at.exception
    assert "Imported 2 transactions" in _plain(_texts(at))
    _upload(at, "de.csv", EUR_FILE)  # chosen again (the uploader is emptied after an import)
    text = _plain(_texts(at))
    assert "Nothing new in this file" in text or "You imported this exact file before" in text
    assert "(0 rows" not in text
    assert "The rows go to no account (no new rows)." in text


def test_a_plain_file_into_a_gbp_account_shows_and_stores_gbp(app_env):
    """Session 13: choosing "GBP card" in the Account box makes a file without a currency GBP: the picker,
    the note and the preview's amounts say GBP, and GBP is stored (it said USD and stored USD)."""
    from tests.ui.test_page_import import _table

    alice = app_env.create_user()
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=alice.user_id, date="2024-01-02", amount="1.00", kind="expense",
                           description="Coffee")
        card = accounts.create_account(s, user_id=alice.user_id, name="GBP card", currency="GBP").id
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "card.csv", b"Date,Description,Amount\n2024-03-01,Tesco,-12.50\n2024-03-02,Refund,5.00\n")
    assert next(w for w in at.selectbox if str(w.label) == "Currency of this file").value == "USD"
    next(w for w in at.selectbox if str(w.label) == "Account").set_value(card)
    at.run()
    assert not at.exception
    assert next(w for w in at.selectbox if str(w.label) == "Currency of this file").value == "GBP"
    text = _plain(_texts(at))
    assert "its rows are stored in GBP, the currency of the account “GBP card”" in text
    assert "is in GBP but" not in text
    amounts = list(_table(at, "Amount")["Amount"])
    assert all("£" in a for a in amounts) and not any("$" in a for a in amounts)
    _click(at, "Import 2 transactions")
    assert not at.exception
    with app_env.scope() as s:
        stored = set(s.execute(select(Transaction.currency, Transaction.account_id).where(
            Transaction.user_id == alice.user_id, Transaction.source == "import")).all())
    assert stored == {("GBP", card)}


def test_rows_the_account_column_puts_into_a_gbp_account_show_and_store_gbp(app_env):
    """Session 14 (newuser): a file whose Account column names the user's GBP account, with no currency
    anywhere, showed "-$12.50" for its rows and stored USD inside the GBP account without a word. The
    preview now says which rows take their account's currency and shows and stores them in GBP."""
    from tests.ui.test_page_import import _table

    alice = app_env.create_user()
    with app_env.scope() as s:
        card = accounts.create_account(s, user_id=alice.user_id, name="GBP card", currency="GBP").id
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "household.csv", b"Date,Description,Amount,Account\n2024-03-01,Tesco,-12.50,GBP card\n"
                                 b"2024-03-02,Boots,-4.00,GBP card\n")
    assert not at.exception
    text = _plain(_texts(at))
    assert ("The file names no currency, so the rows its Account column puts into your accounts are stored in "
            "each account's currency: “GBP card” in GBP (2 rows).") in text
    amounts = list(_table(at, "Amount")["Amount"])
    assert all("£" in a for a in amounts) and not any("$" in a for a in amounts)
    _click(at, "Import 2 transactions")
    assert not at.exception
    with app_env.scope() as s:
        stored = set(s.execute(select(Transaction.currency, Transaction.account_id).where(
            Transaction.user_id == alice.user_id, Transaction.source == "import")).all())
    assert stored == {("GBP", card)}


def test_an_import_in_another_currency_without_rates_offers_to_make_it_the_users_currency(app_env):
    """Session 19 trial: a new USD user imported a EUR file; every page showed $0.00 and nothing said that
    making EUR her currency was the fix. The import's summary says so and the button does it."""
    from budgetwise.services import preferences

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "de.csv", EUR_FILE)
    _click(at, "Import 2 transactions")
    assert not at.exception
    text = _plain(_texts(at))
    assert ("Both transactions you imported are in EUR, but your currency is USD and neither of them has a EUR → USD "
            "rate") in text
    assert "make EUR your currency: nothing else you have would then need a rate." in text
    _click(at, "Make EUR your currency")
    assert not at.exception
    with app_env.scope() as s:
        assert preferences.user_currency(s, alice.user_id) == "EUR"
    assert not any(str(b.label) == "Make EUR your currency" for b in at.button)
    assert "neither of them has a EUR → USD rate" not in _plain(_texts(at))


def test_an_import_in_another_currency_beside_other_data_points_to_rates_not_a_switch(app_env):
    alice, at = _eur_file_for_a_usd_user(app_env)  # a USD row already: switching would leave it unconverted
    _click(at, "Import 2 transactions")
    assert not at.exception
    text = _plain(_texts(at))
    assert ("Add EUR → USD exchange rates: making EUR your currency instead would leave 1 USD transaction "
            "without a rate.") in text
    assert not any(str(b.label).startswith("Make EUR") for b in at.button)


def test_a_dutch_iban_file_without_a_currency_shows_and_stores_euros_in_a_new_euro_account(app_env):
    """Session 26 (trial26, in Chromium): a CAD user's bunq export (the account column an NL IBAN, no currency
    anywhere) was offered as "-$8.78" and would have made a CAD account of Dutch euros. The preview now says the IBAN's
    country decides, shows euros, and the account is created in EUR."""
    from budgetwise.models import Account
    from tests.ui.test_page_import import _table

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "bunq.csv", b'"Date","Amount","Account","Name","Description"\n'
                            b'"2024-03-01","-8,78","NL91ABNA0417164300","CLOUDFLARE","CLOUDFLARE 650-3198939"\n'
                            b'"2024-03-02","-7,99","NL91ABNA0417164300","NETFLIX.COM","NETFLIX.COM 14087249160"\n')
    assert not at.exception
    text = _plain(_texts(at))
    assert "“NL91ABNA…4300” in EUR (2 rows, a new account: an IBAN of Netherlands)" in text, text
    amounts = list(_table(at, "Amount")["Amount"])
    assert all("€" in a for a in amounts) and not any("$" in a for a in amounts), amounts
    _click(at, "Import 2 transactions")
    assert not at.exception
    with app_env.scope() as s:
        stored = set(s.execute(select(Transaction.currency, Account.currency, Account.name)
                               .join(Account, Account.id == Transaction.account_id)
                               .where(Transaction.user_id == alice.user_id)).all())
    assert stored == {("EUR", "EUR", "NL91ABNA…4300")}  # the number masked (session 26)
