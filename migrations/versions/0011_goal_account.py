"""Goals linked to a savings account and the cash-flow alert threshold (issue #19).

``goals.account_id`` (nullable) links a goal to a savings account; ``users.cashflow_threshold_minor``
(0 by default) is the balance below which the cash-flow page and the dashboard warn.

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


def _kwargs() -> dict:
    """SQLite rebuilds a table for a foreign key or a dropped column: keep its AUTOINCREMENT
    (0006) so a deleted row's id is never handed out again."""
    return {"sqlite_autoincrement": True} if op.get_bind().dialect.name == "sqlite" else {}


def upgrade() -> None:
    with op.batch_alter_table("goals", table_kwargs=_kwargs()) as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_goals_account_id_accounts"), "accounts", ["account_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_goals_account_id"), ["account_id"], unique=False)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("cashflow_threshold_minor", sa.BigInteger(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", table_kwargs=_kwargs()) as batch:
        batch.drop_column("cashflow_threshold_minor")
    with op.batch_alter_table("goals", table_kwargs=_kwargs()) as batch:
        # The foreign key first: MySQL refuses to drop the index a foreign key needs.
        batch.drop_constraint(op.f("fk_goals_account_id_accounts"), type_="foreignkey")
        batch.drop_index(op.f("ix_goals_account_id"))
        batch.drop_column("account_id")
