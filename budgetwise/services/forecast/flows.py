"""Recurring payments projected as known future amounts (pure).

A merchant's payments with a regular cadence and a similar amount are projected forward on
their own schedule; a provider gives the flows due in each forecast period. Whether a series
recurs, and at what amount, is decided by :mod:`budgetwise.analysis.recurring`, the detector
the Reports page uses too (the database path gets its list from ``reports.detect_recurring``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from budgetwise.analysis import recurring as rec
from budgetwise.services.forecast.gaps import empty_spans
from budgetwise.services.forecast.history import History
from budgetwise.services.forecast.types import KnownFlow

# The detection rule lives in budgetwise.analysis.recurring, shared with the Reports page;
# these names stay for callers of the former module.
CADENCES = rec.CADENCES
_LOOKBACK_DAYS = rec.LOOKBACK_DAYS
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # datetime64[D] 0 as a date ordinal


def _detect_series(ordinals: np.ndarray, amounts: np.ndarray, as_of: dt.date,
                   kind: str | None = None, skip: tuple[tuple[int, int], ...] = ()) -> rec.Recurrence | None:
    """The detector's finding for one merchant's day totals, or None when not recurring."""
    return rec.detect(ordinals, amounts, as_of, kind, skip)


class _MerchantIndex:
    """Per (merchant, kind): sorted day ordinals, day totals and last category, for fast as-of slicing.

    One grouped aggregation over every (merchant, kind, day), then split per (merchant, kind): a
    per-merchant ``groupby`` cost ~2 ms each, 0.85 s of CPU for a heavy user's 450 merchants on
    every cash-flow projection (the dashboard's outlook card); the rows and their order are the same.

    ``daily`` (the history's day totals): given, the detector knows its gap months (``gaps.empty_spans``: whole
    months without any row) and skips them (``analysis.recurring.detect``'s ``skip``): a salary missing only in a
    gap month has not stopped (session 28, flows28). None: every month is read as it is (before session 28).
    """

    def __init__(self, merchants: pd.DataFrame, daily: pd.DataFrame | None = None) -> None:
        self.daily = daily
        self.items: list[tuple[str, str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        if merchants.empty:
            return
        m = merchants.sort_values(["key", "kind", "date"])
        per_day = m.groupby(["key", "kind", "date"], sort=False).agg(
            amount_minor=("amount_minor", "sum"), category=("category", "last"), description=("description", "last")
        )
        if per_day.empty:
            return
        days = pd.DatetimeIndex(per_day.index.get_level_values("date"))
        ordinals = days.to_numpy(dtype="datetime64[D]").astype(np.int64) + _EPOCH_ORDINAL
        amounts = per_day["amount_minor"].to_numpy(dtype=np.int64)
        cats = per_day["category"].to_numpy(dtype=object)
        descs = per_day["description"].to_numpy(dtype=object)
        keys = per_day.index.get_level_values("key").to_numpy(dtype=object)
        kinds = per_day.index.get_level_values("kind").to_numpy(dtype=object)
        # rows are grouped by (key, kind) in sorted order: a new series starts where either changes
        starts = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]) | (kinds[1:] != kinds[:-1])])
        for lo, hi in zip(starts.tolist(), [*starts[1:].tolist(), len(per_day)]):
            self.items.append(
                (str(keys[lo]), str(kinds[lo]), ordinals[lo:hi], amounts[lo:hi], cats[lo:hi], descs[lo:hi])
            )

    def detect(self, as_of: dt.date) -> list[KnownFlow]:
        end = as_of.toordinal()
        start = end - _LOOKBACK_DAYS
        skip = () if self.daily is None else empty_spans(self.daily, as_of)
        out = []
        for key, kind, ords, amounts, cats, descs in self.items:
            hi = int(np.searchsorted(ords, end, side="right"))
            lo = int(np.searchsorted(ords, start, side="left"))
            if hi - lo < rec.MIN_OCCURRENCES:
                continue
            found = _detect_series(ords[lo:hi], amounts[lo:hi], as_of, kind, skip)
            if found is None:
                continue
            # the last regular-sized payment (a small correction after it is not one: analysis.recurring)
            cadence, typical, last = found.cadence, found.amount_minor, found.last_date
            out.append(
                KnownFlow(
                    key=key,
                    kind=kind,
                    category=str(cats[hi - 1]),
                    cadence=cadence,
                    amount_minor=int(typical),
                    last_date=last,
                    next_date=found.next_date,  # the detector's rule: never before as_of (review22b)
                    description=str(descs[hi - 1] or key),
                    paid_share=found.paid_share,
                )
            )
        return out


def detect_known_flows(history: History, *, as_of: dt.date | None = None, know_gaps: bool = False) -> list[KnownFlow]:
    """Recurring payments in an aggregated history (pure; the CSV and benchmark path). ``know_gaps``: months
    without any row are skipped, not read as payments missing (:class:`_MerchantIndex`; the cash flow's
    ``cashflow_gaps.KNOW_GAPS``)."""
    return _MerchantIndex(history.merchants, history.daily if know_gaps else None).detect(as_of or history.as_of)


FlowProvider = Callable[[Sequence[dt.date]], dict[dt.date, tuple[KnownFlow, ...]]]


def _frame_flow_provider(history: History, know_gaps: bool = False) -> FlowProvider:
    index = _MerchantIndex(history.merchants, history.daily if know_gaps else None)

    def provide(dates: Sequence[dt.date]) -> dict[dt.date, tuple[KnownFlow, ...]]:
        return {d: tuple(index.detect(d)) for d in dates}

    return provide
