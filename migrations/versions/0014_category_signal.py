"""What a rule-like answer without a rule came from: ``transactions.category_signal``.

Brand answers (``categorize/brands.py``) and answers from the batch's structure
(``categorize/structure.py``: a regular payment, a refund, a small purchase) are stored as a rule's
(source 'rule') without a rule id. The "How" explanation (``categorize/explain.py``) had to infer which
one it was from the category and the calibrated confidence, which breaks when the calibration changes
(rows stored earlier keep the old confidence) and forbids two signals one category and confidence.
The signal is now stored beside the answer. Nullable, no default: rows stored before keep NULL and are
explained by the inference as before. The downgrade drops the column (the answers themselves stay).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _kwargs() -> dict:
    """SQLite rebuilds a table for a dropped column: keep its AUTOINCREMENT (0006) so a deleted row's
    id is never handed out again."""
    return {"sqlite_autoincrement": True} if op.get_bind().dialect.name == "sqlite" else {}


def upgrade() -> None:
    # a nullable column without a default: an ALTER TABLE ADD COLUMN on every backend (no table rebuild)
    with op.batch_alter_table("transactions") as batch:
        batch.add_column(sa.Column("category_signal", sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transactions", table_kwargs=_kwargs()) as batch:
        batch.drop_column("category_signal")
