"""What a running balance says about the amount column.

A statement with a balance column obeys ``balance[i] = balance[i-1] + amount[i]`` row after
row when read oldest first (``balance[i] = balance[i+1] + amount[i]`` when the file is newest
first), with the amount signed as money in (+) / money out (-). That is strong evidence:

* in a file without a header it tells the amount column from the balance column, and the
  sign convention of the amounts (:func:`best_amount`), including which of two
  one-sided columns is money out (:func:`best_pair`);
* in a file with a header it checks the mapping (:func:`agreement`);
* it is the statement's own closing balance, which reconciliation compares with the account
  (:func:`closing_balance`, issue #19).

Values are compared as exact scaled integers (four decimals), never floats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetwise.importing import amounts as amt
from budgetwise.importing.model import StatementBalance
from budgetwise.money import minor_digits
from budgetwise.names import quoted

SCALE = 10_000  # four decimals
MIN_ROWS = 4  # fewer consecutive pairs than this prove nothing
ENOUGH = 0.8  # share of consecutive rows that must agree
SAMPLE = 2_000  # rows from the top of the file that are compared


def scaled(values: pd.Series, decimal: str | None) -> np.ndarray:
    """Signed values x SCALE as float64 holding exact integers (NaN where empty or not a number)."""
    integer, fraction, negative, error = amt.parse_amounts(values.astype(object), decimal)
    frac = fraction.astype(str).str.slice(0, 4).str.ljust(4, "0")
    frac_num = pd.to_numeric(frac.where(frac != "", "0"), errors="coerce").fillna(0)
    out = integer.astype("float64") * SCALE + frac_num.astype("float64")
    out = out.where(~negative.astype(bool), -out)
    return out.where(error == "", np.nan).to_numpy(dtype="float64")


def _share(balance: np.ndarray, amount: np.ndarray) -> tuple[float, int]:
    """(best share of agreeing consecutive rows over both file orders, rows compared)."""
    if len(balance) < 2:
        return 0.0, 0
    diff = balance[1:] - balance[:-1]
    fwd_ok = np.isfinite(diff) & np.isfinite(amount[1:])
    rev_ok = np.isfinite(diff) & np.isfinite(amount[:-1])
    n_fwd, n_rev = int(fwd_ok.sum()), int(rev_ok.sum())
    fwd = float((diff[fwd_ok] == amount[1:][fwd_ok]).mean()) if n_fwd else 0.0
    rev = float((-diff[rev_ok] == amount[:-1][rev_ok]).mean()) if n_rev else 0.0
    return (fwd, n_fwd) if fwd >= rev else (rev, n_rev)


@dataclass(frozen=True)
class Fit:
    share: float  # of consecutive rows where the balance moves by the amount
    rows: int  # consecutive rows compared
    flipped: bool  # the balance moves against the amount's sign (positive amounts are money out)


def agreement(balance: np.ndarray, amount: np.ndarray) -> Fit:
    """How well ``amount`` (signed as written) explains the moves of ``balance``, either sign."""
    plain, n = _share(balance, amount)
    flipped, n2 = _share(balance, -amount)
    if flipped > plain:
        return Fit(flipped, n2, True)
    return Fit(plain, n, False)


def best_amount(columns: dict[int, np.ndarray]) -> tuple[int, int, Fit] | None:
    """(amount column, balance column, fit) for the pair whose balance follows the amount best."""
    best = None
    for b, bal in columns.items():
        if np.isfinite(bal).mean() < 0.9:
            continue
        for a, values in columns.items():
            if a == b:
                continue
            fit = agreement(bal, values)
            if fit.rows >= MIN_ROWS and fit.share >= ENOUGH and (best is None or fit.share > best[2].share):
                best = (a, b, fit)
    return best


def best_pair(balance: np.ndarray, first: np.ndarray, second: np.ndarray) -> tuple[bool, Fit] | None:
    """For two one-sided columns: (first is money out, fit), when the balance settles it.

    Money out may be written negative or positive; each column counts by its magnitude.
    """
    a, b = np.abs(np.nan_to_num(first)), np.abs(np.nan_to_num(second))
    out_first = _share(balance, b - a)
    out_second = _share(balance, a - b)
    (share, n), first_out = (out_first, True) if out_first[0] >= out_second[0] else (out_second, False)
    if n >= MIN_ROWS and share >= ENOUGH:
        return first_out, Fit(share, n, False)
    return None


def closing_balance(
    balance_text: pd.Series, name: str, rows: pd.DataFrame, decimal: str | None
) -> StatementBalance | None:
    """The running balance after the newest of ``rows`` (the valid rows, file order), from the
    balance column's text on those rows (same order); None when it cannot be trusted.

    Only the ``SAMPLE`` rows at the newest end are read: the balance must move by their amounts
    (on ``ENOUGH`` of them, in the file's order) before its last value is taken.
    """
    if rows.empty or rows["currency"].nunique() != 1:
        return None  # one running balance cannot follow amounts in several currencies
    currency = str(rows["currency"].iloc[0])
    digits = minor_digits(currency)
    if digits > 4:
        return None
    first, last = rows["date"].iloc[0], rows["date"].iloc[-1]
    newest_first = first > last
    window = slice(0, SAMPLE) if newest_first else slice(max(0, len(rows) - SAMPLE), len(rows))
    text = balance_text.iloc[window].reset_index(drop=True)
    part = rows.iloc[window]
    balance = scaled(text, decimal or amt.decide_decimal(text))
    unit = 10 ** (4 - digits)  # scaled values are x10,000; minor units are x10**digits
    signed = part["amount_minor"].to_numpy(dtype="float64") * unit
    signed = np.where(part["kind"].to_numpy() == "income", signed, -signed)
    finite = np.isfinite(balance)
    if not finite.any():
        return None
    if len(part) >= 2:
        diff = balance[1:] - balance[:-1]
        ok = np.isfinite(diff)
        fwd = float((diff[ok] == signed[1:][ok]).mean()) if ok.any() else 0.0
        rev = float((-diff[ok] == signed[:-1][ok]).mean()) if ok.any() else 0.0
        if max(fwd, rev) < ENOUGH:
            return None  # not the running balance of these amounts
        if first == last:
            newest_first = rev > fwd
    positions = np.flatnonzero(finite)
    pos = int(positions[0] if newest_first else positions[-1])
    value = balance[pos]
    if value % unit:
        return None  # more decimals than the currency has: not this currency's balance
    return StatementBalance(int(value // unit), currency, part["date"].iloc[pos],
                            f"the balance column {quoted(name)} after the newest row")


def from_columns(frame: pd.DataFrame, profiles: list, mapping, rows: pd.DataFrame, good: pd.Index,
                 decimal: str | None) -> StatementBalance | None:
    """The closing balance of a table's running balance column (a header names it a balance and it
    is not the amount, date or debit/credit), on the valid rows ``good`` (``rows``' order)."""
    used = {mapping.amount, mapping.debit, mapping.credit, mapping.date}
    columns = [p for p in profiles if p.balance and p.index not in used and p.numeric_ratio >= 0.6]
    if not columns or rows.empty:
        return None
    p = columns[0]
    # the newest end only (see closing_balance): the first and last SAMPLE rows' cells
    ends = good[:SAMPLE].append(good[max(SAMPLE, len(good) - SAMPLE):])
    text = frame.loc[ends, p.index].astype("string").fillna("").str.strip()
    keep = np.r_[0:min(SAMPLE, len(good)), max(SAMPLE, len(good) - SAMPLE):len(good)]
    return closing_balance(text, p.name, rows.iloc[keep], decimal)
