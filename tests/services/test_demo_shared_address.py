"""Many visitors behind one address (Streamlit Community Cloud's egress): a live demo is never deleted to make room,
and registrations from a browser that holds a device cookie are not counted against the shared address (session 27,
demo27).

sec27 found: at the per-address cap (10 live demo accounts) a stranger's eleventh "Explore the demo" click deleted the
oldest visitor's demo account while that visitor was using it, the global cap did the same to any visitor, and the
address's 10 registrations a day stopped every registration of the whole shared address.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select, update

from budgetwise.errors import AccountLocked, Busy
from budgetwise.models import User
from budgetwise.services import auth, demo
from tests.conftest import STRONG_PASSWORD, create_user

SHARED = "35.230.10.1"


def _settings(db, **changes):
    return dataclasses.replace(db.settings, demo=True, **changes)


def _visitors(session) -> set[int]:
    return set(session.scalars(select(User.id).where(User.email.like("%@" + auth.DEMO_DOMAIN))))


def _idle(session, user_id: int, minutes: float) -> None:
    """The visitor's last activity ``minutes`` ago (what :func:`demo.mark_active` records)."""
    session.execute(update(User).where(User.id == user_id).values(
        updated_at=auth.utcnow() - dt.timedelta(minutes=minutes)))
    session.expire_all()


def test_a_demo_in_use_is_never_deleted_to_make_room_and_the_next_visitor_is_told_the_demo_is_busy(db, session):
    settings = _settings(db, demo_max_accounts=2)
    real = create_user(session, db.settings, "owner@example.com", "Owner")
    session.execute(update(User).where(User.id == real.user_id).values(
        created_at=auth.utcnow() - dt.timedelta(days=400), updated_at=auth.utcnow() - dt.timedelta(days=400)))
    first = demo.create_visitor_account(session, settings=settings, client=SHARED)
    second = demo.create_visitor_account(session, settings=settings, client="192.0.2.5")
    with pytest.raises(Busy, match=r"^The demo is busy: every demo account \(2\) is in use\. Try again in a few minutes\.$"):
        demo.create_visitor_account(session, settings=settings, client="192.0.2.9")
    assert _visitors(session) == {first.user_id, second.user_id}  # nobody's live demo was deleted
    # the first visitor left it idle past the window: its account makes room; the second, in use, stays
    _idle(session, first.user_id, demo.DEMO_ACTIVE_MINUTES + 1)
    third = demo.create_visitor_account(session, settings=settings, client="192.0.2.9")
    assert _visitors(session) == {second.user_id, third.user_id}
    assert session.get(User, real.user_id) is not None  # a real account is never touched


def test_activity_keeps_a_demo_live(db, session):
    settings = _settings(db, demo_max_accounts=1)
    visitor = demo.create_visitor_account(session, settings=settings)
    _idle(session, visitor.user_id, demo.DEMO_ACTIVE_MINUTES + 5)
    assert demo.mark_active(session, principal=visitor) is True  # a rerun of the visitor's page records it
    session.expire_all()
    with pytest.raises(Busy):
        demo.create_visitor_account(session, settings=settings)
    assert _visitors(session) == {visitor.user_id}
    alice = create_user(session, db.settings)
    assert demo.mark_active(session, principal=alice) is False  # only a visitor's account is marked


def test_a_shared_address_never_evicts_its_own_live_visitors(db, session, monkeypatch):
    """The eleventh stranger at one address deleted the first's live demo (sec27). Now the address's own idle demos are
    recycled first; its live ones stay, and past its share of the cap the next click is told the demo is busy."""
    monkeypatch.setattr(demo, "DEMOS_PER_CLIENT", 2)
    settings = _settings(db, demo_max_accounts=6)  # an address's share: half of the cap, at least DEMOS_PER_CLIENT
    made = [demo.create_visitor_account(session, settings=settings, client=SHARED) for _ in range(3)]
    assert _visitors(session) == {p.user_id for p in made}  # the third click deleted nobody's
    with pytest.raises(Busy, match=r"^The demo is busy on your network: every demo account it may hold \(3\) is in "
                                   r"use\. Try again in a few minutes\.$"):
        demo.create_visitor_account(session, settings=settings, client=SHARED)
    other = demo.create_visitor_account(session, settings=settings, client="192.0.2.7")  # another address is not
    _idle(session, made[1].user_id, demo.DEMO_ACTIVE_MINUTES + 1)
    fourth = demo.create_visitor_account(session, settings=settings, client=SHARED)
    assert _visitors(session) == {made[0].user_id, made[2].user_id, other.user_id, fourth.user_id}


def _aged_user_device(session, db, email: str) -> str:
    """A real account older than a day that this browser signed in to: its device cookie's value."""
    user = create_user(session, db.settings, email, "Neighbour")
    session.execute(update(User).where(User.id == user.user_id).values(
        created_at=auth.utcnow() - dt.timedelta(days=3)))
    session.expire_all()
    auth.authenticate(session, email=email, password=STRONG_PASSWORD, settings=db.settings, client=SHARED)
    return auth.remember_device(session, user.user_id, db.settings)


def _register(session, settings, n: int, *, device: str | None = None):
    return auth.register(session, name="New", email=f"new{n}@example.com", password=STRONG_PASSWORD,
                         settings=settings, client=SHARED, device=device)


def test_a_browser_with_a_device_cookie_is_not_counted_against_the_shared_address(db, session):
    settings = dataclasses.replace(db.settings, registrations_per_client=2)
    create_user(session, db.settings, "admin@example.com", "Admin")  # the first account is made
    held = _aged_user_device(session, db, "neighbour@example.com")
    _register(session, settings, 1)
    _register(session, settings, 2)
    with pytest.raises(AccountLocked, match="Too many new accounts from your network"):
        _register(session, settings, 3)  # strangers filled the shared address's allowance
    _register(session, settings, 4, device=held)  # this browser counts apart from the address
    _register(session, settings, 5, device=held)
    with pytest.raises(AccountLocked, match="Too many new accounts from this browser: at most 2 a day"):
        _register(session, settings, 6, device=held)  # ... and has an allowance of its own
    # a token of the same account minted again (a new device id) buys no fresh allowance
    again = auth.remember_device(session, session.scalar(select(User.id).where(
        User.email == "neighbour@example.com")), db.settings)
    with pytest.raises(AccountLocked, match="from this browser"):
        _register(session, settings, 7, device=again)
    assert session.scalar(select(func.count()).select_from(User).where(User.email.like("new%"))) == 4


def test_a_device_cookie_of_a_new_or_demo_account_or_a_forged_one_counts_as_the_address(db, session):
    """A fresh account (made under the address's allowance, today) vouches for nothing yet: one person registering
    in a loop cannot chain allowances within the day; nor can a demo visitor's or a forged cookie."""
    settings = dataclasses.replace(db.settings, registrations_per_client=1)
    create_user(session, db.settings, "admin@example.com", "Admin")
    fresh = _register(session, settings, 1)
    fresh_cookie = auth.remember_device(session, fresh.user_id, db.settings)
    visitor = demo.create_visitor_account(session, settings=dataclasses.replace(db.settings, demo=True))
    visitor_cookie = auth.issue_device_token(session, visitor.user_id, db.settings)
    for held in (fresh_cookie, visitor_cookie, "not-a-token", fresh_cookie[:-3] + "abc"):
        with pytest.raises(AccountLocked, match="from your network"):
            _register(session, settings, 2, device=held)
