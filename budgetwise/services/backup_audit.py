"""The audit log across a restore: a restore replaces every table, but the audit log's promise is that no
function edits or deletes its rows (docs/admin.md). So the entries of the replaced database that the backup
does not hold (what happened after the backup was taken: a user deleted, a reset code issued) are written
back after the restored ones, and the restore itself gets an entry (actor ``cli@localhost``).

Found in session 19 (an administrator hosting a household on PostgreSQL): deleting a member by mistake and
restoring the morning's backup left no trace of either in the Admin page's audit log.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from budgetwise.models import AuditLog, User, utcnow
from budgetwise.services.audit import CLI_ACTOR_EMAIL
from budgetwise.text import plural

RESTORE_ACTION = "database.restore"
_COLUMNS = ("actor_id", "actor_email", "action", "target_user_id", "target", "details", "created_at")


def entries_text(n: int) -> str:
    """ "1 audit entry", "2 audit entries"."""
    return plural(n, "audit entry", "audit entries")


def _key(row) -> tuple:
    return tuple(row[c] for c in _COLUMNS[1:])  # ids differ between databases: who, what, on what, when


def _entries(conn: Connection) -> list[dict]:
    t = AuditLog.__table__
    return [dict(r._mapping) for r in conn.execute(select(*(t.c[c] for c in _COLUMNS)).order_by(t.c.created_at, t.c.id))]


def _emails(conn: Connection) -> dict[int, str]:
    return {int(i): e for i, e in conn.execute(select(User.id, User.email))}


def snapshot(conn: Connection) -> tuple[list[dict], dict[int, str]]:
    """The database's audit entries (oldest first) and each user id's email, read before a restore."""
    return _entries(conn), _emails(conn)


def carry_over(conn: Connection, before: tuple[list[dict], dict[int, str]], *, source: str, restored_rows: int) -> int:
    """After the restored rows are in: append the entries of ``before`` that the restored log does not hold,
    then one entry for the restore. A user id is kept only where it names the same email after the restore (ids
    of the replaced database may name other users in the backup's). Returns how many entries were carried over."""
    rows, emails_before = before
    restored = {_key(r) for r in _entries(conn)}
    emails_now = _emails(conn)

    def same(uid: int | None, email: str | None) -> int | None:
        return uid if uid is not None and email is not None and emails_now.get(uid) == email else None

    kept = [dict(r, actor_id=same(r["actor_id"], r["actor_email"]),
                 # a deleted user's entry names them in ``target`` (their email, copied)
                 target_user_id=same(r["target_user_id"], emails_before.get(r["target_user_id"], r["target"])))
            for r in rows if _key(r) not in restored]
    if kept:
        conn.execute(insert(AuditLog), kept)
    details = (f"{restored_rows:,} rows restored from the backup"
               + (f"; {entries_text(len(kept))} of the replaced database that the backup does not hold "
                  f"{'was' if len(kept) == 1 else 'were'} kept" if kept else ""))
    conn.execute(insert(AuditLog).values(
        actor_id=None, actor_email=CLI_ACTOR_EMAIL, action=RESTORE_ACTION, target_user_id=None,
        target=source[:300], details=details, created_at=utcnow()))
    return len(kept)
