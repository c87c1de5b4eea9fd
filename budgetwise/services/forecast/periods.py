"""Validation of the forecast's frequency, horizon and interval, and period arithmetic (pure)."""

from __future__ import annotations

import datetime as dt
import math

from budgetwise.errors import ValidationError
from budgetwise.kinds import ForecastFrequency, is_forecast_frequency
from budgetwise.names import quoted
from budgetwise.periods import period
from budgetwise.services.forecast.types import MAX_HORIZON, MAX_INTERVAL, MIN_INTERVAL


def _validate_freq(freq: str) -> ForecastFrequency:
    value = (freq or "").strip().lower()
    if value in ("monthly", "m"):
        value = "month"
    if value in ("weekly", "w"):
        value = "week"
    if not is_forecast_frequency(value):
        raise ValidationError(f"The frequency must be month or week, not {quoted(freq)}.", field="freq")
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


# Period arithmetic is owned by budgetwise.periods; these names stay for the forecast's callers.
def period_start(day: dt.date, freq: str, week_start: int = 0) -> dt.date:
    return period(freq, first_weekday=week_start).start(day)


def next_period(start: dt.date, freq: str) -> dt.date:
    return period(freq).next(start)


def period_end(start: dt.date, freq: str) -> dt.date:
    return period(freq).end(start)


def horizon_in_periods(months: int, freq: str) -> int:
    """A horizon chosen in months, in periods of ``freq`` (weeks: rounded up)."""
    return months if freq == "month" else min(MAX_HORIZON["week"], math.ceil(months * 52 / 12))
