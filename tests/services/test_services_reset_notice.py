"""A member is told that their password was reset with a code somebody else issued (session 19), at every sign-in
until they acknowledge it (session 20)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import select

from budgetwise.models import AuditLog, User, utcnow
from budgetwise.services import admin, password_reset, reset_notice
from budgetwise.services.auth import principal_for

NEW_PASSWORD = "copper-meadow-sailboat-77"


class _Mailer:
    def __init__(self) -> None:
        self.body = ""

    def __call__(self, settings, to, subject, body) -> None:
        self.body = body


def _details(session, action):
    return list(session.scalars(select(AuditLog.details).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_a_reset_with_an_admins_code_is_logged_and_told_once(db, session, alice, bob):
    t0 = utcnow() - dt.timedelta(minutes=5)
    code = admin.issue_reset_code(session, principal=alice, user_id=bob.user_id, settings=db.settings, now=t0)
    password_reset.reset_password(session, token=code.code, new_password=NEW_PASSWORD, settings=db.settings,
                                  now=t0 + dt.timedelta(minutes=1))
    [logged] = _details(session, "password.reset")
    assert "issued by the administrator Alice (alice@example.com)" in logged

    [notice] = reset_notice.pending_reset_notices(session, principal=bob)
    assert notice.issued_by == "the administrator Alice (alice@example.com)"
    assert notice.reset_at == t0 + dt.timedelta(minutes=1)
    text = reset_notice.notice_text(notice)
    assert text.startswith(f"Your password was reset on {notice.reset_at:%Y-%m-%d} at ")
    assert "the administrator Alice" in text and "If this wasn't you" in text
    # showing it writes nothing (session 20: an administrator signed in as Bob used it up): every sign-in
    # shows it until it is acknowledged
    assert _details(session, reset_notice.NOTICE_ACTION) == []
    assert reset_notice.pending_reset_notices(session, principal=bob) == (notice,)
    assert reset_notice.pending_reset_notices(session, principal=alice) == ()  # it was Bob's password, not Alice's
    assert reset_notice.acknowledge_reset_notices(session, principal=alice) == ()  # Alice cannot acknowledge it
    assert reset_notice.acknowledge_reset_notices(session, principal=bob) == (notice,)
    [told] = _details(session, reset_notice.NOTICE_ACTION)
    assert "Acknowledged after sign-in" in told and "Alice" in told
    # then nothing, until another such reset
    assert reset_notice.pending_reset_notices(session, principal=bob) == ()
    assert reset_notice.acknowledge_reset_notices(session, principal=bob) == ()
    assert len(_details(session, reset_notice.NOTICE_ACTION)) == 1


def test_two_resets_before_a_sign_in_are_both_told(db, session, alice, bob):
    t0 = utcnow() - dt.timedelta(hours=2)
    for minutes in (0, 40):
        at = t0 + dt.timedelta(minutes=minutes)
        code = admin.issue_reset_code(session, principal=alice, user_id=bob.user_id, settings=db.settings, now=at)
        password_reset.reset_password(session, token=code.code, new_password=NEW_PASSWORD + str(minutes),
                                      settings=db.settings, now=at + dt.timedelta(minutes=1))
    assert len(reset_notice.pending_reset_notices(session, principal=bob)) == 2


def test_a_code_from_the_command_line_is_told_too(db, session, alice, bob):
    code = admin.issue_reset_code(session, principal=admin.cli_principal(), user_id=bob.user_id, settings=db.settings)
    password_reset.reset_password(session, token=code.code, new_password=NEW_PASSWORD, settings=db.settings)
    [notice] = reset_notice.pending_reset_notices(session, principal=bob)
    assert "command line" in notice.issued_by
    assert "command line" in _details(session, "password.reset")[0]


def test_no_notice_for_the_members_own_request_an_admins_own_code_or_a_new_accounts_first_password(
        db, session, alice, bob):
    smtp = replace(db.settings, smtp_host="mail.example.com", smtp_sender="b@example.com")
    mailer = _Mailer()
    password_reset.request_reset(session, email="bob@example.com", settings=smtp, mailer=mailer)
    code = next(line.split(": ", 1)[1] for line in mailer.body.splitlines() if line.startswith("Your one-time"))
    password_reset.reset_password(session, token=code, new_password=NEW_PASSWORD, settings=db.settings)
    assert "the user asked for" in _details(session, "password.reset")[0]
    assert reset_notice.pending_reset_notices(session, principal=bob) == ()

    own = admin.issue_reset_code(session, principal=alice, user_id=alice.user_id, settings=db.settings)
    password_reset.reset_password(session, token=own.code, new_password=NEW_PASSWORD, settings=db.settings)
    assert reset_notice.pending_reset_notices(session, principal=alice) == ()

    _row, first = admin.create_user(session, principal=alice, email="carol@example.com", name="Carol",
                                    settings=db.settings)
    assert first is not None
    password_reset.reset_password(session, token=first.code, new_password=NEW_PASSWORD, settings=db.settings)
    carol = admin.find_user(session, principal=alice, email="carol@example.com")
    assert reset_notice.pending_reset_notices(session, principal=principal_for(session.get(User, carol.id))) == ()
    assert _details(session, reset_notice.NOTICE_ACTION) == []


def test_the_command_line_has_no_notices(db, session, alice):
    assert reset_notice.pending_reset_notices(session, principal=admin.cli_principal()) == ()


def test_an_acknowledgment_followed_by_the_members_own_reset_no_longer_counts(db, session, alice, bob):
    """Session 21 (newuser21): an administrator who used the code signed in as Bob and pressed "I have read
    this"; Bob, whose password no longer worked, reset it himself and was never told. A reset after the
    acknowledgment voids it: Bob is told again until he acknowledges it himself."""
    t0 = utcnow() - dt.timedelta(hours=3)
    code = admin.issue_reset_code(session, principal=alice, user_id=bob.user_id, settings=db.settings, now=t0)
    password_reset.reset_password(session, token=code.code, new_password=NEW_PASSWORD, settings=db.settings,
                                  now=t0 + dt.timedelta(minutes=1))
    [notice] = reset_notice.acknowledge_reset_notices(session, principal=bob, now=t0 + dt.timedelta(minutes=2))
    assert reset_notice.pending_reset_notices(session, principal=bob) == ()
    smtp = replace(db.settings, smtp_host="mail.example.com", smtp_sender="b@example.com")
    mailer = _Mailer()
    password_reset.request_reset(session, email="bob@example.com", settings=smtp, mailer=mailer)
    own = next(line.split(": ", 1)[1] for line in mailer.body.splitlines() if line.startswith("Your one-time"))
    password_reset.reset_password(session, token=own, new_password=NEW_PASSWORD + "x", settings=db.settings)
    assert reset_notice.pending_reset_notices(session, principal=bob) == (notice,)  # his own reset is not told
    assert reset_notice.acknowledge_reset_notices(session, principal=bob) == (notice,)
    assert reset_notice.pending_reset_notices(session, principal=bob) == ()
