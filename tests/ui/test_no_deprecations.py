"""Every page runs without a Streamlit deprecation warning (issue #14 item 19).

Streamlit logs a deprecation (e.g. ``use_container_width``) through its deprecation logger on
every call, which filled a session's log with hundreds of lines. This runs each page with
demo data for a user (and the admin page for an admin) and collects what that logger says.
"""

from __future__ import annotations

import logging

import pytest

from budgetwise.services import demo

PAGES = (
    "pages/dashboard.py", "pages/transactions.py", "pages/import_data.py", "pages/categorize.py",
    "pages/reports.py", "pages/budgets.py", "pages/goals.py", "pages/forecast.py", "pages/profile.py",
)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def deprecations():
    logger = logging.getLogger("streamlit.deprecation_util")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def test_no_page_uses_a_deprecated_streamlit_api(app_env, deprecations):
    admin = app_env.create_user("admin@example.com", "Admin", admin=True)
    with app_env.scope() as s:
        demo.seed_transactions(s, user_id=admin.user_id, rows=demo.generate(months=14))
    for page in (*PAGES, "pages/admin.py"):
        at = app_env.page(page, user=admin, timeout=60)
        at.run()
        assert not at.exception, (page, at.exception)
    for page in ("pages/login.py", "pages/register.py"):
        app_env.page(page).run()
    assert deprecations == [], sorted(set(deprecations))
