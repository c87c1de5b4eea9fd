"""An administrator hosting BudgetWise for a household, in a real browser against `streamlit run` (session 19):
the first account registered is the administrator; it creates a member on the Admin page and gets a one-time
code; the member chooses a password with it ("Have a reset code?") and signs in, has no Admin entry and lands on
the Dashboard when typing /admin; the admin disables the member, whose next click ends the session."""

import pytest

from tests.e2e.test_main_flow import _nav, _register, _settle, _wait_text

pytestmark = pytest.mark.e2e

MEMBER_PASSWORD = "copper-kettle-meadow-19"


def _admin_creates_member(page, url) -> str:
    _register(page, url, "Alex Admin", "alex@household.test")
    _wait_text(page, "you are this installation's administrator", timeout=120_000)
    _nav(page, "Admin", "Create a user")
    for attempt in range(3):  # a rerun (the cookie writer) can fold the expander under the pointer
        _settle(page)
        try:
            if not page.get_by_role("button", name="Create user").is_visible():
                page.get_by_text("Create a user").first.click(timeout=5_000)
            page.get_by_label("Name", exact=True).fill("Blair Member", timeout=5_000)
            page.get_by_label("Email", exact=True).fill("blair@household.test", timeout=5_000)
            page.get_by_role("button", name="Create user").click(timeout=5_000)
            _wait_text(page, "One-time code for", timeout=15_000)
            break
        except Exception:  # noqa: BLE001
            if attempt == 2:
                raise
    return page.locator("[data-testid='stCode'] code").first.inner_text().strip()


def test_admin_creates_a_member_who_sets_a_password_cannot_open_admin_and_is_signed_out_when_disabled(
    server, page, browser
):
    code = _admin_creates_member(page, server.url)
    assert len(code) >= 20

    member = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    member.set_default_timeout(30_000)
    try:
        member.goto(server.url)
        _wait_text(member, "Sign in")
        member.get_by_role("button", name="Have a reset code?").click()
        member.get_by_label("Reset code").fill(code)
        member.get_by_label("New password", exact=True).fill(MEMBER_PASSWORD)
        member.get_by_label("Repeat the new password").fill(MEMBER_PASSWORD)
        member.get_by_role("button", name="Set my new password").click()
        _wait_text(member, "Your password has been changed")
        member.get_by_label("Email").fill("blair@household.test")
        member.get_by_role("textbox", name="Password", exact=True).fill(MEMBER_PASSWORD)
        member.get_by_role("button", name="Sign in").click()
        _wait_text(member, "Signed in as", timeout=120_000)
        nav = member.get_by_test_id("stSidebarNavItems")
        assert nav.get_by_role("link", name="Dashboard").count() == 1
        assert nav.get_by_role("link", name="Admin").count() == 0

        member.goto(server.url + "/admin")  # typed by hand: the Dashboard, nothing of the Admin page
        _wait_text(member, "Signed in as")
        _wait_text(member, "Dashboard")
        assert member.get_by_text("Create a user").count() == 0
        assert member.get_by_text("Every user's transactions").count() == 0

        # the admin disables the member (with confirmation)
        _settle(page)
        page.get_by_role("combobox", name="User", exact=True).click()
        page.keyboard.type("blair")
        page.keyboard.press("Enter")
        _wait_text(page, "blair@household.test · user · active")
        page.get_by_role("button", name="Disable").click()
        _wait_text(page, "Disable blair@household.test?")
        page.get_by_role("button", name="Yes, disable").click()
        _wait_text(page, "blair@household.test was disabled.")

        # the member's next click ends the session
        _settle(member)
        member.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Transactions").first.click()
        _wait_text(member, "This account has been disabled")
        assert member.get_by_text("Signed in as").count() == 0
    finally:
        member.context.close()
