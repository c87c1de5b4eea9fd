"""Reading an uploaded CSV of transactions for a forecast (pure).

Dates in several formats, amounts as exact decimals, income/expense from a type column or
the sign; a file that cannot be read raises ``ImportFileError`` with a full sentence.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd

from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.money import parse_decimal, to_minor_rounded, validate_currency
from budgetwise.services.forecast.types import TRANSFER_NAMES, UNCATEGORIZED
from budgetwise.text import clean_text, fold
from budgetwise.textforms import merchant_key

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")
_TYPE_WORDS = {
    "expense": "expense", "expenses": "expense", "debit": "expense", "spending": "expense", "out": "expense",
    "income": "income", "credit": "income", "deposit": "income", "in": "income",
    "transfer": "transfer", "transfers": "transfer",
}


def _parse_dates(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip()
    text = text.str.replace(r"[T ]\d{1,2}:\d{2}(:\d{2})?.*$", "", regex=True)
    for fmt in _DATE_FORMATS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if parsed.notna().all():
            return parsed
    best = max(_DATE_FORMATS, key=lambda f: pd.to_datetime(text, format=f, errors="coerce").notna().sum())
    parsed = pd.to_datetime(text, format=best, errors="coerce")
    bad = int(np.flatnonzero(parsed.isna())[0])
    raise ImportFileError(
        f"Row {bad + 2}: {values.iloc[bad]!r} is not a date (column date; use YYYY-MM-DD, or one date format for the whole file)."
    )


def parse_transactions(df: pd.DataFrame, *, currency: str = "USD") -> pd.DataFrame:
    """Validate a plain categorized frame (date, amount, category; optional type, description).

    Rows without a type are expenses; without a type column, a file with negative
    amounts is read by sign (negative = expense, positive = income). Amounts are
    converted to exact minor units. Errors name the row and the column.
    """
    currency = validate_currency(currency)
    cols = {str(c).strip().lower(): c for c in df.columns}
    missing = [c for c in ("date", "amount", "category") if c not in cols]
    if missing:
        raise ImportFileError(
            f"The file needs the columns date, amount and category (optional: type, description); "
            f"missing: {', '.join(missing)}. Columns found: {', '.join(map(str, df.columns)) or 'none'}."
        )
    frame = pd.DataFrame({name: df[orig] for name, orig in cols.items()})
    frame = frame[~frame[cols and "date"].isna() | ~frame["amount"].isna()]
    if frame.empty:
        raise ImportFileError("The file has no rows.")
    dates = _parse_dates(frame["date"])
    amounts: list[int] = []
    negative: list[bool] = []
    for i, raw in enumerate(frame["amount"].tolist()):
        try:
            value = parse_decimal(str(raw), label="")  # the message names row and column
        except ValidationError as exc:
            raise ImportFileError(f"Row {i + 2}: {exc.message} (column amount)") from None
        negative.append(value < 0)
        amounts.append(to_minor_rounded(abs(value), currency))
    has_type = "type" in frame.columns
    kinds: list[str] = []
    signed = not has_type and any(negative) and not all(negative)
    for i in range(len(frame)):
        word = ""
        if has_type:
            raw = frame["type"].iloc[i]
            word = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else fold(str(raw))
        if word:
            kind = _TYPE_WORDS.get(word)
            if kind is None:
                raise ImportFileError(
                    f"Row {i + 2}: {frame['type'].iloc[i]!r} is not a type (column type: income, expense or transfer)."
                )
        elif signed:
            kind = "expense" if negative[i] else "income"
        else:
            kind = "expense"
        kinds.append(kind)
    categories = [
        clean_text(c, max_length=60) if not (c is None or (isinstance(c, float) and math.isnan(c))) else ""
        for c in frame["category"].tolist()
    ]
    categories = [c or UNCATEGORIZED for c in categories]
    if "description" in frame.columns:
        descriptions = [
            "" if d is None or (isinstance(d, float) and math.isnan(d)) else clean_text(d, max_length=500)
            for d in frame["description"].tolist()
        ]
    else:
        descriptions = [""] * len(frame)
    out = pd.DataFrame(
        {
            "date": dates.dt.normalize().to_numpy(),
            "amount_minor": np.asarray(amounts, dtype="int64"),
            "kind": kinds,
            "category": categories,
            "description": descriptions,
        }
    )
    transfer = (out["kind"] == "transfer") | out["category"].map(lambda c: fold(c) in TRANSFER_NAMES)
    out = out[~transfer & (out["amount_minor"] > 0)].reset_index(drop=True)
    out["key"] = [merchant_key(d) for d in out["description"]]
    return out


def _refuse_wide_header(text: str, sep: str) -> None:
    """The importer's column ceiling (limits.MAX_COLUMNS) on the header, before pandas: 200,000
    columns in a 1.9 MB file kept pandas busy for 38 s (session 13 audit)."""
    from budgetwise.importing import limits

    try:
        header = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or len(text)]), delimiter=sep), [])
    except csv.Error as exc:  # a header cell past csv's field limit raised out of the page (session 19 audit)
        raise ImportFileError(f"Row 1 is not a readable CSV header ({exc}): it names the columns date, amount, "
                              "category.") from None
    if len(header) > limits.MAX_COLUMNS:
        raise ImportFileError(
            f"Row 1 has {len(header):,} columns; a categorized CSV has at most {limits.MAX_COLUMNS:,}. "
            "Check that the file and its delimiter are right."
        )


def read_transactions_csv(data: bytes | str, *, currency: str = "USD") -> pd.DataFrame:
    """Read an uploaded categorized CSV (bytes or a path) into the canonical frame."""
    try:
        if isinstance(data, bytes):
            text = data.decode("utf-8-sig")
        else:
            with open(data, encoding="utf-8-sig") as fh:
                text = fh.read()
    except UnicodeDecodeError:
        raise ImportFileError("The file is not UTF-8 text; save it as CSV (UTF-8) and try again.") from None
    except OSError as exc:
        raise ImportFileError(f"Cannot read {data!s}: {exc.strerror or exc}.") from None
    if not text.strip():
        raise ImportFileError("The file is empty.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    _refuse_wide_header(text, sep)
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportFileError(f"The file is not a readable CSV: {exc}") from None
    raw = raw.replace({"": None})
    return parse_transactions(raw, currency=currency)
