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


def test_a_page_opened_signed_out_is_the_one_shown_after_signing_in(server, page):
    """Session 21 (newuser21): /forecast opened signed out showed the sign-in page, and signing in led to the
    Dashboard. It leads to the page asked for now (app.py, ``navigation.redirect_destination``)."""
    import subprocess
    import sys

    from tests.e2e.test_click_after_add import PASSWORD

    subprocess.run(
        [sys.executable, "-m", "budgetwise.cli", "users", "create", "deep@example.com", "--name", "Deep Link"],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True,
        env={"BUDGETWISE_DATA_DIR": str(server.data_dir), "BUDGETWISE_BCRYPT_ROUNDS": "4", "PATH": "/usr/bin:/bin"},
    )
    page.goto(f"{server.url}/forecast")
    page.get_by_role("button", name="Sign in").wait_for(timeout=120_000)
    page.get_by_label("Email").fill("deep@example.com")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    _heading(page, "Forecast")
    assert page.url.endswith("/forecast")
