"""What a report sees: ``ReportFilter``, the per-user scope, filters as SQL, currency conversion.

The only place that knows SQL dialect details (the ``'YYYY-MM'`` month key per backend) and
how foreign-currency rows are converted (grouped by currency and day, converted at that
day's rate, one half-even rounding per figure; amounts without a rate are reported, never
counted at 1:1). Transfers never count; every query filters by ``user_id``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd
from sqlalchemy import String, bindparam, case, cast, func, literal_column, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import Category, Transaction, User
from budgetwise.money import format_money
from budgetwise.names import quoted
from budgetwise.services import rates
from budgetwise.services.categories import visible_categories_clause
from budgetwise.text import clean_text

UNCATEGORIZED = "Uncategorized"
UNCATEGORIZED_COLOR = "#9e9e9e"
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


# Values per ``IN`` list of :func:`_literal_ints` (one statement each, with :func:`budgetwise.db.chunked`):
# literals bind no parameter, so the list may be longer than db.IN_LIST_CHUNK; this bounds the SQL text.
_LITERAL_CHUNK = 5000


def _literal_ints(values: Sequence[int]):
    """Integers written into the SQL (they come from the database): one statement for thousands of
    values, where bound parameters would hit SQLite's 999-variable limit on older builds."""
    return bindparam("values", [int(v) for v in values], expanding=True, literal_execute=True)


def _int_table(session: Session, scope: _Scope, columns: Sequence, where: Sequence) -> np.ndarray:
    """Integer columns of many rows as an (n, len(columns)) int64 array (NULLs must be coalesced).

    On SQLite and PostgreSQL the rows come back as text, comma-separated numbers
    (``group_concat`` / ``string_agg``: aggregates without GROUP BY, so no sort), that numpy
    parses in C: two to three times faster than a Python tuple per row. SQLite gives one
    text per column (its aggregates see the rows in one order); PostgreSQL one text of whole
    rows (its parallel aggregates may combine parts in any order). Elsewhere (MySQL's
    ``group_concat`` truncates) plain rows. Row order is not kept.
    """
    k = len(columns)
    comma: ColumnElement[str] = literal_column("','")
    if scope.dialect in ("sqlite", "postgresql"):
        if scope.dialect == "sqlite":
            aggregates = [func.group_concat(column, comma) for column in columns]
        else:
            joined: ColumnElement[str] = cast(columns[0], String)
            for column in columns[1:]:
                joined = joined + comma + cast(column, String)
            aggregates = [func.string_agg(joined, comma)]
        *texts, count = _run(session, select(*aggregates, func.count()).where(*where)).one()
        count = int(count)
        parsed = [_parse_ints(text) for text in texts]
        if all(len(p) == count * k // len(texts) for p in parsed):
            return (np.stack(parsed, axis=1) if len(parsed) > 1 else parsed[0].reshape(count, k))
    rows = _plain_rows(session, select(*columns).where(*where))
    return np.array(rows, dtype=np.int64).reshape(len(rows), k)


def _parse_ints(text: str | None) -> np.ndarray:
    """Comma-separated integers (None: none) as an int64 array, parsed in C."""
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)


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
        raise ValidationError(f"{quoted(scope.currency)} is not a currency code.", field="currency")
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


def _round_div(numerator: int, denominator: int) -> int:
    """Exact integer division rounded half-even (average of minor units)."""
    if denominator == 0:
        return 0
    return int((Decimal(int(numerator)) / Decimal(int(denominator))).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
