"""Session 22 (a new user's trial): signed in with "stay signed in" on, a password change revoked this browser's
cookie and issued no new one (the cookie was written after the session's opening request, which read_cookie()
reads), so a reload right after "Password changed" signed the user out."""

from __future__ import annotations

import pytest

from tests.e2e.test_main_flow import PASSWORD, _nav, _register, _wait_text

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "giraffe pencil harbour 19"


def test_a_reload_after_a_password_change_stays_signed_in(server, page):
    _register(page, server.url, "Wanjiku Example", "wanjiku@example.com")
    _wait_text(page, "Signed in as")

    def cookie() -> str | None:
        found = [c["value"] for c in page.context.cookies() if c["name"] == "budgetwise_session"]
        return found[0] if found else None

    for _ in range(40):
        if cookie():
            break
        page.wait_for_timeout(250)
    first = cookie()
    assert first
    _nav(page, "Profile", "administrator since")
    main = page.get_by_test_id("stMain")
    main.get_by_role("tab", name="Password").click()
    main.get_by_label("Current password", exact=True).fill(PASSWORD)
    main.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    main.get_by_label("Repeat the new password", exact=True).fill(NEW_PASSWORD)
    main.get_by_role("button", name="Change password").click()
    _wait_text(page, "Password changed")
    for _ in range(40):
        if cookie() not in (None, first):
            break
        page.wait_for_timeout(250)
    assert cookie() not in (None, first)  # this browser's cookie replaced, by the run that changed the password
    page.reload()
    _wait_text(page, "Signed in as")
