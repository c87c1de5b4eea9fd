"""Text typed into the email box that is not an email address replaced in the sign-in log (session 29, purge29).

Before session 29 a sign-in naming no account kept what was typed in ``login_attempts.email``, 90 days, and the
admin's Login log and System page showed it: a password typed where the email goes (a common slip) was readable by
every administrator. sec29 keeps such text as a keyed hash of the server's secret (``auth.logged_email``). This
migration replaces the text kept before by the fixed marker ``(not an email address)`` — the hash's own prefix, so
the admin's search for it finds old and new rows — not by the hash:

- **The secret is not reliably here.** Migrations get a database URL only (``db.upgrade_database(url)``; the app's
  start, ``budgetwise migrate`` and a restore call it so; ``alembic upgrade head`` reads alembic.ini), and env.py
  resolves the URL without the secret (``ensure_secret=False``). The app's secret may come from ``st.secrets``,
  which a command line does not see; a command line on another machine would make its own secret file. A hash under
  another key would look right and match nothing, and would depend on which process happened to migrate.
- **Nothing needs it.** The unknown-email lockout counts the rows of one logged text in the last
  ``BUDGETWISE_LOCKOUT_MINUTES``; sec29's hashed keys already did not match the old readable rows, and no attempt
  is ever logged as the bare marker (``logged_email`` adds the digest), so the old rows lock no text and no account
  (rows keeping an account's email stay). The per-client throttle counts rows by ``client``, which
  stays. The admin loses only which old attempts typed the same text.

What is not an email address: the frozen check of ``auth.normalize_email`` as of this revision (email-validator,
special-use domains checked with a neutral suffix), and not the email of an account (rows of a sign-in to an account
keep its email, as the app does). Empty texts (demo rows) stay. On SQLite ``secure_delete`` is on for the rewrite
(Debian's build has it on already, others off), so the text is not left in the pages' free space; PostgreSQL and
MariaDB keep old row versions until their own vacuum/purge. Backups made before keep the old rows; a restore brings
them through this migration.

Like 0048, the downgrade keeps the marker: a privacy change is not undone (the typed text is gone).

Revision ID: 0053
Revises: 0050
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0053"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKER = "(not an email address)"
_BATCH = 2000
_NEUTRAL_SUFFIX = "example"


def is_email_address(value: str) -> bool:
    """Frozen ``auth.normalize_email`` (session 29): whether it accepts the text."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

    text = (value or "").strip()
    if not text or len(text) > 254:
        return False
    domain = text.rpartition("@")[2].rstrip(".").lower()
    special = "." in domain and any(domain == d or domain.endswith("." + d) for d in SPECIAL_USE_DOMAIN_NAMES)
    try:
        validate_email(text + ("." + _NEUTRAL_SUFFIX if special else ""), check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _typed_rows(conn: sa.Connection) -> list[int]:
    """Ids of the rows keeping a text that is neither an email address, an account's email nor empty (read by pages
    of ids: no server-side cursor, each distinct text checked once)."""
    accounts = {str(e).lower() for (e,) in conn.execute(sa.text("SELECT email FROM users"))}
    verdict: dict[str, bool] = {"": False, MARKER: False}
    found: list[int] = []
    last = 0
    while True:
        rows = conn.execute(sa.text("SELECT id, email FROM login_attempts WHERE id > :last ORDER BY id LIMIT :n"),
                            {"last": last, "n": _BATCH}).all()
        if not rows:
            return found
        for row_id, email in rows:
            text = str(email or "")
            if text not in verdict:
                verdict[text] = text.lower() not in accounts and not is_email_address(text)
            if verdict[text]:
                found.append(int(row_id))
        last = int(rows[-1][0])


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # the replaced text is overwritten with zeros, not left in the pages' free space
        was = conn.exec_driver_sql("PRAGMA secure_delete").scalar()
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
    try:
        ids = _typed_rows(conn)
        update = sa.text("UPDATE login_attempts SET email = :m WHERE id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True))
        for start in range(0, len(ids), _BATCH):
            conn.execute(update, {"m": MARKER, "ids": ids[start:start + _BATCH]})
    finally:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA secure_delete = {int(was or 0)}")


def downgrade() -> None:
    """The marker stays: a privacy change is not undone (the typed text is gone)."""
