"""Session 29 (trial29): registration never asked for a currency, and a Dutch file with no currency column was
imported as USD, every amount "$", without a word. Registration asks (guessed from the browser's language), and an
import whose file names no currency says which one it assumes, with a one-click change before the import."""

from __future__ import annotations

import pytest

from budgetwise import money
from budgetwise.services import profile
from budgetwise.ui import currency as ui_currency
from tests.conftest import STRONG_PASSWORD
from tests.ui.test_page_import import PAGE, _texts, _upload

NO_CURRENCY = b"date,name,value\n2023-09-12,Albert Heijn,-13.26\n2023-09-13,asr,12.20\n"


@pytest.mark.parametrize("tag, code", [("nl-NL", "EUR"), ("en-GB", "GBP"), ("de_CH", "CHF"), ("en-US", "USD"),
                                       ("en", None), ("", None), (None, None), ("xx-ZZ", None)])
def test_a_browser_language_with_a_country_names_its_currency(tag, code):
    assert money.currency_of_locale(tag) == code


def test_registration_asks_for_the_currency(app_env, monkeypatch):
    monkeypatch.setattr(ui_currency, "browser_currency", lambda: "EUR")  # a Dutch browser
    at = app_env.page("pages/register.py")
    at.run()
    box = at.selectbox(key="register_currency")
    assert box.value == "EUR" and "figures" in (box.help or "")
    at.text_input(key="register_name").input("Ada")
    at.text_input(key="register_email").input("ada@example.com")
    at.text_input(key="register_password").input(STRONG_PASSWORD)
    at.text_input(key="register_confirm").input(STRONG_PASSWORD)
    box.set_value("GBP")
    at.button[0].click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        from budgetwise.services.auth import get_user_by_email

        assert get_user_by_email(s, "ada@example.com").currency == "GBP"
    assert profile  # the one owner of the user's currency (profile.update_profile) stores it


def test_a_file_without_a_currency_says_which_it_assumes_and_offers_the_browsers(app_env, monkeypatch):
    monkeypatch.setattr(ui_currency, "browser_currency", lambda: "EUR")
    alice = app_env.create_user()  # USD
    at = app_env.page(PAGE, user=alice)
    at.run()
    _upload(at, "nl.csv", NO_CURRENCY)
    assert not at.exception
    text = _texts(at).replace("\\", "")
    assert "The file names no currency, so its amounts are taken as USD, your currency" in text
    button = next(b for b in at.button if str(b.label) == "The file is in EUR")
    button.click()
    at.run()
    assert not at.exception
    assert "The file names no currency, so its amounts are taken as USD" not in _texts(at).replace("\\", "")
    picker = next(w for w in at.selectbox if str(w.key).startswith("imp_currency_"))
    assert picker.value == "EUR"
