"""The table being converted: its frame, the mapping and options, and what is reported so far."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from budgetwise.importing.model import ColumnMapping, ImportOptions, Rejection
from budgetwise.importing.table.frame import column_text
from budgetwise.importing.table.profile import ColumnProfile


@dataclass
class Table:
    """One table's data rows (continuation lines already folded in) and where its findings go."""

    frame: pd.DataFrame
    columns: tuple[str, ...]
    has_header: bool
    mapping: ColumnMapping
    profiles: list[ColumnProfile]
    options: ImportOptions
    warnings: list[str]
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def index(self) -> pd.Index:
        return self.frame.index

    def text(self, col: int | None) -> pd.Series:
        return column_text(self.frame, col)

    def reject(self, rows: pd.Index, field: str, reasons: str | Iterable, values: Iterable) -> None:
        """One rejection per row of ``rows``: the same reason for all, or one reason each."""
        reject(self.rejections, rows, field, reasons, values)


def reject(rejections: list[Rejection], rows: pd.Index, field: str, reasons: str | Iterable, values: Iterable) -> None:
    if isinstance(reasons, str):
        reasons = [reasons] * len(rows)
    for row, reason, value in zip(rows, reasons, values):
        rejections.append(Rejection(row=int(row), field=field, reason=str(reason), value=str(value)[:200]))


def first_per_row(rejections: list[Rejection]) -> tuple[Rejection, ...]:
    """One reason per row, the first problem found, in row order."""
    ordered = sorted(rejections, key=lambda r: (r.row, r.field))
    seen_rows: set[int] = set()
    unique = []
    for r in ordered:
        if r.row in seen_rows:
            continue
        seen_rows.add(r.row)
        unique.append(r)
    return tuple(unique)
