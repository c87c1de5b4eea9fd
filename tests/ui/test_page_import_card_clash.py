"""Import page, session 29 (sec29): a card statement whose last 4 digits two of the user's accounts keep is asked
about (no currency button: a currency does not answer it), Import disabled until an account is chosen; chosen, the
rows go there."""

from __future__ import annotations

from budgetwise.services import accounts
from tests.ui.test_page_import import PAGE, _texts, _upload
from tests.ui.test_page_import_asks_account import _account_box, _import_button, _stored

CARD = (b"Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n"
        b"2015-12-31,2016-01-02,1234,Airplanes R Us,Other Travel,1000.00,\n")


def test_a_card_two_accounts_keep_is_asked_about_and_goes_where_chosen(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Amex Gold", kind="credit_card", external_id="1234")
        visa = accounts.create_account(s, user_id=alice.user_id, name="Visa Classic", kind="credit_card",
                                       external_id="1234")
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "capitalone.csv", CARD)
    assert not at.exception
    text = _texts(at)
    assert "Which card is this statement's? It numbers the card …1234" in text, text
    assert "Choose the card's account in the “Account” box below" in text
    assert not any(str(b.label).startswith("The file is in") for b in at.button)
    assert "The rows go to" not in text  # not "to “Amex Gold”", the first account keeping the digits
    assert _import_button(at).disabled
    box = _account_box(at)
    box.set_value(visa.id).run()
    assert not at.exception
    assert "Which card is this statement's?" not in _texts(at)
    _import_button(at).click().run()
    assert not at.exception
    assert _stored(app_env, alice) == {"Visa Classic"}
