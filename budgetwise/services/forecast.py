"""Forecasts of spending, income and net savings, with an honest backtest.

How a forecast is made (``docs/forecasting.md`` explains the why):

1. **History.** Transactions are aggregated to per-day totals per kind and
   category (in SQL for the database path, with pandas for an uploaded CSV);
   transfers never count. The forecast starts after the last day with data
   (``as_of``); only complete periods (weeks / calendar months) are used to
   train and to test.
2. **Known amounts.** Recurring payments (rent, subscriptions, salary: same
   merchant, similar amount, regular cadence) are projected forward on their
   own schedule: they are known future amounts, not something to guess.
3. **The rest is modelled.** What is left (the variable part) is aggregated to
   7-day blocks (daily spending is mostly zeros and spikes) and modelled as a
   daily rate with Prophet: a flat level, yearly seasonality only with at
   least two years of history, outlier blocks removed (as the Prophet
   documentation recommends). Intermittent series (most blocks empty) use
   their average rate instead.
4. **Last year's pattern.** With one to two years of history, last year's
   deviation of the same period from the category's average is added: in
   full for occasional categories (travel, taxes, gifts: the timing repeats),
   shrunk by how much it exceeds random variation for frequent ones
   (James-Stein; noise from purchase-day randomness and from the spread of
   weeks within a month), extreme one-offs capped; an overall weight (0, 1/2
   or 1) is chosen by the user's own backtest.
5. **Backtest and intervals.** A rolling-origin backtest on the user's own
   history (fit on the past, forecast the next periods, compare) measures the
   error in money and percent next to two naive baselines (the same period
   last year; the mean of the last three months). Its errors also calibrate
   the prediction interval (split-conformal quantiles of the scaled errors),
   so an 80% interval is as wide as the user's history says it must be.

Forecasts are clipped at zero (spending is never negative; net savings may be).
Prophet is imported lazily inside the fitting function: importing it is slow.
Everything here is pure computation on DataFrames except the ``*_from_db`` /
``forecast_user`` functions, which read aggregates with SQL for one user.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.errors import ImportFileError, NotFoundError, ValidationError
from budgetwise.models import Category, Transaction, User
from budgetwise.money import minor_digits, parse_decimal, to_minor_rounded, validate_currency
from budgetwise.services.reports import merchant_expr
from budgetwise.text import clean_text, fold, merchant_key

# --------------------------------------------------------------------------- settings
FREQS = ("month", "week")
SERIES_EXPENSES = "expenses"
SERIES_INCOME = "income"
SERIES_NET = "net"
CATEGORY_PREFIX = "category:"
MAX_HORIZON = {"month": 24, "week": 104}
DEFAULT_INTERVAL = 0.8
MIN_INTERVAL, MAX_INTERVAL = 0.5, 0.98
# Complete periods needed before anything is forecast.
MIN_HISTORY = {"month": 6, "week": 12}
# Rolling-origin backtest: how far ahead each origin forecasts, and how many origins.
BACKTEST_STEPS = {"month": 3, "week": 8}
BACKTEST_ORIGINS = 12
# Baseline "mean of the last three months", in periods of each frequency.
MEAN3_PERIODS = {"month": 3, "week": 13}
SEASON_PERIODS = {"month": 12, "week": 52}
PERIODS_PER_YEAR = {"month": 12, "week": 52}
YEARLY_SEASONALITY_MIN_DAYS = 730  # two years: one year of data cannot separate season from noise
BLOCK_DAYS = 7
OUTLIER_Z = 3.5  # robust z-score (log scale) beyond which a block is left out of the fit
INTERMITTENT_SHARE = 0.5  # more empty blocks than this: average rate instead of Prophet
SEASONAL_WEIGHTS = (0.0, 0.5, 1.0)
DEFAULT_SEASONAL_WEIGHT = 1.0
MIN_WEIGHT_POINTS = 3
MIN_CONFORMAL_POINTS = 8
OCCASIONAL_DAYS = 1.0  # fewer spending days than this per period: an occasional category
TRANSFER_NAMES = frozenset(
    {"transfer", "transfers", "internal transfer", "credit card payment", "credit card payments", "savings transfer"}
)
UNCATEGORIZED = "Uncategorized"

log = logging.getLogger(__name__)


class NotEnoughHistory(ValidationError):
    """Too little history for a meaningful forecast; the message says how much more is needed."""

    def __init__(self, message: str, *, have: int, need: int, freq: str) -> None:
        super().__init__(message, field="history")
        self.have = have
        self.need = need
        self.freq = freq


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class KnownFlow:
    """A recurring payment projected as a known future amount."""

    key: str  # merchant key
    kind: str  # income / expense
    category: str
    cadence: str  # weekly / biweekly / monthly / quarterly / yearly
    amount_minor: int
    last_date: dt.date
    next_date: dt.date
    description: str = ""


@dataclass(frozen=True)
class MethodError:
    """The backtest error of one method, on the points where it could be computed."""

    name: str  # budgetwise / mean3 / last_year
    label: str
    mae: float  # mean absolute error, major units
    mape: float | None  # mean absolute percentage error, % (periods with an actual of 0 are skipped)
    points: int


@dataclass(frozen=True)
class Backtest:
    steps: int  # periods ahead each origin forecasts
    origins: int
    points: int
    methods: tuple[MethodError, ...]
    coverage: float | None  # share of actual values inside the interval (None: too few points)
    coverage_points: int
    verdict: str
    table: pd.DataFrame  # origin, ds, step, actual, forecast, lower, upper, mean3, last_year

    def method(self, name: str) -> MethodError | None:
        return next((m for m in self.methods if m.name == name), None)


@dataclass(frozen=True)
class ForecastResult:
    series: str
    label: str
    freq: str
    horizon: int
    interval: float
    currency: str
    as_of: dt.date
    history: pd.DataFrame  # ds, y (complete periods; major units)
    forecast: pd.DataFrame  # ds, yhat, yhat_lower, yhat_upper, known, observed
    backtest: Backtest | None
    known_flows: tuple[KnownFlow, ...]
    method: str
    notes: tuple[str, ...] = ()
    seasonal_weight: float = 0.0
    yearly_seasonality: bool = False

    @property
    def mean_history(self) -> float:
        return float(self.history["y"].mean()) if len(self.history) else 0.0

    @property
    def mean_forecast(self) -> float:
        return float(self.forecast["yhat"].mean()) if len(self.forecast) else 0.0

    @property
    def total_forecast(self) -> float:
        return float(self.forecast["yhat"].sum())


OUTPUT_COLUMNS = ["ds", "yhat", "yhat_lower", "yhat_upper"]


def output_frame(result: ForecastResult) -> pd.DataFrame:
    """Exactly ``ds, yhat, yhat_lower, yhat_upper`` (ISO dates, amounts in major units), one row per period."""
    df = result.forecast[OUTPUT_COLUMNS].copy()
    df["ds"] = [d.isoformat() for d in df["ds"]]
    return df


# --------------------------------------------------------------------------- periods
def _validate_freq(freq: str) -> str:
    value = (freq or "").strip().lower()
    if value in ("monthly", "m"):
        value = "month"
    if value in ("weekly", "w"):
        value = "week"
    if value not in FREQS:
        raise ValidationError(f"The frequency must be month or week, not {freq!r}.", field="freq")
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


def period_start(day: dt.date, freq: str, week_start: int = 0) -> dt.date:
    if freq == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def next_period(start: dt.date, freq: str) -> dt.date:
    if freq == "month":
        return start + relativedelta(months=1)
    return start + dt.timedelta(days=7)


def period_end(start: dt.date, freq: str) -> dt.date:
    return next_period(start, freq) - dt.timedelta(days=1)


def horizon_in_periods(months: int, freq: str) -> int:
    """A horizon chosen in months, in periods of ``freq`` (weeks: rounded up)."""
    return months if freq == "month" else min(MAX_HORIZON["week"], math.ceil(months * 52 / 12))


# --------------------------------------------------------------------------- history
HISTORY_GAP_DAYS = 183  # this long without a single transaction: what came before is another story


def _after_last_gap(daily: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The history after its last silence of HISTORY_GAP_DAYS or more, and a note saying so.

    A few transactions from years ago (an old statement imported by mistake, a test entry)
    would otherwise turn every month in between into a month without income or spending.
    """
    days = daily["date"].drop_duplicates().sort_values()
    if len(days) < 2:
        return daily, ""
    gaps = days.diff().dt.days.to_numpy()
    big = np.flatnonzero(gaps >= HISTORY_GAP_DAYS)
    if not len(big):
        return daily, ""
    start = days.iloc[int(big[-1])]
    before = days.iloc[int(big[-1]) - 1]
    months = int(round(gaps[big[-1]] / 30.44))
    note = (f"Transactions up to {before.date().isoformat()} are left out: none were recorded in the {months} months "
            f"after them, so they would read as months without income or spending. The forecast starts from "
            f"{start.date().isoformat()}.")
    return daily[daily["date"] >= start].reset_index(drop=True), note


@dataclass(frozen=True)
class History:
    """Aggregated history of one user or one file: small frames, never raw rows.

    ``daily``: date (datetime64), kind, category, amount_minor (int64) summed per day.
    ``merchants``: the same, per merchant key, for merchants that occur on two days or
    more but at most about once every five days (recurring-payment candidates).
    """

    currency: str
    as_of: dt.date
    first_date: dt.date
    daily: pd.DataFrame
    merchants: pd.DataFrame
    category_kinds: Mapping[str, str]
    week_start: int = 0
    notes: tuple[str, ...] = ()

    @property
    def digits(self) -> int:
        return minor_digits(self.currency)

    def categories(self, kind: str = "expense") -> list[str]:
        return sorted(c for c, k in self.category_kinds.items() if k == kind)


_DAILY_COLUMNS = ["date", "kind", "category", "amount_minor"]
_MERCHANT_COLUMNS = ["key", "kind", "category", "date", "amount_minor", "description"]


def _candidate_keys(rows: pd.DataFrame) -> set[str]:
    """Merchants seen on >= 2 days, at most about one payment every 5 days (coffee is not a subscription)."""
    if rows.empty:
        return set()
    g = rows.groupby("key")["date"].agg(["nunique", "min", "max"])
    span = (g["max"] - g["min"]).dt.days
    ok = (g["nunique"] >= 2) & (span >= 5) & ((g["nunique"] - 1) <= span / 5 + 1)
    return {k for k in g.index[ok] if k}


def history_from_frame(
    df: pd.DataFrame, *, currency: str = "USD", as_of: dt.date | None = None, week_start: int = 0
) -> History:
    """History from a canonical transactions frame (see :func:`normalize_transactions`)."""
    tx = normalize_transactions(df, currency=currency)
    if as_of is not None:
        tx = tx[tx["date"] <= pd.Timestamp(as_of)]
    if tx.empty:
        raise NotEnoughHistory(
            "There are no income or expense transactions to forecast from.", have=0, need=MIN_HISTORY["month"], freq="month"
        )
    # Without an explicit as_of the data is taken to be complete up to its last day.
    as_of = as_of or tx["date"].max().date()
    daily = tx.groupby(["date", "kind", "category"], as_index=False, sort=True)["amount_minor"].sum()
    daily, gap_note = _after_last_gap(daily)
    keys = _candidate_keys(tx[["key", "date"]])
    m = tx[tx["key"].isin(keys)]
    merchants = (
        m.groupby(["key", "kind", "category", "date"], as_index=False, sort=True)
        .agg(amount_minor=("amount_minor", "sum"), description=("description", "last"))
        .loc[:, _MERCHANT_COLUMNS]
    )
    kinds = _category_kinds_from_rows(tx)
    return History(
        currency=currency,
        as_of=as_of,
        first_date=daily["date"].min().date(),
        daily=daily[_DAILY_COLUMNS],
        merchants=merchants,
        category_kinds=kinds,
        week_start=week_start,
        notes=(gap_note,) if gap_note else (),
    )


def _category_kinds_from_rows(tx: pd.DataFrame) -> dict[str, str]:
    totals = tx.groupby(["category", "kind"])["amount_minor"].sum().unstack(fill_value=0)
    out = {}
    for cat, row in totals.iterrows():
        inc, exp = int(row.get("income", 0)), int(row.get("expense", 0))
        out[str(cat)] = "income" if inc > exp else "expense"
    return out


def normalize_transactions(df: pd.DataFrame, *, currency: str = "USD") -> pd.DataFrame:
    """A canonical frame: date, amount_minor (>0), kind, category, description, key.

    Accepts either that canonical frame or the plain one (date, amount, category,
    optional type and description) used by the CLI, the benchmark and uploads.
    Transfers (type ``transfer`` or a transfer category name) are dropped.
    """
    if {"date", "amount_minor", "kind", "category"}.issubset(df.columns):
        out = df.copy()
        out["date"] = pd.to_datetime(out["date"]).dt.normalize()
        if "description" not in out.columns:
            out["description"] = ""
        if "key" not in out.columns:
            out["key"] = [merchant_key(d) for d in out["description"]]
        out["amount_minor"] = out["amount_minor"].astype("int64")
        out["category"] = out["category"].astype(str)
        out = out[out["kind"].isin(("income", "expense")) & (out["amount_minor"] > 0)]
        return out[["date", "amount_minor", "kind", "category", "description", "key"]].reset_index(drop=True)
    return parse_transactions(df, currency=currency)


# --------------------------------------------------------------------------- CSV input
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")
_TYPE_WORDS = {
    "expense": "expense", "expenses": "expense", "debit": "expense", "spending": "expense", "out": "expense",
    "income": "income", "credit": "income", "deposit": "income", "in": "income",
    "transfer": "transfer", "transfers": "transfer",
}


def _parse_dates(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip()
    text = text.str.replace(r"[T ]\d{1,2}:\d{2}(:\d{2})?.*$", "", regex=True)
    for fmt in _DATE_FORMATS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if parsed.notna().all():
            return parsed
    best = max(_DATE_FORMATS, key=lambda f: pd.to_datetime(text, format=f, errors="coerce").notna().sum())
    parsed = pd.to_datetime(text, format=best, errors="coerce")
    bad = int(np.flatnonzero(parsed.isna())[0])
    raise ImportFileError(
        f"Row {bad + 2}: {values.iloc[bad]!r} is not a date (column date; use YYYY-MM-DD, or one date format for the whole file)."
    )


def parse_transactions(df: pd.DataFrame, *, currency: str = "USD") -> pd.DataFrame:
    """Validate a plain categorized frame (date, amount, category; optional type, description).

    Rows without a type are expenses; without a type column, a file with negative
    amounts is read by sign (negative = expense, positive = income). Amounts are
    converted to exact minor units. Errors name the row and the column.
    """
    currency = validate_currency(currency)
    cols = {str(c).strip().lower(): c for c in df.columns}
    missing = [c for c in ("date", "amount", "category") if c not in cols]
    if missing:
        raise ImportFileError(
            f"The file needs the columns date, amount and category (optional: type, description); "
            f"missing: {', '.join(missing)}. Columns found: {', '.join(map(str, df.columns)) or 'none'}."
        )
    frame = pd.DataFrame({name: df[orig] for name, orig in cols.items()})
    frame = frame[~frame[cols and "date"].isna() | ~frame["amount"].isna()]
    if frame.empty:
        raise ImportFileError("The file has no rows.")
    dates = _parse_dates(frame["date"])
    amounts: list[int] = []
    negative: list[bool] = []
    for i, raw in enumerate(frame["amount"].tolist()):
        try:
            value = parse_decimal(str(raw))
        except ValidationError as exc:
            raise ImportFileError(f"Row {i + 2}: {exc.message} (column amount)") from None
        negative.append(value < 0)
        amounts.append(to_minor_rounded(abs(value), currency))
    has_type = "type" in frame.columns
    kinds: list[str] = []
    signed = not has_type and any(negative) and not all(negative)
    for i in range(len(frame)):
        word = ""
        if has_type:
            raw = frame["type"].iloc[i]
            word = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else fold(str(raw))
        if word:
            kind = _TYPE_WORDS.get(word)
            if kind is None:
                raise ImportFileError(
                    f"Row {i + 2}: {frame['type'].iloc[i]!r} is not a type (column type: income, expense or transfer)."
                )
        elif signed:
            kind = "expense" if negative[i] else "income"
        else:
            kind = "expense"
        kinds.append(kind)
    categories = [
        clean_text(c, max_length=60) if not (c is None or (isinstance(c, float) and math.isnan(c))) else ""
        for c in frame["category"].tolist()
    ]
    categories = [c or UNCATEGORIZED for c in categories]
    if "description" in frame.columns:
        descriptions = [
            "" if d is None or (isinstance(d, float) and math.isnan(d)) else clean_text(d, max_length=500)
            for d in frame["description"].tolist()
        ]
    else:
        descriptions = [""] * len(frame)
    out = pd.DataFrame(
        {
            "date": dates.dt.normalize().to_numpy(),
            "amount_minor": np.asarray(amounts, dtype="int64"),
            "kind": kinds,
            "category": categories,
            "description": descriptions,
        }
    )
    transfer = (out["kind"] == "transfer") | out["category"].map(lambda c: fold(c) in TRANSFER_NAMES)
    out = out[~transfer & (out["amount_minor"] > 0)].reset_index(drop=True)
    out["key"] = [merchant_key(d) for d in out["description"]]
    return out


def read_transactions_csv(data: bytes | str, *, currency: str = "USD") -> pd.DataFrame:
    """Read an uploaded categorized CSV (bytes or a path) into the canonical frame."""
    try:
        if isinstance(data, bytes):
            text = data.decode("utf-8-sig")
        else:
            with open(data, encoding="utf-8-sig") as fh:
                text = fh.read()
    except UnicodeDecodeError:
        raise ImportFileError("The file is not UTF-8 text; save it as CSV (UTF-8) and try again.") from None
    except OSError as exc:
        raise ImportFileError(f"Cannot read {data!s}: {exc.strerror or exc}.") from None
    if not text.strip():
        raise ImportFileError("The file is empty.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportFileError(f"The file is not a readable CSV: {exc}") from None
    raw = raw.replace({"": None})
    return parse_transactions(raw, currency=currency)


# --------------------------------------------------------------------------- recurring payments (pure)
# name: (nominal days, tolerance days, step, minimum occurrences) -- the same rules as the
# recurring-payments report (budgetwise.services.reports.detect_recurring).
CADENCES: dict[str, tuple[float, float, relativedelta, int]] = {
    "weekly": (7.0, 2.0, relativedelta(days=7), 4),
    "biweekly": (14.0, 3.0, relativedelta(days=14), 3),
    "monthly": (30.44, 6.0, relativedelta(months=1), 3),
    "quarterly": (91.3, 14.0, relativedelta(months=3), 3),
    "yearly": (365.25, 25.0, relativedelta(years=1), 2),
}
_AMOUNT_TOLERANCE = 0.25
_REGULARITY = 0.75
_LOOKBACK_DAYS = 800


def _cadence(intervals: np.ndarray) -> str | None:
    median = float(np.median(intervals))
    for name, (nominal, tol, _, _) in CADENCES.items():
        if abs(median - nominal) > tol:
            continue
        within = np.abs(intervals - nominal) <= tol
        skipped = np.abs(intervals - 2 * nominal) <= tol
        if (within | skipped).mean() >= _REGULARITY and within.mean() >= 0.5:
            return name
    return None


def _detect_series(ordinals: np.ndarray, amounts: np.ndarray, as_of: dt.date) -> tuple[str, int] | None:
    """(cadence, typical amount) for one merchant's day totals, or None when not recurring."""
    if len(ordinals) < 2:
        return None
    cadence = _cadence(np.diff(ordinals).astype(float))
    if cadence is None:
        return None
    nominal, tol, _, min_occ = CADENCES[cadence]
    if len(ordinals) < min_occ:
        return None
    recent = amounts[-12:].astype(float)
    median = float(np.median(recent))
    if median <= 0 or float(np.median(np.abs(recent - median))) / median > _AMOUNT_TOLERANCE:
        return None
    if as_of.toordinal() - int(ordinals[-1]) > 1.5 * nominal + tol:
        return None  # stopped
    current = int(amounts[-1])
    fixed = len(amounts) >= 2 and int(amounts[-2]) == current
    typical = current if fixed else int(np.median(amounts[-6:]))
    return cadence, typical


class _MerchantIndex:
    """Per (merchant, kind): sorted day ordinals, day totals and last category, for fast as-of slicing."""

    def __init__(self, merchants: pd.DataFrame) -> None:
        self.items: list[tuple[str, str, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        if merchants.empty:
            return
        m = merchants.sort_values(["key", "kind", "date"])
        for (key, kind), g in m.groupby(["key", "kind"], sort=False):
            per_day = g.groupby("date", sort=True).agg(
                amount_minor=("amount_minor", "sum"), category=("category", "last"), description=("description", "last")
            )
            ordinals = np.fromiter((d.toordinal() for d in per_day.index.date), dtype=np.int64, count=len(per_day))
            self.items.append(
                (
                    str(key),
                    str(kind),
                    ordinals,
                    per_day["amount_minor"].to_numpy(dtype=np.int64),
                    per_day["category"].to_numpy(dtype=object),
                    per_day["description"].to_numpy(dtype=object),
                )
            )

    def detect(self, as_of: dt.date) -> list[KnownFlow]:
        end = as_of.toordinal()
        start = end - _LOOKBACK_DAYS
        out = []
        for key, kind, ords, amounts, cats, descs in self.items:
            hi = int(np.searchsorted(ords, end, side="right"))
            lo = int(np.searchsorted(ords, start, side="left"))
            if hi - lo < 2:
                continue
            found = _detect_series(ords[lo:hi], amounts[lo:hi], as_of)
            if found is None:
                continue
            cadence, typical = found
            last = dt.date.fromordinal(int(ords[hi - 1]))
            out.append(
                KnownFlow(
                    key=key,
                    kind=kind,
                    category=str(cats[hi - 1]),
                    cadence=cadence,
                    amount_minor=int(typical),
                    last_date=last,
                    next_date=last + CADENCES[cadence][2],
                    description=str(descs[hi - 1] or key),
                )
            )
        return out


def detect_known_flows(history: History, *, as_of: dt.date | None = None) -> list[KnownFlow]:
    """Recurring payments in an aggregated history (pure; the CSV and benchmark path)."""
    return _MerchantIndex(history.merchants).detect(as_of or history.as_of)


FlowProvider = Callable[[Sequence[dt.date]], dict[dt.date, tuple[KnownFlow, ...]]]


def _frame_flow_provider(history: History) -> FlowProvider:
    index = _MerchantIndex(history.merchants)

    def provide(dates: Sequence[dt.date]) -> dict[dt.date, tuple[KnownFlow, ...]]:
        return {d: tuple(index.detect(d)) for d in dates}

    return provide


# --------------------------------------------------------------------------- series selection
@dataclass(frozen=True)
class _Selection:
    kind: str
    category: str | None  # None = all categories of the kind


def series_label(series: str) -> str:
    if series == SERIES_EXPENSES:
        return "Total expenses"
    if series == SERIES_INCOME:
        return "Income"
    if series == SERIES_NET:
        return "Net savings"
    if series.startswith(CATEGORY_PREFIX):
        return series[len(CATEGORY_PREFIX):]
    return series


def category_series(name: str) -> str:
    return f"{CATEGORY_PREFIX}{name}"


def _selection(history: History, series: str) -> _Selection:
    if series == SERIES_EXPENSES:
        return _Selection("expense", None)
    if series == SERIES_INCOME:
        return _Selection("income", None)
    if series.startswith(CATEGORY_PREFIX):
        wanted = series[len(CATEGORY_PREFIX):].strip()
        for name, kind in history.category_kinds.items():
            if name.casefold() == wanted.casefold():
                return _Selection(kind, name)
        known = ", ".join(sorted(history.category_kinds)) or "none"
        raise NotFoundError(f"There is no category {wanted!r} in this history (categories: {known}).", field="category")
    raise ValidationError(
        f"Unknown series {series!r}: choose expenses, income, net or category:NAME.", field="series"
    )


# --------------------------------------------------------------------------- the model
@dataclass
class _Context:
    """Day-indexed arrays for one history and frequency (index 0 = start of the first complete period)."""

    history: History
    freq: str
    start: dt.date
    as_of: dt.date
    end: dt.date  # last day that may be forecast
    scale: float  # minor units per major unit

    @property
    def n_obs(self) -> int:
        return (self.as_of - self.start).days + 1

    def idx(self, day: dt.date) -> int:
        return (day - self.start).days

    def day(self, i: int) -> dt.date:
        return self.start + dt.timedelta(days=int(i))


class _SeriesData:
    """Day totals (major units) per category of one selection, and per recurring merchant.

    ``Y[c, i]`` is category ``c``'s total on day ``i``; known (recurring) payments are
    subtracted per origin to leave the variable part.
    """

    def __init__(self, ctx: _Context, sel: _Selection) -> None:
        rows = ctx.history.daily
        rows = rows[rows["kind"] == sel.kind]
        if sel.category is not None:
            rows = rows[rows["category"] == sel.category]
        self.cats = sorted(set(rows["category"])) or ([sel.category] if sel.category else [UNCATEGORIZED])
        pos = {c: i for i, c in enumerate(self.cats)}
        self.Y = np.zeros((len(self.cats), ctx.n_obs), dtype=float)
        if not rows.empty:
            days = (rows["date"] - pd.Timestamp(ctx.start)).dt.days.to_numpy()
            ok = (days >= 0) & (days < ctx.n_obs)
            ci = rows["category"].map(pos).to_numpy()
            np.add.at(self.Y, (ci[ok], days[ok]), rows["amount_minor"].to_numpy(dtype=float)[ok] / ctx.scale)
        m = ctx.history.merchants
        m = m[(m["kind"] == sel.kind) & m["category"].isin(pos)]
        self.by_key: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for key, g in m.groupby("key", sort=False):
            days = (g["date"] - pd.Timestamp(ctx.start)).dt.days.to_numpy()
            ok = (days >= 0) & (days < ctx.n_obs)
            self.by_key[str(key)] = (
                g["category"].map(pos).to_numpy()[ok], days[ok], g["amount_minor"].to_numpy(dtype=float)[ok] / ctx.scale
            )

    def total(self) -> np.ndarray:
        return self.Y.sum(axis=0)

    def variable(self, keys: Iterable[str], upto: int) -> np.ndarray:
        """Per-category day totals up to ``upto`` without the given recurring merchants."""
        out = self.Y[:, : upto + 1].copy()
        for key in keys:
            item = self.by_key.get(key)
            if item is None:
                continue
            ci, days, amounts = item
            ok = days <= upto
            np.subtract.at(out, (ci[ok], days[ok]), amounts[ok])
        return np.maximum(out, 0.0)


def _flows_for(flows: Iterable[KnownFlow], sel: _Selection) -> list[KnownFlow]:
    return [f for f in flows if f.kind == sel.kind and (sel.category is None or f.category == sel.category)]


def _project(ctx: _Context, flows: Iterable[KnownFlow], origin: int, last: int) -> np.ndarray:
    """Known future amounts per day over (origin, last]; an overdue payment is expected the next day."""
    out = np.zeros(last - origin, dtype=float)
    origin_day = ctx.day(origin)
    last_day = ctx.day(last)
    for f in flows:
        step = CADENCES[f.cadence][2]
        k = 1
        overdue_done = False
        while True:
            when = f.last_date + step * k
            k += 1
            if when > last_day:
                break
            if when <= origin_day:
                if overdue_done or (origin_day - when).days > CADENCES[f.cadence][1]:
                    continue
                when = origin_day + dt.timedelta(days=1)
                overdue_done = True
            out[(when - origin_day).days - 1] += f.amount_minor / ctx.scale
    return out


def _prophet():
    """Import Prophet lazily (slow) and silence cmdstanpy's chatter."""
    for name in ("cmdstanpy", "prophet", "prophet.plot"):
        logging.getLogger(name).setLevel(logging.ERROR)
    logging.getLogger("cmdstanpy").disabled = True
    from prophet import Prophet

    return Prophet


@dataclass
class _LevelFit:
    rate: np.ndarray  # forecast daily rate for each future day
    sigma_block: float  # residual sd of a 7-day block's daily rate
    method: str
    yearly: bool


def _robust_keep(values: np.ndarray) -> np.ndarray:
    """Mask of blocks kept for fitting: robust z-score of log1p(value) within OUTLIER_Z."""
    logs = np.log1p(np.maximum(values, 0.0))
    med = float(np.median(logs))
    mad = float(np.median(np.abs(logs - med))) * 1.4826
    if mad <= 1e-9:
        return np.ones(len(values), dtype=bool)
    return np.abs(logs - med) / mad <= OUTLIER_Z


def _fit_level(ctx: _Context, y_var: np.ndarray, origin: int, n_future: int) -> _LevelFit:
    """Daily-rate forecast of the variable part for days origin+1 .. origin+n_future."""
    n_blocks = (origin + 1) // BLOCK_DAYS
    first = origin + 1 - n_blocks * BLOCK_DAYS
    blocks = y_var[first : origin + 1].reshape(n_blocks, BLOCK_DAYS).sum(axis=1) / BLOCK_DAYS
    if n_blocks == 0 or not np.any(blocks > 0):
        return _LevelFit(np.zeros(n_future), 0.0, "none", False)
    recent = blocks[-52:]
    if np.mean(recent <= 0) > INTERMITTENT_SHARE or n_blocks < 8:
        rate = float(np.mean(recent))
        return _LevelFit(np.full(n_future, rate), float(np.std(recent, ddof=1)) if len(recent) > 1 else rate, "average", False)
    keep = _robust_keep(blocks)
    ds = pd.to_datetime([ctx.day(first + i * BLOCK_DAYS + BLOCK_DAYS // 2) for i in range(n_blocks)])
    span_days = n_blocks * BLOCK_DAYS
    yearly = span_days >= YEARLY_SEASONALITY_MIN_DAYS
    Prophet = _prophet()
    model = Prophet(
        # A flat level: extrapolating a linear trend fitted on one or two years of noisy
        # spending made every backtest worse (docs/forecasting.md); no changepoints then.
        growth="flat",
        n_changepoints=0,
        yearly_seasonality=6 if yearly else False,
        weekly_seasonality=False,
        daily_seasonality=False,
        uncertainty_samples=0,
        mcmc_samples=0,
    )
    train = pd.DataFrame({"ds": ds[keep], "y": blocks[keep]})
    future = pd.DataFrame({"ds": pd.to_datetime([ctx.day(origin + 1 + i) for i in range(n_future)])})
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="prophet")  # pandas deprecation notices inside Prophet
        model.fit(train)
        pred = model.predict(pd.concat([train[["ds"]], future], ignore_index=True))["yhat"].to_numpy()
    fitted, rate = pred[: len(train)], pred[len(train):]
    resid = train["y"].to_numpy() - fitted
    sigma = float(np.sqrt(np.mean(resid**2))) if len(resid) > 2 else float(np.std(blocks))
    return _LevelFit(np.maximum(rate, 0.0), sigma, "prophet", yearly)


def _winsor_factor(y_var: np.ndarray, origin: int) -> np.ndarray:
    """Per-day factors that scale extreme 7-day blocks of the variable part down to the outlier limit.

    Applied before last year is used as a template: a one-off (a new roof) must not
    come back next year at full size, while an ordinary seasonal bump stays.
    """
    factor = np.ones(origin + 1)
    n_blocks = (origin + 1) // BLOCK_DAYS
    if n_blocks < 8:
        return factor
    first = origin + 1 - n_blocks * BLOCK_DAYS
    rates = y_var[first : origin + 1].reshape(n_blocks, BLOCK_DAYS).sum(axis=1) / BLOCK_DAYS
    logs = np.log1p(np.maximum(rates, 0.0))
    med = float(np.median(logs))
    mad = float(np.median(np.abs(logs - med))) * 1.4826
    if mad <= 1e-9:
        return factor
    cap = math.expm1(med + OUTLIER_Z * mad)
    block = np.where(rates > cap, cap / np.maximum(rates, 1e-12), 1.0)
    factor[first:] = np.repeat(block, BLOCK_DAYS)
    return factor


@dataclass
class _Target:
    start: int  # first forecast day index (inclusive)
    end: int  # last day index of the period (inclusive)
    ds: dt.date  # period start
    days: int  # days in the whole period


@dataclass
class _Piece:
    """One series' component forecasts for one origin."""

    level: np.ndarray
    seasonal: np.ndarray  # NaN where last year is not available
    known: np.ndarray
    sigma: np.ndarray  # sd of the variable part's error (normal fallback)
    method: str
    yearly: bool
    flows: tuple[KnownFlow, ...]


def _seasonal_shift(ctx: _Context, i: int) -> int:
    day = ctx.day(i)
    if ctx.freq == "week":
        return i - 364
    return ctx.idx(day - relativedelta(years=1))


def _seasonal_weights(
    Vs: np.ndarray, origin: int, year_days: int, sums: np.ndarray, period_days: float,
    year: Sequence[tuple[int, int]],
) -> np.ndarray:
    """How much of each category's deviation from its average, last year, to carry forward.

    Frequent categories (on average at least one spending day per period): James-Stein
    shrinkage, ``signal / (signal + noise)``. The noise of a period total is the larger of
    two estimates: random purchase days and amounts (compound noise
    ``days * (p E[X^2] - p^2 E[X]^2)``), and the variance of 7-day blocks *within* each
    period scaled to the period's length (blocks of one month share its seasonal level, so
    their spread is noise, including real households' bursts of spending). The signal is
    whatever variance of last year's period totals exceeds that noise (method of moments).
    Occasional categories (fewer spending days than periods: travel, taxes, gifts): weight
    1, because the timing last year is the best guess of the timing this year.
    """
    win = Vs[:, origin + 1 - year_days : origin + 1]
    active = win > 0
    days_active = active.sum(axis=1)
    p_day = days_active / year_days
    ex = np.where(days_active > 0, win.sum(axis=1) / np.maximum(days_active, 1), 0.0)
    ex2 = np.where(days_active > 0, (win**2).sum(axis=1) / np.maximum(days_active, 1), 0.0)
    noise_var = period_days * (p_day * ex2 - p_day**2 * ex**2)
    within, dof = np.zeros(len(win)), 0
    for a, b in year:
        n_blocks = (b - a + 1) // BLOCK_DAYS
        if n_blocks < 2:
            continue
        blocks = Vs[:, a : a + n_blocks * BLOCK_DAYS].reshape(len(win), n_blocks, BLOCK_DAYS).sum(axis=2)
        within += ((blocks - blocks.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
        dof += n_blocks - 1
    if dof:
        noise_var = np.maximum(noise_var, within / dof * period_days / BLOCK_DAYS)
    observed_var = sums.var(axis=1, ddof=1) if sums.shape[1] > 1 else np.zeros(len(win))
    signal_var = np.maximum(observed_var - noise_var, 0.0)
    total = signal_var + noise_var
    weight = np.where(total > 0, signal_var / np.maximum(total, 1e-12), 0.0)
    return np.where(p_day * period_days < OCCASIONAL_DAYS, 1.0, weight)


def _components(
    ctx: _Context, data: _SeriesData, sel: _Selection, flows: Sequence[KnownFlow], origin: int,
    targets: Sequence[_Target], periods: Sequence[tuple[dt.date, int, int]],
) -> _Piece:
    mine = _flows_for(flows, sel)
    V = data.variable({f.key for f in mine}, origin)
    y_var = V.sum(axis=0)
    last = max(t.end for t in targets)
    fit = _fit_level(ctx, y_var, origin, last - origin)
    known_daily = _project(ctx, mine, origin, last)
    # last year's seasonal deviation per category (winsorized: one-offs do not come back in full)
    Vs = V * _winsor_factor(y_var, origin)[None, :]
    year_days = 364 if ctx.freq == "week" else 365
    year = [(a, b) for _, a, b in periods if b <= origin and a > origin - year_days]
    # With two years of history Prophet's yearly seasonality takes over from last year's template.
    use_season = (
        not fit.yearly
        and origin + 1 >= year_days
        and len(year) >= PERIODS_PER_YEAR[ctx.freq] - 1
    )
    if use_season:
        rate = Vs[:, origin + 1 - year_days : origin + 1].sum(axis=1) / year_days
        sums = np.stack([Vs[:, a : b + 1].sum(axis=1) for a, b in year], axis=1)
        period_days = float(np.mean([b - a + 1 for a, b in year]))
        weights = _seasonal_weights(Vs, origin, year_days, sums, period_days, year)
    level, seasonal, known, sigma = [], [], [], []
    for t in targets:
        a, b = t.start - origin - 1, t.end - origin
        n = t.end - t.start + 1
        level.append(float(fit.rate[a:b].sum()))
        known.append(float(known_daily[a:b].sum()))
        sigma.append(fit.sigma_block * math.sqrt(n * BLOCK_DAYS))
        lo, hi = _seasonal_shift(ctx, t.start), _seasonal_shift(ctx, t.end)
        if not use_season or lo < 0 or hi > origin:
            seasonal.append(math.nan)
            continue
        dev = Vs[:, lo : hi + 1].sum(axis=1) - rate * (hi - lo + 1)
        seasonal.append(float(np.sum(weights * dev) * n / (hi - lo + 1)))
    return _Piece(
        np.array(level), np.array(seasonal), np.array(known), np.array(sigma), fit.method, fit.yearly, tuple(mine)
    )


def _combine(level: np.ndarray, deviation: np.ndarray, known: np.ndarray, w: float) -> np.ndarray:
    """known + level + w * last year's seasonal deviation (where available), never below zero."""
    var = np.where(np.isnan(deviation), level, level + w * np.nan_to_num(deviation))
    return np.maximum(known + np.maximum(var, 0.0), 0.0)


def _choose_weight(rows: pd.DataFrame) -> float:
    """The seasonal blend weight with the lowest absolute error on ``rows`` (needs last-year data)."""
    rows = rows[rows["seasonal"].notna()]
    if len(rows) < MIN_WEIGHT_POINTS:
        return DEFAULT_SEASONAL_WEIGHT
    best, best_err = DEFAULT_SEASONAL_WEIGHT, math.inf
    for w in SEASONAL_WEIGHTS:
        pred = _combine(rows["level"].to_numpy(), rows["seasonal"].to_numpy(), rows["known"].to_numpy(), w)
        err = float(np.mean(np.abs(rows["actual"].to_numpy() - pred)))
        if err < best_err - 1e-9:
            best, best_err = w, err
    return best


# --------------------------------------------------------------------------- runs
@dataclass
class _Run:
    """Backtest records and the final forecast of one series (before intervals)."""

    records: pd.DataFrame  # origin_day, ds, step, target_end, actual, yhat, sigma, mean3, last_year, scale
    final: pd.DataFrame  # ds, yhat, sigma, known, observed, remaining_share, step
    scale_now: float
    flows: tuple[KnownFlow, ...]
    method: str
    weight: float
    yearly: bool
    history: pd.DataFrame  # ds, y: complete period totals


def _period_table(ctx: _Context) -> list[tuple[dt.date, int, int]]:
    """(period start, first index, last index) of complete periods within [start, as_of]."""
    out = []
    p = ctx.start
    while True:
        e = period_end(p, ctx.freq)
        if e > ctx.as_of:
            break
        out.append((p, ctx.idx(p), ctx.idx(e)))
        p = next_period(p, ctx.freq)
    return out


def _context(history: History, freq: str, horizon: int) -> _Context:
    start = period_start(history.first_date, freq, history.week_start)
    if start < history.first_date:
        start = next_period(start, freq)
    first_future = period_start(history.as_of + dt.timedelta(days=1), freq, history.week_start)
    end = period_end(first_future, freq)
    for _ in range(horizon - 1):
        end = period_end(next_period(period_start(end, freq, history.week_start), freq), freq)
    return _Context(history, freq, start, history.as_of, end, float(10 ** minor_digits(history.currency)))


def _check_history(ctx: _Context, periods: list) -> None:
    need = MIN_HISTORY[ctx.freq]
    have = len(periods)
    if have >= need:
        return
    unit = "month" if ctx.freq == "month" else "week"
    span = (
        f" (complete {unit}s from {periods[0][0].isoformat()} to {period_end(periods[-1][0], ctx.freq).isoformat()})"
        if periods else ""
    )
    more = need - have
    raise NotEnoughHistory(
        f"A {unit}ly forecast needs at least {need} complete {unit}s of history; this history has {have}{span}. "
        f"Add {more} more {unit}{'s' if more != 1 else ''} of transactions (for example by importing older statements) "
        f"and the forecast will appear.",
        have=have,
        need=need,
        freq=ctx.freq,
    )


def _origins(ctx: _Context, periods: list, steps: int) -> list[int]:
    """Indices (into ``periods``) of the backtest origins: after >= MIN_HISTORY periods, the last BACKTEST_ORIGINS."""
    first = MIN_HISTORY[ctx.freq] - 1
    last = len(periods) - 2  # at least one complete target after the origin
    return list(range(max(first, last - BACKTEST_ORIGINS + 1), last + 1))


def _final_targets(ctx: _Context, horizon: int) -> list[_Target]:
    out = []
    p = period_start(ctx.as_of + dt.timedelta(days=1), ctx.freq, ctx.history.week_start)
    origin = ctx.idx(ctx.as_of)
    for _ in range(horizon):
        e = period_end(p, ctx.freq)
        out.append(_Target(max(ctx.idx(p), origin + 1), ctx.idx(e), p, (e - p).days + 1))
        p = next_period(p, ctx.freq)
    return out


def _period_sums(y: np.ndarray, periods: list) -> np.ndarray:
    return np.array([y[a : b + 1].sum() for _, a, b in periods])


def _run_series(
    ctx: _Context, sel: _Selection, flows_at: Mapping[dt.date, tuple[KnownFlow, ...]], horizon: int
) -> _Run:
    periods = _period_table(ctx)
    data = _SeriesData(ctx, sel)
    y = data.total()
    totals = _period_sums(y, periods)
    steps = BACKTEST_STEPS[ctx.freq]
    season = SEASON_PERIODS[ctx.freq]
    m3 = MEAN3_PERIODS[ctx.freq]
    records = []
    for k in _origins(ctx, periods, steps):
        origin = periods[k][2]
        targets = [
            _Target(periods[j][1], periods[j][2], periods[j][0], periods[j][2] - periods[j][1] + 1)
            for j in range(k + 1, min(k + 1 + steps, len(periods)))
        ]
        piece = _components(ctx, data, sel, flows_at.get(ctx.day(origin), ()), origin, targets, periods)
        past = totals[: k + 1]
        scale = float(np.mean(np.abs(past[-12:]))) or 1.0
        for s, (t, j) in enumerate(zip(targets, range(k + 1, k + 1 + len(targets))), start=1):
            records.append(
                {
                    "origin_day": ctx.day(origin),
                    "ds": t.ds,
                    "step": s,
                    "target_end": ctx.day(t.end),
                    "actual": float(totals[j]),
                    "level": piece.level[s - 1],
                    "seasonal": piece.seasonal[s - 1],
                    "has_season": not math.isnan(piece.seasonal[s - 1]),
                    "known": piece.known[s - 1],
                    "sigma": piece.sigma[s - 1],
                    "mean3": float(np.mean(past[-m3:])) if len(past) >= 1 else math.nan,
                    "last_year": float(totals[j - season]) if j - season >= 0 else math.nan,
                    "scale": scale,
                }
            )
    rec = pd.DataFrame.from_records(
        records,
        columns=["origin_day", "ds", "step", "target_end", "actual", "level", "seasonal", "has_season", "known", "sigma",
                 "mean3", "last_year", "scale"],
    )
    # prequential weights: at each origin, only what was known then
    yhat = np.zeros(len(rec))
    for origin_day, idx in rec.groupby("origin_day").groups.items():
        w = _choose_weight(rec[rec["target_end"] <= origin_day])
        rows = rec.loc[idx]
        yhat[rec.index.get_indexer(idx)] = _combine(
            rows["level"].to_numpy(), rows["seasonal"].to_numpy(), rows["known"].to_numpy(), w
        )
    rec["yhat"] = yhat
    weight = _choose_weight(rec)
    # final forecast
    origin = ctx.idx(ctx.as_of)
    targets = _final_targets(ctx, horizon)
    piece = _components(ctx, data, sel, flows_at.get(ctx.as_of, ()), origin, targets, periods)
    final_yhat = _combine(piece.level, piece.seasonal, piece.known, weight)
    observed = []
    for t in targets:
        first_day = ctx.idx(t.ds)
        observed.append(float(y[max(first_day, 0) : origin + 1].sum()) if first_day <= origin else 0.0)
    final = pd.DataFrame(
        {
            "ds": [t.ds for t in targets],
            "forecast_part": final_yhat,
            "observed": observed,
            "known": piece.known,
            "sigma": piece.sigma,
            "remaining_share": [(t.end - t.start + 1) / t.days for t in targets],
            "step": range(1, len(targets) + 1),
            "has_season": ~np.isnan(piece.seasonal),
        }
    )
    final["yhat"] = final["forecast_part"] + final["observed"]
    scale_now = float(np.mean(np.abs(totals[-12:]))) if len(totals) else 1.0
    hist = pd.DataFrame({"ds": [p[0] for p in periods], "y": totals})
    return _Run(rec, final, scale_now or 1.0, piece.flows, piece.method, weight, piece.yearly, hist)


def _net_run(inc: _Run, exp: _Run, ctx: _Context) -> _Run:
    rec = inc.records.merge(exp.records, on=["origin_day", "ds", "step", "target_end"], suffixes=("_i", "_e"))
    out = pd.DataFrame(
        {
            "origin_day": rec["origin_day"], "ds": rec["ds"], "step": rec["step"], "target_end": rec["target_end"],
            "actual": rec["actual_i"] - rec["actual_e"],
            "yhat": rec["yhat_i"] - rec["yhat_e"],
            "sigma": np.sqrt(rec["sigma_i"] ** 2 + rec["sigma_e"] ** 2),
            "mean3": rec["mean3_i"] - rec["mean3_e"],
            "last_year": rec["last_year_i"] - rec["last_year_e"],
            "scale": (rec["scale_i"] + rec["scale_e"]) / 2,
            "has_season": rec["has_season_i"] & rec["has_season_e"],
        }
    )
    f = inc.final.merge(exp.final, on=["ds", "step", "remaining_share"], suffixes=("_i", "_e"))
    final = pd.DataFrame(
        {
            "ds": f["ds"], "step": f["step"], "remaining_share": f["remaining_share"],
            "forecast_part": f["forecast_part_i"] - f["forecast_part_e"],
            "observed": f["observed_i"] - f["observed_e"],
            "known": f["known_i"] - f["known_e"],
            "sigma": np.sqrt(f["sigma_i"] ** 2 + f["sigma_e"] ** 2),
            "has_season": f["has_season_i"] & f["has_season_e"],
        }
    )
    final["yhat"] = final["forecast_part"] + final["observed"]
    return _Run(
        out, final, (inc.scale_now + exp.scale_now) / 2, inc.flows + exp.flows,
        f"income: {inc.method}; expenses: {exp.method}", exp.weight, inc.yearly or exp.yearly,
        pd.DataFrame({"ds": inc.history["ds"], "y": inc.history["y"] - exp.history["y"]}),
    )


# --------------------------------------------------------------------------- intervals
def _conformal_offsets(scores: np.ndarray, interval: float) -> tuple[float, float] | None:
    """Split-conformal lower/upper quantiles of scaled errors (finite-sample corrected)."""
    n = len(scores)
    if n < MIN_CONFORMAL_POINTS:
        return None
    s = np.sort(scores)
    alpha = 1.0 - interval
    hi = min(n, math.ceil((n + 1) * (1 - alpha / 2))) - 1
    lo = max(1, math.floor((n + 1) * (alpha / 2))) - 1
    return float(s[lo]), float(s[hi])


def _intervals(
    yhat: np.ndarray, sigma: np.ndarray, scale: np.ndarray, scores: np.ndarray, score_season: np.ndarray,
    has_season: np.ndarray, interval: float, share: np.ndarray | None = None, widen: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Interval bounds: conformal quantiles of comparable backtest errors, else the normal fallback.

    Comparable: forecasts that used last year's pattern are calibrated on backtest forecasts
    that did too (when there are enough of them): they are usually more accurate.
    """
    share = np.ones(len(yhat)) if share is None else share
    widen = np.ones(len(yhat)) if widen is None else widen
    lower, upper = np.empty(len(yhat)), np.empty(len(yhat))
    how = "conformal"
    for flag in (True, False):
        rows = has_season == flag
        if not rows.any():
            continue
        pool = scores
        offsets = _conformal_offsets(pool, interval)
        if offsets is None:
            z = NormalDist().inv_cdf(0.5 + interval / 2)
            half = z * sigma[rows] * np.sqrt(share[rows]) * widen[rows]
            lower[rows], upper[rows] = yhat[rows] - half, yhat[rows] + half
            how = "normal"
        else:
            lo, hi = offsets
            factor = scale[rows] * share[rows] * widen[rows]
            lower[rows], upper[rows] = yhat[rows] + lo * factor, yhat[rows] + hi * factor
    return lower, upper, how


def _finish(
    run: _Run, ctx: _Context, *, series: str, label: str, horizon: int, interval: float, clip: bool,
    notes: list[str],
) -> ForecastResult:
    rec = run.records.copy()
    steps = BACKTEST_STEPS[ctx.freq]
    # backtest intervals, prequentially (scores known at each origin only)
    lower = np.full(len(rec), np.nan)
    upper = np.full(len(rec), np.nan)
    scores_all = ((rec["actual"] - rec["yhat"]) / rec["scale"]).to_numpy() if len(rec) else np.array([])
    season_all = rec["has_season"].to_numpy(dtype=bool) if len(rec) else np.array([], dtype=bool)
    for origin_day, idx in rec.groupby("origin_day").groups.items():
        pos = rec.index.get_indexer(idx)
        known = (rec["target_end"] <= origin_day).to_numpy()
        rows = rec.iloc[pos]
        lo, hi, _ = _intervals(
            rows["yhat"].to_numpy(), rows["sigma"].to_numpy(), rows["scale"].to_numpy(), scores_all[known],
            season_all[known], rows["has_season"].to_numpy(dtype=bool), interval,
        )
        lower[pos], upper[pos] = lo, hi
    if clip:
        lower = np.maximum(lower, 0.0)
    if len(rec):
        lower = np.minimum(lower, rec["yhat"].to_numpy())
        upper = np.maximum(upper, rec["yhat"].to_numpy())
    rec["lower"], rec["upper"] = lower, upper
    # final intervals
    final = run.final
    per_year = PERIODS_PER_YEAR[ctx.freq]
    step = final["step"].to_numpy()
    widen = np.sqrt(1.0 + np.maximum(step - steps, 0) / per_year)
    share = final["remaining_share"].to_numpy()
    lo_part, hi_part, how = _intervals(
        final["forecast_part"].to_numpy(), final["sigma"].to_numpy(), np.full(len(final), run.scale_now),
        scores_all, season_all, final["has_season"].to_numpy(dtype=bool), interval, share=share, widen=widen,
    )
    observed = final["observed"].to_numpy()
    yhat = final["yhat"].to_numpy()
    lo_v, hi_v = lo_part + observed, hi_part + observed
    if clip:
        lo_v = np.maximum(lo_v, np.maximum(observed, 0.0))
        yhat = np.maximum(yhat, 0.0)
    lo_v = np.minimum(lo_v, yhat)
    hi_v = np.maximum(hi_v, yhat)
    digits = ctx.history.digits
    forecast = pd.DataFrame(
        {
            "ds": list(final["ds"]),
            "yhat": np.round(yhat, digits),
            "yhat_lower": np.round(lo_v, digits),
            "yhat_upper": np.round(hi_v, digits),
            "known": np.round(final["known"].to_numpy(), digits),
            "observed": np.round(observed, digits),
        }
    )
    if how == "normal":
        notes.append(
            "The interval comes from the model's own error estimate: the history is too short for a backtest "
            f"with at least {MIN_CONFORMAL_POINTS} comparisons, so treat it as approximate."
        )
    backtest = _backtest_summary(rec, ctx, interval, label)
    return ForecastResult(
        series=series,
        label=label,
        freq=ctx.freq,
        horizon=horizon,
        interval=interval,
        currency=ctx.history.currency,
        as_of=ctx.as_of,
        history=run.history.assign(y=run.history["y"].round(ctx.history.digits)),
        forecast=forecast,
        backtest=backtest,
        known_flows=run.flows,
        method=run.method,
        notes=tuple(notes),
        seasonal_weight=run.weight,
        yearly_seasonality=run.yearly,
    )


# --------------------------------------------------------------------------- backtest summary
def _mape(actual: np.ndarray, pred: np.ndarray) -> float | None:
    ok = (actual != 0) & ~np.isnan(pred)
    if not ok.any():
        return None
    return float(np.mean(np.abs(actual[ok] - pred[ok]) / np.abs(actual[ok])) * 100)


def _method_error(name: str, label: str, actual: np.ndarray, pred: np.ndarray) -> MethodError:
    ok = ~np.isnan(pred)
    mae = float(np.mean(np.abs(actual[ok] - pred[ok]))) if ok.any() else math.nan
    return MethodError(name, label, mae, _mape(actual[ok], pred[ok]) if ok.any() else None, int(ok.sum()))


def _backtest_summary(rec: pd.DataFrame, ctx: _Context, interval: float, label: str) -> Backtest | None:
    if rec.empty:
        return None
    actual = rec["actual"].to_numpy()
    unit = "month" if ctx.freq == "month" else "week"
    methods = (
        _method_error("budgetwise", "BudgetWise forecast", actual, rec["yhat"].to_numpy()),
        _method_error("mean3", "Mean of the last 3 months", actual, rec["mean3"].to_numpy()),
        _method_error("last_year", f"Same {unit} last year", actual, rec["last_year"].to_numpy()),
    )
    have = ~np.isnan(rec["lower"].to_numpy())
    inside = (actual >= rec["lower"].to_numpy()) & (actual <= rec["upper"].to_numpy())
    coverage = float(inside[have].mean()) if have.sum() >= 5 else None
    table = rec[["origin_day", "ds", "step", "actual", "yhat", "lower", "upper", "mean3", "last_year"]].rename(
        columns={"origin_day": "origin", "yhat": "forecast"}
    )
    digits = ctx.history.digits
    for c in ("actual", "forecast", "lower", "upper", "mean3", "last_year"):
        table[c] = table[c].round(digits)
    return Backtest(
        steps=BACKTEST_STEPS[ctx.freq],
        origins=int(rec["origin_day"].nunique()),
        points=len(rec),
        methods=methods,
        coverage=coverage,
        coverage_points=int(have.sum()),
        verdict=_verdict(methods, ctx, coverage, interval),
        table=table.reset_index(drop=True),
    )


def _money_text(value: float, currency: str) -> str:
    from budgetwise.money import format_money

    digits = minor_digits(currency)
    return format_money(int(round(value * 10**digits)), currency)


def _verdict(methods: Sequence[MethodError], ctx: _Context, coverage: float | None, interval: float) -> str:
    bw = methods[0]
    cur = ctx.history.currency
    unit = "month" if ctx.freq == "month" else "week"

    def err(m: MethodError) -> str:
        pct = f" ({m.mape:.0f}%)" if m.mape is not None else ""
        return f"{_money_text(m.mae, cur)}{pct}"

    text = (
        f"Tested on your own history ({bw.points} forecasts, 1 to {BACKTEST_STEPS[ctx.freq]} {unit}s ahead), "
        f"the forecast was off by {err(bw)} on average."
    )
    better, same, worse = [], [], []
    for m in methods[1:]:
        if m.points == 0 or math.isnan(m.mae):
            continue
        if bw.mae < m.mae * 0.98:
            better.append(m)
        elif bw.mae <= m.mae * 1.02:
            same.append(m)
        else:
            worse.append(m)
        text += f" {m.label}: off by {err(m)}."
    if worse:
        names = " and ".join(m.label.lower() for m in worse)
        text += f" A naive guess ({names}) did better on your data: treat the forecast with caution."
    elif better and not same:
        text += " The forecast beats the naive guesses on your data."
    elif better:
        text += (
            f" The forecast beats {better[0].label.lower()} and is as good as {same[0].label.lower()} on your data."
        )
    elif same:
        text += " The forecast is about as good as a naive guess on your data (the series is very regular)."
    missing = [m.label.lower() for m in methods[1:] if m.points == 0]
    if missing:
        text += f" ({'; '.join(missing).capitalize()} needs more than a year of history.)"
    if coverage is not None:
        text += f" The {interval:.0%} range contained the actual value {coverage:.0%} of the time."
    return text


# --------------------------------------------------------------------------- public API (pure)
def _prepare(history: History, freq: str, horizon: int) -> tuple[_Context, list]:
    ctx = _context(history, freq, horizon)
    periods = _period_table(ctx)
    _check_history(ctx, periods)
    return ctx, periods


def flow_dates(history: History, *, freq: str = "month", horizon: int = 1) -> list[dt.date]:
    """The as-of dates whose recurring payments a forecast needs: each backtest origin and the last day."""
    freq = _validate_freq(freq)
    ctx, periods = _prepare(history, freq, horizon)
    dates = [ctx.day(periods[k][2]) for k in _origins(ctx, periods, BACKTEST_STEPS[freq])]
    return sorted(set(dates) | {ctx.as_of})


def _method_text(run: _Run, ctx: _Context) -> str:
    parts = []
    if run.flows:
        parts.append(f"{len(run.flows)} recurring payment{'s' if len(run.flows) != 1 else ''} projected on their schedule")
    model = {
        "prophet": "Prophet on weekly totals" + (" with yearly seasonality" if run.yearly else ""),
        "average": "the average weekly rate (spending in this series is occasional)",
        "none": "nothing else (no other spending in this series)",
    }
    parts.append("the rest modelled with " + model.get(run.method, run.method))
    if run.weight > 0:
        parts.append(f"{run.weight:.0%} weight on the same {ctx.freq} last year (chosen by the backtest)")
    return "; ".join(parts)


def forecast_history(
    history: History,
    *,
    series: str = SERIES_EXPENSES,
    horizon: int = 3,
    freq: str = "month",
    interval: float = DEFAULT_INTERVAL,
    flows_at: Mapping[dt.date, tuple[KnownFlow, ...]] | None = None,
) -> ForecastResult:
    """Forecast one series of an aggregated history (pure computation; no database).

    ``flows_at`` maps each date of :func:`flow_dates` to the recurring payments known
    on that day; by default they are detected in ``history`` itself.
    """
    freq = _validate_freq(freq)
    horizon = _validate_horizon(horizon, freq)
    interval = _validate_interval(interval)
    ctx, periods = _prepare(history, freq, horizon)
    if flows_at is None:
        flows_at = _frame_flow_provider(history)(flow_dates(history, freq=freq, horizon=horizon))
    notes = list(history.notes)
    if series == SERIES_NET:
        inc = _run_series(ctx, _Selection("income", None), flows_at, horizon)
        exp = _run_series(ctx, _Selection("expense", None), flows_at, horizon)
        run = _net_run(inc, exp, ctx)
        run.method = "income and expenses forecast separately, net = income - expenses. Income: " + _method_text(
            inc, ctx) + ". Expenses: " + _method_text(exp, ctx)
        clip = False
    else:
        sel = _selection(history, series)
        run = _run_series(ctx, sel, flows_at, horizon)
        run.method = _method_text(run, ctx)
        clip = True
    return _finish(
        run, ctx, series=series, label=series_label(series), horizon=horizon, interval=interval, clip=clip, notes=notes
    )


def forecast_frame(
    df: pd.DataFrame,
    *,
    series: str = SERIES_EXPENSES,
    horizon: int = 3,
    freq: str = "month",
    interval: float = DEFAULT_INTERVAL,
    currency: str = "USD",
    as_of: dt.date | None = None,
) -> ForecastResult:
    """Forecast from a plain transactions frame (date, amount, category[, type, description])."""
    history = history_from_frame(df, currency=currency, as_of=as_of)
    return forecast_history(history, series=series, horizon=horizon, freq=freq, interval=interval)


def _category_task(args: tuple) -> ForecastResult | str:
    history, series, horizon, freq, interval, flows_at = args
    try:
        return forecast_history(history, series=series, horizon=horizon, freq=freq, interval=interval, flows_at=flows_at)
    except NotEnoughHistory as exc:
        return exc.message


def _category_chunk(history: History, names: list[str], horizon: int, freq: str, interval: float, flows_at) -> list:
    return [_category_task((history, category_series(n), horizon, freq, interval, flows_at)) for n in names]


def _map_categories(
    history: History, names: list[str], horizon: int, freq: str, interval: float, flows_at, workers: int
) -> list:
    """Forecast categories on ``workers`` processes (joblib's reusable loky pool) or in-process.

    The categories are dealt into one chunk per worker, busiest first, so each worker
    receives the history once and the Prophet-heavy categories are spread evenly.
    """
    if workers <= 1 or len(names) < 3:
        return _category_chunk(history, names, horizon, freq, interval, flows_at)
    from joblib import Parallel, delayed

    busy = history.daily.groupby("category")["date"].nunique()
    order = sorted(names, key=lambda n: -int(busy.get(n, 0)))
    chunks = [order[i::workers] for i in range(workers)]
    parts = Parallel(n_jobs=workers, backend="loky")(
        delayed(_category_chunk)(history, chunk, horizon, freq, interval, flows_at) for chunk in chunks if chunk
    )
    by_name = {}
    for chunk, part in zip([c for c in chunks if c], parts):
        by_name.update(zip(chunk, part))
    return [by_name[n] for n in names]


def _warm() -> int:
    _prophet()
    return 0


def warm_up_workers(workers: int = 2, *, wait: bool = False) -> None:
    """Start the worker processes of :func:`forecast_history_categories` and import Prophet in them.

    Pages call it when they open, in the background, so the first "all categories"
    forecast does not pay for starting Python twice. joblib's loky pool is reused
    across calls with the same settings, so this costs nothing once they run.
    """
    if workers <= 1:
        return

    def run() -> None:
        from joblib import Parallel, delayed

        try:
            Parallel(n_jobs=workers, backend="loky")(delayed(_warm)() for _ in range(workers))
        except Exception:  # noqa: BLE001 - a failed warm-up only means the first real call starts the pool
            log.debug("forecast worker warm-up failed", exc_info=True)

    if wait:
        run()
    else:
        import threading

        threading.Thread(target=run, name="forecast-warm-up", daemon=True).start()


@dataclass(frozen=True)
class CategoryForecasts:
    results: tuple[ForecastResult, ...]
    skipped: tuple[tuple[str, str], ...]  # (category, reason)

    def table(self) -> pd.DataFrame:
        """One row per category: mean per period in the history and in the forecast, and the change."""
        rows = []
        for r in self.results:
            rows.append(
                {
                    "category": r.label,
                    "history_mean": round(r.mean_history, 2),
                    "forecast_mean": round(r.mean_forecast, 2),
                    "forecast_total": round(r.total_forecast, 2),
                    "change_pct": (r.mean_forecast / r.mean_history - 1) * 100 if r.mean_history else None,
                    "beats_baselines": _beats(r),
                }
            )
        df = pd.DataFrame.from_records(
            rows, columns=["category", "history_mean", "forecast_mean", "forecast_total", "change_pct", "beats_baselines"]
        )
        return df.sort_values("forecast_total", ascending=False).reset_index(drop=True)


def _beats(r: ForecastResult) -> bool | None:
    if r.backtest is None:
        return None
    bw = r.backtest.method("budgetwise")
    others = [m for m in r.backtest.methods[1:] if m.points and not math.isnan(m.mae)]
    if bw is None or not others:
        return None
    return all(bw.mae <= m.mae for m in others)


def forecast_history_categories(
    history: History,
    *,
    horizon: int = 3,
    freq: str = "month",
    interval: float = DEFAULT_INTERVAL,
    kind: str = "expense",
    flows_at: Mapping[dt.date, tuple[KnownFlow, ...]] | None = None,
    workers: int = 2,
) -> CategoryForecasts:
    """Forecast every category of ``kind`` (fitted on ``workers`` processes)."""
    freq = _validate_freq(freq)
    horizon = _validate_horizon(horizon, freq)
    interval = _validate_interval(interval)
    _prepare(history, freq, horizon)  # raises NotEnoughHistory once for the whole history
    if flows_at is None:
        flows_at = _frame_flow_provider(history)(flow_dates(history, freq=freq, horizon=horizon))
    names = history.categories(kind)
    done = _map_categories(history, names, horizon, freq, interval, flows_at, workers)
    results = tuple(r for r in done if isinstance(r, ForecastResult))
    skipped = tuple((n, r) for n, r in zip(names, done) if isinstance(r, str))
    return CategoryForecasts(results, skipped)


# --------------------------------------------------------------------------- database path
def history_from_db(session: Session, *, user_id: int, as_of: dt.date | None = None) -> History:
    """One user's aggregated history: per-day sums grouped in SQL (no transfers).

    Amounts in other currencies are converted to the user's currency at each day's rate;
    those without a rate are left out and named in ``notes``.
    """
    user = session.execute(select(User.currency, User.week_start).where(User.id == user_id)).first()
    if user is None:
        raise NotFoundError("This account no longer exists.")
    currency, week_start = user[0], int(user[1] or 0)
    today = dt.date.today()
    limit = min(as_of, today) if as_of else today
    cats = {
        cid: (name, kind)
        for cid, name, kind in session.execute(
            select(Category.id, Category.name, Category.kind).where(
                (Category.user_id.is_(None)) | (Category.user_id == user_id)
            )
        )
    }
    transfer_ids = [cid for cid, (_, kind) in cats.items() if kind == "transfer"]
    base = [Transaction.user_id == user_id, Transaction.date <= limit]
    if transfer_ids:
        base.append((Transaction.category_id.is_(None)) | (Transaction.category_id.not_in(transfer_ids)))
    where = [*base, Transaction.currency == currency]
    stmt = (
        select(
            Transaction.date, Transaction.kind, Transaction.category_id, Transaction.currency,
            func.sum(Transaction.amount_minor), func.count(),
        )
        .where(*base)
        .group_by(Transaction.date, Transaction.kind, Transaction.category_id, Transaction.currency)
    )
    grouped = session.execute(stmt).all()
    # other currencies: converted at each day's rate (budgetwise.services.rates); without a rate, left out
    notes: list[str] = []
    if any(r[3] != currency for r in grouped):
        from budgetwise.services import rates

        converter = rates.Converter(session, currency, user_id=user_id)
        sums = rates.sum_converted(converter, (((r[0], r[1], r[2]), r[3], r[0], int(r[4] or 0), int(r[5])) for r in grouped))
        rows = [(k[0], k[1], k[2], v[0]) for k, v in sums.items()]
        notes.extend(m.describe() for m in converter.missing)
    else:
        rows = [(r[0], r[1], r[2], int(r[4] or 0)) for r in grouped]
    if not rows:
        raise NotEnoughHistory(
            "There are no transactions yet: add or import at least "
            f"{MIN_HISTORY['month']} months of history to see a forecast.",
            have=0, need=MIN_HISTORY["month"], freq="month",
        )

    def cat_name(cid):
        return UNCATEGORIZED if cid is None else cats.get(cid, (f"Category {cid}", "expense"))[0]

    daily = pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "kind": [r[1] for r in rows],
            "category": [cat_name(r[2]) for r in rows],
            "amount_minor": np.asarray([int(r[3] or 0) for r in rows], dtype="int64"),
        }
    )
    daily = daily.groupby(["date", "kind", "category"], as_index=False, sort=True)["amount_minor"].sum()
    daily, gap_note = _after_last_gap(daily)
    if gap_note:
        notes.append(gap_note)
    # recurring-payment candidates: merchants on >= 2 days, at most ~one payment every 5 days
    merchant = merchant_expr().label("m")
    lookback = limit - dt.timedelta(days=_LOOKBACK_DAYS + 400)
    cand_stmt = (
        select(merchant, func.count(func.distinct(Transaction.date)), func.min(Transaction.date), func.max(Transaction.date))
        .where(*where, Transaction.date >= lookback)
        .group_by(merchant)
        .having(func.count(func.distinct(Transaction.date)) >= 2)
    )
    keys = []
    for m, cnt, first, last in session.execute(cand_stmt):
        span = (last - first).days
        if m and span >= 5 and (int(cnt) - 1) <= span / 5 + 1:
            keys.append(m)
    mrows = []
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        stmt = (
            select(merchant, Transaction.kind, Transaction.category_id, Transaction.date,
                   func.sum(Transaction.amount_minor), func.max(Transaction.description))
            .where(*where, Transaction.date >= lookback, merchant_expr().in_(chunk))
            .group_by(merchant, Transaction.kind, Transaction.category_id, Transaction.date)
        )
        mrows.extend(session.execute(stmt).all())
    merchants = pd.DataFrame(
        {
            "key": [r[0] for r in mrows],
            "kind": [r[1] for r in mrows],
            "category": [cat_name(r[2]) for r in mrows],
            "date": pd.to_datetime([r[3] for r in mrows]),
            "amount_minor": np.asarray([int(r[4] or 0) for r in mrows], dtype="int64"),
            "description": [r[5] or "" for r in mrows],
        },
        columns=_MERCHANT_COLUMNS,
    )
    kinds = {}
    for cid, (name, kind) in cats.items():
        if kind in ("income", "expense") and name in set(daily["category"]):
            kinds.setdefault(name, kind)
    for name in set(daily["category"]) - set(kinds):
        kinds[name] = _category_kinds_from_rows(daily[daily["category"] == name])[name]
    notes = list(_stale_note(daily["date"].max().date(), today)) + notes
    return History(
        currency=currency,
        as_of=daily["date"].max().date(),
        first_date=daily["date"].min().date(),
        daily=daily,
        merchants=merchants,
        category_kinds=kinds,
        week_start=week_start,
        notes=tuple(notes),
    )


def known_flows_from_db(
    session: Session, *, user_id: int, history: History, dates: Sequence[dt.date]
) -> dict[dt.date, tuple[KnownFlow, ...]]:
    """Recurring payments as known on each date: the one integration point with the reports.

    Uses ``budgetwise.services.reports.detect_recurring`` (the same list the Reports page
    shows) when it is available, else the detector of this module on ``history``.
    """
    try:
        from budgetwise.services.reports import detect_recurring
    except ImportError:  # pragma: no cover - reports not installed
        return _frame_flow_provider(history)(dates)
    out = {}
    for day in dates:
        flows = []
        for r in detect_recurring(session, user_id=user_id, as_of=day):
            if r.currency != history.currency or r.kind not in ("income", "expense") or r.cadence not in CADENCES:
                continue
            flows.append(
                KnownFlow(
                    key=r.merchant,
                    kind=r.kind,
                    category=r.category_name or UNCATEGORIZED,
                    cadence=r.cadence,
                    amount_minor=int(r.typical_amount_minor),
                    last_date=r.last_date,
                    next_date=r.next_date,
                    description=r.description,
                )
            )
        out[day] = tuple(flows)
    return out


def forecast_user(
    session: Session,
    *,
    user_id: int,
    series: str = SERIES_EXPENSES,
    horizon: int = 3,
    freq: str = "month",
    interval: float = DEFAULT_INTERVAL,
    as_of: dt.date | None = None,
) -> ForecastResult:
    """Forecast one series of a user's history from the database.

    Pages cache it per ``(user_id, data_version, series, horizon, freq, interval)``
    (see :func:`cache_key`): the result only changes when the user's data does.
    """
    freq = _validate_freq(freq)
    horizon = _validate_horizon(horizon, freq)
    history = history_from_db(session, user_id=user_id, as_of=as_of)
    dates = flow_dates(history, freq=freq, horizon=horizon)
    flows_at = known_flows_from_db(session, user_id=user_id, history=history, dates=dates)
    return forecast_history(history, series=series, horizon=horizon, freq=freq, interval=interval, flows_at=flows_at)


def _stale_note(as_of: dt.date, today: dt.date) -> tuple[str, ...]:
    if (today - as_of).days <= 31:
        return ()
    return (
        f"The latest transaction is from {as_of.isoformat()}: the forecast starts after it. "
        "Import recent transactions for a forecast of the coming months.",
    )


def forecast_user_categories(
    session: Session,
    *,
    user_id: int,
    horizon: int = 3,
    freq: str = "month",
    interval: float = DEFAULT_INTERVAL,
    kind: str = "expense",
    workers: int = 2,
    as_of: dt.date | None = None,
) -> CategoryForecasts:
    """Forecast every expense (or income) category of a user, on ``workers`` processes."""
    freq = _validate_freq(freq)
    horizon = _validate_horizon(horizon, freq)
    history = history_from_db(session, user_id=user_id, as_of=as_of)
    dates = flow_dates(history, freq=freq, horizon=horizon)
    flows_at = known_flows_from_db(session, user_id=user_id, history=history, dates=dates)
    return forecast_history_categories(
        history, horizon=horizon, freq=freq, interval=interval, kind=kind, flows_at=flows_at, workers=workers
    )


def cache_key(
    *, user_id: int, data_version: int, series: str, horizon: int, freq: str, interval: float
) -> tuple[int, int, str, int, str, float]:
    """The key under which a forecast may be cached: it changes whenever the inputs or the data do."""
    return (int(user_id), int(data_version), str(series), int(horizon), _validate_freq(freq), _validate_interval(interval))


def series_options(history_or_categories: History | Iterable[str]) -> list[tuple[str, str]]:
    """(series key, label) choices: total expenses, each expense category, income, net savings."""
    names = (
        history_or_categories.categories("expense")
        if isinstance(history_or_categories, History)
        else sorted(history_or_categories)
    )
    return (
        [(SERIES_EXPENSES, "Total expenses")]
        + [(category_series(n), f"Category: {n}") for n in names]
        + [(SERIES_INCOME, "Income"), (SERIES_NET, "Net savings")]
    )


def expense_categories(session: Session, *, user_id: int) -> list[str]:
    """Names of the expense categories the user has spent in (for the series choice)."""
    stmt = (
        select(Category.name)
        .join(Transaction, Transaction.category_id == Category.id)
        .where(Transaction.user_id == user_id, Transaction.kind == "expense", Category.kind == "expense")
        .group_by(Category.name)
        .order_by(Category.name)
    )
    return [r[0] for r in session.execute(stmt)]
