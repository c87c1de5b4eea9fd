"""The app's pages, built into st.navigation by app.py according to the login state and role."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

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
)


__all__ = ["PageSpec", "pages_for", "replace"]


def pages_for(*, signed_in: bool, is_admin: bool) -> list[PageSpec]:
    """Only pages whose script exists are offered (each capability ships its page with it)."""
    specs = USER_PAGES if signed_in else PUBLIC_PAGES
    return [p for p in specs if p.path.exists() and (is_admin or not p.admin_only)]
