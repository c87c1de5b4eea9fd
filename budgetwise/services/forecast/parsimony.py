"""The one-standard-error rule for choosing among forecasting candidates (pure; session 14, issue #17).

Breiman, Friedman, Olshen & Stone (1984, *Classification and Regression Trees*, §3.4.3) and Hastie,
Tibshirani & Friedman (2009, *The Elements of Statistical Learning*, §7.10): when a cross-validation
(here: the rolling-origin backtest) cannot tell candidates apart, take the simplest. Every candidate whose
mean backtest error is within ``k`` standard errors of the best candidate's mean error counts as "as good";
among those the simplest are taken first, then the others by their error.

The standard error is the best candidate's: the spread of its per-origin mean errors over the origins it
was scored on, divided by the square root of their number (the three targets of one origin share its
surprise, so the origin, not the point, is the unit; consecutive origins overlap, so it is an underestimate).

Simplicity (:data:`SIMPLICITY`): how many past values a candidate's forecast is a fixed function of, then
the fitted methods — the same month last year (1 value), the 3-month mean (3), the 6-month median (6), the
12-month mean (12), the half-and-half blend (13), the median with its span chosen on the series (a tuned
parameter), ETS(M,N,N) (fitted by maximum likelihood), the app's model (recurring payments, a fitted level,
last year's pattern). Candidates not listed are the least simple.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

SIMPLICITY = ("last_year", "mean3", "median6", "mean12", "blend", "median_k", "ets_mul", "ets", "theta", "sm_theta",
              "ets_damped", "model")


def standard_error(err: np.ndarray, origins: np.ndarray | None) -> float:
    """The standard error of a candidate's mean error: the sample standard deviation of its per-origin mean
    errors over the square root of their number (``err``: its scored errors, ``origins``: their origins; None:
    every point its own origin). Fewer than 2 origins: infinite (nothing can be told apart)."""
    e = np.asarray(err, dtype=float)
    ok = np.isfinite(e)
    if origins is None:
        per = e[ok]
    else:
        o = np.asarray(origins)[ok]
        per = np.array([float(np.mean(e[ok][o == d])) for d in np.unique(o)])
    if len(per) < 2:
        return math.inf
    return float(np.std(per, ddof=1)) / math.sqrt(len(per))


def rank(
    errors: Mapping[str, float], err: np.ndarray, names: Sequence[str], origins: np.ndarray | None, k: float,
    order: Sequence[str] = SIMPLICITY,
) -> list[str]:
    """The candidates of ``errors`` (their mean errors) in the order the one-standard-error rule takes them:
    those within ``k`` standard errors of the best, simplest first, then the rest by error. ``err``: the
    error matrix (one column per name in ``names``), ``origins``: each row's origin."""
    by_error = sorted(errors, key=lambda c: (errors[c], names.index(c)))
    best = by_error[0]
    se = standard_error(err[:, names.index(best)], origins)
    limit = errors[best] + k * se
    within = [c for c in by_error if errors[c] <= limit]

    def simple(c: str) -> tuple[int, float, int]:
        return (order.index(c) if c in order else len(order), errors[c], names.index(c))

    return sorted(within, key=simple) + [c for c in by_error if c not in within]


def soft_weights(
    errors: Mapping[str, float], chosen: Sequence[str], err: np.ndarray, names: Sequence[str],
    origins: np.ndarray | None,
) -> dict[str, float]:
    """The one-standard-error rule made soft: each of ``chosen`` weighs ``exp(-z**2 / 2)``, ``z`` its mean error's
    distance from the best's in the best's standard errors (within one: at least 0.61; three: 0.01), normalised.
    The less evidence (a wide standard error), the closer to equal weights; candidates clearly worse drop out.
    An Akaike-weight-like use of the backtest (Burnham & Anderson 2002; Kolassa 2011 for forecast combination)."""
    best = min(chosen, key=lambda c: (errors[c], names.index(c)))
    se = standard_error(err[:, names.index(best)], origins)
    if not math.isfinite(se):
        return {c: 1.0 / len(chosen) for c in chosen}
    z = np.array([(errors[c] - errors[best]) / max(se, 1e-12) for c in chosen])
    w = np.exp(-0.5 * z**2)
    return dict(zip(chosen, (w / w.sum()).tolist()))
