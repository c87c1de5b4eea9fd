"""The sign-in page gives the browser a device cookie, and uses it: many users behind one address (Streamlit
Community Cloud) are not kept out by a stranger's failures there (session 27, sec27; services/client_throttle.py).
AppTest has no address: every attempt is in the shared "unknown" bucket, as behind a proxy that passes none."""

from __future__ import annotations

import pytest

from budgetwise.errors import AuthenticationError
from budgetwise.models import User
from budgetwise.services import auth
from budgetwise.ui import state
from tests.conftest import STRONG_PASSWORD


def _login(at, email, password):
    at.text_input(key="login_email").input(email)
    at.text_input(key="login_password").input(password)
    at.button[0].click()
    return at.run()


def test_a_browser_that_signed_in_is_not_kept_out_by_a_strangers_failures_at_its_address(app_env):
    alice = app_env.create_user("alice@example.com", "Alice")
    at = app_env.app()
    at.run()
    _login(at, "alice@example.com", STRONG_PASSWORD)
    assert not at.exception and at.session_state[state.TOKEN_KEY]
    held = at.session_state[state.DEVICE_KEY]
    with app_env.scope() as s:
        assert auth.device_client(held, s.get(User, alice.user_id), app_env.settings)
    assert at.session_state[state.DEVICE_SET_KEY] == (held, 3)  # app.py's cookie writer writes it on 3 runs (below)

    settings = app_env.settings
    with app_env.scope() as s:  # a stranger at the same (no) address spends its whole allowance
        for i in range(settings.client_failure_limit * 10):
            with pytest.raises(AuthenticationError):
                auth.authenticate(s, email=f"nobody{i}@example.com", password="Spring2026!", settings=settings)
            s.commit()
    state_after = app_env.app()  # a new tab of the same browser: the cookie arrives with the request
    state_after.session_state[state.DEVICE_KEY] = held
    state_after.run()
    _login(state_after, "alice@example.com", STRONG_PASSWORD)
    assert not state_after.error, [e.value for e in state_after.error]
    assert state_after.session_state[state.TOKEN_KEY]

    stranger = app_env.app()  # a browser that never signed in is refused, as before
    stranger.run()
    _login(stranger, "alice@example.com", STRONG_PASSWORD)
    assert "from your network" in stranger.error[0].value


def test_the_device_cookie_is_written_by_a_script_for_the_browsers_own_origin(app_env):
    from streamlit.testing.v1 import AppTest

    def script():
        from budgetwise.ui import state

        state.apply_cookie_operations()

    at = AppTest.from_function(script, default_timeout=30)
    at.session_state[state.DEVICE_SET_KEY] = ("device-token-1,device-token-2", 3)
    frames = []
    for _ in range(4):
        at.run()
        assert not at.exception
        html = [str(getattr(e, "proto", "")) for e in at.get("iframe")]
        frames.append(sum("budgetwise_device" in h and "device-token-1,device-token-2" in h and "SameSite=Strict" in h
                          for h in html))
    assert frames == [1, 1, 1, 0]
