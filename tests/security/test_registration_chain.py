"""A browser's device cookie vouches for registrations apart from the shared address (session 27, demo27): the
vouching account's own allowance. sec28 found the allowances chained across days: every account made under a
vouch vouched in turn once a day old, so one address's 10 accounts of day 0 made 100 on day 1, 1,000 on day 2 (each
registration signs the new account in, which is what mints its device token) — growth a stranger could cause without
bound. An account made through a device's vouch now vouches for nobody: it counts as the address.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select, update

from budgetwise.errors import AccountLocked
from budgetwise.models import User
from budgetwise.services import auth
from tests.conftest import STRONG_PASSWORD, create_user

SHARED = "35.230.10.1"


def _register(session, settings, email: str, *, device: str | None = None, now: dt.datetime | None = None):
    return auth.register(session, name="New", email=email, password=STRONG_PASSWORD, settings=settings, client=SHARED,
                         device=device, now=now)


def _age(session, user_id: int, days: float) -> None:
    session.execute(update(User).where(User.id == user_id).values(
        created_at=auth.utcnow() - dt.timedelta(days=days)))
    session.expire_all()


def test_an_account_made_under_a_vouch_vouches_for_nobody(db, session):
    settings = dataclasses.replace(db.settings, registrations_per_client=2)
    create_user(session, db.settings, "admin@example.com", "Admin")
    parent = _register(session, settings, "parent@example.com")  # the address's allowance
    _age(session, parent.user_id, 3)
    parent_cookie = auth.remember_device(session, parent.user_id, db.settings)
    child = _register(session, settings, "child@example.com", device=parent_cookie)  # vouched by the parent's browser
    _age(session, child.user_id, 2)  # a day later, and more
    child_cookie = auth.remember_device(session, child.user_id, db.settings)
    assert auth.vouching_device(session, child_cookie, settings, auth.utcnow()) is None
    assert auth.vouching_device(session, parent_cookie, settings, auth.utcnow()) is not None
    # the child's cookie counts as the address: strangers filled the address's allowance (parent + one more)
    _register(session, settings, "stranger@example.com")
    with pytest.raises(AccountLocked, match="from your network"):
        _register(session, settings, "grandchild@example.com", device=child_cookie)


def test_one_address_cannot_grow_its_registrations_day_over_day(db, session):
    """Three days of a script at one address, each account's browser signing in right after it is made (as the
    register page does), every aged account's cookie tried: the accounts made stay linear in the days."""
    settings = dataclasses.replace(db.settings, registrations_per_client=3)
    create_user(session, db.settings, "admin@example.com", "Admin")
    start = auth.utcnow() - dt.timedelta(days=3)
    cookies: dict[int, str] = {}
    made = 0
    for day in range(3):
        now = start + dt.timedelta(days=day, hours=1)
        for held in [None, *cookies.values()]:
            for _ in range(settings.registrations_per_client):
                try:
                    who = _register(session, settings, f"bot{made}@example.com", device=held, now=now)
                except AccountLocked:
                    break
                session.execute(update(User).where(User.id == who.user_id).values(created_at=now))
                cookies[who.user_id] = auth.remember_device(session, who.user_id, db.settings)
                made += 1
    # the address 3 a day (9) and the day-0 accounts vouching 3 each on days 1 and 2 (3 x 3 x 2 = 18), plus the
    # day-1 accounts on day 2 (3 x 3 = 9): 36; chained vouches made 3 + 12 + 48 = 63
    made_by_vouch = made - 3 * 3
    assert made_by_vouch <= 3 * 3 * 2 + 3 * 3, made
    assert session.scalar(select(func.count()).select_from(User).where(User.email.like("bot%"))) == made
