"""The money columns: each row's currency, and its amount and direction (money in or out).

A table has either one signed amount column (perhaps with a debit/credit indicator column)
or a money-out / money-in pair; both give every row a positive amount in minor units, a
kind (income or expense) and, for rows that cannot be read, an error text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from budgetwise.importing import amounts as amt
from budgetwise.importing import directions as dirs
from budgetwise.importing import headers as hdr
from budgetwise.importing.model import SIGN_LABELS
from budgetwise.importing.table.context import Table
from budgetwise.importing.table.profile import CURRENCIES
from budgetwise.importing.table.running_balance import directions_from_balance
from budgetwise.names import quoted


# --------------------------------------------------------------------------- currency
@dataclass(frozen=True)
class Currencies:
    per_row: pd.Series  # the currency of each row
    in_file: set[str]  # the currencies the file names (in a column or in a header)
    bad: pd.Series  # rows whose currency cell is not an ISO code


def row_currencies(t: Table, money_cols: list[int], default_currency: str) -> Currencies:
    """Each row's currency: its currency column, else the one chosen, named in a header, or the default."""
    in_file: set[str] = set()
    fallback = (t.options.currency or "").upper() or None
    for c in money_cols:
        hint = hdr.header_currency(t.columns[c]) if t.has_header else None
        if hint:
            in_file.add(hint)
            fallback = fallback or hint
    currency = pd.Series(fallback or default_currency, index=t.index, dtype="object")
    if t.mapping.currency is None:
        return Currencies(currency, in_file, pd.Series(False, index=t.index))
    ccy_raw = t.text(t.mapping.currency).str.upper()
    valid = ccy_raw.isin(CURRENCIES)
    currency = currency.where(~valid, ccy_raw.astype(object))
    in_file.update(pd.unique(ccy_raw[valid]))
    bad = (~valid) & (ccy_raw != "")
    if bad.any():
        t.reject(t.index[bad], "currency",
                 [f"{quoted(v)} is not an ISO 4217 currency code (for example EUR, USD, GBP)." for v in ccy_raw[bad]],
                 ccy_raw[bad])
    return Currencies(currency, in_file, bad)


# --------------------------------------------------------------------------- amounts
@dataclass(frozen=True)
class Amounts:
    kind: pd.Series  # income / expense per row
    magnitude: pd.Series  # the amount in minor units, never negative
    error: pd.Series  # "" or why the amount cannot be read ("empty", "empty pair", "too large", a message)
    direction_error: pd.Series  # "" or why the direction is unknown
    raw_text: pd.Series  # the amount as written (the filled side of a pair)
    sign: str  # the sign convention used
    decimal: str | None  # the decimal separator of the first column that had one


@dataclass
class _Reader:
    """Reads money columns into minor units, deciding each column's decimal separator."""

    t: Table
    currency: pd.Series
    file_decimal: str | None
    decided: list[str | None] = field(default_factory=list)

    def read(self, col: int) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
        """(minor units, negative?, error, raw text) of one column."""
        raw = self.t.text(col)
        dec = self.t.options.decimal or amt.decide_decimal(raw, self.file_decimal)
        self.decided.append(dec)
        integer, fraction, negative, error = amt.parse_amounts(raw, dec)
        minor, error = amt.to_minor_units(integer, fraction, self.currency, error)
        too_big = amt.exceeds_max(integer)
        error = error.where(~too_big | (error != ""), "too large")
        return minor, negative, error, raw


def _file_decimal(t: Table) -> str | None:
    """The decimal separator most numeric columns of the file vote for (None on a tie)."""
    votes = [0, 0]
    for p in t.profiles:
        if p.numeric_ratio >= 0.6 and p.index not in {t.mapping.date}:
            d, c = amt.decimal_votes(t.frame[p.index].head(2000))
            votes[0] += d
            votes[1] += c
    return "." if votes[0] > votes[1] else "," if votes[1] > votes[0] else None


def read_amounts(t: Table, currency: pd.Series) -> Amounts:
    reader = _Reader(t, currency, _file_decimal(t))
    if t.mapping.amount is not None:
        return _signed_amounts(t, reader, t.mapping.amount)
    return _pair_amounts(t, reader)


def _signed_amounts(t: Table, reader: _Reader, col: int) -> Amounts:
    """One signed amount column, directed by an indicator column, the sign, or a balance column."""
    minor, negative, error, raw = reader.read(col)
    amount_error = error.copy()
    if t.mapping.direction is not None:
        direction_kind = _indicator(t, t.mapping.direction)
    else:
        direction_kind = pd.Series(None, index=t.index, dtype="object")
    valid_amounts = (amount_error == "") & (minor != 0)
    sign, direction_kind = _decide_sign(t, raw, negative, valid_amounts, reader.decided[-1], direction_kind)
    if sign == "positive_is_expense":
        by_sign = pd.Series(np.where(negative, dirs.INCOME, dirs.EXPENSE), index=t.index, dtype="object")
    else:
        by_sign = pd.Series(np.where(negative, dirs.EXPENSE, dirs.INCOME), index=t.index, dtype="object")
    direction_error = pd.Series("", index=t.index, dtype="object")
    if t.mapping.direction is not None and not (negative & valid_amounts).any():
        direction_error = _unknown_directions(t, t.mapping.direction, direction_kind, amount_error, direction_error)
    return Amounts(
        kind=direction_kind.where(direction_kind.notna(), by_sign), magnitude=minor, error=amount_error,
        direction_error=direction_error, raw_text=raw.astype(object), sign=sign,
        decimal=next((d for d in reader.decided if d), None),
    )


def _indicator(t: Table, col: int) -> pd.Series:
    """Each row's kind as its debit/credit indicator says (None where it says nothing)."""
    ind_raw = t.text(col)
    hdr_dir = t.has_header and hdr.role_scores(t.columns[col]).get("direction", 0) >= 40
    both = dirs.classify_values(ind_raw, allow_short=True).nunique(dropna=True) == 2
    indicator = dirs.classify_values(ind_raw, allow_short=hdr_dir or both)
    seen = set(indicator.dropna().unique())
    if len(seen) == 1:
        # Only one side is ever flagged ("CR"): unflagged rows are the other side.
        other = dirs.EXPENSE if seen == {dirs.INCOME} else dirs.INCOME
        indicator = indicator.where(indicator.notna() | (ind_raw != ""), other)
    return indicator


_ALL_POSITIVE = (
    "No amount in this file is negative and there is no debit/credit column, so every row is read as "
    "an expense (money out). If they are income, choose \u201c"
    + SIGN_LABELS["negative_is_expense"]
    + "\u201d under Columns and format \u2192 Amount signs: positive amounts are then income."
)


def _decide_sign(
    t: Table, raw: pd.Series, negative: pd.Series, valid: pd.Series, decimal: str | None, direction_kind: pd.Series
) -> tuple[str, pd.Series]:
    """(sign convention, per-row kinds): the person's choice, else what the amounts and a balance say."""
    if t.options.sign != "auto":
        return t.options.sign, direction_kind
    if t.mapping.direction is not None:
        return "negative_is_expense", direction_kind
    neg = int((negative & valid).sum())
    pos = int((~negative & valid).sum())
    if neg == 0 and pos > 0:
        from_balance = directions_from_balance(t, raw, valid, decimal)
        if from_balance is None:
            t.warnings.append(_ALL_POSITIVE)
            return "positive_is_expense", direction_kind
        kinds, share, bal_name = from_balance
        t.warnings.append(
            f"No amount in this file is negative and there is no debit/credit column: each row's direction "
            f"was read from the balance column {quoted(bal_name)}, which moves by the amount on {share:.0%} of "
            "the rows (up: money in, down: money out)."
        )
        return "positive_is_expense", kinds  # rows the balance cannot place (the first one) stay money out
    if pos >= 10 and pos >= 3 * neg:
        t.warnings.append(
            f"{pos} of {pos + neg} amounts are positive: read as a card statement where positive amounts are "
            "spending and negative ones are payments or refunds. Change the amount signs if that is wrong."
        )
        return "positive_is_expense", direction_kind
    return "negative_is_expense", direction_kind


def _unknown_directions(
    t: Table, col: int, direction_kind: pd.Series, amount_error: pd.Series, direction_error: pd.Series
) -> pd.Series:
    """Unsigned amounts: only the indicator can tell the direction; rows it leaves open are errors."""
    ind_text = t.text(col)
    unknown = direction_kind.isna() & (amount_error == "")
    if not unknown.any():
        return direction_error
    return direction_error.where(
        ~unknown,
        [f"{quoted(v)} in the column {quoted(t.columns[col])} does not say whether money came in or went out."
         if v else f"The column {quoted(t.columns[col])} is empty, so the direction is unknown."
         for v in ind_text],
    )


def _pair_amounts(t: Table, reader: _Reader) -> Amounts:
    """A money-out (debit) and a money-in (credit) column: the row's amount is money in less money out."""
    parts_minor = []
    errors = []
    raws = []
    for side, col in (("debit", t.mapping.debit), ("credit", t.mapping.credit)):
        if col is None:
            parts_minor.append(pd.Series(0, index=t.index, dtype="int64"))
            errors.append(pd.Series("empty", index=t.index, dtype="object"))
            raws.append(pd.Series("", index=t.index, dtype="object"))
            continue
        minor, negative, error, raw = reader.read(col)
        zero_text = raw.str.fullmatch(r"[-+]?0+([.,]0+)?", na=False)
        error = error.where(~zero_text, "empty")  # "0.00" in the unused column means nothing
        if side == "credit":
            # Money out is money out whatever its sign (KBC writes "-3,40" under "debet"), but a
            # negative number under "money in" is money going out.
            minor = minor.where(~negative, -minor)
        parts_minor.append(minor.where(error == "", 0))
        errors.append(error)
        raws.append(raw.astype(object))
    debit_minor, credit_minor = parts_minor
    d_err, c_err = errors
    net = credit_minor - debit_minor
    both_empty = (d_err == "empty") & (c_err == "empty")
    real_error = pd.Series(
        np.where((d_err != "") & (d_err != "empty"), d_err, np.where((c_err != "") & (c_err != "empty"), c_err, "")),
        index=t.index, dtype="object",
    )
    return Amounts(
        kind=pd.Series(np.where(net < 0, dirs.EXPENSE, dirs.INCOME), index=t.index, dtype="object"),
        magnitude=net.abs(),
        error=real_error.where(real_error != "", np.where(both_empty, "empty pair", "")),
        direction_error=pd.Series("", index=t.index, dtype="object"),
        raw_text=raws[0].where(raws[0] != "", raws[1]),
        sign="auto",
        decimal=next((d for d in reader.decided if d), None),
    )
