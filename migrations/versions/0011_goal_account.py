"""Goals linked to a savings account (issue #19): a nullable ``goals.account_id``.

A linked goal's progress is the account's balance (in the goal's currency). The link is nullable and
cleared when the account goes (``ON DELETE SET NULL``); the downgrade drops it, and a goal then
shows its contributions again, which were never touched.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("goals") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_goals_account_id_accounts"), "accounts", ["account_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_goals_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goals") as batch:
        # The foreign key first: MySQL refuses to drop the index a foreign key needs.
        batch.drop_constraint(op.f("fk_goals_account_id_accounts"), type_="foreignkey")
        batch.drop_index(op.f("ix_goals_account_id"))
        batch.drop_column("account_id")
