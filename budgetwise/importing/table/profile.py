"""What each column holds: its header's role scores and the shape of its first values."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from babel.numbers import list_currencies

from budgetwise.importing import amounts as amt
from budgetwise.importing import dates as dts
from budgetwise.importing import directions as dirs
from budgetwise.importing import headers as hdr

CURRENCIES = frozenset(list_currencies())
SAMPLE_ROWS = 500


@dataclass(frozen=True)
class ColumnProfile:
    index: int
    name: str
    scores: dict
    fill: float
    date_ratio: float
    numeric_ratio: float
    iso_ratio: float
    direction_ratio: float
    direction_both: bool
    distinct: int
    avg_len: float
    has_negative: bool
    constant: bool
    id_like: bool
    balance: bool
    constant_text: str = ""  # the one text of a constant column (every filled row the same)
    card_digits: bool = False  # every filled cell looks like a card number ("1234", "XXXX-XXXX-XXXX-1234"; session 27)

    def score(self, role: str) -> int:
        """How strongly the header names ``role`` (0 when there is no header)."""
        return int(self.scores.get(role, 0))


def profile_columns(frame: pd.DataFrame, columns: tuple[str, ...], has_header: bool) -> list[ColumnProfile]:
    sample = frame.head(SAMPLE_ROWS)
    return [_profile(sample[i].astype("string").fillna("").str.strip(), i, name, has_header)
            for i, name in enumerate(columns)]


INDEX_MIN_ROWS = 5  # fewer consecutive integers than this may be amounts after all


def row_numbers(col: pd.Series) -> bool:
    """Every filled cell a whole number, each one more than the last (0, 1, 2, … or 1, 2, 3, …): a spreadsheet's or
    pandas' index column, never an amount (session 21: the Vermillion .xlsx's unnamed index read as the amount)."""
    if len(col) < INDEX_MIN_ROWS or not col.str.fullmatch(r"\d{1,9}", na=False).all():
        return False
    return bool((col.astype("int64").diff().iloc[1:] == 1).all())


def _profile(col: pd.Series, i: int, name: str, has_header: bool) -> ColumnProfile:
    nonempty = col[col != ""]
    scores = hdr.role_scores(name) if has_header else {}
    fill = float(len(nonempty) / len(col)) if len(col) else 0.0
    if nonempty.empty:
        return ColumnProfile(i, name, scores, 0.0, 0.0, 0.0, 0.0, 0.0, False, 0, 0.0, False, False,
                             has_header and hdr.is_id_like(name), has_header and hdr.is_balance(name))
    date_ratio = dts.parse_ratio(nonempty)
    numeric_ratio = amt.numeric_ratio(nonempty) if date_ratio < 0.5 else 0.0
    iso_ratio = float(nonempty.str.upper().isin(CURRENCIES).mean()) if nonempty.str.len().max() <= 4 else 0.0
    dir_ratio, dir_both = dirs.indicator_ratio(nonempty, header_says_direction=scores.get("direction", 0) >= 40)
    distinct = int(nonempty.nunique())
    long_digits = nonempty.str.fullmatch(r"[\d\s-]{7,}", na=False).mean() > 0.8
    id_like = ((has_header and hdr.is_id_like(name)) or bool(long_digits)
               or ((not has_header or hdr.is_unnamed(name)) and row_numbers(nonempty)))
    return ColumnProfile(
        index=i,
        name=name,
        scores=scores,
        fill=fill,
        date_ratio=date_ratio,
        numeric_ratio=numeric_ratio,
        iso_ratio=iso_ratio,
        direction_ratio=dir_ratio,
        direction_both=dir_both,
        distinct=distinct,
        avg_len=float(nonempty.str.len().mean()),
        has_negative=bool(nonempty.str.contains(r"^\s*[-−–(]|\d\s*-$", regex=True).any()),
        constant=len(nonempty) >= 3 and distinct == 1,
        id_like=id_like,
        balance=has_header and hdr.is_balance(name),
        constant_text=str(nonempty.iloc[0]) if distinct == 1 else "",
        card_digits=has_header and hdr.is_card_number(name) and all(hdr.card_digits(v) for v in nonempty.unique()),
    )
