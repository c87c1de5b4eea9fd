"""Session 18 (uifix): an expander the user opened stays open through the first runs after signing in.

app.py drew the "stay signed in" cookie writer's frame before the page for three runs after signing in; the run
without it moved every element of the page up one place, and Streamlit drew the open "Add a transaction"
expander anew, closed (the Amount field gone under the user's cursor). One container now holds what comes and
goes before the page. Failed before the change: open after the second rerun, closed after the third."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.test_click_after_add import _sign_in
from tests.e2e.test_main_flow import _nav, _settle

pytestmark = pytest.mark.e2e


def test_an_open_expander_stays_open_while_the_cookie_writer_comes_and_goes(server, page, tmp_path):
    csv = tmp_path / "one.csv"
    csv.write_text("Date,Description,Amount\n2024-03-01,Corner bakery,-2.10\n")
    _sign_in(server, page, "opener@example.com")  # "Stay signed in" is ticked by default: the cookie is written
    subprocess.run(  # one row, so the form starts closed (an empty account's is open)
        [sys.executable, "-m", "budgetwise.cli", "import", str(csv), "--user", "opener@example.com"],
        text=True, check=True, capture_output=True,
        env={"BUDGETWISE_DATA_DIR": str(server.data_dir), "PATH": "/usr/bin:/bin"},
    )
    _nav(page, "Transactions", "Rows per page")
    page.locator("h1", has_text="Transactions").first.wait_for(state="visible")
    page.get_by_text("Add a transaction").first.click()
    page.get_by_label("Amount").wait_for(state="visible", timeout=10_000)
    for kind in ("Income", "Expense", "Income", "Expense"):  # the radio above the form reruns the page
        page.get_by_test_id("stRadio").get_by_text(kind, exact=True).click()
        page.wait_for_timeout(300)
        _settle(page)
        assert page.get_by_label("Amount").is_visible(), f"the form closed after choosing {kind}"
