"""Excel workbooks (.xlsx): the first sheet by default, or the one the user picks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from budgetwise.errors import ImportFileError, ValidationError

MAX_ROWS = 1_100_000


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value))
        # Ten decimals undo binary noise (0.1 + 0.2) while keeping every real cent.
        return f"{value:.10f}".rstrip("0").rstrip(".")
    return str(value)


def _open(data: bytes):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(f"The Excel file cannot be opened ({exc}). Save it again as .xlsx or export CSV.") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises its own InvalidFileException and others
        raise ImportFileError(f"The Excel file cannot be opened ({type(exc).__name__}: {exc}).") from None


def sheet_names(data: bytes) -> tuple[str, ...]:
    wb = _open(data)
    try:
        return tuple(wb.sheetnames)
    finally:
        wb.close()


def read_sheet(data: bytes, sheet: str | None = None) -> tuple[list[list[str]], tuple[str, ...], str]:
    """(records as text cells, all sheet names, the sheet read)."""
    wb = _open(data)
    try:
        names = tuple(wb.sheetnames)
        if not names:
            raise ImportFileError("The workbook has no sheets.")
        chosen = sheet or names[0]
        if chosen not in names:
            raise ValidationError(f"The workbook has no sheet named {chosen!r}; it has {', '.join(names)}.", field="sheet")
        ws = wb[chosen]
        records: list[list[str]] = []
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            if i >= MAX_ROWS:
                raise ImportFileError(f"The sheet has more than {MAX_ROWS:,} rows; split the file.")
            records.append([_cell(v) for v in row])
        # Trailing cells that openpyxl pads with None are already "", nothing else to trim.
        return records, names, chosen
    finally:
        wb.close()
