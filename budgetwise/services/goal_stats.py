"""The statistics of a goal's projection (pure: no Session, no database).

Future net savings (a calibrated net-savings forecast: each month's expected value and its
spread, the half-width of the forecast's conformal range / z) accrue evenly over each month.
Cumulative spread: month-to-month errors correlate with ``rho`` (estimated from the net
backtest), so ``var(sum) = sum(s^2) + rho * ((sum s)^2 - sum(s^2))``. The probability of
reaching the target by a date is ``1 - Phi((needed - mean) / sd)`` at that date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

DEFAULT_ERROR_CORRELATION = 0.5  # how much of one month's forecast error persists into the next


def error_correlation(table: pd.DataFrame | None, default: float = DEFAULT_ERROR_CORRELATION) -> float:
    """How much a month's forecast error persists into the next, from a backtest table
    (columns origin, step, actual, forecast): the correlation of the errors one and two
    steps ahead from the same origin, clipped to 0..0.9; ``default`` with fewer than 8 pairs."""
    if table is None or table.empty:
        return default
    t = table.assign(err=table["actual"] - table["forecast"])
    wide = t.pivot_table(index="origin", columns="step", values="err")
    if 1 not in wide.columns or 2 not in wide.columns:
        return default
    pair = wide[[1, 2]].dropna()
    if len(pair) < 8 or pair[1].std() == 0 or pair[2].std() == 0:
        return default
    value = float(np.corrcoef(pair[1], pair[2])[0, 1])
    return float(min(0.9, max(0.0, value))) if math.isfinite(value) else default


@dataclass(frozen=True)
class Block:
    first: dt.date
    last: dt.date
    mean: float
    sd: float


@dataclass(frozen=True)
class SavingsPath:
    """Month blocks of expected savings with the cumulative mean and sd at each block's end."""

    blocks: tuple[Block, ...]
    cum_mean: tuple[float, ...]
    cum_sd: tuple[float, ...]

    def at(self, day: dt.date) -> tuple[float, float]:
        """Expected cumulative savings and its sd at the end of ``day`` (linear within a month)."""
        prev_mean, prev_sd = 0.0, 0.0
        for b, m_, s_ in zip(self.blocks, self.cum_mean, self.cum_sd):
            if day <= b.last:
                if day < b.first:
                    return prev_mean, prev_sd
                frac = ((day - b.first).days + 1) / ((b.last - b.first).days + 1)
                return prev_mean + frac * (m_ - prev_mean), prev_sd + frac * (s_ - prev_sd)
            prev_mean, prev_sd = m_, s_
        return prev_mean, prev_sd

    def reaches(self, need: float) -> dt.date | None:
        """The day the expected path reaches ``need`` (None: not within the path)."""
        prev = 0.0
        for b, m_ in zip(self.blocks, self.cum_mean):
            if m_ >= need and b.mean > 0:
                frac = (need - prev) / b.mean
                return b.first + dt.timedelta(days=max(0, math.ceil(frac * ((b.last - b.first).days + 1)) - 1))
            prev = m_
        return None


def month_blocks(
    months: Sequence[dt.date], mean: np.ndarray, sd: np.ndarray, *, start: dt.date, last_needed: dt.date,
    today: dt.date, saved: float, target: float, max_years: int,
) -> list[Block]:
    """The forecast months from ``start`` on, then the average of the forecast's last year
    continued (until a month past reaching the target, at most ``max_years`` from today), also from
    ``start`` on: a forecast whose months all lie before ``start`` (data that ends long before today)
    continues from ``start``, not from its horizon's end (session 14: the path counted the months
    between as saved and "you reach it around" named a day already past)."""
    blocks = []
    for m, mu, s in zip(months, mean, sd):
        first = max(m, start)
        last = m + relativedelta(months=1) - dt.timedelta(days=1)
        if last >= first:
            blocks.append(Block(first, last, float(mu), float(s)))
    horizon_end = months[-1] + relativedelta(months=1) - dt.timedelta(days=1)
    tail_mean = float(np.mean(mean[-12:])) if len(mean) else 0.0
    tail_sd = float(sd[-1]) if len(sd) else 0.0
    cursor = horizon_end + dt.timedelta(days=1)
    while cursor + relativedelta(months=1) <= start:  # whole months of the continuation before ``start``
        cursor += relativedelta(months=1)
    limit = today + relativedelta(years=max_years)
    while cursor <= last_needed + relativedelta(years=max_years if tail_mean > 0 else 0) and cursor <= limit:
        last = cursor + relativedelta(months=1) - dt.timedelta(days=1)
        first = max(cursor, start)
        # the month ``start`` falls in: its remaining days' share of the month's savings
        share = ((last - first).days + 1) / ((last - cursor).days + 1)
        blocks.append(Block(first, last, tail_mean * share, tail_sd * share))
        cursor = last + dt.timedelta(days=1)
        if cursor > last_needed and saved + sum(b.mean for b in blocks[:-1]) >= target:
            break  # one month past reaching the target, for the chart
    return blocks


def savings_path(blocks: Sequence[Block], rho: float) -> SavingsPath:
    """Cumulative mean and sd at each block end (errors correlated with ``rho`` between months)."""
    cum_mean, cum_sd = [], []
    total, sds = 0.0, []
    for b in blocks:
        total += b.mean
        sds.append(b.sd)
        arr = np.asarray(sds)
        var = float(np.sum(arr**2) + rho * (np.sum(arr) ** 2 - np.sum(arr**2)))
        cum_mean.append(total)
        cum_sd.append(math.sqrt(max(var, 0.0)))
    return SavingsPath(tuple(blocks), tuple(cum_mean), tuple(cum_sd))


def probability_of_reaching(need: float, mean: float, sd: float) -> float:
    """P(cumulative savings >= need) under a normal approximation (never NaN)."""
    if not (math.isfinite(mean) and math.isfinite(sd)):
        return 0.0
    if sd <= 1e-9:
        return 1.0 if mean >= need else 0.0
    return 1.0 - NormalDist(mean, sd).cdf(need)


def chart_frame(
    path: SavingsPath, *, today: dt.date, saved: float, target: float, target_date: dt.date, chart_end: dt.date,
    z: float,
) -> pd.DataFrame:
    """Expected path with its band (saved + cumulative savings), the target date included."""
    rows = [{"ds": today, "expected": saved, "lower": saved, "upper": saved}]
    for b, m_, s_ in zip(path.blocks, path.cum_mean, path.cum_sd):
        rows.append({"ds": b.last, "expected": saved + m_, "lower": saved + m_ - z * s_, "upper": saved + m_ + z * s_})
        if b.last >= chart_end:
            break
    if target_date not in {r["ds"] for r in rows} and target_date > today:
        mean_t, sd_t = path.at(target_date)
        rows.append({"ds": target_date, "expected": saved + mean_t, "lower": saved + mean_t - z * sd_t,
                     "upper": saved + mean_t + z * sd_t})
    chart = pd.DataFrame(rows).sort_values("ds").reset_index(drop=True)
    chart["target"] = target
    return chart
