"""The Import page's preview says in one line what the import does with a file's opening-balance row (session 28,
open28): "“Starting Balance” 5 231,00 € on 2019-11-02 becomes “Main account”'s opening balance."; importing it
sets the account's opening balance and stores the other rows only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from budgetwise.models import Account, Transaction
from tests.ui.test_page_import import PAGE, _click, _texts, _upload

YNAB = b"Date,Payee,Outflow,Inflow\n2019-11-02,Starting Balance,0.00,5231.00\n2019-11-05,Market,12.00,0.00\n"


def _said(at, name: str, data: bytes) -> str:
    """The page's texts after uploading the file (markdown escapes and non-breaking hyphens undone)."""
    _upload(at, name, data)
    return _texts(at).replace("\\", "").replace("\u2011", "-")


def _imported(at) -> None:
    _click(at, next(b.label for b in at.button if str(b.label).startswith("Import ")))
    assert not at.exception


def test_the_preview_says_the_row_becomes_the_opening_balance(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    said = _said(at, "ynab.csv", YNAB)
    assert "“Starting Balance” $5,231.00 on 2019-11-02 becomes “Main account”'s opening balance." in said
    assert "kept in the category of transfers" not in said  # fix28's line, no longer true
    _imported(at)
    with app_env.scope() as s:
        row = s.scalars(select(Account).where(Account.user_id == alice.user_id, Account.opening_balance_minor != 0)).one()
        assert (row.opening_balance_minor, row.opening_date) == (523100, dt.date(2019, 11, 2))
        assert s.scalars(select(Transaction.description).where(Transaction.user_id == alice.user_id)).all() == ["Market"]


def test_a_file_of_several_accounts_sets_each_opening_balance(app_env):
    """Session 29 (open29): the preview names each account's opening balance; the import sets them all; the same
    file again is nothing new."""
    from tests.services.test_services_import_opening_balances_many import BLUECOINS, OPENINGS

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    said = _said(at, "bluecoins.csv", BLUECOINS)
    assert "3 opening-balance rows become their accounts' opening balances: " in said
    assert "kept in the category of transfers" not in said and "stay transfer rows" not in said
    _imported(at)
    with app_env.scope() as s:
        got = {a.name: (a.opening_balance_minor, a.opening_date)
               for a in s.scalars(select(Account).where(Account.user_id == alice.user_id))}
        assert {n: got[n] for n in OPENINGS} == OPENINGS
    said = _said(at, "bluecoins.csv", BLUECOINS)
    assert "already their accounts' opening balances" in said and "1 new row" not in said
