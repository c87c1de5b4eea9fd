"""Evidence pooled across a user's categories (pure; 2026-12-05, issue #17, docs/forecasting.md).

A category's own backtest has 6-36 scored points: too few to tell eight candidate methods apart. How the
methods did on the user's *other* categories is evidence too. For each series, each candidate's mean
backtest error is divided by the series' mean over the candidates (a relative error: 0.8 = 20% better
than the average candidate on this series); those relative errors, averaged over the user's categories,
are the prior. A frequent category ranks the candidates on

    (n * own relative error + k * pooled relative error) / (n + k)

``n`` = its own scored backtest points, ``k`` = the prior's worth in points (``Config.pool``; ``inf``:
the pooled figure alone, for every candidate the series itself has enough points for). Prequential like
the rest: at each backtest origin only errors of targets that had ended by then count, in this series
and in the pool, so the backtest shown stays out of sample.

A category's forecast therefore depends on every category of its kind; ``api`` computes the evidence of
all of them once (cached per history) so that one category alone gives the same numbers as that category
within "all categories".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Pooled:
    """Each candidate's relative backtest error averaged over a user's series: at each backtest origin
    day (from the targets ended by then) and ``final`` (every backtest point). NaN: no series had it."""

    names: tuple[str, ...]
    at_day: Mapping[object, np.ndarray]
    final: np.ndarray
    series: int = 0  # how many series the pool averages (at the final forecast)

    def prior(self, day: object | None, names: Sequence[str]) -> np.ndarray:
        """The pooled relative errors of ``names`` at an origin ``day`` (``None``: the final forecast)."""
        vec = self.final if day is None else self.at_day.get(day)
        if vec is None:
            return np.full(len(names), math.nan)
        return np.array([vec[self.names.index(n)] if n in self.names else math.nan for n in names])


def relative_errors(
    err: np.ndarray, min_points: int, reference: np.ndarray | None = None
) -> tuple[np.ndarray, int]:
    """Each column's mean error (NaN with fewer than ``min_points`` scored rows) over the mean of those
    means (of the ``reference`` columns' only, when given and any of them has one), and how many rows have
    any scored error."""
    err = np.asarray(err, dtype=float).reshape(-1, np.shape(err)[-1] if np.ndim(err) else 0)
    ok = np.isfinite(err)
    cnt = ok.sum(axis=0)
    sums = np.where(ok, err, 0.0).sum(axis=0)
    m = np.where(cnt >= min_points, sums / np.maximum(cnt, 1), math.nan)
    fin = np.isfinite(m)
    if not fin.any():
        return m, int(ok.any(axis=1).sum())
    ref = fin if reference is None or not (fin & reference).any() else fin & reference
    avg = float(m[ref].mean())
    rel = m / avg if avg > 0 else np.where(fin, 1.0, math.nan)  # all perfect: all equal
    return rel, int(ok.any(axis=1).sum())


def _mean_of(rows: list[np.ndarray], width: int) -> np.ndarray:
    if not rows:
        return np.full(width, math.nan)
    stack = np.vstack(rows)
    ok = np.isfinite(stack)
    cnt = ok.sum(axis=0)
    return np.where(cnt > 0, np.where(ok, stack, 0.0).sum(axis=0) / np.maximum(cnt, 1), math.nan)


def pool_evidence(
    series: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], names: Sequence[str], min_points: int
) -> Pooled:
    """``series``: per series ``(origin_day, target_end, err)`` of its backtest rows (``err``: one column
    per name). A series counts in the pool where at least two candidates have a relative error."""
    names = tuple(names)
    days = sorted({d for od, _, _ in series for d in np.unique(od)})

    def pooled(rows_of) -> tuple[np.ndarray, int]:
        rels = []
        for od, te, err in series:
            rel, _ = relative_errors(err[rows_of(od, te)], min_points)
            if np.isfinite(rel).sum() >= 2:
                rels.append(rel)
        return _mean_of(rels, len(names)), len(rels)

    at_day = {d: pooled(lambda od, te, d=d: np.asarray(te) <= d)[0] for d in days}
    final, count = pooled(lambda od, te: np.ones(len(od), dtype=bool))
    return Pooled(names, at_day, final, count)


def pooled_scores(rel: np.ndarray, n: int, prior: np.ndarray, k: float) -> np.ndarray:
    """The ranking score of each candidate: its own relative error shrunk toward the pooled one by
    ``k / (n + k)`` (``k = inf``: the pooled one where the series has its own); with no own evidence at
    all, the pooled one alone. NaN: not rankable."""
    rel, prior = np.asarray(rel, dtype=float), np.asarray(prior, dtype=float)
    if not np.isfinite(rel).any():
        return prior
    if math.isinf(k):
        return np.where(np.isfinite(rel), prior, math.nan)
    both = np.isfinite(rel) & np.isfinite(prior)
    with np.errstate(invalid="ignore"):
        return np.where(both, (n * rel + k * prior) / (n + k), rel)


def best_by_score(score: np.ndarray, available: np.ndarray, top: int) -> list[int]:
    """Indices of the ``top`` lowest finite scores among the available candidates (ties: the first)."""
    cand = [j for j in range(len(score)) if np.isfinite(score[j]) and available[j]]
    return sorted(cand, key=lambda j: (float(score[j]), j))[:top]
