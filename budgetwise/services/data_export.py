""""Download all my data": one zip of CSV files with everything a user owns.

One CSV per table the user owns rows in (profile, transactions, categories, rules,
budgets, goals, goal contributions, import batches, saved mappings, login attempts,
two-factor recovery codes). Secrets are left out: the password hash, the two-factor
secret and the recovery-code hashes are never exported (the recovery file only says
how many codes exist and which were used). Money is exact decimal text next to its
currency, plus the integer minor units. Every text cell goes through
:func:`budgetwise.services.exports.safe_frame` (no spreadsheet formula injection).

:data:`EXPORTED_TABLES` names the table behind each file; a test checks that every
table with a ``user_id`` column is exported, so a new user-owned table cannot be
forgotten silently; and that every column of an exported table is in its file or named in
:data:`LEFT_OUT_COLUMNS` with the reason (session 26: the confirmed-balance day, the default
account and an import's balance-undo state had been left behind).

All files are read in one consistent snapshot (:func:`budgetwise.db.begin_snapshot`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from budgetwise.db import begin_snapshot
from budgetwise.errors import NotFoundError
from budgetwise.models import (
    Account,
    Budget,
    Category,
    ExchangeRate,
    Goal,
    GoalContribution,
    ImportBatch,
    ImportMapping,
    LoginAttempt,
    RecoveryCode,
    Rule,
    ScheduledItem,
    Transaction,
    TransferLink,
    User,
    utcnow,
)
from budgetwise.money import from_minor
from budgetwise.services.exports import to_csv_bytes
from budgetwise.text import and_list, plural_word

FORMAT_VERSION = 1

# file name -> table whose rows of this user it holds
EXPORTED_TABLES: dict[str, str] = {
    "profile.csv": "users",
    "transactions.csv": "transactions",
    "categories.csv": "categories",
    "rules.csv": "rules",
    "budgets.csv": "budgets",
    "goals.csv": "goals",
    "goal_contributions.csv": "goal_contributions",
    "import_batches.csv": "import_batches",
    "import_mappings.csv": "import_mappings",
    "login_attempts.csv": "login_attempts",
    "recovery_codes.csv": "recovery_codes",
    "accounts.csv": "accounts",
    "transfers.csv": "transfer_links",
    "scheduled_items.csv": "scheduled_items",
    "exchange_rates.csv": "exchange_rates",  # the user's own rates (shared rates are not theirs)
}
# what each file holds, in the words of the Profile page's "Your data" tab (a test keeps it complete)
EXPORTED_SUBJECTS: dict[str, str] = {
    "profile.csv": "your profile",
    "accounts.csv": "accounts",
    "transactions.csv": "transactions",
    "transfers.csv": "transfers between your accounts",
    "categories.csv": "categories",
    "rules.csv": "rules",
    "budgets.csv": "budgets",
    "goals.csv": "goals",
    "goal_contributions.csv": "contributions",
    "scheduled_items.csv": "scheduled payments",
    "exchange_rates.csv": "the exchange rates you entered",
    "import_batches.csv": "import history",
    "import_mappings.csv": "saved column mappings",
    "login_attempts.csv": "sign-in history",
    "recovery_codes.csv": "which of your recovery codes were used",
}


def contents_text() -> str:
    """What the zip holds, as one readable list ("your profile, accounts, … and …")."""
    return and_list(EXPORTED_SUBJECTS.values())


# user-owned tables deliberately not exported, and why
NOT_EXPORTED: dict[str, str] = {
    "password_reset_tokens": "single-use secrets (hashes) that expire within minutes; nothing personal",
    "remember_tokens": "'stay signed in' records (hashes of cookie secrets) that expire within days; nothing personal",
}
SECRET_COLUMNS = frozenset({"password_hash", "totp_secret", "code_hash", "token_hash", "validator_hash", "account_uid"})
# a table's column exported under another name (file's column name)
RENAMED_COLUMNS: dict[tuple[str, str], str] = {
    ("users", "totp_enabled"): "two_factor_enabled",
    ("transactions", "kind"): "type",
}
# every column of an exported table that is not in its file, and why (a test reads every table's columns: a column
# added later is exported or named here; ``user_id`` is the profile's id in every file and is left out everywhere)
LEFT_OUT_COLUMNS: dict[str, dict[str, str]] = {
    "users": {
        "password_hash": "a secret (only a hash of the password is stored)",
        "totp_secret": "a secret (the two-factor key)",
        "account_uid": "a secret (the random key of every sign-in token and cookie)",
        "token_version": "sign-in bookkeeping: bumped to end every session",
        "data_version": "cache bookkeeping: bumped on every write",
        "failed_logins": "sign-in protection: failures since the last success (login_attempts.csv lists them)",
        "locked_until": "sign-in protection: a temporary lock after failures",
    },
    "recovery_codes": {"code_hash": "a secret (a hash of a recovery code)"},
    "login_attempts": {"client": "a keyed hash of the network address (the server's secret key), not the address"},
    "accounts": {"name_key": "derived from the name (its case-insensitive key)"},
}


def _money(minor: int | None, currency: str | None) -> str:
    if minor is None or not currency:
        return ""
    return format(from_minor(int(minor), currency), "f")


def _iso(value: object) -> object:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    # object columns from the start: a column of ids with an empty cell was read as floats, so every id in it
    # was written "19.0" (session 18: the category_id of transactions.csv)
    df = pd.DataFrame([[_iso(r.get(k)) for k in columns] for r in rows], columns=columns, dtype=object)
    return df.where(df.notna(), "")


def _profile(session: Session, user: User) -> pd.DataFrame:
    columns = [
        "id", "email", "name", "role", "is_active", "currency", "locale", "date_format", "week_start",
        "two_factor_enabled", "created_at", "updated_at", "last_login_at",
        # the Cash flow page's "Warn me below" (session 22, newuser22b): exact, in the base currency, and in minor units
        "cashflow_threshold", "cashflow_threshold_minor",
    ]
    row = {c: getattr(user, c) for c in columns if hasattr(user, c)}
    row["two_factor_enabled"] = bool(user.totp_enabled)
    row["cashflow_threshold"] = _money(user.cashflow_threshold_minor, user.currency)
    return _frame([row], columns)


def _transactions(session: Session, user_id: int) -> pd.DataFrame:
    columns = [
        "id", "date", "type", "amount", "currency", "amount_minor", "description", "category_id", "category",
        "category_manual", "category_source", "notes", "account", "merchant", "source", "import_batch_id",
        "created_at", "updated_at", "account_id", "bank_type",  # the file's own type of the row (session 22)
        # why the row has its category (the Transactions page's "How"): the rule, the categorizer's confidence, the
        # structural signal; and the duplicate key (from the row as imported: a re-import of the file is recognized)
        "rule_id", "category_confidence", "category_signal", "fingerprint",  # session 26
    ]
    stmt = (
        select(Transaction, Category.name)
        .outerjoin(Category, Category.id == Transaction.category_id)
        .where(Transaction.user_id == user_id)
        .order_by(Transaction.date, Transaction.id)
    )
    rows = []
    for t, cat in session.execute(stmt):
        rows.append(
            {
                "id": t.id, "date": t.date, "type": t.kind, "amount": _money(t.amount_minor, t.currency),
                "currency": t.currency, "amount_minor": t.amount_minor, "description": t.description,
                "category_id": t.category_id, "category": cat or "", "category_manual": t.category_manual,
                "category_source": t.category_source, "notes": t.notes, "account": t.account, "merchant": t.merchant,
                "source": t.source, "import_batch_id": t.import_batch_id, "created_at": t.created_at,
                "updated_at": t.updated_at, "account_id": t.account_id, "bank_type": t.bank_type or "",
                "rule_id": t.rule_id, "category_confidence": t.category_confidence, "category_signal": t.category_signal,
                "fingerprint": t.fingerprint,
            }
        )
    return _frame(rows, columns)


def _plain(model, columns: list[str], *, order_by=None,
           computed: dict[str, Callable[[Any], object]] | None = None) -> Callable[[Session, int], pd.DataFrame]:
    """The user's rows of ``model`` with ``columns`` as stored, then the ``computed`` ones (name: value of a row)."""
    extra = computed or {}

    def load(session: Session, user_id: int) -> pd.DataFrame:
        stmt = select(model).where(model.user_id == user_id).order_by(order_by if order_by is not None else model.id)
        rows = [{**{c: getattr(o, c) for c in columns}, **{c: f(o) for c, f in extra.items()}} for o in session.scalars(stmt)]
        return _frame(rows, [*columns, *extra])

    return load


def _rules(session: Session, user_id: int) -> pd.DataFrame:
    columns = [
        "id", "name", "category_id", "category", "priority", "match_type", "pattern", "min_amount_minor",
        "max_amount_minor", "kind", "account", "origin", "is_active", "created_at", "updated_at",
    ]
    stmt = (
        select(Rule, Category.name)
        .join(Category, Category.id == Rule.category_id)
        .where(Rule.user_id == user_id)
        .order_by(Rule.priority, Rule.id)
    )
    rows = [{**{c: getattr(r, c) for c in columns if c != "category"}, "category": name} for r, name in session.execute(stmt)]
    return _frame(rows, columns)


def _budgets(session: Session, user_id: int) -> pd.DataFrame:
    columns = ["id", "month", "category_id", "category", "amount", "currency", "amount_minor", "rollover", "created_at", "updated_at"]
    stmt = (
        select(Budget, Category.name)
        .outerjoin(Category, Category.id == Budget.category_id)
        .where(Budget.user_id == user_id)
        .order_by(Budget.month, Budget.id)
    )
    rows = [
        {
            **{c: getattr(b, c) for c in ("id", "month", "category_id", "currency", "amount_minor", "rollover", "created_at", "updated_at")},
            "category": name or "(overall)", "amount": _money(b.amount_minor, b.currency),
        }
        for b, name in session.execute(stmt)
    ]
    return _frame(rows, columns)


def _goals(session: Session, user_id: int) -> pd.DataFrame:
    columns = [
        "id", "name", "target", "currency", "target_minor", "target_date", "initial_saved", "initial_saved_minor",
        "is_archived", "created_at", "updated_at",
        "account_id",  # the savings account the goal follows (accounts.csv), empty if none (session 22: it was left out)
    ]
    rows = [
        {
            **{c: getattr(g, c) for c in columns if hasattr(g, c)},
            "target": _money(g.target_minor, g.currency), "initial_saved": _money(g.initial_saved_minor, g.currency),
        }
        for g in session.scalars(select(Goal).where(Goal.user_id == user_id).order_by(Goal.id))
    ]
    return _frame(rows, columns)


def _contributions(session: Session, user_id: int) -> pd.DataFrame:
    columns = ["id", "goal_id", "goal", "date", "amount", "currency", "amount_minor", "note", "created_at"]
    stmt = (
        select(GoalContribution, Goal.name, Goal.currency)
        .join(Goal, Goal.id == GoalContribution.goal_id)
        .where(GoalContribution.user_id == user_id)
        .order_by(GoalContribution.date, GoalContribution.id)
    )
    rows = [
        {
            "id": c.id, "goal_id": c.goal_id, "goal": name, "date": c.date, "amount": _money(c.amount_minor, cur),
            "currency": cur, "amount_minor": c.amount_minor, "note": c.note, "created_at": c.created_at,
        }
        for c, name, cur in session.execute(stmt)
    ]
    return _frame(rows, columns)


def _login_attempts(session: Session, user_id: int) -> pd.DataFrame:
    columns = ["id", "created_at", "email", "success", "reason"]
    user_email = session.scalar(select(User.email).where(User.id == user_id))
    stmt = (
        select(LoginAttempt)
        # by email only the attempts tied to no account (made before it existed): a row of another user's id is
        # theirs, e.g. of the account that used this email before changing it (session 19 audit)
        .where(or_(LoginAttempt.user_id == user_id,
                   and_(LoginAttempt.user_id.is_(None), LoginAttempt.email == user_email)))
        .order_by(LoginAttempt.created_at, LoginAttempt.id)
    )
    return _frame([{c: getattr(a, c) for c in columns} for a in session.scalars(stmt)], columns)


def _recovery_codes(session: Session, user_id: int) -> pd.DataFrame:
    columns = ["id", "used_at"]  # never the hashes
    stmt = select(RecoveryCode).where(RecoveryCode.user_id == user_id).order_by(RecoveryCode.id)
    return _frame([{"id": r.id, "used_at": r.used_at} for r in session.scalars(stmt)], columns)


_LOADERS: dict[str, Callable[[Session, int], pd.DataFrame]] = {
    "transactions.csv": _transactions,
    "categories.csv": _plain(Category, ["id", "name", "kind", "color", "is_archived", "created_at", "updated_at"]),
    "rules.csv": _rules,
    "budgets.csv": _budgets,
    "goals.csv": _goals,
    "goal_contributions.csv": _contributions,
    "import_batches.csv": _plain(
        ImportBatch,
        ["id", "created_at", "filename", "file_format", "file_sha256", "account", "rows_read", "rows_imported",
         "rows_duplicate", "rows_rejected", "status", "undone_at",
         # the account's balance state before and after this import changed it (JSON; empty: it changed none):
         # what undoing the import puts back (session 26)
         "balance_undo_json",
         # the account this import gave the file's number to, which undoing it takes off again (session 28)
         "gave_number_to"],
    ),
    "import_mappings.csv": _plain(ImportMapping, ["id", "name", "header_signature", "mapping_json", "created_at", "updated_at"]),
    "login_attempts.csv": _login_attempts,
    "recovery_codes.csv": _recovery_codes,
    "accounts.csv": _plain(Account, ["id", "name", "kind", "currency", "opening_balance_minor", "opening_date",
                                     "external_id", "is_archived", "created_by_import_id", "created_at",
                                     "updated_at",
                                     # session 26: the day the user confirmed the balance, the default account
                                     "balance_confirmed_on", "is_default"],
                           computed={"opening_balance": lambda a: _money(a.opening_balance_minor, a.currency)}),
    "transfers.csv": _plain(TransferLink, ["id", "out_transaction_id", "in_transaction_id", "out_prev_category_id",
                                           "in_prev_category_id", "created_at",
                                           # the rest of each row's category state before the link, which undoing
                                           # the transfer puts back (session 26)
                                           "out_prev_manual", "in_prev_manual", "out_prev_source", "in_prev_source",
                                           "out_prev_confidence", "in_prev_confidence", "out_prev_rule_id",
                                           "in_prev_rule_id", "out_prev_signal", "in_prev_signal"]),
    "scheduled_items.csv": _plain(ScheduledItem, ["id", "name", "kind", "amount_minor", "currency", "cadence",
                                                  "next_date", "account_id", "created_at", "updated_at"],
                                  computed={"amount": lambda i: _money(i.amount_minor, i.currency)}),
    "exchange_rates.csv": _plain(ExchangeRate, ["id", "date", "base", "quote", "rate", "source", "created_at"]),
}

README = """BudgetWise: all the data of one account
==========================================

Exported {when} (UTC) for {email}.

One CSV file per kind of data (UTF-8, comma-separated, first row = column names):

{files}

Amounts: "amount" is an exact decimal in the row's currency; "amount_minor" is the same
amount in the currency's smallest unit (cents). Transactions are always positive: "type"
says whether it was income or an expense; "bank_type" is the type the bank's file gave the
row ("DD", "ATM", ...), when it had one. "cashflow_threshold" (profile) is the Cash flow
page's "Warn me below", in your base currency. Dates are ISO 8601 (YYYY-MM-DD), whatever
date format you chose for the app; times are UTC.
Text that a spreadsheet could run as a formula (starting with = + - @) has an apostrophe
in front of it.

Accounts: "opening_balance" holds at the start of "opening_date"; "balance_confirmed_on" is
the day whose balance you confirmed matches the bank (empty: none); "is_default" marks the
account you made your default. Import history: "balance_undo_json" is what an import changed
in its accounts' balances, a list with one entry per account: its "account_id" and its
[opening balance in minor units, opening date, confirmed day] "before" and "after" the import
(empty: it changed none; an import made before December 2026 has one entry, not in a list);
undoing the import puts "before" back.
Transactions: "rule_id", "category_confidence" and "category_signal" say how the category
was chosen; "fingerprint" is the duplicate check's key of the row as it was imported.

Not included, on purpose: your password (only a hash of it is stored), your two-factor
secret, the hashes of your recovery codes and the key of your sign-in tokens; sign-in
bookkeeping (failed sign-ins since the last success, a temporary lock, the hashed network
address of each attempt); each account name's case-insensitive key (made from the name).
"""


def export_frames(session: Session, *, user_id: int) -> dict[str, pd.DataFrame]:
    """Every file of the export as a DataFrame (before formula neutralization).

    All read in one consistent snapshot (``db.begin_snapshot``: REPEATABLE READ and read only on PostgreSQL, START
    TRANSACTION WITH CONSISTENT SNAPSHOT on MariaDB, a deferred read transaction on SQLite) when ``session`` has not
    begun a transaction yet, as the Profile page's has not (the CLI has no such export): a write from another tab
    while the export runs is then in every file or in none (session 26; before, a new account could be in accounts.csv
    and its rows not in transactions.csv). A session already in a transaction is read as it is (the caller's
    choice)."""
    begin_snapshot(session)
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("This account no longer exists.")
    frames = {"profile.csv": _profile(session, user)}
    for name, load in _LOADERS.items():
        frames[name] = load(session, user_id)
    return frames


def export_zip(session: Session, *, user_id: int, now: dt.datetime | None = None) -> bytes:
    """The whole export as zip bytes (README.txt, manifest.json and one CSV per table)."""
    now = now or utcnow()
    frames = export_frames(session, user_id=user_id)
    email = frames["profile.csv"].iloc[0]["email"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        listing = "\n".join(f"  {name:<24} {len(df):>7} {plural_word(len(df), 'row')}" for name, df in frames.items())
        zf.writestr("README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M"), email=email, files=listing))
        manifest = {
            "format": "budgetwise-personal-export",
            "version": FORMAT_VERSION,
            "exported_at": now.isoformat(),
            "files": {name: {"rows": int(len(df)), "table": EXPORTED_TABLES[name]} for name, df in frames.items()},
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, df in frames.items():
            zf.writestr(name, to_csv_bytes(df))
    return buffer.getvalue()


def export_filename(user_id: int, *, now: dt.datetime | None = None) -> str:
    """``budgetwise-user<id>-<UTC date and time>.zip``: built from the user id and a date only.

    Nothing typed by the user goes into it (an e-mail's local part such as ``../../`` did,
    issue 13), so it is the same safe name on every operating system.
    """
    now = now or utcnow()
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        raise TypeError("export_filename takes the user id")
    return f"budgetwise-user{int(user_id)}-{now.astimezone(dt.UTC).strftime('%Y%m%d-%H%M%S')}.zip"
