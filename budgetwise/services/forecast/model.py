"""The forecast model of one series (pure; Prophet is imported lazily by :func:`_prophet`).

Known flows are projected; the variable rest is fitted as a daily level on 7-day blocks
(outlier blocks left out, intermittent series as their average rate) plus last year's
pattern, shrunk by how much it exceeds random variation.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import threading
import warnings
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.names import name_key, quoted
from budgetwise.services.forecast import gaps as _gaps
from budgetwise.services.forecast import oneoff as _oneoff
from budgetwise.services.forecast.flows import CADENCES
from budgetwise.services.forecast.history import History
from budgetwise.services.forecast.types import (
    BLOCK_DAYS,
    CATEGORY_PREFIX,
    DEFAULT_SEASONAL_WEIGHT,
    INTERMITTENT_SHARE,
    MIN_WEIGHT_POINTS,
    OCCASIONAL_DAYS,
    OUTLIER_Z,
    PERIODS_PER_YEAR,
    SEASONAL_WEIGHTS,
    SERIES_EXPENSES,
    SERIES_INCOME,
    SERIES_NET,
    UNCATEGORIZED,
    YEARLY_SEASONALITY_MIN_DAYS,
    KnownFlow,
)


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
            if name_key(name) == name_key(wanted):
                return _Selection(kind, name)
        known = ", ".join(sorted(history.category_kinds)) or "none"
        raise NotFoundError(f"There is no category {quoted(wanted)} in this history (categories: {known}).", field="category")
    raise ValidationError(
        f"Unknown series {quoted(series)}: choose expenses, income, net or category:NAME.", field="series"
    )


@dataclass
class _Context:
    """Day-indexed arrays for one history and frequency (index 0 = start of the first complete period)."""

    history: History
    freq: str
    start: dt.date
    as_of: dt.date
    end: dt.date  # last day that may be forecast
    scale: float  # minor units per major unit
    gaps: tuple[dt.date, ...] = ()  # the whole gap months within start..as_of (:mod:`.gaps`; empty with FILL off)

    @property
    def n_obs(self) -> int:
        return (self.as_of - self.start).days + 1

    def idx(self, day: dt.date) -> int:
        return (day - self.start).days

    def day(self, i: int) -> dt.date:
        return self.start + dt.timedelta(days=int(i))


class _Columns:
    """A history's ``daily`` and ``merchants`` columns as arrays, taken once per history (every category's run
    selects its rows from them; reading them from the frames cost each of 16 categories ~4 ms)."""

    def __init__(self, history: History) -> None:
        d, m = history.daily, history.merchants
        self.kind = d["kind"].to_numpy(dtype=object)
        self.category = d["category"].to_numpy(dtype=object)
        self.date = d["date"].to_numpy(dtype="datetime64[us]")
        self.amount = d["amount_minor"].to_numpy(dtype=float)
        self.m_key = m["key"].to_numpy(dtype=object)
        self.m_kind = m["kind"].to_numpy(dtype=object)
        self.m_category = m["category"].to_numpy(dtype=object)
        self.m_date = m["date"].to_numpy(dtype="datetime64[us]")
        self.m_amount = m["amount_minor"].to_numpy(dtype=float)
        # each merchant key's rows, in order (what ``groupby("key", sort=False)`` gives; missing keys left out)
        self.m_rows: dict[object, list[int]] = {}
        for i, key in enumerate(self.m_key.tolist()):
            if not pd.isna(key):
                self.m_rows.setdefault(key, []).append(i)


_COLUMNS: dict[int, tuple[weakref.ref, weakref.ref, _Columns]] = {}  # id(history.daily) -> the frames, their arrays
_COLUMNS_LOCK = threading.Lock()


def _columns(history: History) -> _Columns:
    """:class:`_Columns` of ``history``, kept while its frames live (a history's frames are never changed)."""
    with _COLUMNS_LOCK:
        kept = _COLUMNS.get(id(history.daily))
        if kept is not None and kept[0]() is history.daily and kept[1]() is history.merchants:
            return kept[2]
    cols = _Columns(history)
    with _COLUMNS_LOCK:
        for key in [k for k, v in _COLUMNS.items() if v[0]() is None]:
            del _COLUMNS[key]
        _COLUMNS[id(history.daily)] = (weakref.ref(history.daily), weakref.ref(history.merchants), cols)
    return cols


def _days_since(dates: np.ndarray, start: dt.date) -> np.ndarray:
    """Whole days from ``start`` to each datetime64[us] date (``(dates - start).dt.days``: floored), as int64."""
    return ((dates - np.datetime64(start, "us")) // np.timedelta64(1, "D")).astype(np.int64)


class _SeriesData:
    """Day totals (major units) per category of one selection, and per recurring merchant.

    ``Y[c, i]`` is category ``c``'s total on day ``i``; known (recurring) payments are
    subtracted per origin to leave the variable part.
    """

    def __init__(self, ctx: _Context, sel: _Selection) -> None:
        h = _columns(ctx.history)
        mask = h.kind == sel.kind
        if sel.category is not None:
            mask &= h.category == sel.category
        at = np.flatnonzero(mask)
        names = h.category[at]
        self.cats = sorted(set(names.tolist())) or ([sel.category] if sel.category else [UNCATEGORIZED])
        pos = {c: i for i, c in enumerate(self.cats)}
        self.Y = np.zeros((len(self.cats), ctx.n_obs), dtype=float)
        if len(at):
            days = _days_since(h.date[at], ctx.start)
            ok = (days >= 0) & (days < ctx.n_obs)
            ci = np.array([pos[c] for c in names.tolist()], dtype=np.int64)
            np.add.at(self.Y, (ci[ok], days[ok]), h.amount[at][ok] / ctx.scale)
        # gap months (no row of the user at all) read as missing: filled from the months with data next to them
        spans = _gaps.gap_spans(ctx.gaps, ctx.start, ctx.n_obs) if ctx.gaps else []
        refs = _gaps.reference_days(spans, ctx.start, ctx.n_obs) if spans else []
        self.raw: np.ndarray | None = None  # the day totals as in the data, when gap months were filled
        if spans:
            self.raw = self.Y.sum(axis=0)
            _gaps.fill_rows(self.Y, spans, refs)
        self.by_key: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        # per merchant key, its rows of this selection in order, on arrays
        wanted = (h.m_kind == sel.kind) & np.array([c in pos for c in h.m_category.tolist()], dtype=bool)
        if not wanted.any():
            return
        for key, rows in h.m_rows.items():
            at = np.asarray(rows, dtype=np.int64)
            at = at[wanted[at]]
            if not len(at):
                continue
            days = _days_since(h.m_date[at], ctx.start)
            ok = (days >= 0) & (days < ctx.n_obs)
            cats = np.array([pos[c] for c in h.m_category[at].tolist()], dtype=np.int64)
            self.by_key[str(key)] = (cats[ok], days[ok], h.m_amount[at][ok] / ctx.scale)
        if spans:  # each recurring merchant filled as the day totals are, so a gap's variable part is the rest
            for key, (ci, di, amounts) in list(self.by_key.items()):
                self.by_key[key] = _gaps.fill_events(ci, di, amounts, len(self.cats), spans, refs)

    def total(self) -> np.ndarray:
        return self.Y.sum(axis=0)

    def variable(self, keys: Iterable[str], upto: int) -> np.ndarray:
        """Per-category day totals up to ``upto`` without the given recurring merchants."""
        out = self.Y[:, : upto + 1].copy()
        for key in sorted(keys):  # a set's order varies with PYTHONHASHSEED: float sums must not
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
        overdue_done = False
        for when in _schedule(f.last_date, f.cadence, last_day):
            if when <= origin_day:
                if overdue_done or (origin_day - when).days > CADENCES[f.cadence].tolerance_days:
                    continue
                when = origin_day + dt.timedelta(days=1)
                overdue_done = True
            out[(when - origin_day).days - 1] += f.amount_minor / ctx.scale
    return out


@functools.lru_cache(maxsize=4096)
def _schedule(last_date: dt.date, cadence: str, last_day: dt.date) -> tuple[dt.date, ...]:
    """A recurring payment's next dates after ``last_date`` up to ``last_day`` (its cadence's step, 1, 2, ...
    times; the backtest's categories and origins ask for the same schedules again)."""
    step = CADENCES[cadence].step
    out = []
    k = 1
    while (when := last_date + step * k) <= last_day:
        out.append(when)
        k += 1
    return tuple(out)


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
    yearly = n_blocks * BLOCK_DAYS >= YEARLY_SEASONALITY_MIN_DAYS
    # the blocks' middle days and the future days as datetime64[ns] (what pd.to_datetime of ctx.day(...) gives)
    start_ns, one_day = np.datetime64(ctx.start, "ns"), np.timedelta64(1, "D")
    ds = start_ns + (first + BLOCK_DAYS // 2 + BLOCK_DAYS * np.arange(n_blocks)) * one_day
    future = start_ns + (origin + 1 + np.arange(n_future)) * one_day
    y = blocks[keep]
    if LEVEL_ENGINE == "prophet":
        fitted, rates = _prophet_fit(pd.DataFrame({"ds": ds[keep], "y": y}), pd.DatetimeIndex(future), yearly)
    else:
        fitted, rates = _least_squares_arrays(ds[keep], y, future, yearly)
    resid = y - fitted
    sigma = float(np.sqrt(np.mean(resid**2))) if len(resid) > 2 else float(np.std(blocks))
    return _LevelFit(np.maximum(rates, 0.0), sigma, "prophet" if LEVEL_ENGINE == "prophet" else "level", yearly)


# How the level model (a flat level, plus yearly Fourier terms of order 6 with two years of
# blocks) is fitted. "least_squares": in closed form; with these settings Prophet's MAP estimate
# is the least-squares fit (its priors on the level and the Fourier weights are flat at this
# scale), the tests check the two agree, and it takes 0.1 ms instead of Prophet's 80-180 ms per
# fit plus a 1-2 s import. "prophet": Prophet itself (kept for that check and for comparison).
LEVEL_ENGINE = "least_squares"
YEARLY_ORDER = 6


def _yearly_features(ds: pd.DatetimeIndex | np.ndarray) -> np.ndarray:
    """Prophet's yearly Fourier features (period 365.25 days, days since the epoch)."""
    t = np.asarray(ds, dtype="datetime64[ns]").astype(np.int64) / 1e9 / 86400.0
    x = 2 * np.pi * t / 365.25
    return np.column_stack([f(i * x) for i in range(1, YEARLY_ORDER + 1) for f in (np.sin, np.cos)])


def _least_squares_fit(train: pd.DataFrame, future: pd.DatetimeIndex, yearly: bool) -> tuple[np.ndarray, np.ndarray]:
    """Fitted values and future daily rates of a flat level (+ yearly Fourier terms)."""
    return _least_squares_arrays(train["ds"].to_numpy(dtype="datetime64[ns]"), train["y"].to_numpy(dtype=float),
                                 np.asarray(future, dtype="datetime64[ns]"), yearly)


def _least_squares_arrays(ds: np.ndarray, y: np.ndarray, future: np.ndarray, yearly: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_least_squares_fit` on arrays (datetime64[ns] days, float values): the model run's path."""
    y = np.asarray(y, dtype=float)
    if not yearly:
        level = float(np.mean(y))
        return np.full(len(y), level), np.full(len(future), level)
    X = np.column_stack([np.ones(len(y)), _yearly_features(ds)])
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    Xf = np.column_stack([np.ones(len(future)), _yearly_features(future)])
    return X @ beta, Xf @ beta


def _prophet_fit(train: pd.DataFrame, future: pd.DatetimeIndex, yearly: bool) -> tuple[np.ndarray, np.ndarray]:
    Prophet = _prophet()
    model = Prophet(
        # A flat level: extrapolating a linear trend fitted on one or two years of noisy
        # spending made every backtest worse (docs/forecasting.md); no changepoints then.
        growth="flat",
        n_changepoints=0,
        yearly_seasonality=YEARLY_ORDER if yearly else False,
        weekly_seasonality=False,
        daily_seasonality=False,
        uncertainty_samples=0,
        mcmc_samples=0,
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="prophet")  # pandas deprecation notices inside Prophet
        model.fit(train)
        pred = model.predict(pd.concat([train[["ds"]], pd.DataFrame({"ds": future})], ignore_index=True))["yhat"]
    pred = pred.to_numpy()
    return pred[: len(train)], pred[len(train):]


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
    if ctx.freq == "week":
        return i - 364
    return _year_before(ctx.start, i)


@functools.lru_cache(maxsize=4096)
def _year_before(start: dt.date, i: int) -> int:
    """The index (days from ``start``) of the day a year before day ``i`` (every origin asks for the same few)."""
    return ((start + dt.timedelta(days=i)) - relativedelta(years=1) - start).days


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


# session 21 (outlier, issue #17): the level model's variable part with the one-off periods' excess taken off (the
# periods and what they count as: ``oneoff.one_offs`` of the complete period totals up to the origin, the rule the
# naive candidates see), so a lone purchase among recurring bills is not averaged into the months ahead. False: off.
# Session 21's test failed on coverage alone; session 22 (bills22) shipped it with ``conformal.SHORT_RANGE`` on their
# joint pre-registered test (fresh seeds 1971-2000, benchmarks/forecast_oneoff_check.py --short-range;
# docs/history/forecasting.md). Expense series only: the test measured expenses, and income measured worse after it
# (a yearly bonus month is a lone high period; as ``ensemble.Config.winsor_income``).
# Session 28 (oneoff28): ``oneoff.SHIPPED``, ``ONE_OFF_LOCAL`` since its pre-registered test passed (seeds 3051-3110).
MODEL_ONE_OFF: bool | str = _oneoff.SHIPPED


def _one_offs_out(y_var: np.ndarray, data: _SeriesData, periods: Sequence[tuple[dt.date, int, int]],
                  origin: int) -> np.ndarray:
    done = [(a, b) for _, a, b in periods if b <= origin]
    total = data.total()
    totals = np.array([total[a : b + 1].sum() for a, b in done])
    out = y_var
    for i, counted in _oneoff.capped(totals, MODEL_ONE_OFF):
        a, b = done[i]
        part = float(out[a : b + 1].sum())
        if part > 0:
            out = out.copy() if out is y_var else out
            out[a : b + 1] *= max(0.0, part - (totals[i] - counted)) / part
    return out


def _components(
    ctx: _Context, data: _SeriesData, sel: _Selection, flows: Sequence[KnownFlow], origin: int,
    targets: Sequence[_Target], periods: Sequence[tuple[dt.date, int, int]],
) -> _Piece:
    mine = _flows_for(flows, sel)
    V = data.variable({f.key for f in mine}, origin)
    y_var = V.sum(axis=0)
    last = max(t.end for t in targets)
    out = MODEL_ONE_OFF and sel.kind == "expense"
    fit = _fit_level(ctx, _one_offs_out(y_var, data, periods, origin) if out else y_var, origin, last - origin)
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
    return _choose_weight_of(*(rows[c].to_numpy(dtype=float) for c in ("level", "seasonal", "known", "actual")))


def seasonal_tested(seasonal: np.ndarray) -> bool:
    """Whether backtest rows with these last-year deviations (NaN: no year before the period) are enough to choose
    the seasonal weight on (``MIN_WEIGHT_POINTS``); otherwise it is ``DEFAULT_SEASONAL_WEIGHT``, untested."""
    return int(np.sum(~np.isnan(np.asarray(seasonal, dtype=float)))) >= MIN_WEIGHT_POINTS


def _choose_weight_of(level: np.ndarray, seasonal: np.ndarray, known: np.ndarray, actual: np.ndarray) -> float:
    """:func:`_choose_weight` on the rows' columns as arrays (the backtest's prequential loop: no frames)."""
    has = ~np.isnan(seasonal)
    if not seasonal_tested(seasonal):
        return DEFAULT_SEASONAL_WEIGHT
    level, seasonal, known, actual = level[has], seasonal[has], known[has], actual[has]
    best, best_err = DEFAULT_SEASONAL_WEIGHT, math.inf
    for w in SEASONAL_WEIGHTS:
        err = float(np.mean(np.abs(actual - _combine(level, seasonal, known, w))))
        if err < best_err - 1e-9:
            best, best_err = w, err
    return best
