"""System health: totals, logins per day, database information, failed logins, locked accounts."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, not_, select, text
from sqlalchemy.orm import Session

from budgetwise import __version__
from budgetwise.models import ROLE_ADMIN, ImportBatch, LoginAttempt, Transaction, User, utcnow
from budgetwise.principal import Principal
from budgetwise.services.admin.common import _day_start
from budgetwise.services.admin.reset_codes import pending_reset_requests
from budgetwise.services.auth import (
    EVENT_REASONS,
    REGISTER_LIMIT,
    REGISTER_TAKEN,
    require_current_admin,
    visitor_email_clause,
)
from budgetwise.services.password_reset import RESET_REQUESTED

SIGN_UP_REASONS = (REGISTER_TAKEN, REGISTER_LIMIT)  # refused "Create account"s: shown as sign-ups, not failed sign-ins
NOT_SIGN_INS = (*EVENT_REASONS, RESET_REQUESTED)  # rows of the sign-in log that are no sign-in (the Login log lists them)


@dataclass(frozen=True)
class SystemTotals:
    users: int  # real users: every count about users below leaves demo mode's visitor accounts out
    active_users: int
    disabled_users: int
    admins: int
    active_7d: int
    active_30d: int
    locked_now: int
    transactions: int
    imports: int
    pending_reset_requests: int
    demo_accounts: int = 0  # demo mode's temporary visitor accounts, counted apart


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

    @property
    def sign_up(self) -> bool:
        """A refused "Create account" (address taken, registrations a day), not a sign-in."""
        return self.reason in SIGN_UP_REASONS


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

    users = select(func.count(User.id)).where(not_(visitor_email_clause()))
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
        demo_accounts=count(select(func.count(User.id)).where(visitor_email_clause())),
    )


def logins_per_day(
    session: Session, *, principal: Principal, days: int = 30, now: dt.datetime | None = None
) -> pd.DataFrame:
    """Successful and failed sign-ins per UTC day, zero-filled (columns: day, successful, failed,
    refused sign-ups): a refused "Create account" is counted apart, not as a failed sign-in."""
    require_current_admin(session, principal)
    now = now or utcnow()
    days = max(1, min(int(days), 366))
    first = now.date() - dt.timedelta(days=days - 1)
    day_expr = func.date(LoginAttempt.created_at)
    stmt = (
        select(day_expr, LoginAttempt.success, LoginAttempt.reason, func.count(LoginAttempt.id))
        .where(LoginAttempt.created_at >= _day_start(first), LoginAttempt.reason.not_in(NOT_SIGN_INS))
        .group_by(day_expr, LoginAttempt.success, LoginAttempt.reason)
    )
    counts: dict[tuple[dt.date, str], int] = {}
    for day, success, reason, n in session.execute(stmt):
        key = (day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10]),
               "signup" if reason in SIGN_UP_REASONS else "ok" if success else "failed")
        counts[key] = counts.get(key, 0) + int(n)
    index = [first + dt.timedelta(days=i) for i in range(days)]
    return pd.DataFrame(
        {
            "day": pd.to_datetime(index),
            "successful": [counts.get((d, "ok"), 0) for d in index],
            "failed": [counts.get((d, "failed"), 0) for d in index],
            "refused sign-ups": [counts.get((d, "signup"), 0) for d in index],
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
    """The newest failed attempts, refused sign-ups among them (:attr:`LoginRow.sign_up` tells them apart)."""
    require_current_admin(session, principal)
    stmt = (
        select(LoginAttempt.id, LoginAttempt.created_at, LoginAttempt.email, LoginAttempt.user_id,
               LoginAttempt.success, LoginAttempt.reason)
        .where(LoginAttempt.success.is_(False), LoginAttempt.reason.not_in(NOT_SIGN_INS))
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
