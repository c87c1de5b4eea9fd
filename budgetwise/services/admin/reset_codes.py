"""Password reset codes issued by an administrator, and the pending reset requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.config import Settings
from budgetwise.errors import ValidationError
from budgetwise.models import PasswordResetToken, User, utcnow
from budgetwise.principal import Principal
from budgetwise.services import password_reset
from budgetwise.services.admin.common import _audit
from budgetwise.services.admin.users import _issuer, _user_or_404
from budgetwise.services.auth import require_current_admin


def issue_reset_code(
    session: Session,
    *,
    principal: Principal,
    user_id: int,
    settings: Settings,
    send_email: bool = False,
    now: dt.datetime | None = None,
    mailer: password_reset.Mailer | None = None,
) -> password_reset.ResetCode:
    """A fresh one-time, expiring code for the user to set a new password themselves.

    The code is returned once (to show to the administrator, who passes it on) and
    replaces the user's earlier codes and pending requests. With ``send_email`` and
    SMTP configured it is also e-mailed to the user.
    """
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    if not user.is_active:
        raise ValidationError(f"{user.email} is disabled: enable the account before issuing a reset code.")
    code = password_reset.create_token(
        session, user_id=user.id, created_by_id=_issuer(principal, user.id),
        settings=settings, now=now,
    )
    emailed = False
    if send_email:
        if not password_reset.smtp_configured(settings):
            raise ValidationError("E-mail is not configured (BUDGETWISE_SMTP_HOST): pass the code on yourself.")
        subject, body = password_reset.build_message(settings, to=user.email, code=code)
        (mailer or password_reset.send_email)(settings, user.email, subject, body)
        emailed = True
    _audit(session, principal, "user.reset_code", target_user_id=user.id, target=user.email,
           details=f"Issued a one-time password reset code valid until {code.expires_at:%Y-%m-%d %H:%M} UTC"
           + (", sent by e-mail." if emailed else "."), now=now)
    session.flush()
    return password_reset.ResetCode(
        user_id=code.user_id, email=code.email, code=code.code, expires_at=code.expires_at, link=code.link,
        emailed=emailed,
    )


@dataclass(frozen=True)
class ResetRequestRow:
    user_id: int
    email: str
    name: str
    requested_at: dt.datetime
    expires_at: dt.datetime


def pending_reset_requests(
    session: Session, *, principal: Principal, now: dt.datetime | None = None
) -> list[ResetRequestRow]:
    """"Forgot password" requests that are neither used nor expired, newest first."""
    require_current_admin(session, principal)
    now = now or utcnow()
    stmt = (
        select(User.id, User.email, User.name, PasswordResetToken.created_at, PasswordResetToken.expires_at)
        .join(User, User.id == PasswordResetToken.user_id)
        .where(
            PasswordResetToken.created_by_id == PasswordResetToken.user_id,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > now,
            User.is_active.is_(True),
        )
        .order_by(PasswordResetToken.created_at.desc())
    )
    return [ResetRequestRow(*row) for row in session.execute(stmt)]
