"""A goal contribution's amount, date and note, read from what the user typed (moved out of ``services/goals.py``,
session 29, which had reached the size limit; the checks and their words are as they were)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from budgetwise.dates import day_text, parse_date
from budgetwise.errors import ValidationError
from budgetwise.money import MAX_AMOUNT, parse_decimal, to_minor
from budgetwise.names import quoted
from budgetwise.services.profile import user_decimal_separator, user_formats
from budgetwise.text import clean_text


def refuse_machine_number(value: object, field: str) -> None:
    """An int or a float is not money typed by the user (session 25: a float 1.234 was read as typed text in the
    user's number format, a German user's 1 234 €, as review24 found for the opening balance)."""
    if isinstance(value, (int, float)):  # bool is an int too
        raise ValidationError("Give amounts as text or Decimal in major units (e.g. 1500.00).", field=field)


def contribution_input(
    session: Session, user_id: int, currency: str, *, amount: object, date: object, note: str, today: dt.date,
    limits: tuple[dt.date, dt.date], max_note: int,
) -> tuple[int, dt.date, str]:
    """(amount in minor units of ``currency``, day, cleaned note) of a contribution, or a ValidationError naming the
    field. ``limits``: the earliest and latest day (``goals.contribution_date_limits``)."""
    hint = user_decimal_separator(session, user_id)
    refuse_machine_number(amount, "amount")
    if isinstance(amount, Decimal):
        amount, hint = format(amount, "f"), "."
    value = parse_decimal(str(amount if amount is not None else ""), field="amount", decimal_hint=hint)
    if value == 0:
        raise ValidationError("The amount must not be zero (use a negative amount for a withdrawal).", field="amount")
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(f"The amount {quoted(amount)} is implausibly large.", field="amount")
    minor = to_minor(value, currency)
    day = today if date in (None, "") else parse_date(date, field="date", missing_message="Choose a date.")
    earliest, latest = limits
    if not earliest <= day <= latest:
        locale, fmt = user_formats(session, user_id)
        span = (f"a contribution's date is from {day_text(earliest, fmt, locale)} to today, "
                f"{day_text(latest, fmt, locale)}")
        shown = day_text(day, fmt, locale)
        raise ValidationError(
            f"{shown} is in the future: record a contribution when it is made ({span})." if day > latest
            else f"{shown} is implausibly old ({span}).", field="date"
        )
    text = clean_text(note)
    if len(text) > max_note:
        raise ValidationError(f"The note is too long ({max_note} characters at most).", field="note")
    return minor, day, text
