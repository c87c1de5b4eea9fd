"""Demo mode's "Explore the demo account" button (AppTest): a private, temporary account per visitor."""

from sqlalchemy import select

from budgetwise.models import User
from budgetwise.services import auth
from budgetwise.ui.state import SEEN_KEY, TOKEN_KEY
from tests.ui.test_page_auth import _texts


def _explore(app_env):
    at = app_env.app(timeout=60)
    at.run()
    assert not at.exception
    at.button(key="login_demo").click()
    at.run()
    assert not at.exception
    token = at.session_state[TOKEN_KEY]
    assert token
    fresh = app_env.app(timeout=60)  # the next run (as after the page's rerun) with the token it got
    fresh.session_state[TOKEN_KEY] = token
    fresh.run()
    assert not fresh.exception
    return fresh


def test_each_click_signs_in_to_an_own_temporary_demo_account(app_env, monkeypatch):
    monkeypatch.setenv("BUDGETWISE_DEMO", "true")
    monkeypatch.setenv("BUDGETWISE_DEMO_HOURS", "6")
    first, second = _explore(app_env), _explore(app_env)
    for at in (first, second):
        text = _texts(at).replace("\\", "")  # markdown escapes
        assert "This demo account and everything in it is deleted after 6 hours" in text
        assert "@" + auth.DEMO_DOMAIN in text  # signed in: the sidebar names the visitor's own account
    with app_env.scope() as s:
        visitors = s.scalars(select(User.email).where(User.email.like("%@" + auth.DEMO_DOMAIN))).all()
    assert len(set(visitors)) == 2  # two visitors, two accounts: nothing one imports is seen by the other
    shown = (_texts(first) + _texts(second)).replace("\\", "")
    assert visitors[0] in shown and visitors[1] in shown


def test_no_demo_button_and_no_banner_outside_demo_mode(app_env):
    at = app_env.app()
    at.run()
    assert not any(b.key == "login_demo" for b in at.button)
    alice = app_env.create_user()
    at = app_env.app(user=alice)
    at.run()
    assert "Temporary demo account" not in _texts(at)


def test_a_visitor_who_logs_out_leaves_nothing_behind(app_env, monkeypatch):
    monkeypatch.setenv("BUDGETWISE_DEMO", "true")
    at = _explore(app_env)
    with app_env.scope() as s:
        (visitor,) = s.scalars(select(User.id).where(User.email.like("%@" + auth.DEMO_DOMAIN))).all()
    at.switch_page("pages/logout.py").run()
    assert not at.exception
    with app_env.scope() as s:
        assert s.get(User, visitor) is None  # deleted now, not at expiry
    assert "your demo account and everything in it were deleted" in _texts(at)


def test_a_visitor_in_use_is_not_deleted_and_the_next_one_reads_that_the_demo_is_busy(app_env, monkeypatch):
    """Session 27 (demo27): at the cap the next click deleted the oldest visitor's account while it was in use."""
    import datetime as dt

    from sqlalchemy import update

    from budgetwise.services import demo

    monkeypatch.setenv("BUDGETWISE_DEMO", "true")
    monkeypatch.setenv("BUDGETWISE_DEMO_MAX_ACCOUNTS", "1")
    first = _explore(app_env)
    with app_env.scope() as s:
        (visitor,) = s.scalars(select(User.id).where(User.email.like("%@" + auth.DEMO_DOMAIN))).all()
        s.execute(update(User).where(User.id == visitor).values(  # idle since: a rerun records it again
            updated_at=auth.utcnow() - dt.timedelta(minutes=demo.DEMO_ACTIVE_MINUTES + 5)))
    first.session_state[SEEN_KEY] = -1e9  # its last record a minute ago or more
    first.run()  # records the visit: without it, the idle account would make room for the stranger
    assert not first.exception
    stranger = app_env.app(timeout=30)
    stranger.run()
    stranger.button(key="login_demo").click()
    stranger.run()
    assert not stranger.exception
    assert "The demo is busy: every demo account (1) is in use. Try again in a few minutes." in _texts(stranger)
    assert "@" + auth.DEMO_DOMAIN not in _texts(stranger)  # not signed in to anything
    with app_env.scope() as s:
        assert s.get(User, visitor) is not None  # still the first visitor's
    first.run()
    assert not first.exception and "Dashboard" in _texts(first)  # the first visitor carries on
