"""Import page, session 22 (words22): a note or refusal that names a command-line option on the command line
(``--account``, ``--mapping``) names the page's own control here (``importing.words.for_page``)."""

from __future__ import annotations

from budgetwise.errors import ImportFileError
from budgetwise.importing.words import CHOOSE_COLUMNS
from tests.ui.test_page_import import PAGE, _click, _texts, _upload

# "Card No." left empty: a card statement that does not number its card (one that does goes to that card's account,
# session 27: tests/services/importing/test_a_card_number_names_its_card_account.py)
CARD = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        b"2015-12-31,2016-01-02,,Airplanes R Us,Other Travel,1000.00,\n")


def test_a_card_statement_note_names_the_account_box_not_the_option(app_env):
    from budgetwise.services import accounts

    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking")
        accounts.create_account(s, user_id=alice.user_id, name="Visa", kind="credit_card")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "capitalone.csv", CARD)
    assert not at.exception, at.exception
    shown = _texts(at).replace("\\", "")
    assert "so its rows go to your credit-card account “Visa”" in shown
    assert "choose an account for the file in the “Account” box." in shown and "--account" not in shown


def test_a_refusal_naming_mapping_names_the_columns_panel(app_env, monkeypatch):
    from budgetwise.services import importing as svc

    def refuse(*a, **k):
        raise ImportFileError("Cannot import: no column was found for the date. " + CHOOSE_COLUMNS.cli)

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "one.csv", b"Date,Description,Amount\n2024-03-04,Grocer,-1.00\n")
    monkeypatch.setattr(svc, "commit_import", refuse)
    _click(at, "Import 1 transaction")
    assert not at.exception, at.exception
    said = " ".join(str(e.value) for e in at.error).replace("\\", "")
    assert "no column was found for the date. Choose them in “Columns and format” above, then press Apply." in said
    assert "--mapping" not in said


def test_a_dollar_card_statement_with_only_a_euro_card_account_is_said_in_the_pages_words(app_env):
    """Session 23 (tidy23): the rows went to the default account without a word (a card account existed)."""
    from budgetwise.services import accounts

    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking")
        accounts.create_account(s, user_id=alice.user_id, name="Euro Visa", kind="credit_card", currency="EUR")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "capitalone.csv", CARD)
    assert not at.exception, at.exception
    shown = _texts(at).replace("\\", "")
    assert "your credit-card account “Euro Visa” (EUR) is not: they go to “Checking”" in shown
    assert "choose “New account…” above, with the type Credit card and their currency." in shown
    assert "--kind" not in shown


def test_the_new_account_for_a_card_statement_is_a_credit_card_as_its_note_says(app_env):
    """Session 23 (trial23c, in a browser): the note said "choose “New account…” above, with the type Credit card"
    and the new account's Type box then showed Checking."""
    from budgetwise.services import accounts

    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking")
        accounts.create_account(s, user_id=alice.user_id, name="Euro Visa", kind="credit_card", currency="EUR")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "capitalone.csv", CARD)
    [box] = [s for s in at.selectbox if s.key.startswith("imp_account_")]
    box.set_value(-1)  # New account…
    at.run()
    assert not at.exception, at.exception
    [kind] = [s for s in at.selectbox if s.label == "Type"]
    [currency] = [s for s in at.selectbox if s.label == "Currency" and s.key.endswith("_currency")]
    assert (kind.value, currency.value) == ("credit_card", "USD")
    at.text_input(key=next(t.key for t in at.text_input if t.label == "Name of the new account")).set_value("Capital One")
    next(b for b in at.button if b.label == "Create account").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        card = accounts.find_account(s, user_id=alice.user_id, name="Capital One")
    assert (card.kind, card.currency) == ("credit_card", "USD")
    assert "is not: they go to" not in _texts(at).replace("\\", "")  # the rows go to the new card now


def test_the_new_account_for_a_plain_statement_is_still_a_checking_account(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "plain.csv", b"Date,Description,Amount\n2024-03-01,Books,-12.00\n")
    [box] = [s for s in at.selectbox if s.key.startswith("imp_account_")]
    box.set_value(-1)
    at.run()
    assert [s.value for s in at.selectbox if s.label == "Type"] == ["checking"]
