"""Where the table starts: the header row below any preamble (or none), and the column names."""

from __future__ import annotations

import hashlib
import re

from budgetwise.errors import ImportFileError
from budgetwise.importing import dates as dts
from budgetwise.importing import headers as hdr
from budgetwise.text import clean_text

HEADER_SCAN = 40


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


def column_names(header: list[str] | None, width: int) -> tuple[str, ...]:
    """The header's names, cleaned and made unique ("Memo", "Memo (2)"); "Column N" where there is none."""
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


def repeated_headers(header: list[str] | None, width: int) -> dict[str, tuple[int, ...]]:
    """Header names that more than one column carries (compared like :func:`column_names`, any
    case): {the name as first written: its 0-based column positions}."""
    if header is None:
        return {}
    found: dict[str, list[int]] = {}
    first: dict[str, str] = {}
    for i in range(min(width, len(header))):
        raw = clean_text(header[i])
        if raw:
            key = raw.casefold()
            first.setdefault(key, raw)
            found.setdefault(key, []).append(i)
    return {first[k]: tuple(v) for k, v in found.items() if len(v) > 1}


def header_signature(columns: tuple[str, ...], has_header: bool, delimiter: str | None) -> str:
    if has_header:
        key = "h|" + "|".join(hdr.normalize(c) for c in columns)
    else:
        key = f"n|{len(columns)}|{delimiter or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
