"""Seed the global default categorization rules (data only).

Revision ID: 0002
Revises: 0001

The rules come from budgetwise/services/default_rules.py (one source of truth) and
are stored as global rules (user_id NULL, origin 'default') so admins can manage
them. A later change to the default set ships as a new data migration.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from budgetwise.services.default_rules import DEFAULT_RULES

    bind = op.get_bind()
    categories = {
        name: cid
        for cid, name in bind.execute(
            sa.text("SELECT id, name FROM categories WHERE user_id IS NULL")
        )
    }
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    rules = sa.table(
        "rules",
        sa.column("user_id", sa.Integer),
        sa.column("category_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("priority", sa.Integer),
        sa.column("match_type", sa.String),
        sa.column("pattern", sa.String),
        sa.column("min_amount_minor", sa.BigInteger),
        sa.column("max_amount_minor", sa.BigInteger),
        sa.column("kind", sa.String),
        sa.column("account", sa.String),
        sa.column("origin", sa.String),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    rows = [
        {
            "user_id": None, "category_id": categories[r.category], "name": r.name, "priority": r.priority,
            "match_type": r.match_type, "pattern": r.pattern, "min_amount_minor": None, "max_amount_minor": None,
            "kind": r.kind, "account": None, "origin": "default", "is_active": True,
            "created_at": now, "updated_at": now,
        }
        for r in DEFAULT_RULES
        if r.category in categories  # a default category an admin removed is skipped
    ]
    if rows:
        op.bulk_insert(rules, rows)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM rules WHERE user_id IS NULL AND origin = 'default'"))
