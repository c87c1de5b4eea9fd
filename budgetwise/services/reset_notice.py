"""Telling a member, until they acknowledge it, that their password was reset with a code somebody else issued.

An administrator (or the command line) can issue a reset code for a member and use it
themselves (docs/history/admin.md, session 19). Nothing stops that — the administrator runs the
installation — but it must not be silent: the ``password.reset`` audit entry names who issued
the code, and the member's next sign-in shows :func:`notice_text` ("Your password was reset on
… using a code issued by the administrator …"), and "I have read this" records ``password.reset_notice``.

Until acknowledged (session 20): the resets used after the account's latest ``password.reset_notice``
entry are shown at every sign-in (:func:`pending_reset_notices`, which writes nothing) until a press of
"I have read this" records that entry (:func:`acknowledge_reset_notices`). In session 19 the first
sign-in after the reset recorded it, so an administrator who signed in as the member with the new password
used the notice up and the member, finding their password refused and resetting it with a code of their
own, was never told. Left out: resets with a code the member asked for themselves ("forgot password" by
e-mail), codes an administrator issued for their own account, and the code that set a new account's
first password (``user.create``).

An acknowledgment followed by another reset of the password (any: the member's own "forgot password"
too) no longer counts (session 21): whoever holds the password is the member to the app, so an
administrator who used the code and signed in as the member could press "I have read this"; the member,
whose password no longer worked, had to reset it and was never told. After a later reset every such
notice is shown again until acknowledged anew. A member who acknowledged and later resets their password
themselves reads the old notice once more (told, not harmed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.models import AuditLog, PasswordResetToken, User, utcnow
from budgetwise.principal import Principal
from budgetwise.services import audit

NOTICE_ACTION = "password.reset_notice"
#: The audit actions that issue a code for somebody (user.create: the first password of a new account).
_ISSUE_ACTIONS = ("user.reset_code", "user.create")


@dataclass(frozen=True)
class CodeIssuer:
    """Who issued a used reset code, as the member should read it."""

    label: str  # "the administrator Alex (alex@example.com)" / "the command line on the server"
    new_account: bool = False  # the code that came with the account (its first password)


@dataclass(frozen=True)
class ResetNotice:
    reset_at: dt.datetime  # UTC
    issued_by: str


def code_issuer(session: Session, token: PasswordResetToken) -> CodeIssuer | None:
    """Who issued ``token`` for its user; None when it was the user themselves.

    ``created_by_id`` is the user's own id for a "forgot password" request and NULL for a code from
    the command line or from an administrator for their own account, so the issuer is read from the
    audit entry that issued the code (the latest issue for that user before the code was used:
    a new code replaces the older ones).
    """
    if token.created_by_id == token.user_id:
        return None
    used = token.used_at or utcnow()
    entry = session.execute(
        select(AuditLog.actor_id, AuditLog.actor_email, AuditLog.action)
        .where(AuditLog.target_user_id == token.user_id, AuditLog.action.in_(_ISSUE_ACTIONS),
               AuditLog.created_at <= used)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(1)
    ).first()
    actor_id = entry.actor_id if entry else token.created_by_id
    if actor_id is not None and actor_id == token.user_id:
        return None
    new_account = bool(entry and entry.action == "user.create")
    if actor_id is None:
        if entry is None or entry.actor_email == audit.CLI_ACTOR_EMAIL:
            return CodeIssuer("the command line on the server (an administrator)", new_account)
        return CodeIssuer(f"the administrator {entry.actor_email}", new_account)
    actor = session.get(User, actor_id)
    email = actor.email if actor else (entry.actor_email if entry else "a deleted account")
    name = actor.name if actor else ""
    return CodeIssuer(f"the administrator {name} ({email})" if name else f"the administrator {email}", new_account)


def pending_reset_notices(session: Session, *, principal: Principal) -> tuple[ResetNotice, ...]:
    """The resets of ``principal``'s own password by somebody else's code not acknowledged yet, oldest first
    (writes nothing: shown at each sign-in until :func:`acknowledge_reset_notices`). Only the principal's own
    account: there is no user id to pass."""
    if audit.is_cli(principal):
        return ()
    told = session.scalar(
        select(func.max(AuditLog.created_at)).where(
            AuditLog.target_user_id == principal.user_id, AuditLog.action == NOTICE_ACTION
        )
    )
    stmt = (
        select(PasswordResetToken)
        .where(PasswordResetToken.user_id == principal.user_id, PasswordResetToken.used_at.is_not(None))
        .order_by(PasswordResetToken.used_at, PasswordResetToken.id)
    )
    last_reset = session.scalar(
        select(func.max(PasswordResetToken.used_at)).where(PasswordResetToken.user_id == principal.user_id))
    if told is not None and last_reset is not None and last_reset > told:
        told = None  # reset after the acknowledgment: whoever pressed it may have held the code, not the member
    if told is not None:
        stmt = stmt.where(PasswordResetToken.used_at > told)
    notices = []
    for token in session.scalars(stmt):
        issuer = code_issuer(session, token)
        if issuer is not None and not issuer.new_account and token.used_at is not None:
            notices.append(ResetNotice(token.used_at, issuer.label))
    return tuple(notices)


def acknowledge_reset_notices(
    session: Session, *, principal: Principal, now: dt.datetime | None = None
) -> tuple[ResetNotice, ...]:
    """Record (one ``password.reset_notice`` audit entry) that ``principal`` read the notices pending now; the
    next :func:`pending_reset_notices` returns nothing until another such reset. Returns what was acknowledged."""
    notices = pending_reset_notices(session, principal=principal)
    if notices:
        audit.record(session, principal, NOTICE_ACTION, target_user_id=principal.user_id, target=principal.email,
                     details="Acknowledged after sign-in: " + "; ".join(
                         f"password reset on {n.reset_at:%Y-%m-%d %H:%M} UTC with a code issued by {n.issued_by}"
                         for n in notices) + ".", now=now or utcnow())
        session.flush()
    return notices


def notice_text(notice: ResetNotice) -> str:
    """What the member reads at sign-in (a warning)."""
    return (
        f"Your password was reset on {notice.reset_at:%Y-%m-%d} at {notice.reset_at:%H:%M} UTC using a code issued "
        f"by {notice.issued_by}. If this wasn't you, someone else may have signed in to your account: choose a new "
        "password under Profile → Password and ask the administrator why the code was issued and used."
    )
