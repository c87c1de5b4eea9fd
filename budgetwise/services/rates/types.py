"""Exchange rates: the constants, errors and result shapes, and the validation of one code, rate or day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal

from babel.numbers import format_decimal

from budgetwise.dates import ISO_DATE, day_text
from budgetwise.errors import (
    BudgetwiseError,
    ImportFileError,
    ValidationError,
)
from budgetwise.money import currency_codes, format_money
from budgetwise.names import quoted
from budgetwise.services import audit
from budgetwise.text import and_list, plural, plural_word

PIVOT = "EUR"  # the ECB publishes every rate against the euro; cross rates go through it
SOURCES = ("manual", "upload", "ecb")  # precedence on the same pair and date, first wins
_PRIORITY = {name: i for i, name in enumerate(SOURCES)}
MAX_STALENESS_DAYS = 7  # a rate older than this (before the transaction's date) counts as missing

MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_CSV_ROWS = 500_000
MAX_RATE = Decimal("1000000000")
MIN_RATE_DATE = dt.date(1950, 1, 1)
CSV_COLUMNS = ("date", "base", "quote", "rate")
# the listing (``rates list``, the page's download): the import format plus the source; with a user, plus
# whose each rate is ("own": that user's own; "shared": every user's, the ECB's and an administrator's)
LIST_COLUMNS = (*CSV_COLUMNS, "source")
WHOSE_COLUMN = "whose"
_INSERT_CHUNK = 5000

_CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)
_ONE = Decimal(1)
_CURRENCIES = frozenset(currency_codes())
_CODE = re.compile(r"^[A-Z]{3}$")
_RATE_TEXT = re.compile(r"^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$")
CLI_ACTOR_EMAIL = audit.CLI_ACTOR_EMAIL


class RatesUnavailable(BudgetwiseError):
    """The reference-rate source could not be reached or answered something unusable."""


class RatesFileError(ImportFileError):
    """A rates file was refused as a whole; ``problems`` lists every row-specific reason."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message, field="file")
        self.problems = tuple(problems)


# --------------------------------------------------------------------------- shapes
@dataclass(frozen=True)
class RateView:
    id: int
    date: dt.date
    base: str
    quote: str
    rate: Decimal
    source: str
    user_id: int | None = None  # the owner; None: shared by every user

    @property
    def shared(self) -> bool:
        return self.user_id is None


@dataclass(frozen=True)
class PairSummary:
    base: str
    quote: str
    count: int
    first_date: dt.date
    last_date: dt.date
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RatesChange:
    """What a write did: rows added, rows whose rate changed, rows already stored as given."""

    source: str
    added: int
    replaced: int
    unchanged: int
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    skipped: int = 0  # values the source marked as not available, or unknown currency codes

    @property
    def changed(self) -> int:
        return self.added + self.replaced


@dataclass(frozen=True)
class MissingRate:
    """Amounts in ``currency`` that could not be converted to ``target``: on which dates, how much."""

    currency: str
    target: str
    dates: tuple[dt.date, ...]
    count: int  # transactions (0 when only a budget amount or an account balance was concerned)
    amount_minor: int  # their total in ``currency`` (income and expenses alike; a balance with its sign)
    # Set by the converter that found them: the dates as ranges that are split only where a usable
    # rate exists in between (not at days without transactions), and whether no rate that could
    # convert ``currency`` to ``target`` is stored at all.
    spans: tuple[tuple[dt.date, dt.date], ...] | None = None
    none_stored: bool = False
    balances: int = 0  # account balances concerned (accounts, net worth, goals linked to an account)
    # The transactions' money in and money out apart (set by :func:`missing_rates`, which groups by kind;
    # session 26: "Amount left out ZAR243,990.08" beside a -ZAR206,855.04 balance added the two together).
    money_in_minor: int = 0
    money_out_minor: int = 0

    def __deepcopy__(self, memo: dict) -> MissingRate:
        """Itself: frozen, of tuples, dates and numbers. A report frame carries these in ``df.attrs``, which
        pandas deep-copies into every column and slice taken from it (session 14: hundreds of dates each
        time for a user with a year of unconvertible rows)."""
        return self

    @property
    def ranges(self) -> tuple[tuple[dt.date, dt.date], ...]:
        """The dates as ranges: :attr:`spans` when known; otherwise dates at most a week apart join
        (one rate a week would cover them)."""
        if self.spans is not None:
            return self.spans
        out: list[list[dt.date]] = []
        for day in self.dates:
            if out and (day - out[-1][1]).days <= MAX_STALENESS_DAYS:
                out[-1][1] = day
            else:
                out.append([day, day])
        return tuple((a, b) for a, b in out)

    def dates_text(self, limit: int = 4, date_format: str = ISO_DATE, locale: str | None = None) -> str:
        """The dates without a rate as ranges, in the user's ``date_format`` and ``locale``
        (:func:`budgetwise.dates.day_text`; ISO by default: the CLI and machine-readable texts)."""
        def _day(value: dt.date) -> str:
            return day_text(value, date_format, locale)

        parts = [_day(a) if a == b else f"{_day(a)} to {_day(b)}" for a, b in self.ranges]
        if len(parts) > limit:
            parts = parts[:limit] + [f"{len(parts) - limit} more {plural_word(len(parts) - limit, 'period')}"]
        return and_list(parts)

    def describe(self, locale: str = "en_US", date_format: str = ISO_DATE) -> str:
        amount = format_money(self.amount_minor, self.currency, locale)
        dates = self.dates_text(date_format=date_format, locale=locale)
        if self.count:
            # grouped as the user writes numbers: "1499 transactions" stood beside "1,734 transactions" (session 14)
            what = f"{plural(self.count, 'transaction', locale=locale or 'en_US')} ({amount})"
            verb = "are" if self.count != 1 else "is"
        elif self.balances == 1:
            what, verb = f"an account balance of {amount}", "is"
        elif self.balances:  # balances on several days or of several accounts: their sum means nothing
            what, verb = f"{format_decimal(self.balances, locale=locale)} account balances", "are"
        else:
            what, verb = f"a budget of {amount}", "is"
        if self.none_stored:
            return (
                f"No {self.currency} → {self.target} rate for {dates}: no {self.currency} → "
                f"{self.target} rates are stored at all, so {what} {verb} not included."
            )
        return (
            f"No {self.currency} → {self.target} rate for {dates}: "
            f"{what} {verb} not included."
        )


# --------------------------------------------------------------------------- validation
def _code(value: object, field: str) -> str:
    text = str(value or "").strip().upper()
    if not _CODE.match(text) or text not in _CURRENCIES:
        raise ValidationError(
            f"{quoted(str(value or '').strip())} is not an ISO 4217 currency code (for example USD, EUR, GBP).", field=field
        )
    return text


def parse_rate(value: object, *, field: str = "rate", locale: str | None = None) -> Decimal:
    """A positive exact decimal written with a dot ("1.0866"); no grouping, no float. With ``locale`` (a rate
    typed by a person: ``users.locale``) the text is read as that locale writes numbers, strictly (Babel's
    ``parse_decimal``): "1,25" is 1.25 for de_DE, and "1.25" is refused there with what was probably meant."""
    if isinstance(value, (bool, float)):
        raise ValidationError("Give the rate as text or a Decimal, not a float.", field=field)
    if isinstance(value, Decimal):
        number = value
        if not number.is_finite():
            raise ValidationError(f"{value} is not a rate.", field=field)
    else:
        text = str(value if value is not None else "").strip()
        if not text:
            raise ValidationError("The rate is empty.", field=field)
        if locale:
            number = _parse_localized_rate(text, locale, field)
        elif "," in text and "." not in text and re.fullmatch(r"[0-9]+,[0-9]+", text):
            raise ValidationError(
                f"{quoted(text)}: write the rate with a dot as the decimal separator (for example {text.replace(',', '.')}).",
                field=field,
            )
        elif not _RATE_TEXT.match(text):
            raise ValidationError(f"{quoted(text)} is not a rate (a positive number such as 1.0866).", field=field)
        else:
            number = Decimal(text)
    if number <= 0:
        raise ValidationError("The rate must be more than zero.", field=field)
    if number > MAX_RATE:
        raise ValidationError(f"The rate {number} is implausibly large.", field=field)
    text = format(number.normalize(), "f")
    if len(text) > 30:
        raise ValidationError(f"The rate {text} has too many digits (30 characters at most).", field=field)
    return Decimal(text)


def _parse_localized_rate(text: str, locale: str, field: str) -> Decimal:
    """``text`` as ``locale`` writes a number (digits, its decimal and grouping symbols), strictly."""
    from babel.core import Locale, UnknownLocaleError
    from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        loc = Locale.parse("en_US")
    decimal, group = get_decimal_symbol(loc), get_group_symbol(loc)
    example = f"1{decimal}0866"
    allowed = set("0123456789-") | {decimal, group} | ({" ", "\u00a0", "\u202f"} if group.isspace() else set())
    if text and set(text) <= allowed:
        try:
            return parse_decimal(text, locale=loc, strict=True)
        except NumberFormatError as exc:
            meant = [s for s in (exc.suggestions or []) if decimal in s]
            if meant:
                raise ValidationError(
                    f"{quoted(text)} is not a number as you write numbers ({quoted(decimal)} before the decimals): did you mean "
                    f"{meant[-1]}? For example {example}.", field=field,
                ) from None
    raise ValidationError(
        f"{quoted(text)} is not a rate: write a positive number with {quoted(decimal)} before the decimals, for example "
        f"{example}.", field=field,
    )


def rate_date_limits(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest date a rate may have (date pickers use these; :func:`add_rate` refuses others)."""
    return MIN_RATE_DATE, (today or dt.date.today()) + dt.timedelta(days=1)


def _parse_day(value: object, *, field: str = "date", today: dt.date | None = None, date_format: str = ISO_DATE,
               locale: str | None = None) -> dt.date:
    """A rate's date; the refusals write dates in ``date_format`` and ``locale`` (the user's, for a rate typed
    on the page; ISO for files and the command line)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            value = None
        if value is None:
            raise ValidationError(f"{quoted(text)} is not a date (expected YYYY-MM-DD).", field=field)
    if not isinstance(value, dt.date):
        raise ValidationError("Enter a date.", field=field)
    earliest, latest = rate_date_limits(today)
    def _day(day: dt.date) -> str:
        return day_text(day, date_format, locale)

    span = f"a rate's date is from {_day(earliest)} to {_day(latest)}"
    if value < earliest:
        raise ValidationError(f"{_day(value)} is implausibly old for a rate ({span}).", field=field)
    if value > latest:
        raise ValidationError(
            f"{_day(value)} is in the future: a rate can only be known for past days ({span}).", field=field
        )
    return value
