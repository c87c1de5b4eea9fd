"""Issue 13: under ``asgi_app.py`` (``st.App``) the "stay signed in" cookie is set by the
server, HttpOnly and SameSite=Strict: page scripts cannot read it, a refresh still signs in,
each use replaces it, and logging out removes it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import start_server, stop_server
from tests.e2e.test_main_flow import _nav, _register, _wait_text

pytestmark = pytest.mark.e2e


@pytest.fixture
def asgi_server(tmp_path, chromium_path):
    srv = start_server(tmp_path / "data", tmp_path / "streamlit.log", script="asgi_app.py")
    try:
        yield srv
    finally:
        stop_server(srv)


def test_the_cookie_is_httponly_rotated_and_removed(asgi_server, page):
    _register(page, asgi_server.url, "Hal Example", "hal@example.com")
    _wait_text(page, "Signed in as")

    def cookie() -> dict | None:
        found = [c for c in page.context.cookies() if c["name"] == "budgetwise_session"]
        return found[0] if found else None

    for _ in range(40):
        if cookie():
            break
        page.wait_for_timeout(250)
    first = cookie()
    assert first is not None and first["httpOnly"] and first["sameSite"] == "Strict"
    assert "budgetwise_session" not in page.evaluate("document.cookie")  # invisible to page scripts

    page.reload()
    _wait_text(page, "Signed in as")
    for _ in range(40):
        if (cookie() or {}).get("value") not in (None, first["value"]):
            break
        page.wait_for_timeout(250)
    second = cookie()
    assert second["value"] != first["value"] and second["httpOnly"]
    page.reload()
    _wait_text(page, "Signed in as")

    _nav(page, "Log out", "You have been signed out")
    for _ in range(40):
        if cookie() is None:
            break
        page.wait_for_timeout(250)
    assert cookie() is None
    page.reload()
    _wait_text(page, "Sign in")
    assert page.get_by_text("Signed in as").count() == 0
