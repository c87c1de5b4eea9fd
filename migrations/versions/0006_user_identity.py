"""Account identity that never repeats, and server-side "stay signed in" records (issue 13).

* ``users.account_uid``: a random 128-bit identifier per account, backfilled for existing
  users. Tokens, the "stay signed in" cookie and the per-user cache keys carry it, so nothing
  issued to a deleted account matches a new account that got the same numeric id.
* SQLite: ``AUTOINCREMENT`` on users and on the tables whose ids other rows, tokens or caches
  refer to (categories, rules, import_batches, goals). A plain ``INTEGER PRIMARY KEY`` hands
  out max(id)+1, so deleting the newest row freed its id. SQLite cannot add AUTOINCREMENT in
  place: each table is rebuilt (batch mode, rows and ids copied). ``migrations/env.py`` turns
  foreign-key enforcement off around the migration (else dropping the old ``users`` table
  would cascade-delete every row that refers to it) and runs ``PRAGMA foreign_key_check``
  before committing. PostgreSQL sequences and MariaDB's InnoDB counter never hand an id out
  twice (MariaDB persists the counter across restarts since 10.2.4): nothing to do there.
* ``remember_tokens``: one row per "stay signed in" cookie (selector + SHA-256 of the
  validator), revocable on the server and rotated on use.
* ``login_attempts.client``: a keyed hash of the request's address, for the per-client
  sign-in throttle (password spraying).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import budgetwise.models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_REUSE_TABLES = ("users", "categories", "rules", "import_batches", "goals")


def _backfill_account_uids() -> None:
    bind = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("account_uid", sa.String(32)))
    ids = [row[0] for row in bind.execute(sa.select(users.c.id).where(users.c.account_uid.is_(None)))]
    for user_id in ids:
        bind.execute(sa.update(users).where(users.c.id == user_id).values(account_uid=secrets.token_hex(16)))


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("users", sa.Column("account_uid", sa.String(length=32), nullable=True))
    _backfill_account_uids()
    with op.batch_alter_table(
        "users",
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True} if sqlite else {},
    ) as batch_op:
        batch_op.alter_column("account_uid", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_account_uid"), ["account_uid"])
    if sqlite:
        for name in NO_REUSE_TABLES[1:]:
            with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
                pass

    op.create_table(
        "remember_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("selector", sa.String(length=32), nullable=False),
        sa.Column("validator_hash", sa.String(length=64), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("created_at", budgetwise.models.UTCDateTime(), nullable=False),
        sa.Column("expires_at", budgetwise.models.UTCDateTime(), nullable=False),
        sa.Column("chain_expires_at", budgetwise.models.UTCDateTime(), nullable=False),
        sa.Column("replaced_at", budgetwise.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_remember_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remember_tokens")),
        sa.UniqueConstraint("selector", name=op.f("uq_remember_tokens_selector")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("remember_tokens") as batch_op:
        batch_op.create_index("ix_remember_tokens_expires_at", ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_remember_tokens_user_id"), ["user_id"], unique=False)

    op.add_column("login_attempts", sa.Column("client", sa.String(length=64), nullable=True))
    op.create_index("ix_login_attempts_client_created_at", "login_attempts", ["client", "created_at"], unique=False)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_login_attempts_client_created_at", table_name="login_attempts")
    with op.batch_alter_table("login_attempts") as batch_op:
        batch_op.drop_column("client")
    op.drop_table("remember_tokens")  # its indexes go with it (MySQL refuses to drop the FK's index first)
    if sqlite:
        for name in NO_REUSE_TABLES[1:]:
            with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
                pass
    with op.batch_alter_table(
        "users",
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": False} if sqlite else {},
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_account_uid"), type_="unique")
        batch_op.drop_column("account_uid")
