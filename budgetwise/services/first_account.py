"""The lock that makes "the very first account becomes the administrator" hold under two registrations at once.

``auth.no_account_yet`` counts the people's accounts; ``auth.register`` then hashes the password (bcrypt: about a
quarter of a second at cost 12) and inserts. Two people registering on a new instance at the same moment both
counted none and both became administrators (PostgreSQL, MariaDB at READ COMMITTED; session 25, sec25): on a public
instance, a stranger registering a moment after the owner got the administrator's pages too. There is no row to lock
before the first account exists, so a count that finds none is taken again under a lock every such count takes: the
one row of Alembic's ``alembic_version`` (every database BudgetWise opens is migrated to head at start-up, so the row
exists), held until the caller's transaction ends. The second registration waits there and then counts the first.

Only a count that finds no account takes it (once per instance, in practice), so registrations never queue on it
later. SQLite needs none: a writer's transaction begins with BEGIN IMMEDIATE (:mod:`budgetwise.db`).
"""

from __future__ import annotations

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

_ALEMBIC_VERSION = table("alembic_version", column("version_num"))


def lock_first_account(session: Session) -> None:
    """Take the first-account lock in the caller's transaction (held until it ends); a no-op on SQLite."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return
    conn.execute(select(_ALEMBIC_VERSION.c.version_num).with_for_update()).all()
