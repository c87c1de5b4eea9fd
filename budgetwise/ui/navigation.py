"""The app's pages, built into st.navigation by app.py according to the login state and role."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent.parent
PAGES_DIR = ROOT / "pages"


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    section: str
    admin_only: bool = False
    default: bool = False

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file

    @property
    def url_path(self) -> str:
        return Path(self.file).stem


PUBLIC_PAGES: tuple[PageSpec, ...] = (
    PageSpec("login.py", "Sign in", ":material/login:", "", default=True),
    PageSpec("register.py", "Create account", ":material/person_add:", ""),
)

USER_PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard.py", "Dashboard", ":material/dashboard:", "Money", default=True),
    PageSpec("transactions.py", "Transactions", ":material/receipt_long:", "Money"),
    PageSpec("accounts.py", "Accounts", ":material/account_balance:", "Money"),
    PageSpec("import_data.py", "Import", ":material/upload_file:", "Money"),
    PageSpec("categorize.py", "Categorize", ":material/label:", "Money"),
    PageSpec("reports.py", "Reports", ":material/bar_chart:", "Plan"),
    PageSpec("budgets.py", "Budgets", ":material/savings:", "Plan"),
    PageSpec("goals.py", "Goals", ":material/flag:", "Plan"),
    PageSpec("forecast.py", "Forecast", ":material/trending_up:", "Plan"),
    PageSpec("cashflow.py", "Cash flow", ":material/waterfall_chart:", "Plan"),
    PageSpec("profile.py", "Profile", ":material/account_circle:", "Account"),
    PageSpec("admin.py", "Admin", ":material/admin_panel_settings:", "Account", admin_only=True),
    PageSpec("logout.py", "Log out", ":material/logout:", "Account"),  # a file, so /logout is known to a fresh server
)


__all__ = ["HOME", "NEXT_PAGE", "PageSpec", "leave_pages_folder_mode", "pages_for", "redirect_destination",
           "redirect_paths", "replace"]

HOME = "home"  # url_path of the hidden default page ("/"), which switches to the real first page


def pages_for(*, signed_in: bool, is_admin: bool) -> list[PageSpec]:
    """Only pages whose script exists are offered (each capability ships its page with it)."""
    specs = USER_PAGES if signed_in else PUBLIC_PAGES
    return [p for p in specs if p.path.exists() and (is_admin or not p.admin_only)]


def redirect_paths(specs: list[PageSpec]) -> list[str]:
    """Addresses that lead to the first page: HOME (served at "/") and every known page not in ``specs``.

    Streamlit serves the default page only at "/" (its ``url_path`` is ""), so a real page as the
    default answered "Page not found" at its own address (/login, /dashboard: QA 2026-12-04). Every
    real page therefore keeps its address, and the default is a hidden page that switches to it.
    A bookmark of a page this visitor has not got (/dashboard signed out, /login signed in, /admin
    for a non-admin, /logout signed out) leads there too instead of "Page not found".
    """
    own = {spec.url_path for spec in specs}
    known = [spec.url_path for spec in (*PUBLIC_PAGES, *USER_PAGES)]
    return [HOME, *(path for path in dict.fromkeys(known) if path not in own)]


NEXT_PAGE = "bw_next_page"  # session state: the signed-in page a signed-out visitor asked for, opened after sign-in


def redirect_destination(requested: str, specs: list[PageSpec], *, signed_in: bool, state) -> str | None:
    """The ``url_path`` a redirected address leads to: None for the first page (``specs``' default).

    Signed out, a page of the signed-in menu (a bookmark of /forecast, a link in an email, a session that
    ran out) shows the sign-in page, and the page asked for is kept in ``state``; the first redirect once
    signed in (the sign-in page's own rerun, or /register's) opens it instead of the Dashboard when this
    user has it (not /admin for a member), once. The Dashboard was shown before (new-user trial, session 21).
    """
    if not signed_in:
        if requested in {spec.url_path for spec in USER_PAGES if spec.url_path != "logout"}:
            state[NEXT_PAGE] = requested
        return None
    wanted = state.pop(NEXT_PAGE, None)
    return wanted if wanted in {spec.url_path for spec in specs if spec.url_path != "logout"} else None


BUILT = "nav_built"  # session state: app.py has built its navigation in this session


def _never_run() -> None:  # pragma: no cover - the hidden menu's pages are never run: app.py builds the real one
    return None


def leave_pages_folder_mode(*, rerun: bool) -> None:
    """End Streamlit's ``pages/`` folder mode at once, before it shows a menu of file names for long.

    A fresh Streamlit (1.67) process that finds a ``pages/`` folder beside ``app.py`` starts in its
    old multipage mode until some run calls ``st.navigation``: it sends a menu of the raw file names
    ("app", "import data", "cashflow", ...) and, for /register as the first request, runs
    ``pages/register.py`` without app.py, so that menu stayed until a later rerun (review item 3).
    ``client.showSidebarNavigation = false`` is no cure: Streamlit 1.67's frontend then hides every
    sidebar menu, app.py's too (checked in a browser).

    So the first run in that mode calls ``st.navigation`` (which ends the mode) with the app's pages,
    hidden, replacing the file names straight away; the pages keep their addresses. app.py calls this
    first, before its heavy imports and the bootstrap, and goes on to build its real menu in the same
    run (``rerun=False``, then it sets ``BUILT``); every page calls it as its first statement (and
    its guard again), before its own imports, and reruns through app.py. Only there does it come in
    time: a page's imports (SQLAlchemy models, services) took 1.5-2.5 s on a fresh process, and the
    file names stayed that long when the call waited for the page's guard (seen in Chromium,
    2026-12-04: /register showed them from 2.0 s to 4.6 s; none seen once every page calls it first).
    A no-op once any run has built the navigation.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a Streamlit without the old mode
        return
    if not getattr(PagesManager, "uses_pages_directory", None):
        return
    if rerun and st.session_state.get(BUILT):
        return  # app.py ran in this session before (AppTest restarts the mode on every run): no rerun
    specs = [spec for spec in (*PUBLIC_PAGES, *USER_PAGES) if spec.path.exists()]
    home = st.Page(_never_run, title="BudgetWise", url_path=HOME, default=True)  # as in app.py: every page keeps
    st.navigation([home, *(st.Page(str(spec.path), title=spec.title, url_path=spec.url_path)  # its address (/login
                           for spec in specs)], position="hidden")  # as a first request said "Page not found")
    if rerun:
        st.rerun()
