"""Rows that are read but not imported: unreadable or zero amounts, unknown directions, rows
repeated under one transaction id, placeholder amounts. Each check rejects its rows with a
reason and returns the rows still good."""

from __future__ import annotations

import re

import pandas as pd

from budgetwise.importing.table.context import Table
from budgetwise.importing.table.money import Amounts
from budgetwise.money import MAX_AMOUNT
from budgetwise.names import quoted
from budgetwise.text import plural, plural_word

_NINES = re.compile(r"^9{7,}$")  # 9,999,999 and up; a real 999,999.00 stays (see the round-trip property test)
_SIX_NINES = re.compile(r"^9{6}$")  # 999,999: a placeholder only when the file writes it again and again
NINES_REPEAT_MIN = 3  # a sentinel is typed on many rows; one real 999,999.00 purchase is not
OUTLIER_FACTOR = 10_000  # an amount this many times the file's median is not believed
NINES_FACTOR = 100  # all nines and this many times the median: a placeholder
OUTLIER_MIN_ROWS = 20


def reject_bad_amounts(t: Table, a: Amounts, ok: pd.Series) -> pd.Series:
    """Amount problems (reported only for rows whose date was fine, one reason per row), an
    unknown direction, a zero amount."""
    index = t.index
    amt_bad = (a.error != "") & ok
    if amt_bad.any():
        reasons = []
        for idx in index[amt_bad]:
            err = a.error[idx]
            if err == "empty":
                reasons.append("There is no amount.")
            elif err == "empty pair":
                reasons.append("Both the money-out and the money-in column are empty or zero: no money moved.")
            elif err == "too large":
                reasons.append(f"{quoted(a.raw_text[idx])} is implausibly large (the limit is {MAX_AMOUNT:,} per transaction).")
            else:
                reasons.append(err)
        t.reject(index[amt_bad], "amount", reasons, a.raw_text[amt_bad])
    ok = ok & (a.error == "")
    dir_bad = ok & (a.direction_error != "")
    if dir_bad.any():
        t.reject(index[dir_bad], "direction", a.direction_error[dir_bad], t.text(t.mapping.direction)[dir_bad])
    ok = ok & ~dir_bad
    zero = ok & (a.magnitude == 0)
    if zero.any():
        t.reject(index[zero], "amount", "The amount is zero; there is nothing to record.", a.raw_text[zero])
    return ok & ~zero


def reject_repeated_rows(t: Table, id_col: int, ok: pd.Series) -> pd.Series:
    """Rows repeated verbatim under one transaction id: one transaction, listed twice."""
    ids = t.text(id_col)
    keyed = ok & (ids != "")
    whole = t.frame[keyed].astype(str).agg("\x1f".join, axis=1) if keyed.any() else pd.Series(dtype=object)
    repeat = whole.duplicated(keep="first")
    if not repeat.any():
        return ok
    first_row = pd.Series(whole.index, index=whole.index).groupby(whole, sort=False).transform("first")
    rep_idx = repeat[repeat].index
    name = t.columns[id_col]
    t.reject(
        rep_idx, "duplicate",
        [f"The row repeats row {int(first_row[i])} exactly, with the same transaction id "
         f"{quoted(ids[i])} in the column {quoted(name)}: it is imported once." for i in rep_idx],
        ids[rep_idx],
    )
    t.warnings.append(
        f"{plural(len(rep_idx), 'row')} {plural_word(len(rep_idx), 'repeats', 'repeat')} an "
        f"earlier row exactly, with the same transaction id in {quoted(name)}: each is imported once "
        "(the repeats are listed with the rejected rows)."
    )
    return ok & ~pd.Series(ok.index.isin(rep_idx), index=ok.index)


def _placeholder_amounts(magnitude: pd.Series, raw: pd.Series) -> pd.Series:
    """Amounts that stand for "unknown", judged against the file's own amounts (at least
    OUTLIER_MIN_ROWS of them): whole units written as seven or more nines (9999999, 999999999)
    and NINES_FACTOR times the median, or six nines (999999) on that scale written on at least
    NINES_REPEAT_MIN rows (the seed data set has 91 of them: a sentinel, where one real 999,999.00
    stays), or anything OUTLIER_FACTOR times the median and above a million (a sentinel or a typing
    slip, not a purchase). A file too short to have a typical amount keeps every amount."""
    out = pd.Series(False, index=magnitude.index)
    real = magnitude[magnitude > 0]
    if len(real) < OUTLIER_MIN_ROWS:
        return out
    median = float(real.median())
    large = magnitude > median * NINES_FACTOR  # only these few rows need their text looked at
    if large.any():
        text = raw[large].astype(str)
        digits = text.str.replace(r"[^\d.,]", "", regex=True).str.split(r"[.,]", n=1, regex=True).str[0]
        six = digits.str.fullmatch(_SIX_NINES, na=False)
        repeated = six & (magnitude[large].map(magnitude[large][six].value_counts()) >= NINES_REPEAT_MIN)
        out[large] = (digits.str.fullmatch(_NINES, na=False) | repeated).to_numpy()
    outlier = (magnitude > median * OUTLIER_FACTOR) & (magnitude > 100_000_000)
    return (out | outlier) & (magnitude > 0)


def _odd_reason(minor: int, typical_minor: int, repeats: int) -> str:
    if typical_minor and minor > typical_minor * OUTLIER_FACTOR and minor > 100_000_000:
        return f"over {OUTLIER_FACTOR:,} times the file's typical amount"
    if repeats >= NINES_REPEAT_MIN and len(str(minor // 100)) == 6:
        return f"every digit is a 9, far above the file's typical amount, on {repeats} rows of the file"
    return "every digit is a 9, far above the file's typical amount"


def reject_placeholders(t: Table, a: Amounts, ok: pd.Series) -> pd.Series:
    """Placeholder and absurd amounts: shown, not imported silently."""
    index, magnitude, raw = t.index, a.magnitude, a.raw_text
    odd = ok & _placeholder_amounts(magnitude.where(ok, 0), raw)
    if not odd.any():
        return ok
    typical = int(magnitude[ok & ~odd].median()) if (ok & ~odd).any() else 0
    repeats = magnitude[odd].value_counts()
    t.reject(
        index[odd], "amount",
        [f"{quoted(raw[i])} looks like a placeholder, not a real amount "
         f"({_odd_reason(int(magnitude[i]), typical, int(repeats[magnitude[i]]))}); it was left out. Add it by hand if it is real."
         for i in index[odd]],
        raw[odd],
    )
    n = int(odd.sum())
    t.warnings.append(
        f"{plural(n, 'amount')} look like placeholders (such as 999999999) "
        "or are wildly larger than the rest of the file; they were left out and are listed with the rejected rows."
    )
    return ok & ~odd


# a currency sign or local abbreviation written on an amount, and the currency group it stands for
# ("Rs" and "₹" are both rupees: writing both is not a mix)
_SIGN = re.compile(r"(R\$|Rs\.?|[$€£¥₹₩₪₱₺])")
_SIGN_GROUP = {"₹": "rupee", "Rs": "rupee", "Rs.": "rupee", "R$": "BRL"}


def warn_mixed_currency_signs(t: Table, raw: pd.Series, ok: pd.Series, currency: str) -> None:
    """Amounts written with signs of different currencies (₹5070 beside $4262) in a file without a
    currency column: every amount is stored in one currency, as written; say so, with the counts,
    rather than turn "₹5,070" into "$5,070" without a word (QA: the seed data set)."""
    if not ok.any():
        return
    found = raw[ok].astype("string").str.extract(_SIGN, expand=False).dropna()
    found = found.where(found != "Rs.", "Rs")
    if found.map(lambda s: _SIGN_GROUP.get(s, s)).nunique() < 2:
        return
    counts = sorted(found.value_counts().items(), key=lambda kv: (-kv[1], kv[0]))  # most used first
    listed = ", ".join(f"{sign} ({plural(n, 'row')})" for sign, n in counts)
    t.warnings.append(
        f"The amounts are written with the signs of different currencies: {listed}. Every amount is stored "
        f"as written in one currency, {currency} (the “Currency of this file”), without conversion: choose "
        "the currency the file is really in, or split the file by currency and import each part with its own."
    )
