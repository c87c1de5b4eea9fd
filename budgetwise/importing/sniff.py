"""What kind of file is this, how is its text encoded, and how is it split?

Content decides, the file name only breaks ties: a bank that names its CSV
``export.xls`` still imports, and a PDF renamed ``.csv`` gets a clear refusal.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from budgetwise.errors import ImportFileError
from budgetwise.importing import limits
from budgetwise.text import plural_word

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_LINES = 60

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_OFX_OPEN = re.compile(rb"<OFX[\s>]")


def detect_kind(data: bytes, filename: str) -> str:
    """'csv' (any delimited text), 'xlsx' or 'ofx'; ImportFileError for anything else."""
    name = (filename or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if not data or not data.strip():
        raise ImportFileError("The file is empty.")
    head = data[:8]
    if head.startswith(_ZIP):
        if b"[Content_Types].xml" in data[:200_000] or b"xl/" in data[:200_000] or ext in {"xlsx", "xlsm"}:
            if b"xl/" not in data:
                raise ImportFileError(
                    "This is a ZIP archive or an OpenDocument/Word file, not an Excel workbook. "
                    "Export your statement as CSV, XLSX or OFX."
                )
            return "xlsx"
        raise ImportFileError("This is a ZIP archive. Unpack it and import the CSV, XLSX or OFX file inside.")
    if head.startswith(_OLE2):
        raise ImportFileError(
            "This is an old-style Excel (.xls) or Office file, which cannot be read. "
            "Open it in a spreadsheet program and save it as .xlsx or CSV, then import that."
        )
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ImportFileError(
                f"This file is {what}, not a bank export. Download your statement as CSV, Excel (.xlsx) or OFX/QFX."
            )
    text_head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    upper = text_head.upper()
    if upper.startswith(b"OFXHEADER") or b"<OFX>" in upper or (upper.startswith(b"<?XML") and b"<?OFX" in upper):
        return "ofx"
    if _OFX_OPEN.search(upper) or (ext in {"ofx", "qfx"} and b"<STMTTRN>" in data[:1_000_000].upper()):
        return "ofx"  # <OFX xmlns=...>, or a statement that lost its <OFX> root
    if ext in {"ofx", "qfx"}:
        raise ImportFileError(
            f"{filename} is named like an OFX file but has no OFX header or <OFX> element; "
            "download the statement from your bank again."
        )
    if ext in {"xlsx", "xlsm"}:
        raise ImportFileError(f"{filename} is named like an Excel workbook but is not one (it is not a valid .xlsx file).")
    if ext in {"pdf", "doc", "docx", "png", "jpg", "jpeg", "gif", "zip", "exe", "dll", "mp3", "mp4", "json", "xml", "html", "htm", "qif"}:
        if ext == "qif":
            raise ImportFileError("QIF files are not supported; export CSV, Excel (.xlsx) or OFX/QFX from your bank.")
        raise ImportFileError(f"A .{ext} file cannot be imported. Download your statement as CSV, Excel (.xlsx) or OFX/QFX.")
    lowered = text_head.lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        raise ImportFileError("This is a web page (HTML), not a bank export. Download the statement as CSV, XLSX or OFX.")
    return "csv"


_TEXT_CONTROLS = {9, 10, 13, 27}


def _controls_share(text: str) -> float:
    return sum(1 for c in text if ord(c) < 32 and ord(c) not in _TEXT_CONTROLS) / len(text) if text else 0.0


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the zero bytes say the text is UTF-16 without a byte-order mark
    (Excel's "Unicode text" from some writers), else None.

    A bank file's delimiters, digits and line ends are ASCII: in UTF-16 each has a zero high byte, on the
    odd offsets in little-endian, the even ones in big-endian. Letters of other scripts have none
    (Cyrillic is U+04xx, Greek U+03xx), so the share of zeros can be small; what tells UTF-16 is that the
    zeros keep to one side. Zero bytes of a single-byte encoding never do (and are refused as binary)."""
    sample = data[:65536]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    units = len(sample) // 2
    for name, on, off in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if on >= max(2, units // 20) and off <= on // 20:
            return name
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    return controls / len(sample) > 0.01


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding name). BOMs first, then strict UTF-8, then the Windows/Latin code pages."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ImportFileError(f"The file cannot be read as {encoding}: {exc}.") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    for bom, name in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(name), "utf-16"
            except UnicodeDecodeError:
                raise ImportFileError("The file says it is UTF-16 but is not valid UTF-16 text.") from None
    order = _bomless_utf16(data)
    if order is not None:
        try:
            text = data.decode(order)
        except UnicodeDecodeError as exc:
            why = "it ends in the middle of a character" if len(data) % 2 else f"byte {exc.start + 1:,} is not UTF-16"
            raise ImportFileError(
                f"The file looks like UTF-16 text without a byte-order mark ({order.upper()}), but its encoding "
                f"cannot be read: {why}. Save it again as CSV UTF-8 (Excel: \"CSV UTF-8\"), or export it again."
            ) from None
        if not _controls_share(text[:32768]) > 0.01:  # a binary file whose zeros happen to fall on one side
            return text, order
    if _looks_binary(data):
        raise ImportFileError(
            "This looks like a binary file, not a text export: it contains control bytes that never occur in CSV. "
            "Download your statement as CSV, Excel (.xlsx) or OFX/QFX."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        as1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        as1252 = None
    try:
        as1250 = data.decode("cp1250")
    except UnicodeDecodeError:
        as1250 = None
    if as1252 is not None and (as1250 is None or as1250 == as1252):
        has_c1 = any(0x80 <= b <= 0x9F for b in data)
        return as1252, ("cp1252" if has_c1 else "latin-1")
    if as1252 is None and as1250 is not None:
        return as1250, "cp1250"
    if as1252 is not None and as1250 is not None:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000], cp_isolation=["cp1252", "cp1250"]).best()
        if best is not None and best.encoding == "cp1250":
            return as1250, "cp1250"
        return as1252, "cp1252"
    return data.decode("latin-1"), "latin-1"


_NEWLINES = re.compile(r"\r\n?")


def normalize_newlines(text: str) -> str:
    """CRLF and CR-only (old Mac, some Mint exports) become LF."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text.replace("\x00", "")


def _sample_lines(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n", SAMPLE_LINES * 4)[: SAMPLE_LINES * 4]:
        if line.strip():
            lines.append(line)
        if len(lines) >= SAMPLE_LINES:
            break
    return lines


def detect_delimiter(text: str) -> str:
    """The delimiter that splits most sample lines into the same number (>1) of fields.

    csv.reader does the quote handling; preamble lines (account details above the
    header) simply disagree with the consistent block and are outvoted.
    """
    lines = _sample_lines(text)
    if not lines:
        return ","
    best, best_score = ",", (-1, 0, 0)
    sample = "\n".join(lines)
    for delim in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delim) if any(c.strip() for c in row)]
        except csv.Error:
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        width, freq = Counter(multi).most_common(1)[0]
        # Lines agreeing with the common width (±1 for a trailing delimiter), then width, then order.
        agree = sum(1 for c in multi if abs(c - width) <= 1)
        score = (agree, width, -DELIMITERS.index(delim))
        if score > best_score:
            best, best_score = delim, score
    return best


def read_records(text: str, delimiter: str) -> list[list[str]]:
    """All records of the file (blank lines kept as empty records, so numbers match the file's rows).

    Refuses, at the first offending record, a row wider than ``limits.MAX_COLUMNS`` columns
    or a field longer than ``limits.MAX_FIELD_CHARS`` characters (a 200,000-column header
    would otherwise keep the column detection busy for minutes).
    """
    csv.field_size_limit(limits.MAX_FIELD_CHARS)
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    last_start, previous_end = 1, 0  # the lines of the file the newest record starts on, the one before ended on
    try:
        for record in reader:
            if len(record) > limits.MAX_COLUMNS:
                raise ImportFileError(
                    f"Row {reader.line_num} has {len(record):,} columns; a bank file has at most "
                    f"{limits.MAX_COLUMNS:,}. Check that this is a bank export and that the delimiter is right."
                )
            records.append(record)
            last_start, previous_end = previous_end + 1, reader.line_num
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"Row {reader.line_num} has a field longer than {limits.MAX_FIELD_CHARS:,} characters "
                "(often a quote that is never closed). Check the file, or export it again from your bank."
            ) from None
        raise ImportFileError(f"The file cannot be read as delimited text: {exc}.") from None
    if records and reader.line_num > last_start:
        _refuse_unclosed_quote(text, len(records), last_start, reader.line_num)
    return records


def _refuse_unclosed_quote(text: str, row: int, start: int, end: int) -> None:
    """csv (not strict) reads a quote that is never closed to the end of the file: the rows after it
    would vanish into one field of this row without a word. Only the last record can end that way; an
    odd number of quote characters from its first line on means its quote was never closed."""
    tail = "\n".join(text.split("\n")[start - 1:])
    if tail.count('"') % 2 == 0:
        return
    more = end - start
    raise ImportFileError(
        f"Row {row} opens a quote (\") that is never closed, so the {more} more {plural_word(more, 'line')} "
        "after it would be read as one field of that row and not as transactions. Check that row of the "
        "file (a description with a stray quote), or export it again from your bank."
    )
