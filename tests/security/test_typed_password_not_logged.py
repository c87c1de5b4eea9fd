"""A password typed into the email box is not kept in the sign-in log (session 29, sec29): ``login_attempts.email``
kept whatever was typed, 90 days, and the admin's Login log and System page show it ("Email") — a person who types
their password where the email goes (a common slip) handed it to every administrator. What is not an email address
(no account can hold it) is kept as a keyed hash: the same text still counts as one for the unknown-email lockout,
and nothing readable is shown."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from budgetwise.errors import AccountLocked, AuthenticationError
from budgetwise.models import LoginAttempt
from budgetwise.services import auth

SECRET_TYPED = "Hunter2-correct-horse"


def test_a_password_typed_as_the_email_is_not_logged_and_still_locks_like_one(db, session, alice):
    settings = db.settings
    for _ in range(settings.lockout_threshold - 1):
        with pytest.raises(AuthenticationError):
            auth.authenticate(session, email=SECRET_TYPED, password="x", settings=settings)
    with pytest.raises(AccountLocked):  # the unknown-email lockout still counts the one text
        auth.authenticate(session, email=SECRET_TYPED, password="x", settings=settings)
    kept = session.scalars(select(LoginAttempt.email)).all()
    assert kept and not any(SECRET_TYPED.lower() in e or "hunter2" in e for e in kept), kept
    with pytest.raises(AuthenticationError):  # a mistyped but valid address stays readable (the admin needs it)
        auth.authenticate(session, email="alice@exampel.com", password="x", settings=settings)
    assert "alice@exampel.com" in session.scalars(select(LoginAttempt.email)).all()
