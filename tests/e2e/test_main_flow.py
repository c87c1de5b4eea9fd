"""Register, sign in, add a transaction, see it in the table and on the dashboard,
survive a refresh (cookie), log out — in a real browser against `streamlit run`."""

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "violet-harbor-lantern-42"


def _settle(page, timeout=30_000):
    """Wait until the script run is over and no stale (faded) elements remain."""
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')",
        timeout=timeout,
    )


def _wait_text(page, text, timeout=30_000):
    page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout)
    _settle(page, timeout)


def _fill_date(page, year, month, day):
    """Type a date into the add form's date field (segments year, month, day in the YYYY-MM-DD format)."""
    field = page.get_by_test_id("stDateInput").first
    segments = field.get_by_role("spinbutton")
    segments.first.click(timeout=5_000)
    for part in (year, month, day):
        page.keyboard.type(part)


def _nav(page, label, expect):
    """Click a sidebar link until ``expect`` shows (a click during a rerun can be swallowed)."""
    for attempt in range(3):
        _settle(page)
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=label).first.click()
        try:
            _wait_text(page, expect, timeout=15_000)
            return
        except Exception:  # noqa: BLE001
            if attempt == 2:
                raise


def _register(page, url, name, email):
    """Open the app, choose Create account and register ``name`` / ``email`` with PASSWORD (no wait after)."""
    page.goto(url)
    _wait_text(page, "Sign in")
    _nav(page, "Create account", "Create your BudgetWise account")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_register_add_transaction_dashboard_refresh_logout(server, page):
    _register(page, server.url, "Eve Example", "eve@example.com")
    # the first signed-in page of a fresh server imports the dashboard's libraries (cold bytecode on a
    # clean clone took over 30 s once in CI): allow for that once, the later steps keep 30 s
    _wait_text(page, "Welcome to BudgetWise, Eve Example", timeout=120_000)
    _wait_text(page, "Signed in as")

    _nav(page, "Transactions", "No transactions yet")
    # Reruns (e.g. the "stay signed in" cookie component reporting back) can replace the
    # form's elements under the pointer: retry the whole step until the row is listed.
    for attempt in range(4):
        _settle(page)
        if page.get_by_text("Showing 1–").count():
            break
        try:
            if not page.get_by_role("button", name="Add transaction").is_visible():
                page.get_by_text("Add a transaction").first.click()
                page.get_by_role("button", name="Add transaction").wait_for(state="visible", timeout=5_000)
            today = dt.date.today()  # the dashboard below shows this month
            _fill_date(page, f"{today:%Y}", f"{today:%m}", f"{today:%d}")  # typed over the default (today)
            page.get_by_label("Amount").fill("42.50", timeout=5_000)
            page.get_by_label("Description", exact=True).fill("E2E Groceries run", timeout=5_000)
            page.get_by_role("button", name="Add transaction").click(timeout=5_000)
            _wait_text(page, "Showing 1–", timeout=15_000)
            break
        except Exception:  # noqa: BLE001
            if attempt == 3:
                raise
    _wait_text(page, "Showing 1–1 of 1 transactions")  # exactly one row, never a double add
    # issue #14 item 2: the browser shows a new, empty form after the add; pressing again adds nothing.
    # The expander folds once the account has a transaction, and a rerun (the cookie component
    # reporting back) may fold it under the pointer: open it and press until the refusal shows.
    for attempt in range(4):
        _settle(page)
        try:
            if not page.get_by_role("button", name="Add transaction").is_visible():
                page.get_by_text("Add a transaction").first.click(timeout=5_000)
            page.get_by_role("button", name="Add transaction").wait_for(state="visible", timeout=5_000)
            assert page.get_by_label("Amount").input_value() == ""
            assert page.get_by_label("Description", exact=True).input_value() == ""
            page.get_by_role("button", name="Add transaction").click(timeout=5_000)
            _wait_text(page, "The amount is empty", timeout=10_000)  # the new form: today's date, no amount
            break
        except AssertionError:
            raise
        except Exception:  # noqa: BLE001
            if attempt == 3:
                raise
    _wait_text(page, "Showing 1–1 of 1 transactions")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    # the grid is drawn on a canvas: read the row through the selection picker's options
    page.locator("[data-testid='stMultiSelect']").last.locator("input").click()
    page.keyboard.type("E2E")
    page.get_by_role("option", name=re.compile("E2E Groceries run")).first.wait_for()
    page.keyboard.press("Escape")
    page.mouse.click(5, 5)  # close the picker popover

    _nav(page, "Dashboard", "$42.50")

    def session_cookie() -> dict | None:
        found = [c for c in page.context.cookies() if c["name"] == "budgetwise_session"]
        return found[0] if found else None

    first = session_cookie()
    assert first is not None and first["sameSite"] == "Strict"
    page.reload()  # a browser refresh keeps the user signed in (signed, revocable cookie)
    _wait_text(page, "Signed in as")
    for _ in range(40):  # each use replaces the cookie (written by the component after the rerun)
        if (session_cookie() or {}).get("value") not in (None, first["value"]):
            break
        page.wait_for_timeout(250)
    assert session_cookie()["value"] != first["value"]
    page.reload()  # the replaced cookie signs in again
    _wait_text(page, "Signed in as")

    _nav(page, "Log out", "You have been signed out")
    page.reload()  # the cookie was revoked: back to the sign-in page
    _wait_text(page, "Sign in")
    assert page.get_by_text("Signed in as").count() == 0


def test_login_with_wrong_password_and_then_right_one(server, page):
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "budgetwise.cli", "users", "create", "zoe@example.com", "--name", "Zoe"],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True,
        env={"BUDGETWISE_DATA_DIR": str(server.data_dir), "BUDGETWISE_BCRYPT_ROUNDS": "4", "PATH": "/usr/bin:/bin"},
    )
    page.goto(server.url)
    _wait_text(page, "Sign in")
    page.get_by_label("Email").fill("zoe@example.com")
    page.get_by_role("textbox", name="Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    _wait_text(page, "Invalid email or password.")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    _wait_text(page, "Signed in as")
    assert re.search("Zoe", page.content())
