"""Covering index for report aggregations; date index for admin oversight.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Create the covering index before dropping the old one: MySQL needs an index whose
    # prefix is user_id for the foreign key at every moment.
    op.create_index(
        "ix_transactions_user_id_date_cover",
        "transactions",
        ["user_id", "date", "kind", "currency", "category_id", "amount_minor"],
    )
    op.drop_index("ix_transactions_user_id_date", table_name="transactions")
    op.create_index("ix_transactions_date", "transactions", ["date"])


def downgrade() -> None:
    op.drop_index("ix_transactions_date", table_name="transactions")
    op.create_index("ix_transactions_user_id_date", "transactions", ["user_id", "date"])
    op.drop_index("ix_transactions_user_id_date_cover", table_name="transactions")
