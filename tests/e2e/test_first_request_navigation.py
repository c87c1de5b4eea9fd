"""Review item: opening /register as the first request of a fresh server showed the ``pages/`` folder's
file names in the sidebar ("import data", "cashflow", ...) and kept them: Streamlit ran the page in
its old folder mode, without app.py. ``navigation.leave_pages_folder_mode`` (app.py and every page
guard) ends that mode and reruns through app.py's st.navigation. They also showed for about 2.5 s
meanwhile, while the page's own imports ran before its guard: every page now calls it first."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.e2e

RAW_NAMES = {"app", "import data", "cashflow", "register", "login"}  # how the folder mode names pages

# Every state of the sidebar's menu from the first byte on (a MutationObserver, so no state is missed
# between two samples): [ms since the document started, the links' texts or null without a sidebar,
# whether the page's own content (a heading in the main area) was shown then].
WATCH_MENU = """
window.__menu = []; const t0 = performance.now();
const snap = () => {
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const links = bar ? Array.from(bar.querySelectorAll('a')).map(e => e.innerText.split(/\\s+/).join(' ').trim()) : null;
  const content = !!document.querySelector('[data-testid="stMain"] h1, [data-testid="stMain"] h3');
  const key = JSON.stringify([links, content]);
  if (window.__menuKey !== key) { window.__menuKey = key; window.__menu.push([Math.round(performance.now() - t0), links, content]); }
};
new MutationObserver(snap).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _raw(links) -> bool:
    return bool(links) and bool(RAW_NAMES & {text.lower() for text in links})


@pytest.mark.parametrize("path", ["/register", "/"])
def test_a_fresh_servers_first_page_gets_the_apps_menu(server, page, path):
    """Streamlit's folder mode sends its menu of file names at the start of a fresh server's first run,
    before any line of the app (``_mpa_v1``); the app's first statement replaces it. Measured with this
    observer under load (three CPU hogs on 2 cores, 2026-12-04): shown for 15-190 ms in 5 runs of 6, then
    the sidebar is hidden until app.py's menu; idle, the browser renders both messages together. So the
    check is the order, not a sampling of the screen (a 50 ms poll saw such a flash in CI once): the
    file names, if they show at all, come first, alone (never beside the page's content), are gone before
    anything else happens and never come back; the menu in the end is the app's. That every page ends the
    mode as its first statement, before its imports (the names stayed 2.6 s when the call came after
    them), is checked on the files by ``tests/ui/test_page_auth.py::test_every_page_file_starts_with_a_guard``."""
    page.add_init_script(WATCH_MENU)
    page.goto(server.url + path, wait_until="commit")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-testid=\"stSidebar\"] a'))"
        ".some(e => e.innerText.includes('Create account'))", timeout=60_000)
    if path == "/register":
        page.get_by_text("Create your BudgetWise account").first.wait_for()  # the page asked for is kept
        assert page.url.endswith("/register")
    time.sleep(1.0)  # a menu message arrives with the run, not later
    states = page.evaluate("window.__menu")
    raw = [i for i, (_, links, _) in enumerate(states) if _raw(links)]
    if raw:  # one episode at the start: consecutive states, nothing of the page shown with them or before
        assert raw == list(range(raw[0], raw[-1] + 1)), states
        assert not any(content for _, _, content in states[: raw[-1] + 1]), states
        assert not any(links for _, links, _ in states[: raw[0]]), states  # no other menu came before
    links = states[-1][1]
    assert links and any("Sign in" in text for text in links) and any("Create account" in text for text in links), states
    assert not _raw(links), states


@pytest.mark.parametrize("path", ["/login", "/dashboard", "/"])
def test_a_bookmarked_address_opens_its_page_without_page_not_found(server, page, path):
    """QA 2026-12-04: /login (and /dashboard signed in) showed "Page not found": the default page answered
    only at "/". Now "/" switches to /login, and /dashboard signed out leads to the sign-in page too."""
    page.goto(server.url + path)
    page.get_by_role("heading", name="Sign in").first.wait_for(timeout=30_000)
    page.wait_for_url("**/login", timeout=15_000)
    time.sleep(1.5)  # a page_not_found box arrives with the run, not later
    assert page.get_by_text("Page not found").count() == 0


def _signed_in_browser_cookie(data_dir, secret: str) -> tuple[str, str, int]:
    """A user with a "stay signed in" token in ``data_dir``'s database, as a browser that ticked it keeps:
    (cookie name, its value, the user's id)."""
    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
    from budgetwise.services import auth

    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(data_dir), "BUDGETWISE_SECRET_KEY": secret,
                                      "BUDGETWISE_BCRYPT_ROUNDS": "4"})
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as s:
        user = auth.register(s, name="Lou Example", email="lou@example.com", password="violet-harbor-lantern-42",
                             settings=settings)
        token = auth.issue_remember_token(s, user.user_id, settings)
    engine.dispose()
    return settings.cookie_name, token, user.user_id


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "stay-signed-in"])
def test_logout_as_a_fresh_servers_first_address_signs_out_and_opens_the_sign_in_page(
        tmp_path, chromium_path, page, signed_in):
    """QA 2026-12-04: /logout opened directly (a bookmark, a new browser session) on a fresh server said
    "Page not found": the first request's address is matched against the files in pages/, and "Log out"
    was a function page. It is a page file now: signed in (the "stay signed in" cookie), it signs out
    and revokes the cookie; either way it lands on the sign-in page without an error."""
    from tests.e2e.conftest import start_server, stop_server

    secret = "first-request-logout-" + "s" * 40
    data_dir = tmp_path / "data"
    if signed_in:
        name, token, _ = _signed_in_browser_cookie(data_dir, secret)
    srv = start_server(data_dir, tmp_path / "streamlit.log", {"BUDGETWISE_SECRET_KEY": secret})
    try:
        if signed_in:
            page.context.add_cookies([{"name": name, "value": token, "url": srv.url, "sameSite": "Strict"}])
        page.goto(srv.url + "/logout")
        page.get_by_role("heading", name="Sign in").first.wait_for(timeout=60_000)
        page.wait_for_url("**/login", timeout=15_000)
        if signed_in:
            page.get_by_text("You have been signed out").first.wait_for()
        time.sleep(1.5)  # a page_not_found box arrives with the run, not later
        assert page.get_by_text("Page not found").count() == 0
        assert page.get_by_text("Signed in as").count() == 0
        if signed_in:  # the cookie's server-side record is gone: a new session is not signed in by it
            fresh = page.context.browser.new_context()
            try:
                again = fresh.new_page()
                fresh.add_cookies([{"name": name, "value": token, "url": srv.url, "sameSite": "Strict"}])
                again.goto(srv.url + "/dashboard")
                again.get_by_role("heading", name="Sign in").first.wait_for(timeout=30_000)
                time.sleep(1.0)
                assert again.get_by_text("Signed in as").count() == 0
            finally:
                fresh.close()
    finally:
        stop_server(srv)
