"""Profile page: details, preferences, password change, account deletion (AppTest)."""

import pytest

from budgetwise.errors import AuthenticationError
from budgetwise.services import auth, profile
from budgetwise.services import transactions as tx
from budgetwise.ui.state import TOKEN_KEY
from tests.conftest import STRONG_PASSWORD

PAGE = "pages/profile.py"
NEW_PASSWORD = "copper-meadow-whistle-77"


def test_update_name_email_and_preferences(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="pf_name").input("Alice Liddell")
    at.text_input(key="pf_email").input("Alice.L@Example.com")
    at.text_input(key="pf_email_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:profile_details-Save details").click()
    at.run()
    assert not at.exception and not at.error
    at.selectbox(key="pf_currency").set_value("EUR")
    at.selectbox(key="pf_week_start").set_value(6)
    at.selectbox(key="pf_locale").set_value("de_DE")
    at.button(key="FormSubmitter:profile_prefs-Save preferences").click()
    at.run()
    with app_env.scope() as s:
        p = profile.get_profile(s, user_id=alice.user_id)
    assert (p.name, p.email, p.currency, p.week_start, p.locale) == ("Alice Liddell", "alice.l@example.com", "EUR", 6, "de_DE")


def test_email_taken_by_someone_else_is_refused(app_env):
    alice = app_env.create_user("alice@example.com")
    app_env.create_user("bob@example.com", "Bob")
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="pf_email").input("BOB@example.com")
    at.text_input(key="pf_email_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:profile_details-Save details").click()
    at.run()
    assert any("already uses this email" in e.value for e in at.error)


def test_a_new_email_needs_the_current_password(app_env):
    """Session 19 audit: a session left open could move the email (where reset codes go) without the password."""
    alice = app_env.create_user("alice@example.com")
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="pf_email").input("mallory@example.com")
    at.button(key="FormSubmitter:profile_details-Save details").click()
    at.run()
    assert any("current password to change the email" in e.value for e in at.error)
    at.text_input(key="pf_email_password").input("not-my-password")
    at.button(key="FormSubmitter:profile_details-Save details").click()
    at.run()
    assert any("current password is not correct" in e.value for e in at.error)
    with app_env.scope() as s:
        assert profile.get_profile(s, user_id=alice.user_id).email == "alice@example.com"


def test_change_password_requires_current_and_revokes_old_tokens(app_env):
    alice = app_env.create_user()
    old_token = app_env.token_for(alice)
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="pf_pw_current").input("not-my-password")
    at.text_input(key="pf_pw_new").input(NEW_PASSWORD)
    at.text_input(key="pf_pw_repeat").input(NEW_PASSWORD)
    at.button(key="FormSubmitter:profile_password-Change password").click()
    at.run()
    assert any("current password is not correct" in e.value for e in at.error)

    at.text_input(key="pf_pw_current").input(STRONG_PASSWORD)
    at.text_input(key="pf_pw_new").input(NEW_PASSWORD)
    at.text_input(key="pf_pw_repeat").input(NEW_PASSWORD)
    at.button(key="FormSubmitter:profile_password-Change password").click()
    at.run()
    assert any("Password changed" in m.value for m in at.success)
    with app_env.scope() as s:
        with pytest.raises(AuthenticationError):
            auth.verify_token(s, token=old_token, settings=app_env.settings)
        # this browser got a fresh token and stays signed in
        assert auth.verify_token(s, token=at.session_state[TOKEN_KEY], settings=app_env.settings)
        assert auth.authenticate(s, email=alice.email, password=NEW_PASSWORD, settings=app_env.settings)


def test_delete_account_needs_email_and_password_and_removes_everything(app_env):
    app_env.create_user("admin@example.com", "Admin")
    bob = app_env.create_user("bob@example.com", "Bob")
    with app_env.scope() as s:
        tx.add_transaction(s, user_id=bob.user_id, date="2025-01-01", amount="5", kind="expense", description="x")
    at = app_env.page(PAGE, user=bob)
    at.run()
    at.text_input(key="pf_del_email").input("wrong@example.com")
    at.text_input(key="pf_del_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:profile_delete-Delete my account and all my data").click()
    at.run()
    assert any("Type your email" in e.value for e in at.error)
    at.text_input(key="pf_del_email").input("bob@example.com")
    at.text_input(key="pf_del_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:profile_delete-Delete my account and all my data").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        assert auth.get_user_by_email(s, "bob@example.com") is None
        assert tx.count_transactions(s, user_id=bob.user_id) == 0


def test_the_header_dates_follow_the_users_date_format(app_env):
    """QA 2026-12-05: "member since 2026-12-05" for a user who chose 05.12.2026."""
    import datetime as dt

    alice = app_env.create_user()
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, date_format="%d.%m.%Y")
        me = profile.get_profile(s, user_id=alice.user_id)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    header = at.caption[0].value
    assert f"since {me.created_at:%d.%m.%Y}" in header, header
    assert f"{dt.date.today():%Y-%m-%d}" not in header


def test_your_data_names_what_the_zip_holds(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    text = next(m.value for m in at.markdown if m.value.startswith("Download everything"))
    assert "accounts" in text and "transfers between your accounts" in text and "exchange rates you entered" in text


def test_the_locale_setting_says_it_names_the_months_too(app_env):
    """Session 11: an English page with nl_NL numbers reads "Budgets · december 2026". By the documented
    decision (docs/reports.md, Session 10) month names follow the locale; the setting was called "Number
    format" only, so the choice now says and shows that it names the months too."""
    at = app_env.page(PAGE, user=app_env.create_user())
    at.run()
    box = at.selectbox(key="pf_locale")
    assert box.label == "Number format and month names"
    assert "month names" in box.help and "english" in box.help.casefold()
    assert "Nederlands (Nederland) · 1.234,56 · december 2025" in box.options
    assert "English (United States) · 1,234.56 · December 2025" in box.options



def test_the_links_to_the_rates_open_the_exchange_rates_tab(app_env, monkeypatch):
    """Session 20 (a new user's trial): "Add exchange rates" opened Profile on its first tab, Details. The link
    asks for the tab in the URL (``?pf_tab=Exchange rates``) and the Profile page's tabs are bound to it."""
    import streamlit as st

    from budgetwise.ui import currency

    links = []
    monkeypatch.setattr(st, "page_link", lambda page, **kw: links.append((page, kw)))
    currency.link_to_rates()
    [(page, kw)] = links
    assert page == "pages/profile.py" and kw["query_params"] == {"pf_tab": "Exchange rates"}

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.query_params.update(kw["query_params"])
    at.run()
    assert not at.exception and at.session_state["pf_tab"] == "Exchange rates"
    plain = app_env.page(PAGE, user=alice)
    plain.run()
    assert not plain.exception and plain.session_state["pf_tab"] == "Details"


def test_a_password_change_writes_this_browsers_new_cookie_in_the_same_run(app_env):
    """Session 22 (a new user's trial, Chromium): after "Password changed" a reload signed the user out although
    "stay signed in" was on: the old cookie was revoked and the new one only queued, written by app.py on the next
    run, which a reload or a closed tab never makes. The new cookie is written by the run that changed it."""
    from budgetwise.ui import state

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    # signed in on this page with "stay signed in" on: app.py's cookie writer has written it and is done, and the
    # request that opened the session carried no cookie (read_cookie() sees none)
    at.session_state[state.REMEMBERED_KEY] = True
    at.run()
    at.text_input(key="pf_pw_current").input(STRONG_PASSWORD)
    at.text_input(key="pf_pw_new").input(NEW_PASSWORD)
    at.text_input(key="pf_pw_repeat").input(NEW_PASSWORD)
    at.button(key="FormSubmitter:profile_password-Change password").click()
    at.run()
    assert not at.exception and any("Password changed" in m.value for m in at.success)
    html = [str(getattr(e, "proto", "")) for e in at.get("iframe")]
    assert any("document.cookie" in h and "SameSite=Strict" in h and "expires=Thu, 01 Jan 1970" not in h for h in html)
