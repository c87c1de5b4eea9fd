"""A transfer link keeps each row's whole category state before the link.

``transfer_links`` recorded only the previous category and the by-hand flag; the rows kept their rule's
confidence, rule id and signal while they were transfers (set by hand), and an undo lost where the
category had come from (source 'rule' came back as no source). The link now also records the previous
source, confidence, rule id and signal, and a linked row carries none of them (``services/transfers.py``).

Links confirmed before this migration: their rows still hold the pre-link confidence, rule id and signal,
which are moved into the link; the previous source is 'manual' for a row set by hand, 'rule' for one with
a rule id, else unknown (NULL, as the undo has always restored it). The downgrade drops the columns (a
later undo then restores the category and the by-hand flag, as before).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("source", sa.String(length=10)), ("confidence", sa.Float()), ("rule_id", sa.Integer()),
            ("signal", sa.String(length=30)))
_ROW_COLUMN = {"confidence": "category_confidence", "rule_id": "rule_id", "signal": "category_signal"}


def upgrade() -> None:
    # nullable columns without a default: ALTER TABLE ADD COLUMN on every backend (no table rebuild)
    with op.batch_alter_table("transfer_links") as batch:
        for side in ("out", "in"):
            for name, type_ in _COLUMNS:
                batch.add_column(sa.Column(f"{side}_prev_{name}", type_, nullable=True))
    for side in ("out", "in"):
        row = f"(SELECT t.{{col}} FROM transactions t WHERE t.id = transfer_links.{side}_transaction_id)"
        sets = ", ".join(f"{side}_prev_{name} = {row.format(col=col)}" for name, col in _ROW_COLUMN.items())
        op.execute(f"UPDATE transfer_links SET {sets}")
        op.execute(f"UPDATE transfer_links SET {side}_prev_source = CASE WHEN {side}_prev_manual THEN 'manual' "
                   f"WHEN {side}_prev_rule_id IS NOT NULL THEN 'rule' ELSE NULL END")
    op.execute("UPDATE transactions SET category_confidence = NULL, rule_id = NULL, category_signal = NULL "
               "WHERE id IN (SELECT out_transaction_id FROM transfer_links) "
               "OR id IN (SELECT in_transaction_id FROM transfer_links)")


def downgrade() -> None:
    with op.batch_alter_table("transfer_links") as batch:
        for side in ("out", "in"):
            for name, _type in _COLUMNS:
                batch.drop_column(f"{side}_prev_{name}")
