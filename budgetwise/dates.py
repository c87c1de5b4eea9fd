"""Date helpers and the plausible range for a transaction date."""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from budgetwise.errors import ValidationError
from budgetwise.names import quoted

MIN_TRANSACTION_DATE = dt.date(1950, 1, 1)
MAX_FUTURE_DAYS = 366 * 2
ISO_DATE = "%Y-%m-%d"  # machine-readable outputs (CSV columns, the CLI's tables) and the default date format


def day_text(value: dt.date, date_format: str | None = ISO_DATE, locale: str | None = None) -> str:
    """A date in a sentence the user reads, in the user's date format (``users.date_format``, one of
    ``profile.DATE_FORMATS``; ISO when none is given): the one formatter of such dates, services
    (``profile.user_formats``) and pages (``ui.format.day``) alike. Machine-readable outputs stay ISO.
    With ``locale`` (``users.locale``) a month name ("%b") is the locale's own ("31 Dez. 2025" in de_DE,
    by Babel's CLDR data), never English in every language."""
    fmt = date_format or ISO_DATE
    if locale and "%b" in fmt:
        fmt = fmt.replace("%b", _month_name(value, "MMM", locale).replace("%", "%%"))
    try:
        return value.strftime(fmt)
    except (TypeError, ValueError):  # a stored format this version does not offer: ISO, never a crash
        return value.strftime(ISO_DATE)


def month_text(value: dt.date, locale: str | None = None) -> str:
    """A month and its year as the locale writes them ("December 2026", "Dezember 2026"; CLDR's yMMMM)."""
    return _month_name(value, "yMMMM", locale or "en_US", skeleton=True)


def month_short_text(value: dt.date, locale: str | None = None) -> str:
    """A month and its year, abbreviated as the locale writes them ("Dec 2026", "Dez. 2026"; CLDR's yMMM)."""
    return _month_name(value, "yMMM", locale or "en_US", skeleton=True)


def month_name(value: dt.date, locale: str | None = None) -> str:
    """The month's name alone as the locale writes it ("December", "Dezember"; CLDR's stand-alone LLLL)."""
    return _month_name(value, "LLLL", locale or "en_US")


@functools.lru_cache(maxsize=4096)  # Babel's pattern work, ~0.3 ms a call; charts and tables name the same months each rerun
def _month_name(value: dt.date, pattern: str, locale: str, *, skeleton: bool = False) -> str:
    from babel.core import UnknownLocaleError
    from babel.dates import format_date, format_skeleton

    for loc in (locale, "en_US"):
        try:
            return format_skeleton(pattern, value, locale=loc) if skeleton else format_date(value, pattern, locale=loc)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return value.strftime("%B %Y" if skeleton else "%b")


def today() -> dt.date:
    return dt.date.today()


def today_in(timezone: str | None) -> dt.date:
    """Today's date in the IANA ``timezone`` (the user's browser's, e.g. "Europe/Paris"); the
    server's date when it is missing or unknown."""
    if timezone:
        try:
            return dt.datetime.now(ZoneInfo(timezone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return today()


def max_transaction_date(reference: dt.date | None = None) -> dt.date:
    return (reference or today()) + dt.timedelta(days=MAX_FUTURE_DAYS)


def transaction_date_limits(reference: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest transaction date accepted: date pickers use these as their
    min/max and :func:`validate_transaction_date` refuses anything outside them."""
    return MIN_TRANSACTION_DATE, max_transaction_date(reference)


def parse_date(value: object, *, field: str = "date", missing_message: str = "Enter a date.") -> dt.date:
    """A date from a date, a datetime (its day) or ISO text; ValidationError naming ``field`` otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"{quoted(value)} is not a date (expected YYYY-MM-DD).", field=field) from None
    if not isinstance(value, dt.date):
        raise ValidationError(missing_message, field=field)
    return value


def validate_transaction_date(value: object, *, field: str = "date", reference: dt.date | None = None,
                              date_format: str | None = None, locale: str | None = None) -> dt.date:
    """A real calendar date within :func:`transaction_date_limits` (1950 to two years from now). A refusal
    writes its dates with :func:`day_text` in ``date_format`` and ``locale`` (ISO without them: the importer's
    row reasons, which name a file's values)."""
    earliest, latest = transaction_date_limits(reference)
    value = parse_date(
        value, field=field,
        missing_message=f"Enter a date: the date is empty or not one that can be accepted "
        f"(dates from {day_text(earliest, date_format, locale)} to {day_text(latest, date_format, locale)} are).",
    )
    if value < earliest:
        raise ValidationError(
            f"{day_text(value, date_format, locale)} is implausibly old "
            f"(dates before {MIN_TRANSACTION_DATE.year} are refused).",
            field=field,
        )
    if value > latest:
        raise ValidationError(
            f"{day_text(value, date_format, locale)} is too far in the future "
            f"(the latest accepted date is {day_text(latest, date_format, locale)}).",
            field=field,
        )
    return value


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day, 1) - dt.timedelta(days=1)
