"""Exchange rates get an owner: a rate a user types or uploads applies to that user only.

``exchange_rates.user_id`` (NULL: shared, as every existing rate was; the foreign key
removes a user's own rates with the account). The unique constraint now includes the
owner, so two users may each store their own rate for the same pair, date and source.

Existing rows stay shared: before this revision every rate was instance-wide, and an
old ``manual``/``upload`` rate cannot be attributed reliably (the audit log names who
stored a batch, not which rows). An administrator can review them under Profile →
Exchange rates (or ``budgetwise rates list --source manual``).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_exchange_rates_user_id", ["user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_exchange_rates_user_id_users"), "users", ["user_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.drop_constraint(batch_op.f("uq_exchange_rates_base_quote_date_source"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_exchange_rates_base_quote_date_source_user_id"), ["base", "quote", "date", "source", "user_id"]
        )


def downgrade() -> None:
    # Own rates cannot survive as shared ones (they would change other users' figures again).
    op.execute(sa.text("DELETE FROM exchange_rates WHERE user_id IS NOT NULL"))
    with op.batch_alter_table("exchange_rates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_exchange_rates_base_quote_date_source_user_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_exchange_rates_base_quote_date_source"), ["base", "quote", "date", "source"]
        )
        batch_op.drop_constraint(batch_op.f("fk_exchange_rates_user_id_users"), type_="foreignkey")
        batch_op.drop_index("ix_exchange_rates_user_id")
        batch_op.drop_column("user_id")
