"""Recurring payments projected as known future amounts (pure).

A merchant's payments with a regular cadence and a similar amount are projected forward on
their own schedule; a provider gives the flows due in each forecast period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from budgetwise.services.forecast.types import KnownFlow
from budgetwise.services.forecast.history import History

# name: (nominal days, tolerance days, step, minimum occurrences) -- the same rules as the
# recurring-payments report (budgetwise.services.reports.detect_recurring).
CADENCES: dict[str, tuple[float, float, relativedelta, int]] = {
    "weekly": (7.0, 2.0, relativedelta(days=7), 4),
    "biweekly": (14.0, 3.0, relativedelta(days=14), 3),
    "monthly": (30.44, 6.0, relativedelta(months=1), 3),
    "quarterly": (91.3, 14.0, relativedelta(months=3), 3),
    "yearly": (365.25, 25.0, relativedelta(years=1), 2),
}
_AMOUNT_TOLERANCE = 0.25
_REGULARITY = 0.75
_LOOKBACK_DAYS = 800


def _cadence(intervals: np.ndarray) -> str | None:
    median = float(np.median(intervals))
    for name, (nominal, tol, _, _) in CADENCES.items():
        if abs(median - nominal) > tol:
            continue
        within = np.abs(intervals - nominal) <= tol
        skipped = np.abs(intervals - 2 * nominal) <= tol
        if (within | skipped).mean() >= _REGULARITY and within.mean() >= 0.5:
            return name
    return None


def _detect_series(ordinals: np.ndarray, amounts: np.ndarray, as_of: dt.date) -> tuple[str, int] | None:
    """(cadence, typical amount) for one merchant's day totals, or None when not recurring."""
    if len(ordinals) < 2:
        return None
    cadence = _cadence(np.diff(ordinals).astype(float))
    if cadence is None:
        return None
    nominal, tol, _, min_occ = CADENCES[cadence]
    if len(ordinals) < min_occ:
        return None
    recent = amounts[-12:].astype(float)
    median = float(np.median(recent))
    if median <= 0 or float(np.median(np.abs(recent - median))) / median > _AMOUNT_TOLERANCE:
        return None
    if as_of.toordinal() - int(ordinals[-1]) > 1.5 * nominal + tol:
        return None  # stopped
    current = int(amounts[-1])
    fixed = len(amounts) >= 2 and int(amounts[-2]) == current
    typical = current if fixed else int(np.median(amounts[-6:]))
    return cadence, typical


class _MerchantIndex:
    """Per (merchant, kind): sorted day ordinals, day totals and last category, for fast as-of slicing."""

    def __init__(self, merchants: pd.DataFrame) -> None:
        self.items: list[tuple[str, str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        if merchants.empty:
            return
        m = merchants.sort_values(["key", "kind", "date"])
        for (key, kind), g in m.groupby(["key", "kind"], sort=False):
            per_day = g.groupby("date", sort=True).agg(
                amount_minor=("amount_minor", "sum"), category=("category", "last"), description=("description", "last")
            )
            ordinals = np.fromiter((d.toordinal() for d in per_day.index.date), dtype=np.int64, count=len(per_day))
            self.items.append(
                (
                    str(key),
                    str(kind),
                    ordinals,
                    per_day["amount_minor"].to_numpy(dtype=np.int64),
                    per_day["category"].to_numpy(dtype=object),
                    per_day["description"].to_numpy(dtype=object),
                )
            )

    def detect(self, as_of: dt.date) -> list[KnownFlow]:
        end = as_of.toordinal()
        start = end - _LOOKBACK_DAYS
        out = []
        for key, kind, ords, amounts, cats, descs in self.items:
            hi = int(np.searchsorted(ords, end, side="right"))
            lo = int(np.searchsorted(ords, start, side="left"))
            if hi - lo < 2:
                continue
            found = _detect_series(ords[lo:hi], amounts[lo:hi], as_of)
            if found is None:
                continue
            cadence, typical = found
            last = dt.date.fromordinal(int(ords[hi - 1]))
            out.append(
                KnownFlow(
                    key=key,
                    kind=kind,
                    category=str(cats[hi - 1]),
                    cadence=cadence,
                    amount_minor=int(typical),
                    last_date=last,
                    next_date=last + CADENCES[cadence][2],
                    description=str(descs[hi - 1] or key),
                )
            )
        return out


def detect_known_flows(history: History, *, as_of: dt.date | None = None) -> list[KnownFlow]:
    """Recurring payments in an aggregated history (pure; the CSV and benchmark path)."""
    return _MerchantIndex(history.merchants).detect(as_of or history.as_of)


FlowProvider = Callable[[Sequence[dt.date]], dict[dt.date, tuple[KnownFlow, ...]]]


def _frame_flow_provider(history: History) -> FlowProvider:
    index = _MerchantIndex(history.merchants)

    def provide(dates: Sequence[dt.date]) -> dict[dt.date, tuple[KnownFlow, ...]]:
        return {d: tuple(index.detect(d)) for d in dates}

    return provide
