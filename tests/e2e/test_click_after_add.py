"""Browser QA session 16 (newuser): a click on another page right after pressing "Add transaction" was
overridden by the add's own rerun in about half the tries (the Transactions page came back, the address
too). Cause: Streamlit's full garbage collection after every script run (``runner.postScriptGC``, 0.4-0.65 s
with this app's libraries loaded) sat between the add's run and its rerun; a click in that gap started a new
script runner whose page the old runner's rerun then replaced. ``.streamlit/config.toml`` turns it off."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.test_main_flow import PASSWORD, _nav, _settle, _wait_text

pytestmark = pytest.mark.e2e

TRIES = 4  # with the collection on, 2 to 5 of every 6 tries failed (Chromium, session 16)


def _sign_in(server, page, email: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "budgetwise.cli", "users", "create", email, "--name", "Quick Clicker"],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True,
        env={"BUDGETWISE_DATA_DIR": str(server.data_dir), "BUDGETWISE_BCRYPT_ROUNDS": "4", "PATH": "/usr/bin:/bin"},
    )
    page.goto(server.url)
    _wait_text(page, "Sign in", timeout=120_000)
    page.get_by_label("Email").fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    _wait_text(page, "Signed in as", timeout=120_000)


def _open_add_form(page) -> None:
    """Open "Add a transaction" and wait until its fields are editable.

    Seen in CI (session 17): the expander drawn anew, closed, and the Amount field inert. Two causes, found in
    session 18: (1) the empty account's Dashboard has an "Add a transaction" card, so waiting for that text after
    the menu click could return before the Transactions page came, and the click meant to open the expander then
    closed it (open by default for an empty account); so the page's own heading is awaited first. (2) app.py drew
    the cookie writer's frame for a few runs after signing in before the page; the run without it moved every
    element of the page up one place and drew an open expander anew, closed (one container holds it now). The
    loop stays as a guard."""
    page.locator("h1", has_text="Transactions").first.wait_for(state="visible", timeout=30_000)
    for _ in range(4):
        _settle(page)
        if page.get_by_label("Amount").is_visible() and page.get_by_label("Amount").is_editable():
            return
        if not page.get_by_role("button", name="Add transaction").is_visible():
            page.get_by_text("Add a transaction").first.click()
            page.get_by_role("button", name="Add transaction").wait_for(state="visible", timeout=10_000)
        page.wait_for_timeout(500)
    page.get_by_label("Amount").wait_for(state="visible", timeout=10_000)


def test_a_click_on_another_page_right_after_add_transaction_is_not_overridden(server, page):
    _sign_in(server, page, "quick@example.com")
    landed = []
    for attempt in range(TRIES):
        _nav(page, "Transactions", "Add a transaction")
        _open_add_form(page)
        page.get_by_label("Amount").fill("12.34")
        page.get_by_label("Description", exact=True).fill(f"Quick click {attempt}")
        dashboard = page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Dashboard").first
        page.get_by_role("button", name="Add transaction").click()
        page.wait_for_timeout(100 + 50 * attempt)  # as a person moving on at once
        dashboard.click()
        page.wait_for_timeout(4_000)  # the add's rerun, had it won, would be back by now
        _settle(page)
        landed.append((page.url.rsplit("/", 1)[-1], page.locator("h1").first.inner_text()))
    assert landed == [("dashboard", "Dashboard")] * TRIES
    _nav(page, "Transactions", "Add a transaction")
    _wait_text(page, f"Showing 1–{TRIES} of {TRIES} transactions")  # every add stored, once
