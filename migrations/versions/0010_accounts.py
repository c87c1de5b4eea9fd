"""Accounts (issue #19): an ``accounts`` table and ``transactions.account_id``.

Existing data migrates without loss: every user gets one account per distinct value of the
free-text ``transactions.account`` column (values that differ only in case share one account),
and a default account ("Main account") when some of their transactions have no value or they
have none at all. Each account's currency is the one most of its transactions use (else the
user's currency); its opening balance is 0 at the date of its first transaction. The text column
stays as it was. The downgrade writes an account's name back into ``account`` where that column
is empty, so nothing recorded through accounts is lost either.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from budgetwise.models import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"  # chained after main's 0009 at the merge (the brief gave "0005")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_ACCOUNT_NAME = "Main account"

_users = sa.table("users", sa.column("id", sa.Integer), sa.column("currency", sa.String))
_txns = sa.table(
    "transactions",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("account", sa.String),
    sa.column("account_id", sa.Integer),
    sa.column("currency", sa.String),
    sa.column("date", sa.Date),
)
_accounts = sa.table(
    "accounts",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
    sa.column("kind", sa.String),
    sa.column("currency", sa.String),
    sa.column("opening_balance_minor", sa.BigInteger),
    sa.column("opening_date", sa.Date),
    sa.column("external_id", sa.String),
    sa.column("is_archived", sa.Boolean),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()[:100]


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("opening_balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("opening_date", sa.Date(), nullable=True),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("is_archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind in ('checking', 'savings', 'credit_card', 'cash', 'loan', 'investment')",
            name=op.f("ck_accounts_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_accounts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("user_id", "name_key", name=op.f("uq_accounts_user_id_name_key")),
    )
    with op.batch_alter_table("transactions") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_transactions_account_id_accounts"), "accounts", ["account_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(
            "ix_transactions_account_id_date", ["account_id", "date", "kind", "amount_minor"], unique=False
        )
    _migrate_data()
    op.create_table(
        "transfer_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("out_transaction_id", sa.Integer(), nullable=False),
        sa.Column("in_transaction_id", sa.Integer(), nullable=False),
        sa.Column("out_prev_category_id", sa.Integer(), nullable=True),
        sa.Column("in_prev_category_id", sa.Integer(), nullable=True),
        sa.Column("out_prev_manual", sa.Boolean(), nullable=False),
        sa.Column("in_prev_manual", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_transfer_links_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["out_transaction_id"], ["transactions.id"],
                                name=op.f("fk_transfer_links_out_transaction_id_transactions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["in_transaction_id"], ["transactions.id"],
                                name=op.f("fk_transfer_links_in_transaction_id_transactions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_links")),
        sa.UniqueConstraint("out_transaction_id", name=op.f("uq_transfer_links_out_transaction_id")),
        sa.UniqueConstraint("in_transaction_id", name=op.f("uq_transfer_links_in_transaction_id")),
    )
    op.create_index("ix_transfer_links_user_id_created_at", "transfer_links", ["user_id", "created_at"])
    op.create_table(
        "scheduled_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cadence", sa.String(length=10), nullable=True),
        sa.Column("next_date", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_scheduled_items_amount_positive")),
        sa.CheckConstraint("kind in ('income', 'expense')", name=op.f("ck_scheduled_items_kind_valid")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_scheduled_items_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_items")),
    )
    op.create_index("ix_scheduled_items_user_id_next_date", "scheduled_items", ["user_id", "next_date"])


def _migrate_data() -> None:
    import datetime as dt

    conn = op.get_bind()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    user_currency = dict(conn.execute(sa.select(_users.c.id, _users.c.currency)).all())
    rows = conn.execute(
        sa.select(
            _txns.c.user_id, _txns.c.account, _txns.c.currency,
            sa.func.count(), sa.func.min(_txns.c.date),
        ).group_by(_txns.c.user_id, _txns.c.account, _txns.c.currency)
    ).all()
    # user -> name_key -> {"name", "values", "currencies", "first"}
    plan: dict[int, dict[str, dict]] = defaultdict(dict)
    for user_id, account, currency, count, first in rows:
        name = " ".join((account or "").split())[:100] or DEFAULT_ACCOUNT_NAME
        entry = plan[user_id].setdefault(
            _key(name), {"name": name, "values": set(), "currencies": Counter(), "first": first}
        )
        entry["values"].add(account)
        entry["currencies"][currency] += count
        if first is not None and (entry["first"] is None or first < entry["first"]):
            entry["first"] = first
    for user_id in user_currency:
        if not plan.get(user_id):
            plan[user_id][_key(DEFAULT_ACCOUNT_NAME)] = {
                "name": DEFAULT_ACCOUNT_NAME, "values": set(), "currencies": Counter(), "first": None,
            }
    for user_id, entries in plan.items():
        # The default account (if any) is created first, so it has the lowest id.
        ordered = sorted(entries.items(), key=lambda kv: (kv[0] != _key(DEFAULT_ACCOUNT_NAME), kv[0]))
        for key, entry in ordered:
            currency = (
                entry["currencies"].most_common(1)[0][0] if entry["currencies"] else user_currency.get(user_id, "USD")
            )
            conn.execute(
                sa.insert(_accounts).values(
                    user_id=user_id, name=entry["name"], name_key=key, kind="checking", currency=currency,
                    opening_balance_minor=0, opening_date=entry["first"], external_id=None,
                    is_archived=False, created_at=now, updated_at=now,
                )
            )
            account_id = conn.execute(
                sa.select(_accounts.c.id).where(_accounts.c.user_id == user_id, _accounts.c.name_key == key)
            ).scalar_one()
            for value in entry["values"]:
                condition = _txns.c.account.is_(None) if value is None else _txns.c.account == value
                conn.execute(
                    sa.update(_txns)
                    .where(_txns.c.user_id == user_id, condition)
                    .values(account_id=account_id)
                )


def downgrade() -> None:
    op.drop_table("scheduled_items")
    op.drop_table("transfer_links")  # with its indexes (MySQL keeps the one a foreign key needs until then)
    conn = op.get_bind()
    names = conn.execute(sa.select(_accounts.c.id, _accounts.c.name)).all()
    for account_id, name in names:
        conn.execute(
            sa.update(_txns)
            .where(_txns.c.account_id == account_id, _txns.c.account.is_(None))
            .values(account=name)
        )
    with op.batch_alter_table("transactions") as batch:
        # The foreign key first: MySQL refuses to drop the index a foreign key needs.
        batch.drop_constraint(op.f("fk_transactions_account_id_accounts"), type_="foreignkey")
        batch.drop_index("ix_transactions_account_id_date")
        batch.drop_column("account_id")
    op.drop_table("accounts")
