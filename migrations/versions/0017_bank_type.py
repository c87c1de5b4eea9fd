"""The bank's own type of a transaction: ``transactions.bank_type`` (issue #16).

Banks say what a transaction is in a field of their own: OFX ``<TRNTYPE>`` (ATM, FEE, SRVCHG, INT,
DIV, DIRECTDEBIT, ...) and a CSV's "Type" / "Transaction Type" column (Schwab's "ATM", UK banks'
DD, SO, FPI, CPT, ...). The importer keeps that text (cleaned, at most 20 characters) beside the
row; the categorizer reads it as weak evidence (``categorize/banktypes.py``). Nullable, no default:
rows stored before, and rows from files without such a field, keep NULL. Not part of a row's
fingerprint (re-importing a file imported before still finds its rows). The downgrade drops the
column (the categories stay).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _kwargs() -> dict:
    """SQLite rebuilds a table for a dropped column: keep its AUTOINCREMENT (0006) so a deleted row's
    id is never handed out again."""
    return {"sqlite_autoincrement": True} if op.get_bind().dialect.name == "sqlite" else {}


def upgrade() -> None:
    # a nullable column without a default: an ALTER TABLE ADD COLUMN on every backend (no table rebuild)
    with op.batch_alter_table("transactions") as batch:
        batch.add_column(sa.Column("bank_type", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transactions", table_kwargs=_kwargs()) as batch:
        batch.drop_column("bank_type")
