"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 05:43:59.481481
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import budgetwise.models

# Frozen copy of the default categories at the time of this migration.
DEFAULT_CATEGORIES = (
    ("Groceries", "expense", "#4caf50"),
    ("Rent", "expense", "#795548"),
    ("Utilities", "expense", "#ff9800"),
    ("Transport", "expense", "#2196f3"),
    ("Dining", "expense", "#e91e63"),
    ("Entertainment", "expense", "#9c27b0"),
    ("Shopping", "expense", "#ff5722"),
    ("Health", "expense", "#f44336"),
    ("Insurance", "expense", "#607d8b"),
    ("Education", "expense", "#3f51b5"),
    ("Travel", "expense", "#00bcd4"),
    ("Subscriptions", "expense", "#673ab7"),
    ("Personal Care", "expense", "#f06292"),
    ("Gifts & Donations", "expense", "#ffc107"),
    ("Fees", "expense", "#9e9e9e"),
    ("Taxes", "expense", "#546e7a"),
    ("Transfers", "transfer", "#bdbdbd"),
    ("Salary", "income", "#2e7d32"),
    ("Investment Income", "income", "#1b5e20"),
    ("Refunds", "income", "#81c784"),
    ("Other Income", "income", "#a5d6a7"),
    ("Other", "expense", "#8c8c8c"),
)

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('exchange_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('base', sa.String(length=3), nullable=False),
    sa.Column('quote', sa.String(length=3), nullable=False),
    sa.Column('rate', budgetwise.models.DecimalText(length=40), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rates')),
    sa.UniqueConstraint('base', 'quote', 'date', 'source', name=op.f('uq_exchange_rates_base_quote_date_source'))
    )
    with op.batch_alter_table('exchange_rates', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_rates_quote_date', ['base', 'quote', 'date'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('token_version', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', budgetwise.models.UTCDateTime(), nullable=True),
    sa.Column('last_login_at', budgetwise.models.UTCDateTime(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('locale', sa.String(length=20), nullable=False),
    sa.Column('date_format', sa.String(length=20), nullable=False),
    sa.Column('week_start', sa.Integer(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint("role in ('user', 'admin')", name=op.f('ck_users_role_valid')),
    sa.CheckConstraint('week_start >= 0 and week_start <= 6', name=op.f('ck_users_week_start_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target_user_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_created_at', ['created_at'], unique=False)

    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind in ('income', 'expense', 'transfer')", name=op.f('ck_categories_kind_valid')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_categories_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('user_id', 'name', name=op.f('uq_categories_user_id_name'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_user_id'), ['user_id'], unique=False)

    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('target_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.Column('initial_saved_minor', sa.BigInteger(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint('target_minor > 0', name=op.f('ck_goals_target_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_goals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals'))
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_user_id'), ['user_id'], unique=False)

    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_format', sa.String(length=20), nullable=False),
    sa.Column('account', sa.String(length=100), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_imported', sa.Integer(), nullable=False),
    sa.Column('rows_duplicate', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('undone_at', budgetwise.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_batches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index('ix_import_batches_user_id_created_at', ['user_id', 'created_at'], unique=False)

    op.create_table('import_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('header_signature', sa.String(length=64), nullable=False),
    sa.Column('mapping_json', sa.Text(), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_mappings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    sa.UniqueConstraint('user_id', 'header_signature', name=op.f('uq_import_mappings_user_id_header_signature'))
    )
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_attempts_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_login_attempts_user_id_created_at', ['user_id', 'created_at'], unique=False)

    op.create_table('password_reset_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('used_at', budgetwise.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_password_reset_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_reset_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_tokens_token_hash'))
    )
    with op.batch_alter_table('password_reset_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=100), nullable=False),
    sa.Column('used_at', budgetwise.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    op.create_table('budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rollover', sa.Boolean(), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint('amount_minor >= 0', name=op.f('ck_budgets_amount_nonneg')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_budgets_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_budgets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets')),
    sa.UniqueConstraint('user_id', 'category_id', 'month', name=op.f('uq_budgets_user_id_category_id_month'))
    )
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.create_index('ix_budgets_user_id_month', ['user_id', 'month'], unique=False)

    op.create_table('goal_contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_goal_contributions_goal_id_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_goal_contributions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_contributions'))
    )
    with op.batch_alter_table('goal_contributions', schema=None) as batch_op:
        batch_op.create_index('ix_goal_contributions_goal_id_date', ['goal_id', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_contributions_user_id'), ['user_id'], unique=False)

    op.create_table('rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('match_type', sa.String(length=12), nullable=False),
    sa.Column('pattern', sa.String(length=500), nullable=False),
    sa.Column('min_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('max_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=True),
    sa.Column('account', sa.String(length=100), nullable=True),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint("match_type in ('contains', 'starts_with', 'exact', 'regex')", name=op.f('ck_rules_match_type_valid')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_rules_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rules_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rules'))
    )
    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.create_index('ix_rules_user_id_priority', ['user_id', 'priority'], unique=False)

    op.create_table('transactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('merchant', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('account', sa.String(length=100), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('category_manual', sa.Boolean(), nullable=False),
    sa.Column('category_source', sa.String(length=10), nullable=True),
    sa.Column('category_confidence', sa.Float(), nullable=True),
    sa.Column('rule_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', budgetwise.models.UTCDateTime(), nullable=False),
    sa.CheckConstraint("kind in ('income', 'expense')", name=op.f('ck_transactions_kind_valid')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_transactions_amount_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_transactions_category_id_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batches.id'], name=op.f('fk_transactions_import_batch_id_import_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['rule_id'], ['rules.id'], name=op.f('fk_transactions_rule_id_rules'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_transactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transactions'))
    )
    with op.batch_alter_table('transactions', schema=None) as batch_op:
        batch_op.create_index('ix_transactions_import_batch_id', ['import_batch_id'], unique=False)
        batch_op.create_index('ix_transactions_user_id_category_id_date', ['user_id', 'category_id', 'date'], unique=False)
        batch_op.create_index('ix_transactions_user_id_date', ['user_id', 'date'], unique=False)
        batch_op.create_index('ix_transactions_user_id_fingerprint', ['user_id', 'fingerprint'], unique=False)


    # Global default categories (user_id NULL), shared by every user.
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    categories = sa.table(
        "categories",
        sa.column("user_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("color", sa.String),
        sa.column("is_archived", sa.Boolean),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    op.bulk_insert(
        categories,
        [
            {"user_id": None, "name": name, "kind": kind, "color": color, "is_archived": False,
             "created_at": now, "updated_at": now}
            for name, kind, color in DEFAULT_CATEGORIES
        ],
    )


def downgrade() -> None:
    # Dropping a table drops its indexes (MySQL refuses to drop an index a foreign key uses).
    op.drop_table('transactions')
    op.drop_table('rules')
    op.drop_table('goal_contributions')
    op.drop_table('budgets')
    op.drop_table('recovery_codes')
    op.drop_table('password_reset_tokens')
    op.drop_table('login_attempts')
    op.drop_table('import_mappings')
    op.drop_table('import_batches')
    op.drop_table('goals')
    op.drop_table('categories')
    op.drop_table('audit_log')
    op.drop_table('users')
    op.drop_table('exchange_rates')
