"""The account the user made their default (issue #19, session 25).

``accounts.is_default`` (boolean, false for every existing account): the open account the user chose on the Accounts
page ("Make default"). The default account is the one flagged, else (no choice made, or the flagged one archived) the
first open account by id, as before: nothing changes for an account until its user chooses. At most one of a user's
accounts is flagged (``services/default_account.py`` clears the others under the user's lock).

A trial of session 25: the first file a EUR user imported (CZK, with an account column) took the starter's place and
stayed the default account, and no control made another one the default.

The downgrade drops the column and keeps every row (the default is then the first open account again); on SQLite the
accounts table keeps its ``AUTOINCREMENT`` (0028).

Revision ID: 0041
Revises: 0038
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | None = "0038"  # the brief said 0035; main has 0039, 0040 and 0038 on it
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    with op.batch_alter_table(
        "accounts", table_kwargs={"sqlite_autoincrement": True} if _sqlite() else {},
    ) as batch:
        batch.add_column(sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table(
        "accounts", recreate="always" if _sqlite() else "auto",
        table_kwargs={"sqlite_autoincrement": True} if _sqlite() else {},
    ) as batch:
        batch.drop_column("is_default")
