"""What a balance column in the table says: which column is the amount, its sign, each row's direction.

The arithmetic (exact scaled values, agreement of consecutive rows) is in
:mod:`budgetwise.importing.balance`; this module applies it to a table's columns.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from budgetwise.importing import amounts as amt
from budgetwise.importing import balance as bal
from budgetwise.importing import directions as dirs
from budgetwise.importing.model import ColumnMapping, ImportOptions
from budgetwise.importing.table.context import Table
from budgetwise.importing.table.frame import column_text
from budgetwise.importing.table.profile import ColumnProfile
from budgetwise.names import quoted

# The balance search compares every pair of candidate columns (2,000 rows each): quadratic in the columns. A bank
# file has an amount (or money out and money in) and a balance; a hostile 20 MB file of 500 numeric columns took
# 36 s of CPU (session 22), 21 s of it here. The amount search compares the first and the last MAX_BALANCE_COLUMNS
# candidates and the column the header-less guess took as the amount (review22: the first 12 alone lost a statement
# whose amount and balance come last, after more numeric columns: its third column read as the amount). Money out and
# money in (a pair) are checked against each candidate once: linear, all of them.
MAX_BALANCE_COLUMNS = 12


def _few(cands: list[ColumnProfile], mapping: ColumnMapping) -> list[ColumnProfile]:
    """The candidates the quadratic amount search compares (all when they are few): see MAX_BALANCE_COLUMNS."""
    if len(cands) <= 2 * MAX_BALANCE_COLUMNS:
        return cands
    keep = {p.index for p in cands[:MAX_BALANCE_COLUMNS] + cands[-MAX_BALANCE_COLUMNS:]} | {mapping.amount}
    return [p for p in cands if p.index in keep]


def _numeric_columns(profiles: list[ColumnProfile], exclude: set[int]) -> list[ColumnProfile]:
    return [p for p in profiles if p.index not in exclude and p.numeric_ratio >= 0.6 and p.date_ratio < 0.5
            and not p.id_like and p.fill > 0]


def balance_decides(
    frame: pd.DataFrame, profiles: list[ColumnProfile], mapping: ColumnMapping, options: ImportOptions,
    warnings: list[str],
) -> tuple[ColumnMapping, ImportOptions]:
    """A headerless file: let a running balance choose the amount column and its sign (or which of
    two one-sided columns is money out). Returns the (possibly) new mapping and options."""
    cands = _numeric_columns(profiles, {mapping.date} if mapping.date is not None else set())
    if len(cands) < 2:
        return mapping, options
    if mapping.debit is None or mapping.credit is None:
        cands = _few(cands, mapping)
    top = frame.head(bal.SAMPLE)  # consecutive rows at the top are evidence enough
    values = {p.index: bal.scaled(column_text(top, p.index),
                                  options.decimal or amt.decide_decimal(column_text(top, p.index)))
              for p in cands}
    label = {p.index: f"column {p.index + 1}" for p in cands}
    if mapping.debit is not None and mapping.credit is not None:
        return _pair_by_balance(cands, values, label, mapping, mapping.debit, mapping.credit, warnings), options
    return _amount_by_balance(values, label, mapping, options, warnings)


def _pair_by_balance(
    cands: list[ColumnProfile], values: dict[int, np.ndarray], label: dict[int, str], mapping: ColumnMapping,
    debit: int, credit: int, warnings: list[str],
) -> ColumnMapping:
    """Which of two one-sided columns is money out, by the first balance column that tells."""
    for p in cands:
        if p.index in (debit, credit) or np.isfinite(values[p.index]).mean() < 0.9:
            continue
        found = bal.best_pair(values[p.index], values[debit], values[credit])
        if found is None:
            continue
        debit_first, fit = found
        if not debit_first:
            mapping = dataclasses.replace(mapping, debit=credit, credit=debit)
            debit, credit = credit, debit
        warnings.append(
            f"No header: {label[debit]} is money out and {label[credit]} money in, because the "
            f"running balance in {label[p.index]} moves that way on {fit.share:.0%} of the rows."
        )
        return mapping
    return mapping


def _amount_by_balance(
    values: dict[int, np.ndarray], label: dict[int, str], mapping: ColumnMapping, options: ImportOptions,
    warnings: list[str],
) -> tuple[ColumnMapping, ImportOptions]:
    """The amount column (and its sign) the running balance moves by."""
    found = bal.best_amount(values)
    if found is None:
        return mapping, options
    a, b, fit = found
    if a != mapping.amount:
        mapping = dataclasses.replace(mapping, amount=a, description=tuple(i for i in mapping.description if i not in (a, b)))
    sign_text = ""
    if options.sign == "auto" and mapping.direction is None:
        options = dataclasses.replace(options, sign="positive_is_expense" if fit.flipped else "negative_is_expense")
        sign_text = " and its positive amounts are " + ("money out" if fit.flipped else "money in")
    warnings.append(
        f"No header: {label[a]} is the amount{sign_text}, because the running balance in {label[b]} "
        f"moves by it on {fit.share:.0%} of the rows."
    )
    return mapping, options


def directions_from_balance(
    t: Table, raw: pd.Series, valid: pd.Series, decimal: str | None
) -> tuple[pd.Series, float, str] | None:
    """Unsigned amounts beside a balance column: (per-row kind, agreeing share, column name) or None.

    A row is money in when the balance rises by its amount, money out when it falls by it
    (in file order, or reversed for newest-first files); rows the balance cannot place keep
    no direction here (the caller's default applies).
    """
    used = {t.mapping.amount, t.mapping.date}
    cols = [p for p in t.profiles if p.balance and p.index not in used and p.numeric_ratio >= 0.6]
    if not cols:
        return None
    p = cols[0]
    column = t.text(p.index)
    balance = bal.scaled(column, decimal or amt.decide_decimal(column))
    amount = np.abs(bal.scaled(raw, decimal))
    amount = np.where(valid.to_numpy(), amount, np.nan)
    n = len(amount)
    if n < bal.MIN_ROWS + 1:
        return None
    fwd = np.full(n, np.nan)
    fwd[1:] = balance[1:] - balance[:-1]  # oldest first: row i moved the balance from row i-1
    rev = np.full(n, np.nan)
    rev[:-1] = balance[:-1] - balance[1:]  # newest first: row i moved the balance from row i+1
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for move in (fwd, rev):
        fits = np.isfinite(move) & np.isfinite(amount) & (np.abs(move) == amount)
        known = np.isfinite(move) & np.isfinite(amount)
        share = float(fits.sum() / known.sum()) if known.sum() else 0.0
        if best is None or share > best[0]:
            best = (share, move, fits)
    assert best is not None
    share, move, fits = best
    if share < bal.ENOUGH:
        return None
    kind = np.where(fits, np.where(move > 0, dirs.INCOME, dirs.EXPENSE), np.array(None, dtype=object))
    return pd.Series(kind, index=t.index, dtype=object), share, p.name


def check_balance(t: Table, kind: pd.Series, magnitude_text: pd.Series, decimal: str | None, ok: pd.Series) -> None:
    """A file with a header and a balance column: does the balance move by the amounts as read?"""
    m = t.mapping
    used = {m.amount, m.debit, m.credit, m.date}
    balance_cols = [p for p in t.profiles if p.balance and p.index not in used and p.numeric_ratio >= 0.6]
    if not balance_cols or not ok.any():
        return
    p = balance_cols[0]
    n = bal.SAMPLE  # consecutive rows at the top are evidence enough
    column = t.text(p.index).head(n)
    balance = bal.scaled(column, decimal or amt.decide_decimal(column))
    amount = np.abs(bal.scaled(magnitude_text.head(n), decimal))
    amount = np.where(kind.head(n).to_numpy() == dirs.INCOME, amount, -amount)
    amount = np.where(ok.head(n).to_numpy(), amount, np.nan)
    fit = bal.agreement(balance, amount)
    if fit.rows < bal.MIN_ROWS or (fit.share >= 0.5 and not fit.flipped):
        return
    if fit.flipped and fit.share >= bal.ENOUGH:
        t.warnings.append(
            f"The balance column {quoted(t.columns[p.index])} moves against the amounts as read on {fit.share:.0%} of the "
            "rows: money in and money out are probably the other way round. Change the amount signs if so."
        )
    else:
        t.warnings.append(
            f"The balance column {quoted(t.columns[p.index])} does not move by the amounts on most rows "
            f"({1 - fit.share:.0%} of {fit.rows} disagree): check that the right column is used as the amount."
        )
