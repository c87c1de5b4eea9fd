"""Amounts in bank files, parsed column-at-a-time into exact integer minor units.

The decimal separator is decided per column from all its values (a file never
mixes "1.234,56" and "1,234.56" in one column), falling back to the whole file.
Clean values take a vectorized path; anything unusual goes through
:func:`budgetwise.money.parse_decimal` with the decided separator, so both paths
mean the same thing. No float is ever involved.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from babel.numbers import list_currencies

from budgetwise.errors import ValidationError
from budgetwise.money import MAX_AMOUNT, minor_digits, parse_decimal
from budgetwise.names import quoted

_SYMBOLS = "$€£¥₹₽₩₪₫₴₦₱฿₺₸₡₲₵₭₮₾₼﷼¢"
_CODES = "|".join(sorted(list_currencies(), key=len, reverse=True))
# Local abbreviations written beside amounts instead of a symbol or an ISO code (rupees, rupiah,
# real, crowns, złoty, koruna, forint, lei, sol).
_LOCAL = r"Rs\.?|Rp\.?|R\$|kr\.?|zł|Kč|Ft|lei|S/\.?"
_CCY_EDGE = re.compile(rf"^(?:(?i:{_CODES})\b\.?|(?:{_LOCAL}))|(?<=[\d\s.,)])(?:(?i:{_CODES})|{_LOCAL})$")
_SPACE_LIKE = re.compile(r"[\s\u00a0\u202f\u2009'’`]")
_HAS_LETTER = re.compile(r"[^\W\d_]")
MAX_DIGITS = len(str(int(MAX_AMOUNT)))  # integer digits of the largest accepted amount


def _clean(s: pd.Series) -> pd.DataFrame:
    """Split raw text into sign flags and a bare digit/separator body (vectorized)."""
    s = s.astype("string").fillna("").str.strip()
    body = s.copy()
    negative = pd.Series(False, index=s.index)
    simple = s.str.fullmatch(r"[-+]?\d[\d.,]*", na=False)
    if simple.any():
        sv = s[simple]
        negative[simple] = sv.str.startswith("-")
        body[simple] = sv.str.lstrip("+-") if sv.str.match(r"^[-+]").any() else sv
    rest = ~simple & (s != "")
    if rest.any():
        r = s[rest]
        paren = r.str.startswith("(") & r.str.endswith(")")
        b = r.where(~paren, r.str.slice(1, -1)).str.strip()
        b = b.str.strip(_SYMBOLS + " \t\u00a0")
        lettered = b.str.contains(r"[A-Za-z]", regex=True)
        if lettered.any():
            b[lettered] = b[lettered].str.replace(_CCY_EDGE, "", regex=True).str.strip()
        b = b.str.strip(_SYMBOLS + " \t\u00a0")
        trailing_minus = b.str.endswith("-") & ~b.str.startswith("-")
        b = b.where(~trailing_minus, b.str.slice(0, -1))
        b = b.str.replace(r"\+$", "", regex=True)
        leading_minus = b.str.match(r"^[\-−–]")
        b = b.str.replace(r"^[\-−–+]", "", regex=True).str.strip()
        b = b.str.strip(_SYMBOLS + " \t\u00a0")
        lettered = b.str.contains(r"[A-Za-z]", regex=True)
        if lettered.any():
            b[lettered] = b[lettered].str.replace(_CCY_EDGE, "", regex=True).str.strip()
        b = b.str.replace(_SPACE_LIKE, "", regex=True)
        body[rest] = b
        negative[rest] = (paren ^ trailing_minus ^ leading_minus).astype(bool)
    return pd.DataFrame({"raw": s, "body": body, "negative": negative})


def decimal_votes(values: pd.Series) -> tuple[int, int]:
    """(votes for '.', votes for ',') as the decimal separator among the column's values."""
    body = _clean(values.head(5000))["body"]
    body = body[body.str.contains(r"\d", regex=True)]
    if body.empty:
        return 0, 0
    last_dot = body.str.rfind(".")
    last_comma = body.str.rfind(",")
    both = (last_dot >= 0) & (last_comma >= 0)
    dot = int((both & (last_dot > last_comma)).sum())
    comma = int((both & (last_comma > last_dot)).sum())
    single = ~both
    # One separator followed by 1, 2 or 4+ digits at the end: that separator is decimal.
    dot += int((single & body.str.contains(r"^\d*\.(?:\d{1,2}|\d{4,})$", regex=True)).sum())
    comma += int((single & body.str.contains(r"^\d*,(?:\d{1,2}|\d{4,})$", regex=True)).sum())
    # The same separator twice or more: grouping, so the other one is the decimal.
    comma += int((single & body.str.contains(r"\d\.\d{3}\.\d{3}", regex=True)).sum())
    dot += int((single & body.str.contains(r"\d,\d{3},\d{3}", regex=True)).sum())
    return dot, comma


def decide_decimal(values: pd.Series, fallback: str | None = None) -> str | None:
    dot, comma = decimal_votes(values)
    if dot > comma:
        return "."
    if comma > dot:
        return ","
    return fallback


_LOOKS_NUMERIC = re.compile(
    r"^[(]?\s*[+\-−–]?\s*(?:[A-Za-z]{3}\s*|(?:" + _LOCAL + r")\s*)?[" + re.escape(_SYMBOLS) + r"]?\s*[+\-−–]?\s*"
    r"(?:\d[\d\s\u00a0\u202f'’`.,]*|[.,]\d+)\s*[" + re.escape(_SYMBOLS) + r"]?\s*(?:[A-Za-z]{3}|" + _LOCAL + r")?\s*[-+]?\s*[)]?$"
)


def numeric_ratio(values: pd.Series) -> float:
    """Share of non-empty values (of the first 500) that look like an amount."""
    sample = [str(v).strip() for v in values.head(800).tolist() if v is not None and str(v).strip()][:500]
    if not sample:
        return 0.0
    ok = 0
    for v in sample:
        if _LOOKS_NUMERIC.match(v) and any(ch.isdigit() for ch in v):
            letters = _CCY_EDGE.sub("", v)
            if not _HAS_LETTER.search(letters):
                ok += 1
    return ok / len(sample)


def parse_amounts(values: pd.Series, decimal: str | None) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """See :func:`_parse_unique`; the work is done once per distinct text."""
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""), sort=False)
    parts = _parse_unique(pd.Series(uniques, dtype=object), decimal)
    return tuple(pd.Series(p.to_numpy()[codes], index=values.index) for p in parts)  # type: ignore[return-value]


def _parse_unique(values: pd.Series, decimal: str | None) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Parse amount text.

    Returns (integer_part, fraction_digits, negative, error) as aligned series: the
    integer part as int64 (0 where invalid), the fraction as a digit string
    ("" when none), the sign, and an error message per row ("" = fine; values that
    are empty get "empty").
    """
    frame = _clean(values)
    body = frame["body"]
    raw = frame["raw"]
    n = len(body)
    index = body.index
    integer = pd.Series(np.zeros(n, dtype="int64"), index=index)
    fraction = pd.Series([""] * n, index=index, dtype="object")
    error = pd.Series([""] * n, index=index, dtype="object")
    negative = frame["negative"].astype(bool).copy()

    empty = raw == ""
    error[empty] = "empty"

    dec = decimal or "."
    group = "," if dec == "." else "."
    d_re, g_re = re.escape(dec), re.escape(group)
    clean_shape = body.str.fullmatch(rf"(?:\d{{1,3}}(?:{g_re}\d{{3}})+|\d+)(?:{d_re}\d+)?|{d_re}\d+", na=False)
    if decimal is None:
        # Without a decision, "1,234" stays grouping (money.parse_decimal's rule); take the fast path
        # only for separator-free values.
        clean_shape &= ~body.str.contains(r"[.,]", regex=True)
    fast = clean_shape & ~empty
    if fast.any():
        b = body[fast].str.replace(group, "", regex=False)
        parts = b.str.partition(dec)
        int_text = parts[0].where(parts[0] != "", "0").str.lstrip("0")
        too_long = int_text.str.len() > MAX_DIGITS
        int_text = int_text.where(int_text != "", "0")
        ok_idx = int_text.index[~too_long]
        integer.loc[ok_idx] = int_text[~too_long].astype("int64")
        fraction.loc[b.index] = parts[2].astype(object)
        if too_long.any():
            error.loc[too_long.index[too_long]] = "too large"
    slow = ~fast & ~empty
    if slow.any():
        for idx in body.index[slow]:
            text = raw[idx]
            if _HAS_LETTER.search(_CCY_EDGE.sub("", text.strip(_SYMBOLS + " ()+-")).strip(_SYMBOLS + " ")):
                error[idx] = f"{quoted(text)} is not a number (it contains letters)."
                continue
            try:
                value = parse_decimal(text, decimal_hint=decimal, label="")  # the rejection names row and column
            except ValidationError as exc:
                error[idx] = exc.message
                continue
            negative[idx] = value < 0
            value = abs(value)
            if value > MAX_AMOUNT:
                error[idx] = "too large"
                continue
            text_value = format(value, "f")
            int_part, _, frac_part = text_value.partition(".")
            integer[idx] = int(int_part)
            fraction[idx] = frac_part
    return integer, fraction, negative, error


def to_minor_units(
    integer: pd.Series, fraction: pd.Series, currencies: pd.Series, error: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Exact minor units per row for each row's currency, plus updated error messages."""
    minor = pd.Series(np.zeros(len(integer), dtype="int64"), index=integer.index)
    error = error.copy()
    frac = fraction.astype("string").fillna("")
    for currency in pd.unique(currencies):
        rows = currencies == currency
        digits = minor_digits(str(currency))
        f = frac[rows]
        head = f.str.slice(0, digits).str.pad(digits, side="right", fillchar="0") if digits else pd.Series("", index=f.index)
        tail = f.str.slice(digits)
        extra = tail.str.contains(r"[1-9]", regex=True).fillna(False)
        scale = 10**digits
        head_num = pd.to_numeric(head, errors="coerce").fillna(0).astype("int64") if digits else 0
        minor[rows] = integer[rows] * scale + head_num
        if extra.any():
            bad = extra[extra].index
            for idx in bad:
                if not error[idx]:
                    error[idx] = (
                        f"{integer[idx]}.{fraction[idx]} has more decimal places than {currency} allows ({digits})."
                    )
    return minor, error


def exceeds_max(integer: pd.Series) -> pd.Series:
    return integer > int(MAX_AMOUNT)
