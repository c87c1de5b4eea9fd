"""Token battery: every protected page and every service entry point that accepts a token
or an admin principal refuses every bad token (no token, expired, another key, alg none,
modified payload, revoked, disabled or deleted user, ...).

Each parametrized test is one case, so ``pytest tests/security/test_tokens.py`` reports
the number of cases; docs/reliability.md gives the figure. Pages are discovered from
pages/*.py (everything but the public sign-in and register pages) and admin services from
budgetwise/services/*.py (every public function taking ``principal`` that calls
``require_admin``), so new ones are covered automatically.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.orm import sessionmaker
from streamlit.testing.v1 import AppTest

import budgetwise.services as services_pkg
from budgetwise import security
from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import AuthenticationError, PermissionDenied
from budgetwise.models import Category, User
from budgetwise.services import auth
from budgetwise.services import transactions as tx
from budgetwise.ui.navigation import PUBLIC_PAGES
from budgetwise.ui.state import SECOND_FACTOR_KEY, TOKEN_KEY
from tests.conftest import STRONG_PASSWORD, TEST_SECRET, make_settings
from tests.security.tokens import ADMIN_CASES, CASES, MARKER, admin_only_tokens, bad_tokens, build_world

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLIC = {p.file for p in PUBLIC_PAGES}
PROTECTED_PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name not in PUBLIC)
ADMIN_PAGES = ["admin.py"]
# On every page: the issue's cases (and a deleted user, a wrong token type). The remaining
# forgeries exercise the same guard (auth.verify_token, which every page runs first) and are
# run against it directly below: AppTest runs cost a third of a second each.
PAGE_CASES = (
    "no token", "expired", "signed with another key", "alg none (unsigned)", "payload: other user id",
    "payload: role upgraded to admin", "revoked by logout", "revoked by password change", "disabled user",
    "deleted user", "wrong token type",
)
# the test's own HS512 forgery uses the test secret, which is short for SHA-512
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


def _admin_entry_points() -> list[tuple[str, object]]:
    out = []
    for info in pkgutil.iter_modules(services_pkg.__path__):
        module = importlib.import_module(f"budgetwise.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            if "principal" in inspect.signature(fn).parameters and (
                "require_admin(" in inspect.getsource(fn) or "require_current_admin(" in inspect.getsource(fn)
            ):
                out.append((f"{info.name}.{name}", fn))
    return sorted(out)


ADMIN_SERVICES = _admin_entry_points()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One database with the users and tokens of tests/security/tokens.py; the BUDGETWISE_*
    environment points the app (AppTest) at it for the whole module."""
    data_dir = tmp_path_factory.mktemp("tokens") / "data"
    mp = pytest.MonkeyPatch()
    for key in ("BUDGETWISE_DATABASE_URL", "BUDGETWISE_DEMO"):
        mp.delenv(key, raising=False)
    mp.setenv("BUDGETWISE_DATA_DIR", str(data_dir))
    mp.setenv("BUDGETWISE_SECRET_KEY", TEST_SECRET)
    mp.setenv("BUDGETWISE_BCRYPT_ROUNDS", "4")
    settings = make_settings(data_dir)
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as s:
        w = build_world(s, settings)
        cat = s.query(Category).filter(Category.user_id.is_(None)).first()
        tx.add_transaction(s, user_id=w.alice.user_id, date=dt.date.today(), amount="42.00", kind="expense",
                           description=MARKER, category_id=cat.id if cat else None)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        yield w, settings, factory
    finally:
        engine.dispose()
        st.cache_data.clear()
        st.cache_resource.clear()
        mp.undo()


def _rendered(at: AppTest) -> str:
    """Everything the page sent to the browser, as text (protobufs of every element)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def _run_page(page: str, token: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
    if token is not None:
        at.session_state[TOKEN_KEY] = token
    at.run()
    return at


def _assert_refused(at: AppTest, *, admin_page: bool = False) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown = _rendered(at)
    refusals = ["Please sign in to see this page."] + (["This page is for administrators only."] if admin_page else [])
    assert any(r in shown for r in refusals), shown[:2000]
    assert MARKER not in shown and "alice@example.com" not in shown
    assert not at.session_state[TOKEN_KEY] if TOKEN_KEY in at.session_state else True


# --------------------------------------------------------------------------- pages
@pytest.mark.parametrize("page", PROTECTED_PAGES)
def test_page_serves_a_valid_token(world, page):
    """The control: a good token gets the page (so the refusals below are meaningful)."""
    w, settings, factory = world
    if page == "logout.py":  # it serves a valid token by signing its user out: a user of its own, so that
        with session_scope(factory) as s:  # the module's shared users keep their tokens
            own = auth.register(s, name="Leaving", email="leaving@example.com", password=STRONG_PASSWORD,
                                settings=settings)
            token = auth.issue_access_token(s, own.user_id, settings)
        assert not _run_page(page, token).exception
        with session_scope(factory) as s, pytest.raises(AuthenticationError, match="signed out"):
            auth.verify_token(s, token=token, settings=settings)
        return
    user = w.root if page in ADMIN_PAGES else w.alice
    with session_scope(factory) as s:
        token = auth.issue_access_token(s, user.user_id, settings)
    at = _run_page(page, token)
    assert not at.exception, [e.value for e in at.exception]
    assert "Please sign in to see this page." not in _rendered(at)


@pytest.mark.parametrize("case", PAGE_CASES)
@pytest.mark.parametrize("page", PROTECTED_PAGES)
def test_page_refuses_bad_token(world, page, case):
    w, settings, _ = world
    token = bad_tokens(w, settings)[case]
    _assert_refused(_run_page(page, token), admin_page=page in ADMIN_PAGES)


@pytest.mark.parametrize("case", ADMIN_CASES)
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_page_refuses_non_admin_token(world, page, case):
    w, settings, _ = world
    at = _run_page(page, admin_only_tokens(w, settings)[case])
    assert not at.exception
    shown = _rendered(at)
    assert "This page is for administrators only." in shown
    assert "root@example.com" not in shown and "bob@example.com" not in shown


# --------------------------------------------------------------------------- token-taking services
def test_case_lists_match(world):
    """The collected case names are exactly the ones the builders make."""
    w, settings, _ = world
    for typ in (security.TOKEN_ACCESS, security.TOKEN_REMEMBER, auth.TOKEN_SECOND_FACTOR):
        assert tuple(bad_tokens(w, settings, typ=typ)) == CASES
    assert tuple(admin_only_tokens(w, settings)) == ADMIN_CASES
    assert set(PAGE_CASES) <= set(CASES)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("typ", [security.TOKEN_ACCESS, security.TOKEN_REMEMBER])
def test_verify_token_refuses(world, typ, case):
    """auth.verify_token: every page's rerun (access) and the stay-signed-in cookie (remember)."""
    w, settings, factory = world
    token = bad_tokens(w, settings, typ=typ)[case]
    with session_scope(factory) as s, pytest.raises(AuthenticationError):
        auth.verify_token(s, token=token, settings=settings, token_type=typ)


@pytest.mark.parametrize("case", CASES)
def test_second_factor_step_refuses(world, case):
    """auth.complete_second_factor: the sign-in's second step takes only a genuine pending token."""
    w, settings, factory = world
    token = bad_tokens(w, settings, typ=auth.TOKEN_SECOND_FACTOR)[case]
    with session_scope(factory) as s, pytest.raises(AuthenticationError):
        auth.complete_second_factor(s, pending_token=token or "", code="123456", settings=settings)


@pytest.mark.parametrize("who", ["disabled", "deleted"])
def test_no_new_token_for_unavailable_accounts(world, who):
    w, settings, factory = world
    uid = w.erin.user_id if who == "disabled" else w.frank_id
    with session_scope(factory) as s:
        with pytest.raises(AuthenticationError):
            auth.issue_access_token(s, uid, settings)
        with pytest.raises(AuthenticationError):
            auth.issue_remember_token(s, uid, settings)


def _dummy_args(fn, settings) -> dict:
    from budgetwise.services.categorize import RuleSpec

    args = {}
    for p in inspect.signature(fn).parameters.values():
        if p.name in ("session", "principal") or p.default is not inspect.Parameter.empty:
            continue
        ann = str(p.annotation)
        if p.name == "settings":
            args[p.name] = settings
        elif p.name == "spec":
            args[p.name] = RuleSpec(category_id=1, pattern="x")
        elif p.name.endswith("_id") or "int" in ann:
            args[p.name] = 1
        else:
            args[p.name] = "x@example.com"
    return args


@pytest.mark.parametrize("case", ADMIN_CASES)
@pytest.mark.parametrize("name", [n for n, _ in ADMIN_SERVICES])
def test_admin_service_refuses_non_admin(world, name, case):
    """The principal a non-admin's (even validly signed, role-claiming) token yields is refused
    by every admin service; nothing is changed."""
    w, settings, factory = world
    fn = dict(ADMIN_SERVICES)[name]
    token = admin_only_tokens(w, settings)[case]
    with session_scope(factory) as s:
        principal = auth.verify_token(s, token=token, settings=settings)
        assert not principal.is_admin  # the role comes from the database, not from the token
        before = s.get(User, w.bob.user_id).is_active
        with pytest.raises(PermissionDenied):
            fn(s, principal=principal, **_dummy_args(fn, settings))
        assert s.get(User, w.bob.user_id).is_active == before


def test_second_factor_pending_state_is_not_a_session(world):
    """A pending two-factor sign-in in session state opens no page."""
    w, settings, _ = world
    token = bad_tokens(w, settings, typ=auth.TOKEN_SECOND_FACTOR)["payload: other user id"]
    at = AppTest.from_file(str(ROOT / "pages" / "dashboard.py"), default_timeout=60)
    at.session_state[SECOND_FACTOR_KEY] = (token, False)
    at.run()
    _assert_refused(at)
