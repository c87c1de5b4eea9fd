"""Import page, session 28 (cards28, #19): a numbered card statement and the user's one empty credit-card account: the
page asks, the account suggested first in the Account box (not chosen for the user), Import disabled until an account
is chosen; chosen, the rows go there and it keeps the card's digits. A file of two cards: each preview row names the
account it goes to."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import Account
from budgetwise.services import accounts
from tests.ui.test_page_import import PAGE, _click, _texts, _upload
from tests.ui.test_page_import_asks_account import _account_box, _import_button, _stored

CARD = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        b"2015-12-31,2016-01-02,1234,Airplanes R Us,Other Travel,1000.00,\n"
        b"2015-12-31,2016-01-02,1234,CAPITAL ONE AUTOPAY PYMT,Payment/Credit,,1000.00\n")
MULTI = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
         b"2016-01-05,2016-01-06,1234,Airplanes R Us,Other Travel,1000.00,\n"
         b"2016-01-04,2016-01-05,5678,Grocer,Food,20.00,\n")


def test_the_empty_card_account_is_suggested_and_taken_only_when_chosen(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        visa = accounts.create_account(s, user_id=alice.user_id, name="Visa", kind="credit_card")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "capitalone.csv", CARD)
    assert not at.exception
    text = _texts(at)
    assert "Which account is this card statement's? It numbers the card …1234" in text, text
    box = _account_box(at)
    assert box.options[0] == "Choose the file's account (suggested: “Visa”)"
    assert box.options[1] == "Visa (suggested)"
    assert _import_button(at).disabled
    assert "Card …1234" not in text  # no new account is offered unasked
    _click(at, "Choose “Visa”")
    assert not at.exception
    assert "Which account is this card statement's?" not in _texts(at)
    _click(at, "Import 2 transactions")
    assert not at.exception
    assert _stored(app_env, alice) == {"Visa"}
    with app_env.scope() as s:
        assert s.get(Account, visa.id).external_id == "1234"


def test_a_file_of_two_cards_names_each_rows_account(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "cards.csv", MULTI)
    assert not at.exception
    frame = next(df.value for df in at.dataframe if "Description" in df.value.columns)
    assert dict(zip(frame["Description"], frame["Account"])) == {"Airplanes R Us": "Card …1234", "Grocer": "Card …5678"}
    _click(at, "Import 2 transactions")
    assert not at.exception
    assert _stored(app_env, alice) == {"Card …1234", "Card …5678"}
    with app_env.scope() as s:
        assert set(s.scalars(select(Account.external_id).where(Account.user_id == alice.user_id,
                                                               Account.kind == "credit_card"))) == {"1234", "5678"}
