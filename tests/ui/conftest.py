"""AppTest fixtures: a fresh SQLite database per test, users, and signed-in apps.

Usage::

    def test_something(app_env):
        alice = app_env.create_user("alice@example.com", "Alice")
        at = app_env.page("pages/transactions.py", user=alice)  # runs the page script directly
        at.run()
        at = app_env.app(user=alice)  # runs app.py (navigation, default page)

    Note: AppTest.switch_page runs the page file directly (without app.py), so page
    tests use ``page()``; app.py-level behaviour (navigation, flash, logout) uses ``app()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from budgetwise.config import Settings
from budgetwise.db import make_engine, session_scope
from budgetwise.principal import Principal
from budgetwise.services import auth
from budgetwise.ui.state import TOKEN_KEY
from tests.conftest import STRONG_PASSWORD, TEST_SECRET, make_settings, migrated_sqlite

ROOT = Path(__file__).resolve().parent.parent.parent
APP = str(ROOT / "app.py")


@dataclass
class AppEnv:
    settings: Settings
    factory: sessionmaker[Session]

    def scope(self):
        return session_scope(self.factory)

    def create_user(
        self, email: str = "alice@example.com", name: str = "Alice", *, admin: bool | None = None,
        password: str = STRONG_PASSWORD,
    ) -> Principal:
        from budgetwise.models import ROLE_ADMIN, ROLE_USER, User

        with self.scope() as s:
            p = auth.register(s, name=name, email=email, password=password, settings=self.settings)
            if admin is not None:
                s.get(User, p.user_id).role = ROLE_ADMIN if admin else ROLE_USER
                s.flush()
                p = auth.principal_for(s.get(User, p.user_id))
        return p

    def token_for(self, principal: Principal) -> str:
        with self.scope() as s:
            return auth.issue_access_token(s, principal.user_id, self.settings)

    def app(self, *, user: Principal | None = None, timeout: float = 30) -> AppTest:
        """An AppTest of app.py (navigation built from the role), signed in as ``user``. Not yet run."""
        at = AppTest.from_file(APP, default_timeout=timeout)
        if user is not None:
            at.session_state[TOKEN_KEY] = self.token_for(user)
        return at

    def page(self, page: str, *, user: Principal | None = None, timeout: float = 30) -> AppTest:
        """An AppTest of one page script run directly (as Streamlit does for a first request)."""
        at = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
        if user is not None:
            at.session_state[TOKEN_KEY] = self.token_for(user)
        return at


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Iterator[AppEnv]:
    data_dir = tmp_path / "data"
    for key in ("BUDGETWISE_DATABASE_URL", "BUDGETWISE_DEMO"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("BUDGETWISE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BUDGETWISE_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("BUDGETWISE_BCRYPT_ROUNDS", "4")
    st.cache_data.clear()
    st.cache_resource.clear()
    settings = make_settings(data_dir)
    migrated_sqlite(sqlite_template, settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        yield AppEnv(settings, sessionmaker(bind=engine, expire_on_commit=False))
    finally:
        engine.dispose()
        st.cache_data.clear()
        st.cache_resource.clear()


# ------------------------------------------------------------------ what a browser keeps between runs
_WIDGETS = ("text_input", "text_area", "number_input", "selectbox", "multiselect", "checkbox", "toggle", "radio",
            "date_input")


def browser_holds(at: AppTest) -> dict[str, object]:
    """The value of every widget on screen, by widget id: what the browser sends with the next click."""
    return {w.id: w.value for kind in _WIDGETS for w in getattr(at, kind)}


def as_browser_keeps(at: AppTest, held: dict[str, object]) -> AppTest:
    """Do to ``at`` what Streamlit's frontend does after a rerun.

    AppTest re-reads every widget's value from session state, so a page that deletes a widget's
    key looks reset in AppTest; a browser keeps showing (and sends back) what it held for every
    widget whose id did not change, unless the script set that widget's value. This puts those
    held values back, so a test sees the form a real user sees.
    """
    for kind in _WIDGETS:
        for w in getattr(at, kind):
            if w.id in held and not getattr(w.proto, "set_value", False) and w.value != held[w.id]:
                try:
                    w.set_value(held[w.id])
                except Exception:  # the held value is no longer an option: the browser falls back too
                    pass
    return at
