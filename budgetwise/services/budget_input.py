"""What a budget's month and amount are, read from what the user typed (moved out of ``services/budgets.py``,
session 29, which had reached the size limit; ``budgets`` imports both under their old names)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgetwise.dates import month_start
from budgetwise.errors import ValidationError
from budgetwise.money import MAX_AMOUNT, parse_decimal, to_minor
from budgetwise.names import quoted


def month(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
        except ValueError:
            raise ValidationError(f"{quoted(value)} is not a month (expected YYYY-MM).", field="month") from None
    if not isinstance(value, dt.date):
        raise ValidationError("Choose a month.", field="month")
    if not 1950 <= value.year <= 2200:
        raise ValidationError(f"{value.year} is not a plausible budget year.", field="month")
    return month_start(value)


def amount_minor(amount: object, currency: str, *, label: str, decimal_hint: str | None = None) -> int:
    """Typed text in the user's number format: ``decimal_hint`` (their locale's decimal separator)
    settles an ambiguous "1.250": 1.25 where "." is the decimal separator (en_US), 1250 where it
    groups thousands (de_DE)."""
    if isinstance(amount, (bool, float)):
        raise ValidationError(f"Enter the budget for {label} as text or a Decimal.", field="amount")
    if isinstance(amount, Decimal):
        value = amount
    else:
        try:
            # the row named in money's own words: "The budget for Groceries 'abc' is not a number."
            value = parse_decimal(str(amount), field="amount", decimal_hint=decimal_hint, label=f"The budget for {label}")
        except ValidationError as exc:
            raise ValidationError(exc.message, field="amount") from None
    if value < 0:
        raise ValidationError(f"The budget for {label} cannot be negative.", field="amount")
    if value > MAX_AMOUNT:
        raise ValidationError(f"The budget for {label} is implausibly large.", field="amount")
    return to_minor(value, currency, field="amount", label=f"The budget for {label}")
