"""Exchange rates: the rates table, ECB reference rates, rates CSV import, manual entry, conversion.

A stored rate says ``1 base = rate quote`` on ``date`` (an exact decimal; see
:class:`budgetwise.models.ExchangeRate`). A rate has an owner (``user_id``):

* **shared** (``user_id`` NULL): the European Central Bank's reference rates fetched by
  anyone, and rates an administrator (or the command line) stores for everyone;
* **own**: a rate a user types or uploads applies to that user's figures only. Nobody
  else's conversion ever reads it, so one user can never change another user's numbers.

Every read is per user: a user's conversions, lists and missing-rate checks see the
shared rates plus their own (:class:`Converter` ``user_id``; without one, shared only).

Conversion (:class:`Converter`) turns an amount of currency C on day D into the
target currency T (the user's base currency) at **the latest rate on or before
D**, at most :data:`MAX_STALENESS_DAYS` old (weekends and bank holidays take the
previous business day's rate; an older rate counts as missing). The rate is the
freshest of: a direct C→T rate, the inverse of a T→C rate, or the cross rate
through EUR (C→EUR→T, each leg direct or inverse; its date is the older leg's).
On the same day the direct rate wins over the inverse, the inverse over the cross.
Several rates on the same pair and date: the user's own rates first (``manual`` before
``upload``), then the shared ones (``manual`` before ``upload`` before ``ecb``). So for its
owner, a rate they typed for a day wins over the ECB's rate for that day, fetched before or
after (they chose it, e.g. their bank's actual rate); for every other user it does not exist
and the official rate applies.

Arithmetic is exact ``Decimal`` (60 significant digits for the one division of
an inverse or cross rate), summed exactly and rounded half-even once, to the
target currency's minor units (:func:`budgetwise.money.to_minor_rounded`).
A missing rate is never replaced by 1: the amount is left out of the total and
reported by currency and dates (:class:`MissingRate`).

Who may change rates: any signed-in user may fetch the ECB reference rates (shared)
and may add, replace (``replace=True``) and delete their own rates. Shared rates other
than the ECB's are stored, replaced and deleted only by an administrator (``shared=True``)
or the command line. A change of shared rates bumps every user's data version (all cached
views must be recomputed); a change of own rates bumps the owner's only. Every change
(add, import, replace, delete, fetch) is written to the audit log, with whose rates they are.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from xml.etree import ElementTree

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from budgetwise import __version__
from budgetwise.errors import (
    BudgetwiseError,
    ConflictError,
    ImportFileError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from budgetwise.models import AuditLog, ExchangeRate, Transaction, User, utcnow
from budgetwise.money import currency_codes, format_money, from_minor, to_minor_rounded
from budgetwise.principal import Principal
from budgetwise.services.versions import touch_all_data, touch_data

PIVOT = "EUR"  # the ECB publishes every rate against the euro; cross rates go through it
SOURCES = ("manual", "upload", "ecb")  # precedence on the same pair and date, first wins
_PRIORITY = {name: i for i, name in enumerate(SOURCES)}
MAX_STALENESS_DAYS = 7  # a rate older than this (before the transaction's date) counts as missing

ECB_90_DAYS_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml"
ECB_HISTORY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
ECB_PERIODS = ("auto", "90d", "history")
FETCH_TIMEOUT = 10.0  # seconds for connecting and for each read
FETCH_DEADLINE = 60.0  # seconds for the whole download, whatever happens
MAX_DOWNLOAD_BYTES = 16 * 1024 * 1024
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_CSV_ROWS = 500_000
MAX_RATE = Decimal("1000000000")
MIN_RATE_DATE = dt.date(1950, 1, 1)
CSV_COLUMNS = ("date", "base", "quote", "rate")
_INSERT_CHUNK = 5000

_CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)
_ONE = Decimal(1)
_CURRENCIES = frozenset(currency_codes())
_CODE = re.compile(r"^[A-Z]{3}$")
_RATE_TEXT = re.compile(r"^[0-9]+(\.[0-9]+)?$|^\.[0-9]+$")
CLI_ACTOR_EMAIL = "cli@localhost"


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
    count: int  # transactions (0 when only a budget amount was concerned)
    amount_minor: int  # their total in ``currency`` (income and expenses alike)
    # Set by the converter that found them: the dates as ranges that are split only where a usable
    # rate exists in between (not at days without transactions), and whether no rate that could
    # convert ``currency`` to ``target`` is stored at all.
    spans: tuple[tuple[dt.date, dt.date], ...] | None = None
    none_stored: bool = False

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

    def dates_text(self, limit: int = 4) -> str:
        parts = [a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}" for a, b in self.ranges]
        if len(parts) > limit:
            parts = parts[:limit] + [f"{len(parts) - limit} more period{'s' if len(parts) - limit != 1 else ''}"]
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + " and " + parts[-1]

    def describe(self, locale: str = "en_US") -> str:
        amount = format_money(self.amount_minor, self.currency, locale)
        if self.count:
            what = f"{self.count} transaction{'s' if self.count != 1 else ''} ({amount})"
            verb = "are" if self.count != 1 else "is"
        else:
            what, verb = f"a budget of {amount}", "is"
        if self.none_stored:
            return (
                f"No {self.currency} → {self.target} rate for {self.dates_text()}: no {self.currency} → "
                f"{self.target} rates are stored at all, so {what} {verb} not included."
            )
        return (
            f"No {self.currency} → {self.target} rate for {self.dates_text()}: "
            f"{what} {verb} not included."
        )


# --------------------------------------------------------------------------- conversion
class Converter:
    """Converts amounts to ``target`` at each amount's own date's rate; remembers what it could not.

    Rates are read once for all the currencies and dates asked for (:meth:`prepare`),
    then looked up in memory (binary search per currency pair).
    """

    def __init__(
        self, session: Session, target: str, *, user_id: int | None = None, max_staleness_days: int = MAX_STALENESS_DAYS
    ) -> None:
        self.session = session
        self.user_id = user_id  # whose own rates may be used besides the shared ones (None: shared only)
        self.target = target.upper()
        self.max_staleness = int(max_staleness_days)
        self._series: dict[tuple[str, str], tuple[list[dt.date], list[Decimal]]] = {}
        self._loaded: tuple[frozenset[str], dt.date, dt.date] | None = None
        self._factors: dict[tuple[str, dt.date], tuple[Decimal, Decimal] | None] = {}
        self._missing: dict[tuple[str, dt.date], list[int]] = {}

    # -- loading
    def prepare(self, needs: Iterable[tuple[str, dt.date]]) -> None:
        """Read the rates that converting these (currency, date) pairs can use, in one query."""
        currencies: set[str] = set()
        lo = hi = None
        for currency, day in needs:
            if currency == self.target or day is None:
                continue
            currencies.add(currency)
            lo = day if lo is None or day < lo else lo
            hi = day if hi is None or day > hi else hi
        if not currencies:
            return
        if self._loaded is not None:
            names, a, b = self._loaded
            if currencies <= names and a <= lo and hi <= b:
                return
            currencies |= names
            lo, hi = min(lo, a), max(hi, b)
        self._load(frozenset(currencies), lo, hi)

    def _load(self, currencies: frozenset[str], lo: dt.date, hi: dt.date) -> None:
        names = sorted(currencies | {self.target, PIVOT})
        stmt = select(ExchangeRate.base, ExchangeRate.quote, ExchangeRate.date, ExchangeRate.rate, ExchangeRate.source).where(
            ExchangeRate.base.in_(names),
            ExchangeRate.quote.in_(names),
            ExchangeRate.date >= lo - dt.timedelta(days=self.max_staleness),
            ExchangeRate.date <= hi,
            visible_to(self.user_id),
        ).add_columns(ExchangeRate.user_id)
        best: dict[tuple[str, str, dt.date], tuple[int, Decimal]] = {}
        for base, quote, day, rate, source, owner in self.session.execute(stmt):
            if rate is None or rate <= 0:
                continue
            key = (base, quote, day)
            rank = _rank(source, owner)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, Decimal(rate))
        series: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for (base, quote, day), (_, rate) in best.items():
            series[(base, quote)].append((day, rate))
        self._series = {}
        for pair, items in series.items():
            items.sort()
            self._series[pair] = ([d for d, _ in items], [r for _, r in items])
        self._loaded = (currencies, lo, hi)
        self._factors.clear()

    # -- lookups
    def _latest(self, base: str, quote: str, day: dt.date) -> tuple[dt.date, Decimal] | None:
        found = self._series.get((base, quote))
        if not found:
            return None
        dates, values = found
        i = bisect.bisect_right(dates, day) - 1
        if i < 0 or (day - dates[i]).days > self.max_staleness:
            return None
        return dates[i], values[i]

    def _leg(self, a: str, b: str, day: dt.date) -> tuple[dt.date, Decimal, Decimal] | None:
        """(rate date, numerator, denominator) of a -> b: direct or inverse, the fresher (direct on a tie)."""
        if a == b:
            return day, _ONE, _ONE
        direct = self._latest(a, b, day)
        inverse = self._latest(b, a, day)
        if direct and (not inverse or direct[0] >= inverse[0]):
            return direct[0], direct[1], _ONE
        if inverse:
            return inverse[0], _ONE, inverse[1]
        return None

    def factor(self, currency: str, day: dt.date) -> tuple[Decimal, Decimal] | None:
        """(numerator, denominator): ``amount * numerator / denominator`` is the amount in the target."""
        currency = currency.upper()
        if currency == self.target:
            return _ONE, _ONE
        key = (currency, day)
        if key in self._factors:
            return self._factors[key]
        self.prepare([key])
        candidates = []
        leg = self._leg(currency, self.target, day)
        if leg:
            candidates.append(leg)
        if PIVOT not in (currency, self.target):
            first, second = self._leg(currency, PIVOT, day), self._leg(PIVOT, self.target, day)
            if first and second:
                candidates.append(
                    (min(first[0], second[0]), _CTX.multiply(first[1], second[1]), _CTX.multiply(first[2], second[2]))
                )
        result = None
        if candidates:
            best = max(candidates, key=lambda c: c[0])  # max keeps the first of equal dates: direct/inverse
            result = (best[1], best[2])
        self._factors[key] = result
        return result

    def rate(self, currency: str, day: dt.date) -> Decimal | None:
        """How many target units one unit of ``currency`` was worth on ``day`` (None: no usable rate)."""
        f = self.factor(currency, day)
        return None if f is None else _CTX.divide(f[0], f[1])

    def convert(self, minor: int, currency: str, day: dt.date) -> Decimal | None:
        """The exact value in target major units (not rounded), or None without a rate."""
        f = self.factor(currency, day)
        if f is None:
            return None
        major = from_minor(int(minor), currency)
        return _CTX.divide(_CTX.multiply(major, f[0]), f[1])

    def convert_minor(self, minor: int, currency: str, day: dt.date) -> int | None:
        """Rounded half-even to the target's minor units, or None without a rate."""
        if currency.upper() == self.target:
            return int(minor)
        value = self.convert(minor, currency, day)
        return None if value is None else to_minor_rounded(value, self.target)

    # -- what could not be converted
    def note_missing(self, currency: str, day: dt.date, minor: int, count: int = 1) -> None:
        acc = self._missing.setdefault((currency.upper(), day), [0, 0])
        acc[0] += abs(int(minor))
        acc[1] += int(count)

    @property
    def missing(self) -> tuple[MissingRate, ...]:
        by_currency: dict[str, list[tuple[dt.date, int, int]]] = defaultdict(list)
        for (currency, day), (minor, count) in self._missing.items():
            by_currency[currency].append((day, minor, count))
        out = []
        for currency in sorted(by_currency):
            items = sorted(by_currency[currency])
            dates = tuple(d for d, _, _ in items)
            none_stored = not self._any_rate_stored(currency)
            out.append(
                MissingRate(
                    currency=currency,
                    target=self.target,
                    dates=dates,
                    count=sum(c for _, _, c in items),
                    amount_minor=sum(m for _, m, _ in items),
                    spans=((dates[0], dates[-1]),) if none_stored else self._spans(currency, dates),
                    none_stored=none_stored,
                )
            )
        return tuple(out)

    def _spans(self, currency: str, dates: Sequence[dt.date]) -> tuple[tuple[dt.date, dt.date], ...]:
        """Missing dates joined into ranges, split only where a day in between has a usable rate
        (a gap of days without transactions is not a gap in the rates)."""
        stored = sorted({d for pair, (days, _) in self._series.items() if currency in pair or self.target in pair
                         for d in days})
        out: list[list[dt.date]] = []
        for day in dates:
            if out:
                prev = out[-1][1]
                lo, hi = bisect.bisect_right(stored, prev), bisect.bisect_left(stored, day)
                if not any(self.factor(currency, r) is not None for r in stored[lo:hi]):
                    out[-1][1] = day
                    continue
            out.append([day, day])
        return tuple((a, b) for a, b in out)

    def _any_rate_stored(self, currency: str) -> bool:
        """Whether any stored rate (any date) could convert ``currency`` to the target: directly,
        inversely, or through the euro (both legs stored)."""
        def pair(a: str, b: str) -> bool:
            if a == b:
                return True
            return self.session.scalar(
                select(ExchangeRate.date).where(
                    ((ExchangeRate.base == a) & (ExchangeRate.quote == b))
                    | ((ExchangeRate.base == b) & (ExchangeRate.quote == a)),
                    visible_to(self.user_id),  # never another user's own rates
                ).limit(1)
            ) is not None

        return pair(currency, self.target) or (pair(currency, PIVOT) and pair(PIVOT, self.target))


def visible_to(user_id: int | None):
    """The rates a user's figures may use: the shared ones and their own (None: shared only)."""
    if user_id is None:
        return ExchangeRate.user_id.is_(None)
    return or_(ExchangeRate.user_id.is_(None), ExchangeRate.user_id == int(user_id))


def _rank(source: str, owner: int | None) -> int:
    """Precedence on one pair and date, lowest first: own manual, own upload, then shared manual,
    upload, ecb (an owner's rate never reaches another user: see :func:`visible_to`)."""
    rank = _PRIORITY.get(source, len(SOURCES))
    return rank if owner is not None else len(SOURCES) + 1 + rank


def sum_converted(converter: Converter, rows: Iterable[tuple]) -> dict[tuple, tuple[int, int]]:
    """Totals per key in the converter's target currency.

    ``rows`` are ``(key, currency, date, amount_minor, count)``; rows in the target
    currency are added as they are (their date may be None), the others converted
    at their date's rate, summed exactly per key and rounded once. Rows without a
    rate are left out and noted in ``converter.missing``. Returns
    ``{key: (amount_minor, count)}`` (keys whose rows all lacked a rate are absent).
    """
    rows = list(rows)
    converter.prepare((r[1], r[2]) for r in rows if r[1] != converter.target)
    whole: dict[tuple, int] = defaultdict(int)
    counts: dict[tuple, int] = defaultdict(int)
    exact: dict[tuple, Decimal] = {}
    for key, currency, day, minor, count in rows:
        if currency == converter.target:
            whole[key] += int(minor)
            counts[key] += int(count)
            continue
        value = converter.convert(int(minor), currency, day) if day is not None else None
        if value is None:
            converter.note_missing(currency, day, minor, count)
            continue
        exact[key] = _CTX.add(exact.get(key, Decimal(0)), value)
        counts[key] += int(count)
    for key, value in exact.items():
        whole[key] += to_minor_rounded(value, converter.target)
    return {key: (whole[key], counts[key]) for key in counts.keys() | whole.keys()}


def user_currency(session: Session, user_id: int) -> str:
    currency = session.scalar(select(User.currency).where(User.id == user_id))
    if currency is None:
        raise NotFoundError("This account no longer exists.")
    return currency


def convert_each(
    session: Session, *, user_id: int, items: Sequence[tuple[str, dt.date, int]]
) -> list[int | None]:
    """Each ``(currency, date, amount_minor)`` in the user's base currency (None: no rate)."""
    conv = Converter(session, user_currency(session, user_id), user_id=user_id)
    conv.prepare((c, d) for c, d, _ in items)
    return [conv.convert_minor(m, c, d) for c, d, m in items]


def missing_rates(
    session: Session, *, user_id: int, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> tuple[MissingRate, ...]:
    """Which of the user's transactions (any kind, transfers too) cannot be converted to their base currency.

    Grouped in SQL by (currency, date); only those small groups are checked.
    """
    target = user_currency(session, user_id)
    stmt = (
        select(Transaction.currency, Transaction.date, func.sum(Transaction.amount_minor), func.count())
        .where(Transaction.user_id == user_id, Transaction.currency != target)
        .group_by(Transaction.currency, Transaction.date)
    )
    if date_from is not None:
        stmt = stmt.where(Transaction.date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Transaction.date <= date_to)
    rows = session.execute(stmt).all()
    conv = Converter(session, target, user_id=user_id)
    conv.prepare((c, d) for c, d, _, _ in rows)
    for currency, day, total, count in rows:
        if conv.factor(currency, day) is None:
            conv.note_missing(currency, day, int(total or 0), int(count or 0))
    return conv.missing


def foreign_currencies(session: Session, *, user_id: int) -> tuple[str, ...]:
    """The currencies of the user's transactions other than their base currency."""
    target = user_currency(session, user_id)
    return tuple(
        sorted(
            session.scalars(
                select(Transaction.currency)
                .where(Transaction.user_id == user_id, Transaction.currency != target)
                .distinct()
            )
        )
    )


# --------------------------------------------------------------------------- reading the table
def _view(row: ExchangeRate) -> RateView:
    return RateView(
        id=row.id, date=row.date, base=row.base, quote=row.quote, rate=Decimal(row.rate), source=row.source,
        user_id=row.user_id,
    )


def list_rates(
    session: Session,
    *,
    base: str | None = None,
    quote: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    source: str | None = None,
    limit: int = 200,
    offset: int = 0,
    user_id: int | None = None,
) -> tuple[list[RateView], int]:
    """Rates the user's figures may use (shared + their own; None: shared only), newest first,
    and how many match. Another user's own rates are never listed."""
    clauses = [visible_to(user_id)]
    if base:
        clauses.append(ExchangeRate.base == _code(base, "base"))
    if quote:
        clauses.append(ExchangeRate.quote == _code(quote, "quote"))
    if date_from is not None:
        clauses.append(ExchangeRate.date >= date_from)
    if date_to is not None:
        clauses.append(ExchangeRate.date <= date_to)
    if source:
        if source not in SOURCES:
            raise ValidationError(f"The source must be one of {', '.join(SOURCES)}.", field="source")
        clauses.append(ExchangeRate.source == source)
    total = int(session.scalar(select(func.count()).select_from(ExchangeRate).where(*clauses)) or 0)
    limit = max(1, min(int(limit), 1_000_000))
    rows = session.scalars(
        select(ExchangeRate)
        .where(*clauses)
        .order_by(ExchangeRate.date.desc(), ExchangeRate.base, ExchangeRate.quote, ExchangeRate.source, ExchangeRate.id)
        .limit(limit)
        .offset(max(0, int(offset)))
    )
    return [_view(r) for r in rows], total


def pair_summaries(session: Session, *, user_id: int | None = None) -> list[PairSummary]:
    """One line per currency pair the user's figures may use (shared + own): how many rates,
    from when to when, from which sources."""
    stmt = (
        select(
            ExchangeRate.base, ExchangeRate.quote, ExchangeRate.source, func.count(),
            func.min(ExchangeRate.date), func.max(ExchangeRate.date),
        )
        .where(visible_to(user_id))
        .group_by(ExchangeRate.base, ExchangeRate.quote, ExchangeRate.source)
    )
    acc: dict[tuple[str, str], list] = {}
    for base, quote, source, count, first, last in session.execute(stmt):
        item = acc.setdefault((base, quote), [0, first, last, set()])
        item[0] += int(count)
        item[1], item[2] = min(item[1], first), max(item[2], last)
        item[3].add(source)
    return [
        PairSummary(base, quote, n, first, last, tuple(s for s in SOURCES if s in sources))
        for (base, quote), (n, first, last, sources) in sorted(acc.items())
    ]


def latest_date(session: Session, *, source: str | None = None, user_id: int | None = None) -> dt.date | None:
    stmt = select(func.max(ExchangeRate.date)).where(visible_to(user_id))
    if source:
        stmt = stmt.where(ExchangeRate.source == source)
    return session.scalar(stmt)


def rates_frame_rows(rows: Iterable[RateView]) -> list[dict]:
    """Rows for a CSV export in the import format (date, base, quote, rate) plus the source."""
    return [
        {"date": r.date.isoformat(), "base": r.base, "quote": r.quote, "rate": format(r.rate, "f"), "source": r.source}
        for r in rows
    ]


# --------------------------------------------------------------------------- validation
def _code(value: object, field: str) -> str:
    text = str(value or "").strip().upper()
    if not _CODE.match(text) or text not in _CURRENCIES:
        raise ValidationError(
            f"{str(value or '').strip()!r} is not an ISO 4217 currency code (for example USD, EUR, GBP).", field=field
        )
    return text


def parse_rate(value: object, *, field: str = "rate") -> Decimal:
    """A positive exact decimal written with a dot ("1.0866"); no grouping, no float."""
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
        if "," in text and "." not in text and re.fullmatch(r"[0-9]+,[0-9]+", text):
            raise ValidationError(
                f"{text!r}: write the rate with a dot as the decimal separator (for example {text.replace(',', '.')}).",
                field=field,
            )
        if not _RATE_TEXT.match(text):
            raise ValidationError(f"{text!r} is not a rate (a positive number such as 1.0866).", field=field)
        number = Decimal(text)
    if number <= 0:
        raise ValidationError("The rate must be more than zero.", field=field)
    if number > MAX_RATE:
        raise ValidationError(f"The rate {number} is implausibly large.", field=field)
    text = format(number.normalize(), "f")
    if len(text) > 30:
        raise ValidationError(f"The rate {text} has too many digits (30 characters at most).", field=field)
    return Decimal(text)


def rate_date_limits(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest date a rate may have (date pickers use these; :func:`add_rate` refuses others)."""
    return MIN_RATE_DATE, (today or dt.date.today()) + dt.timedelta(days=1)


def _parse_day(value: object, *, field: str = "date", today: dt.date | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            value = None
        if value is None:
            raise ValidationError(f"{text!r} is not a date (expected YYYY-MM-DD).", field=field)
    if not isinstance(value, dt.date):
        raise ValidationError("Enter a date.", field=field)
    earliest, latest = rate_date_limits(today)
    if value < earliest:
        raise ValidationError(f"{value.isoformat()} is implausibly old for a rate.", field=field)
    if value > latest:
        raise ValidationError(f"{value.isoformat()} is in the future: a rate can only be known for past days.", field=field)
    return value


# --------------------------------------------------------------------------- writing
def _is_cli(principal: Principal) -> bool:
    return principal.user_id <= 0


def _audit(session: Session, principal: Principal, action: str, target: str, details: str) -> None:
    session.add(
        AuditLog(
            actor_id=None if _is_cli(principal) else principal.user_id,
            actor_email=CLI_ACTOR_EMAIL if _is_cli(principal) else principal.email,
            action=action,
            target=target[:300],
            details=details,
            created_at=utcnow(),
        )
    )


def rates_changed(session: Session, *, user_id: int | None = None) -> None:
    """Bump the data version of everyone whose figures may depend on the changed rates:
    every user for shared rates (``user_id`` None), else only the owner."""
    if user_id is None:
        touch_all_data(session)
    else:
        touch_data(session, int(user_id))


def _owner_label(session: Session, owner: int | None) -> str:
    if owner is None:
        return "shared by every user"
    email = session.scalar(select(User.email).where(User.id == owner))
    return f"own rates of {email or f'user {owner}'} only"


def _resolve_owner(session: Session, principal: Principal, *, shared: bool, user_id: int | None) -> int | None:
    """Whose rates a write stores: None (shared) or a user id.

    A signed-in user writes their own rates; ``shared=True`` needs an administrator. The command
    line (an administrator's operation) writes shared rates unless it names a user (``user_id``).
    """
    if _is_cli(principal):
        if user_id is None:
            return None
        if session.scalar(select(User.id).where(User.id == int(user_id))) is None:
            raise NotFoundError("This account no longer exists.")
        return int(user_id)
    if user_id is not None and int(user_id) != principal.user_id:
        raise PermissionDenied("You can only store exchange rates for yourself.")
    if shared:
        if not principal.is_admin:
            raise PermissionDenied("Only an administrator can store exchange rates shared by every user.")
        return None
    return principal.user_id


def _scope(owner: int | None):
    return ExchangeRate.user_id.is_(None) if owner is None else ExchangeRate.user_id == owner


def _existing(
    session: Session, keys: set[tuple[str, str, dt.date]], owner: int | None = None
) -> dict[tuple[str, str, dt.date], dict[str, tuple[int, Decimal]]]:
    """{(base, quote, date): {source: (id, rate)}} for the given keys among ``owner``'s rates
    (None: the shared ones), one query per pair."""
    by_pair: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for base, quote, day in keys:
        by_pair[(base, quote)].append(day)
    out: dict[tuple[str, str, dt.date], dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    for (base, quote), days in by_pair.items():
        stmt = select(ExchangeRate.id, ExchangeRate.date, ExchangeRate.rate, ExchangeRate.source).where(
            ExchangeRate.base == base, ExchangeRate.quote == quote,
            ExchangeRate.date >= min(days), ExchangeRate.date <= max(days), _scope(owner),
        )
        wanted = set(days)
        for rid, day, rate, source in session.execute(stmt):
            if day in wanted:
                out[(base, quote, day)][source] = (int(rid), Decimal(rate))
    return out


def _write(
    session: Session,
    principal: Principal,
    source: str,
    items: Sequence[tuple[str, dt.date, str, str, Decimal]],
    *,
    replace: bool,
    owner: int | None,
) -> RatesChange:
    """Store ``(label, date, base, quote, rate)`` items of one source for ``owner`` (None: shared),
    all or nothing.

    ``label`` names the item in messages ("Line 7"). Only rates of the same owner are compared:
    a user's own rate may differ from the shared one for the same day (it wins for them only).
    A pair and date that already has another rate of that owner is refused unless
    ``replace=True`` (which replaces the same source's rate). Replacing shared rates needs an
    administrator; anyone may replace their own.
    """
    if replace and owner is None and not principal.is_admin:
        raise PermissionDenied("Only an administrator can replace stored exchange rates.")
    existing = _existing(session, {(b, q, d) for _, d, b, q, _ in items}, owner)
    problems: list[str] = []
    to_insert: list[dict] = []
    to_update: list[tuple[int, Decimal]] = []
    unchanged = 0
    for label, day, base, quote, rate in items:
        stored = existing.get((base, quote, day), {})
        if any(value == rate for _, value in stored.values()):
            unchanged += 1
            continue
        own = stored.get(source)
        if stored and not replace:
            shown = ", ".join(f"{format(v, 'f')} ({s})" for s, (_, v) in sorted(stored.items()))
            if owner is not None:
                problems.append(
                    f"{label}: you already stored the rate {shown} for {base}/{quote} on {day.isoformat()}; "
                    "choose to replace existing rates to change it."
                )
            else:
                problems.append(
                    f"{label}: {base}/{quote} on {day.isoformat()} already has the rate {shown}; "
                    + ("choose to replace existing rates to change it." if principal.is_admin
                       else "only an administrator can change it.")
                )
            continue
        if own is not None:
            to_update.append((own[0], rate))
        else:
            to_insert.append({
                "date": day, "base": base, "quote": quote, "rate": rate, "source": source, "created_at": utcnow(),
                "user_id": owner,
            })
    if problems:
        raise RatesFileError(_problems_message(problems), problems)
    _store(session, to_insert, to_update)
    days = [d for _, d, _, _, _ in items]
    change = RatesChange(
        source=source, added=len(to_insert), replaced=len(to_update), unchanged=unchanged,
        first_date=min(days) if days else None, last_date=max(days) if days else None,
    )
    if change.changed:
        session.flush()
        rates_changed(session, user_id=owner)
        pairs = sorted({f"{b}/{q}" for _, _, b, q, _ in items})
        _audit(
            session, principal, f"rates.{source}", ", ".join(pairs)[:300],
            f"added {change.added}, replaced {change.replaced}, unchanged {change.unchanged}; "
            f"{change.first_date} to {change.last_date}; {_owner_label(session, owner)}",
        )
    return change


def delete_rate(session: Session, *, principal: Principal, rate_id: int) -> RateView:
    """Delete one rate: a user their own; a shared rate (the ECB's too) only an administrator.

    Another user's own rate is answered like a missing one (its existence is not revealed).
    """
    row = session.get(ExchangeRate, int(rate_id))
    if row is None or (row.user_id is not None and row.user_id != principal.user_id and not _is_cli(principal)):
        raise NotFoundError("This exchange rate does not exist (or is not yours).")
    if row.user_id is None and not principal.is_admin:
        raise PermissionDenied("Only an administrator can delete a rate shared by every user.")
    view = _view(row)
    owner = row.user_id
    session.execute(delete(ExchangeRate).where(ExchangeRate.id == view.id))
    session.flush()
    rates_changed(session, user_id=owner)
    _audit(
        session, principal, "rates.delete", f"{view.base}/{view.quote}",
        f"deleted the {view.source} rate {format(view.rate, 'f')} of {view.date}; {_owner_label(session, owner)}",
    )
    return view


def _store(session: Session, to_insert: list[dict], to_update: list[tuple[int, Decimal]]) -> None:
    """Bulk insert (chunks) and update; a concurrent writer of the same rates becomes a clear error."""
    try:
        for start in range(0, len(to_insert), _INSERT_CHUNK):
            session.execute(insert(ExchangeRate), to_insert[start : start + _INSERT_CHUNK])
        for rid, rate in to_update:
            session.execute(update(ExchangeRate).where(ExchangeRate.id == rid).values(rate=rate, created_at=utcnow()))
        session.flush()
    except IntegrityError:
        raise ConflictError(
            "Somebody stored some of these rates at the same moment: nothing was changed. Try again."
        ) from None


def _problems_message(problems: Sequence[str], limit: int = 10) -> str:
    head = "; ".join(problems[:limit])
    more = f" (and {len(problems) - limit} more problems)" if len(problems) > limit else ""
    n = len(problems)
    return f"Nothing was imported: {n} row{'s' if n != 1 else ''} cannot be used. {head}{more}"


def add_rate(
    session: Session,
    *,
    principal: Principal,
    date: object,
    base: str,
    quote: str,
    rate: object,
    replace: bool = False,
    today: dt.date | None = None,
    shared: bool = False,
    user_id: int | None = None,
) -> RatesChange:
    """Enter one rate by hand: ``1 base = rate quote`` on ``date`` (source ``manual``).

    The rate is the caller's own (it changes their figures only); ``shared=True`` (an
    administrator) stores it for every user; the command line stores shared rates, or
    ``user_id``'s own.
    """
    owner = _resolve_owner(session, principal, shared=shared, user_id=user_id)
    day = _parse_day(date, today=today)
    b, q = _code(base, "base"), _code(quote, "quote")
    if b == q:
        raise ValidationError(f"Both currencies are {b}: a rate needs two different currencies.", field="quote")
    value = parse_rate(rate)
    try:
        return _write(session, principal, "manual", [("This rate", day, b, q, value)], replace=replace, owner=owner)
    except RatesFileError as exc:
        raise ValidationError(exc.problems[0] if exc.problems else exc.message, field="rate") from None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        return text
    raise RatesFileError("The file is not UTF-8 text: save the rates CSV as UTF-8 and try again.")


def parse_rates_csv(data: bytes, *, today: dt.date | None = None) -> list[tuple[str, dt.date, str, str, Decimal]]:
    """Read a rates CSV (columns date, base, quote, rate; any order, more columns ignored).

    Every row is checked; any problem refuses the whole file with every row's reason
    (:class:`RatesFileError`). Returns ``(label, date, base, quote, rate)`` items.
    """
    if len(data) > MAX_CSV_BYTES:
        raise RatesFileError(f"The file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB.")
    text = _decode(bytes(data))
    if not text.strip():
        raise RatesFileError("The file is empty: it needs a header line (date,base,quote,rate) and rates.")
    first = text.splitlines()[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise RatesFileError(
            f"The header line must name the columns date, base, quote and rate; missing: {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'nothing'})."
        )
    index = {c: header.index(c) for c in CSV_COLUMNS}
    problems: list[str] = []
    items: list[tuple[str, dt.date, str, str, Decimal]] = []
    seen: dict[tuple[str, str, dt.date], tuple[int, Decimal]] = {}
    line = 1
    for row in reader:
        line += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(items) + len(problems) >= MAX_CSV_ROWS:
            raise RatesFileError(f"The file has more than {MAX_CSV_ROWS:,} rates: split it into smaller files.")
        label = f"Line {line}"
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
        errors = []
        try:
            day = _parse_day(cells["date"], today=today)
        except ValidationError as exc:
            errors.append(f"date: {exc.message}")
            day = None
        codes = {}
        for column in ("base", "quote"):
            try:
                codes[column] = _code(cells[column], column)
            except ValidationError as exc:
                errors.append(f"{column}: {exc.message}")
        try:
            rate = parse_rate(cells["rate"])
        except ValidationError as exc:
            errors.append(f"rate: {exc.message}")
            rate = None
        if len(codes) == 2 and codes["base"] == codes["quote"]:
            errors.append(f"base and quote are both {codes['base']}.")
        if not errors:
            key = (codes["base"], codes["quote"], day)
            earlier = seen.get(key)
            if earlier is not None:
                if earlier[1] != rate:
                    errors.append(
                        f"{key[0]}/{key[1]} on {day.isoformat()} is also on line {earlier[0]} with another rate "
                        f"({format(earlier[1], 'f')} there, {format(rate, 'f')} here)."
                    )
                else:
                    continue  # the same rate twice: harmless
            else:
                seen[key] = (line, rate)
        if errors:
            problems.append(f"{label}: " + "; ".join(errors))
        else:
            items.append((label, day, codes["base"], codes["quote"], rate))
    if problems:
        raise RatesFileError(_problems_message(problems), problems)
    if not items:
        raise RatesFileError("The file has a header but no rates.")
    return items


def import_rates_csv(
    session: Session,
    *,
    principal: Principal,
    data: bytes,
    replace: bool = False,
    today: dt.date | None = None,
    shared: bool = False,
    user_id: int | None = None,
) -> RatesChange:
    """Import a rates CSV (source ``upload``): every row valid or nothing is stored.

    Whose rates they become: as :func:`add_rate` (the caller's own; ``shared=True`` for an
    administrator; the command line: shared, or ``user_id``'s own).
    """
    owner = _resolve_owner(session, principal, shared=shared, user_id=user_id)
    items = parse_rates_csv(data, today=today)
    return _write(session, principal, "upload", items, replace=replace, owner=owner)


# --------------------------------------------------------------------------- the ECB
def parse_ecb_xml(data: bytes) -> list[tuple[dt.date, str, Decimal]]:
    """The ECB's eurofxref XML (daily or 90-day): ``(date, currency, rate)`` where 1 EUR = rate currency.

    ElementTree (expat >= 2.4 refuses entity-expansion bombs; external entities are never fetched).
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise RatesUnavailable(f"The ECB answer is not valid XML ({exc}).") from None
    out = []
    for cube in root.iter():
        if not cube.tag.endswith("Cube") or "time" not in cube.attrib:
            continue
        try:
            day = dt.date.fromisoformat(cube.attrib["time"])
        except ValueError:
            raise RatesUnavailable(f"The ECB answer has a day that is not a date: {cube.attrib['time']!r}.") from None
        for child in cube:
            currency, rate = child.attrib.get("currency", ""), child.attrib.get("rate", "")
            out.append((day, currency.strip().upper(), rate.strip()))
    return _ecb_values(out)


def parse_ecb_csv(text: str) -> list[tuple[dt.date, str, Decimal]]:
    """The ECB's eurofxref-hist.csv: a Date column, then one column per currency (N/A = none that day)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().upper() for h in next(reader)]
    except StopIteration:
        raise RatesUnavailable("The ECB rates file is empty.") from None
    if not header or header[0] != "DATE":
        raise RatesUnavailable("The ECB rates file does not start with a Date column.")
    out = []
    for row in reader:
        if not row or not row[0].strip():
            continue
        try:
            day = dt.date.fromisoformat(row[0].strip())
        except ValueError:
            raise RatesUnavailable(f"The ECB rates file has a day that is not a date: {row[0]!r}.") from None
        for currency, value in zip(header[1:], row[1:]):
            if currency:
                out.append((day, currency, value.strip()))
    return _ecb_values(out)


def _ecb_values(raw: list[tuple[dt.date, str, str]]) -> list[tuple[dt.date, str, Decimal]]:
    out = []
    for day, currency, value in raw:
        if not value or value.upper() in ("N/A", "NA", "-"):
            continue
        try:
            rate = parse_rate(value)
        except ValidationError:
            raise RatesUnavailable(f"The ECB rate for {currency} on {day.isoformat()} is not a number: {value!r}.") from None
        out.append((day, currency, rate))
    if not out:
        raise RatesUnavailable("The ECB answer holds no rates.")
    return out


def parse_ecb(data: bytes) -> list[tuple[dt.date, str, Decimal]]:
    """Any of the ECB's formats: the history zip, its CSV, or the XML files."""
    data = bytes(data)
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.infolist() if m.filename.lower().endswith((".csv", ".xml"))]
                if not members:
                    raise RatesUnavailable("The ECB zip file holds no CSV file.")
                member = members[0]
                if member.file_size > MAX_UNZIPPED_BYTES:
                    raise RatesUnavailable("The ECB zip file unpacks to an implausibly large file: refused.")
                with archive.open(member) as handle:
                    inner = handle.read(MAX_UNZIPPED_BYTES + 1)
        except zipfile.BadZipFile:
            raise RatesUnavailable("The ECB answer is not a valid zip file.") from None
        if len(inner) > MAX_UNZIPPED_BYTES:
            raise RatesUnavailable("The ECB zip file unpacks to an implausibly large file: refused.")
        return parse_ecb(inner)
    head = data.lstrip()[:1]
    if head == b"<":
        return parse_ecb_xml(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RatesUnavailable("The ECB answer is neither XML, CSV nor a zip file.") from None
    return parse_ecb_csv(text)


def ecb_url(period: str) -> str:
    """The ECB file for a period (``90d`` or ``history``); read at call time so tests can point it elsewhere."""
    if period == "history":
        return ECB_HISTORY_URL
    if period == "90d":
        return ECB_90_DAYS_URL
    raise ValidationError(f"Unknown ECB period {period!r}: use 90d or history.", field="period")


def download(
    url: str, *, timeout: float = FETCH_TIMEOUT, deadline: float = FETCH_DEADLINE, max_bytes: int = MAX_DOWNLOAD_BYTES
) -> bytes:
    """GET ``url`` with a per-operation timeout and an overall deadline; never hangs longer.

    The request runs on a daemon thread joined with the deadline, so even a name lookup
    that never returns (no network) or a server that trickles bytes cannot block the caller.
    """
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValidationError(f"{url!r} is not an http(s) address.", field="url")
    host = parsed.hostname
    outcome: dict[str, object] = {}
    started = time.monotonic()

    def work() -> None:
        try:
            outcome["data"] = _download(url, host, timeout=timeout, stop_at=started + deadline, max_bytes=max_bytes)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="budgetwise-rates-download", daemon=True)
    worker.start()
    worker.join(deadline + 1.0)
    if worker.is_alive():
        raise RatesUnavailable(
            f"{host} did not answer within {deadline:.0f} seconds. Try again later, or upload a rates CSV "
            "or enter the rates by hand."
        )
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["data"]  # type: ignore[return-value]


def _download(url: str, host: str, *, timeout: float, stop_at: float, max_bytes: int) -> bytes:
    offline_hint = " Upload a rates CSV or enter the rates by hand instead."
    request = urllib.request.Request(url, headers={"User-Agent": f"BudgetWise/{__version__} (exchange rates)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            chunks, size = [], 0
            while True:
                if time.monotonic() > stop_at:
                    raise RatesUnavailable(f"{host} is sending too slowly: the download was stopped.{offline_hint}")
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise RatesUnavailable(f"The answer from {host} is larger than {max_bytes // (1024 * 1024)} MB: refused.")
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        raise RatesUnavailable(f"{host} answered HTTP {exc.code} {exc.reason}.{offline_hint}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            text = f"Could not reach {host}: the name does not resolve (is this computer offline?)."
        elif isinstance(reason, (TimeoutError, socket.timeout)):
            text = f"{host} did not answer within {timeout:g} seconds."
        elif isinstance(reason, ConnectionRefusedError):
            text = f"{host} refused the connection."
        else:
            text = f"Could not reach {host} ({reason})."
        raise RatesUnavailable(text + offline_hint) from None
    except TimeoutError:
        raise RatesUnavailable(f"{host} did not answer within {timeout:g} seconds.{offline_hint}") from None
    except (ConnectionError, OSError) as exc:
        raise RatesUnavailable(f"The connection to {host} failed ({exc}).{offline_hint}") from None


def store_ecb(session: Session, *, principal: Principal, values: Sequence[tuple[dt.date, str, Decimal]]) -> RatesChange:
    """Store parsed ECB rates (EUR -> currency, source ``ecb``): new days added, revised values updated.

    Unknown currency codes are skipped (counted). Other sources' rates are never touched.
    """
    clean: dict[tuple[dt.date, str], Decimal] = {}
    skipped = 0
    for day, currency, rate in values:
        if currency not in _CURRENCIES or currency == PIVOT:
            skipped += 1
            continue
        clean[(day, currency)] = rate
    if not clean:
        raise RatesUnavailable("The ECB answer holds no usable rates.")
    days = [d for d, _ in clean]
    lo, hi = min(days), max(days)
    stored: dict[tuple[dt.date, str], tuple[int, Decimal]] = {}
    stmt = select(ExchangeRate.id, ExchangeRate.date, ExchangeRate.quote, ExchangeRate.rate).where(
        ExchangeRate.base == PIVOT, ExchangeRate.source == "ecb", ExchangeRate.date >= lo, ExchangeRate.date <= hi,
        ExchangeRate.user_id.is_(None),
    )
    for rid, day, quote, rate in session.execute(stmt):
        stored[(day, quote)] = (int(rid), Decimal(rate))
    now = utcnow()
    to_insert, to_update, unchanged = [], [], 0
    for (day, currency), rate in sorted(clean.items()):
        old = stored.get((day, currency))
        if old is None:
            to_insert.append({"date": day, "base": PIVOT, "quote": currency, "rate": rate, "source": "ecb", "created_at": now,
                              "user_id": None})
        elif old[1] != rate:
            to_update.append((old[0], rate))
        else:
            unchanged += 1
    _store(session, to_insert, to_update)
    change = RatesChange("ecb", len(to_insert), len(to_update), unchanged, lo, hi, skipped)
    if change.changed:
        session.flush()
        rates_changed(session)
        _audit(
            session, principal, "rates.ecb", "ECB reference rates",
            f"added {change.added}, updated {change.replaced}, unchanged {change.unchanged}; {lo} to {hi}; "
            "shared by every user",
        )
    return change


def ecb_period_needed(session: Session, *, user_id: int | None, today: dt.date | None = None) -> str:
    """``history`` when the user has rates missing from before the last 90 days (or no ECB rates are
    stored yet and they have older foreign transactions); else ``90d``."""
    today = today or dt.date.today()
    horizon = today - dt.timedelta(days=85)
    if user_id is None or user_id <= 0:
        return "90d" if latest_date(session, source="ecb") else "history"
    missing = missing_rates(session, user_id=user_id)
    if any(m.dates and m.dates[0] < horizon for m in missing):
        return "history"
    return "90d"


def fetch_ecb(
    session: Session,
    *,
    principal: Principal,
    period: str = "auto",
    url: str | None = None,
    timeout: float = FETCH_TIMEOUT,
    deadline: float = FETCH_DEADLINE,
    today: dt.date | None = None,
) -> RatesChange:
    """Download the ECB reference rates (the last 90 days, or the whole history since 1999) and store them.

    ``period`` ``auto`` takes the history only when the caller's transactions need rates older than
    90 days. Raises :class:`RatesUnavailable` with a plain reason when the ECB cannot be reached.
    """
    if period not in ECB_PERIODS:
        raise ValidationError(f"Unknown period {period!r}: use one of {', '.join(ECB_PERIODS)}.", field="period")
    if period == "auto":
        period = ecb_period_needed(session, user_id=principal.user_id, today=today)
    data = download(url or ecb_url(period), timeout=timeout, deadline=deadline)
    return store_ecb(session, principal=principal, values=parse_ecb(data))


__all__ = [
    "CSV_COLUMNS", "ECB_PERIODS", "MAX_STALENESS_DAYS", "PIVOT", "SOURCES", "Converter", "MissingRate", "PairSummary",
    "RateView", "RatesChange", "RatesFileError", "RatesUnavailable", "add_rate", "convert_each", "delete_rate", "download",
    "ecb_period_needed", "fetch_ecb", "foreign_currencies", "import_rates_csv", "latest_date", "list_rates",
    "missing_rates", "pair_summaries", "rate_date_limits", "parse_ecb", "parse_ecb_csv", "parse_ecb_xml", "parse_rate", "parse_rates_csv",
    "rates_changed", "store_ecb", "sum_converted", "user_currency", "visible_to",
]
