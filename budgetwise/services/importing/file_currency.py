"""Importing: where the currency of a file's rows comes from, for the preview (session 10).

The Import page's "Currency of this file" showed the user's currency even when a currency column
gave each row its own (QA 2026-12-05): the picker only fills rows that carry no currency. This
says which source decides (the order the parser applies: a currency column per row; else an
OFX statement's ``CURDEF``; else the currency the user chose; else a code in an amount column's
header, ``Betrag (EUR)``; else the user's currency), which currencies the rows have, and what the
picker stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.importing.headers import header_currency

_CURDEF = re.compile(rb"<\s*CURDEF\s*>\s*([A-Za-z]{3})", re.IGNORECASE)


@dataclass(frozen=True)
class FileCurrency:
    """``source``: "column" (a currency column, per row), "statement" (OFX CURDEF), "chosen" (the
    user's choice), "header" (a code in an amount header) or "default" (the user's currency).
    ``fallback``: the currency of rows without one of their own (what the picker shows);
    ``automatic``: the fallback when the user chooses nothing; ``found``: (code, rows), most first."""

    source: str
    fallback: str
    automatic: str
    found: tuple[tuple[str, int], ...]
    column: str = ""  # the currency column's or the amount header's name

    @property
    def from_file(self) -> bool:
        """The file itself decides the rows' currency (the picker only fills rows without one, or nothing)."""
        return self.source in ("column", "statement")

    @property
    def note(self) -> str:
        """The currency in words, for the preview ("" when it is simply the one the picker shows)."""
        found = ", ".join(f"{c} ({n:,} row{'s' if n != 1 else ''})" for c, n in self.found)
        if self.source == "column":
            return (f"Each row's currency comes from the file's “{self.column}” column: {found or 'no readable row'}. "
                    f"Rows with an empty currency cell are stored in {self.fallback}.")
        if self.source == "statement":
            return f"The statement names its currency: {self.fallback}."
        if self.source == "header":
            return f"The column “{self.column}” names the currency: {self.fallback}."
        return ""


def file_currency(parsed: ParsedFile, options: ImportOptions, data: bytes, user_currency: str) -> FileCurrency:
    """Where the currency of ``parsed``'s rows comes from (see the module's docstring)."""
    rows = parsed.rows
    found = tuple((str(k), int(v)) for k, v in rows["currency"].value_counts().items()) if not rows.empty else ()
    chosen = (options.currency or "").upper()
    header_name, header_code = "", None
    mapping = parsed.mapping
    if parsed.file_format != "ofx" and mapping is not None and parsed.header_row:
        for col in (mapping.amount, mapping.debit, mapping.credit):
            if col is not None and col < len(parsed.columns):
                code = header_currency(str(parsed.columns[col]))
                if code:
                    header_name, header_code = str(parsed.columns[col]), code
                    break
    automatic = header_code or user_currency
    fallback = chosen or automatic
    if parsed.file_format == "ofx":
        curdef = _CURDEF.search(data)
        if curdef:
            code = curdef.group(1).decode("ascii").upper()
            return FileCurrency("statement", code, code, found)
        return FileCurrency("chosen" if chosen else "default", fallback, user_currency, found)
    if mapping is not None and mapping.currency is not None:
        column = str(parsed.columns[mapping.currency]) if mapping.currency < len(parsed.columns) else "Currency"
        return FileCurrency("column", fallback, automatic, found, column)
    if chosen:
        return FileCurrency("chosen", fallback, automatic, found)
    if header_code:
        return FileCurrency("header", fallback, automatic, found, header_name)
    return FileCurrency("default", fallback, automatic, found)
