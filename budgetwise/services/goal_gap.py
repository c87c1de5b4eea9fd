"""Why a goal's forecast net savings stand far from the history's average beside them (pure: no Session).

New-user trial, session 25 (docs/history/importing.md; issue #17): the Goals page said "Your forecast net savings are
about € 708,74 a month" beside "Your last 12 complete months in your data averaged € 33,53" for a Dutch current
account (JerBouma). Both figures are of the same money (income less expenses, transfers between one's own accounts
left out of both: ``forecast.history_from_db``), so the gap is genuine, and has two causes the page did not say:

- two months of that year fell far below usual (a tax bill of € 24.122 and a course fee of € 8.370, paid from
  savings): the average counts them, the forecast is of usual months and the chance counts such months apart
  (``goal_stats.one_off_shortfalls``); without them the year averaged € 1.648;
- the income halved three months before the data ends (a new job): the last 3 months averaged € −755, and the
  forecast, a blend of recent and earlier months chosen on the household's own backtest, has taken that change in
  only in part.

:func:`history_gap` returns those figures when the forecast and the average are far apart (:data:`FAR`), and
``goal_text.explain`` says them plainly; the forecast and the chance are unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetwise.services.goal_stats import HISTORY_BASIS_MONTHS, months_with_data

FAR = 0.5  # the forecast and the average differ by more than this share of the larger of the two ...
FAR_OF_SWING = 0.1  # ... and by more than this share of the window's average month (its absolute net savings)
RECENT_MONTHS = 3  # the last months with data set beside the forecast
FAR_RECENT = 0.25  # the recent months this far from the forecast (share of the larger; and FAR_OF_SWING): a change


@dataclass(frozen=True)
class HistoryGap:
    """The figures behind a forecast far from the history's average (major units, times the goal's share)."""

    usual: float | None  # the window's months with data, the one-off months left out (None: none of them in it)
    usual_k: int  # how many months that is
    left_out: tuple[dt.date, ...]  # those one-off months
    recent: float  # the last RECENT_MONTHS months with data, the one-off months left out
    recent_k: int  # how many (fewer when the window holds fewer)
    swing: float  # the window's average month, its absolute net savings (:func:`far_apart`)
    gaps: bool  # the window holds months without any income or expense


def far_apart(a: float, b: float, swing: float, far: float = FAR) -> bool:
    """Whether two monthly figures differ enough to need words (``far``, :data:`FAR_OF_SWING`)."""
    diff = abs(a - b)
    return diff > far * max(abs(a), abs(b)) and diff > FAR_OF_SWING * swing


def history_gap(
    history: pd.DataFrame, monthly: float, past: float, one_off_months: Sequence[dt.date] = (), *,
    share: float = 1.0, months: int = HISTORY_BASIS_MONTHS,
) -> HistoryGap | None:
    """The usual months' and the recent months' averages of the last ``months`` complete months of a net-savings
    ``history`` (columns ``ds``, ``y``) when the forecast's ``monthly`` figure (already times ``share``) is far from
    their average ``past`` (``goal_stats.history_basis``, times ``share``); None when it is not, or with no month.
    Months without any income or expense (exactly 0: gaps) count in neither average, as in ``history_basis``."""
    if history is None or not len(history) or months <= 0:
        return None
    tail = history.iloc[-months:]
    y = tail["y"].to_numpy(dtype=float)
    ds = list(tail["ds"])
    has = months_with_data(y)
    if not has.any():
        return None
    swing = float(np.mean(np.abs(y[has]))) * share
    if not far_apart(monthly, past, swing):
        return None
    odd = {(m.year, m.month) for m in one_off_months}
    out = np.array([(d.year, d.month) in odd for d in ds], dtype=bool) & has
    usual = float(y[has & ~out].mean()) * share if out.any() and (has & ~out).any() else None
    recent = y[has & ~out][-RECENT_MONTHS:]  # the one-off months left out here too
    return HistoryGap(usual, int((has & ~out).sum()), tuple(d for d, o in zip(ds, out) if o),
                      float(recent.mean()) * share, int(len(recent)), swing, bool((~has).any()))
