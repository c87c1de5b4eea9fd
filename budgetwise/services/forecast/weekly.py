"""Weekly candidates that know the recurring payments (pure; session 16, wkfix, issue #17).

A month holds one rent payment; a week holds one only once a month. The naive and statistical candidates forecast
a period from the period totals alone, so on weekly totals they cannot tell a rent week from another, and the
median-type candidates (``median6``, ``median_k``), which the choice on the absolute percentage error prefers, forecast
the rent-free median week for every week: on the weekly backtests of the 13 households and of seeds 1081-1140 the
shipped combination was 23% / 28% low, all of it in the weeks that carried a recurring payment (the other weeks: +4% /
0%; the median candidates -42% / -47%, the means about 0%).

With ``Config.week_known`` the candidates of a weekly series forecast its **variable** part -- the period totals
without the payments of the recurring merchants known at the origin (the ones the model projects) -- and each target
week gets the recurring payments projected into it on their schedule (the model's ``known`` column), as the model
does. Prequential: at each backtest origin only the merchants detected by that day are taken out. The selection, the
scoring (on the totals) and the ranges are unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from budgetwise.services.forecast.model import _Context, _flows_for, _Selection, _SeriesData
from budgetwise.services.forecast.types import KnownFlow


def recurring_sums(
    ctx: _Context, data: _SeriesData, sel: _Selection, flows_at: Mapping[dt.date, tuple[KnownFlow, ...]],
    periods: Sequence[tuple[dt.date, int, int]], origins: Sequence[int],
) -> dict[int, np.ndarray]:
    """Per origin ``k`` (an index into ``periods``; ``len(periods) - 1``: the final forecast's, at ``ctx.as_of``):
    the payments of the recurring merchants known on that day (``flows_at``) per complete period ``0..k``."""
    starts = np.array([a for _, a, _ in periods], dtype=np.int64)
    out: dict[int, np.ndarray] = {}
    by_keys: dict[frozenset, np.ndarray] = {}  # most origins know the same merchants: summed once per set
    for k in origins:
        day = ctx.as_of if k == len(periods) - 1 else ctx.day(periods[k][2])
        keys = frozenset(f.key for f in _flows_for(flows_at.get(day, ()), sel))
        if keys not in by_keys:
            sums = np.zeros(len(periods))
            for key in sorted(keys):  # a set's order varies with PYTHONHASHSEED: float sums must not
                item = data.by_key.get(key)
                if item is None:
                    continue
                _, days, amounts = item
                ok = (days >= 0) & (days <= periods[-1][2]) if len(periods) else np.zeros(len(days), dtype=bool)
                np.add.at(sums, np.searchsorted(starts, days[ok], side="right") - 1, amounts[ok])
            by_keys[keys] = sums
        out[k] = by_keys[keys][: k + 1]
    return out


class KnownAware:
    """The candidates of :class:`.ensemble._Candidates` (``base``) on the variable part, plus each target's
    recurring payments: ``self(k, steps)`` is what ``base(k, steps)`` is for the totals. An origin whose past holds
    no recurring payment and whose targets none asks ``base`` itself (its memo: the same numbers as without)."""

    def __init__(self, base, make: Callable[[np.ndarray], Callable], totals: np.ndarray,
                 recurring: Mapping[int, np.ndarray], known: Mapping[int, np.ndarray]) -> None:
        self.base, self.make, self.totals = base, make, np.asarray(totals, dtype=float)
        self.names = list(base.names)
        self.recurring, self.known = recurring, known

    def __call__(self, k: int, steps: int) -> dict[str, np.ndarray]:
        rec = self.recurring.get(k)
        known = np.zeros(steps)
        got = np.asarray(self.known.get(k, ()), dtype=float)[:steps]
        known[: len(got)] = np.nan_to_num(got)
        if (rec is None or not rec.any()) and not known.any():
            return self.base(k, steps)
        past = self.totals[: k + 1] - (rec if rec is not None else 0.0)
        var = self.make(np.maximum(past, 0.0))(k, steps)
        return {n: v + known for n, v in var.items()}


class Wrap:
    """``ensemble.select``'s ``wrap`` for one weekly run: with ``config.week_known`` (and not an occasional series)
    the candidates become :class:`KnownAware`; ``applied`` says whether they did."""

    def __init__(self, records: pd.DataFrame, period_starts: Sequence, recurring: Mapping[int, np.ndarray],
                 final_known: np.ndarray) -> None:
        self.records, self.starts, self.recurring, self.final_known = records, period_starts, recurring, final_known
        self.applied = False

    def __call__(self, base, config, occasional: bool):
        if not config.week_known or occasional:
            return base
        self.applied = True
        pos = {d: i for i, d in enumerate(self.starts)}
        known = known_by_origin(self.records, pos, len(base.totals) - 1, self.final_known)
        return KnownAware(base, lambda past: type(base)(past, base.freq, base.names, base.winsor, {}, base.lone), base.totals,
                          self.recurring, known)


def known_by_origin(rec: pd.DataFrame, pos: Mapping, final_k: int, final_known: np.ndarray) -> dict[int, np.ndarray]:
    """The recurring payments projected into each target, per origin ``k`` and step (from the backtest rows'
    ``known`` column; the final forecast's at ``final_k``)."""
    out: dict[int, np.ndarray] = {final_k: np.asarray(final_known, dtype=float)}
    if not len(rec) or "known" not in rec:
        return out
    step = rec["step"].to_numpy(dtype=int)
    k = rec["ds"].map(pos).to_numpy(dtype=int) - step
    known = rec["known"].to_numpy(dtype=float)
    for origin in np.unique(k):
        rows = np.flatnonzero(k == origin)
        arr = np.zeros(int(step[rows].max()))
        arr[step[rows] - 1] = known[rows]
        out[int(origin)] = arr
    return out
