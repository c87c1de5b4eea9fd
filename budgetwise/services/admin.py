"""Administration: users, password reset codes, transactions oversight, global categories
and default rules, system health, the audit log and the login log.

Every public function takes ``principal=`` and calls
:func:`~budgetwise.services.auth.require_current_admin` itself (navigation hiding is not
authorization; the role is re-read from the database, not trusted from the principal). Every change writes one
:class:`~budgetwise.models.AuditLog` row (who, what, on whom, details, when) in the
same transaction as the change. Nothing here edits or deletes audit rows: there is
no function for it.

The command line acts as :func:`cli_principal`: an administrator with no account,
recorded in the audit log as ``cli@localhost`` with ``actor_id`` NULL.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Generic, TypeVar

import pandas as pd
from sqlalchemy import Select, and_, case, delete, false, func, or_, select, text, update
from sqlalchemy.orm import Session

from budgetwise import __version__, security
from budgetwise.config import Settings
from budgetwise.errors import ConflictError, NotFoundError, ValidationError
from budgetwise.models import (
    CATEGORY_KINDS,
    ROLE_ADMIN,
    ROLE_USER,
    ROLES,
    TRANSACTION_KINDS,
    AuditLog,
    Budget,
    Category,
    ImportBatch,
    LoginAttempt,
    PasswordResetToken,
    Rule,
    Transaction,
    User,
    utcnow,
)
from budgetwise.money import currency_codes, from_minor, minor_digits
from budgetwise.principal import Principal
from budgetwise.services import totp
from budgetwise.services import password_reset
from budgetwise.services.auth import normalize_email, require_current_admin, revoke_sessions, validate_name, validate_password
from budgetwise.services.exports import to_csv_bytes
from budgetwise.services.profile import delete_user_data, is_last_active_admin
from budgetwise.text import clean_text

T = TypeVar("T")

CLI_ACTOR_EMAIL = "cli@localhost"
MAX_PAGE_SIZE = 500
MAX_EXPORT_ROWS = 1_000_000
MATCH_TYPES = ("contains", "starts_with", "exact", "regex")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOCKOUT_REASONS = ("locked", "locked_now")


def cli_principal() -> Principal:
    """The command line's identity: an administrator without an account (``user_id`` 0)."""
    return Principal(user_id=0, email=CLI_ACTOR_EMAIL, name="Command line", role=ROLE_ADMIN)


def _is_cli(principal: Principal) -> bool:
    return principal.user_id <= 0


# --------------------------------------------------------------------------- shared shapes
@dataclass(frozen=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _page_bounds(total: int, page: int, page_size: int) -> tuple[int, int]:
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    pages = max(1, math.ceil(total / page_size))
    return max(1, min(int(page), pages)), page_size


def _like(value: str) -> str | None:
    """A case-insensitive LIKE pattern for a search box (wildcards in the text are literal)."""
    text_value = clean_text(value)[:100].lower()
    if not text_value:
        return None
    escaped = text_value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc)


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    *,
    target_user_id: int | None = None,
    target: str = "",
    details: str = "",
    now: dt.datetime | None = None,
) -> None:
    session.add(
        AuditLog(
            actor_id=None if _is_cli(principal) else principal.user_id,
            actor_email=CLI_ACTOR_EMAIL if _is_cli(principal) else principal.email,
            action=action,
            target_user_id=target_user_id,
            target=target[:300],
            details=details,
            created_at=now or utcnow(),
        )
    )


def _bump_all_data_versions(session: Session) -> None:
    """Global categories show up in every user's data: invalidate every user's caches."""
    session.execute(update(User).values(data_version=User.data_version + 1))


# =========================================================================== users
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
) -> Page[UserRow]:
    """Users by email, searchable by name or email, with their transaction counts.

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
    total = int(session.scalar(select(func.count(User.id)).where(*conditions)) or 0)
    page, page_size = _page_bounds(total, page, page_size)
    users = session.scalars(
        select(User).where(*conditions).order_by(User.email).limit(page_size).offset((page - 1) * page_size)
    ).all()
    counts = _transaction_counts(session, [u.id for u in users])
    return Page(tuple(_row(u, counts.get(u.id, 0), now) for u in users), total, page, page_size)


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
        raise NotFoundError(f"No user with the email {wanted!r}.")
    return _user_row(session, user.id)


def _lock_active_admins(session: Session) -> None:
    """Row-lock the active admins (PostgreSQL/MariaDB) so two admins demoting each other
    concurrently cannot both pass the last-admin check. SQLite serializes writers already."""
    session.execute(
        select(User.id).where(User.role == ROLE_ADMIN, User.is_active.is_(True)).with_for_update()
    ).all()


def _refuse_last_admin(session: Session, user: User, what: str) -> None:
    _lock_active_admins(session)
    session.refresh(user)
    if is_last_active_admin(session, user.id):
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
    clean_name = validate_name(name)
    normalized = normalize_email(email)
    if password is not None:
        validate_password(password, email=normalized, name=clean_name)
    if session.scalar(select(User.id).where(User.email == normalized)) is not None:
        raise ConflictError(f"An account with the email {normalized} already exists.", field="email")
    if (session.scalar(select(func.count(User.id))) or 0) == 0:
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
    code = None
    if password is None:
        code = password_reset.create_token(
            session, user_id=user.id, created_by_id=_issuer(principal, user.id),
            settings=settings, now=now,
        )
    _audit(
        session, principal, "user.create", target_user_id=user.id, target=user.email,
        details=f"Created {role} {clean_name!r}"
        + ("; a one-time code to choose a password was issued." if code else " with a password set by the operator."),
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
           details=f"Deleted the account with {summary.transactions} transactions and {summary.imports} imports.")
    session.flush()
    return summary


# --------------------------------------------------------------------------- reset codes
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


# =========================================================================== transactions oversight
@dataclass(frozen=True)
class OversightFilter:
    user_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: In major units (12.50), compared per currency in exact minor units (JPY 0 digits, KWD 3).
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    category_id: int | None = None
    uncategorized: bool = False
    kind: str | None = None
    text: str = ""


@dataclass(frozen=True)
class OversightRow:
    id: int
    user_id: int
    user_email: str
    date: dt.date
    description: str
    kind: str
    amount_minor: int
    currency: str
    category_name: str | None
    account: str | None
    source: str

    @property
    def signed_minor(self) -> int:
        return -self.amount_minor if self.kind == "expense" else self.amount_minor


def _currencies_by_digits() -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for code in currency_codes():
        groups.setdefault(minor_digits(code), []).append(code)
    return groups


def _amount_clause(low: Decimal | None, high: Decimal | None):
    """low <= amount <= high (either may be None) in exact minor units, whatever the row's currency.

    The bounds are scaled per currency exponent (JPY 0 digits, USD 2, KWD 3) inside one
    CASE whose first branch catches the two-digit currencies, the vast majority, with a
    single IN test per row.
    """
    groups = _currencies_by_digits()
    others = sorted(c for digits, codes in groups.items() if digits != 2 for c in codes)

    def within(digits: int):
        parts = []
        if low is not None:
            parts.append(Transaction.amount_minor >= int(low.scaleb(digits).to_integral_value(rounding=ROUND_CEILING)))
        if high is not None:
            parts.append(Transaction.amount_minor <= int(high.scaleb(digits).to_integral_value(rounding=ROUND_FLOOR)))
        return and_(*parts)

    branches = [(Transaction.currency.not_in(others), within(2))]
    branches += [(Transaction.currency.in_(codes), within(d)) for d, codes in sorted(groups.items()) if d != 2]
    return case(*branches, else_=false())


def _check_amount(value: Decimal | None, label: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except Exception:  # noqa: BLE001
        raise ValidationError(f"The {label} amount is not a number.", field="amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"The {label} amount must be zero or more.", field="amount")
    return amount


def _oversight_where(stmt: Select, flt: OversightFilter) -> Select:
    if flt.user_id is not None:
        stmt = stmt.where(Transaction.user_id == int(flt.user_id))
    if flt.date_from is not None:
        stmt = stmt.where(Transaction.date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(Transaction.date <= flt.date_to)
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise ValidationError("The start date is after the end date.", field="date")
    low = _check_amount(flt.min_amount, "minimum")
    high = _check_amount(flt.max_amount, "maximum")
    if low is not None and high is not None and low > high:
        raise ValidationError("The minimum amount is larger than the maximum amount.", field="amount")
    if low is not None or high is not None:
        stmt = stmt.where(_amount_clause(low, high))
    if flt.category_id is not None and flt.uncategorized:
        stmt = stmt.where(or_(Transaction.category_id == int(flt.category_id), Transaction.category_id.is_(None)))
    elif flt.category_id is not None:
        stmt = stmt.where(Transaction.category_id == int(flt.category_id))
    elif flt.uncategorized:
        stmt = stmt.where(Transaction.category_id.is_(None))
    if flt.kind:
        if flt.kind not in TRANSACTION_KINDS:
            raise ValidationError("The type must be income or expense.", field="type")
        stmt = stmt.where(Transaction.kind == flt.kind)
    pattern = _like(flt.text)
    if pattern:
        stmt = stmt.where(func.lower(Transaction.description).like(pattern, escape="\\"))
    return stmt


def _oversight_select() -> Select:
    return (
        select(
            Transaction.id, Transaction.user_id, User.email, Transaction.date, Transaction.description,
            Transaction.kind, Transaction.amount_minor, Transaction.currency, Category.name,
            Transaction.account, Transaction.source,
        )
        .join(User, User.id == Transaction.user_id)
        .outerjoin(Category, Category.id == Transaction.category_id)
    )


def list_all_transactions(
    session: Session,
    *,
    principal: Principal,
    filters: OversightFilter | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[OversightRow]:
    """Every user's transactions (read-only), newest first, filtered and paginated."""
    require_current_admin(session, principal)
    flt = filters or OversightFilter()
    total = int(session.scalar(_oversight_where(select(func.count(Transaction.id)), flt)) or 0)
    page, page_size = _page_bounds(total, page, page_size)
    stmt = (
        _oversight_where(_oversight_select(), flt)
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(tuple(OversightRow(*row) for row in session.execute(stmt)), total, page, page_size)


OVERSIGHT_EXPORT_COLUMNS = ["id", "user", "date", "description", "type", "amount", "currency", "category", "account", "source"]


def export_all_transactions_csv(
    session: Session, *, principal: Principal, filters: OversightFilter | None = None
) -> bytes:
    """The filtered transactions of every user as CSV (exact amounts as text; formulas neutralized)."""
    require_current_admin(session, principal)
    flt = filters or OversightFilter()
    stmt = _oversight_where(_oversight_select(), flt).order_by(Transaction.date, Transaction.id).limit(MAX_EXPORT_ROWS)
    records = [
        {
            "id": r.id,
            "user": r.user_email,
            "date": r.date.isoformat(),
            "description": r.description,
            "type": r.kind,
            "amount": format(from_minor(r.amount_minor, r.currency), "f"),
            "currency": r.currency,
            "category": r.category_name or "",
            "account": r.account or "",
            "source": r.source,
        }
        for r in (OversightRow(*row) for row in session.execute(stmt))
    ]
    frame = pd.DataFrame.from_records(records, columns=OVERSIGHT_EXPORT_COLUMNS)
    _audit(session, principal, "transactions.export",
           target_user_id=flt.user_id, target=f"user #{flt.user_id}" if flt.user_id else "all users",
           details=f"Exported {len(frame)} transactions as CSV ({_describe_filter(flt)}).")
    session.flush()
    return to_csv_bytes(frame)


def _describe_filter(flt: OversightFilter) -> str:
    parts = []
    for name in ("user_id", "date_from", "date_to", "min_amount", "max_amount", "category_id", "kind", "text"):
        value = getattr(flt, name)
        if value not in (None, ""):
            parts.append(f"{name}={value}")
    if flt.uncategorized:
        parts.append("uncategorized")
    return ", ".join(parts) or "no filter"


# =========================================================================== global categories & rules
@dataclass(frozen=True)
class GlobalCategory:
    id: int
    name: str
    kind: str
    color: str
    is_archived: bool
    transaction_count: int
    rule_count: int


def _global_category(session: Session, category_id: int) -> Category:
    cat = session.scalar(select(Category).where(Category.id == int(category_id), Category.user_id.is_(None)))
    if cat is None:
        raise NotFoundError(f"Global category {category_id} does not exist.", field="category")
    return cat


def _check_category_name(session: Session, name: str, *, exclude_id: int | None = None) -> str:
    value = clean_text(name)
    if not value:
        raise ValidationError("Enter a category name.", field="name")
    if len(value) > 60:
        raise ValidationError("The category name is too long (60 characters at most).", field="name")
    stmt = select(Category.id).where(Category.user_id.is_(None), func.lower(Category.name) == value.lower())
    if exclude_id is not None:
        stmt = stmt.where(Category.id != exclude_id)
    if session.scalar(stmt) is not None:
        raise ConflictError(f"A global category named {value!r} already exists.", field="name")
    return value


def _check_color(color: str) -> str:
    value = (color or "").strip()
    if not _COLOR.match(value):
        raise ValidationError(f"{color!r} is not a colour like #4caf50.", field="color")
    return value.lower()


def _global_categories(session: Session, *, include_archived: bool = True, ids: Sequence[int] | None = None) -> list[GlobalCategory]:
    stmt = select(Category).where(Category.user_id.is_(None))
    if not include_archived:
        stmt = stmt.where(Category.is_archived.is_(False))
    if ids is not None:
        stmt = stmt.where(Category.id.in_(list(ids)))
    cats = session.scalars(stmt.order_by(Category.kind, Category.name)).all()
    found = [c.id for c in cats]
    txn_counts: dict[int, int] = {}
    rule_counts: dict[int, int] = {}
    if found:
        txn_counts = dict(
            session.execute(
                select(Transaction.category_id, func.count(Transaction.id))
                .where(Transaction.category_id.in_(found))
                .group_by(Transaction.category_id)
            ).all()
        )
        rule_counts = dict(
            session.execute(
                select(Rule.category_id, func.count(Rule.id)).where(Rule.category_id.in_(found)).group_by(Rule.category_id)
            ).all()
        )
    return [
        GlobalCategory(
            c.id, c.name, c.kind, c.color, c.is_archived, int(txn_counts.get(c.id, 0)), int(rule_counts.get(c.id, 0))
        )
        for c in cats
    ]


def list_global_categories(
    session: Session, *, principal: Principal, include_archived: bool = True
) -> list[GlobalCategory]:
    """The default categories every user shares, with how many transactions and rules use them."""
    require_current_admin(session, principal)
    return _global_categories(session, include_archived=include_archived)


def _category_view(session: Session, cat: Category) -> GlobalCategory:
    return _global_categories(session, ids=[cat.id])[0]


def create_global_category(
    session: Session, *, principal: Principal, name: str, kind: str, color: str = "#8c8c8c"
) -> GlobalCategory:
    require_current_admin(session, principal)
    if kind not in CATEGORY_KINDS:
        raise ValidationError("The kind must be expense, income or transfer.", field="kind")
    cat = Category(user_id=None, name=_check_category_name(session, name), kind=kind, color=_check_color(color))
    session.add(cat)
    session.flush()
    _bump_all_data_versions(session)
    _audit(session, principal, "category.create", target=f"category #{cat.id} {cat.name!r}",
           details=f"Created global {kind} category {cat.name!r}.")
    session.flush()
    return _category_view(session, cat)


def rename_global_category(session: Session, *, principal: Principal, category_id: int, name: str) -> GlobalCategory:
    """Rename a default category; every transaction, rule and budget keeps pointing at it."""
    require_current_admin(session, principal)
    cat = _global_category(session, category_id)
    new_name = _check_category_name(session, name, exclude_id=cat.id)
    old_name = cat.name
    if new_name != old_name:
        cat.name = new_name
        cat.updated_at = utcnow()
        _bump_all_data_versions(session)
        _audit(session, principal, "category.rename", target=f"category #{cat.id} {new_name!r}",
               details=f"Renamed {old_name!r} to {new_name!r}.")
        session.flush()
    return _category_view(session, cat)


def set_global_category_color(session: Session, *, principal: Principal, category_id: int, color: str) -> GlobalCategory:
    require_current_admin(session, principal)
    cat = _global_category(session, category_id)
    value = _check_color(color)
    if value != cat.color:
        old = cat.color
        cat.color = value
        cat.updated_at = utcnow()
        _bump_all_data_versions(session)
        _audit(session, principal, "category.color", target=f"category #{cat.id} {cat.name!r}",
               details=f"Colour changed from {old} to {value}.")
        session.flush()
    return _category_view(session, cat)


def archive_global_category(
    session: Session, *, principal: Principal, category_id: int, archived: bool = True
) -> GlobalCategory:
    """Hide a default category from the category pickers (or show it again).

    Existing transactions, rules and budgets keep it, so history and reports do not change.
    """
    require_current_admin(session, principal)
    cat = _global_category(session, category_id)
    if cat.is_archived != archived:
        cat.is_archived = archived
        cat.updated_at = utcnow()
        _bump_all_data_versions(session)
        _audit(session, principal, "category.archive" if archived else "category.unarchive",
               target=f"category #{cat.id} {cat.name!r}",
               details=("Archived" if archived else "Restored") + f" the global category {cat.name!r}.")
        session.flush()
    return _category_view(session, cat)


@dataclass(frozen=True)
class MergeResult:
    source_name: str
    target: GlobalCategory
    transactions: int
    rules: int
    budgets_moved: int
    budgets_combined: int
    users_affected: int


def merge_global_categories(
    session: Session, *, principal: Principal, source_id: int, target_id: int
) -> MergeResult:
    """Merge ``source`` into ``target`` (two global categories of the same kind) for every user.

    In the caller's one transaction: every user's transactions and rules (default and
    personal) that use ``source`` are re-pointed at ``target``; budgets move too, and
    where a user already budgets ``target`` for the same month the two amounts are
    added up (same currency) so the month's total budget does not change. Then
    ``source`` is deleted. Hand-set categories stay hand-set.
    """
    require_current_admin(session, principal)
    if int(source_id) == int(target_id):
        raise ValidationError("Choose two different categories to merge.", field="category")
    source = _global_category(session, source_id)
    target = _global_category(session, target_id)
    if source.kind != target.kind:
        raise ValidationError(
            f"{source.name!r} is an {source.kind} category and {target.name!r} an {target.kind} category: "
            "only categories of the same kind can be merged (it would change income and spending totals).",
            field="category",
        )
    affected = set(
        session.scalars(select(Transaction.user_id).where(Transaction.category_id == source.id).distinct()).all()
    )
    affected |= set(session.scalars(select(Budget.user_id).where(Budget.category_id == source.id).distinct()).all())
    # Budgets first: (user, category, month) is unique.
    combined = 0
    for src_budget in session.scalars(select(Budget).where(Budget.category_id == source.id)).all():
        twin = session.scalar(
            select(Budget).where(
                Budget.user_id == src_budget.user_id, Budget.category_id == target.id, Budget.month == src_budget.month
            )
        )
        if twin is None:
            continue
        if twin.currency == src_budget.currency:
            twin.amount_minor += src_budget.amount_minor
            twin.updated_at = utcnow()
        session.delete(src_budget)
        combined += 1
    session.flush()
    moved_budgets = session.execute(
        update(Budget).where(Budget.category_id == source.id).values(category_id=target.id, updated_at=utcnow())
    ).rowcount or 0
    moved_txns = session.execute(
        update(Transaction)
        .where(Transaction.category_id == source.id)
        .values(category_id=target.id, updated_at=utcnow())
    ).rowcount or 0
    moved_rules = session.execute(
        update(Rule).where(Rule.category_id == source.id).values(category_id=target.id, updated_at=utcnow())
    ).rowcount or 0
    source_name = source.name
    session.execute(delete(Category).where(Category.id == source.id))
    _bump_all_data_versions(session)
    _audit(
        session, principal, "category.merge", target=f"category #{target.id} {target.name!r}",
        details=(
            f"Merged {source_name!r} (#{source_id}) into {target.name!r} (#{target.id}): "
            f"{moved_txns} transactions, {moved_rules} rules and {moved_budgets} budgets re-pointed, "
            f"{combined} budgets combined, {len(affected)} users affected."
        ),
    )
    session.flush()
    session.expire_all()
    return MergeResult(
        source_name=source_name,
        target=_category_view(session, _global_category(session, target.id)),
        transactions=int(moved_txns),
        rules=int(moved_rules),
        budgets_moved=int(moved_budgets),
        budgets_combined=combined,
        users_affected=len(affected),
    )


@dataclass(frozen=True)
class GlobalRule:
    id: int
    name: str
    category_id: int
    category_name: str
    priority: int
    match_type: str
    pattern: str
    kind: str | None
    is_active: bool


def _rule_view(rule: Rule, category_name: str) -> GlobalRule:
    return GlobalRule(
        rule.id, rule.name, rule.category_id, category_name, rule.priority, rule.match_type, rule.pattern,
        rule.kind, rule.is_active,
    )


def list_global_rules(session: Session, *, principal: Principal) -> list[GlobalRule]:
    """The default rules every user's transactions fall back on, in the order they run."""
    require_current_admin(session, principal)
    stmt = (
        select(Rule, Category.name)
        .join(Category, Category.id == Rule.category_id)
        .where(Rule.user_id.is_(None))
        .order_by(Rule.priority, Rule.id)
    )
    return [_rule_view(rule, name) for rule, name in session.execute(stmt)]


def _global_rule(session: Session, rule_id: int) -> Rule:
    rule = session.scalar(select(Rule).where(Rule.id == int(rule_id), Rule.user_id.is_(None)))
    if rule is None:
        raise NotFoundError(f"Default rule {rule_id} does not exist.", field="rule")
    return rule


def _check_rule_fields(match_type: str, pattern: str, priority: int, kind: str | None) -> tuple[str, str, int, str | None]:
    if match_type not in MATCH_TYPES:
        raise ValidationError("The match type must be contains, starts_with, exact or regex.", field="match_type")
    value = clean_text(pattern)
    if not value:
        raise ValidationError("Enter the text the rule looks for.", field="pattern")
    if len(value) > 500:
        raise ValidationError("The pattern is too long (500 characters at most).", field="pattern")
    if match_type == "regex":
        from budgetwise.services.categorize import compile_regex

        compile_regex(value, max_length=500)  # refuses invalid, slow or catastrophic patterns (ValidationError)
    try:
        prio = int(priority)
    except (TypeError, ValueError):
        raise ValidationError("The priority must be a whole number.", field="priority") from None
    if not 0 <= prio <= 100_000:
        raise ValidationError("The priority must be between 0 and 100000 (lower runs first).", field="priority")
    if kind in ("", "any"):
        kind = None
    if kind is not None and kind not in TRANSACTION_KINDS:
        raise ValidationError("The rule's type must be income, expense or any.", field="kind")
    return match_type, value, prio, kind


def create_global_rule(
    session: Session,
    *,
    principal: Principal,
    category_id: int,
    pattern: str,
    match_type: str = "contains",
    priority: int = 100,
    kind: str | None = None,
    name: str = "",
) -> GlobalRule:
    require_current_admin(session, principal)
    cat = _global_category(session, category_id)
    if cat.is_archived:
        raise ValidationError(f"{cat.name!r} is archived: restore it before adding rules for it.", field="category")
    match_type, value, prio, kind = _check_rule_fields(match_type, pattern, priority, kind)
    rule = Rule(
        user_id=None, category_id=cat.id, name=clean_text(name, max_length=100), priority=prio,
        match_type=match_type, pattern=value, kind=kind, origin="default", is_active=True,
    )
    session.add(rule)
    session.flush()
    _audit(session, principal, "rule.create", target=f"rule #{rule.id}",
           details=f"Default rule: {match_type} {value!r} -> {cat.name!r} (priority {prio}).")
    session.flush()
    return _rule_view(rule, cat.name)


def update_global_rule(
    session: Session,
    *,
    principal: Principal,
    rule_id: int,
    category_id: int | None = None,
    pattern: str | None = None,
    match_type: str | None = None,
    priority: int | None = None,
    kind: str | None = "unchanged",
    is_active: bool | None = None,
) -> GlobalRule:
    """Change fields of a default rule (``kind="unchanged"`` leaves the type filter as it is)."""
    require_current_admin(session, principal)
    rule = _global_rule(session, rule_id)
    before = _rule_view(rule, "")
    new_kind = rule.kind if kind == "unchanged" else kind
    match_type, value, prio, new_kind = _check_rule_fields(
        match_type or rule.match_type, rule.pattern if pattern is None else pattern,
        rule.priority if priority is None else priority, new_kind,
    )
    cat = _global_category(session, rule.category_id if category_id is None else category_id)
    if category_id is not None and cat.is_archived and cat.id != rule.category_id:
        raise ValidationError(f"{cat.name!r} is archived: choose another category.", field="category")
    rule.category_id, rule.match_type, rule.pattern, rule.priority, rule.kind = cat.id, match_type, value, prio, new_kind
    if is_active is not None:
        rule.is_active = bool(is_active)
    after = _rule_view(rule, cat.name)
    changes = [
        f"{f}: {getattr(before, f)!r} -> {getattr(after, f)!r}"
        for f in ("category_id", "match_type", "pattern", "priority", "kind", "is_active")
        if getattr(before, f) != getattr(after, f)
    ]
    if changes:
        rule.updated_at = utcnow()
        _audit(session, principal, "rule.update", target=f"rule #{rule.id}", details="; ".join(changes))
    session.flush()
    return after


def delete_global_rule(session: Session, *, principal: Principal, rule_id: int) -> None:
    """Delete a default rule. Transactions it categorized keep their category."""
    require_current_admin(session, principal)
    rule = _global_rule(session, rule_id)
    description = f"{rule.match_type} {rule.pattern!r} -> category #{rule.category_id}"
    session.delete(rule)  # transactions.rule_id is ON DELETE SET NULL
    _audit(session, principal, "rule.delete", target=f"rule #{rule_id}", details=f"Deleted default rule {description}.")
    session.flush()


# =========================================================================== system health
@dataclass(frozen=True)
class SystemTotals:
    users: int
    active_users: int
    disabled_users: int
    admins: int
    active_7d: int
    active_30d: int
    locked_now: int
    transactions: int
    imports: int
    pending_reset_requests: int


@dataclass(frozen=True)
class DatabaseInfo:
    backend: str
    server_version: str
    size_bytes: int | None
    schema_revision: str | None
    location: str


@dataclass(frozen=True)
class LoginRow:
    id: int
    created_at: dt.datetime
    email: str
    user_id: int | None
    success: bool
    reason: str


@dataclass(frozen=True)
class LockedAccount:
    user_id: int
    email: str
    locked_until: dt.datetime


@dataclass(frozen=True)
class SystemHealth:
    totals: SystemTotals
    database: DatabaseInfo
    app_version: str
    recent_failures: tuple[LoginRow, ...]
    locked_accounts: tuple[LockedAccount, ...]


def system_totals(session: Session, *, principal: Principal, now: dt.datetime | None = None) -> SystemTotals:
    require_current_admin(session, principal)
    now = now or utcnow()

    def count(stmt) -> int:
        return int(session.scalar(stmt) or 0)

    users = select(func.count(User.id))
    return SystemTotals(
        users=count(users),
        active_users=count(users.where(User.is_active.is_(True))),
        disabled_users=count(users.where(User.is_active.is_(False))),
        admins=count(users.where(User.role == ROLE_ADMIN, User.is_active.is_(True))),
        # last_login_at is the latest successful sign-in (every success is also a LoginAttempt row).
        active_7d=count(users.where(User.last_login_at >= now - dt.timedelta(days=7))),
        active_30d=count(users.where(User.last_login_at >= now - dt.timedelta(days=30))),
        locked_now=count(users.where(User.locked_until > now)),
        transactions=count(select(func.count(Transaction.id))),
        imports=count(select(func.count(ImportBatch.id)).where(ImportBatch.status == "committed")),
        pending_reset_requests=len(pending_reset_requests(session, principal=principal, now=now)),
    )


def logins_per_day(
    session: Session, *, principal: Principal, days: int = 30, now: dt.datetime | None = None
) -> pd.DataFrame:
    """Successful and failed sign-ins per UTC day, zero-filled (columns: day, successful, failed)."""
    require_current_admin(session, principal)
    now = now or utcnow()
    days = max(1, min(int(days), 366))
    first = now.date() - dt.timedelta(days=days - 1)
    day_expr = func.date(LoginAttempt.created_at)
    stmt = (
        select(day_expr, LoginAttempt.success, func.count(LoginAttempt.id))
        .where(LoginAttempt.created_at >= _day_start(first))
        .group_by(day_expr, LoginAttempt.success)
    )
    counts: dict[tuple[dt.date, bool], int] = {}
    for day, success, n in session.execute(stmt):
        key = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
        counts[(key, bool(success))] = counts.get((key, bool(success)), 0) + int(n)
    index = [first + dt.timedelta(days=i) for i in range(days)]
    return pd.DataFrame(
        {
            "day": pd.to_datetime(index),
            "successful": [counts.get((d, True), 0) for d in index],
            "failed": [counts.get((d, False), 0) for d in index],
        }
    )


def database_info(session: Session, *, principal: Principal) -> DatabaseInfo:
    """Backend, server version, size on disk and Alembic revision of the database in use."""
    require_current_admin(session, principal)
    bind = session.get_bind()
    engine = bind.engine
    name = engine.dialect.name
    size: int | None = None
    location = engine.url.render_as_string(hide_password=True)
    if name == "sqlite":
        version = str(session.scalar(text("select sqlite_version()")))
        path = engine.url.database or ""
        if path and path != ":memory:" and os.path.exists(path):
            size = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        else:
            pages = session.scalar(text("pragma page_count")) or 0
            page_size = session.scalar(text("pragma page_size")) or 0
            size = int(pages) * int(page_size)
        backend = "SQLite"
    elif name == "postgresql":
        version = str(session.scalar(text("show server_version")))
        size = int(session.scalar(text("select pg_database_size(current_database())")) or 0)
        backend = "PostgreSQL"
    elif name in ("mysql", "mariadb"):
        version = str(session.scalar(text("select version()")))
        size = int(
            session.scalar(
                text(
                    "select coalesce(sum(data_length + index_length), 0) from information_schema.tables "
                    "where table_schema = database()"
                )
            )
            or 0
        )
        backend = "MariaDB" if "mariadb" in version.lower() else "MySQL"
    else:  # pragma: no cover - make_engine refuses other backends
        version, backend = "", name
    from alembic.runtime.migration import MigrationContext

    revision = MigrationContext.configure(session.connection()).get_current_revision()
    return DatabaseInfo(backend=backend, server_version=version, size_bytes=size, schema_revision=revision, location=location)


def recent_failed_logins(session: Session, *, principal: Principal, limit: int = 20) -> list[LoginRow]:
    require_current_admin(session, principal)
    stmt = (
        select(LoginAttempt.id, LoginAttempt.created_at, LoginAttempt.email, LoginAttempt.user_id,
               LoginAttempt.success, LoginAttempt.reason)
        .where(LoginAttempt.success.is_(False))
        .order_by(LoginAttempt.created_at.desc(), LoginAttempt.id.desc())
        .limit(max(1, min(int(limit), 500)))
    )
    return [LoginRow(*row) for row in session.execute(stmt)]


def locked_accounts(session: Session, *, principal: Principal, now: dt.datetime | None = None) -> list[LockedAccount]:
    require_current_admin(session, principal)
    now = now or utcnow()
    stmt = select(User.id, User.email, User.locked_until).where(User.locked_until > now).order_by(User.locked_until)
    return [LockedAccount(*row) for row in session.execute(stmt)]


def system_health(session: Session, *, principal: Principal, now: dt.datetime | None = None) -> SystemHealth:
    require_current_admin(session, principal)
    return SystemHealth(
        totals=system_totals(session, principal=principal, now=now),
        database=database_info(session, principal=principal),
        app_version=__version__,
        recent_failures=tuple(recent_failed_logins(session, principal=principal)),
        locked_accounts=tuple(locked_accounts(session, principal=principal, now=now)),
    )


# =========================================================================== audit & login logs
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
    page, page_size = _page_bounds(total, page, page_size)
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
    elif outcome == "failure":
        conditions.append(LoginAttempt.success.is_(False))
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
    page, page_size = _page_bounds(total, page, page_size)
    stmt = (
        select(LoginAttempt.id, LoginAttempt.created_at, LoginAttempt.email, LoginAttempt.user_id,
               LoginAttempt.success, LoginAttempt.reason)
        .where(*conditions)
        .order_by(LoginAttempt.created_at.desc(), LoginAttempt.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return Page(tuple(LoginRow(*row) for row in session.execute(stmt)), total, page, page_size)


def user_choices(session: Session, *, principal: Principal, limit: int = 1000) -> list[tuple[int, str]]:
    """(id, email) of users for filter pickers, by email."""
    require_current_admin(session, principal)
    return [(int(i), e) for i, e in session.execute(select(User.id, User.email).order_by(User.email).limit(limit))]


def category_choices(session: Session, *, principal: Principal, user_id: int | None = None) -> list[tuple[int, str]]:
    """(id, label) of the global categories, plus the chosen user's own ones, for filter pickers."""
    require_current_admin(session, principal)
    cond = Category.user_id.is_(None)
    if user_id is not None:
        cond = or_(cond, Category.user_id == int(user_id))
    rows = session.execute(select(Category.id, Category.name, Category.user_id).where(cond).order_by(Category.name))
    return [(int(i), name if uid is None else f"{name} (own)") for i, name, uid in rows]
