"""The bank's own type of a transaction (issue #16): OFX ``<TRNTYPE>`` ("ATM", "SRVCHG", "DIV"...) or
a CSV's "Type" / "Transaction Type" column (Schwab "ATM", UK banks' "DD", "SO", "CPT"...).

The one owner of how that text is kept: untrusted input, so control, bidi and zero-width characters
go, runs of spaces become one, a spreadsheet formula guard is removed and the text is cut to
:data:`BANK_TYPE_MAX` characters (the ``transactions.bank_type`` column, migration 0017). It is stored
as written otherwise (shown to the user as the bank wrote it); what it means for a row's category is
``services/categorize/banktypes.py``'s. It is never part of a row's fingerprint.
"""

from __future__ import annotations

from budgetwise.text import clean_text, unguard_formula

BANK_TYPE_MAX = 20


def clean_bank_type(value: object) -> str:
    """The text kept for a bank type ("" for none)."""
    if value is None:
        return ""
    text = clean_text(unguard_formula(str(value)))
    if "  " in text:
        text = " ".join(text.split())
    return text[:BANK_TYPE_MAX].strip()


def row_bank_types(rows) -> list[str | None]:
    """The bank type of each row of an importer's row frame (None where there is none; a frame built
    without the column, e.g. by an older path or a test, has none)."""
    if "bank_type" not in rows:
        return [None] * len(rows)
    return [x or None for x in rows["bank_type"].tolist()]
