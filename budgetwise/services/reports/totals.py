"""Summary, KPIs and totals by day, week, month or year (SQL GROUP BY, shaped with pandas)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.dates import month_end, month_start
from budgetwise.errors import ValidationError
from budgetwise.kinds import FREQUENCIES as _FREQUENCIES
from budgetwise.models import Transaction
from budgetwise.names import quoted
from budgetwise.periods import period
from budgetwise.ratios import percent_change
from budgetwise.services import rates
from budgetwise.services.reports.periods import (
    DATA_PRESETS,
    default_preset,
    months_between,
    preset_range,
    previous_period,
)
from budgetwise.services.reports.rollup import _sums
from budgetwise.services.reports.scope import (
    ReportFilter,
    _run,
    _Scope,
    _scope,
    _with_missing,
)


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
        return percent_change(int(getattr(self.current, metric)), int(getattr(self.previous, metric)))

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
    sums = _sums(session, replace(scope, fx=fx), flt, ("kind",), currencies=others)
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
    """First and last transaction date: one index seek each on (user_id, date). Each is its own subquery:
    SQLite seeks only for a query with a single MIN or MAX, and ``min(date), max(date)`` together read every
    index entry of the user (10 ms CPU for 100,000 rows, on every budget report; session 19)."""
    mine = Transaction.user_id == user_id
    row = _run(session, select(select(func.min(Transaction.date)).where(mine).scalar_subquery(),
                               select(func.max(Transaction.date)).where(mine).scalar_subquery())).first()
    return (row[0], row[1]) if row else (None, None)


def months_with_data(session: Session, *, user_id: int, months: list[dt.date]) -> list[dt.date]:
    """The ``months`` (first days) holding at least one of the user's transactions, of any kind or account
    (one index seek each on (user_id, date)). A month without any is missing from the data (a gap between
    two imported statements), not a month in which nothing was spent: the budget projection, the budget
    editor's average and the spending spikes judge only these months."""
    return [m for m in months if session.scalar(select(Transaction.id).where(
        Transaction.user_id == user_id, Transaction.date >= m, Transaction.date <= month_end(m)).limit(1))]


def period_range(
    session: Session,
    *,
    user_id: int,
    preset: str,
    today: dt.date | None = None,
    custom_from: dt.date | None = None,
    custom_to: dt.date | None = None,
    date_format: str | None = None,
    locale: str | None = None,
) -> tuple[dt.date, dt.date]:
    """:func:`preset_range` for this user: "all time" and "span of your data" use their transactions' dates."""
    first, last = data_range(session, user_id=user_id) if preset in DATA_PRESETS else (None, None)
    return preset_range(preset, today=today, custom_from=custom_from, custom_to=custom_to,
                        data_from=first, data_to=last, date_format=date_format, locale=locale)


def default_period(session: Session, *, user_id: int, preferred: str, today: dt.date | None = None) -> str:
    """:func:`default_preset` for this user: ``preferred``, or their latest 6 months of data when it holds none."""
    first, last = data_range(session, user_id=user_id)
    return default_preset(preferred, today=today or dt.date.today(), data_from=first, data_to=last)


FREQUENCIES = _FREQUENCIES  # ("day", "week", "month", "year"), owned by budgetwise.kinds


def _bucket(day: dt.date, freq: str, week_start: int) -> dt.date:
    return period(freq, first_weekday=week_start).start(day)


def _week_start(day: dt.date, week_start: int) -> dt.date:
    return period("week", first_weekday=week_start).start(day)


def _step(day: dt.date, freq: str) -> dt.date:
    return period(freq).next(day)


def _label(day: dt.date, freq: str) -> str:
    return period(freq).label(day)


def _buckets(first: dt.date, last: dt.date, freq: str, week_start: int) -> list[dt.date]:
    return period(freq, first_weekday=week_start).range(first, last)


def _grouped_by_kind(session: Session, scope: _Scope, flt: ReportFilter, freq: str) -> dict[tuple[dt.date, str], tuple[int, int]]:
    """{(bucket, kind): (amount, count)} in the user's currency (other currencies converted)."""
    sums = _sums(session, scope, flt, ("kind",), time="month" if freq in ("month", "year") else "day")
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
        raise ValidationError(f"Unknown frequency {quoted(freq)}: use one of {', '.join(FREQUENCIES)}.", field="freq")
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
    buckets = list(_buckets(first, last, freq, scope.week_start))
    for bucket in buckets:
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
    df = _with_missing(_typed(pd.DataFrame.from_records(rows, columns=columns)), scope)
    # months without a single transaction of the user's, the running one aside: missing from the data, not months of
    # nothing spent (session 27, trial27: "$0.00" rows for the years between two imported histories)
    empty = [bucket for bucket, r in zip(buckets, rows, strict=True) if freq == "month" and not r["count"] and not r["so_far"]]
    df.attrs["missing_months"] = tuple(sorted(set(empty) - set(months_with_data(session, user_id=user_id, months=empty))))
    return df


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
    sums = _sums(session, scope, flt, ("kind",), time="month")
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
