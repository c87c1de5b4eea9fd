"""Import page, session 27 (#19): a file naming neither its account nor its currency is asked about, not guessed,
when the user's accounts are in several currencies; a user with accounts in one currency keeps the smooth path."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import Account, Transaction
from budgetwise.services import accounts
from budgetwise.services import transactions as tx
from tests.ui.test_page_import import PAGE, _click, _texts, _upload

PLAIN = b"Date,Description,Amount\n2024-03-01,Tesco,-12.50\n2024-03-02,Pret,-4.20\n"


def _account_box(at):
    return at.selectbox(key=next(k for k in (w.key for w in at.selectbox) if k.startswith("imp_account_")))


def _import_button(at):
    return next(b for b in at.button if str(b.label).startswith("Import "))


def _stored(app_env, user) -> set[str]:
    with app_env.scope() as s:
        return set(s.scalars(select(Account.name).join(Transaction, Transaction.account_id == Account.id)
                             .where(Transaction.user_id == user.user_id, Transaction.source == "import")))


def test_a_file_naming_no_account_nor_currency_asks_which_account_and_imports_into_the_one_chosen(app_env):
    alice = app_env.create_user()  # USD, with the starter "Main account"
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=alice.user_id, date="2024-01-02", amount="1.00", kind="expense",
                           description="Coffee")
        giro = accounts.create_account(s, user_id=alice.user_id, name="Girokonto", currency="EUR")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "plain.csv", PLAIN)
    assert not at.exception
    text = _texts(at)
    assert ("Which account is this file's? It names neither its account nor its currency, and your accounts are in "
            "EUR and USD") in text, text
    assert "nothing is imported until you do" in text
    box = _account_box(at)
    assert box.format_func(None) == "Choose the file's account"
    assert "Girokonto" in box.options
    assert _import_button(at).disabled
    box.set_value(giro.id)
    at.run()
    assert not at.exception
    assert "Which account is this file's?" not in _texts(at)
    assert not _import_button(at).disabled
    _click(at, "Import 2 transactions")
    assert not at.exception
    assert _stored(app_env, alice) == {"Girokonto"}


def test_a_user_with_accounts_in_one_currency_is_not_asked(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", currency="USD")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "plain.csv", PLAIN)
    assert not at.exception
    assert "Which account is this file's?" not in _texts(at)
    assert not _import_button(at).disabled
    _click(at, "Import 2 transactions")
    assert not at.exception
    assert _stored(app_env, alice) == {accounts.DEFAULT_ACCOUNT_NAME}


def test_confirming_the_assumed_currency_answers_the_question(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Girokonto", currency="EUR")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "plain.csv", PLAIN)
    assert "Which account is this file's?" in _texts(at)
    _click(at, "The file is in USD")
    assert not at.exception
    assert "Which account is this file's?" not in _texts(at)
    _click(at, "Import 2 transactions")
    assert not at.exception
    assert _stored(app_env, alice) == {accounts.DEFAULT_ACCOUNT_NAME}
