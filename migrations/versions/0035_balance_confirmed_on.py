"""The day an account's balance was last confirmed to match the bank (issue #19, session 24).

``accounts.balance_confirmed_on`` (a date, nullable): the day whose end-of-day balance the user confirmed on the
Accounts page ("Set a balance to match your bank") or an import set from the file's statement balance (OFX
``LEDGERBAL``, a running balance column). It is a fact about that day, like a transaction on it: the rule of "the data
is old" (``cashflow.out_of_date_since``) reads the newer of it and the newest transaction, so a balance set today no
longer reads "from an old balance". NULL (every existing account) is "never confirmed": the rule reads as before.

The downgrade drops the column and keeps every row; on SQLite the accounts table keeps its ``AUTOINCREMENT`` (0028).

Revision ID: 0035
Revises: 0036
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0036"  # written on 0034; main brought 0037 and 0036 (on 0034) first
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    with op.batch_alter_table(
        "accounts", table_kwargs={"sqlite_autoincrement": True} if _sqlite() else {},
    ) as batch:
        batch.add_column(sa.Column("balance_confirmed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "accounts", recreate="always" if _sqlite() else "auto",
        table_kwargs={"sqlite_autoincrement": True} if _sqlite() else {},
    ) as batch:
        batch.drop_column("balance_confirmed_on")
