"""The sign-in log (``login_attempts``) is bounded per client, not by the request rate (session 29, sec29; sec28's
leftover): every request wrote a row kept 90 days, so one address refused at its allowance ("Too many failed
sign-in attempts from your network", "Too many new accounts": the latter costs no password hash) kept writing rows
as fast as it could send them, and a script signing in to its own account wrote a row per sign-in. Now
(:func:`client_throttle.bound_rows`, on each write): a client's refusals (rows nothing counts) keep their newest
:data:`client_throttle.KEEP_REFUSALS`; its other failures older than the lockout window (what the throttle reads)
their newest :data:`client_throttle.KEEP_FAILURES`; one account's sign-ins from one client their newest
:data:`client_throttle.KEEP_SIGN_INS`. The throttles read the same.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from budgetwise.errors import AccountLocked, AuthenticationError
from budgetwise.models import LoginAttempt
from budgetwise.services import auth, client_throttle
from tests.conftest import STRONG_PASSWORD, create_user

ATTACKER = "198.51.100.7"
OWNER = "203.0.113.9"


def _rows(session, address: str) -> int:
    key = auth.client_key(address, _rows.settings)  # type: ignore[attr-defined]
    return session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.client == key)) or 0


def _sign_in(session, settings, email: str, password: str, address: str, now: dt.datetime) -> None:
    auth.authenticate(session, email=email, password=password, settings=settings, client=address, now=now)


def test_a_throttled_address_writes_no_more_rows_than_the_bound(db, session, alice):
    settings = dataclasses.replace(db.settings, client_failure_limit=5)
    _rows.settings = settings  # type: ignore[attr-defined]
    now = auth.utcnow()
    for i in range(5):
        with pytest.raises(AuthenticationError):
            _sign_in(session, settings, f"guess{i}@example.com", "Wrong-pass-123", ATTACKER, now)
    refused = client_throttle.KEEP_REFUSALS + 40
    for i in range(refused):
        with pytest.raises(AccountLocked, match="from your network"):
            _sign_in(session, settings, f"guess{i}@example.com", "Wrong-pass-123", ATTACKER,
                     now + dt.timedelta(seconds=i + 1))
    assert _rows(session, ATTACKER) <= 5 + client_throttle.KEEP_REFUSALS
    # the throttle still holds: the guesses it counts were kept
    with pytest.raises(AccountLocked, match="from your network"):
        _sign_in(session, settings, alice.email, STRONG_PASSWORD, ATTACKER, now + dt.timedelta(minutes=5))


def test_refused_registrations_are_bounded_too(db, session, alice):
    settings = dataclasses.replace(db.settings, registrations_per_client=1)
    _rows.settings = settings  # type: ignore[attr-defined]
    auth.register(session, name="One", email="one@example.com", password=STRONG_PASSWORD, settings=settings,
                  client=ATTACKER)
    for i in range(client_throttle.KEEP_REFUSALS + 40):
        with pytest.raises(AccountLocked, match="Too many new accounts"):
            auth.register(session, name="More", email=f"more{i}@example.com", password=STRONG_PASSWORD,
                          settings=settings, client=ATTACKER)
    assert _rows(session, ATTACKER) <= 1 + client_throttle.KEEP_REFUSALS


def test_old_failures_and_repeated_sign_ins_are_bounded_and_the_known_client_kept(db, session, alice):
    settings = dataclasses.replace(db.settings, client_failure_limit=1000, lockout_threshold=10_000)
    _rows.settings = settings  # type: ignore[attr-defined]
    bob = create_user(session, settings, "bob@example.com", "Bob")
    start = auth.utcnow() - dt.timedelta(days=20)
    _sign_in(session, settings, alice.email, STRONG_PASSWORD, ATTACKER, start)  # the owner, once, at that address
    n = max(client_throttle.KEEP_FAILURES, client_throttle.KEEP_SIGN_INS) + 30
    for i in range(n):  # a slow script over days: a failure and its own account's sign-in each hour
        when = start + dt.timedelta(hours=i + 1)
        with pytest.raises(AuthenticationError):
            _sign_in(session, settings, f"guess{i}@example.com", "Wrong-pass-123", ATTACKER, when)
        _sign_in(session, settings, bob.email, STRONG_PASSWORD, ATTACKER, when)
    last_day = 25  # an hourly failure of the last day is what a throttle may count: kept
    assert _rows(session, ATTACKER) <= 1 + client_throttle.KEEP_FAILURES + last_day + client_throttle.KEEP_SIGN_INS
    key = auth.client_key(ATTACKER, settings)
    assert session.scalar(select(func.count()).select_from(LoginAttempt).where(   # alice's one sign-in there stays:
        LoginAttempt.client == key, LoginAttempt.user_id == alice.user_id, LoginAttempt.success.is_(True))) == 1
