"""Indexes for merchant reports: the report covering index also holds the merchant, and a
(user_id, merchant, ...) covering index serves recurring-payment detection.

The (user_id, category_id, date) index goes: category filters are answered from the
covering index (category_id is in it), so an import still maintains five indexes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_COVER = ["user_id", "date", "kind", "currency", "category_id", "amount_minor", "merchant"]
MERCHANT_COVER = ["user_id", "merchant", "kind", "currency", "date", "category_id", "amount_minor"]


def upgrade() -> None:
    # New indexes first: MySQL needs an index whose prefix is user_id for the foreign key
    # at every moment.
    op.create_index("ix_transactions_report_cover", "transactions", REPORT_COVER)
    op.create_index("ix_transactions_user_id_merchant", "transactions", MERCHANT_COVER)
    op.drop_index("ix_transactions_user_id_date_cover", table_name="transactions")
    op.drop_index("ix_transactions_user_id_category_id_date", table_name="transactions")


def downgrade() -> None:
    op.create_index("ix_transactions_user_id_category_id_date", "transactions", ["user_id", "category_id", "date"])
    op.create_index(
        "ix_transactions_user_id_date_cover",
        "transactions",
        ["user_id", "date", "kind", "currency", "category_id", "amount_minor"],
    )
    op.drop_index("ix_transactions_user_id_merchant", table_name="transactions")
    op.drop_index("ix_transactions_report_cover", table_name="transactions")
