"""The pure public API: forecast a ``History`` or a DataFrame, one series or every category.

Category forecasts may run on joblib's reusable loky pool (:func:`warm_up_workers` starts it).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import logging
import math
import pickle
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from budgetwise.ratios import percent_change, percent_text
from budgetwise.services.forecast import ensemble as _ensemble
from budgetwise.services.forecast import gaps as _gaps
from budgetwise.services.forecast import pooled as _pooled
from budgetwise.services.forecast.backtest import (
    _check_history,
    _choose_methods,
    _context,
    _finish,
    _net_run,
    _origins,
    _period_table,
    _Run,
    _run_evidence,
    _run_series,
    _totals_evidence,
    origin_count,
)
from budgetwise.services.forecast.flows import _frame_flow_provider
from budgetwise.services.forecast.history import History, history_from_frame
from budgetwise.services.forecast.model import (
    _Context,
    _prophet,
    _Selection,
    _selection,
    category_series,
    seasonal_tested,
    series_label,
)
from budgetwise.services.forecast.periods import (
    _validate_freq,
    _validate_horizon,
    _validate_interval,
)
from budgetwise.services.forecast.types import (
    BACKTEST_STEPS,
    DEFAULT_INTERVAL,
    SERIES_EXPENSES,
    SERIES_NET,
    ForecastResult,
    KnownFlow,
    NotEnoughHistory,
)
from budgetwise.text import plural

log = logging.getLogger(__name__)

# "Every category" runs each category's models: 100 categories, weekly over 104 weeks, took 24 s of CPU in the one
# process every user shares (session 23, load ~10); a file or an account may hold 500.
MAX_CATEGORY_FORECASTS = 100
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
        parts.append(f"{plural(len(run.flows), 'recurring payment')} projected on "
                     f"{'its' if len(run.flows) == 1 else 'their'} schedule")
    model = {
        "prophet": "Prophet on weekly totals" + (" with yearly seasonality" if run.yearly else ""),
        "level": "a flat level on weekly totals" + (" with yearly seasonality (Prophet's model, fitted in closed form)"
                                                    if run.yearly else ""),
        "average": "the average weekly rate (spending in this series is occasional)",
        "none": "nothing else (no other spending in this series)",
    }
    parts.append("the rest modelled with " + model.get(run.method, run.method))
    # last year's template only where the final forecast has one (no year of history, or a yearly fit: none), and
    # "chosen by the backtest" only when it was (session 23: else the untested default, DEFAULT_SEASONAL_WEIGHT)
    if run.weight > 0 and "has_season" in run.final and bool(run.final["has_season"].any()):
        tested = "seasonal" in run.records and seasonal_tested(run.records["seasonal"].to_numpy(dtype=float))
        parts.append(f"{percent_text(run.weight * 100, ctx.history.locale, digits=0)} weight on the same {ctx.freq} "
                     "last year " + ("(chosen by the backtest)" if tested else
                                     f"(not tested: too few of your backtest {ctx.freq}s had a year before them)"))
    text = "; ".join(parts)
    if run.choice is not None:
        unit = "month" if ctx.freq == "month" else "week"
        if run.choice.chosen == ("model",):
            return f"{text[0].upper()}{text[1:]} (it did best on your own backtest)"
        how = "did best" if run.choice.errors else "is the default until there are enough backtest points"
        where = ("on your own history (this category's backtest, weighed with how the methods did on your other "
                 "categories)" if run.choice.pooled else "on your own history")
        text = (f"{run.choice.describe(unit)[0].upper()}{run.choice.describe(unit)[1:]}, which {how} {where} among "
                f"the candidate methods. The recurring-payment and seasonal model: {text}")
        if run.aware and run.flows:  # session 16 (wkfix): weekly candidates on the variable part
            text += (". The other methods forecast your spending without the recurring payments, which are added "
                     "in the weeks they fall due")
    return text


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
    notes = list(history.notes)  # its notes on missing rates narrowed to the series' rows by _with_rates
    if series == SERIES_NET:
        inc = _choose_methods(_run_series(ctx, _Selection("income", None), flows_at, horizon), ctx)
        exp = _choose_methods(_run_series(ctx, _Selection("expense", None), flows_at, horizon), ctx)
        run = _net_run(inc, exp, ctx)
        run.method = "income and expenses forecast separately, net = income - expenses. Income: " + _method_text(
            inc, ctx) + ". Expenses: " + _method_text(exp, ctx)
        clip = False
    else:
        sel = _selection(history, series)
        # past MAX_CATEGORY_FORECASTS a category is forecast on its own evidence, as a weekly one is: the pool runs
        # every category's models (1,000 categories: 25 s of CPU for one, session 23)
        if sel.category is not None and _pools(sel.kind, freq) and len(history.categories(sel.kind)) <= MAX_CATEGORY_FORECASTS:
            # the category's choice pools the evidence of every category of its kind: the same numbers as
            # within forecast_history_categories (the runs are computed once per history and cached)
            if _ensemble.DEFAULT.pool_candidates is not None:  # the cheap pool: the others' period totals only
                kept = _kept_runs(_runs_key(history, sel.kind, freq, horizon, flows_at))
                if kept is not None and sel.category in kept.runs:
                    return _category_result(kept, ctx, sel.category, series, horizon, interval)
                pool = _category_pool(history, sel.kind, freq, horizon)
                run = _run_series(ctx, sel, flows_at, horizon)
                return _pooled_result(run, dict(pool.memos.get(sel.category, {})), pool.pooled, ctx, series,
                                      horizon, interval)
            runs = _category_runs(history, sel.kind, freq, horizon, flows_at)
            if sel.category in runs.runs:
                return _category_result(runs, ctx, sel.category, series, horizon, interval)
        run = _choose_methods(_run_series(ctx, sel, flows_at, horizon), ctx)
        run.method = _method_text(run, ctx)
        clip = True
    return _with_rates(_finish(
        run, ctx, series=series, label=series_label(series), horizon=horizon, interval=interval, clip=clip, notes=notes
    ), history)


def _with_rates(result: ForecastResult, history: History) -> ForecastResult:
    """The forecast's notes on what was left out for want of a rate narrowed to the rows its series uses (expenses:
    the money out; income: the money in; net: both), and marked (``missing_rates``, ``rate_notes``): a page lists
    them in one warning (session 25: the forecast of expenses read "2 transactions (HUF 1.640,00)", 350 out and
    1,290 in, in one box per currency)."""
    missing = history.left_out_for(None if result.series == SERIES_NET else _selection(history, result.series).kind)
    texts = tuple(m.describe(history.locale, history.date_format) for m in missing)
    notes: list[str] = []
    for note in result.notes:  # in the place of the history's notes on them
        if note not in history.missing_rates:
            notes.append(note)
        elif note == history.missing_rates[0]:
            notes.extend(texts)
    return dataclasses.replace(result, notes=tuple(notes), missing_rates=missing, rate_notes=texts)


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


@dataclass
class _CategoryRuns:
    """Every category of one kind of a history, before the choice of methods: the model runs, the
    candidates' forecasts (``memos``) and the evidence pooled over them (None: pooling is off)."""

    runs: dict[str, _Run]
    memos: dict[str, dict]
    pooled: _pooled.Pooled | None
    skipped: dict[str, str]


def _category_model_run(
    history: History, name: str, horizon: int, freq: str, flows_at, final: bool = False, pools: bool = True
) -> tuple | str:
    """One category's model run, its memo of candidate forecasts and what it adds to the pool (or why not).
    ``final``: the candidates' final forecasts too (in the workers; in this process each category's are computed
    when it is forecast, so one category cold does not compute the others'). ``pools``: whether the categories of
    its kind pool their evidence (:func:`_pools`); in this process a kind that does not (weekly, income) computes
    none (session 17, wkspeed: its choice computes the candidates it needs; the same numbers)."""
    try:
        ctx, _ = _prepare(history, freq, horizon)
        run = _run_series(ctx, _selection(history, category_series(name)), flows_at, horizon)
    except NotEnoughHistory as exc:
        return exc.message
    memo: dict = {}
    part = None
    # the cheap pool needs no run; in the workers the evidence also fills the memo the choice reuses
    if not run.history.empty and _ensemble.DEFAULT.pool_candidates is None and (pools or final):
        part = _run_evidence(run, ctx, memo, config=_ensemble.DEFAULT, final=final)
    return run, memo, part


def _category_chunk(
    history: History, names: list[str], horizon: int, freq: str, flows_at, final: bool = False, pools: bool = True
) -> list:
    return [_category_model_run(history, n, horizon, freq, flows_at, final, pools) for n in names]


def _map_categories(
    history: History, names: list[str], horizon: int, freq: str, flows_at, workers: int, pools: bool = True
) -> list:
    """The categories' model runs (:func:`_category_model_run`) on ``workers`` processes (joblib's
    reusable loky pool) once :func:`warm_up_workers` has started them, else in this process: a category
    costs ~0.08 s of CPU, while starting two workers (Python, pandas, statsmodels) costs several seconds,
    so the first forecast of a process never waits for them.

    The categories are dealt into one chunk per worker, busiest first, so each worker
    receives the history once and the heavier categories are spread evenly.
    """
    if workers <= 1 or len(names) < 3 or not _POOL_READY.is_set():
        return _category_chunk(history, names, horizon, freq, flows_at, pools=pools)
    from joblib import Parallel, delayed

    busy = history.daily.groupby("category")["date"].nunique()
    order = sorted(names, key=lambda n: -int(busy.get(n, 0)))
    chunks = [order[i::workers] for i in range(workers)]
    parts = Parallel(n_jobs=workers, backend="loky")(
        delayed(_category_chunk)(history, chunk, horizon, freq, flows_at, True) for chunk in chunks if chunk
    )
    by_name = {}
    for chunk, part in zip([c for c in chunks if c], parts):
        by_name.update(zip(chunk, part))
    return [by_name[n] for n in names]


_RUNS_CACHE: OrderedDict[str, _CategoryRuns] = OrderedDict()  # by the history's content (a data version)
_RUNS_LOCK = threading.Lock()
_RUNS_KEEP = 8


def _fingerprint(history: History, *parts: object) -> str:
    """A digest of everything a forecast reads from ``history`` (and ``parts``): equal data, equal key."""
    h = hashlib.sha256()
    for field in dataclasses.fields(history):  # every field, so one added later is never left out of the key
        value = getattr(history, field.name)
        if isinstance(value, pd.DataFrame):
            h.update(repr(list(value.columns)).encode())
            h.update(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
        elif isinstance(value, Mapping):
            h.update(repr(sorted(value.items())).encode())
        else:
            h.update(repr(value).encode())
    h.update(pickle.dumps(parts))
    h.update(repr(_gaps.FILL).encode())  # gap months read as missing or as zeros: other runs
    return h.hexdigest()


def _pools(kind: str, freq: str) -> bool:
    """Whether categories of ``kind`` pool their evidence: monthly expense categories, where it was measured
    (2026-12-05, docs/forecasting.md); weekly and income categories are chosen series by series."""
    return _ensemble.DEFAULT.pool > 0 and kind == "expense" and freq == "month"


@dataclass
class _CategoryPool:
    """The cheap pool of one kind of a history (``Config.pool_candidates``): the evidence of every category's
    reference candidates, from its period totals alone, and their forecasts (``memos``, reused by the choice)."""

    pooled: _pooled.Pooled
    memos: dict[str, dict]


_POOL_CACHE: OrderedDict[str, _CategoryPool] = OrderedDict()  # by the history's content, as _RUNS_CACHE


def _category_pool(history: History, kind: str, freq: str, horizon: int) -> _CategoryPool:
    """The cheap pool over every category of ``kind`` (no model run, no statistical fit: a few ms a category),
    computed once per history content; one category and "all categories" both take their prior from it."""
    config = _ensemble.DEFAULT
    key = _fingerprint(history, "pool", kind, freq, horizon, config, origin_count(freq))
    with _RUNS_LOCK:
        if key in _POOL_CACHE:
            _POOL_CACHE.move_to_end(key)
            return _POOL_CACHE[key]
    ctx, _ = _prepare(history, freq, horizon)
    parts, memos = [], {}
    for name in history.categories(kind):
        memos[name] = {}
        part = _totals_evidence(ctx, _selection(history, category_series(name)), memos[name], config=config)
        if part is not None:
            parts.append(part)
    out = _CategoryPool(_pooled.pool_evidence(parts, config.pool_candidates or config.candidates, config.min_points),
                        memos)
    with _RUNS_LOCK:
        _POOL_CACHE[key] = out
        while len(_POOL_CACHE) > _RUNS_KEEP:
            _POOL_CACHE.popitem(last=False)
    return out


def _runs_key(history: History, kind: str, freq: str, horizon: int, flows_at) -> str:
    flows = sorted((d, tuple(f)) for d, f in flows_at.items())
    return _fingerprint(history, kind, freq, horizon, flows, _ensemble.DEFAULT, origin_count(freq))


def _kept_runs(key: str) -> _CategoryRuns | None:
    """The categories' runs of a history (its ``_runs_key``) if "all categories" computed them already."""
    with _RUNS_LOCK:
        if key in _RUNS_CACHE:
            _RUNS_CACHE.move_to_end(key)
            return _RUNS_CACHE[key]
    return None


def _category_runs(
    history: History, kind: str, freq: str, horizon: int, flows_at, workers: int = 1
) -> _CategoryRuns:
    """Every category of ``kind``: model runs and pooled evidence, computed once per history (kept for
    the last few histories in this process, keyed by their content, so one category after "all
    categories", or the other way round, costs only its choice of methods and its interval)."""
    key = _runs_key(history, kind, freq, horizon, flows_at)
    kept = _kept_runs(key)
    if kept is not None:
        return kept
    names = history.categories(kind)
    done = _map_categories(history, names, horizon, freq, flows_at, workers, _pools(kind, freq))
    runs, memos, parts, skipped = {}, {}, [], {}
    for name, got in zip(names, done):
        if isinstance(got, str):
            skipped[name] = got
            continue
        runs[name], memos[name], part = got
        if part is not None:
            parts.append(part)
    config = _ensemble.DEFAULT
    pooled = None
    if _pools(kind, freq) and config.pool_candidates is not None:  # the prior one category alone also uses
        pool = _category_pool(history, kind, freq, horizon)
        pooled = pool.pooled
        for name, memo in memos.items():  # the reference candidates' forecasts, computed once
            memo.update(pool.memos.get(name, {}))
    elif _pools(kind, freq):
        pooled = _pooled.pool_evidence(parts, config.candidates, config.min_points)
    out = _CategoryRuns(runs, memos, pooled, skipped)
    with _RUNS_LOCK:
        _RUNS_CACHE[key] = out
        while len(_RUNS_CACHE) > _RUNS_KEEP:
            _RUNS_CACHE.popitem(last=False)
    return out


def _category_result(
    runs: _CategoryRuns, ctx: _Context, name: str, series: str, horizon: int, interval: float
) -> ForecastResult:
    """One category's forecast from the shared runs: its choice of methods (with the pooled evidence)
    and its interval. The cached run is not changed."""
    return _pooled_result(copy.copy(runs.runs[name]), runs.memos[name], runs.pooled, ctx, series, horizon, interval)


def _pooled_result(
    run: _Run, memo: dict, pooled: _pooled.Pooled | None, ctx: _Context, series: str, horizon: int, interval: float
) -> ForecastResult:
    run = _choose_methods(run, ctx, config=_ensemble.DEFAULT, memo=memo, pooled=pooled)
    run.method = _method_text(run, ctx)
    return _with_rates(_finish(run, ctx, series=series, label=series_label(series), horizon=horizon, interval=interval,
                               clip=True, notes=list(ctx.history.notes)), ctx.history)


_POOL_READY = threading.Event()  # set once warm_up_workers has started the worker processes


def _warm() -> int:
    """Import what a forecast will need (slow imports paid once, before the first forecast)."""
    from budgetwise.services.forecast import ensemble, model

    if model.LEVEL_ENGINE == "prophet":
        _prophet()
    if ensemble.STATSMODELS & set(ensemble.DEFAULT.candidates):
        import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401
        import statsmodels.tsa.forecasting.theta  # noqa: F401
    return 0


def warm_up_workers(workers: int = 2, *, wait: bool = False) -> None:
    """Import the forecast's libraries in this process and start the worker processes of
    :func:`forecast_history_categories` with the same imports done.

    Pages call it when they open, in the background, so the first forecast does not pay
    for the imports (statsmodels: 1-3 s) or for starting Python twice. joblib's loky pool is
    reused across calls with the same settings, so this costs nothing once they run.
    """

    def run() -> None:
        try:
            _warm()
            if workers > 1:
                from joblib import Parallel, delayed

                Parallel(n_jobs=workers, backend="loky")(delayed(_warm)() for _ in range(workers))
                _POOL_READY.set()
        except Exception:
            log.debug("forecast warm-up failed", exc_info=True)

    if wait:
        run()
    else:
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
                    "change_pct": percent_change(r.mean_forecast, r.mean_history),
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
    workers: int = 1,  # in-process: 1.3 s of CPU for 16 categories; 2 workers only pay off on an idle machine
) -> CategoryForecasts:
    """Forecast every category of ``kind`` (fitted on ``workers`` processes)."""
    freq = _validate_freq(freq)
    horizon = _validate_horizon(horizon, freq)
    interval = _validate_interval(interval)
    held = len(history.categories(kind))
    if held > MAX_CATEGORY_FORECASTS:
        from budgetwise.errors import ValidationError

        raise ValidationError(
            f"This history has {held:,} {kind} categories; \"Forecast every category\" takes at most "
            f"{MAX_CATEGORY_FORECASTS:,} (each one is several model runs on the server every user shares). Forecast "
            "them one at a time above, or put small ones together.")
    ctx, _ = _prepare(history, freq, horizon)  # raises NotEnoughHistory once for the whole history
    if flows_at is None:
        flows_at = _frame_flow_provider(history)(flow_dates(history, freq=freq, horizon=horizon))
    runs = _category_runs(history, kind, freq, horizon, flows_at, workers)
    names = history.categories(kind)
    results = tuple(
        _category_result(runs, ctx, n, category_series(n), horizon, interval) for n in names if n in runs.runs
    )
    skipped = tuple((n, runs.skipped[n]) for n in names if n in runs.skipped)
    return CategoryForecasts(results, skipped)
