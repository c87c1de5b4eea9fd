"""The audit log and the login log, filtered and paged (read-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.models import AuditLog, LoginAttempt
from budgetwise.paging import page_bounds
from budgetwise.principal import Principal
from budgetwise.services.admin.common import LOCKOUT_REASONS, Page, _day_start, _like
from budgetwise.services.admin.health import NOT_SIGN_INS, LoginRow
from budgetwise.services.auth import require_current_admin


@dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: dt.datetime
    actor_id: int | None
    actor_email: str
    action: str
    target_user_id: int | None
    target: str
    details: str


def audit_actions(session: Session, *, principal: Principal) -> list[str]:
    require_current_admin(session, principal)
    return list(session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))


def list_audit_log(
    session: Session,
    *,
    principal: Principal,
    search: str = "",
    action: str | None = None,
    target_user_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[AuditRow]:
    """The audit log, newest first. (Read-only: no function edits or deletes audit rows.)"""
    require_current_admin(session, principal)
    conditions = []
    pattern = _like(search)
    if pattern:
        conditions.append(
            or_(
                func.lower(AuditLog.actor_email).like(pattern, escape="\\"),
                func.lower(AuditLog.target).like(pattern, escape="\\"),
                func.lower(AuditLog.details).like(pattern, escape="\\"),
            )
        )
    if action:
        conditions.append(AuditLog.action == action)
    if target_user_id is not None:
        conditions.append(AuditLog.target_user_id == int(target_user_id))
    if date_from is not None:
        conditions.append(AuditLog.created_at >= _day_start(date_from))
    if date_to is not None:
        conditions.append(AuditLog.created_at < _day_start(date_to + dt.timedelta(days=1)))
    total = int(session.scalar(select(func.count(AuditLog.id)).where(*conditions)) or 0)
    page, page_size = page_bounds(total, page, page_size)
    stmt = (
        select(AuditLog.id, AuditLog.created_at, AuditLog.actor_id, AuditLog.actor_email, AuditLog.action,
               AuditLog.target_user_id, AuditLog.target, AuditLog.details)
        .where(*conditions)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(tuple(AuditRow(*row) for row in session.execute(stmt)), total, page, page_size)


def list_login_log(
    session: Session,
    *,
    principal: Principal,
    email: str = "",
    user_id: int | None = None,
    outcome: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[LoginRow]:
    """Every sign-in attempt, newest first. ``outcome`` is "success", "failure", "lockout" or None."""
    require_current_admin(session, principal)
    conditions = []
    pattern = _like(email)
    if pattern:
        conditions.append(func.lower(LoginAttempt.email).like(pattern, escape="\\"))
    if user_id is not None:
        conditions.append(LoginAttempt.user_id == int(user_id))
    if outcome == "success":
        conditions.append(LoginAttempt.success.is_(True))
    elif outcome == "failure":  # a failed sign-in: not a "forgot password" request (session 22: a row of its own)
        conditions.append(LoginAttempt.success.is_(False))
        conditions.append(LoginAttempt.reason.not_in(NOT_SIGN_INS))
    elif outcome == "lockout":
        conditions.append(LoginAttempt.reason.in_(LOCKOUT_REASONS))
    elif outcome:
        raise ValidationError("The outcome must be success, failure or lockout.", field="outcome")
    if date_from is not None:
        conditions.append(LoginAttempt.created_at >= _day_start(date_from))
    if date_to is not None:
        conditions.append(LoginAttempt.created_at < _day_start(date_to + dt.timedelta(days=1)))
    if date_from and date_to and date_from > date_to:
        conditions.append(false())
    total = int(session.scalar(select(func.count(LoginAttempt.id)).where(*conditions)) or 0)
    page, page_size = page_bounds(total, page, page_size)
    stmt = (
        select(LoginAttempt.id, LoginAttempt.created_at, LoginAttempt.email, LoginAttempt.user_id,
               LoginAttempt.success, LoginAttempt.reason)
        .where(*conditions)
        .order_by(LoginAttempt.created_at.desc(), LoginAttempt.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(tuple(LoginRow(*row) for row in session.execute(stmt)), total, page, page_size)
