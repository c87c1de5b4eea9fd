"""CSV / Excel exports, neutralized against spreadsheet formula injection."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.models import Account, Category, Transaction
from budgetwise.money import from_minor
from budgetwise.text import FORMULA_STARTS, strip_invisible

if TYPE_CHECKING:
    from budgetwise.services.transactions import TransactionFilter

_DANGEROUS = FORMULA_STARTS
# A spreadsheet whose list separator is ';' (German, French, ... Excel) splits a comma CSV on
# ';', so "Shop;=HYPERLINK(...)" would start a formula in the next cell: neutralize that too.
_AFTER_SEPARATOR = re.compile(r"([;,\t]\s*)(?=[=+\-@])")


def neutralize(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe; drop bidi,
    zero-width and C1 control characters (budgetwise.text.strip_invisible), so a row stored
    before they were refused on input cannot spoof a file name in a spreadsheet either."""
    if not isinstance(value, str):
        return value
    value = strip_invisible(value)
    if value.startswith(_DANGEROUS):
        value = "'" + value
    if ";" in value or "," in value or "\t" in value:
        value = _AFTER_SEPARATOR.sub(r"\1'", value)
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) cannot start a formula; numbers stay numbers."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralize)
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    return safe_frame(df).to_csv(index=False).encode("utf-8")


def to_excel_bytes(df: pd.DataFrame, *, sheet_name: str = "Data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(df).to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


def timestamped_name(stem: str, extension: str, *, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"{stem}-{now.strftime('%Y%m%d-%H%M%S')}.{extension.lstrip('.')}"


EXPORT_COLUMNS = ["date", "description", "amount", "type", "category", "currency", "account", "notes"]


def account_label():
    """A row's account in an export: the name of the account it is in (its current name), else the label
    the file gave (rows from before accounts). The stored label alone was empty for every row typed in by
    hand and stale after a rename, so a re-import put those rows in the wrong account. Selects using it
    outer-join ``Account`` on ``Transaction.account_id``."""
    return func.coalesce(Account.name, Transaction.account)


def transactions_export_frame(
    session: Session, *, user_id: int, filters: TransactionFilter | None = None
) -> pd.DataFrame:
    """The user's transactions as exact text amounts (date, description, amount, type, ...): all of them, or
    those ``filters`` keeps (the rows the Transactions page shows under its filter; session 26: "Download all
    as CSV" stood under an account filter)."""
    from budgetwise.services.transactions import apply_filter  # lazy: transactions is the heavier module

    stmt = (
        select(
            Transaction.date,
            Transaction.description,
            Transaction.amount_minor,
            Transaction.kind,
            Category.name,
            Transaction.currency,
            account_label(),
            Transaction.notes,
        )
        .outerjoin(Category, Category.id == Transaction.category_id)
        .outerjoin(Account, Account.id == Transaction.account_id)
        .where(Transaction.user_id == user_id)
        .order_by(Transaction.date, Transaction.id)
    )
    if filters is not None:
        stmt = apply_filter(stmt, user_id, filters)
    rows = [
        {
            "date": d.isoformat(),
            "description": desc,
            "amount": format(from_minor(minor, cur), "f"),
            "type": kind,
            "category": cat or "",
            "currency": cur,
            "account": account or "",
            "notes": notes or "",
        }
        for d, desc, minor, kind, cat, cur, account, notes in session.execute(stmt)
    ]
    return pd.DataFrame.from_records(rows, columns=EXPORT_COLUMNS)
