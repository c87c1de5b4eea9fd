"""Users' data versions: the one place that bumps them.

``users.data_version`` keys every per-user cache (``st.cache_data``): a write to a user's data
bumps that user's version (:func:`touch_data`); a change that shows up in every user's data
(global categories and rules, exchange rates) bumps everyone's (:func:`touch_all_data`).
The bump runs in the caller's transaction, so a rolled-back write leaves the version as it was.

Goals and their contributions do not bump it (session 11): no cached result reads them (the Goals page
reads them on every run), and a goal written bumped the version that keys the 24-month net-savings
forecast, so every goal created or contribution added re-ran it (≈ 3.4 s CPU on the sample file) and
threw away the Forecast, Dashboard and Cash flow caches. A cached result that starts to read goals must
bring the bump back.

Kept apart from the auth service so that loading data code (reports, forecast, imports) does
not load the password and token stack (bcrypt, PyJWT).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Result, Select, select, update
from sqlalchemy.orm import Session

from budgetwise.db import note_owner_lock, owner_lock_held
from budgetwise.models import User


def touch_data(session: Session, user_id: int) -> None:
    """Bump the user's data version (invalidates their cached results)."""
    session.execute(update(User).where(User.id == user_id).values(data_version=User.data_version + 1))


def touch_all_data(session: Session) -> None:
    """Bump every user's data version: for changes every user's data depends on."""
    session.execute(update(User).values(data_version=User.data_version + 1))


def data_version(session: Session, *, user_id: int) -> int:
    """The user's current data version (0 for an unknown user)."""
    return int(session.scalar(select(User.data_version).where(User.id == user_id)) or 0)


def cache_version(session: Session, *, user_id: int) -> str:
    """The key of a user's cached results: the account's random identifier and its data version.

    The data version alone restarts at 1 for a new account, and an id can come back (a
    database created before migration 0006, a restored backup): with the identifier in the
    key, a new account never sees what was cached for a deleted one (issue 13).
    """
    row = session.execute(select(User.account_uid, User.data_version).where(User.id == user_id)).first()
    return f"{row[0]}.{row[1]}" if row is not None else "-"


# The per-user write lock (moved from services.importing.duplicates, session 21: every per-user ceiling takes it).
def lock_user_for_import(session: Session, user_id: int) -> bool:
    """Serialize duplicate detection per user: take the user's row lock in this transaction.

    Two imports of one file for one user, started together, must not both find "nothing
    stored yet" and both insert (issue #13). Called before the duplicate check of a commit,
    in the transaction that inserts; the lock is held until that transaction ends, so the
    second import waits and then counts the first one's rows as duplicates.

    * PostgreSQL / MariaDB: ``SELECT ... FOR UPDATE`` on the user's row (no new table);
    * SQLite: one writer at a time; a no-op write takes the database's write lock now (it is
      already held when the session began with BEGIN IMMEDIATE, the default for writers).

    Returns True when this transaction's snapshot is older than the lock (REPEATABLE READ fixes
    it at the transaction's first plain read, e.g. a preview in the same session, and someone
    wrote the user's data since): the duplicate check must then read the latest rows with a
    locking read. BudgetWise's engines never need it (PostgreSQL and, since session 24,
    MariaDB/MySQL run at READ COMMITTED; SQLite has one writer). A MariaDB connection set to
    REPEATABLE READ by hand is only caught where the other writer bumped the user's data
    version (transactions, imports); rows that do not bump it (categories, goals, rules) rely
    on READ COMMITTED.

    Taken once per transaction (session 28): a second call, or the flush after it (``db._lock_owner_rows_first``),
    sends nothing and answers as the first call did (nobody else can change the user's data version while the lock
    is held, and the snapshot does not change).
    """
    held, stale = owner_lock_held(session, user_id)
    if held and stale is not None:
        return stale
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.execute(update(User).where(User.id == user_id).values(id=User.id, updated_at=User.updated_at))
        note_owner_lock(session, user_id, False)
        return False
    latest = conn.execute(select(User.data_version).where(User.id == user_id).with_for_update()).scalar()
    if conn.dialect.name not in ("mysql", "mariadb"):
        note_owner_lock(session, user_id, False)
        return False
    seen = conn.execute(select(User.data_version).where(User.id == user_id)).scalar()  # the snapshot's
    note_owner_lock(session, user_id, seen != latest)
    return seen != latest


def count_under_user_lock(session: Session, user_id: int, stmt: Select) -> int:
    """A per-user ceiling's count (``stmt``: ``select(func.count())…`` of the user's rows), taken under the user's
    lock (:func:`lock_user_for_import`), so two writers of one user at once count one after the other and cannot
    both pass the ceiling (session 21). The lock is held until the caller's transaction ends.

    A plain read: every backend reads the latest committed rows once the lock is held (PostgreSQL and MariaDB/MySQL
    run at READ COMMITTED, :func:`budgetwise.db.make_engine`; SQLite has one writer). Only a MariaDB snapshot older
    than the lock (a connection someone set to REPEATABLE READ) is counted with a locking read. Until session 24
    MariaDB ran at REPEATABLE READ and these counts were locking range reads: their gap locks at the boundary of two
    users' index ranges deadlocked the two users' inserts (CI of sessions 23 and 24)."""
    return int(read_under_user_lock(session, user_id, stmt).scalar() or 0)


def read_under_user_lock(session: Session, user_id: int, stmt: Select) -> Result:
    """``stmt`` (a read of the user's rows) run under the user's lock (:func:`lock_user_for_import`), as
    :func:`count_under_user_lock` counts: a check that must see what another request of the user wrote a moment ago
    (a goal's name among the user's open goals, session 24: two requests at once both found the name free). A plain
    read, but for a MariaDB snapshot older than the lock (then a locking read: the latest rows)."""
    stale = lock_user_for_import(session, user_id)
    return session.execute(stmt.with_for_update() if stale else stmt)


def lock_users(session: Session, user_ids: Iterable[int] | None = None) -> list[int]:
    """Take the row locks of several users at once, in ascending id (None: every user), the one order of the users'
    locks (as the flush's, ``db._lock_owner_rows_first``), before any of their rows; returns the ids found.

    Session 29: a writer of many users' rows (the administrator's merge of two global categories, a purge of demo
    accounts) took each user's rows and then the users' rows, or the users one by one in an order of its own: against
    a user's request holding that user's lock and wanting one of those rows, or a second purge deleting the same
    accounts in another order, each held what the other wanted (a deadlock). Already held locks are not asked again.
    On SQLite it is the one writer's no-op write, as :func:`lock_user_for_import`.
    """
    conn = session.connection()
    wanted = select(User.id).order_by(User.id)
    if user_ids is not None:
        ids = sorted({int(i) for i in user_ids})
        if not ids:
            return []
        wanted = wanted.where(User.id.in_(ids))
    if conn.dialect.name == "sqlite":
        found = [int(i) for i in conn.execute(wanted).scalars()]
        if found:
            lock_user_for_import(session, found[0])
        return found
    found = [int(i) for i in conn.execute(wanted.with_for_update()).scalars()]
    for uid in found:
        if not owner_lock_held(session, uid)[0]:
            note_owner_lock(session, uid, False if conn.dialect.name == "postgresql" else None)
    return found
