"""Bank file parsers: CSV/TSV (any dialect), Excel .xlsx and OFX/QFX.

Pure functions, no database: :func:`parse_file` turns bytes into a
:class:`ParsedFile` (candidate transactions, per-row rejections, and what was
detected). :mod:`budgetwise.services.importing` adds duplicates, categories and
the database commit. Design notes: docs/importing.md.
"""

from __future__ import annotations

import dataclasses
import logging
import traceback

from budgetwise.errors import BudgetwiseError, ImportFileError

# the CSV/TSV path is the common one: loaded with the package (OFX and Excel readers load on first use)
from budgetwise.importing import sniff
from budgetwise.importing.model import (
    CURRENCY_SIGNS,
    DATE_ORDERS,
    MAPPING_KEYS,
    ROLE_LABELS,
    SIGN_CONVENTIONS,
    SIGN_LABELS,
    ColumnMapping,
    FileLayout,
    ImportOptions,
    ParsedFile,
    Rejection,
    RepeatedHeader,
    merge_mapping,
    parse_mapping_spec,
)
from budgetwise.importing.table import build_transactions
from budgetwise.names import quoted

__all__ = [
    "DATE_ORDERS",
    "MAPPING_KEYS",
    "ROLE_LABELS",
    "SIGN_CONVENTIONS",
    "SIGN_LABELS",
    "CURRENCY_SIGNS",
    "ColumnMapping",
    "FileLayout",
    "ImportFileError",
    "ImportOptions",
    "ParsedFile",
    "Rejection",
    "RepeatedHeader",
    "merge_mapping",
    "parse_file",
    "parse_mapping_spec",
]

log = logging.getLogger(__name__)
UNEXPECTED = "The file could not be read because of an unexpected problem"


def parse_file(
    data: bytes, filename: str, options: ImportOptions | None = None, *, default_currency: str = "USD"
) -> ParsedFile:
    """Parse a bank file. Raises ImportFileError when it cannot be read at all."""
    options = options or ImportOptions()
    try:
        return _parse(bytes(data), filename or "", options, default_currency.upper())
    except BudgetwiseError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise ImportFileError(f"The file is too large or too deeply nested to read ({type(exc).__name__}).") from exc
    except Exception as exc:  # noqa: BLE001 - a user's file must never crash the app
        # the error's type and where, not the file's name nor the error's text (either can carry an account or card
        # number: banks name exports after the IBAN; session 29, sec29): the user's message below has both
        log.error("importer failed: %s\n%s", type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
        raise ImportFileError(f"{UNEXPECTED} ({type(exc).__name__}: {exc}).") from exc


def _parse(data: bytes, filename: str, options: ImportOptions, default_currency: str) -> ParsedFile:
    kind = sniff.detect_kind(data, filename)
    if kind == "ofx":
        from budgetwise.importing.ofx import parse_ofx

        return parse_ofx(data, default_currency=options.currency or default_currency)
    if kind == "xlsx":
        return _parse_workbook(data, options, default_currency)
    text, encoding = sniff.decode_text(data, options.encoding)
    text = sniff.normalize_newlines(text)
    if not text.strip():
        raise ImportFileError("The file is empty.")
    delimiter = options.delimiter
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:  # Excel's "sep=;" hint line
        delimiter = delimiter or first.strip()[4]
        text = "\n" + rest  # keep row numbers
    delimiter = delimiter or sniff.detect_delimiter(text)
    records = sniff.read_records(text, delimiter)
    return build_transactions(
        records, options=options, file_format="tsv" if delimiter == "\t" else "csv", encoding=encoding,
        delimiter=delimiter, default_currency=default_currency,
    )


def _parse_workbook(data: bytes, options: ImportOptions, default_currency: str) -> ParsedFile:
    """The chosen sheet of a workbook; without a choice the first sheet, or else the first one
    with rows to import (a bank's "Summary" or "Overview" sheet often comes first). A sheet
    without transactions is named in the error, with the workbook's other sheets."""
    from budgetwise.importing.xlsx import read_sheet

    def read(sheet: str | None) -> ParsedFile:
        records, names, chosen = read_sheet(data, sheet)
        try:
            return build_transactions(
                records, options=options, file_format="xlsx", encoding=None, delimiter=None,
                default_currency=default_currency, sheet_names=names, sheet=chosen,
            )
        except ImportFileError as exc:
            others = [n for n in names if n != chosen]
            hint = f" The workbook's other sheets: {', '.join(others)}." if others else ""
            message = str(exc)
            raise ImportFileError(f"Sheet {quoted(chosen)} cannot be imported: {message[:1].lower()}{message[1:]}{hint}") from None

    try:
        return read(options.sheet)
    except ImportFileError as first_error:
        if options.sheet is not None:
            raise
        from budgetwise.importing.xlsx import sheet_names

        first, *rest = sheet_names(data)
        for other in rest:
            try:
                parsed = read(other)
            except ImportFileError:
                continue
            note = f"The first sheet, {quoted(first)}, has no transactions: the sheet {quoted(other)} was read instead."
            return dataclasses.replace(parsed, warnings=(note, *parsed.warnings))
        raise first_error from None
