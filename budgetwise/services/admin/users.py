"""Users: list, find, create, disable/enable, promote/demote, unlock, reset 2FA, delete.

The last active administrator can never be disabled, demoted or deleted (active admins are
locked first, so two concurrent demotions cannot both succeed); an admin never acts on
themselves where that would lock them out.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, not_, or_, select
from sqlalchemy.orm import Session

from budgetwise import security
from budgetwise.config import Settings
from budgetwise.errors import ConflictError, NotFoundError, ValidationError
from budgetwise.models import ROLE_ADMIN, ROLE_USER, ROLES, ImportBatch, Transaction, User, utcnow
from budgetwise.names import quoted
from budgetwise.paging import page_bounds
from budgetwise.principal import Principal
from budgetwise.services import password_reset, totp
from budgetwise.services.admin.common import Page, _audit, _is_cli, _like
from budgetwise.services.auth import (
    _open_default_account,
    is_demo_email,
    no_account_yet,
    normalize_email,
    require_current_admin,
    revoke_sessions,
    validate_name,
    validate_password,
    visitor_email_clause,
)
from budgetwise.services.profile import delete_user_data, lock_active_admins
from budgetwise.text import plural


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    transaction_count: int
    failed_logins: int
    locked_until: dt.datetime | None
    is_locked: bool
    two_factor: bool = False  # two-step sign-in (TOTP) is on

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN


def _user_or_404(session: Session, user_id: int) -> User:
    user = session.get(User, int(user_id))
    if user is None:
        raise NotFoundError(f"User {user_id} does not exist.")
    return user


def _transaction_counts(session: Session, user_ids: Sequence[int]) -> dict[int, int]:
    """Transaction counts of several users in one grouped query (index on user_id, date)."""
    if not user_ids:
        return {}
    stmt = (
        select(Transaction.user_id, func.count(Transaction.id))
        .where(Transaction.user_id.in_(list(user_ids)))
        .group_by(Transaction.user_id)
    )
    return {int(uid): int(n) for uid, n in session.execute(stmt)}


def _row(user: User, count: int, now: dt.datetime) -> UserRow:
    return UserRow(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        is_active=user.is_active,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        transaction_count=count,
        failed_logins=user.failed_logins,
        locked_until=user.locked_until,
        is_locked=user.locked_until is not None and user.locked_until > now,
        two_factor=bool(user.totp_enabled),
    )


def list_users(
    session: Session,
    *,
    principal: Principal,
    search: str = "",
    role: str | None = None,
    active: bool | None = None,
    page: int = 1,
    page_size: int = 25,
    now: dt.datetime | None = None,
    include_visitors: bool = False,
) -> Page[UserRow]:
    """Users by email, searchable by name or email, with their transaction counts.

    Demo mode's temporary visitor accounts (up to ``BUDGETWISE_DEMO_MAX_ACCOUNTS``) are left out
    unless ``include_visitors``: :func:`visitor_count` says how many there are.

    Two queries per page whatever its size: the page of users, then one GROUP BY
    of their transactions (no query per user).
    """
    require_current_admin(session, principal)
    now = now or utcnow()
    conditions = []
    pattern = _like(search)
    if pattern:
        conditions.append(
            or_(func.lower(User.email).like(pattern, escape="\\"), func.lower(User.name).like(pattern, escape="\\"))
        )
    if role:
        if role not in ROLES:
            raise ValidationError("The role must be user or admin.", field="role")
        conditions.append(User.role == role)
    if active is not None:
        conditions.append(User.is_active.is_(bool(active)))
    if not include_visitors:
        conditions.append(not_(visitor_email_clause()))
    total = int(session.scalar(select(func.count(User.id)).where(*conditions)) or 0)
    page, page_size = page_bounds(total, page, page_size)
    users = session.scalars(
        select(User).where(*conditions).order_by(User.email).limit(page_size).offset((page - 1) * page_size)
    ).all()
    counts = _transaction_counts(session, [u.id for u in users])
    return Page(tuple(_row(u, counts.get(u.id, 0), now) for u in users), total, page, page_size)


def visitor_count(session: Session, *, principal: Principal) -> int:
    """How many demo-mode visitor accounts exist (the ones :func:`list_users` leaves out by default)."""
    require_current_admin(session, principal)
    return int(session.scalar(select(func.count(User.id)).where(visitor_email_clause())) or 0)


def get_user(session: Session, *, principal: Principal, user_id: int, now: dt.datetime | None = None) -> UserRow:
    require_current_admin(session, principal)
    return _user_row(session, user_id, now)


def _user_row(session: Session, user_id: int, now: dt.datetime | None = None) -> UserRow:
    """The row an action returns (the caller was checked before the action: an admin who
    just demoted themself still gets the result of that action)."""
    user = _user_or_404(session, user_id)
    return _row(user, _transaction_counts(session, [user.id]).get(user.id, 0), now or utcnow())


def find_user(session: Session, *, principal: Principal, email: str) -> UserRow:
    """A user by email (any case); NotFoundError if there is none."""
    require_current_admin(session, principal)
    wanted = (email or "").strip().lower()
    user = session.scalar(select(User).where(User.email == wanted))
    if user is None:
        raise NotFoundError(f"No user with the email {quoted(wanted)}.")
    return _user_row(session, user.id)


def _refuse_last_admin(session: Session, user: User, what: str) -> None:
    """Counted from the locked rows themselves (``profile.lock_active_admins``): a plain count after the lock read
    MariaDB's older snapshot, and two admins demoting each other both passed (session 23)."""
    if lock_active_admins(session) == [user.id]:
        raise ValidationError(
            f"{user.email} is the last active administrator and cannot be {what}: "
            "promote another active user to administrator first."
        )


def _issuer(principal: Principal, user_id: int) -> int | None:
    """``PasswordResetToken.created_by_id`` for a code an administrator issues.

    The user's own id there marks a self-service "forgot password" request, so a code
    the CLI issues, or an administrator issues for their own account, is stored with
    NULL (the audit log records who issued it).
    """
    return None if _is_cli(principal) or principal.user_id == user_id else principal.user_id


def _refuse_self(principal: Principal, user: User, what: str) -> None:
    if not _is_cli(principal) and principal.user_id == user.id:
        raise ValidationError(f"You cannot {what} your own account from the admin page.")


def create_user(
    session: Session,
    *,
    principal: Principal,
    email: str,
    name: str,
    settings: Settings,
    role: str = ROLE_USER,
    password: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[UserRow, password_reset.ResetCode | None]:
    """Create an account.

    Without ``password`` (the admin page) the account gets a random password nobody
    knows and a one-time reset code is returned for the new user to choose their own:
    an administrator never learns a user's password. The command line passes the
    password its operator typed. The very first account is always an administrator.
    """
    require_current_admin(session, principal)
    now = now or utcnow()
    if role not in ROLES:
        raise ValidationError("The role must be user or admin.", field="role")
    clean_name = validate_name(name, missing="Enter the new user's name.")  # not "your name" (session 19)
    normalized = normalize_email(email)
    if password is not None:
        validate_password(password, email=normalized, name=clean_name)
    if session.scalar(select(User.id).where(User.email == normalized)) is not None:
        raise ConflictError(f"An account with the email {normalized} already exists.", field="email")
    if no_account_yet(session) and not is_demo_email(normalized):  # demo accounts do not count (README)
        role = ROLE_ADMIN
    user = User(
        email=normalized,
        name=clean_name,
        password_hash=security.hash_password(
            password if password is not None else secrets.token_urlsafe(32), rounds=settings.bcrypt_rounds
        ),
        role=role,
        currency=settings.default_currency,
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    _open_default_account(session, user.id)
    code = None
    if password is None:
        code = password_reset.create_token(
            session, user_id=user.id, created_by_id=_issuer(principal, user.id),
            settings=settings, now=now, new_account=True,
        )
    _audit(
        session, principal, "user.create", target_user_id=user.id, target=user.email,
        details=f"Created {role} {clean_name!r}"
        + (f"; a one-time code to choose a password was issued, valid until {code.expires_at:%Y-%m-%d %H:%M} UTC."
           if code else " with a password set by the operator."),
        now=now,
    )
    session.flush()
    return _row(user, 0, now), code


def disable_user(session: Session, *, principal: Principal, user_id: int) -> UserRow:
    """Disable an account: it cannot sign in, and its open sessions end at their next rerun."""
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    _refuse_self(principal, user, "disable")
    if user.is_active:
        _refuse_last_admin(session, user, "disabled")
        user.is_active = False
        user.updated_at = utcnow()
        revoke_sessions(session, user_id=user.id)  # also kills "stay signed in" cookies
        _audit(session, principal, "user.disable", target_user_id=user.id, target=user.email,
               details="Account disabled; every session was signed out.")
        session.flush()
    return _user_row(session, user.id)


def enable_user(session: Session, *, principal: Principal, user_id: int) -> UserRow:
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    if not user.is_active:
        user.is_active = True
        user.updated_at = utcnow()
        _audit(session, principal, "user.enable", target_user_id=user.id, target=user.email, details="Account enabled.")
        session.flush()
    return _user_row(session, user.id)


def promote_user(session: Session, *, principal: Principal, user_id: int) -> UserRow:
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    if user.role != ROLE_ADMIN:
        user.role = ROLE_ADMIN
        user.updated_at = utcnow()
        _audit(session, principal, "user.promote", target_user_id=user.id, target=user.email,
               details="Role changed from user to admin.")
        session.flush()
    return _user_row(session, user.id)


def demote_user(session: Session, *, principal: Principal, user_id: int) -> UserRow:
    """Make an administrator a regular user (never the last active administrator).

    The role is read from the database on every rerun, so the change takes effect at
    the demoted admin's next interaction.
    """
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    if user.role == ROLE_ADMIN:
        _refuse_last_admin(session, user, "demoted")
        user.role = ROLE_USER
        user.updated_at = utcnow()
        _audit(session, principal, "user.demote", target_user_id=user.id, target=user.email,
               details="Role changed from admin to user.")
        session.flush()
    return _user_row(session, user.id)


def unlock_user(session: Session, *, principal: Principal, user_id: int, now: dt.datetime | None = None) -> UserRow:
    """Lift a lockout after too many failed sign-ins and reset the failure counter."""
    require_current_admin(session, principal)
    now = now or utcnow()
    user = _user_or_404(session, user_id)
    was_locked = user.locked_until is not None and user.locked_until > now
    user.locked_until = None
    user.failed_logins = 0
    user.updated_at = now
    _audit(session, principal, "user.unlock", target_user_id=user.id, target=user.email,
           details="Lockout lifted." if was_locked else "Failed sign-in counter reset (the account was not locked).",
           now=now)
    session.flush()
    return _user_row(session, user.id, now)


def reset_two_factor(session: Session, *, principal: Principal, user_id: int) -> UserRow:
    """Turn off a user's two-step sign-in (they lost the device and their recovery codes).

    The authenticator secret and every recovery code are deleted; the user signs in with
    the password alone and can set two-step sign-in up again on their profile. Open
    sessions are ended, so whoever holds one must sign in again. Recorded in the audit log.
    """
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    if user.totp_enabled:
        totp.admin_reset(session, user_id=user.id)
        user.updated_at = utcnow()
        revoke_sessions(session, user_id=user.id)
        _audit(session, principal, "user.reset_2fa", target_user_id=user.id, target=user.email,
               details="Two-step sign-in turned off; recovery codes deleted; every session was signed out.")
        session.flush()
    return _user_row(session, user.id)


@dataclass(frozen=True)
class DeletionSummary:
    user_id: int
    email: str
    transactions: int
    imports: int


def deletion_preview(session: Session, *, principal: Principal, user_id: int) -> DeletionSummary:
    """What deleting this user would remove (shown before the admin confirms)."""
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    imports = session.scalar(select(func.count(ImportBatch.id)).where(ImportBatch.user_id == user.id)) or 0
    return DeletionSummary(
        user.id, user.email, _transaction_counts(session, [user.id]).get(user.id, 0), int(imports)
    )


def delete_user(session: Session, *, principal: Principal, user_id: int, confirm_email: str) -> DeletionSummary:
    """Delete the user and everything they own, once ``confirm_email`` matches their email."""
    require_current_admin(session, principal)
    user = _user_or_404(session, user_id)
    _refuse_self(principal, user, "delete")
    if (confirm_email or "").strip().lower() != user.email:
        raise ValidationError(
            f"Type the user's email address exactly ({user.email}) to confirm the deletion.", field="confirm_email"
        )
    _refuse_last_admin(session, user, "deleted")
    summary = deletion_preview(session, principal=principal, user_id=user.id)
    delete_user_data(session, user.id)
    _audit(session, principal, "user.delete", target_user_id=summary.user_id, target=summary.email,
           details=f"Deleted the account with {plural(summary.transactions, 'transaction')} and "
                   f"{plural(summary.imports, 'import')}.")
    session.flush()
    return summary
