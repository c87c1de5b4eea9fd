"""The table importer's entry point: records in, a ParsedFile out."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing.model import ColumnMapping, ImportOptions, ParsedFile, RepeatedHeader, empty_rows
from budgetwise.importing.preamble import statement_account
from budgetwise.importing.table.convert import convert
from budgetwise.importing.table.frame import records_frame
from budgetwise.importing.table.header import column_names, find_header, header_signature, repeated_headers
from budgetwise.importing.table.profile import ColumnProfile, profile_columns
from budgetwise.importing.table.roles import detect_mapping
from budgetwise.importing.table.running_balance import balance_decides


def _header_position(records: list[list[str]], options: ImportOptions) -> tuple[int | None, int]:
    """(index of the header record or None, index of the first data record): chosen or found."""
    if options.header_row is None:
        return find_header(records)
    if options.header_row == 0:
        return None, next(i for i, r in enumerate(records) if any(c.strip() for c in r))
    if options.header_row > len(records):
        raise ValidationError(
            f"The file has only {len(records)} rows; row {options.header_row} cannot be the header.", field="header_row"
        )
    return options.header_row - 1, options.header_row


def _drop_empty_tail(frame: pd.DataFrame, width: int, header: list[str] | None) -> tuple[pd.DataFrame, int]:
    """Trailing columns that are empty everywhere and unnamed ("a;b;c;" exports) are dropped."""
    while width > 1 and (frame[width - 1] == "").all() and (
        header is None or width > len(header) or not str(header[width - 1]).strip()
    ):
        frame = frame.drop(columns=[width - 1])
        width -= 1
    return frame, width


#: Roles a repeated header name must not fill by guessing: picking the wrong one of two "amount"
#: columns stores wrong money (QA 2026-12-04: the first was silently used).
_UNGUESSABLE = ("date", "amount", "debit", "credit", "direction", "currency")


def _refuse_repeated(
    frame: pd.DataFrame, mapping: ColumnMapping, repeated: dict[str, tuple[int, ...]], warnings: list[str]
) -> tuple[ColumnMapping, tuple[RepeatedHeader, ...]]:
    """The detected mapping without the money and date roles that landed on a column whose header
    name another column has too, and those roles (:class:`RepeatedHeader`); a note names the header
    and its positions, so the person maps it. Columns of one name that hold the same text on every
    row (a bank repeating its "Währung" column) leave no choice to make and are kept; so does a column
    whose namesakes are empty on every row (an M-Pesa statement's blank "PAID IN" before its own
    "Paid In", session 22)."""
    where = {
        i: (name, cols) for name, cols in repeated.items()
        if any(not frame[c].equals(frame[cols[0]]) for c in cols[1:])
        and sum(bool((frame[c] != "").any()) for c in cols) > 1 for i in cols
    }
    cleared: dict[str, Any] = {}
    found: list[RepeatedHeader] = []
    for role in _UNGUESSABLE:
        col = getattr(mapping, role)
        if col in where:
            name, cols = where[col]
            cleared[role] = None
            found.append(RepeatedHeader(role, name, tuple(cols)))
            warnings.append(found[-1].note)
    return (replace(mapping, **cleared) if cleared else mapping), tuple(found)


def _mapping(
    frame: pd.DataFrame, columns: tuple[str, ...], has_header: bool, options: ImportOptions, warnings: list[str],
    repeated: dict[str, tuple[int, ...]] | None = None,
) -> tuple[ColumnMapping, bool, list[ColumnProfile], tuple[RepeatedHeader, ...]]:
    """(mapping, confident, column profiles, roles left unmapped): the person's mapping, else the
    detected one (without the roles a ``repeated`` header name would have to guess, :func:`_refuse_repeated`)."""
    profiles = profile_columns(frame, columns, has_header)
    if options.mapping is not None:
        return options.mapping.validate(len(columns)), True, profiles, ()
    mapping, confident, notes = detect_mapping(profiles, has_header)
    if mapping.date is not None and (frame[mapping.date] == "").any():
        # Continuation lines and footers (no date) must not blur what the columns hold.
        dated = frame[frame[mapping.date] != ""]
        if len(dated):
            profiles = profile_columns(dated, columns, has_header)
            mapping, confident, notes = detect_mapping(profiles, has_header)
    warnings.extend(notes)
    unmapped: tuple[RepeatedHeader, ...] = ()
    if repeated:
        guarded, unmapped = _refuse_repeated(frame, mapping, repeated, warnings)
        confident = confident and guarded == mapping
        mapping = guarded
    return mapping, confident, profiles, unmapped


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
    """Rows of text cells (CSV, TSV or a worksheet) as candidate transactions and rejections."""
    if not any(any(c.strip() for c in r) for r in records):
        raise ImportFileError("The file is empty: it has no rows with any text.")
    header_idx, start = _header_position(records, options)
    header = records[header_idx] if header_idx is not None else None
    frame, width = records_frame(records, start, len(header) if header is not None else 0, header)
    if frame.empty or width == 0:
        raise ImportFileError(
            "The file has a header row but no transactions below it." if header is not None else "The file has no rows to import."
        )
    frame, width = _drop_empty_tail(frame, width, header)
    columns = column_names(header, width)
    has_header = header is not None
    warnings: list[str] = []
    mapping, confident, profiles, unmapped = _mapping(
        frame, columns, has_header, options, warnings, repeated_headers(header, width))
    sample = tuple(tuple(str(v) for v in row) for row in frame.head(10).itertuples(index=False, name=None))
    base: dict[str, Any] = dict(
        file_format=file_format, encoding=encoding, delimiter=delimiter,
        header_row=(header_idx + 1) if header_idx is not None else None, columns=columns, mapping=mapping,
        mapping_confident=confident, sheet_names=sheet_names, sheet=sheet,
        header_signature=header_signature(columns, has_header, delimiter), sample=sample, repeated_headers=unmapped,
        statement_account=statement_account(records[:header_idx]) if header_idx else None,
    )
    if not mapping.complete:
        missing = " and ".join(mapping.missing())
        warnings.append(f"Could not tell which column holds the {missing}: choose the columns below.")
        return ParsedFile(
            date_order=None, date_order_reason="", decimal=None, sign=options.sign, warnings=tuple(warnings),
            rows=empty_rows(), rejections=(), rows_read=int(len(frame)), **base,
        )
    if options.mapping is None and not has_header:
        mapping, options = balance_decides(frame, profiles, mapping, options, warnings)
        base["mapping"] = mapping
    return convert(frame, mapping, profiles, options, default_currency, warnings, base)
