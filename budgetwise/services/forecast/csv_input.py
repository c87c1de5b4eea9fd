"""Reading an uploaded CSV of transactions for a forecast (pure).

Dates in several formats, amounts as exact decimals, income/expense from a type column or
the sign; a file that cannot be read raises ``ImportFileError`` with a full sentence.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from budgetwise.config import configured_max_upload_bytes
from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.money import MAX_AMOUNT, minor_digits, parse_decimal, to_minor_rounded, validate_currency
from budgetwise.names import quoted
from budgetwise.services.forecast.types import TRANSFER_NAMES, UNCATEGORIZED
from budgetwise.text import clean_text, fold
from budgetwise.textforms import merchant_keys

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
        f"Row {bad + 2}: {quoted(values.iloc[bad])} is not a date (column date; use YYYY-MM-DD, or one date format for the whole file)."
    )


_PLAIN_AMOUNT = re.compile(r"([-+]?)([0-9]{1,15})(?:\.([0-9]{1,2}))?")  # "-12.50": parse_decimal reads it as written
_UNSET = object()


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _per_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> np.ndarray:
    """``fn`` of every value, worked out once per distinct value (a file repeats its categories,
    descriptions and amounts thousands of times)."""
    seen: dict[object, Any] = {}
    out = []
    for value in values.tolist():
        key = value if type(value) is str else (type(value), value)
        result = seen.get(key, _UNSET)
        if result is _UNSET:
            result = seen[key] = fn(value)
        out.append(result)
    return np.asarray(out, dtype=object)


def _parse_amounts(values: pd.Series, currency: str) -> tuple[np.ndarray, np.ndarray]:
    """Positive minor units (rounded half-even) and the sign per row; the first bad row raises.

    Plain "-12.50" with no more decimals than the currency has is read directly; anything else
    goes through :func:`budgetwise.money.parse_decimal` (the owner of amount text), once per
    distinct text. Same figures and messages as parsing every row with it (session 19). An amount above
    :data:`budgetwise.money.MAX_AMOUNT` is refused, as the importer does (review19b)."""
    digits = minor_digits(currency)
    scale = 10**digits
    largest = int(MAX_AMOUNT) * scale
    seen: dict[str, tuple[int, bool]] = {}
    minor = np.empty(len(values), dtype="int64")
    negative = np.empty(len(values), dtype=bool)
    for i, raw in enumerate(values.tolist()):
        text = str(raw)
        parsed = seen.get(text)
        if parsed is None:
            plain = _PLAIN_AMOUNT.fullmatch(text)
            if plain is not None and len(plain[3] or "") <= digits:
                units = int(plain[2]) * scale + (int((plain[3] or "").ljust(digits, "0")) if digits else 0)
                parsed = (units, plain[1] == "-" and units > 0)
            else:
                try:
                    value = parse_decimal(text, label="")  # the message names row and column
                except ValidationError as exc:
                    raise ImportFileError(f"Row {i + 2}: {exc.message} (column amount)") from None
                parsed = (to_minor_rounded(abs(value), currency), value < 0)
            if parsed[0] > largest:  # past int64 it raised OverflowError out of the page (review19b)
                raise ImportFileError(f"Row {i + 2}: {quoted(text)} is implausibly large (the limit is {MAX_AMOUNT:,} per "
                                      "transaction, as for an import) (column amount)")
            seen[text] = parsed
        minor[i], negative[i] = parsed
    return minor, negative


def _kinds_from_type(types: pd.Series) -> np.ndarray:
    """income/expense/transfer from the type column (rows without one are expenses); the first
    unknown word raises."""
    def kind(raw: object) -> str | None:
        word = "" if _missing(raw) else fold(str(raw))
        return _TYPE_WORDS.get(word) if word else "expense"

    kinds = _per_distinct(types, kind)
    unknown = next((i for i, k in enumerate(kinds) if k is None), None)
    if unknown is not None:
        raise ImportFileError(
            f"Row {unknown + 2}: {quoted(types.iloc[unknown])} is not a type (column type: income, expense or transfer)."
        )
    return kinds


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
    amounts, negative = _parse_amounts(frame["amount"], currency)
    has_type = "type" in frame.columns
    signed = not has_type and bool(negative.any()) and not bool(negative.all())
    if has_type:
        kinds = _kinds_from_type(frame["type"])
    else:
        kinds = np.where(negative, "expense", "income") if signed else np.full(len(frame), "expense", dtype=object)
    categories = _per_distinct(
        frame["category"], lambda c: (clean_text(c, max_length=60) if not _missing(c) else "") or UNCATEGORIZED
    )
    if "description" in frame.columns:
        descriptions = _per_distinct(
            frame["description"], lambda d: "" if _missing(d) else clean_text(d, max_length=500)
        )
    else:
        descriptions = np.full(len(frame), "", dtype=object)
    out = pd.DataFrame(
        {
            "date": dates.dt.normalize().to_numpy(),
            "amount_minor": amounts,
            "kind": np.asarray(kinds, dtype=object),
            "category": categories,
            "description": descriptions,
        }
    )
    transfer = (out["kind"] == "transfer") | _per_distinct(out["category"], lambda c: fold(c) in TRANSFER_NAMES).astype(bool)
    out = out[~transfer & (out["amount_minor"] > 0)].reset_index(drop=True)
    out["key"] = merchant_keys(out["description"].tolist())
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


def read_transactions_csv(data: bytes | str, *, currency: str = "USD", max_bytes: int | None = None) -> pd.DataFrame:
    """Read an uploaded categorized CSV (bytes or a path) into the canonical frame.

    A file above ``max_bytes`` (default: the configured BUDGETWISE_MAX_UPLOAD_MB, the importer's
    limit) is refused before it is read or decoded."""
    from budgetwise.importing import limits

    max_bytes = configured_max_upload_bytes() if max_bytes is None else max_bytes
    try:
        if isinstance(data, bytes):
            limits.check_upload_size(len(data), max_bytes)
            text = data.decode("utf-8-sig")
        else:
            limits.check_upload_size(os.path.getsize(data), max_bytes)
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
    frame = parse_transactions(raw, currency=currency)
    _refuse_many_categories(frame)
    return frame


def _refuse_many_categories(frame: pd.DataFrame) -> None:
    """At most as many categories as an account may keep (``categories.MAX_OWN_CATEGORIES``, the bound of a
    forecast from the database): a forecast reads every category of the file, even for one category (the pooled
    evidence), and each costs the one server process every user shares its time (session 23 audit: a 1.9 MB file
    of 1,000 categories took 40 s of CPU for "every category", 25 s for one)."""
    from budgetwise.services.categories import MAX_OWN_CATEGORIES

    count = int(frame["category"].nunique())
    if count > MAX_OWN_CATEGORIES:
        raise ImportFileError(
            f"The file has {count:,} categories; a forecast reads at most {MAX_OWN_CATEGORIES:,} (as many as an "
            "account keeps), because forecasting each one takes the server's time. Put the small ones together "
            "(for example as \"Other\") and upload it again."
        )
