"""Validation of the forecast's frequency, horizon and interval, and period arithmetic (pure)."""

from __future__ import annotations

import datetime as dt
import math

from dateutil.relativedelta import relativedelta

from budgetwise.errors import ValidationError
from budgetwise.services.forecast.types import FREQS, MAX_HORIZON, MAX_INTERVAL, MIN_INTERVAL


def _validate_freq(freq: str) -> str:
    value = (freq or "").strip().lower()
    if value in ("monthly", "m"):
        value = "month"
    if value in ("weekly", "w"):
        value = "week"
    if value not in FREQS:
        raise ValidationError(f"The frequency must be month or week, not {freq!r}.", field="freq")
    return value


def _validate_horizon(horizon: object, freq: str) -> int:
    try:
        value = int(horizon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(f"The horizon must be a whole number of {freq}s.", field="horizon") from None
    limit = MAX_HORIZON[freq]
    if not 1 <= value <= limit:
        raise ValidationError(f"The horizon must be between 1 and {limit} {freq}s, not {value}.", field="horizon")
    return value


def _validate_interval(interval: object) -> float:
    try:
        value = float(interval)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError("The interval width must be a number such as 0.8 (80%).", field="interval") from None
    if value > 1:
        value /= 100.0  # 80 -> 0.8
    if not MIN_INTERVAL <= value <= MAX_INTERVAL:
        raise ValidationError(
            f"The interval width must be between {MIN_INTERVAL:.0%} and {MAX_INTERVAL:.0%}.", field="interval"
        )
    return round(value, 4)


def period_start(day: dt.date, freq: str, week_start: int = 0) -> dt.date:
    if freq == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def next_period(start: dt.date, freq: str) -> dt.date:
    if freq == "month":
        return start + relativedelta(months=1)
    return start + dt.timedelta(days=7)


def period_end(start: dt.date, freq: str) -> dt.date:
    return next_period(start, freq) - dt.timedelta(days=1)


def horizon_in_periods(months: int, freq: str) -> int:
    """A horizon chosen in months, in periods of ``freq`` (weeks: rounded up)."""
    return months if freq == "month" else min(MAX_HORIZON["week"], math.ceil(months * 52 / 12))
