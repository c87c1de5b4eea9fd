"""Excel workbooks (.xlsx): the first sheet by default, or the one the user picks.

The zip is inspected before openpyxl parses anything (:func:`check_workbook`: declared
uncompressed sizes, the shared-strings part, the number of members; limits in
:mod:`budgetwise.importing.limits`), then the sheet is streamed in read-only mode with a
ceiling on rows, columns and cells. A zip bomb is refused in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing import limits
from budgetwise.importing.limits import MAX_ROWS
from budgetwise.names import quoted

_TOO_BIG = "Save only the statement's sheet as a new .xlsx, or export CSV."


def check_workbook(data: bytes) -> None:
    """Refuse a workbook whose contents would unpack beyond the limits, before parsing it.

    The sizes are those the zip declares; zipfile never inflates a member past its declared
    size (it stops there and fails its CRC check), so they bound what openpyxl can read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(f"The Excel file cannot be opened ({exc}). Save it again as .xlsx or export CSV.") from None
    if len(members) > limits.XLSX_MAX_MEMBERS:
        raise ImportFileError(
            f"The Excel file holds {len(members):,} parts; a workbook has at most {limits.XLSX_MAX_MEMBERS:,}. {_TOO_BIG}"
        )
    total = sum(m.file_size for m in members)
    if total > limits.XLSX_MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            f"The Excel file unpacks to {limits.mb(total)} ({len(data) / 1024:,.0f} KB compressed); the limit is "
            f"{limits.mb(limits.XLSX_MAX_UNCOMPRESSED_BYTES)} of content. {_TOO_BIG}"
        )
    for m in members:
        if m.filename.lower().endswith("sharedstrings.xml") and m.file_size > limits.XLSX_MAX_SHARED_STRINGS_BYTES:
            raise ImportFileError(
                f"The Excel file's text table (shared strings) is {limits.mb(m.file_size)}; the limit is "
                f"{limits.mb(limits.XLSX_MAX_SHARED_STRINGS_BYTES)}. {_TOO_BIG}"
            )
    cells = _count_cells(data, [m for m in members if m.filename.lower().startswith("xl/worksheets/")])
    if cells > limits.MAX_CELLS:
        raise ImportFileError(
            f"The Excel file has more than {limits.MAX_CELLS:,} cells ({len(data) / 1024:,.0f} KB compressed), "
            "the most a file may have. Split it into shorter periods or export CSV."
        )


_CELL_TAGS = (b"<c ", b"<c>", b"<c/>")


def _count_cells(data: bytes, sheets: list[zipfile.ZipInfo]) -> int:
    """Cells in the worksheets' XML, counted on the inflated bytes in chunks (C speed, ~1 MB
    of memory): a bomb of 8 million cells is counted in about a second, where openpyxl would
    take minutes to reach the ceiling while streaming."""
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in sheets:
            tail = b""
            with zf.open(info) as f:
                while chunk := f.read(1 << 20):
                    block = tail + chunk
                    total += sum(block.count(tag) for tag in _CELL_TAGS)
                    # a tag cut at the chunk's end is counted with the next block, never twice
                    cut = max(block.rfind(b"<", len(block) - 3), -1)
                    if cut >= 0 and not any(block.startswith(t, cut) for t in _CELL_TAGS):
                        tail = block[cut:]
                    else:
                        tail = b""
                    if total > limits.MAX_CELLS:
                        return total
    return total


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

    check_workbook(data)
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
            raise ValidationError(f"The workbook has no sheet named {quoted(chosen)}; it has {', '.join(names)}.", field="sheet")
        ws = wb[chosen]
        # The <dimension> tag is the writer's claim, not the cells: a harmless program that writes
        # A1:XFD1048576 would pad every row to 16,384 columns (and refuse the file), one that writes
        # A1:A1 would cut every row to one. Only the cells present are read; the ceilings below
        # count them (and check_workbook counted the sheet's cell tags before openpyxl opened it).
        ws.reset_dimensions()
        records: list[list[str]] = []
        cells = 0
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            if i >= MAX_ROWS:
                raise ImportFileError(f"The sheet has more than {MAX_ROWS:,} rows; split the file.")
            if len(row) > limits.MAX_COLUMNS:
                raise ImportFileError(
                    f"Row {i + 1} of sheet {quoted(chosen)} has {len(row):,} columns; a bank file has at most "
                    f"{limits.MAX_COLUMNS:,}. {_TOO_BIG}"
                )
            cells += len(row)
            if cells > limits.MAX_CELLS:
                raise ImportFileError(
                    f"Sheet {quoted(chosen)} has more than {limits.MAX_CELLS:,} cells (stopped at row {i + 1:,}); "
                    "split the file into shorter periods or export CSV."
                )
            record = [_cell(v) for v in row]
            for j, text in enumerate(record):
                if len(text) > limits.MAX_FIELD_CHARS:
                    raise ImportFileError(
                        f"Row {i + 1}, column {j + 1} of sheet {quoted(chosen)} holds {len(text):,} characters; "
                        f"the limit is {limits.MAX_FIELD_CHARS:,} per cell. {_TOO_BIG}"
                    )
            records.append(record)
        # Trailing cells that openpyxl pads with None are already "", nothing else to trim.
        return records, names, chosen
    finally:
        wb.close()
