"""What an import changed in its account's balance, so that undoing it puts it back (issue #19, session 25).

``import_batches.balance_undo_json`` (text, nullable): when an import reconciled its account with the file's statement
balance (``accounts.balance_confirmed_on`` set to the statement's day) or set the account's opening balance from it
(the Import page's box, ``--set-opening-balance``), the account's (opening balance, opening date, confirmed day) before
and after, as JSON: ``{"account_id": 3, "before": [0, null, null], "after": [12345, null, "2026-11-30"]}``. Undoing the
import restores "before" while the account still holds "after" (``services/importing/balance_undo.py``). NULL (every
existing batch, and an import that changed no balance) is "nothing to restore": the undo reads as before.

The downgrade drops the column and keeps every row; on SQLite the table keeps its ``AUTOINCREMENT`` (0028).

Revision ID: 0040
Revises: 0035
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | None = "0039"  # written on 0035; main brought 0039 (on 0035) first
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    with op.batch_alter_table(
        "import_batches", table_kwargs={"sqlite_autoincrement": True} if _sqlite() else {},
    ) as batch:
        batch.add_column(sa.Column("balance_undo_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(
        "import_batches", recreate="always" if _sqlite() else "auto",
        table_kwargs={"sqlite_autoincrement": True} if _sqlite() else {},
    ) as batch:
        batch.drop_column("balance_undo_json")
