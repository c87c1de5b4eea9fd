"""The selection bagged over the backtest's own origins (pure; session 20, fcshort, issue #17).

The best ``top`` candidates on a backtest of 6-12 origins are a noisy pick: a candidate one origin better than
another is chosen outright, one origin worse is left out. Bagging the pick (Breiman 1996): the origins are
resampled with replacement ``RESAMPLES`` times (an origin's backtest points stay together: they share its
surprise), the best ``top`` are chosen on each resample, and each candidate's weight is the share of resamples
that chose it, divided by ``top``. Where the backtest tells the candidates apart clearly (many origins, large
differences) the weights are the plain pick's; where it does not, they spread over the candidates it cannot
tell apart, in proportion to how often each would have been picked. A naive guess that is best on every resample
keeps its full share. The resamples are drawn with a fixed seed: the same backtest always gives the same weights.
``ensemble.Config(weights="bagged")``; in ``ensemble.DEFAULT`` since session 20 (its pre-registered test on fresh seeds
1581-1640, docs/history/forecasting.md); monthly series ranked series by series only (``thin.months_only``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RESAMPLES = 200
SEED = 20


def weights(err: np.ndarray, ok: np.ndarray, cols: Sequence[int], origins: np.ndarray | None, top: int) -> np.ndarray:
    """One weight per column of ``err`` (0 outside ``cols``, the eligible columns), summing to 1.

    ``err``: backtest errors (rows x candidates), ``ok`` where they are scored; ``origins``: each row's origin
    (None: each row its own). On a resample a candidate with no scored row drops out of that pick."""
    out = np.zeros(err.shape[1])
    cols = list(cols)
    if not cols:
        return out
    rows = np.flatnonzero(ok[:, cols].any(axis=1))
    keys = np.arange(len(err)) if origins is None else np.asarray(origins)
    uniq, inv = np.unique(keys[rows], return_inverse=True)
    e = np.where(ok[rows][:, cols], err[rows][:, cols], 0.0)
    n = ok[rows][:, cols].astype(float)
    sums = np.zeros((len(uniq), len(cols)))
    counts = np.zeros((len(uniq), len(cols)))
    np.add.at(sums, inv, e)
    np.add.at(counts, inv, n)
    if len(uniq) < 2:
        draw = np.ones((1, len(uniq)))
    else:
        draw = np.random.default_rng(SEED).multinomial(len(uniq), np.full(len(uniq), 1 / len(uniq)),
                                                       RESAMPLES).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (draw @ sums) / (draw @ counts)
    means = np.where(np.isfinite(means), means, np.inf)
    # ties broken by the column's order, as the plain pick does (a stable sort)
    order = np.argsort(means, axis=1, kind="stable")[:, :top]
    picked = np.take_along_axis(np.isfinite(means), order, axis=1)
    share = np.zeros(len(cols))
    np.add.at(share, order[picked], 1.0)
    out[cols] = share / share.sum()
    return out
