"""Session 19 (uimisc): opening page addresses one after another right after signing in landed on the sign-in
page (Chromium, demo account: 3 of 3 tries, at the 6th to 7th address). Each full page load signs in from the
"stay signed in" cookie and rotates it; its successor is written by the page's script, which the next load
interrupted, so that load presented the cookie just rotated, was refused and deleted it. A cookie rotated less
than ``auth.REMEMBER_REPLAY_GRACE`` ago now signs in again (services/auth.py)."""

from __future__ import annotations

import pytest

from tests.e2e.test_click_after_add import _sign_in

pytestmark = pytest.mark.e2e

COOKIE = "budgetwise_session"


def _heading(page, name: str) -> None:
    page.get_by_test_id("stMain").get_by_role("heading", name=name).first.wait_for(timeout=60_000)


def _cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)


def test_an_address_opened_before_the_rotated_cookie_was_written_stays_signed_in(server, page):
    _sign_in(server, page, "quick@example.com")
    page.wait_for_function(f"() => document.cookie.includes('{COOKIE}=')")  # written by the page's script
    first = _cookie(page)
    page.goto(f"{server.url}/transactions")  # signs in from the cookie and rotates it
    _heading(page, "Transactions")
    page.wait_for_function(f"() => !document.cookie.includes({first['value']!r})")  # the successor is written
    # the load that comes before the successor is written presents the cookie just rotated (made certain here)
    page.context.add_cookies([first])
    for name, title in (("budgets", "Budgets"), ("goals", "Goals"), ("reports", "Reports")):
        page.goto(f"{server.url}/{name}")
        _heading(page, title)
        assert page.get_by_role("button", name="Sign in").count() == 0, name
        assert page.url.endswith(f"/{name}")
