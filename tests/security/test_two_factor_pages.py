"""Two-factor sign-in in the app: setup on the profile page, the code step on the sign-in page,
and the "Download all my data" button (AppTest)."""

from __future__ import annotations

from sqlalchemy import select

from budgetwise.models import User
from budgetwise.services import totp
from budgetwise.ui.state import SECOND_FACTOR_KEY, TOKEN_KEY
from tests.conftest import STRONG_PASSWORD

PROFILE = "pages/profile.py"
LOGIN = "pages/login.py"


def _secret(app_env, user_id: int) -> str:
    with app_env.scope() as s:
        return s.scalar(select(User.totp_secret).where(User.id == user_id)).split(":")[0]


def _texts(at) -> str:
    kinds = ("markdown", "caption", "success", "error", "warning", "info", "code")
    return "\n".join(str(getattr(e, "value", "")) for k in kinds for e in getattr(at, k))


def _enable_on_profile(app_env, user):
    at = app_env.page(PROFILE, user=user)
    at.run()
    assert "Two-factor sign-in is **off**" in _texts(at)
    at.button(key="pf_2fa_start").click().run()
    assert not at.exception
    secret = _secret(app_env, user.user_id)
    assert secret.replace(" ", "")[:4] in _texts(at)  # the key is shown for typing by hand
    assert at.get("image"), "the QR code image is shown"
    at.text_input(key="pf_2fa_confirm_code").input(totp.current_code(secret))  # session 20: the password too
    at.button(key="FormSubmitter:pf_2fa_confirm-Turn on two-factor sign-in").click().run()
    assert any("Enter your password" in e.value for e in at.error)
    at.text_input(key="pf_2fa_confirm_code").input("000000" if totp.current_code(secret) != "000000" else "111111")
    at.text_input(key="pf_2fa_confirm_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:pf_2fa_confirm-Turn on two-factor sign-in").click().run()
    assert any("does not match" in e.value for e in at.error)
    at.text_input(key="pf_2fa_confirm_code").input(totp.current_code(secret))
    at.text_input(key="pf_2fa_confirm_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:pf_2fa_confirm-Turn on two-factor sign-in").click().run()
    assert not at.exception
    codes = at.session_state["pf_2fa_new_codes"]
    assert len(codes) == 10 and codes[0] in _texts(at)
    at.button(key="pf_2fa_codes_done").click().run()
    assert "pf_2fa_new_codes" not in at.session_state
    assert "10 unused recovery codes left" in _texts(at)
    return secret, codes


def test_enable_2fa_then_sign_in_needs_the_code(app_env):
    alice = app_env.create_user()
    secret, codes = _enable_on_profile(app_env, alice)

    at = app_env.page(LOGIN)
    at.run()
    at.text_input(key="login_email").input(alice.email)
    at.text_input(key="login_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:login_form-Sign in").click().run()
    assert not at.exception
    assert not at.session_state[TOKEN_KEY] if TOKEN_KEY in at.session_state else True
    assert at.session_state[SECOND_FACTOR_KEY]
    assert "Two-factor sign-in" in _texts(at)
    at.text_input(key="login_2fa_code").input("12345")
    at.button(key="FormSubmitter:login_2fa_form-Verify").click().run()
    assert any("not correct" in e.value for e in at.error)
    assert not at.session_state[TOKEN_KEY] if TOKEN_KEY in at.session_state else True
    at.text_input(key="login_2fa_code").input(codes[0])  # a recovery code
    at.button(key="FormSubmitter:login_2fa_form-Verify").click().run()
    assert not at.exception
    assert at.session_state[TOKEN_KEY]
    assert SECOND_FACTOR_KEY not in at.session_state


def test_disable_2fa_needs_password_and_code(app_env):
    alice = app_env.create_user()
    secret, _codes = _enable_on_profile(app_env, alice)
    at = app_env.page(PROFILE, user=alice)
    at.run()
    at.text_input(key="pf_2fa_off_password").input(STRONG_PASSWORD)
    at.text_input(key="pf_2fa_off_code").input("000000" if totp.current_code(secret) != "000000" else "111111")
    at.button(key="FormSubmitter:pf_2fa_disable-Turn off").click().run()
    assert any("not correct" in e.value for e in at.error)
    with app_env.scope() as s:
        assert totp.is_enabled(s, user_id=alice.user_id)
    # a fresh code step (the first code was used up by the setup)
    with app_env.scope() as s:
        u = s.get(User, alice.user_id)
        u.totp_secret = secret  # forget the last used step so the current code is accepted again
    at.text_input(key="pf_2fa_off_password").input(STRONG_PASSWORD)
    at.text_input(key="pf_2fa_off_code").input(totp.current_code(secret))
    at.button(key="FormSubmitter:pf_2fa_disable-Turn off").click().run()
    assert not at.exception
    with app_env.scope() as s:
        assert not totp.is_enabled(s, user_id=alice.user_id)


def test_download_all_my_data_button_is_offered(app_env):
    alice = app_env.create_user()
    at = app_env.page(PROFILE, user=alice)
    at.run()
    assert not at.exception
    buttons = [b for b in at.get("download_button")]
    assert buttons, "no download button on the profile page"
    assert any("Download all my data" in b.proto.label for b in buttons)


def test_the_next_person_in_a_tab_whose_session_ended_sees_nothing_of_the_last_ones(app_env):
    """Session 20 audit: when a session ended without "Log out" (expiry, a logout or password change elsewhere, an
    administrator disabling the account) only its token was dropped; the page state stayed with the browser tab.
    Bob signing in there next found Alice's new recovery codes on his Profile (and any other kept page state)."""
    from budgetwise.services import auth

    alice = app_env.create_user()
    bob = app_env.create_user("bob@example.com", "Bob")
    at = app_env.page(PROFILE, user=alice)
    at.run()
    at.button(key="pf_2fa_start").click().run()
    secret = _secret(app_env, alice.user_id)
    at.text_input(key="pf_2fa_confirm_code").input(totp.current_code(secret))
    at.text_input(key="pf_2fa_confirm_password").input(STRONG_PASSWORD)
    at.button(key="FormSubmitter:pf_2fa_confirm-Turn on two-factor sign-in").click().run()
    codes = at.session_state["pf_2fa_new_codes"]
    assert codes[0] in _texts(at)  # shown to Alice, who walks away without "I have saved them"
    with app_env.scope() as s:
        auth.logout(s, user_id=alice.user_id)  # her session ends elsewhere (or expires)
    at.run()
    assert not at.exception
    at.session_state[TOKEN_KEY] = app_env.token_for(bob)  # Bob signs in in the same tab
    at.run()
    assert not at.exception
    shown = _texts(at)
    assert not any(c in shown for c in codes), "Alice's recovery codes were shown to Bob"
    assert "Two-factor sign-in is **off**" in shown  # Bob's own state
    assert "pf_2fa_new_codes" not in at.session_state
