"""The cash-flow alert threshold (issue #19): "warn me below", read, saved and checked. Split out of
:mod:`.cashflow` (session 26); re-exported there, its public names unchanged."""

from __future__ import annotations

from decimal import Decimal

from budgetwise.errors import ValidationError


def parse_threshold(value: object, currency: str, *, decimal_hint: str | None = None) -> int:
    """'Warn me below' as minor units: a number (negative allowed: an overdraft limit), not absurd.
    ``decimal_hint``: the user's decimal separator ("," in de_DE: "1.500" is 1500, "0,50" is 0.50). A Decimal is a
    machine value, its "." the decimal point (session 25: the dashboard passed str(Decimal("5.000")) for a KWD user's
    5 KWD, read as 5 000 KWD); a float is refused (1.234 is not a German user's 1 234)."""
    from budgetwise.money import MAX_AMOUNT, minor_digits, parse_decimal, to_minor

    if value in (None, ""):
        return 0
    if isinstance(value, (bool, float)):
        raise ValidationError("Give the threshold as text or a Decimal in major units.", field="threshold")
    if isinstance(value, Decimal):
        value, decimal_hint = format(value, "f"), "."
    number = parse_decimal(str(value), field="threshold", decimal_hint=decimal_hint)
    if abs(number) > MAX_AMOUNT:
        raise ValidationError(f"The threshold {value} is implausibly large; check the amount.", field="threshold")
    try:
        return to_minor(number, currency)
    except ValidationError:
        raise ValidationError(f"The threshold {value} has more decimals than {currency} allows "
                              f"({minor_digits(currency)}).", field="threshold") from None


def get_threshold(session, *, user_id: int) -> int:
    """The user's saved 'warn me below' (base currency, minor units; 0 when never set)."""
    from sqlalchemy import select

    from budgetwise.models import User

    return int(session.scalar(select(User.cashflow_threshold_minor).where(User.id == user_id)) or 0)


def set_threshold(session, *, user_id: int, threshold: object) -> int:
    """Save the user's 'warn me below' (the cash-flow page and the dashboard's outlook use it). A
    preference, not data: the data version is not bumped (the threshold is part of the cache key)."""
    from sqlalchemy import select

    from budgetwise.errors import NotFoundError
    from budgetwise.models import User

    user = session.scalar(select(User).where(User.id == user_id))
    if user is None:
        raise NotFoundError("This account no longer exists.")
    from budgetwise.money import locale_separators

    user.cashflow_threshold_minor = parse_threshold(
        threshold, user.currency, decimal_hint=locale_separators(user.locale or "en_US")[0])
    session.flush()
    return int(user.cashflow_threshold_minor)
