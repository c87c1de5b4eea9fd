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

import numpy as np
import pandas as pd

from budgetwise.importing import amounts as amt
from budgetwise.importing import balance as bal
from budgetwise.importing.model import StatementBalance

__all__ = ["StatementBalance", "closing_balance", "from_columns", "ledger_balance"]
from budgetwise.money import minor_digits

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
    scaled = value.scaleb(minor_digits(currency))
    if scaled != scaled.to_integral_value() or abs(scaled) > Decimal(10) ** 15:
        return None
    return int(scaled)


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
    if minor is None:
        return None
    return StatementBalance(minor, currency, date, "the statement's ledger balance (LEDGERBAL)")


def closing_balance(
    balance_text: pd.Series, name: str, rows: pd.DataFrame, decimal: str | None
) -> StatementBalance | None:
    """The running balance after the newest of ``rows`` (the valid rows, file order), from the
    balance column's text on those rows (same index order); None when it cannot be trusted."""
    if rows.empty or rows["currency"].nunique() != 1:
        return None  # one running balance cannot follow amounts in several currencies
    currency = str(rows["currency"].iloc[0])
    digits = minor_digits(currency)
    if digits > 4:
        return None
    balance = bal.scaled(balance_text.reset_index(drop=True), decimal or amt.decide_decimal(balance_text))
    unit = 10 ** (4 - digits)  # scaled values are x10,000; minor units are x10**digits
    signed = rows["amount_minor"].to_numpy(dtype="float64") * unit
    signed = np.where(rows["kind"].to_numpy() == "income", signed, -signed)
    finite = np.isfinite(balance)
    if not finite.any():
        return None
    if len(rows) >= 2:
        diff = balance[1:] - balance[:-1]
        fwd_ok, rev_ok = np.isfinite(diff), np.isfinite(diff)
        fwd = float((diff[fwd_ok] == signed[1:][fwd_ok]).mean()) if fwd_ok.any() else 0.0
        rev = float((-diff[rev_ok] == signed[:-1][rev_ok]).mean()) if rev_ok.any() else 0.0
        if max(fwd, rev) < bal.ENOUGH:
            return None  # not the running balance of these amounts
        first, last = rows["date"].iloc[0], rows["date"].iloc[-1]
        newest_first = first > last if first != last else rev > fwd
    else:
        newest_first = False
    positions = np.flatnonzero(finite)
    pos = int(positions[0] if newest_first else positions[-1])
    value = balance[pos]
    if value % unit:
        return None  # more decimals than the currency has: not this currency's balance
    return StatementBalance(int(value // unit), currency, rows["date"].iloc[pos],
                            f"the balance column {name!r} after the newest row")


def from_columns(frame: pd.DataFrame, profiles: list, mapping, rows: pd.DataFrame, good: pd.Index,
                 decimal: str | None) -> StatementBalance | None:
    """The closing balance of a table's running balance column (a header names it a balance and it
    is not the amount, date or debit/credit), on the valid rows ``good`` (``rows``' order)."""
    used = {mapping.amount, mapping.debit, mapping.credit, mapping.date}
    columns = [p for p in profiles if p.balance and p.index not in used and p.numeric_ratio >= 0.6]
    if not columns or rows.empty:
        return None
    p = columns[0]
    text = frame.loc[good, p.index].astype("string").fillna("").str.strip()
    return closing_balance(text, p.name, rows, decimal)
