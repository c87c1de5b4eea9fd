"""One-off shortfalls in a young history's cash-flow band (issue #19; session 25, cflow25; pure: no Session).

A young history's band (months 1-12 ahead from 3-13 complete months, :func:`cashflow_model._band` where month 3's
band does not rest on that month's own backtest errors) is calibrated on what the few months seen did: a large
one-off purchase (a car, a renovation) is in those months only by luck, so the band misses one that comes in the
months ahead (session 24, cflow24: the generated "two outliers" shape covered 55 / 50 / 48% at months 4-6, its misses
nearly all below). With :data:`cashflow_model.YOUNG_ONE_OFFS` the band's lower edge is the 10% point of the band's
own spread mixed with one-off shortfalls coming at the goals' rate: the one model of them
(:func:`goal_stats.goal_one_offs`: the months seen, none counted under 12 months, and the prior rate
``(n + 0.037 x 12) / (months + 12)`` of size 9.9 robust sds of the history's months when none is seen, fitted on the
goals' tuning histories in session 20; :func:`goal_stats.chance`, the Poisson mixture). No constant is fitted here.
The upper edge stays: a one-off only lowers the balance, and the point does not include it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from budgetwise.ratios import Z80
from budgetwise.services import goal_stats

LOWER = 0.1  # the band's lower edge: its 10% point (an 80% band)


def one_offs(nets: Sequence[float]) -> goal_stats.OneOffs:
    """The one-off shortfalls the goals count on this monthly net history (complete months, oldest first), with the
    prior rate (:data:`goal_stats.ONE_OFF_PRIOR`)."""
    return goal_stats.goal_one_offs([float(x) for x in nets])


def lower_edge(lower: float, months: float, found: goal_stats.OneOffs) -> float:
    """The 10% point ``months`` ahead of the cumulative error whose own 10% point is ``lower`` (< 0: the band's lower
    offset, read as a normal's), less one-off shortfalls at ``found``'s rate and size (:func:`goal_stats.chance`).
    Never above ``lower``; ``lower`` itself when no one-off is expected."""
    if lower >= 0 or months <= 0 or found.rate <= 0 or found.mean_size <= 0:
        return lower
    sd = -lower / Z80

    def above(x: float) -> float:  # P(cumulative error >= x)
        return goal_stats.chance(x, 0.0, sd, months=months, one_offs=found)

    if above(lower) >= 1.0 - LOWER:
        return lower
    hi, step = lower, max(found.mean_size, sd)
    lo = lower - step
    while above(lo) < 1.0 - LOWER and step < 1e15:  # widen until the 10% point is bracketed
        hi, step = lo, step * 2
        lo = lower - step
    for _ in range(60):
        mid = (lo + hi) / 2
        if above(mid) >= 1.0 - LOWER:
            lo = mid
        else:
            hi = mid
        if hi - lo < 0.5:
            break
    return lo if math.isfinite(lo) else lower


SEEN_MIN_MONTHS = 4  # the fewest complete months the young band looks for a one-off in (session 26, cf26: with 3 a
# month's neighbours are the two others, one of them the one-off's; the goals' detector finds none there)


def seen(nets: Sequence[float]) -> tuple[goal_stats.OneOffs, list[float]]:
    """(The one-off shortfalls a young history already shows, at the household's own rate; its nets with each such
    month brought back to its neighbours' level) for :data:`cashflow_model.YOUNG_SEEN_ONE_OFFS` (session 26, cf26).

    The goals' one detector (:func:`goal_stats.one_off_shortfalls`, a month more than ``ONE_OFF_Z`` robust sds below
    its neighbours' median) counts none under 12 months; a young band then reads a large purchase as month-to-month
    variation, ten times the usual, and widens both ways by it (tuning: every such origin covered). Here it looks from
    :data:`SEEN_MIN_MONTHS` on; the month is left out of the spread (its net plus its shortfall) and counted as a
    one-off instead, with the goals' prior (:func:`goal_stats.shipped_prior`) and the household's own count."""
    y = [float(x) for x in nets]
    found = goal_stats.one_off_shortfalls(y, min_months=SEEN_MIN_MONTHS)
    if not found.sizes:
        return one_offs(y), y
    usual = list(y)
    for at, size in zip(found.at, found.sizes):
        usual[at] += size
    prior = goal_stats.shipped_prior() if goal_stats.ONE_OFF_PRIOR else None
    return goal_stats.OneOffs(found.months, found.sizes, found.scale, prior, at=found.at), usual
