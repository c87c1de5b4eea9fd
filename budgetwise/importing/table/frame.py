"""The data records as a frame of stripped text, and reading its columns."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd


def _strip(values: Sequence[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = [v.strip() for v in values]
    return out


def records_frame(
    records: list[list[str]], start: int, width: int = 0, header: list[str] | None = None
) -> tuple[pd.DataFrame, int]:
    """Data records as a frame of stripped text, indexed by 1-based row number in the file.

    Blank records and repeats of the header row (some exports repeat it at the end) are
    left out here, on the plain lists, before any pandas work.
    """
    head = [c.strip() for c in header] if header is not None else None
    numbers: list[int] = []
    data: list[list[str]] = []
    for i, r in enumerate(records[start:], start + 1):
        if not r or not "".join(r).strip():
            continue
        if head is not None and r[0].strip() == head[0] and [c.strip() for c in r] == head:
            continue
        numbers.append(i)
        data.append(r)
    width = max(width, max(map(len, data), default=0))
    if width == 0 or not data:
        return pd.DataFrame(), 0
    lengths = set(map(len, data))
    columns: list[Any]  # numpy columns or tuples of text
    if lengths == {width}:
        grid = np.array(data, dtype=object)  # rectangular: numpy does the transposition in C
        columns = [grid[:, j] for j in range(width)]
    else:
        columns = list(itertools.zip_longest(*data, fillvalue=""))
        while len(columns) < width:
            columns.append(("",) * len(data))
    index = pd.Index(numbers, dtype="int64")
    frame = pd.DataFrame({i: _strip(col) for i, col in enumerate(columns)}, index=index, dtype=object)
    return frame, width


def column_text(frame: pd.DataFrame, col: int | None) -> pd.Series:
    """A column as stripped text (cells were stripped when the frame was built)."""
    if col is None or col not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[col]


def map_unique(values: pd.Series, fn: Callable[[pd.Series], Sequence[str]]) -> pd.Series:
    """Apply a text function once per distinct value."""
    codes, uniques = pd.factorize(values.astype(object), sort=False)
    if not len(uniques):
        return pd.Series("", index=values.index, dtype=object)
    done = np.asarray(fn(pd.Series(uniques, dtype=object)), dtype=object)
    return pd.Series(done[codes], index=values.index, dtype=object)
