"""Reports: where the money goes, how it changes, what is unusual, what recurs.

Every figure comes from SQL ``GROUP BY`` queries on the indexed columns of
``transactions`` (``(user_id, date)`` and ``(user_id, category_id, date)``); only
the small grouped results are shaped in Python/pandas. Month buckets are a
dialect-aware ``'YYYY-MM'`` key (``substr`` on SQLite and MariaDB/MySQL,
``to_char`` on PostgreSQL, rendered without bound parameters so GROUP BY matches
the select list on PostgreSQL); weeks and years are bucketed in Python from
per-day or per-month groups.

Rules that hold everywhere here:

* transfers (categories of kind ``transfer``) never count as income or spending;
* sums are exact integers of minor units in the user's base currency
  (``User.currency``). Rows in the base currency are summed in SQL; rows in
  other currencies are grouped in SQL by (currency, date) as well and each small
  group is converted at its own date's rate (:mod:`budgetwise.services.rates`:
  nearest earlier business day, exact decimals, one half-even rounding per
  figure). Amounts without a usable rate are left out and reported
  (``Summary.missing_rates``, ``DataFrame.attrs["missing_rates"]``), never
  counted at 1:1;
* every query filters by ``user_id``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from sqlalchemy import Float, and_, case, cast, func, literal_column, or_, select
from sqlalchemy.orm import Session

from budgetwise.dates import add_months, month_end, month_start
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import Category, Transaction, User
from budgetwise.money import format_money, from_minor
from budgetwise.services import rates
from budgetwise.services.categories import visible_categories_clause
from budgetwise.text import clean_text

UNCATEGORIZED = "Uncategorized"
UNCATEGORIZED_COLOR = "#9e9e9e"

# --------------------------------------------------------------------------- periods
PERIOD_PRESETS: dict[str, str] = {
    "this_month": "This month",
    "last_month": "Last month",
    "last_3_months": "Last 3 months",
    "last_6_months": "Last 6 months",
    "last_12_months": "Last 12 months",
    "year_to_date": "Year to date",
    "custom": "Custom",
}


def preset_range(
    preset: str,
    *,
    today: dt.date | None = None,
    custom_from: dt.date | None = None,
    custom_to: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """The inclusive date range of a period preset.

    "Last N months" is the current month so far plus the N-1 months before it,
    so it always includes today and starts on the first of a month.
    """
    today = today or dt.date.today()
    if preset == "this_month":
        return month_start(today), today
    if preset == "last_month":
        first = add_months(today, -1)
        return first, month_end(first)
    if preset in ("last_3_months", "last_6_months", "last_12_months"):
        months = int(preset.split("_")[1])
        return add_months(today, -(months - 1)), today
    if preset == "year_to_date":
        return dt.date(today.year, 1, 1), today
    if preset == "custom":
        if custom_from is None or custom_to is None:
            raise ValidationError("Choose both a start and an end date for a custom period.", field="period")
        if custom_from > custom_to:
            raise ValidationError(
                f"The period starts ({custom_from.isoformat()}) after it ends ({custom_to.isoformat()}).",
                field="period",
            )
        return custom_from, custom_to
    raise ValidationError(f"Unknown period {preset!r}.", field="period")


def previous_period(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The period just before, of the same shape.

    A period from 1 January within one year (year to date) is compared with the same dates
    a year earlier. Another period starting on the first of a month is compared with the same number of
    calendar months before it, up to the same day of the month (this month so far
    vs last month up to the same day); any other period with the same number of
    days just before it.
    """
    if date_from > date_to:
        raise ValidationError("The period starts after it ends.", field="period")
    if (date_from.month, date_from.day) == (1, 1) and date_to.year == date_from.year:
        # year to date (or any part of a year from 1 January): the same dates a year earlier
        return date_from - relativedelta(years=1), date_to - relativedelta(years=1)
    if date_from.day == 1:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        prev_from = add_months(date_from, -months)
        prev_to = date_to - relativedelta(months=months)
        if date_to == month_end(date_to):
            prev_to = month_end(prev_to)
        return prev_from, prev_to
    days = (date_to - date_from).days + 1
    return date_from - dt.timedelta(days=days), date_from - dt.timedelta(days=1)


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """Parse ``2025-01..2025-06`` (months), ``2025-01`` (one month), ``2025`` (a year) or
    ``2025-01-15..2025-02-10`` (days) into an inclusive date range."""

    def one(part: str, *, end: bool) -> dt.date:
        part = part.strip()
        try:
            if len(part) == 4 and part.isdigit():
                return dt.date(int(part), 12, 31) if end else dt.date(int(part), 1, 1)
            if len(part) == 7:
                first = dt.date.fromisoformat(part + "-01")
                return month_end(first) if end else first
            return dt.date.fromisoformat(part)
        except ValueError:
            raise ValidationError(
                f"{part!r} is not a month (YYYY-MM), a day (YYYY-MM-DD) or a year (YYYY).", field="period"
            ) from None

    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Give a period such as 2025-01..2025-06.", field="period")
    if ".." in raw:
        left, _, right = raw.partition("..")
        start, end = one(left, end=False), one(right, end=True)
    else:
        start, end = one(raw, end=False), one(raw, end=True)
    if start > end:
        raise ValidationError(f"The period {raw!r} starts after it ends.", field="period")
    return start, end


def months_between(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """First days of every month touched by the inclusive range."""
    out, month = [], month_start(date_from)
    while month <= date_to:
        out.append(month)
        month = add_months(month, 1)
    return out


# --------------------------------------------------------------------------- filters & scope
@dataclass(frozen=True)
class ReportFilter:
    """Filters shared by every report. Dates are inclusive; ``None`` = unbounded."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    category_ids: tuple[int, ...] = ()
    uncategorized: bool = False  # with category_ids: also uncategorized rows; alone: only them
    kind: str | None = None  # income / expense / None = both
    text: str = ""

    def with_dates(self, date_from: dt.date | None, date_to: dt.date | None) -> ReportFilter:
        return ReportFilter(date_from, date_to, self.category_ids, self.uncategorized, self.kind, self.text)


@dataclass(frozen=True)
class _Scope:
    user_id: int
    currency: str
    locale: str
    week_start: int
    dialect: str
    transfer_ids: tuple[int, ...]
    categories: dict  # id -> (name, color, kind) for the categories the user can see
    fx: rates.Converter | None = field(default=None, compare=False, repr=False)  # to the user's currency
    formatted: dict = field(default_factory=dict, compare=False, repr=False)  # (minor, currency) -> text

    @property
    def missing_rates(self) -> tuple[rates.MissingRate, ...]:
        return self.fx.missing if self.fx is not None else ()

    def money(self, minor: int, currency: str | None = None) -> str:
        key = (int(minor), currency or self.currency)
        text = self.formatted.get(key)
        if text is None:  # Babel's formatting is slow; reasons repeat the same typical amounts
            text = self.formatted[key] = format_money(key[0], key[1], self.locale)
        return text

    def category_name(self, category_id: int | None) -> str:
        if category_id is None:
            return UNCATEGORIZED
        return self.categories.get(category_id, (f"Category {category_id}",))[0]

    def category_color(self, category_id: int | None) -> str:
        if category_id is None:
            return UNCATEGORIZED_COLOR
        info = self.categories.get(category_id)
        return info[1] if info else UNCATEGORIZED_COLOR


def _scope(session: Session, user_id: int) -> _Scope:
    row = _run(session, 
        select(User.currency, User.locale, User.week_start).where(User.id == user_id)
    ).first()
    if row is None:
        raise NotFoundError("This account no longer exists.")
    cats = {
        cid: (name, color, kind)
        for cid, name, color, kind in _run(session, 
            select(Category.id, Category.name, Category.color, Category.kind).where(visible_categories_clause(user_id))
        )
    }
    transfer_ids = tuple(sorted(cid for cid, info in cats.items() if info[2] == "transfer"))
    return _Scope(
        user_id=user_id,
        currency=row[0],
        locale=row[1],
        week_start=int(row[2] or 0),
        dialect=session.get_bind().dialect.name,
        transfer_ids=transfer_ids,
        categories=cats,
        fx=rates.Converter(session, row[0], user_id=user_id),
    )


def _validate_kind(kind: str | None) -> str | None:
    if kind in (None, "", "all", "both"):
        return None
    value = str(kind).strip().lower()
    if value not in ("income", "expense"):
        raise ValidationError("The type must be income, expense or both.", field="type")
    return value


def _not_transfer(scope: _Scope):
    if not scope.transfer_ids:
        return Transaction.user_id == scope.user_id  # always true here; keeps the clause list uniform
    return or_(Transaction.category_id.is_(None), Transaction.category_id.not_in(scope.transfer_ids))


def _text_clause(text: str):
    value = clean_text(text)[:100].lower()
    if not value:
        return None
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        func.lower(Transaction.description).like(pattern, escape="\\"),
        Transaction.merchant.like(pattern, escape="\\"),
        func.lower(Transaction.notes).like(pattern, escape="\\"),
    )


def _where(
    scope: _Scope,
    flt: ReportFilter,
    *,
    kind: str | None = "filter",
    currency: bool = True,
    dates: bool = True,
    text: bool = True,
    categories: bool = True,
) -> list:
    """The WHERE clauses for one user's non-transfer transactions under ``flt``."""
    clauses = [Transaction.user_id == scope.user_id, _not_transfer(scope)]
    if currency:
        clauses.append(Transaction.currency == scope.currency)
    if dates and flt.date_from is not None:
        clauses.append(Transaction.date >= flt.date_from)
    if dates and flt.date_to is not None:
        clauses.append(Transaction.date <= flt.date_to)
    wanted_kind = _validate_kind(flt.kind) if kind == "filter" else kind
    if wanted_kind:
        clauses.append(Transaction.kind == wanted_kind)
    if categories:
        ids = tuple(int(i) for i in flt.category_ids)
        if ids and flt.uncategorized:
            clauses.append(or_(Transaction.category_id.in_(ids), Transaction.category_id.is_(None)))
        elif ids:
            clauses.append(Transaction.category_id.in_(ids))
        elif flt.uncategorized:
            clauses.append(Transaction.category_id.is_(None))
    if text:
        clause = _text_clause(flt.text)
        if clause is not None:
            clauses.append(clause)
    return clauses


def _merchant_window(scope: _Scope, flt: ReportFilter) -> list:
    """The date range of a per-merchant scan, written so SQLite reads the merchant index.

    With a plain ``date >= ?`` SQLite prefers the date-ordered covering index and then
    sorts every row by merchant; comparing ``COALESCE(date, date)`` (the same value; date
    is never NULL) leaves it the merchant-ordered index, which needs no sort.
    """
    column = func.coalesce(Transaction.date, Transaction.date) if scope.dialect == "sqlite" else Transaction.date
    out = []
    if flt.date_from is not None:
        out.append(column >= flt.date_from)
    if flt.date_to is not None:
        out.append(column <= flt.date_to)
    return out


def _month_key(scope: _Scope):
    """'YYYY-MM' of Transaction.date, without bound parameters (GROUP BY must match on PostgreSQL)."""
    if scope.dialect == "postgresql":
        return func.to_char(Transaction.date, literal_column("'YYYY-MM'"))
    # SQLite stores dates as 'YYYY-MM-DD' text; MariaDB/MySQL convert a DATE to that text.
    return func.substr(Transaction.date, literal_column("1"), literal_column("7"))


def _key_to_month(key: object) -> dt.date:
    text = key.decode() if isinstance(key, bytes) else str(key)
    return dt.date(int(text[:4]), int(text[5:7]), 1)


def merchant_expr():
    """The merchant key, or the lower-cased description when no key was stored (reports, forecasts)."""
    return func.coalesce(func.nullif(Transaction.merchant, literal_column("''")), func.lower(Transaction.description))


def _run(session: Session, stmt):
    """Execute a Core select on the session's connection.

    Skips the ORM result layer (these queries return plain tuples, never
    entities), which matters when a report reads tens of thousands of grouped
    rows; pending ORM changes are flushed first, as ``Session.execute`` would.
    """
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(stmt)


def _plain_rows(session: Session, stmt) -> list[tuple]:
    """All rows as plain tuples straight from the DB-API cursor.

    No Row objects and no result type processing: only for columns every driver already
    returns as Python ints and strings (ids, amounts, text). About twice as fast as
    ``Result.all()`` for the tens of thousands of rows some reports read.
    """
    result = _run(session, stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _as_date(value: object) -> dt.date:
    """A date column read raw: SQLite gives 'YYYY-MM-DD' text, other drivers a date."""
    if isinstance(value, dt.date):
        return value if type(value) is dt.date else value.date()  # type: ignore[union-attr]
    text = value.decode() if isinstance(value, bytes) else str(value)
    return dt.date.fromisoformat(text[:10])


def _int(value: object) -> int:
    return int(value or 0)


def _currency_literal(scope: _Scope):
    """The user's currency as SQL text (no bound parameter: GROUP BY must match the select list)."""
    if not re.fullmatch(r"[A-Z]{3}", scope.currency or ""):
        raise ValidationError(f"{scope.currency!r} is not a currency code.", field="currency")
    return literal_column(f"'{scope.currency}'")


def _fx_date(scope: _Scope):
    """Transaction.date for rows in another currency than the user's, NULL for the user's own rows.

    Grouping by it keeps one group per key for base-currency rows and one per
    (currency, day) for the others, which are then converted at that day's rate.
    """
    return case((Transaction.currency != _currency_literal(scope), Transaction.date), else_=None)


def _converted(
    session: Session,
    scope: _Scope,
    where: list,
    keys: Sequence = (),
    *,
    time: str | None = None,
    currencies: set[str] | None = None,
) -> dict[tuple, tuple[int, int]]:
    """SUM(amount_minor) and COUNT per ``keys`` (plus a ``day`` / ``month`` bucket) in the user's currency.

    One grouped query: base-currency rows are summed in SQL; other currencies come
    back grouped by (currency, date) and are converted here. ``where`` must not
    restrict the currency. Returns ``{(*key values[, bucket]): (amount_minor, count)}``;
    the currencies other than the user's that were present are added to ``currencies``.
    """
    if time not in (None, "day", "month"):
        raise ValueError(f"time must be None, 'day' or 'month', not {time!r}")
    if time is not None and all(k.key == "kind" for k in keys):
        # few groups per day: read the index in order and add the days up here
        return _converted_by_day(session, scope, where, keys, month=time == "month", currencies=currencies)
    # many groups per day (per category): one group per month is cheaper, sorting included
    tcol = None
    if time == "month":
        tcol = _month_key(scope).label("k")
    elif time == "day":
        tcol = Transaction.date
    fx_day = _fx_date(scope).label("fx_day")
    group = [*keys, *([tcol] if tcol is not None else []), Transaction.currency, fx_day]
    stmt = select(*group, func.sum(Transaction.amount_minor), func.count()).where(*where).group_by(*group)
    n = len(keys)
    rows = []
    for row in _run(session, stmt):
        key = tuple(row[:n])
        if tcol is not None:
            key += (_key_to_month(row[n]) if time == "month" else row[n],)
        currency, day, total, count = row[-4], row[-3], row[-2], row[-1]
        if currencies is not None and currency != scope.currency:
            currencies.add(currency)
        rows.append((key, currency, day, _int(total), _int(count)))
    return rates.sum_converted(scope.fx, rows)


_KIND_CLAUSES = {k: Transaction.kind == k for k in ("income", "expense")}


def _converted_by_day(
    session: Session, scope: _Scope, where: list, keys: Sequence, *, month: bool, currencies: set[str] | None
) -> dict[tuple, tuple[int, int]]:
    """:func:`_converted` per day or month (``keys``: none or the type), months summed here.

    Grouping by (date, kind, currency) follows ix_transactions_report_cover, so the
    rows are read in index order with no sort: on SQLite 2-3x faster than grouping by a
    month expression, which sorts every row.

    A filter on the type is applied here rather than in SQL: with ``kind = 'expense'`` in
    the WHERE clause SQLite stops reading the index in GROUP BY order and sorts instead.
    """
    kind_only = None
    sql_where = []
    for clause in where:
        for kind, probe in _KIND_CLAUSES.items():
            if clause.compare(probe):
                kind_only = kind
                break
        else:
            sql_where.append(clause)
    with_kind = bool(keys)  # keys are () or (Transaction.kind,)
    stmt = (
        select(Transaction.date, Transaction.kind, Transaction.currency,
               func.sum(Transaction.amount_minor), func.count())
        .where(*sql_where)
        .group_by(Transaction.date, Transaction.kind, Transaction.currency)
    )
    base = scope.currency
    buckets: dict[object, dt.date] = {}
    totals: dict[tuple, int] = defaultdict(int)
    counts: dict[tuple, int] = defaultdict(int)
    foreign = []
    # plain rows: the date as the driver gives it (SQLite: 'YYYY-MM-DD' text), no Row objects
    for raw, kind, currency, total, count in _plain_rows(session, stmt):
        if kind_only is not None and kind != kind_only:
            continue
        bucket = buckets.get(raw)
        if bucket is None:
            day = _as_date(raw)
            bucket = buckets[raw] = dt.date(day.year, day.month, 1) if month else day
        key = (kind, bucket) if with_kind else (bucket,)
        if currency == base:
            totals[key] += int(total)
            counts[key] += int(count)
        else:
            foreign.append((key, currency, _as_date(raw), int(total), int(count)))
            if currencies is not None:
                currencies.add(currency)
    out = {key: (totals[key], counts[key]) for key in counts}
    for key, (total, count) in rates.sum_converted(scope.fx, foreign).items():
        old_total, old_count = out.get(key, (0, 0))
        out[key] = (old_total + total, old_count + count)
    return out


def _has_foreign(session: Session, scope: _Scope, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Whether the user has any transaction in another currency in the range (an index-only probe)."""
    stmt = select(Transaction.id).where(Transaction.user_id == scope.user_id, Transaction.currency != scope.currency)
    if date_from is not None:
        stmt = stmt.where(Transaction.date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Transaction.date <= date_to)
    return _run(session, stmt.limit(1)).first() is not None


def _with_missing(df: pd.DataFrame, scope: _Scope) -> pd.DataFrame:
    """Attach what could not be converted (``df.attrs["missing_rates"]``; kept by pickling/caching)."""
    df.attrs["missing_rates"] = scope.missing_rates
    return df


def _pct(new: int, old: int) -> float | None:
    if not old:
        return None
    return (new - old) / abs(old) * 100.0


def _round_div(numerator: int, denominator: int) -> int:
    """Exact integer division rounded half-even (average of minor units)."""
    if denominator == 0:
        return 0
    return int((Decimal(int(numerator)) / Decimal(int(denominator))).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


# --------------------------------------------------------------------------- summary & KPIs
@dataclass(frozen=True)
class Summary:
    currency: str
    date_from: dt.date | None
    date_to: dt.date | None
    income_minor: int
    expense_minor: int
    count: int
    other_currencies: tuple[str, ...] = ()  # currencies present besides ``currency`` (converted when rates allow)
    missing_rates: tuple[rates.MissingRate, ...] = ()  # what could not be converted (left out of the sums)

    @property
    def net_minor(self) -> int:
        return self.income_minor - self.expense_minor

    @property
    def savings_rate(self) -> float | None:
        """Net savings as a percentage of income (None without income)."""
        if self.income_minor <= 0:
            return None
        return self.net_minor / self.income_minor * 100.0


@dataclass(frozen=True)
class Kpis:
    current: Summary
    previous: Summary

    def change(self, metric: str) -> int:
        return int(getattr(self.current, metric)) - int(getattr(self.previous, metric))

    def change_pct(self, metric: str) -> float | None:
        return _pct(int(getattr(self.current, metric)), int(getattr(self.previous, metric)))

    @property
    def savings_rate_change(self) -> float | None:
        if self.current.savings_rate is None or self.previous.savings_rate is None:
            return None
        return self.current.savings_rate - self.previous.savings_rate


def summary(session: Session, *, user_id: int, filters: ReportFilter | None = None) -> Summary:
    """Income, expenses, net and count for the filters (transfers excluded)."""
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    return _summary(session, scope, flt)


def _summary(session: Session, scope: _Scope, flt: ReportFilter) -> Summary:
    others: set[str] = set()
    fx = rates.Converter(session, scope.currency, user_id=scope.user_id)  # own converter: the missing rates of this period only
    sums = _converted(session, replace(scope, fx=fx), _where(scope, flt, currency=False), [Transaction.kind], currencies=others)
    income, n_income = sums.get(("income",), (0, 0))
    expense, n_expense = sums.get(("expense",), (0, 0))
    count = n_income + n_expense
    return Summary(
        currency=scope.currency,
        date_from=flt.date_from,
        date_to=flt.date_to,
        income_minor=income,
        expense_minor=expense,
        count=count,
        other_currencies=tuple(sorted(others)),
        missing_rates=fx.missing,
    )


def kpis(session: Session, *, user_id: int, filters: ReportFilter) -> Kpis:
    """The period's summary and the previous period's (see :func:`previous_period`)."""
    if filters.date_from is None or filters.date_to is None:
        raise ValidationError("Choose a period to compare.", field="period")
    scope = _scope(session, user_id)
    prev_from, prev_to = previous_period(filters.date_from, filters.date_to)
    return Kpis(
        current=_summary(session, scope, filters),
        previous=_summary(session, scope, filters.with_dates(prev_from, prev_to)),
    )


def has_transactions(session: Session, *, user_id: int) -> bool:
    """Whether the user has any transaction at all (an indexed EXISTS)."""
    return session.scalar(select(Transaction.id).where(Transaction.user_id == user_id).limit(1)) is not None


def data_range(session: Session, *, user_id: int) -> tuple[dt.date | None, dt.date | None]:
    """First and last transaction date (index-only MIN/MAX on (user_id, date))."""
    row = _run(session, 
        select(func.min(Transaction.date), func.max(Transaction.date)).where(Transaction.user_id == user_id)
    ).first()
    return (row[0], row[1]) if row else (None, None)


# --------------------------------------------------------------------------- by period
FREQUENCIES = ("day", "week", "month", "year")


def _week_start(day: dt.date, week_start: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def _bucket(day: dt.date, freq: str, week_start: int) -> dt.date:
    if freq == "day":
        return day
    if freq == "week":
        return _week_start(day, week_start)
    if freq == "month":
        return day.replace(day=1)
    return dt.date(day.year, 1, 1)


def _step(day: dt.date, freq: str) -> dt.date:
    if freq == "day":
        return day + dt.timedelta(days=1)
    if freq == "week":
        return day + dt.timedelta(days=7)
    if freq == "month":
        return add_months(day, 1)
    return dt.date(day.year + 1, 1, 1)


def _label(day: dt.date, freq: str) -> str:
    if freq == "month":
        return day.strftime("%Y-%m")
    if freq == "year":
        return str(day.year)
    if freq == "week":
        return f"Week of {day.isoformat()}"
    return day.isoformat()


def _buckets(first: dt.date, last: dt.date, freq: str, week_start: int) -> list[dt.date]:
    out, cur = [], _bucket(first, freq, week_start)
    end = _bucket(last, freq, week_start)
    while cur <= end:
        out.append(cur)
        cur = _step(cur, freq)
    return out


def _grouped_by_kind(session: Session, scope: _Scope, flt: ReportFilter, freq: str) -> dict[tuple[dt.date, str], tuple[int, int]]:
    """{(bucket, kind): (amount, count)} in the user's currency (other currencies converted)."""
    sums = _converted(
        session, scope, _where(scope, flt, currency=False), [Transaction.kind],
        time="month" if freq in ("month", "year") else "day",
    )
    out: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0])
    for (kind, day), (total, cnt) in sums.items():
        acc = out[(_bucket(day, freq, scope.week_start), kind)]
        acc[0] += total
        acc[1] += cnt
    return {k: (v[0], v[1]) for k, v in out.items()}


def by_period(
    session: Session,
    *,
    user_id: int,
    filters: ReportFilter | None = None,
    freq: str = "month",
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Income, expenses, net savings and savings rate per day/week/month/year.

    Columns: period (date: first day of the bucket), label, income_minor,
    expense_minor, net_minor, savings_rate (percent of income, NaN without
    income), count, so_far. Buckets without transactions are present with zeros
    between the period's ends (or the first and last transaction when unbounded).
    ``so_far`` is True for the bucket that holds ``today`` (default: the real today)
    and is not over yet: charts and tables must not present it as a whole month.
    """
    today = today or dt.date.today()
    if freq not in FREQUENCIES:
        raise ValidationError(f"Unknown frequency {freq!r}: use one of {', '.join(FREQUENCIES)}.", field="freq")
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    grouped = _grouped_by_kind(session, scope, flt, freq)
    columns = ["period", "label", "income_minor", "expense_minor", "net_minor", "savings_rate", "count", "so_far"]
    if not grouped and (flt.date_from is None or flt.date_to is None):
        return _with_missing(_typed(pd.DataFrame(columns=columns)), scope)
    days = [k[0] for k in grouped]
    first = flt.date_from or min(days)
    last = flt.date_to or max(days)
    if freq == "day" and (last - first).days > 3700:
        raise ValidationError("Daily figures are limited to ten years: choose a shorter period.", field="period")
    rows = []
    for bucket in _buckets(first, last, freq, scope.week_start):
        inc, inc_n = grouped.get((bucket, "income"), (0, 0))
        exp, exp_n = grouped.get((bucket, "expense"), (0, 0))
        rows.append(
            {
                "period": bucket,
                "label": _label(bucket, freq),
                "income_minor": inc,
                "expense_minor": exp,
                "net_minor": inc - exp,
                "savings_rate": (inc - exp) / inc * 100.0 if inc > 0 else math.nan,
                "count": inc_n + exp_n,
                "so_far": freq != "day" and bucket <= today < _step(bucket, freq),
            }
        )
    return _with_missing(_typed(pd.DataFrame.from_records(rows, columns=columns)), scope)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    for column in df.columns:
        if column.endswith("_minor") or column in ("count", "months", "history"):
            df[column] = df[column].astype("int64")
        elif column in ("share", "savings_rate") or column.endswith("_pct"):
            df[column] = df[column].astype("float64")
        elif column == "so_far":
            df[column] = df[column].astype(bool)
    return df


def monthly_totals(
    session: Session,
    *,
    user_id: int,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str = "expense",
    category_id: int | None = None,
) -> pd.DataFrame:
    """A monthly series for charts and the forecaster.

    Columns: month (``datetime.date``, first of the month) and amount_minor (int64),
    in the user's currency (others converted), transfers excluded. ``kind`` is ``expense``, ``income``
    or ``net`` (income minus expenses). Months without transactions are present
    with 0 from the first to the last month (the months of ``date_from`` /
    ``date_to`` when given, else of the first / last transaction). No data and an
    open range give an empty frame.
    """
    if kind not in ("expense", "income", "net"):
        raise ValidationError("kind must be expense, income or net.", field="kind")
    scope = _scope(session, user_id)
    flt = ReportFilter(
        date_from=date_from,
        date_to=date_to,
        category_ids=(int(category_id),) if category_id is not None else (),
        kind=None if kind == "net" else kind,
    )
    sums = _converted(session, scope, _where(scope, flt, currency=False), [Transaction.kind], time="month")
    totals: dict[dt.date, int] = defaultdict(int)
    for (row_kind, month), (total, _) in sums.items():
        sign = -1 if (kind == "net" and row_kind == "expense") else 1
        totals[month] += sign * total
    if not totals and (date_from is None or date_to is None):
        empty = pd.DataFrame({"month": pd.Series([], dtype=object), "amount_minor": pd.Series([], dtype="int64")})
        return _with_missing(empty, scope)
    first = month_start(date_from) if date_from else min(totals)
    last = month_start(date_to) if date_to else max(totals)
    months = months_between(first, last)
    frame = pd.DataFrame(
        {
            "month": pd.Series(months, dtype=object),
            "amount_minor": pd.Series([totals.get(m, 0) for m in months], dtype="int64"),
        }
    )
    return _with_missing(frame, scope)


# --------------------------------------------------------------------------- by category
def by_category(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Totals and counts per category, largest first.

    Columns: category_id (None = uncategorized), category, color, amount_minor,
    count, average_minor (per transaction), share (percent of the total).
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    sums = _converted(session, scope, _where(scope, flt, kind=kind, currency=False), [Transaction.category_id])
    rows = [(cid, total, cnt) for (cid,), (total, cnt) in sums.items()]
    grand = sum(r[1] for r in rows)
    records = [
        {
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "amount_minor": total,
            "count": cnt,
            "average_minor": _round_div(total, cnt),
            "share": total / grand * 100.0 if grand else 0.0,
        }
        for cid, total, cnt in rows
    ]
    records.sort(key=lambda r: (-r["amount_minor"], r["category"]))
    columns = ["category_id", "category", "color", "amount_minor", "count", "average_minor", "share"]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    return _with_missing(_typed(df), scope)


def _category_months(session: Session, scope: _Scope, flt: ReportFilter, kind: str) -> dict[tuple[int | None, dt.date], int]:
    sums = _converted(session, scope, _where(scope, flt, kind=kind, currency=False), [Transaction.category_id], time="month")
    return {(cid, month): total for (cid, month), (total, _) in sums.items()}


def category_trend(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Spending (or income) per category per month, long format with zero months filled.

    Columns: month, category_id, category, color, amount_minor. Categories are
    ordered by their total, largest first.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    cells = _category_months(session, scope, flt, kind)
    columns = ["month", "category_id", "category", "color", "amount_minor"]
    if not cells:
        return _with_missing(_typed(pd.DataFrame(columns=columns)), scope)
    months = months_between(flt.date_from or min(m for _, m in cells), flt.date_to or max(m for _, m in cells))
    totals: dict[int | None, int] = defaultdict(int)
    for (cid, _), amount in cells.items():
        totals[cid] += amount
    order = sorted(totals, key=lambda c: (-totals[c], scope.category_name(c)))
    records = [
        {
            "month": m,
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "amount_minor": cells.get((cid, m), 0),
        }
        for cid in order
        for m in months
    ]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    return _with_missing(_typed(df), scope)


def trend_wide(trend: pd.DataFrame) -> pd.DataFrame:
    """:func:`category_trend` as one row per category and one ``YYYY-MM_minor`` column per month."""
    if trend.empty:
        return pd.DataFrame(columns=["category"])
    months = sorted(set(trend["month"]))
    order = list(dict.fromkeys(trend["category"]))
    cells = {(c, m): int(a) for c, m, a in zip(trend["category"], trend["month"], trend["amount_minor"])}
    records = [{"category": c, **{f"{m.strftime('%Y-%m')}_minor": cells.get((c, m), 0) for m in months}} for c in order]
    return pd.DataFrame.from_records(records)


def _months_in(flt: ReportFilter, data_first: dt.date | None, data_last: dt.date | None) -> int:
    first = flt.date_from or data_first
    last = flt.date_to or data_last
    if first is None or last is None or first > last:
        return 0
    return len(months_between(first, last))


def average_monthly_by_category(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Average monthly spending per category over the period (months without spending count as 0).

    Columns: category_id, category, color, total_minor, months, average_minor, share.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    cells = _category_months(session, scope, flt, kind)
    totals: dict[int | None, int] = defaultdict(int)
    for (cid, _), amount in cells.items():
        totals[cid] += amount
    rows = [(cid, total, None, None) for cid, total in totals.items()]
    columns = ["category_id", "category", "color", "total_minor", "months", "average_minor", "share"]
    if not rows:
        return _with_missing(_typed(pd.DataFrame(columns=columns)), scope)
    months = _months_in(flt, min(m for _, m in cells), max(m for _, m in cells))
    grand = sum(_int(r[1]) for r in rows)
    records = [
        {
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "total_minor": _int(total),
            "months": months,
            "average_minor": _round_div(_int(total), months),
            "share": _int(total) / grand * 100.0 if grand else 0.0,
        }
        for cid, total, _, _ in rows
    ]
    records.sort(key=lambda r: (-r["total_minor"], r["category"]))
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    return _with_missing(_typed(df), scope)


# --------------------------------------------------------------------------- merchants
def top_merchants(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense", limit: int = 10
) -> pd.DataFrame:
    """The merchants with the most spending (``Transaction.merchant``; the description when empty).

    Columns: merchant, example (one full description), count, amount_minor,
    average_minor, share (percent of the kind's total), last_date.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    limit = max(1, min(int(limit), 500))
    where = _where(scope, flt, kind=kind, currency=False)
    # Grouped by merchant (and by (currency, day) for other currencies, converted here);
    # ranked in Python: amounts in several currencies cannot be ordered in SQL. Rows with a
    # merchant key are read from the covering index alone; the few without one are grouped
    # by their description. The example is the latest transaction's description, read for
    # the merchants shown only.
    fx_day = _fx_date(scope).label("fx_day")
    groups = []
    details: dict[str, tuple[int, dt.date]] = {}
    for key, blank in ((Transaction.merchant, Transaction.merchant != ""),
                       (func.lower(Transaction.description), Transaction.merchant == "")):
        stmt = (
            select(key.label("m"), Transaction.currency, fx_day, func.sum(Transaction.amount_minor), func.count(),
                   func.max(Transaction.id), func.max(Transaction.date))
            .where(*where, blank)
            .group_by(key, Transaction.currency, fx_day)
        )
        for m, cur, day, amount, cnt, last_id, last in _run(session, stmt):
            groups.append(((m,), cur, day, _int(amount), _int(cnt)))
            seen = details.get(m)
            if seen is None or (last, last_id) > (seen[1], seen[0]):
                details[m] = (int(last_id), last)
    sums = rates.sum_converted(scope.fx, groups)
    total = sum(amount for amount, _ in sums.values())
    ranked = sorted(sums.items(), key=lambda item: (-item[1][0], item[0][0] or ""))[:limit]
    example_ids = [details[m][0] for (m,), _ in ranked if m in details]
    examples = dict(_run(session, select(Transaction.id, Transaction.description).where(
        Transaction.user_id == scope.user_id, Transaction.id.in_(example_ids))).all()) if example_ids else {}
    records = [
        {
            "merchant": m or "(no description)",
            "example": examples.get(details[m][0], "") if m in details else "",
            "count": cnt,
            "amount_minor": amt,
            "average_minor": _round_div(amt, cnt),
            "share": amt / total * 100.0 if total else 0.0,
            "last_date": details.get(m, ("", None))[1],
        }
        for (m,), (amt, cnt) in ranked
    ]
    columns = ["merchant", "example", "count", "amount_minor", "average_minor", "share", "last_date"]
    return _with_missing(_typed(pd.DataFrame.from_records(records, columns=columns)), scope)


# --------------------------------------------------------------------------- month-over-month / year-over-year
def changes(
    session: Session,
    *,
    user_id: int,
    month: dt.date,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Month-over-month and year-over-year change for one month.

    Rows: Income, Expenses, Net savings, then each expense category (largest this
    month first). Columns: item, this_month_minor, previous_month_minor,
    mom_change_minor, mom_change_pct, last_year_minor, yoy_change_minor,
    yoy_change_pct (percent; NaN when the base is zero). The category, type and
    text filters apply; the dates come from ``month``.

    The month that is still running (``today`` falls in it) is compared like for like:
    its days so far with the same days of the month before and of the year before
    (1-21 November with 1-21 October). ``df.attrs["through_day"]`` is then that day of
    the month, else None.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    today = today or dt.date.today()
    this = month_start(month)
    prev = add_months(this, -1)
    last_year = add_months(this, -12)
    through = today.day if (this == month_start(today) and today < month_end(this)) else None
    keys = [Transaction.kind, Transaction.category_id]
    if through is None:
        where = _where(scope, flt.with_dates(last_year, month_end(this)), currency=False)
        monthly = list(_converted(session, scope, where, keys, time="month").items())
    else:  # the first ``through`` days of each of the three months
        monthly = []
        for m in (this, prev, last_year):
            days = flt.with_dates(m, min(m + dt.timedelta(days=through - 1), month_end(m)))
            monthly += [((kind, cid, m), value) for (kind, cid), value in
                        _converted(session, scope, _where(scope, days, currency=False), keys).items()]
    kinds: dict[tuple[str, dt.date], int] = defaultdict(int)
    cats: dict[tuple[int | None, dt.date], int] = defaultdict(int)
    for (kind, cid, m), (total, _) in monthly:
        if m not in (this, prev, last_year):
            continue
        kinds[(kind, m)] += total
        if kind == "expense":
            cats[(cid, m)] += total

    def line(item: str, values: tuple[int, int, int]) -> dict:
        cur, before, year_ago = values
        mom, yoy = _pct(cur, before), _pct(cur, year_ago)
        return {
            "item": item,
            "this_month_minor": cur,
            "previous_month_minor": before,
            "mom_change_minor": cur - before,
            "mom_change_pct": math.nan if mom is None else mom,
            "last_year_minor": year_ago,
            "yoy_change_minor": cur - year_ago,
            "yoy_change_pct": math.nan if yoy is None else yoy,
        }

    def trio(getter) -> tuple[int, int, int]:
        return getter(this), getter(prev), getter(last_year)

    records = [
        line("Income", trio(lambda m: kinds[("income", m)])),
        line("Expenses", trio(lambda m: kinds[("expense", m)])),
        line("Net savings", trio(lambda m: kinds[("income", m)] - kinds[("expense", m)])),
    ]
    cat_ids = sorted({cid for cid, _ in cats}, key=lambda c: (-cats.get((c, this), 0), scope.category_name(c)))
    for cid in cat_ids:
        records.append(line(scope.category_name(cid), trio(lambda m, c=cid: cats.get((c, m), 0))))
    columns = [
        "item", "this_month_minor", "previous_month_minor", "mom_change_minor", "mom_change_pct",
        "last_year_minor", "yoy_change_minor", "yoy_change_pct",
    ]
    df = _with_missing(_typed(pd.DataFrame.from_records(records, columns=columns)), scope)
    df.attrs["through_day"] = through
    return df


# --------------------------------------------------------------------------- robust statistics
MAD_TO_SIGMA = 1.4826  # MAD of a normal distribution times this = its standard deviation
MERCHANT_MIN_HISTORY = 4  # with this many expenses at a merchant, its own range counts too


def robust_center_scale(values: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """Median and MAD-based scale (comparable to a standard deviation) of ``values``.

    With a zero MAD (more than half the values equal) the mean absolute deviation
    scaled by 1.2533 is used instead (Iglewicz & Hoaglin).
    """
    if weights is not None:
        values = np.repeat(values, weights.astype(int))
    if values.size == 0:
        return 0.0, 0.0
    median = float(np.median(values))
    deviations = np.abs(values - median)
    scale = float(np.median(deviations)) * MAD_TO_SIGMA
    if scale == 0.0:
        scale = float(np.mean(deviations)) * 1.2533
    return median, scale


# --------------------------------------------------------------------------- unusual transactions
@dataclass(frozen=True)
class UnusualTransaction:
    transaction_id: int
    date: dt.date
    description: str
    category_id: int | None
    category_name: str
    amount_minor: int
    currency: str
    typical_minor: int  # median of the category's recent expenses
    threshold_minor: int  # amounts at or above this were flagged
    history_count: int  # how many expenses the typical value is based on
    score: float  # robust z-score (how many robust standard deviations above typical)
    reason: str
    original_minor: int | None = None  # the amount as entered, when in another currency
    original_currency: str | None = None


def _default_window(flt: ReportFilter, today: dt.date | None, days: int) -> tuple[dt.date, dt.date]:
    end = flt.date_to or today or dt.date.today()
    start = flt.date_from or (end - dt.timedelta(days=days - 1))
    return start, end


def unusual_transactions(
    session: Session,
    *,
    user_id: int,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
    baseline_days: int = 365,
    min_history: int = 8,
    threshold: float = 3.5,
    limit: int = 100,
) -> list[UnusualTransaction]:
    """Expenses that are outliers for their category.

    For each category the baseline is its expenses in the ``baseline_days``
    before the end of the period: median and a MAD-based robust scale. A
    category needs ``min_history`` expenses before anything in it is judged. An
    expense is unusual when it is more than ``threshold`` robust standard
    deviations above the median (the scale is floored at 10% of the median so a
    category of near-identical amounts does not flag cents). The period defaults
    to the last 90 days.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    start, end = _default_window(flt, today, 90)
    base_flt = ReportFilter(
        date_from=min(start, end - dt.timedelta(days=baseline_days)),
        date_to=end,
        category_ids=flt.category_ids,
        uncategorized=flt.uncategorized,
    )
    # One scan of the baseline's expenses, (category, merchant, amount) each: both the
    # category's and the merchant's statistics come from it. Read as they are, not grouped
    # in SQL: amounts rarely repeat, and grouping would sort every row for nothing.
    # Expenses in other currencies join the baseline at their converted amounts (each at
    # its day's rate).
    merchant = Transaction.merchant
    other = _currency_literal(scope)
    foreign = []
    # the user's own currency (nearly every row): three columns straight from the index
    raw = _plain_rows(session, select(Transaction.category_id, merchant, Transaction.amount_minor).where(
        *_where(scope, base_flt, kind="expense", text=False)))
    cols = list(zip(*raw)) or [(), (), ()]
    cid_arr = np.asarray(cols[0], dtype=object)
    merchants = np.asarray(cols[1], dtype=object)
    amounts = np.asarray(cols[2], dtype=float)
    if _has_foreign(session, scope, base_flt.date_from, base_flt.date_to):
        stmt = (
            select(Transaction.category_id, merchant, Transaction.amount_minor, Transaction.currency, Transaction.date)
            .where(*_where(scope, base_flt, kind="expense", text=False, currency=False), Transaction.currency != other)
        )
        foreign = [(cid, m, int(amount), cur, _as_date(day), 1) for cid, m, amount, cur, day in _plain_rows(session, stmt)]
    scope.fx.prepare((cur, day) for _, _, _, cur, day, _ in foreign)
    converted = []
    for cid, m, amount, cur, day, cnt in foreign:
        value = scope.fx.convert_minor(amount, cur, day)
        if value is None:
            scope.fx.note_missing(cur, day, amount * cnt, cnt)
        elif value > 0:
            converted.append((cid, m, float(value)))
    if converted:
        extra = list(zip(*converted))
        cid_arr = np.concatenate([cid_arr, np.asarray(extra[0], dtype=object)])
        merchants = np.concatenate([merchants, np.asarray(extra[1], dtype=object)])
        amounts = np.concatenate([amounts, np.asarray(extra[2], dtype=float)])
    if not len(amounts):
        return []
    counts = np.ones(len(amounts), dtype=np.int64)
    # row positions per category (ids are positive: -1 stands for uncategorized)
    cid_codes = np.where(pd.isna(cid_arr), -1, cid_arr).astype(np.int64)
    uniq, inverse = np.unique(cid_codes, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    parts = np.split(order, np.flatnonzero(np.diff(inverse[order])) + 1)
    by_category = {(None if uniq[inverse[p[0]]] == -1 else int(uniq[inverse[p[0]]])): p for p in parts}

    stats: dict[int | None, tuple[float, float, int, int]] = {}
    for cid, idx in by_category.items():
        n = int(counts[idx].sum())
        if n < min_history:
            continue
        median, scale = robust_center_scale(amounts[idx], counts[idx])
        scale = max(scale, 0.1 * median, 1.0)
        stats[cid] = (median, scale, n, int(math.ceil(median + threshold * scale)))
    if not stats:
        return []
    candidates = []
    for cid, (_, _, _, limit_minor) in stats.items():
        cat_clause = Transaction.category_id.is_(None) if cid is None else Transaction.category_id == cid
        candidates.append(and_(cat_clause, Transaction.amount_minor >= limit_minor))
    period = flt.with_dates(start, end)
    stmt = (
        select(Transaction.id, Transaction.date, Transaction.description, Transaction.category_id,
               Transaction.amount_minor, merchant)
        .where(*_where(scope, period, kind="expense"), or_(*candidates))
        .order_by(Transaction.amount_minor.desc(), Transaction.id)
        .limit(1000)
    )
    found = [(*row, None, None) for row in _run(session, stmt).all()]
    if any(day >= start for _, _, _, _, day, _ in foreign):
        fstmt = (
            select(Transaction.id, Transaction.date, Transaction.description, Transaction.category_id,
                   Transaction.amount_minor, merchant, Transaction.currency)
            .where(*_where(scope, period, kind="expense", currency=False), Transaction.currency != other)
            .order_by(Transaction.date.desc(), Transaction.id)
            .limit(20000)
        )
        for tid, day, desc, cid, amount, m, cur in _run(session, fstmt).all():
            if cid not in stats:
                continue
            value = scope.fx.convert_minor(int(amount), cur, day)
            if value is not None and value >= stats[cid][3]:
                found.append((tid, day, desc, cid, value, m, int(amount), cur))
    if not found:
        return []
    # An amount that is normal for its merchant is not unusual (a gym membership among
    # cheap streaming subscriptions, a winter electricity bill among flat-rate bills):
    # with at least MERCHANT_MIN_HISTORY baseline expenses at the merchant, the amount
    # must be an outlier for the merchant as well.
    wanted = {row[5] for row in found if row[5]}
    by_merchant: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(merchants.tolist()):
        if m in wanted:
            by_merchant[m].append(i)
    merchant_limits: dict[str, float] = {}
    for m, idx in by_merchant.items():
        if int(counts[idx].sum()) >= MERCHANT_MIN_HISTORY:
            m_median, m_scale = robust_center_scale(amounts[idx], counts[idx])
            merchant_limits[m] = m_median + threshold * max(m_scale, 0.1 * m_median, 1.0)
    out: list[UnusualTransaction] = []
    for tid, day, desc, cid, amount, m, original, original_cur in found:
        if m in merchant_limits and amount < merchant_limits[m]:
            continue
        if cid not in stats:
            continue
        median, scale, n, limit_minor = stats[cid]
        typical = int(round(median))
        score = (int(amount) - median) / scale
        name = scope.category_name(cid)
        ratio = int(amount) / median if median else math.inf
        times = f"{ratio:.1f}× the typical" if math.isfinite(ratio) else "far above the typical"
        shown = scope.money(amount)
        if original_cur:
            shown += f" ({format_money(original, original_cur, scope.locale)})"
        reason = (
            f"{shown} is {times} {name} expense ({scope.money(typical)}, the median of "
            f"{n} expenses in the last {baseline_days} days); amounts from {scope.money(limit_minor)} are unusual."
        )
        out.append(
            UnusualTransaction(
                transaction_id=int(tid), date=day, description=desc, category_id=cid, category_name=name,
                amount_minor=int(amount), currency=scope.currency, typical_minor=typical, threshold_minor=limit_minor,
                history_count=n, score=round(score, 2), reason=reason,
                original_minor=original, original_currency=original_cur,
            )
        )
    out.sort(key=lambda u: (-u.score, u.date, u.transaction_id))
    return out[: max(1, int(limit))]


# --------------------------------------------------------------------------- spending spikes
@dataclass(frozen=True)
class SpendingSpike:
    month: dt.date
    category_id: int | None  # None with is_total: all spending
    category_name: str
    amount_minor: int
    typical_minor: int  # median of the previous months
    history_months: int
    score: float
    is_total: bool
    reason: str


def spending_spikes(
    session: Session,
    *,
    user_id: int,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
    history_months: int = 12,
    min_history: int = 6,
    threshold: float = 3.5,
) -> list[SpendingSpike]:
    """Months in the period where a category's (or total) spending jumped.

    Each month is compared with the up to ``history_months`` months before it
    (months since the first transaction, zero where nothing was spent); at least
    ``min_history`` such months are needed. A spike is more than ``threshold``
    robust standard deviations above the median, at least 1.5× the median, and at
    least 5% of the typical monthly total spending (so small categories do not
    raise noise). The period defaults to the last 3 months.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    today = today or dt.date.today()
    if flt.date_from is None and flt.date_to is None:
        start, end = add_months(today, -2), today
    else:
        start, end = _default_window(flt, today, 90)
    first_data, _ = data_range(session, user_id=user_id)
    if first_data is None:
        return []
    window = ReportFilter(
        date_from=max(add_months(start, -history_months), month_start(first_data)),
        date_to=end,
        category_ids=flt.category_ids,
        uncategorized=flt.uncategorized,
        text=flt.text,
    )
    cells = _category_months(session, scope, window, "expense")
    months_all = months_between(window.date_from, end)
    totals = {m: 0 for m in months_all}
    by_cat: dict[int | None, dict[dt.date, int]] = defaultdict(dict)
    for (cid, m), amount in cells.items():
        by_cat[cid][m] = amount
        totals[m] = totals.get(m, 0) + amount
    out: list[SpendingSpike] = []
    targets = [m for m in months_between(start, end)]

    def judge(series: dict[dt.date, int], name: str, cid: int | None, is_total: bool, materiality: float) -> None:
        for m in targets:
            history = [series.get(h, 0) for h in months_all if add_months(m, -history_months) <= h < m]
            if len(history) < min_history:
                continue
            amount = series.get(m, 0)
            median, scale = robust_center_scale(np.asarray(history, dtype=float))
            scale = max(scale, 0.1 * median, 1.0)
            score = (amount - median) / scale
            if score <= threshold or amount < 1.5 * median or amount - median < materiality:
                continue
            typical = int(round(median))
            what = "Total spending" if is_total else f"{name} spending"
            ratio = f"{amount / median:.1f}× its usual" if median > 0 else "up from a usual"
            out.append(
                SpendingSpike(
                    month=m, category_id=cid, category_name=name, amount_minor=amount, typical_minor=typical,
                    history_months=len(history), score=round(score, 2), is_total=is_total,
                    reason=(
                        f"{what} in {m.strftime('%B %Y')} was {scope.money(amount)}, {ratio} "
                        f"{scope.money(typical)} (median of the previous {len(history)} months)."
                    ),
                )
            )

    hist_totals = [totals[m] for m in months_all if m < month_start(start)]
    typical_total = float(np.median(hist_totals)) if hist_totals else 0.0
    materiality = max(0.05 * typical_total, 1.0)
    judge(totals, "All spending", None, True, materiality)
    for cid, series in by_cat.items():
        judge(series, scope.category_name(cid), cid, False, materiality)
    out.sort(key=lambda s: (s.month, -s.score))
    return out


# --------------------------------------------------------------------------- likely duplicates
@dataclass(frozen=True)
class DuplicateGroup:
    transaction_ids: tuple[int, ...]
    dates: tuple[dt.date, ...]
    description: str
    merchant: str
    amount_minor: int
    currency: str
    kind: str
    category_name: str
    days_apart: int
    identical: bool  # same date and same description
    reason: str


def likely_duplicates(
    session: Session,
    *,
    user_id: int,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
    window_days: int = 3,
    limit: int = 100,
) -> list[DuplicateGroup]:
    """Transactions that look entered or imported twice.

    Same merchant, amount, type and currency within ``window_days`` days. Rows
    on the same date with the same description are always flagged; rows a few
    days apart only when that merchant and amount is not a habit (at most three
    times in the period: the same coffee every day is not a duplicate). The
    period defaults to the last 90 days.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    start, end = _default_window(flt, today, 90)
    period = flt.with_dates(start, end)
    merchant = merchant_expr().label("m")
    where = _where(scope, period, currency=False)
    groups_stmt = (
        select(merchant, Transaction.amount_minor, Transaction.kind, Transaction.currency, func.count())
        .where(*where)
        .group_by(merchant, Transaction.amount_minor, Transaction.kind, Transaction.currency)
        .having(func.count() > 1)
        .limit(2000)
    )
    groups = {(m, int(a), k, c): int(n) for m, a, k, c, n in _run(session, groups_stmt)}
    if not groups:
        return []
    amounts = sorted({a for _, a, _, _ in groups})
    rows_by_group: dict[tuple, list] = defaultdict(list)
    for chunk_start in range(0, len(amounts), 500):
        chunk = amounts[chunk_start : chunk_start + 500]
        stmt = (
            select(
                Transaction.id, Transaction.date, Transaction.description, merchant, Transaction.amount_minor,
                Transaction.kind, Transaction.currency, Transaction.category_id,
            )
            .where(*where, Transaction.amount_minor.in_(chunk))
            .order_by(Transaction.date, Transaction.id)
        )
        for tid, day, desc, m, amount, kind, cur, cid in _run(session, stmt):
            key = (m, int(amount), kind, cur)
            if key in groups:
                rows_by_group[key].append((int(tid), day, desc or "", cid))
    out: list[DuplicateGroup] = []
    for (m, amount, kind, cur), rows in rows_by_group.items():
        clusters: list[list] = []
        for row in rows:
            if clusters and (row[1] - clusters[-1][-1][1]).days <= window_days:
                clusters[-1].append(row)
            else:
                clusters.append([row])
        habitual = groups[(m, amount, kind, cur)] > 3
        for cluster in clusters:
            if len(cluster) < 2:
                continue
            days = (cluster[-1][1] - cluster[0][1]).days
            same_day = days == 0
            same_desc = len({r[2].casefold() for r in cluster}) == 1
            identical = same_day and same_desc
            if not identical and habitual:
                continue
            money_text = format_money(amount, cur, scope.locale)
            if identical:
                reason = (
                    f"{len(cluster)} transactions on {cluster[0][1].isoformat()} with the same amount "
                    f"({money_text}) and description: probably entered or imported twice."
                )
            elif same_day:
                reason = f"{len(cluster)} payments of {money_text} to the same merchant on the same day."
            else:
                reason = (
                    f"{len(cluster)} payments of {money_text} to the same merchant within {days} "
                    f"day{'s' if days != 1 else ''}."
                )
            out.append(
                DuplicateGroup(
                    transaction_ids=tuple(r[0] for r in cluster),
                    dates=tuple(r[1] for r in cluster),
                    description=cluster[0][2],
                    merchant=m or "",
                    amount_minor=amount,
                    currency=cur,
                    kind=kind,
                    category_name=scope.category_name(cluster[0][3]),
                    days_apart=days,
                    identical=identical,
                    reason=reason,
                )
            )
    out.sort(key=lambda g: g.dates[-1], reverse=True)
    out.sort(key=lambda g: not g.identical)
    return out[: max(1, int(limit))]


# --------------------------------------------------------------------------- recurring payments
@dataclass(frozen=True)
class RecurringPayment:
    merchant: str
    description: str
    category_id: int | None
    category_name: str | None
    kind: str
    cadence: str  # weekly / biweekly / monthly / quarterly / yearly
    interval_days: float
    typical_amount_minor: int
    currency: str
    occurrences: int
    first_date: dt.date
    last_date: dt.date
    next_date: dt.date
    yearly_cost_minor: int
    price_increase: bool
    previous_amount_minor: int | None
    # the yearly cost in the user's currency at the rate of the last payment (None: no rate)
    yearly_cost_base_minor: int | None = None


# name: (nominal days, tolerance days, step, times per year, minimum occurrences)
CADENCES: dict[str, tuple[float, float, relativedelta, int, int]] = {
    "weekly": (7.0, 2.0, relativedelta(days=7), 52, 4),
    "biweekly": (14.0, 3.0, relativedelta(days=14), 26, 3),
    "monthly": (30.44, 6.0, relativedelta(months=1), 12, 3),
    "quarterly": (91.3, 14.0, relativedelta(months=3), 4, 3),
    "yearly": (365.25, 25.0, relativedelta(years=1), 1, 2),
}
RECURRING_LOOKBACK_DAYS = 800  # a yearly payment is seen at least twice
SHORT_LOOKBACK_DAYS = 400  # enough history for weekly to monthly payments (12+ occurrences)
AMOUNT_TOLERANCE = 0.25  # relative median absolute deviation of the amounts
REGULARITY = 0.75  # share of intervals within the cadence's tolerance
SHORT_SERIES_TOLERANCE = 0.05  # with only two payments, amounts must be within 5%
CANDIDATE_MAX_CV = 0.5  # SQL pre-filter: amounts of a recurring payment vary much less than this


def _cadence_for(intervals: np.ndarray) -> tuple[str, float] | None:
    """The cadence whose step the intervals follow, with their median; a skipped payment
    (an interval of about two steps) is tolerated but does not count as a step."""
    median = float(np.median(intervals))
    for name, (nominal, tol, _, _, _) in CADENCES.items():
        if abs(median - nominal) > tol:
            continue
        within = np.abs(intervals - nominal) <= tol
        skipped = np.abs(intervals - 2 * nominal) <= tol
        if (within | skipped).mean() >= REGULARITY and within.mean() >= 0.5:
            return name, median
    return None


def _price_change(amounts: Sequence[int]) -> tuple[bool, int | None, int]:
    """(increase?, previous amount, current amount) for a fixed-price series; variable bills never flag."""
    current = amounts[-1]
    i = len(amounts) - 1
    while i > 0 and amounts[i - 1] == current:
        i -= 1
    if i == 0:
        return False, None, current
    before = amounts[:i]
    previous = before[-1]
    run = 1
    while run < len(before) and before[-1 - run] == previous:
        run += 1
    stable = run >= 2 or (len(before) == 1 and len(amounts) >= 2 and len(amounts) - i >= 2)
    if not stable:
        return False, None, current
    return current > previous, previous, current


def _detect_one(
    merchant: str, kind: str, currency: str, rows: list[tuple[dt.date, int, int, int | None]], as_of: dt.date
) -> tuple | None:
    """rows: (date, amount, id of the day's last transaction, category_id) sorted by date, one per day."""
    if len(rows) < 2:
        return None
    dates = [r[0] for r in rows]
    intervals = np.diff(np.asarray([d.toordinal() for d in dates], dtype=float))
    found = _cadence_for(intervals)
    if found is None:
        return None
    cadence, interval = found
    nominal, tol, step, per_year, min_occurrences = CADENCES[cadence]
    if len(rows) < min_occurrences:
        return None
    amounts = [r[1] for r in rows]
    recent = np.asarray(amounts[-12:], dtype=float)
    median = float(np.median(recent))
    if median <= 0 or float(np.median(np.abs(recent - median))) / median > AMOUNT_TOLERANCE:
        return None
    if len(rows) < 3 and (max(amounts) - min(amounts)) > SHORT_SERIES_TOLERANCE * median:
        return None  # two payments a year apart: only a (nearly) fixed price makes it a pattern
    last = dates[-1]
    if (as_of - last).days > 1.5 * nominal + tol:
        return None  # stopped: cancelled subscriptions are not upcoming
    increase, previous, current = _price_change(amounts)
    fixed_price = previous is not None or amounts.count(current) >= 2
    typical = current if fixed_price else int(np.median(np.asarray(amounts[-6:])))
    next_date = last + step
    return (cadence, interval, typical, per_year, increase, previous, next_date)


def detect_recurring(
    session: Session, *, user_id: int, as_of: dt.date | None = None, filters: ReportFilter | None = None
) -> list[RecurringPayment]:
    """Subscriptions, bills and regular income: same merchant, similar amount, regular interval.

    Looks at the ``RECURRING_LOOKBACK_DAYS`` before ``as_of`` (default today),
    transfers excluded. A series is recurring when the median interval matches a
    cadence (weekly, biweekly, monthly, quarterly, yearly), at least 75% of the
    intervals are within the cadence's tolerance (a skipped payment is allowed),
    the amounts' median absolute deviation is at most 25% of their median, it has
    enough occurrences (3; 4 weekly; 2 yearly), and it has not stopped (the last
    payment is at most 1.5 steps old). A fixed price that went up is flagged
    (``price_increase``, with ``previous_amount_minor``); variable bills are not.
    Sorted by yearly cost, largest first. ``filters`` may narrow the categories,
    type and text (its dates are ignored: the lookback window is fixed).
    """
    scope = _scope(session, user_id)
    as_of = as_of or dt.date.today()
    base = filters or ReportFilter()
    flt = base.with_dates(as_of - dt.timedelta(days=RECURRING_LOOKBACK_DAYS), as_of)
    # The plain merchant column (every writer stores merchant_key(description)); rows
    # without a merchant name cannot be matched to a payee and are skipped. Grouping by
    # the column (not an expression) lets ix_transactions_user_id_merchant serve the
    # GROUP BY in index order, from the index alone.
    where = [*_where(scope, flt, currency=False, dates=False), Transaction.merchant != "", *_merchant_window(scope, flt)]
    merchant = Transaction.merchant
    # Candidates, pruned here from one grouped scan: on average at most one payment
    # every 4 days (daily coffee is not a subscription) and at least one every 400,
    # amounts that vary little overall (coefficient of variation <= CANDIDATE_MAX_CV, computed
    # from SUM(x) and SUM(x*x) in floating point: a statistic, never money), and a
    # last payment recent enough to still be running.
    amount_f = cast(Transaction.amount_minor, Float)
    candidates_stmt = (
        select(
            merchant, Transaction.kind, Transaction.currency, func.count(), func.min(Transaction.date),
            func.max(Transaction.date), func.sum(Transaction.amount_minor), func.sum(amount_f * amount_f),
            func.count(func.distinct(Transaction.date)),
        )
        .where(*where)
        .group_by(merchant, Transaction.kind, Transaction.currency)
        .having(func.count() >= 2)
    )
    candidates: set[tuple[str, str, str]] = set()
    frequent: set[str] = set()  # about monthly or more often: the last SHORT_LOOKBACK_DAYS suffice
    for m, kind, cur, cnt, first, last, total, total_sq, days in _run(session, candidates_stmt).all():
        span = (last - first).days
        days = int(days)
        if not m or span < 5 or days < 2:
            continue
        mean, mean_sq = float(total or 0) / int(cnt), float(total_sq or 0) / int(cnt)
        avg_interval = span / (days - 1)
        cv = math.sqrt(max(0.0, mean_sq - mean * mean)) / mean if mean > 0 else math.inf
        if days <= 3:
            # One or two intervals: their median is their mean, so it must already match a
            # cadence that allows that few occurrences (exact, not a heuristic).
            if not any(
                abs(avg_interval - nominal) <= tol and days >= min_n for nominal, tol, _, _, min_n in CADENCES.values()
            ):
                continue
        if 4 <= avg_interval <= 400 and cv <= CANDIDATE_MAX_CV and (as_of - last).days <= 3 * avg_interval + 30:
            candidates.add((m, kind, cur))
            if avg_interval <= 45:
                frequent.add(m)
    if not candidates:
        return []
    # The candidates' payments, one row per day (several payments on a day are one occurrence).
    series: dict[tuple[str, str, str], list] = defaultdict(list)
    # Weekly to monthly candidates only use the last SHORT_LOOKBACK_DAYS; one scan reads all.
    short_start = as_of - dt.timedelta(days=SHORT_LOOKBACK_DAYS)
    # Index seeks per candidate merchant: the frequent ones over the last SHORT_LOOKBACK_DAYS
    # only, the others over the whole lookback. The description (not in the index) is read
    # only for the last payment of each series found. Plain rows: the dates as the driver
    # gives them, each distinct one converted once.
    days_seen: dict[object, dt.date] = {}
    short = ReportFilter(date_from=short_start, date_to=as_of)
    by_pair: dict[tuple[bool, str, str], list[str]] = defaultdict(list)
    for m, kind, cur in sorted(candidates):
        by_pair[(m in frequent, kind, cur)].append(m)
    for (is_frequent, kind, cur), group in by_pair.items():
        # (merchant, kind, currency) is the index's prefix after user_id: exact seeks
        window = _merchant_window(scope, short) if is_frequent else []
        for chunk_start in range(0, len(group), 500):
            stmt = (
                select(
                    Transaction.merchant, Transaction.date, func.sum(Transaction.amount_minor),
                    func.max(Transaction.id), func.max(Transaction.category_id),
                )
                .where(*where, *window, Transaction.kind == kind, Transaction.currency == cur,
                       Transaction.merchant.in_(group[chunk_start : chunk_start + 500]))
                .group_by(Transaction.merchant, Transaction.date)
            )
            for m, raw_day, amount, last_id, cid in _plain_rows(session, stmt):
                day = days_seen.get(raw_day)
                if day is None:
                    day = days_seen[raw_day] = _as_date(raw_day)
                series[(m, kind, cur)].append((day, int(amount), int(last_id), cid))
    detected = []
    for (m, kind, cur), rows in series.items():
        rows.sort(key=lambda r: r[0])
        found = _detect_one(m, kind, cur, rows, as_of)
        if found is not None:
            detected.append(((m, kind, cur), rows, found))
    last_ids = [rows[-1][2] for _, rows, _ in detected]
    descriptions: dict[int, str] = {}
    for chunk_start in range(0, len(last_ids), 500):
        chunk = last_ids[chunk_start : chunk_start + 500]
        descriptions.update(_run(session, select(Transaction.id, Transaction.description).where(
            Transaction.user_id == scope.user_id, Transaction.id.in_(chunk))).all())
    out: list[RecurringPayment] = []
    for (m, kind, cur), rows, found in detected:
        cadence, interval, typical, per_year, increase, previous, next_date = found
        cid = rows[-1][3]
        yearly = int(typical) * per_year
        yearly_base = scope.fx.convert_minor(yearly, cur, rows[-1][0])
        if yearly_base is None:
            scope.fx.note_missing(cur, rows[-1][0], int(rows[-1][1]), 1)
        out.append(
            RecurringPayment(
                merchant=m,
                description=descriptions.get(rows[-1][2]) or m,
                category_id=cid,
                category_name=None if cid is None else scope.category_name(cid),
                kind=kind,
                cadence=cadence,
                interval_days=round(interval, 1),
                typical_amount_minor=int(typical),
                currency=cur,
                occurrences=len(rows),
                first_date=rows[0][0],
                last_date=rows[-1][0],
                next_date=next_date,
                yearly_cost_minor=yearly,
                price_increase=bool(increase),
                previous_amount_minor=None if previous is None else int(previous),
                yearly_cost_base_minor=yearly_base,
            )
        )
    out.sort(key=lambda r: (-r.yearly_cost_minor, r.merchant))
    return out


def upcoming_recurring(
    session: Session, *, user_id: int, as_of: dt.date | None = None, days: int = 14, kind: str | None = "expense"
) -> list[RecurringPayment]:
    """Recurring payments expected in the next ``days`` days (or due in the last three), soonest first."""
    as_of = as_of or dt.date.today()
    items = [
        r
        for r in detect_recurring(session, user_id=user_id, as_of=as_of, filters=ReportFilter(kind=kind))
        if (kind is None or r.kind == kind) and as_of - dt.timedelta(days=3) <= r.next_date <= as_of + dt.timedelta(days=days)
    ]
    items.sort(key=lambda r: (r.next_date, -r.typical_amount_minor))
    return items


# --------------------------------------------------------------------------- frames for display & export
def recurring_frame(items: Iterable[RecurringPayment]) -> pd.DataFrame:
    columns = [
        "merchant", "description", "category", "kind", "cadence", "typical_amount_minor", "currency",
        "occurrences", "last_date", "next_date", "yearly_cost_minor", "price_increase", "previous_amount_minor",
    ]
    records = [
        {
            "merchant": r.merchant, "description": r.description, "category": r.category_name or UNCATEGORIZED,
            "kind": r.kind, "cadence": r.cadence, "typical_amount_minor": r.typical_amount_minor,
            "currency": r.currency, "occurrences": r.occurrences, "last_date": r.last_date,
            "next_date": r.next_date, "yearly_cost_minor": r.yearly_cost_minor, "price_increase": r.price_increase,
            "previous_amount_minor": r.previous_amount_minor,
        }
        for r in items
    ]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["previous_amount_minor"] = df["previous_amount_minor"].astype("Int64")
    for col in ("typical_amount_minor", "yearly_cost_minor", "occurrences"):
        df[col] = df[col].astype("int64")
    return df


def unusual_frame(items: Iterable[UnusualTransaction]) -> pd.DataFrame:
    columns = ["transaction_id", "date", "description", "category", "amount_minor", "typical_minor", "score", "reason"]
    records = [
        {
            "transaction_id": u.transaction_id, "date": u.date, "description": u.description,
            "category": u.category_name, "amount_minor": u.amount_minor, "typical_minor": u.typical_minor,
            "score": u.score, "reason": u.reason,
        }
        for u in items
    ]
    return _typed(pd.DataFrame.from_records(records, columns=columns))


def spikes_frame(items: Iterable[SpendingSpike]) -> pd.DataFrame:
    columns = ["month", "category", "amount_minor", "typical_minor", "history", "score", "reason"]
    records = [
        {
            "month": s.month.strftime("%Y-%m"), "category": s.category_name, "amount_minor": s.amount_minor,
            "typical_minor": s.typical_minor, "history": s.history_months, "score": s.score, "reason": s.reason,
        }
        for s in items
    ]
    return _typed(pd.DataFrame.from_records(records, columns=columns))


def duplicates_frame(items: Iterable[DuplicateGroup]) -> pd.DataFrame:
    columns = ["dates", "description", "category", "kind", "amount_minor", "currency", "count", "transaction_ids", "reason"]
    records = [
        {
            "dates": ", ".join(d.isoformat() for d in g.dates), "description": g.description,
            "category": g.category_name, "kind": g.kind, "amount_minor": g.amount_minor, "currency": g.currency,
            "count": len(g.transaction_ids), "transaction_ids": ", ".join(map(str, g.transaction_ids)),
            "reason": g.reason,
        }
        for g in items
    ]
    return _typed(pd.DataFrame.from_records(records, columns=columns))


def summary_frame(s: Summary) -> pd.DataFrame:
    """The summary as a two-column table (metric, value_minor / rate)."""
    records = [
        {"metric": "Income", "amount_minor": s.income_minor},
        {"metric": "Expenses", "amount_minor": s.expense_minor},
        {"metric": "Net savings", "amount_minor": s.net_minor},
    ]
    df = pd.DataFrame.from_records(records, columns=["metric", "amount_minor"])
    df["amount_minor"] = df["amount_minor"].astype("int64")
    return df


_DROP_FOR_EXPORT = ("category_id", "color", "transaction_ids_internal")


def for_export(df: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy for CSV/Excel/JSON: ``*_minor`` columns become exact Decimal major units
    (``amount_minor`` -> ``amount``), internal columns (ids, colours) are dropped,
    percentages are rounded to 0.1 and dates become ISO text."""
    out = pd.DataFrame(index=df.index)
    for column in df.columns:
        if column in _DROP_FOR_EXPORT:
            continue
        series = df[column]
        if column.endswith("_minor"):
            cur_col = df["currency"] if "currency" in df.columns else None
            values = []
            for i, value in enumerate(series.tolist()):
                if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                    values.append(None)
                else:
                    values.append(from_minor(int(value), cur_col.iloc[i] if cur_col is not None else currency))
            out[column[: -len("_minor")]] = pd.Series(values, index=df.index, dtype=object)
        elif column in ("share", "savings_rate", "score") or column.endswith("_pct"):
            out[column] = series.astype("float64").round(1 if column != "score" else 2)
        elif len(series) and isinstance(series.iloc[0], dt.date):
            out[column] = series.map(lambda d: d.isoformat() if isinstance(d, dt.date) else d)
        else:
            out[column] = series
    return out


@dataclass(frozen=True)
class ReportBundle:
    """Every summary of a period, for the CLI, exports and the PDF."""

    currency: str
    date_from: dt.date
    date_to: dt.date
    summary: Summary
    tables: dict = field(default_factory=dict)  # name -> DataFrame (minor units)

    @property
    def missing_rates(self) -> tuple[rates.MissingRate, ...]:
        """What the period's figures could not convert to the user's currency."""
        return self.summary.missing_rates


REPORT_SECTIONS = (
    "summary", "by_month", "by_category", "average_monthly", "top_merchants", "changes",
    "recurring", "unusual", "spikes", "duplicates",
)


def report_bundle(
    session: Session, *, user_id: int, filters: ReportFilter, today: dt.date | None = None
) -> ReportBundle:
    """All report tables for a bounded period (dates required)."""
    if filters.date_from is None or filters.date_to is None:
        raise ValidationError("Choose a period for the report.", field="period")
    scope = _scope(session, user_id)
    s = _summary(session, scope, filters)
    last_month = month_start(filters.date_to)
    tables = {
        "summary": summary_frame(s),
        "by_month": by_period(session, user_id=user_id, filters=filters, freq="month"),
        "by_category": by_category(session, user_id=user_id, filters=filters),
        "average_monthly": average_monthly_by_category(session, user_id=user_id, filters=filters),
        "top_merchants": top_merchants(session, user_id=user_id, filters=filters, limit=20),
        "changes": changes(session, user_id=user_id, month=last_month, filters=filters, today=today),
        "recurring": recurring_frame(detect_recurring(session, user_id=user_id, as_of=filters.date_to)),
        "unusual": unusual_frame(unusual_transactions(session, user_id=user_id, filters=filters, today=today)),
        "spikes": spikes_frame(spending_spikes(session, user_id=user_id, filters=filters, today=today)),
        "duplicates": duplicates_frame(likely_duplicates(session, user_id=user_id, filters=filters, today=today)),
    }
    return ReportBundle(currency=scope.currency, date_from=filters.date_from, date_to=filters.date_to, summary=s, tables=tables)
