"""SQLAlchemy 2 typed models: the whole schema.

Money is stored as integer minor units (``BigInteger``) plus an ISO 4217 code;
never float, never ``Numeric`` (SQLite stores it as REAL). Timestamps are UTC
and timezone-aware in Python (see :class:`UTCDateTime`). Every user-owned table
has ``user_id`` with a foreign key and an index that serves its common queries.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from budgetwise.kinds import ACCOUNT_KINDS as _ACCOUNT_KINDS
from budgetwise.kinds import CATEGORY_KINDS as _CATEGORY_KINDS
from budgetwise.kinds import TRANSACTION_KINDS as _TRANSACTION_KINDS
from budgetwise.kinds import TransactionKind

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLE_USER = "user"
ROLE_ADMIN = "admin"
ROLES = (ROLE_USER, ROLE_ADMIN)

# The vocabularies are owned by budgetwise.kinds (Literal types); the names stay here for callers.
KIND_INCOME: TransactionKind = "income"
KIND_EXPENSE: TransactionKind = "expense"
TRANSACTION_KINDS = _TRANSACTION_KINDS
CATEGORY_KINDS = _CATEGORY_KINDS
ACCOUNT_KINDS = _ACCOUNT_KINDS


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_account_uid() -> str:
    """A random identifier for one account, never repeated (128 bits): tokens, the "stay signed
    in" cookie and cache keys carry it, so nothing issued to a deleted account can ever match
    a new account, even one that got the same numeric id (issue 13)."""
    return secrets.token_hex(16)


# Ids are never reused (issue 13). SQLite hands out max(id)+1 for a plain INTEGER PRIMARY KEY,
# so deleting the newest row frees its id; AUTOINCREMENT keeps a high-water mark instead.
# PostgreSQL sequences and MariaDB's InnoDB counter (persistent since 10.2.4) never go back.
# On users and on every table whose id other rows, tokens or caches refer to.
NO_ID_REUSE = {"sqlite_autoincrement": True}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (stored naive UTC, microseconds kept)."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class DecimalText(TypeDecorator):
    """An exact decimal stored as text (exchange rates): no float, no REAL on SQLite."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return format(Decimal(value), "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


# --------------------------------------------------------------------------- identity
class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role in ('user', 'admin')", name="role_valid"),
        CheckConstraint("week_start >= 0 and week_start <= 6", name="week_start_valid"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased: uniqueness is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(100), nullable=False)
    role: Mapped[str] = mapped_column(String(10), default=ROLE_USER, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    token_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    # Random, unique, never reused: in every token and cookie and in the per-user cache keys.
    account_uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_account_uid, nullable=False)
    # Bumped on every write to the user's data; keys per-user caches.
    data_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="USD", nullable=False)
    locale: Mapped[str] = mapped_column(String(20), default="en_US", nullable=False)
    date_format: Mapped[str] = mapped_column(String(20), default="%Y-%m-%d", nullable=False)
    week_start: Mapped[int] = mapped_column(Integer, default=0, nullable=False)  # 0 = Monday
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # the cash-flow alert: "warn me below" in the base currency's minor units (issue #19, migration 0011)
    cashflow_threshold_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", nullable=False)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_user_id_created_at", "user_id", "created_at"),
        Index("ix_login_attempts_created_at", "created_at"),
        Index("ix_login_attempts_client_created_at", "client", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reason: Mapped[str] = mapped_column(String(40), nullable=False)  # ok / bad_password / unknown / locked / ...
    # Keyed hash of the request's address (never the address itself): the per-client throttle.
    client: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class RememberToken(Base):
    """One "stay signed in" cookie, revocable on the server (issue 13).

    The cookie holds ``<selector>.<validator>``: the selector finds the row, the validator is
    checked against its SHA-256 (a stolen database does not give usable cookies). Each use
    rotates it (this row is marked replaced, a new one takes over the same chain until
    ``chain_expires_at``, the sign-in plus ``BUDGETWISE_COOKIE_TTL_DAYS``); a replaced cookie
    presented again is refused, and after the grace period of a slow browser it ends the whole
    chain (someone else holds a copy). ``token_version`` is the user's at issue: logout,
    password change, turning 2FA on and a restore bump it and every cookie dies.
    """

    __tablename__ = "remember_tokens"
    __table_args__ = (Index("ix_remember_tokens_expires_at", "expires_at"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    selector: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    validator_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    token_version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    chain_expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    replaced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RecoveryCode(Base):
    """One-time recovery codes for two-factor sign-in (stored hashed)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    code_hash: Mapped[str] = mapped_column(String(100), nullable=False)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    actor_email: Mapped[str] = mapped_column(String(254), nullable=False)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    target_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # no FK: survives deletion
    target: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    details: Mapped[str] = mapped_column(Text, default="", nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


# --------------------------------------------------------------------------- categories & rules
class Category(TimestampMixin, Base):
    """A category. ``user_id`` NULL = a global default shared by every user."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        CheckConstraint("kind in ('income', 'expense', 'transfer')", name="kind_valid"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    color: Mapped[str] = mapped_column(String(7), default="#8c8c8c", nullable=False)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Rule(TimestampMixin, Base):
    """A categorization rule. ``user_id`` NULL = a global default rule."""

    __tablename__ = "rules"
    __table_args__ = (
        Index("ix_rules_user_id_priority", "user_id", "priority"),
        CheckConstraint("match_type in ('contains', 'starts_with', 'exact', 'regex')", name="match_type_valid"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), default="", nullable=False)
    priority: Mapped[int] = mapped_column(Integer, default=100, nullable=False)  # lower runs first
    match_type: Mapped[str] = mapped_column(String(12), default="contains", nullable=False)
    pattern: Mapped[str] = mapped_column(String(500), nullable=False)
    min_amount_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    max_amount_minor: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    kind: Mapped[str | None] = mapped_column(String(10), nullable=True)  # income / expense / None = any
    account: Mapped[str | None] = mapped_column(String(100), nullable=True)
    origin: Mapped[str] = mapped_column(String(10), default="user", nullable=False)  # default/user/learned
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


# --------------------------------------------------------------------------- transactions & imports
class ImportBatch(Base):
    __tablename__ = "import_batches"
    __table_args__ = (Index("ix_import_batches_user_id_created_at", "user_id", "created_at"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    file_format: Mapped[str] = mapped_column(String(20), nullable=False)  # csv / xlsx / ofx
    account: Mapped[str | None] = mapped_column(String(100), nullable=True)
    rows_read: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="committed", nullable=False)  # committed/undone
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # the account's (opening balance, opening date, confirmed day) before and after this import reconciled it with
    # the file's statement or set its opening balance from it, as JSON (migration 0040): undoing it puts "before"
    # back (services/importing/balance_undo.py); NULL: the import changed no balance
    balance_undo_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the account this import gave the file's number to (an account chosen for the file keeps it as its
    # external_id: services/importing/chosen_number.py), so undoing the import takes it off again (migration 0048)
    gave_number_to: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ImportMapping(TimestampMixin, Base):
    """A saved column mapping for one file layout (keyed by its header signature)."""

    __tablename__ = "import_mappings"
    __table_args__ = (UniqueConstraint("user_id", "header_signature"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    header_signature: Mapped[str] = mapped_column(String(64), nullable=False)
    mapping_json: Mapped[str] = mapped_column(Text, nullable=False)


class Account(TimestampMixin, Base):
    """A user's bank account, card, cash box, loan or investment cash part (issue #19).

    ``name_key`` is the name's ``names.name_key``: names are unique per user case-insensitively on every
    backend (a row written before session 23 holds the key of its name as typed, maybe decomposed: lookups
    compare keys in Python, ``accounts._name_taken``). The opening balance (signed minor units, in the account's currency) holds at the
    start of ``opening_date``; transactions on or after that day move it.
    """

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("user_id", "name_key"),
        CheckConstraint(
            "kind in ('checking', 'savings', 'credit_card', 'cash', 'loan', 'investment')", name="kind_valid"
        ),
        NO_ID_REUSE,  # an import's undo can remove an account (migration 0028): its id is never handed out again
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    name_key: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), default="checking", nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    opening_balance_minor: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    opening_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # e.g. an OFX ACCTID
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # the day whose end-of-day balance the user confirmed matches the bank (the Accounts page's "Set a balance", a
    # statement balance an import set; migration 0035): a fact about that day, like a transaction on it. Any other
    # change of the opening balance clears it (the balance it confirmed may no longer hold)
    balance_confirmed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # the account the user made their default (Accounts page; migration 0041): at most one per user; none flagged,
    # or the flagged one archived: the first open account by id (accounts.default_account_id)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)
    # the import that created it (migration 0028): undoing that import removes it again while it is empty and
    # nothing refers to it (services/importing/history.py); NULL for accounts added by hand or before 0028
    created_by_import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True, nullable=True
    )


class Transaction(TimestampMixin, Base):
    __tablename__ = "transactions"
    __table_args__ = (
        # Covering index for the report aggregations (SUM by kind/currency/category/merchant over a
        # date range are answered from the index alone); its (user_id, date) prefix serves paging
        # and filters, category filters included (migration 0005).
        Index(
            "ix_transactions_report_cover",
            "user_id", "date", "kind", "currency", "category_id", "amount_minor", "merchant",
        ),
        # Per-merchant series (recurring payments) read in merchant order, from the index alone.
        Index(
            "ix_transactions_user_id_merchant",
            "user_id", "merchant", "kind", "currency", "date", "category_id", "amount_minor",
        ),
        Index("ix_transactions_date", "date"),  # admin oversight across all users, newest first
        Index("ix_transactions_user_id_fingerprint", "user_id", "fingerprint"),
        Index("ix_transactions_import_batch_id", "import_batch_id"),
        # Balances per account over time: SUM by account/kind/date from the index alone.
        Index("ix_transactions_account_id_date", "account_id", "date", "kind", "amount_minor"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("kind in ('income', 'expense')", name="kind_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    amount_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)  # always positive
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # income / expense
    description: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    merchant: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # normalized merchant key
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    account: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The account the money moved in (issue #19). NULL only for rows written by a bulk path that
    # has not been given one yet; services.accounts counts those in the user's default account.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), nullable=True
    )
    category_manual: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    category_source: Mapped[str | None] = mapped_column(String(10), nullable=True)  # manual/rule/learned/model/import
    category_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)  # a probability, not money
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("rules.id", ondelete="SET NULL"), nullable=True)
    # What a rule-like answer without a rule came from (source 'rule', no rule id): a structural signal of
    # categorize/structure.py ("recurring income", "refund", ...) or "brand"; NULL otherwise and for rows
    # stored before migration 0014 (categorize/explain.py then infers it from category and confidence)
    category_signal: Mapped[str | None] = mapped_column(String(30), nullable=True)
    # The bank's own type of the transaction (OFX TRNTYPE, a CSV "Type" column: "ATM", "FEE", "DD"...),
    # cleaned and cut to BANK_TYPE_MAX (importing/banktype.py); NULL when the file gave none (migration 0017)
    bank_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    source: Mapped[str] = mapped_column(String(10), default="manual", nullable=False)  # manual/import/demo
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), nullable=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)

    category: Mapped[Category | None] = relationship(lazy="raise")


class TransferLink(Base):
    """A confirmed transfer between two of one user's accounts (issue #19): the money-out row and the
    money-in row, with the category state they had before (an undo puts it back). Both rows carry the
    user's ``transfer`` category while linked, so reports, budgets and forecasts leave them out."""

    __tablename__ = "transfer_links"
    __table_args__ = (
        UniqueConstraint("out_transaction_id"),
        UniqueConstraint("in_transaction_id"),
        Index("ix_transfer_links_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    out_transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"), nullable=False)
    in_transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id", ondelete="CASCADE"), nullable=False)
    out_prev_category_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    in_prev_category_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    out_prev_manual: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    in_prev_manual: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # the rest of each row's category state before the link (migration 0015): where the category came
    # from, its confidence, rule (no foreign key: a rule deleted meanwhile is checked at the undo) and signal
    out_prev_source: Mapped[str | None] = mapped_column(String(10), nullable=True)
    in_prev_source: Mapped[str | None] = mapped_column(String(10), nullable=True)
    out_prev_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    in_prev_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    out_prev_rule_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    in_prev_rule_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    out_prev_signal: Mapped[str | None] = mapped_column(String(30), nullable=True)
    in_prev_signal: Mapped[str | None] = mapped_column(String(30), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class ScheduledItem(TimestampMixin, Base):
    """A payment or income the user schedules by hand for the cash-flow forecast (issue #19):
    "rent 1,200 on the 1st" (monthly), "insurance 600 every March" (yearly), or once."""

    __tablename__ = "scheduled_items"
    __table_args__ = (
        Index("ix_scheduled_items_user_id_next_date", "user_id", "next_date"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        CheckConstraint("kind in ('income', 'expense')", name="kind_valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    amount_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    cadence: Mapped[str | None] = mapped_column(String(10), nullable=True)  # None = once
    next_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # the account it is paid from or into (migration 0028); None: no particular account (every projection of
    # several accounts counts it, no single account's does)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True, nullable=True
    )


# --------------------------------------------------------------------------- budgets & goals
class Budget(TimestampMixin, Base):
    """A monthly budget effective from ``month`` until a later row for the same category.

    ``category_id`` NULL is the overall monthly budget.
    """

    __tablename__ = "budgets"
    __table_args__ = (
        UniqueConstraint("user_id", "category_id", "month"),
        Index("ix_budgets_user_id_month", "user_id", "month"),
        CheckConstraint("amount_minor >= 0", name="amount_nonneg"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), nullable=True)
    month: Mapped[dt.date] = mapped_column(Date, nullable=False)  # first day of the month
    amount_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    rollover: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Goal(TimestampMixin, Base):
    __tablename__ = "goals"
    __table_args__ = (CheckConstraint("target_minor > 0", name="target_positive"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    target_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    target_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    initial_saved_minor: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # a linked savings account: the goal's progress is that account's balance (issue #19, migration 0011)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True, nullable=True
    )


class GoalContribution(Base):
    __tablename__ = "goal_contributions"
    __table_args__ = (Index("ix_goal_contributions_goal_id_date", "goal_id", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    amount_minor: Mapped[int] = mapped_column(BigInteger, nullable=False)  # negative = withdrawal
    note: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


# --------------------------------------------------------------------------- currencies
class ExchangeRate(Base):
    """1 ``base`` = ``rate`` ``quote`` on ``date`` (exact decimal, stored as text).

    ``user_id`` is the owner: NULL for a shared rate (the ECB's reference rates, or a rate an
    administrator stored for everyone), else the one user whose conversions may use it.
    """

    __tablename__ = "exchange_rates"
    __table_args__ = (
        UniqueConstraint("base", "quote", "date", "source", "user_id"),
        Index("ix_exchange_rates_quote_date", "base", "quote", "date"),
        Index("ix_exchange_rates_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    base: Mapped[str] = mapped_column(String(3), nullable=False)
    quote: Mapped[str] = mapped_column(String(3), nullable=False)
    rate: Mapped[Decimal] = mapped_column(DecimalText(), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)  # ecb / upload / manual
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True
    )  # None: shared by every user
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
