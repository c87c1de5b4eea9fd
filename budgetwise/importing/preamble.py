"""The account a CSV/XLSX statement's preamble names (session 23; pure): the lines above the header row
("Account details for:,FRANK Account 666-666666-666", "Account: 12345678", "Konto;DE12 3456 …", a lone "Everyday
Account 06-1234-5678901-00" line). The text as written (untrusted: cleaned, cut); the name an account gets from it,
long numbers masked, is the service's (``services/importing/by_currency.statement_account_name``)."""

from __future__ import annotations

import re

from budgetwise.importing import headers as hdr
from budgetwise.text import clean_text

MAX_TEXT = 100
# a label cell naming the account (folded, punctuation as spaces), in the importer's languages
_LABEL = re.compile(
    r"^(account|account name|account number|account no|account details|account details for|account holder account|"
    r"konto|kontoname|kontonummer|compte|numero de compte|intitule du compte|cuenta|numero de cuenta|conta|conto|"
    r"rekening|rekeningnummer|szamla|szamlaszam|szamla neve|ucet|cislo uctu|nazev uctu|rachunek|numer rachunku)$")
# one cell naming an account by a word and its number ("Everyday Account 06-1234-5678901-00", "Girokonto 1234567")
_NAMED = re.compile(r"^[^\W\d_][\w .'&/-]{0,40}?(account|konto|compte|cuenta|conta|conto|rekening)\b[\s#:.-]*\d[\d \-/.]{3,}$",
                    re.IGNORECASE)


def _value(cells: list[str], i: int) -> str:
    """The value after a label cell: the text after its ":" in the same cell, else the next non-empty cell."""
    own = cells[i].split(":", 1)[1].strip() if ":" in cells[i] else ""
    return own or next((c.strip() for c in cells[i + 1:] if c.strip()), "")


def statement_account(preamble: list[list[str]]) -> str | None:
    """The account the lines above a table's header name, as written (None when none does)."""
    for record in preamble:
        cells = [clean_text(c) for c in record]
        filled = [c for c in cells if c.strip()]
        for i, cell in enumerate(cells):
            label = hdr.normalize(cell.split(":", 1)[0]) if ":" in cell else hdr.normalize(cell)
            if cell.strip() and _LABEL.match(label):
                value = _value(cells, i)
                if value and any(ch.isalnum() for ch in value):
                    return value[:MAX_TEXT]
        if len(filled) == 1 and _NAMED.match(filled[0].strip()):
            return filled[0].strip()[:MAX_TEXT]
    return None
