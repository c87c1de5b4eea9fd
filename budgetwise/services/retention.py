"""How long sign-in records are kept: old sign-in log rows and expired "stay signed in" records are purged.

The sign-in log (``login_attempts``: emails, outcomes, keyed hashes of client addresses) and ``remember_tokens``
grew forever (session 21 review). What still reads them:

* the per-account lockout, the per-client failure throttle and the unknown-email lockout: the lockout window
  (``BUDGETWISE_LOCKOUT_MINUTES``, at most a day);
* new accounts a day per client: 24 hours; demo accounts an hour: an hour; a client's live demo accounts: their
  ``demo_created`` rows, while the account lives (``BUDGETWISE_DEMO_HOURS``, at most 30 days);
* a "known client" that keeps its allowance on a locked account: its successful sign-ins of the last
  :data:`auth.KNOWN_CLIENT_DAYS` (90) days, the longest rule;
* the admin's health page (30 days of sign-ins) and sign-in log, and a user's data export.

So the log keeps :data:`SIGN_IN_LOG_DAYS` (the known-client period) and nothing older. A "stay signed in"
record past its ``expires_at`` is refused anyway (and its cookie's signed token has expired with it), so it goes.
The audit log (``audit_log``) is not touched. Each call deletes at most ``limit`` rows of each table (oldest
first), so it can run on a request: every sign-in attempt writes one row and purges up to
:data:`PER_ATTEMPT` old ones, and start-up runs :data:`AT_START`. Within the 90 days each client's rows are bounded
too, not left to grow with its request rate (``client_throttle.bound_rows``, session 29, sec29).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from budgetwise.models import LoginAttempt, RememberToken, utcnow

SIGN_IN_LOG_DAYS = 90  # = auth.KNOWN_CLIENT_DAYS (the longest read of the log); tests check they agree
PER_ATTEMPT = 20  # old rows purged with each sign-in row written: more than it adds, so the log cannot grow
AT_START = 10_000


@dataclass(frozen=True)
class Purged:
    sign_in_rows: int
    remember_tokens: int


def purge_old_sign_in_records(session: Session, *, now: dt.datetime | None = None, limit: int = PER_ATTEMPT) -> Purged:
    """Delete up to ``limit`` sign-in log rows older than :data:`SIGN_IN_LOG_DAYS` and up to ``limit`` expired
    "stay signed in" records, oldest first (both by an indexed column). How many went."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=SIGN_IN_LOG_DAYS)
    old = list(session.scalars(
        select(LoginAttempt.id).where(LoginAttempt.created_at < cutoff).order_by(LoginAttempt.created_at).limit(limit)
        .with_for_update(skip_locked=True)  # two sign-ins at once each take other rows (PostgreSQL, MariaDB)
    ))
    if old:
        session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(old)))
    expired = list(session.scalars(
        select(RememberToken.id).where(RememberToken.expires_at < now).order_by(RememberToken.expires_at).limit(limit)
        .with_for_update(skip_locked=True)
    ))
    if expired:
        session.execute(delete(RememberToken).where(RememberToken.id.in_(expired)))
    return Purged(sign_in_rows=len(old), remember_tokens=len(expired))
