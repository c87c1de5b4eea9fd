"""Gap months in the cash-flow model: unknown, not months of no income and no spending (issue #19; session 28, gap28;
pure: no Session).

A gap month is a calendar month without any income or expense row of the user (the one owner:
:func:`forecast.gaps.empty_months`, whatever ``gaps.FILL`` says): an export that skipped it. Its net reads 0, and the
cash-flow model (:mod:`cashflow_model`) took that 0 as a month: a one-off low month (``NetModel.one_offs``, the page's
note; the young band's one-off allowance, :mod:`cashflow_oneoff`), a month of "other" net minus the known income (a
shortfall in the level), a month-to-month change twice the usual (the young band's spread), a backtest target whose
actual was the 0 and a "last month repeats" of 0. With :data:`cashflow_model.SKIP_GAPS` the model reads only the months
with data (:func:`with_data`): the level, the one-off finder, the band's spread and scale, "last month" are those of
the months with data; a gap origin takes the level of the last month with data before it; a backtest run stops before
its first target in a gap month (its actual is not known) and an origin whose next month is a gap is not scored.
Without a gap month :func:`with_data` returns the nets themselves and every step is the one before session 28 (the
projection byte-identical: ``tests/services/test_cashflow_gap_months.py``).

``SKIP_GAPS`` is **on** (session 28, flows28), with :data:`KNOW_GAPS`. Alone it failed its pre-registered test
(benchmarks/cashflow_gap28_check.py, seeds 3111-3170: +4.3% one-month-ahead balance error on households with gap
months, 16 histories better, 39 worse): the recurring detector (``forecast.detect_known_flows``) read the salary and
the bills missing in a gap as stopped, and the model's "other" level, taken net of those items, then projected months
without them. With :data:`KNOW_GAPS` the cash flow's detector skips gap months (``forecast.gaps.empty_spans``;
``analysis.recurring.detect``'s ``skip``): both on passed benchmarks/cashflow_flows28_check.py (seeds 3171-3230:
-12.5% pooled error, 49 better, 8 worse; the detector alone -10.3%, 42 / 13; without a gap month identical). The
note's one-off months (:func:`one_offs`) skip a gap month as the goals' one-off shortfalls do
(``goal_stats.ONE_OFF_SKIP_GAPS``) whatever the flags say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

# session 28 (flows28): the cash flow's recurring detector (``forecast.detect_known_flows``, the model's flow provider)
# skips gap months (``forecast.gaps.empty_spans``): a salary or a bill missing only in a month without any row has not
# stopped. The spending forecast, the goals and the Reports list do not read it. On: its pre-registered test passed
# (benchmarks/cashflow_flows28_check.py, seeds 3171-3230); False: every month read as it is (before session 28)
KNOW_GAPS = True


def has_data(history, nets: pd.Series) -> list[bool] | None:
    """Per month of ``nets`` (complete months by month end), whether it holds any row of the history
    (``forecast.gaps.empty_months``, the one owner); None when every month does."""
    if not len(nets) or history.daily is None or history.daily.empty:
        return None
    from budgetwise.services.forecast.gaps import empty_months

    empty = set(empty_months(history.daily, [e.replace(day=1) for e in nets.index]))
    return [e.replace(day=1) not in empty for e in nets.index] if empty else None


def with_data(history, nets: pd.Series, on: bool) -> pd.Series:
    """``nets`` without its gap months (:func:`has_data`); ``nets`` itself, the same object, when ``on`` is False
    or no month is a gap."""
    keep = has_data(history, nets) if on else None
    return nets if keep is None else nets[keep]


def one_offs(history, nets: pd.Series) -> tuple[tuple[dt.date, int], ...]:
    """The months whose net fell far below their neighbours (``goal_stats.one_off_shortfalls``, the one detector):
    (month end, net) for ``NetModel.one_offs``, the page's note (no number of the projection reads them). A gap
    month is none and no neighbour (``has_data``) while the goals' :data:`goal_stats.ONE_OFF_SKIP_GAPS` is on (it
    passed its own test, session 27), whatever :data:`cashflow_model.SKIP_GAPS` says: a month missing from the data
    is not "a month whose net fell far below the usual" (session 28, gap28)."""
    from budgetwise.services import goal_stats

    keep = has_data(history, nets) if goal_stats.ONE_OFF_SKIP_GAPS else None
    low = goal_stats.one_off_shortfalls(nets.to_numpy(dtype=float), has_data=keep).at
    return tuple((nets.index[i], int(nets.iloc[i])) for i in low)


def gap_ends(nets: pd.Series, seen: pd.Series) -> frozenset[dt.date]:
    """The month ends of ``nets`` that :func:`with_data` left out."""
    return frozenset() if seen is nets else frozenset(nets.index) - frozenset(seen.index)


def carry(levels: dict, ends: Sequence[dt.date]) -> dict:
    """Per month end of ``ends``, the level of the last month with data up to it (``levels``: by the months with
    data; None before the first)."""
    out, last = {}, None
    for e in ends:
        if e in levels:
            last = levels[e]
        out[e] = last
    return out


def last_net(seen: pd.Series, upto: dt.date) -> float:
    """The net of the last month with data up to ``upto`` (0 without one): "last month" of the naive repeat."""
    past = seen[seen.index <= upto]
    return float(past.iloc[-1]) if len(past) else 0.0


def targets(ends: Sequence[dt.date], origin: dt.date, steps: int, gaps: frozenset[dt.date]) -> list[dt.date]:
    """The month ends a backtest origin is scored on: the next ``steps``, up to (not including) the first gap."""
    out = []
    for e in [e for e in ends if e > origin][:steps]:
        if e in gaps:
            break
        out.append(e)
    return out
