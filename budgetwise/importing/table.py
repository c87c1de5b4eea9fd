"""From rows of text cells (CSV, TSV or a worksheet) to candidate transactions.

1. find the header row (or decide there is none) below any preamble;
2. map columns to roles from header names and column content;
3. parse dates (day/month order decided per file) and amounts (decimal separator
   decided per column), work out each row's direction;
4. return accepted rows plus a rejection (row number, field, reason) for every
   row that cannot be imported.

Everything here is column-at-a-time pandas; per-row Python only runs for the
few odd values the vectorized paths leave over.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from babel.numbers import list_currencies

from budgetwise.dates import MIN_TRANSACTION_DATE, max_transaction_date, validate_transaction_date
from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing import amounts as amt
from budgetwise.importing import balance as bal
from budgetwise.importing import dates as dts
from budgetwise.importing import directions as dirs
from budgetwise.importing import headers as hdr
from budgetwise.importing.model import (
    CURRENCY_SIGNS,
    SIGN_LABELS,
    ColumnMapping,
    ImportOptions,
    ParsedFile,
    Rejection,
    empty_rows,
)
from budgetwise.money import MAX_AMOUNT
from budgetwise.text import clean_text, strip_invisible

_CURRENCIES = frozenset(list_currencies())
SAMPLE_ROWS = 500
HEADER_SCAN = 40
MAX_DESCRIPTION = 500
_US_DOLLAR_ONLY = {"USD"}
_DAY_FIRST_CURRENCIES = {
    "EUR", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "HRK", "ISK", "TRY", "RUB",
    "UAH", "INR", "AUD", "NZD", "SGD", "HKD", "MYR", "IDR", "THB", "VND", "BRL", "ARS", "CLP", "COP", "MXN",
    "PEN", "UYU", "ZAR", "NGN", "KES", "EGP", "MAD", "ILS", "AED", "SAR", "QAR", "PKR", "BDT", "LKR",
}


# --------------------------------------------------------------------------- header / preamble
def _cell_is_date(cell: str) -> bool:
    c = cell.strip()
    return bool(
        c
        and (dts._ISO.match(c) or dts._TRIPLET.match(c) or dts._DAY_MONTHNAME.match(c) or dts._MONTHNAME_DAY.match(c))
        and any(ch.isdigit() for ch in c)
    )


_NUM = re.compile(r"^[(+\-−–]?\s*[^\w\s]?\s*\d[\d\s.,'’]*\)?-?\s*[A-Za-z]{0,3}$")


def _cell_is_number(cell: str) -> bool:
    c = cell.strip()
    return bool(c) and bool(_NUM.match(c)) and not _cell_is_date(c)


def _looks_like_data(cells: list[str]) -> bool:
    return any(_cell_is_date(c) for c in cells) and any(_cell_is_number(c) for c in cells)


def _looks_like_header(cells: list[str]) -> bool:
    nonempty = [c.strip() for c in cells if c.strip()]
    if len(nonempty) < 2:
        return False
    if any(_cell_is_date(c) for c in nonempty):
        return False
    numbers = sum(1 for c in nonempty if _cell_is_number(c))
    if numbers > len(nonempty) // 3:
        return False
    return hdr.vocabulary_hits(nonempty) >= 2


def find_header(records: list[list[str]]) -> tuple[int | None, int]:
    """(index of the header record or None, index of the first data record)."""
    limit = min(len(records), HEADER_SCAN)
    for i in range(limit):
        cells = records[i]
        if not any(c.strip() for c in cells):
            continue
        if _looks_like_header(cells):
            return i, i + 1
        if _looks_like_data(cells) and sum(1 for c in cells if c.strip()) >= 2:
            return None, i
    # Nothing recognisable near the top: the first record with the most common width is the header.
    widths = [len([c for c in r if c.strip()]) for r in records[:200]]
    multi = [w for w in widths if w > 1]
    if not multi:
        raise ImportFileError(
            "No table found: the file has no rows with more than one column. "
            "Is it really a bank export (CSV, TSV, XLSX or OFX)?"
        )
    common = max(set(multi), key=multi.count)
    for i, w in enumerate(widths):
        if w == common:
            return i, i + 1
    return None, 0  # pragma: no cover


def _column_names(header: list[str] | None, width: int) -> tuple[str, ...]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i in range(width):
        raw = clean_text(header[i]) if header is not None and i < len(header) else ""
        name = raw or f"Column {i + 1}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        names.append(name)
    return tuple(names)


def header_signature(columns: tuple[str, ...], has_header: bool, delimiter: str | None) -> str:
    if has_header:
        key = "h|" + "|".join(hdr.normalize(c) for c in columns)
    else:
        key = f"n|{len(columns)}|{delimiter or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- column profiling
@dataclass(frozen=True)
class ColumnProfile:
    index: int
    name: str
    scores: dict
    fill: float
    date_ratio: float
    numeric_ratio: float
    iso_ratio: float
    direction_ratio: float
    direction_both: bool
    distinct: int
    avg_len: float
    has_negative: bool
    constant: bool
    id_like: bool
    balance: bool


def profile_columns(frame: pd.DataFrame, columns: tuple[str, ...], has_header: bool) -> list[ColumnProfile]:
    sample = frame.head(SAMPLE_ROWS)
    profiles = []
    for i, name in enumerate(columns):
        col = sample[i].astype("string").fillna("").str.strip()
        nonempty = col[col != ""]
        scores = hdr.role_scores(name) if has_header else {}
        fill = float(len(nonempty) / len(col)) if len(col) else 0.0
        if nonempty.empty:
            profiles.append(ColumnProfile(i, name, scores, 0.0, 0.0, 0.0, 0.0, 0.0, False, 0, 0.0, False, False,
                                          has_header and hdr.is_id_like(name), has_header and hdr.is_balance(name)))
            continue
        date_ratio = dts.parse_ratio(nonempty)
        numeric_ratio = amt.numeric_ratio(nonempty) if date_ratio < 0.5 else 0.0
        iso_ratio = float(nonempty.str.upper().isin(_CURRENCIES).mean()) if nonempty.str.len().max() <= 4 else 0.0
        dir_ratio, dir_both = dirs.indicator_ratio(nonempty, header_says_direction=scores.get("direction", 0) >= 40)
        distinct = int(nonempty.nunique())
        long_digits = nonempty.str.fullmatch(r"[\d\s-]{7,}", na=False).mean() > 0.8
        id_like = (has_header and hdr.is_id_like(name)) or bool(long_digits)
        profiles.append(
            ColumnProfile(
                index=i,
                name=name,
                scores=scores,
                fill=fill,
                date_ratio=date_ratio,
                numeric_ratio=numeric_ratio,
                iso_ratio=iso_ratio,
                direction_ratio=dir_ratio,
                direction_both=dir_both,
                distinct=distinct,
                avg_len=float(nonempty.str.len().mean()),
                has_negative=bool(nonempty.str.contains(r"^\s*[-−–(]|\d\s*-$", regex=True).any()),
                constant=len(nonempty) >= 3 and distinct == 1,
                id_like=id_like,
                balance=has_header and hdr.is_balance(name),
            )
        )
    return profiles


def detect_mapping(profiles: list[ColumnProfile], has_header: bool) -> tuple[ColumnMapping, bool, list[str]]:
    """(mapping, confident, notes). Header names propose, content disposes."""
    used: set[int] = set()
    notes: list[str] = []
    confident = has_header

    def score(p: ColumnProfile, role: str) -> int:
        return int(p.scores.get(role, 0))

    # -- date
    dates = [p for p in profiles if p.date_ratio >= 0.6 and p.fill > 0]
    by_name = [p for p in dates if score(p, "date") >= 45]
    named_only = [p for p in profiles if score(p, "date") >= 85 and p.fill > 0 and p.numeric_ratio < 0.6]
    if by_name:
        date = max(by_name, key=lambda p: (score(p, "date"), p.date_ratio, -p.index))
    elif dates:
        date = max(dates, key=lambda p: (p.date_ratio >= 0.8, p.fill, -p.index))
        confident = False
    elif named_only:
        # Nothing looks like a date, but the header says so: use it and reject the rows one by one.
        date = max(named_only, key=lambda p: (score(p, "date"), -p.index))
        confident = False
    else:
        date = None
        confident = False
    if date is not None:
        used.add(date.index)

    # -- amounts
    def numeric(p: ColumnProfile) -> bool:
        return p.index not in used and p.numeric_ratio >= 0.6 and not p.balance

    def side(role: str) -> ColumnProfile | None:
        cands = [
            p for p in profiles
            if p.index not in used and not p.balance and score(p, role) >= 70
            and (p.fill == 0 or p.numeric_ratio >= 0.6)
        ]
        return max(cands, key=lambda p: (score(p, role), p.fill > 0, -p.index)) if cands else None

    amount_cands = [p for p in profiles if numeric(p) and score(p, "amount") >= 50 and not p.id_like]
    amount = max(amount_cands, key=lambda p: (score(p, "amount"), p.has_negative, -p.index)) if amount_cands else None
    debit, credit = side("debit"), side("credit")
    if debit is not None and credit is not None and debit.index == credit.index:
        credit = None
    use_pair = False
    if amount is not None and score(amount, "amount") >= 60:
        use_pair = (debit is not None or credit is not None) and not amount.has_negative and (
            debit is not None and credit is not None
        )
    elif debit is not None or credit is not None:
        use_pair = True
    if amount is None and debit is None and credit is None:
        named = [p for p in profiles if p.index not in used and score(p, "amount") >= 90 and p.fill > 0 and not p.balance]
        if named:
            # The header says "Amount" though the values are not numbers: reject them row by row.
            amount = max(named, key=lambda p: (score(p, "amount"), -p.index))
            confident = False
    if use_pair:
        amount = None
        for p in (debit, credit):
            if p is not None:
                used.add(p.index)
    else:
        debit = credit = None
        if amount is None:
            loose = [p for p in profiles if numeric(p) and not p.id_like and score(p, "date") == 0 and p.fill > 0]
            if loose:
                confident = False
                # Two numeric columns that are never filled on the same row: money out, money in.
                if not has_header and len(loose) >= 2:
                    pairs = [
                        (a, b) for a, b in itertools.combinations(loose, 2)
                        if a.fill + b.fill <= 1.05 and a.fill < 1 and b.fill < 1 and not (a.has_negative and b.has_negative)
                    ]
                    if pairs:
                        a, b = pairs[0]
                        if a.has_negative != b.has_negative:
                            # Money out already written negative: that column is the debit side.
                            debit, credit = (a, b) if a.has_negative else (b, a)
                        else:
                            # Spending outnumbers income on nearly every statement: the fuller column is money out.
                            debit, credit = (a, b) if a.fill >= b.fill else (b, a)
                        used.update({a.index, b.index})
                if debit is None:
                    with_decimals = [p for p in loose if p.numeric_ratio >= 0.8]
                    amount = (with_decimals or loose)[0]
        if amount is not None:
            used.add(amount.index)

    # -- direction indicator (only with a single amount column)
    direction = None
    if amount is not None:
        cands = [
            p for p in profiles
            if p.index not in used and p.fill > 0 and p.direction_ratio >= 0.8
            and (score(p, "direction") >= 40 or p.direction_both or p.direction_ratio == 1.0)
            # A column found by content alone may only give signs to unsigned amounts.
            and (score(p, "direction") >= 40 or not amount.has_negative)
        ]
        if cands:
            direction = max(cands, key=lambda p: (score(p, "direction"), p.direction_both, p.direction_ratio, -p.index))
            used.add(direction.index)

    # -- currency
    currency = None
    cands = [
        p for p in profiles
        if p.index not in used and p.fill > 0 and p.iso_ratio >= 0.8
        and not (has_header and 0 < score(p, "currency") <= 20)  # "original currency", "Fremdwährung"
    ]
    if cands:
        currency = max(cands, key=lambda p: (score(p, "currency"), p.fill, -p.index))
        if has_header and score(currency, "currency") <= 20 and any(score(p, "currency") > 20 for p in cands):
            currency = max(cands, key=lambda p: score(p, "currency"))
        used.add(currency.index)

    # -- the file's own categories
    def best(role: str, minimum: int, *, need_fill: bool = True) -> ColumnProfile | None:
        cands = [
            p for p in profiles
            if p.index not in used and score(p, role) >= minimum and (p.fill > 0 or not need_fill)
            and p.numeric_ratio < 0.8 and p.date_ratio < 0.5
        ]
        return max(cands, key=lambda p: (score(p, role), p.fill, -p.index)) if cands else None

    subcategory = best("subcategory", 60)
    if subcategory is not None:
        used.add(subcategory.index)
    category = best("category", 40)
    if category is not None:
        used.add(category.index)
    account = best("account", 50)
    if account is not None:
        used.add(account.index)

    # -- description: payee, main text, continuation columns
    def texty(p: ColumnProfile) -> bool:
        return p.index not in used and not p.constant and p.numeric_ratio < 0.8 and p.date_ratio < 0.5 and not p.id_like

    payee_cands = [p for p in profiles if texty(p) and score(p, "payee") >= 60]
    specific = [p for p in payee_cands if hdr.normalize(p.name) not in {"name", "naam", "nom", "nombre", "nome"}]
    payee_cands = specific or payee_cands
    payee = max(payee_cands, key=lambda p: (score(p, "payee"), p.fill > 0, -p.index)) if payee_cands else None
    if payee is not None:
        used.add(payee.index)
    desc_cands = [p for p in profiles if texty(p) and p.fill > 0 and score(p, "description") >= 35]
    primary = max(desc_cands, key=lambda p: (score(p, "description"), p.fill, -p.index)) if desc_cands else None
    parts: list[int] = []
    if payee is not None:
        parts.append(payee.index)
    if primary is not None:
        parts.append(primary.index)
        used.add(primary.index)
        stem = re.sub(r"\s*\d+$", "", hdr.normalize(primary.name))
        for p in profiles:
            if p.index in used or not hdr.is_continuation(p.name) or p.fill == 0:
                continue
            if re.sub(r"\s*\d+$", "", hdr.normalize(p.name)) in {stem, "trasaction description", "transaction description"} or hdr.is_continuation(primary.name):
                parts.append(p.index)
                used.add(p.index)
    def richness(p: ColumnProfile) -> float:
        return p.distinct * min(p.avg_len, 60) * p.fill

    if primary is not None and score(primary, "description") < 60:
        # A weak name ("Reference") loses to a clearly richer free-text column.
        others = [p for p in profiles if texty(p) and p.fill > 0 and p.direction_ratio < 0.8 and p.iso_ratio < 0.8]
        if others:
            rich = max(others, key=lambda p: (richness(p), -p.index))
            if richness(rich) > 2 * richness(primary):
                parts = [i for i in parts if i != primary.index] + [rich.index]
                used.add(rich.index)
    if not parts:
        texts = [p for p in profiles if texty(p) and p.fill > 0 and p.direction_ratio < 0.8 and p.iso_ratio < 0.8]
        if texts:
            pick = max(texts, key=lambda p: (richness(p), -p.index))
            parts.append(pick.index)
            if has_header:
                notes.append(f"No description column was recognised by name; {pick.name!r} is used.")
    mapping = ColumnMapping(
        date=date.index if date else None,
        amount=amount.index if amount else None,
        debit=debit.index if debit else None,
        credit=credit.index if credit else None,
        direction=direction.index if direction else None,
        description=tuple(parts),
        currency=currency.index if currency else None,
        category=category.index if category else None,
        subcategory=subcategory.index if subcategory else None,
        account=account.index if account else None,
    )
    if not mapping.complete:
        confident = False
    return mapping, confident, notes


# --------------------------------------------------------------------------- rows -> transactions
def _strip(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = [v.strip() for v in values]
    return out


def _records_frame(
    records: list[list[str]], start: int, width: int = 0, header: list[str] | None = None
) -> tuple[pd.DataFrame, int]:
    """Data records as a frame of stripped text, indexed by 1-based row number in the file.

    Blank records and repeats of the header row (some exports repeat it at the end) are
    left out here, on the plain lists, before any pandas work.
    """
    head = [c.strip() for c in header] if header is not None else None
    numbers: list[int] = []
    data: list[list[str]] = []
    for i, r in enumerate(records[start:], start + 1):
        if not r or not "".join(r).strip():
            continue
        if head is not None and r[0].strip() == head[0] and [c.strip() for c in r] == head:
            continue
        numbers.append(i)
        data.append(r)
    width = max(width, max(map(len, data), default=0))
    if width == 0 or not data:
        return pd.DataFrame(), 0
    lengths = set(map(len, data))
    if lengths == {width}:
        grid = np.array(data, dtype=object)  # rectangular: numpy does the transposition in C
        columns = [grid[:, j] for j in range(width)]
    else:
        columns = list(itertools.zip_longest(*data, fillvalue=""))
        while len(columns) < width:
            columns.append(("",) * len(data))
    index = pd.Index(numbers, dtype="int64")
    frame = pd.DataFrame({i: _strip(col) for i, col in enumerate(columns)}, index=index, dtype=object)
    return frame, width


def _text(frame: pd.DataFrame, col: int | None) -> pd.Series:
    """A column as stripped text (cells were stripped when the frame was built)."""
    if col is None or col not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[col]


def _map_unique(values: pd.Series, fn) -> pd.Series:
    """Apply a text function once per distinct value."""
    codes, uniques = pd.factorize(values.astype(object), sort=False)
    if not len(uniques):
        return pd.Series("", index=values.index, dtype=object)
    done = np.asarray(fn(pd.Series(uniques, dtype=object)), dtype=object)
    return pd.Series(done[codes], index=values.index, dtype=object)


def _within(part: str, whole: str) -> bool:
    """``part`` occurs in ``whole`` as whole words ("Shell Gas" in "Shell Gas purchase")."""
    start = whole.find(part)
    while start != -1:
        end = start + len(part)
        if (start == 0 or not (whole[start - 1].isalnum() or whole[start - 1] == "_")) and (
            end == len(whole) or not (whole[end].isalnum() or whole[end] == "_")
        ):
            return True
        start = whole.find(part, start + 1)
    return False


def _join_row(row: tuple[str, ...]) -> str:
    """'Payee – text more text', leaving out empty parts and parts another part already contains."""
    chosen: list[str] = []
    lows: list[str] = []
    for value in row:
        if not value:
            continue
        low = value.casefold()
        if any(_within(low, c) for c in lows):
            continue
        keep = [i for i, c in enumerate(lows) if not _within(c, low)]
        chosen = [chosen[i] for i in keep] + [value]
        lows = [lows[i] for i in keep] + [low]
    if len(chosen) > 1:
        return chosen[0] + " – " + " ".join(chosen[1:])
    return chosen[0] if chosen else ""


def _join_parts(parts: list[pd.Series]) -> pd.Series:
    """Join description parts per row (each distinct combination is worked out once)."""
    if not parts:
        return pd.Series("", dtype=object)
    if len(parts) == 1:
        return parts[0]
    index = parts[0].index
    columns = [p.tolist() for p in parts]  # cells are stripped strings, never missing
    cache: dict[tuple[str, ...], str] = {}
    out = []
    if len(columns) == 2:
        # The common "payee + text" case, without the general loop's overhead.
        append = out.append
        for a, b in zip(*columns):
            if not b:
                append(a)
            elif not a:
                append(b)
            else:
                key = (a, b)
                value = cache.get(key)
                if value is None:
                    al, bl = a.casefold(), b.casefold()
                    n = len(al)
                    if bl.startswith(al) and (len(bl) == n or not (bl[n].isalnum() or bl[n] == "_")):
                        value = b  # "REWE" + "REWE SAGT DANKE": the text already names the payee
                    elif al in bl and _within(al, bl):
                        value = b
                    elif bl in al and _within(bl, al):
                        value = a
                    else:
                        value = a + " – " + b
                    cache[key] = value
                append(value)
        return pd.Series(out, index=index, dtype=object)
    for key in zip(*columns):
        try:
            out.append(cache[key])
        except KeyError:
            cache[key] = value = _join_row(key)
            out.append(value)
    return pd.Series(out, index=index, dtype=object)


def _clean_description(value: str) -> str:
    """Control characters become spaces, runs of spaces one space; at most MAX_DESCRIPTION characters."""
    if "  " in value or not value.isprintable():
        value = " ".join(strip_invisible(value.translate(_CONTROL_TO_SPACE)).split())
    return value[:MAX_DESCRIPTION]


_CONTROL_TO_SPACE = {c: " " for c in [*range(32), 127]}


def _clean_cells(values: pd.Series) -> pd.Series:
    """budgetwise.text.clean_text on every cell (once per distinct value): account and label
    text lose control, bidi and zero-width characters like descriptions do."""
    cache: dict[str, str] = {}
    out = []
    for v in values.tolist():
        done = cache.get(v)
        if done is None:
            done = cache[v] = clean_text(v)
        out.append(done)
    return pd.Series(out, index=values.index, dtype=object)


def _date_hints(currencies: set[str], decimal: str | None, symbols: str) -> list[tuple[str, str]]:
    hints: list[tuple[str, str]] = []
    if currencies and currencies <= _US_DOLLAR_ONLY:
        hints.append(("mdy", "the file is in US dollars, where dates are written month-first"))
    elif currencies & _DAY_FIRST_CURRENCIES:
        code = sorted(currencies & _DAY_FIRST_CURRENCIES)[0]
        hints.append(("dmy", f"the file is in {code}, where dates are written day-first"))
    if decimal == ",":
        hints.append(("dmy", "amounts use a decimal comma, which goes with day-first dates"))
    if "£" in symbols or "€" in symbols:
        hints.append(("dmy", "amounts are in pounds or euros, where dates are written day-first"))
    elif "$" in symbols and not currencies:
        hints.append(("mdy", "amounts are in dollars, so US month-first dates were assumed"))
    return hints


def _transaction_id_column(profiles: list[ColumnProfile], has_header: bool) -> int | None:
    """A column named as a transaction id whose values are (nearly) all filled and distinct."""
    if not has_header:
        return None
    for p in profiles:
        if hdr.is_transaction_id(p.name) and p.fill >= 0.9 and p.date_ratio < 0.5:
            return p.index
    return None


_NINES = re.compile(r"^9{7,}$")  # 9,999,999 and up; a real 999,999.00 stays (see the round-trip property test)
OUTLIER_FACTOR = 10_000  # an amount this many times the file's median is not believed
NINES_FACTOR = 100  # all nines and this many times the median: a placeholder
OUTLIER_MIN_ROWS = 20


def _placeholder_amounts(magnitude: pd.Series, raw: pd.Series) -> pd.Series:
    """Amounts that stand for "unknown", judged against the file's own amounts (at least
    OUTLIER_MIN_ROWS of them): whole units written as six or more nines (999999, 999999999)
    and NINES_FACTOR times the median, or anything OUTLIER_FACTOR times the median and above a
    million (a sentinel or a typing slip, not a purchase). A file too short to have a typical
    amount keeps every amount."""
    out = pd.Series(False, index=magnitude.index)
    real = magnitude[magnitude > 0]
    if len(real) < OUTLIER_MIN_ROWS:
        return out
    median = float(real.median())
    large = magnitude > median * NINES_FACTOR  # only these few rows need their text looked at
    if large.any():
        text = raw[large].astype(str)
        digits = text.str.replace(r"[^\d.,]", "", regex=True).str.split(r"[.,]", n=1, regex=True).str[0]
        out[large] = digits.str.fullmatch(_NINES, na=False).to_numpy()
    outlier = (magnitude > median * OUTLIER_FACTOR) & (magnitude > 100_000_000)
    return (out | outlier) & (magnitude > 0)


def _odd_reason(minor: int, typical_minor: int) -> str:
    if typical_minor and minor > typical_minor * OUTLIER_FACTOR and minor > 100_000_000:
        return f"over {OUTLIER_FACTOR:,} times the file's typical amount"
    return "every digit is a 9, far above the file's typical amount"


def _reject(rejections: list[Rejection], rows: pd.Index, field: str, reasons, values) -> None:
    if isinstance(reasons, str):
        reasons = [reasons] * len(rows)
    for row, reason, value in zip(rows, reasons, values):
        rejections.append(Rejection(row=int(row), field=field, reason=str(reason), value=str(value)[:200]))


def build_transactions(
    records: list[list[str]],
    *,
    options: ImportOptions,
    file_format: str,
    encoding: str | None,
    delimiter: str | None,
    default_currency: str,
    sheet_names: tuple[str, ...] = (),
    sheet: str | None = None,
) -> ParsedFile:
    if not any(any(c.strip() for c in r) for r in records):
        raise ImportFileError("The file is empty: it has no rows with any text.")
    # -- header
    if options.header_row is not None:
        if options.header_row == 0:
            header_idx = None
            start = next(i for i, r in enumerate(records) if any(c.strip() for c in r))
        else:
            if options.header_row > len(records):
                raise ValidationError(f"The file has only {len(records)} rows; row {options.header_row} cannot be the header.", field="header_row")
            header_idx, start = options.header_row - 1, options.header_row
    else:
        header_idx, start = find_header(records)
    header = records[header_idx] if header_idx is not None else None
    frame, width = _records_frame(records, start, len(header) if header is not None else 0, header)
    if frame.empty or width == 0:
        raise ImportFileError(
            "The file has a header row but no transactions below it." if header is not None else "The file has no rows to import."
        )
    # Trailing columns that are empty everywhere and unnamed ("a;b;c;" exports).
    while width > 1 and (frame[width - 1] == "").all() and (header is None or width > len(header) or not str(header[width - 1]).strip()):
        frame = frame.drop(columns=[width - 1])
        width -= 1
    columns = _column_names(header, width)
    has_header = header is not None
    signature = header_signature(columns, has_header, delimiter)
    profiles = profile_columns(frame, columns, has_header)
    warnings: list[str] = []
    if options.mapping is not None:
        mapping = options.mapping.validate(width)
        confident = True
    else:
        mapping, confident, notes = detect_mapping(profiles, has_header)
        if mapping.date is not None and (frame[mapping.date] == "").any():
            # Continuation lines and footers (no date) must not blur what the columns hold.
            dated = frame[frame[mapping.date] != ""]
            if len(dated):
                profiles = profile_columns(dated, columns, has_header)
                mapping, confident, notes = detect_mapping(profiles, has_header)
        warnings.extend(notes)
    sample = tuple(tuple(str(v) for v in row) for row in frame.head(10).itertuples(index=False, name=None))
    base = dict(
        file_format=file_format, encoding=encoding, delimiter=delimiter,
        header_row=(header_idx + 1) if header_idx is not None else None, columns=columns, mapping=mapping,
        mapping_confident=confident, sheet_names=sheet_names, sheet=sheet, header_signature=signature, sample=sample,
    )
    if not mapping.complete:
        missing = " and ".join(mapping.missing())
        warnings.append(f"Could not tell which column holds the {missing}: choose the columns below.")
        return ParsedFile(
            date_order=None, date_order_reason="", decimal=None, sign=options.sign, warnings=tuple(warnings),
            rows=empty_rows(), rejections=(), rows_read=int(len(frame)), **base,
        )
    if options.mapping is None and not has_header:
        mapping, options = _balance_decides(frame, profiles, mapping, options, warnings)
        base["mapping"] = mapping
    return _convert(frame, mapping, profiles, options, default_currency, warnings, base)


def _numeric_columns(frame: pd.DataFrame, profiles: list[ColumnProfile], exclude: set[int]) -> list[ColumnProfile]:
    return [p for p in profiles if p.index not in exclude and p.numeric_ratio >= 0.6 and p.date_ratio < 0.5
            and not p.id_like and p.fill > 0]


def _balance_decides(frame, profiles, mapping: ColumnMapping, options: ImportOptions, warnings: list[str]):
    """A headerless file: let a running balance choose the amount column and its sign (or which of
    two one-sided columns is money out). Returns the (possibly) new mapping and options."""
    cands = _numeric_columns(frame, profiles, {mapping.date} if mapping.date is not None else set())
    if len(cands) < 2:
        return mapping, options
    top = frame.head(bal.SAMPLE)  # consecutive rows at the top are evidence enough
    values = {p.index: bal.scaled(_text(top, p.index), options.decimal or amt.decide_decimal(_text(top, p.index)))
              for p in cands}
    label = {p.index: f"column {p.index + 1}" for p in cands}
    if mapping.debit is not None and mapping.credit is not None:
        for p in cands:
            if p.index in (mapping.debit, mapping.credit) or np.isfinite(values[p.index]).mean() < 0.9:
                continue
            found = bal.best_pair(values[p.index], values[mapping.debit], values[mapping.credit])
            if found is None:
                continue
            debit_first, fit = found
            if not debit_first:
                mapping = dataclasses.replace(mapping, debit=mapping.credit, credit=mapping.debit)
            warnings.append(
                f"No header: {label[mapping.debit]} is money out and {label[mapping.credit]} money in, because the "
                f"running balance in {label[p.index]} moves that way on {fit.share:.0%} of the rows."
            )
            return mapping, options
        return mapping, options
    found = bal.best_amount(values)
    if found is None:
        return mapping, options
    a, b, fit = found
    if a != mapping.amount:
        mapping = dataclasses.replace(mapping, amount=a, description=tuple(i for i in mapping.description if i not in (a, b)))
    sign_text = ""
    if options.sign == "auto" and mapping.direction is None:
        options = dataclasses.replace(options, sign="positive_is_expense" if fit.flipped else "negative_is_expense")
        sign_text = " and its positive amounts are " + ("money out" if fit.flipped else "money in")
    warnings.append(
        f"No header: {label[a]} is the amount{sign_text}, because the running balance in {label[b]} "
        f"moves by it on {fit.share:.0%} of the rows."
    )
    return mapping, options


def _directions_from_balance(frame, profiles, mapping: ColumnMapping, raw: pd.Series, minor: pd.Series,
                             valid: pd.Series, decimal: str | None):
    """Unsigned amounts beside a balance column: (per-row kind, agreeing share, column name) or None.

    A row is money in when the balance rises by its amount, money out when it falls by it
    (in file order, or reversed for newest-first files); rows the balance cannot place keep
    no direction here (the caller's default applies).
    """
    used = {mapping.amount, mapping.date}
    cols = [p for p in profiles if p.balance and p.index not in used and p.numeric_ratio >= 0.6]
    if not cols:
        return None
    p = cols[0]
    column = _text(frame, p.index)
    balance = bal.scaled(column, decimal or amt.decide_decimal(column))
    amount = np.abs(bal.scaled(raw, decimal))
    amount = np.where(valid.to_numpy(), amount, np.nan)
    n = len(amount)
    if n < bal.MIN_ROWS + 1:
        return None
    fwd = np.full(n, np.nan)
    fwd[1:] = balance[1:] - balance[:-1]  # oldest first: row i moved the balance from row i-1
    rev = np.full(n, np.nan)
    rev[:-1] = balance[:-1] - balance[1:]  # newest first: row i moved the balance from row i+1
    best = None
    for move in (fwd, rev):
        fits = np.isfinite(move) & np.isfinite(amount) & (np.abs(move) == amount)
        known = np.isfinite(move) & np.isfinite(amount)
        share = float(fits.sum() / known.sum()) if known.sum() else 0.0
        if best is None or share > best[0]:
            best = (share, move, fits)
    share, move, fits = best
    if share < bal.ENOUGH:
        return None
    kind = np.where(fits, np.where(move > 0, dirs.INCOME, dirs.EXPENSE), None)
    return pd.Series(kind, index=frame.index, dtype=object), share, p.name


def _check_balance(frame, profiles, mapping: ColumnMapping, kind: pd.Series, magnitude_text: pd.Series,
                   decimal: str | None, ok: pd.Series, columns, warnings: list[str]) -> None:
    """A file with a header and a balance column: does the balance move by the amounts as read?"""
    used = {mapping.amount, mapping.debit, mapping.credit, mapping.date}
    balance_cols = [p for p in profiles if p.balance and p.index not in used and p.numeric_ratio >= 0.6]
    if not balance_cols or not ok.any():
        return
    p = balance_cols[0]
    n = bal.SAMPLE  # consecutive rows at the top are evidence enough
    column = _text(frame, p.index).head(n)
    balance = bal.scaled(column, decimal or amt.decide_decimal(column))
    amount = np.abs(bal.scaled(magnitude_text.head(n), decimal))
    amount = np.where(kind.head(n).to_numpy() == dirs.INCOME, amount, -amount)
    amount = np.where(ok.head(n).to_numpy(), amount, np.nan)
    fit = bal.agreement(balance, amount)
    if fit.rows < bal.MIN_ROWS or (fit.share >= 0.5 and not fit.flipped):
        return
    if fit.flipped and fit.share >= bal.ENOUGH:
        warnings.append(
            f"The balance column {columns[p.index]!r} moves against the amounts as read on {fit.share:.0%} of the "
            "rows: money in and money out are probably the other way round. Change the amount signs if so."
        )
    else:
        warnings.append(
            f"The balance column {columns[p.index]!r} does not move by the amounts on most rows "
            f"({1 - fit.share:.0%} of {fit.rows} disagree): check that the right column is used as the amount."
        )


def _convert(frame, mapping: ColumnMapping, profiles, options: ImportOptions, default_currency: str, warnings, base) -> ParsedFile:
    columns = base["columns"]
    has_header = base["header_row"] is not None
    rejections: list[Rejection] = []

    date_raw = _text(frame, mapping.date)
    money_cols = [c for c in (mapping.amount, mapping.debit, mapping.credit) if c is not None]
    money_empty = pd.concat([_text(frame, c) == "" for c in money_cols], axis=1).all(axis=1)

    # -- continuation lines (no date, no amount, some text): part of the row above's description
    continuation = (date_raw == "") & money_empty
    id_col = _transaction_id_column(profiles, has_header)
    if id_col is not None:
        continuation &= _text(frame, id_col) == ""  # a row with its own transaction id is a transaction
    extra_text = None
    if continuation.any() and not continuation.iloc[0]:
        group = (~continuation).astype("int64").cumsum()
        cont = frame[continuation]
        cont_text = cont.apply(lambda r: " ".join(v for v in r if v), axis=1)
        extra_text = cont_text.groupby(group[continuation]).agg(" ".join)
        frame = frame[~continuation]
        date_raw = date_raw[~continuation]
        money_empty = money_empty[~continuation]
        group = group[~continuation]
    rows_read = int(len(frame))
    if rows_read == 0:
        raise ImportFileError("The file has a header row but no transactions below it.")
    index = frame.index

    # -- currency per row
    file_currencies: set[str] = set()
    fallback_ccy = (options.currency or "").upper() or None
    for c in money_cols:
        hint = hdr.header_currency(columns[c]) if has_header else None
        if hint:
            file_currencies.add(hint)
            fallback_ccy = fallback_ccy or hint
    fallback_ccy = fallback_ccy or default_currency
    currency = pd.Series(fallback_ccy, index=index, dtype="object")
    if mapping.currency is not None:
        ccy_raw = _text(frame, mapping.currency).str.upper()
        valid = ccy_raw.isin(_CURRENCIES)
        currency = currency.where(~valid, ccy_raw.astype(object))
        file_currencies.update(pd.unique(ccy_raw[valid]))
        bad_ccy = (~valid) & (ccy_raw != "")
        if bad_ccy.any():
            _reject(rejections, index[bad_ccy], "currency",
                    [f"{v!r} is not an ISO 4217 currency code (for example EUR, USD, GBP)." for v in ccy_raw[bad_ccy]],
                    ccy_raw[bad_ccy])
    else:
        bad_ccy = pd.Series(False, index=index)

    # -- amounts
    decimal = options.decimal
    file_votes = [0, 0]
    for p in profiles:
        if p.numeric_ratio >= 0.6 and p.index not in {mapping.date}:
            d, c = amt.decimal_votes(frame[p.index].head(2000))
            file_votes[0] += d
            file_votes[1] += c
    file_decimal = "." if file_votes[0] > file_votes[1] else "," if file_votes[1] > file_votes[0] else None
    decided: list[str | None] = []
    amount_error = pd.Series("", index=index, dtype="object")
    raw_amount_text = pd.Series("", index=index, dtype="object")

    def column_minor(col: int) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
        raw = _text(frame, col)
        dec = decimal or amt.decide_decimal(raw, file_decimal)
        decided.append(dec)
        integer, fraction, negative, error = amt.parse_amounts(raw, dec)
        minor, error = amt.to_minor_units(integer, fraction, currency, error)
        too_big = amt.exceeds_max(integer)
        error = error.where(~too_big | (error != ""), "too large")
        return minor, negative, error, raw

    direction_kind = pd.Series(None, index=index, dtype="object")
    direction_error = pd.Series("", index=index, dtype="object")
    indicator = None
    if mapping.amount is not None:
        minor, negative, error, raw = column_minor(mapping.amount)
        raw_amount_text = raw.astype(object)
        amount_error = error.copy()
        if mapping.direction is not None:
            ind_raw = _text(frame, mapping.direction)
            hdr_dir = has_header and hdr.role_scores(columns[mapping.direction]).get("direction", 0) >= 40
            both = dirs.classify_values(ind_raw, allow_short=True).nunique(dropna=True) == 2
            indicator = dirs.classify_values(ind_raw, allow_short=hdr_dir or both)
            seen = set(indicator.dropna().unique())
            if len(seen) == 1:
                # Only one side is ever flagged ("CR"): unflagged rows are the other side.
                other = dirs.EXPENSE if seen == {dirs.INCOME} else dirs.INCOME
                indicator = indicator.where(indicator.notna() | (ind_raw != ""), other)
            direction_kind = indicator
        sign = options.sign
        valid_amounts = (amount_error == "") & (minor != 0)
        if sign == "auto" and mapping.direction is None:
            neg = int((negative & valid_amounts).sum())
            pos = int((~negative & valid_amounts).sum())
            from_balance = _directions_from_balance(frame, profiles, mapping, raw, minor, valid_amounts, decided[-1]) \
                if neg == 0 and pos > 0 else None
            if from_balance is not None:
                direction_kind, share, bal_name = from_balance
                sign = "positive_is_expense"  # rows the balance cannot place (the first one) stay money out
                warnings.append(
                    f"No amount in this file is negative and there is no debit/credit column: each row's direction "
                    f"was read from the balance column {bal_name!r}, which moves by the amount on {share:.0%} of "
                    "the rows (up: money in, down: money out)."
                )
            elif neg == 0 and pos > 0:
                sign = "positive_is_expense"
                warnings.append(
                    "No amount in this file is negative and there is no debit/credit column, so every row is read as "
                    "an expense (money out). If they are income, choose \u201c"
                    + SIGN_LABELS["negative_is_expense"]
                    + "\u201d under Columns and format \u2192 Amount signs: positive amounts are then income."
                )
            elif pos >= 10 and pos >= 3 * neg:
                sign = "positive_is_expense"
                warnings.append(
                    f"{pos} of {pos + neg} amounts are positive: read as a card statement where positive amounts are "
                    "spending and negative ones are payments or refunds. Change the amount signs if that is wrong."
                )
            else:
                sign = "negative_is_expense"
        elif sign == "auto":
            sign = "negative_is_expense"
        by_sign = pd.Series(np.where(negative, dirs.EXPENSE, dirs.INCOME), index=index, dtype="object")
        if sign == "positive_is_expense":
            by_sign = pd.Series(np.where(negative, dirs.INCOME, dirs.EXPENSE), index=index, dtype="object")
        kind = direction_kind.where(direction_kind.notna(), by_sign)
        magnitude = minor
        if mapping.direction is not None and not (negative & valid_amounts).any():
            # Unsigned amounts: only the indicator can tell the direction.
            ind_text = _text(frame, mapping.direction)
            unknown = direction_kind.isna() & (amount_error == "")
            if unknown.any():
                direction_error = direction_error.where(
                    ~unknown,
                    [f"{v!r} in the column {columns[mapping.direction]!r} does not say whether money came in or went out."
                     if v else f"The column {columns[mapping.direction]!r} is empty, so the direction is unknown."
                     for v in ind_text],
                )
    else:
        sign = "auto"
        parts_minor = []
        errors = []
        raws = []
        for side, col in (("debit", mapping.debit), ("credit", mapping.credit)):
            if col is None:
                parts_minor.append(pd.Series(0, index=index, dtype="int64"))
                errors.append(pd.Series("empty", index=index, dtype="object"))
                raws.append(pd.Series("", index=index, dtype="object"))
                continue
            minor, negative, error, raw = column_minor(col)
            zero_text = raw.str.fullmatch(r"[-+]?0+([.,]0+)?", na=False)
            error = error.where(~zero_text, "empty")  # "0.00" in the unused column means nothing
            if side == "credit":
                # Money out is money out whatever its sign (KBC writes "-3,40" under "debet"), but a
                # negative number under "money in" is money going out.
                minor = minor.where(~negative, -minor)
            parts_minor.append(minor.where(error == "", 0))
            errors.append(error)
            raws.append(raw.astype(object))
        debit_minor, credit_minor = parts_minor
        d_err, c_err = errors
        net = credit_minor - debit_minor
        both_empty = (d_err == "empty") & (c_err == "empty")
        real_error = pd.Series(np.where((d_err != "") & (d_err != "empty"), d_err, np.where((c_err != "") & (c_err != "empty"), c_err, "")), index=index, dtype="object")
        amount_error = real_error.where(real_error != "", np.where(both_empty, "empty pair", ""))
        kind = pd.Series(np.where(net < 0, dirs.EXPENSE, dirs.INCOME), index=index, dtype="object")
        magnitude = net.abs()
        raw_amount_text = raws[0].where(raws[0] != "", raws[1])
    decimal_used = next((d for d in decided if d), None)

    # -- dates
    parsed = dts.parse_column(date_raw)
    evidences = [parsed.evidence()]
    for p in profiles:
        if p.index != mapping.date and p.scores.get("date", 0) >= 45 and p.date_ratio >= 0.6:
            evidences.append(dts.parse_column(_text(frame, p.index)).evidence())
    if options.date_order:
        order = options.date_order
        reason = "chosen by you"
    else:
        symbols = "".join(sorted(set("".join(raw_amount_text.head(200).astype(str)) ) & set("$€£¥")))
        order, reason, _certain = dts.decide_order(
            evidences, hints=_date_hints(file_currencies, decimal_used, symbols)
        )
    by_shape: dict[str, str] = {}
    if not options.date_order:
        by_shape = dts.decide_by_shape(parsed)
        if len(set(by_shape.values())) > 1:
            # Several date shapes, each settled by its own numbers, in different orders.
            counts = parsed.shape.value_counts()
            weight = {o: sum(int(counts.get(k, 0)) for k, v in by_shape.items() if v == o) for o in dts.ORDERS}
            order = max(dts.ORDERS, key=lambda o: weight[o])
            reason = "each date shape is read in its own order: " + ", ".join(
                f"{dts.shape_label(k)} {'day' if v == 'dmy' else 'month'} first" for k, v in sorted(by_shape.items())
            )
            warnings.append(
                "The file mixes date shapes written in different day/month orders; "
                + reason.split(": ", 1)[1] + " (each shape has dates that can only be read that way)."
            )
        else:
            by_shape = {}
    dates = parsed.to_dates(order, by_shape)
    # ISO dates, month names, OFX: there was nothing to decide, so none is reported (the preview
    # said "Dates: day first" next to "no day/month dates in the file"); a choice of the user's stays
    shown_order = order if (options.date_order or dts.has_day_month(evidences)) else None

    # -- assemble
    ok = pd.Series(True, index=index)
    ok &= ~bad_ccy
    # date problems
    empty_date = date_raw == ""
    if empty_date.any():
        _reject(rejections, index[empty_date], "date", "The date is empty.", date_raw[empty_date])
    unparsed = ~empty_date & parsed.year.isna()
    if unparsed.any():
        _reject(
            rejections, index[unparsed], "date",
            [f"{v!r} is not a date (expected for example 2024-03-31, 31/03/2024, 03/31/2024 or 31 Mar 2024)." for v in date_raw[unparsed]],
            date_raw[unparsed],
        )
    shaped = ~empty_date & ~unparsed
    nat = shaped & dates.isna()
    if nat.any():
        row_orders = parsed.row_orders(order, by_shape)
        years, months, days = parsed.components_by_row(row_orders)
        reasons = []
        for idx in index[nat]:
            label = "day first" if row_orders[idx] == "dmy" else "month first"
            try:
                day = dt.date(int(years[idx]), int(months[idx]), int(days[idx]))
            except (ValueError, TypeError, OverflowError):
                reasons.append(f"{date_raw[idx]!r} is not a real calendar date (read {label}).")
                continue
            try:
                validate_transaction_date(day)
                reasons.append(f"{date_raw[idx]!r} could not be read as a date.")
            except ValidationError as exc:
                reasons.append(exc.message)
        _reject(rejections, index[nat], "date", reasons, date_raw[nat])
    in_range = shaped & ~nat
    lo = pd.Timestamp(MIN_TRANSACTION_DATE)
    hi = pd.Timestamp(max_transaction_date())
    out_of_range = in_range & ((dates < lo) | (dates > hi))
    if out_of_range.any():
        reasons = []
        for idx in index[out_of_range]:
            try:
                validate_transaction_date(dates[idx].date())
                reasons.append("The date is out of range.")
            except ValidationError as exc:
                reasons.append(exc.message)
        _reject(rejections, index[out_of_range], "date", reasons, date_raw[out_of_range])
    date_ok = in_range & ~out_of_range
    ok &= date_ok

    # amount problems (reported only for rows whose date was fine, one reason per row)
    amt_bad = (amount_error != "") & ok
    if amt_bad.any():
        reasons = []
        for idx in index[amt_bad]:
            err = amount_error[idx]
            text = raw_amount_text[idx]
            if err == "empty":
                reasons.append("There is no amount.")
            elif err == "empty pair":
                reasons.append("Both the money-out and the money-in column are empty.")
            elif err == "too large":
                reasons.append(f"{text!r} is implausibly large (the limit is {MAX_AMOUNT:,} per transaction).")
            else:
                reasons.append(err)
        _reject(rejections, index[amt_bad], "amount", reasons, raw_amount_text[amt_bad])
    ok &= amount_error == ""
    dir_bad = ok & (direction_error != "")
    if dir_bad.any():
        _reject(rejections, index[dir_bad], "direction", direction_error[dir_bad], _text(frame, mapping.direction)[dir_bad])
    ok &= ~dir_bad
    zero = ok & (magnitude == 0)
    if zero.any():
        _reject(rejections, index[zero], "amount", "The amount is zero; there is nothing to record.", raw_amount_text[zero])
    ok &= ~zero

    # -- rows repeated verbatim under one transaction id: one transaction, listed twice
    if id_col is not None:
        ids = _text(frame, id_col)
        keyed = ok & (ids != "")
        whole = frame[keyed].astype(str).agg("\x1f".join, axis=1) if keyed.any() else pd.Series(dtype=object)
        repeat = whole.duplicated(keep="first")
        if repeat.any():
            first_row = pd.Series(whole.index, index=whole.index).groupby(whole, sort=False).transform("first")
            rep_idx = repeat[repeat].index
            _reject(
                rejections, rep_idx, "duplicate",
                [f"The row repeats row {int(first_row[i])} exactly, with the same transaction id "
                 f"{ids[i]!r} in the column {columns[id_col]!r}: it is imported once." for i in rep_idx],
                ids[rep_idx],
            )
            ok &= ~pd.Series(ok.index.isin(rep_idx), index=ok.index)
            warnings.append(
                f"{len(rep_idx)} row{'s' if len(rep_idx) != 1 else ''} repeat{'s' if len(rep_idx) == 1 else ''} an "
                f"earlier row exactly, with the same transaction id in {columns[id_col]!r}: each is imported once "
                "(the repeats are listed with the rejected rows)."
            )

    # -- placeholder and absurd amounts: shown, not imported silently
    odd = ok & _placeholder_amounts(magnitude.where(ok, 0), raw_amount_text)
    if odd.any():
        typical = int(magnitude[ok & ~odd].median()) if (ok & ~odd).any() else 0
        _reject(
            rejections, index[odd], "amount",
            [f"{raw_amount_text[i]!r} looks like a placeholder, not a real amount "
             f"({_odd_reason(int(magnitude[i]), typical)}); it was left out. Add it by hand if it is real."
             for i in index[odd]],
            raw_amount_text[odd],
        )
        ok &= ~odd
        warnings.append(
            f"{int(odd.sum())} amount{'s' if int(odd.sum()) != 1 else ''} look like placeholders (such as 999999999) "
            "or are wildly larger than the rest of the file; they were left out and are listed with the rejected rows."
        )

    if has_header:
        _check_balance(frame, profiles, mapping, kind, raw_amount_text, decimal_used, ok, columns, warnings)

    # -- description, account, label
    parts = [_text(frame, c) for c in mapping.description]
    description = _join_parts(parts) if parts else pd.Series("", index=index, dtype="string")
    description.index = index
    if extra_text is not None:
        extra = group.map(extra_text).fillna("")
        description = (description.fillna("") + " " + extra.astype("string")).str.strip()
    description = _map_unique(description.fillna(""), lambda u: [_clean_description(v) for v in u])
    account = _text(frame, mapping.account).str.slice(0, 100) if mapping.account is not None else pd.Series("", index=index, dtype="string")
    label = pd.Series("", index=index, dtype="string")
    if mapping.category is not None:
        label = _text(frame, mapping.category)
    if mapping.subcategory is not None:
        # The specific label ("Gas", not "Travel") maps to a BudgetWise category more reliably.
        sub = _text(frame, mapping.subcategory)
        label = sub.where(sub != "", label)
    label = label.str.slice(0, 100)

    good = index[ok]
    def text(series: pd.Series) -> pd.Series:
        # Plain Python strings (object dtype): the service iterates them row by row.
        return pd.Series(series[ok].astype(object).where(series[ok].notna(), "").to_numpy(dtype=object), dtype=object)

    rows = pd.DataFrame(
        {
            "row": good.to_numpy(dtype="int64"),
            "date": pd.Series(dates[ok].dt.date.to_numpy(dtype=object), dtype=object),
            "amount_minor": magnitude[ok].astype("int64").to_numpy(),
            "kind": text(kind),
            "description": text(description),
            "currency": text(currency),
            "account": _clean_cells(text(account)),
            "label": _clean_cells(text(label)),
        }
    )
    rejections.sort(key=lambda r: (r.row, r.field))
    seen_rows: set[int] = set()
    unique_rejections = []
    for r in rejections:  # one reason per row: the first problem found
        if r.row in seen_rows:
            continue
        seen_rows.add(r.row)
        unique_rejections.append(r)
    amount_symbols = () if file_currencies else tuple(
        sorted(set("".join(raw_amount_text[ok].head(5000).astype(str))) & set(CURRENCY_SIGNS))
    )
    return ParsedFile(
        amount_symbols=amount_symbols, statement_balance=bal.from_columns(frame, profiles, mapping, rows, good, options.decimal),
        date_order=shown_order, date_order_reason=reason, decimal=decimal_used, sign=sign,
        warnings=tuple(warnings), rows=rows, rejections=tuple(unique_rejections), rows_read=rows_read, **base,
    )
