"""The balance a bank statement states (issue #19, reconciliation; pure: no database).

* OFX: ``<LEDGERBAL><BALAMT>…<DTASOF>…`` (the ledger balance and the day it holds at), read
  tolerantly from the raw text like the rest of the OFX path (SGML or XML, any case, closing
  tags or none), in the statement's ``CURDEF``.
* CSV/XLSX: a running balance column (``Saldo``, ``Balance``, ``Kontostand`` …) beside the
  amounts. The statement's balance is the one after its newest row (the last row of a file
  written oldest first, the first of one written newest first). It is only taken when the
  column moves by the amounts (``balance.agreement``) on most rows: otherwise it is not the
  running balance of these rows and the preview already says so.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from budgetwise.dates import transaction_date_limits
from budgetwise.errors import ValidationError
from budgetwise.importing import balance as bal
from budgetwise.importing.model import StatementBalance
from budgetwise.money import to_minor

__all__ = ["StatementBalance", "closing_balance", "from_columns", "ledger_balance"]
closing_balance, from_columns = bal.closing_balance, bal.from_columns  # the CSV side lives with the running balance

_LEDGER = re.compile(rb"<\s*LEDGERBAL\s*>(.{0,2000}?)(?:<\s*/\s*LEDGERBAL\s*>|<\s*AVAILBAL\s*>|<\s*/\s*STMTRS\s*>|$)",
                     re.IGNORECASE | re.DOTALL)
_BALAMT = re.compile(rb"<\s*BALAMT\s*>\s*([^<\s]+)", re.IGNORECASE)
_DTASOF = re.compile(rb"<\s*DTASOF\s*>\s*(\d{8})", re.IGNORECASE)
_CURDEF = re.compile(rb"<\s*CURDEF\s*>\s*([A-Za-z]{3})", re.IGNORECASE)


def _minor(text: str, currency: str) -> int | None:
    """A statement amount ("-1234.56", "1234,56", "+12") in exact minor units, None if it is not one."""
    clean = text.strip().replace("+", "")
    if "," in clean and "." not in clean:
        clean = clean.replace(",", ".")
    try:
        value = Decimal(clean)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    try:
        minor = to_minor(value, currency)  # refuses more decimals than the currency has
    except ValidationError:
        return None
    return minor if abs(minor) <= 10**15 else None


def ledger_balance(data: bytes, default_currency: str | None = None) -> StatementBalance | None:
    """An OFX file's ledger balance and its date (None when it has none or it cannot be read)."""
    block = _LEDGER.search(data)
    if block is None:
        return None
    amount, day = _BALAMT.search(block.group(1)), _DTASOF.search(block.group(1))
    if amount is None or day is None:
        return None
    cur = _CURDEF.search(data)
    currency = cur.group(1).decode("ascii").upper() if cur else (default_currency or "").upper()
    if len(currency) != 3:
        return None
    try:
        date = dt.datetime.strptime(day.group(1).decode("ascii"), "%Y%m%d").date()
        minor = _minor(amount.group(1).decode("ascii", "replace"), currency)
    except (ValueError, KeyError):
        return None
    earliest, latest = transaction_date_limits()
    if minor is None or not earliest <= date <= latest:  # a day no row may have (session 25: "99991231" set the
        return None  # account's confirmed day in 9999, and the cash flow never said the data was old again)
    return StatementBalance(minor, currency, date, "the statement's ledger balance (LEDGERBAL)")
