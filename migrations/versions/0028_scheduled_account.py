"""A scheduled item's account, and the import that created an account (issue #19).

* ``scheduled_items.account_id`` (nullable): the account an item scheduled by hand is paid from or into. NULL (every
  existing item) is "no particular account": the projections of several accounts count it as before, no single
  account's does.
* ``accounts.created_by_import_id`` (nullable): the import that created the account (an OFX account id seen first,
  a name in a file's account column, a currency without an account). Undoing that import removes the account again
  while it is empty and nothing refers to it. Accounts that exist today have none (they stay on an undo, as before).
* SQLite: the accounts table is rebuilt for the foreign key with ``AUTOINCREMENT`` (0006), since an undo can now
  delete an account: its id is never handed out again (a page's remembered choice cannot turn into another account).

Both columns are cleared when what they point to goes (``ON DELETE SET NULL``); the downgrade drops them (an item
tied to an account becomes an item of no particular account again) and keeps every row.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    with op.batch_alter_table("scheduled_items") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_scheduled_items_account_id_accounts"), "accounts", ["account_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_scheduled_items_account_id"), ["account_id"], unique=False)
    with op.batch_alter_table(
        "accounts", recreate="always" if _sqlite() else "auto",
        table_kwargs={"sqlite_autoincrement": True} if _sqlite() else {},
    ) as batch:
        batch.add_column(sa.Column("created_by_import_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_accounts_created_by_import_id_import_batches"), "import_batches", ["created_by_import_id"],
            ["id"], ondelete="SET NULL",
        )
        batch.create_index(op.f("ix_accounts_created_by_import_id"), ["created_by_import_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table(
        "accounts", recreate="always" if _sqlite() else "auto",
        table_kwargs={"sqlite_autoincrement": False} if _sqlite() else {},
    ) as batch:
        # The foreign key first: MySQL refuses to drop the index a foreign key needs.
        batch.drop_constraint(op.f("fk_accounts_created_by_import_id_import_batches"), type_="foreignkey")
        batch.drop_index(op.f("ix_accounts_created_by_import_id"))
        batch.drop_column("created_by_import_id")
    with op.batch_alter_table("scheduled_items") as batch:
        batch.drop_constraint(op.f("fk_scheduled_items_account_id_accounts"), type_="foreignkey")
        batch.drop_index(op.f("ix_scheduled_items_account_id"))
        batch.drop_column("account_id")
