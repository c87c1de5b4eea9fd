"""Rolling-origin runs, conformal prediction intervals and the backtest summary (pure).

Each series is fitted at several past origins and compared with what happened, next to two
naive baselines; those errors calibrate the interval (split-conformal quantiles).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np
import pandas as pd

from budgetwise.dates import day_text, month_text
from budgetwise.money import minor_digits
from budgetwise.ratios import percent_text
from budgetwise.services.forecast import conformal as _conformal
from budgetwise.services.forecast import ensemble as _ensemble
from budgetwise.services.forecast import gaps as _gaps
from budgetwise.services.forecast import oneoff as _oneoff
from budgetwise.services.forecast import pooled as _pooled
from budgetwise.services.forecast import weekly as _weekly
from budgetwise.services.forecast.enough import _check_history  # noqa: F401 - re-exported
from budgetwise.services.forecast.history import History
from budgetwise.services.forecast.model import (
    _choose_weight_of,
    _combine,
    _components,
    _Context,
    _Selection,
    _SeriesData,
    _Target,
)
from budgetwise.services.forecast.periods import next_period, period_end, period_start
from budgetwise.services.forecast.types import (
    BACKTEST_ORIGINS,
    BACKTEST_STEPS,
    MEAN3_PERIODS,
    MIN_CONFORMAL_POINTS,
    MIN_HISTORY,
    PERIODS_PER_YEAR,
    SEASON_PERIODS,
    Backtest,
    ForecastResult,
    KnownFlow,
    MethodError,
)
from budgetwise.text import plural


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
    choice: _ensemble.Choice | None = None  # the methods the final forecast averages (None: the model alone)
    # weekly: per origin (index into the periods; the last: the final forecast's) the recurring payments per past
    # period (:func:`.weekly.recurring_sums`; ``Config.week_known``). None: monthly
    recurring: dict[int, np.ndarray] | None = None
    aware: bool = False  # the candidates forecast the variable part plus the recurring payments (week_known)
    kind: str = "expense"  # income series' candidates see one-offs as ``Config.winsor_income`` says
    raw: np.ndarray | None = None  # the period totals as in the data when gap months were filled (:mod:`.gaps`)


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
    first = _gaps.first_day(history.daily, start, history.as_of)  # leading gap months: the history starts later
    if first != start:
        start = period_start(first, freq, history.week_start)
        if start < first:
            start = next_period(start, freq)
    first_future = period_start(history.as_of + dt.timedelta(days=1), freq, history.week_start)
    end = period_end(first_future, freq)
    for _ in range(horizon - 1):
        end = period_end(next_period(period_start(end, freq, history.week_start), freq), freq)
    return _Context(history, freq, start, history.as_of, end, float(10 ** minor_digits(history.currency)),
                    _gaps.gap_months(history.daily, start, history.as_of))


# session 14 (weekly, issue #17): the backtest spans a year of origins at every frequency (12 months, 52 weeks)
# instead of 12 origins at both: with 12 weekly origins the weekly backtest calibrated its ranges on 4-11 weeks of
# errors (its 80% ranges held 68% of the weeks on the 13 households, 62% on seeds 881-940; with a year 84% / 83%).
# Shipped on the pre-registered test of docs/forecasting.md; months keep 12. False: 12 origins at every frequency
ORIGINS_A_YEAR = True


def origin_count(freq: str) -> int:
    """How many backtest origins a series of frequency ``freq`` gets at most: a year of them
    (``PERIODS_PER_YEAR``) with ``ORIGINS_A_YEAR``, else ``BACKTEST_ORIGINS`` (the same for a month: 12)."""
    return PERIODS_PER_YEAR[freq] if ORIGINS_A_YEAR else BACKTEST_ORIGINS


def _origins(ctx: _Context, periods: list, steps: int) -> list[int]:
    """Indices (into ``periods``) of the backtest origins: after >= MIN_HISTORY periods, the last
    :func:`origin_count`."""
    first = MIN_HISTORY[ctx.freq] - 1
    last = len(periods) - 2  # at least one complete target after the origin
    return list(range(max(first, last - origin_count(ctx.freq) + 1), last + 1))


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


_RECORD_COLUMNS = ["origin_day", "ds", "step", "target_end", "actual", "level", "seasonal", "has_season", "known",
                   "sigma", "mean3", "last_year", "scale", "level_ok"]
_TOTALS_COLUMNS = ["origin_day", "ds", "step", "target_end", "actual", "mean3", "last_year", "scale", "level_ok"]


def _gap_periods(ctx: _Context, periods: list) -> np.ndarray:
    """Per period: whether it has a day in a gap month (:mod:`.gaps`; all False without gaps)."""
    if not ctx.gaps:
        return np.zeros(len(periods), dtype=bool)
    return np.array([_gaps.period_is_gap(ctx.day(a), ctx.day(b), ctx.gaps) for _, a, b in periods], dtype=bool)


def _backtest_rows(ctx: _Context, periods: list, totals: np.ndarray):
    """Per backtest origin: its last day's index, its targets and one row per target with what the period
    totals alone say (actual, naive baselines, scale); the model's columns are added by :func:`_run_series`."""
    steps = BACKTEST_STEPS[ctx.freq]
    season = SEASON_PERIODS[ctx.freq]
    m3 = MEAN3_PERIODS[ctx.freq]
    gap = _gap_periods(ctx, periods)
    for k in _origins(ctx, periods, steps):
        origin = periods[k][2]
        targets = [
            _Target(periods[j][1], periods[j][2], periods[j][0], periods[j][2] - periods[j][1] + 1)
            for j in range(k + 1, min(k + 1 + steps, len(periods)))
        ]
        past = totals[: k + 1]
        level = float(np.mean(np.abs(past[-12:])))
        seen = past[~gap[: k + 1]] if gap.any() else past  # the naive guesses read the months with data
        rows = [
            {
                "origin_day": ctx.day(origin),
                "ds": t.ds,
                "step": s,
                "target_end": ctx.day(t.end),
                "actual": float(totals[j]),
                "mean3": float(np.mean(seen[-m3:])) if len(seen) >= 1 else math.nan,
                "last_year": float(totals[j - season]) if j - season >= 0 and not gap[j - season] else math.nan,
                "scale": level or 1.0,
                "level_ok": level > 0,  # no spending at all before the origin: a scaled error means nothing
                "gap": bool(gap[j]),  # a target in a gap month is not scored (its total is a fill)
            }
            for s, (t, j) in enumerate(zip(targets, range(k + 1, k + 1 + len(targets))), start=1)
        ]
        yield origin, targets, rows


def _totals_evidence(
    ctx: _Context, sel: _Selection, memo: dict, *, config: _ensemble.Config | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """What one series adds to the cheap pool (``config.pool_candidates``, no model run: its period totals and
    backtest rows only); None when it has no complete period. ``memo`` as in :func:`_run_evidence`."""
    config = _ensemble.DEFAULT if config is None else config  # read when called (a patch reaches it)
    periods = _period_table(ctx)
    if not periods:
        return None
    totals = _period_sums(_SeriesData(ctx, sel).total(), periods)
    rec = pd.DataFrame.from_records([r for _, _, rows in _backtest_rows(ctx, periods, totals) for r in rows
                                     if not r["gap"]], columns=_TOTALS_COLUMNS)
    cheap = replace(config, candidates=tuple(config.pool_candidates or config.candidates))
    return _ensemble.evidence(rec, totals, [p[0] for p in periods], freq=ctx.freq, config=cheap, memo=memo)


def _run_series(
    ctx: _Context, sel: _Selection, flows_at: Mapping[dt.date, tuple[KnownFlow, ...]], horizon: int
) -> _Run:
    periods = _period_table(ctx)
    data = _SeriesData(ctx, sel)
    y = data.total()
    totals = _period_sums(y, periods)
    records = []
    for origin, targets, rows in _backtest_rows(ctx, periods, totals):
        piece = _components(ctx, data, sel, flows_at.get(ctx.day(origin), ()), origin, targets, periods)
        for s, row in enumerate(rows, start=1):
            row.update(level=piece.level[s - 1], seasonal=piece.seasonal[s - 1],
                       has_season=not math.isnan(piece.seasonal[s - 1]), known=piece.known[s - 1],
                       sigma=piece.sigma[s - 1])
            if not row["gap"]:
                records.append(row)
    # prequential weights: at each origin, only what was known then (on the columns as arrays)
    cols = [np.array([r[c] for r in records], dtype=float) for c in ("level", "seasonal", "known", "actual")]
    origin_days, target_ends = [r["origin_day"] for r in records], [r["target_end"] for r in records]
    yhat = np.zeros(len(records))
    for origin_day in sorted(set(origin_days)):
        known = np.array([t <= origin_day for t in target_ends], dtype=bool)
        w = _choose_weight_of(*(c[known] for c in cols))
        at = np.array([d == origin_day for d in origin_days], dtype=bool)
        yhat[at] = _combine(cols[0][at], cols[1][at], cols[2][at], w)
    # the frame DataFrame.from_records(records, columns=_RECORD_COLUMNS) gives, then "yhat", built column by column
    rec = pd.DataFrame({c: [r[c] for r in records] for c in _RECORD_COLUMNS} | {"yhat": yhat}) if records else \
        pd.DataFrame.from_records(records, columns=_RECORD_COLUMNS).assign(yhat=yhat)
    weight = _choose_weight_of(*cols)
    # final forecast
    origin = ctx.idx(ctx.as_of)
    targets = _final_targets(ctx, horizon)
    piece = _components(ctx, data, sel, flows_at.get(ctx.as_of, ()), origin, targets, periods)
    final_yhat = _combine(piece.level, piece.seasonal, piece.known, weight)
    observed, paid = [], []  # paid: the recurring merchants' payments within ``observed``
    var_now = data.variable({f.key for f in piece.flows}, origin).sum(axis=0) if piece.flows else y[: origin + 1]
    for t in targets:
        first_day = ctx.idx(t.ds)
        seen = first_day <= origin
        observed.append(float(y[max(first_day, 0) : origin + 1].sum()) if seen else 0.0)
        paid.append(observed[-1] - float(var_now[max(first_day, 0) : origin + 1].sum()) if seen else 0.0)
    final = pd.DataFrame(
        {
            "ds": [t.ds for t in targets],
            "forecast_part": final_yhat,
            "observed": observed,
            "known": piece.known,
            "known_paid": paid,
            "sigma": piece.sigma,
            "remaining_share": [(t.end - t.start + 1) / t.days for t in targets],
            "step": range(1, len(targets) + 1),
            "has_season": ~np.isnan(piece.seasonal),
        }
    )
    final["yhat"] = final["forecast_part"] + final["observed"]
    scale_now = float(np.mean(np.abs(totals[-12:]))) if len(totals) else 1.0
    hist = pd.DataFrame({"ds": [p[0] for p in periods], "y": totals})
    recurring = None
    if ctx.freq == "week" and periods:
        ks = _origins(ctx, periods, BACKTEST_STEPS[ctx.freq]) + [len(periods) - 1]
        recurring = _weekly.recurring_sums(ctx, data, sel, flows_at, periods, ks)
    raw = _period_sums(data.raw, periods) if data.raw is not None else None
    return _Run(rec, final, scale_now or 1.0, piece.flows, piece.method, weight, piece.yearly, hist,
                recurring=recurring, kind=sel.kind, raw=raw)


def _choose_methods(
    run: _Run, ctx: _Context, *, config: _ensemble.Config | None = None, memo: dict | None = None,
    pooled: _pooled.Pooled | None = None,
) -> _Run:
    """Replace the model's forecasts by the combination of the candidates that did best on this
    series' own backtest (:mod:`.ensemble`): prequentially for the backtest rows, on every row
    for the final forecast. A partly observed period forecasts its remaining share. ``memo``: kept by
    a caller that runs several rules on the same series (benchmarks) to reuse the candidates' forecasts.
    ``pooled``: the evidence of the user's categories (:func:`_pool_runs`), for a category's forecast."""
    config = _ensemble.DEFAULT if config is None else config  # read when called (a patch reaches it)
    if run.history.empty:
        return run
    if run.kind == "income":  # session 21 (outlier): income keeps the capped one-offs; session 22 (cap22): and
        occ = config.occasional_rule  # last year's lone period (``Config.lone``: measured on expense categories)
        config = replace(config, winsor=config.winsor_income, lone=False,
                         occasional_rule=None if occ is None else replace(occ, lone=False))
    final = run.final.copy()
    share = final["remaining_share"].to_numpy(dtype=float)
    safe = np.where(share > 0, share, 1.0)
    # A partly observed period: the candidates forecast whole periods, recurring payments included. Only the
    # variable part is spread over the days (its remaining share); the recurring payments are the ones still due
    # (``known``) -- the ones already paid (``known_paid``) are in ``observed`` (session 21, partmonth: the share of
    # a whole month's total counted ~26/31 of the rent paid on the 1st a second time).
    due = final["known"].to_numpy(dtype=float)
    known_whole = due + (final["known_paid"].to_numpy(dtype=float) if "known_paid" in final else 0.0)
    whole = (final["forecast_part"].to_numpy(dtype=float) - due) / safe + known_whole
    wrap = None
    if run.recurring is not None:  # weekly: the final weeks' recurring payments, per whole week
        wrap = _weekly.Wrap(run.records, list(run.history["ds"]), run.recurring, known_whole)
    sel = _ensemble.select(
        run.records, run.history["y"].to_numpy(dtype=float), list(run.history["ds"]), len(final),
        freq=ctx.freq, config=config, model_final=whole, clip=True, memo=memo, pooled=pooled, wrap=wrap,
    )
    run.aware = wrap is not None and wrap.applied
    final["model_part"] = final["forecast_part"]
    final["forecast_part"] = np.where(share < 1.0, np.maximum(sel.final - known_whole, 0.0) * share + due, sel.final)
    final["yhat"] = final["forecast_part"] + final["observed"]
    run.records, run.final, run.choice = sel.records, final, sel.choice
    return run


def _run_evidence(
    run: _Run, ctx: _Context, memo: dict, *, config: _ensemble.Config | None = None, final: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What one model run (before the choice of methods) adds to the pool of :mod:`.pooled`; fills ``memo``
    with every candidate's forecasts (with ``final``, the final ones too: otherwise :func:`_choose_methods`
    computes them when this series is forecast), which :func:`_choose_methods` then reuses."""
    config = _ensemble.DEFAULT if config is None else config  # read when called (a patch reaches it)
    totals = run.history["y"].to_numpy(dtype=float)
    if config.pool_candidates is not None:
        config = replace(config, candidates=tuple(config.pool_candidates))
    return _ensemble.evidence(run.records, totals, list(run.history["ds"]), freq=ctx.freq, config=config, memo=memo,
                              final_steps=len(run.final) if final else 0)


def _pool_runs(
    runs: Sequence[_Run], ctx: _Context, *, config: _ensemble.Config | None = None,
    memos: Sequence[dict] | None = None,
) -> _pooled.Pooled:
    """The evidence pooled over ``runs`` (the model runs of a user's categories of one kind, before the
    choice of methods): every candidate's backtest errors per category, relative, averaged (:mod:`.pooled`).
    ``memos``: one per run, then reused by :func:`_choose_methods` (the candidates are computed once)."""
    config = _ensemble.DEFAULT if config is None else config  # read when called (a patch reaches it)
    memos = [{} for _ in runs] if memos is None else memos
    parts = [_run_evidence(run, ctx, memo, config=config) for run, memo in zip(runs, memos) if not run.history.empty]
    return _pooled.pool_evidence(parts, config.pool_candidates or config.candidates, config.min_points)


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
            "level_ok": rec["level_ok_i"] | rec["level_ok_e"],
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
        raw=None if inc.raw is None or exp.raw is None else inc.raw - exp.raw,
    )


_conformal_offsets = _ensemble.conformal_offsets  # one owner of the conformal quantiles


def _intervals(
    yhat: np.ndarray, sigma: np.ndarray, scale: np.ndarray, scores: np.ndarray, score_steps: np.ndarray,
    steps: np.ndarray, last_step: int, interval: float, share: np.ndarray | None = None,
    widen: np.ndarray | None = None, score_periods: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Interval bounds: conformal quantiles of the backtest's scaled errors at the same horizon
    step (all steps pooled when a step has too few), else the normal fallback; with ``score_periods`` (each
    score's target period) and ``conformal.SHORT_RANGE`` on, each widened by ``conformal.short_factors``."""
    share = np.ones(len(yhat)) if share is None else share
    widen = np.ones(len(yhat)) if widen is None else widen
    if score_periods is not None and _conformal.SHORT_RANGE:
        widen = widen * _conformal.short_factors(scores, score_steps, score_periods, steps, interval, last_step)
    lower, upper = np.empty(len(yhat)), np.empty(len(yhat))
    how = "conformal"
    offsets = _ensemble.offsets_by_step(scores, score_steps, steps, interval, last_step)
    z = NormalDist().inv_cdf(0.5 + interval / 2)
    for i, off in enumerate(offsets):
        if off is None:
            half = z * sigma[i] * np.sqrt(share[i]) * widen[i]
            lower[i], upper[i] = yhat[i] - half, yhat[i] + half
            how = "normal"
        else:
            factor = scale[i] * share[i] * widen[i]
            lower[i], upper[i] = yhat[i] + off[0] * factor, yhat[i] + off[1] * factor
    return lower, upper, how


def _backtest_bounds(
    rec: pd.DataFrame, run: _Run, ctx: _Context, interval: float, clip: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The backtest's intervals, prequentially (scores known at each origin only), into ``rec``'s ``lower`` and
    ``upper``; returns every row's score and step (what the final intervals are calibrated on)."""
    steps = BACKTEST_STEPS[ctx.freq]
    lower = np.full(len(rec), np.nan)
    upper = np.full(len(rec), np.nan)
    scores_all = ((rec["actual"] - rec["yhat"]) / rec["scale"]).to_numpy() if len(rec) else np.array([])
    if len(rec):
        scores_all = np.where(rec["level_ok"].to_numpy(dtype=bool), scores_all, np.nan)
    steps_all = rec["step"].to_numpy(dtype=int) if len(rec) else np.array([], dtype=int)
    # per origin on the columns as arrays (session 14, wkspeed: the same values as rec.groupby / iloc per origin)
    yhat, sigma, scale = (rec[c].to_numpy() for c in ("yhat", "sigma", "scale"))
    origin_days, target_ends = rec["origin_day"].to_numpy(), rec["target_end"].to_numpy()
    half = np.zeros(len(rec))  # the certainty floor (conformal.FORECAST_FLOOR), money units
    hist_ds, hist_y = np.array(run.history["ds"]), run.history["y"].to_numpy(dtype=float)
    for origin_day in pd.unique(origin_days):
        pos = np.flatnonzero(origin_days == origin_day)
        known = target_ends <= origin_day
        lo, hi, _ = _intervals(
            yhat[pos], sigma[pos], scale[pos], scores_all[known], steps_all[known], steps_all[pos], steps, interval,
            score_periods=target_ends[known],
        )
        lower[pos], upper[pos] = lo, hi
        k_run = _conformal.constant_run(hist_y[: int((hist_ds <= origin_day).sum())])  # the run up to the origin
        half[pos] = _conformal.certainty_floors(scores_all[known], steps_all[known], steps_all[pos], steps,
                                                k_run) * scale[pos]
    if clip:
        lower = np.maximum(lower, 0.0)
    if len(rec):
        lower = np.minimum(lower, rec["yhat"].to_numpy())
        upper = np.maximum(upper, rec["yhat"].to_numpy())
        if clip and ctx.freq == "month":  # measured on monthly categories only (weekly: not measured)
            upper = _occasional_floor(rec, lower, upper, run.history, ctx)
        lower, upper = _certainty_floor(lower, upper, half, 0.0 if clip else -np.inf, ctx)
    rec["lower"], rec["upper"] = lower, upper
    return scores_all, steps_all


def _finish(
    run: _Run, ctx: _Context, *, series: str, label: str, horizon: int, interval: float, clip: bool,
    notes: list[str],
) -> ForecastResult:
    rec = run.records.copy()
    steps = BACKTEST_STEPS[ctx.freq]
    scores_all, steps_all = _backtest_bounds(rec, run, ctx, interval, clip)
    # final intervals
    final = run.final
    per_year = PERIODS_PER_YEAR[ctx.freq]
    step = final["step"].to_numpy()
    widen = np.sqrt(1.0 + np.maximum(step - steps, 0) / per_year)
    share = final["remaining_share"].to_numpy()
    lo_part, hi_part, how = _intervals(
        final["forecast_part"].to_numpy(), final["sigma"].to_numpy(), np.full(len(final), run.scale_now),
        scores_all, steps_all, step, steps, interval, share=share, widen=widen,
        score_periods=rec["target_end"].to_numpy() if len(rec) else None,
    )
    observed = final["observed"].to_numpy()
    yhat = final["yhat"].to_numpy()
    lo_v, hi_v = lo_part + observed, hi_part + observed
    if clip:
        lo_v = np.maximum(lo_v, np.maximum(observed, 0.0))
        yhat = np.maximum(yhat, 0.0)
    lo_v = np.minimum(lo_v, yhat)
    hi_v = np.maximum(hi_v, yhat)
    if clip and ctx.freq == "month":
        hi_v = _final_floor(run, ctx, yhat, lo_v, hi_v, share * widen)
    k_run = _conformal.constant_run(run.history["y"].to_numpy(dtype=float))
    half = _conformal.certainty_floors(scores_all, steps_all, step, steps, k_run) * run.scale_now * share * widen
    lo_v, hi_v = _certainty_floor(lo_v, hi_v, half, np.maximum(observed, 0.0) if clip else -np.inf, ctx)
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
    one_off = _one_off_note(run, ctx, yhat) if clip else None
    if one_off:
        notes.append(one_off)
    if how == "normal":
        notes.append(
            "The interval comes from the model's own error estimate: the history is too short for a backtest "
            f"with at least {MIN_CONFORMAL_POINTS} comparisons, so treat it as approximate."
        )
    backtest = _backtest_summary(rec, ctx, interval, label)
    history = run.history if run.raw is None else run.history.assign(y=run.raw)  # gap months as in the data
    if ctx.gaps:
        notes.append(_gaps.gap_note(ctx.gaps, ctx.history.locale, kind="income or spending" if series == "net" else
                                    "income" if run.kind == "income" else "spending"))
    return ForecastResult(
        series=series,
        label=label,
        freq=ctx.freq,
        horizon=horizon,
        interval=interval,
        currency=ctx.history.currency,
        as_of=ctx.as_of,
        history=history.assign(y=history["y"].round(ctx.history.digits)),
        forecast=forecast,
        backtest=backtest,
        known_flows=run.flows,
        method=run.method,
        notes=tuple(notes),
        seasonal_weight=run.weight,
        yearly_seasonality=run.yearly,
        gap_months=ctx.gaps,
        empty_months=_gaps.empty_months(ctx.history.daily, list(history["ds"])) if ctx.freq == "month" else (),
    )



# an occasional spending series' range that would read as certainty reaches at least the smallest period with
# spending before the origin (session 10, 2026-12-05, chosen leave-one-household-out in 13 of 13 folds among
# "min", "q25" and "median" as the floor whose coverage is nearest 80%; docs/forecasting.md); None: off
OCCASIONAL_FLOOR: str | None = "min"


def _floor_amount(past: np.ndarray) -> float | None:
    """The least upper width an occasional spending series' range gets (``OCCASIONAL_FLOOR``) from its period
    totals ``past``: None when the series is not occasional (more than ``occasional_share`` of the periods
    empty), has never had spending, or the floor is off."""
    if OCCASIONAL_FLOOR is None or not len(past):
        return None
    if float(np.mean(past == 0)) <= _ensemble.DEFAULT.occasional_share:
        return None
    spent = past[past > 0]
    if not len(spent):
        return None
    q = {"min": 0.0, "q25": 25.0, "median": 50.0}[OCCASIONAL_FLOOR]
    return float(np.percentile(spent, q))


def _final_floor(run: _Run, ctx: _Context, yhat: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                 factor: np.ndarray) -> np.ndarray:
    """:func:`_occasional_floor` for the final forecast (the floor times the share still to come and the widening)."""
    floor = _floor_amount(run.history["y"].to_numpy(dtype=float))
    if floor is None:
        return upper
    return np.where(upper - lower < 1.0 / ctx.scale, np.maximum(upper, yhat + floor * factor), upper)


def _occasional_floor(
    rec: pd.DataFrame, lower: np.ndarray, upper: np.ndarray, history: pd.DataFrame, ctx: _Context
) -> np.ndarray:
    """The backtest ranges of an occasional spending series that would read as certainty (narrower than one
    minor unit) reach at least ``forecast + floor``, the floor from the periods before each origin."""
    flat = upper - lower < 1.0 / ctx.scale
    if OCCASIONAL_FLOOR is None or not flat.any():
        return upper
    upper = upper.copy()
    ds, y = list(history["ds"]), history["y"].to_numpy(dtype=float)
    yhat, origin = rec["yhat"].to_numpy(dtype=float), rec["origin_day"].to_numpy()
    for i in np.flatnonzero(flat):
        floor = _floor_amount(y[: sum(1 for d in ds if d <= origin[i])])
        if floor is not None:
            upper[i] = max(upper[i], yhat[i] + floor)
    return upper


def _certainty_floor(lower: np.ndarray, upper: np.ndarray, half: np.ndarray, least, ctx: _Context
                     ) -> tuple[np.ndarray, np.ndarray]:
    """A range still narrower than one minor unit after the occasional floor (a claim of certainty) widened by
    ``half`` on each side (``conformal.certainty_floors``: 0 unless ``conformal.FORECAST_FLOOR``), its lower bound
    not below ``least`` (spending: 0, or what the running period already holds)."""
    flat = (upper - lower < 1.0 / ctx.scale) & (half > 0)
    return np.where(flat, np.maximum(lower - half, least), lower), np.where(flat, upper + half, upper)


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


def _one_off_note(run: _Run, ctx: _Context, yhat: np.ndarray) -> str | None:
    """Issue #17 (session 21, outlier): the periods the naive guesses count as one-offs (:func:`ensemble.one_offs`,
    the one owner of that rule), named with their amount and what they are counted as, and whether the forecast
    (``yhat``) still runs far above the usual period; None when there are none (or the candidates see another
    series: weekly forecasts of the variable part)."""
    y = run.history["y"].to_numpy(dtype=float)
    mode = _ensemble.DEFAULT.winsor_income if run.kind == "income" else _ensemble.DEFAULT.winsor
    found = _ensemble.one_offs(y, mode, 12 if ctx.freq == "month" else 0) if not run.aware else []
    cur, loc, unit = ctx.history.currency, ctx.history.locale, "month" if ctx.freq == "month" else "week"
    starts = list(run.history["ds"])
    if not found:
        return _lone_period_note(y, starts, ctx, yhat, run.kind) if mode and not run.aware else None
    # the usual level of the latest year's periods other than the one-offs (session 28, oneoff28: the whole
    # history's median read "about €1.513" beside a household spending €5.500 a month since a change of level)
    season = 52 if ctx.freq == "week" else 12
    usual = float(np.median(np.delete(y, [i for i, _ in found])[-season:]))
    items = "; ".join(f"{_period_name(starts[i], ctx)}: {_money_text(y[i], cur, loc)}, counted as "
                      f"{_money_text(c, cur, loc)}" for i, c in found)
    one = len(found) == 1
    text = (f"{'A ' + unit if one else plural(len(found), unit).capitalize()} far above the usual "
            f"(about {_money_text(usual, cur, loc)} a {unit}) {'is' if one else 'are'} treated as "
            f"{'a one-off' if one else 'one-offs'} by the forecast's averages, which count {'it' if one else 'them'} "
            f"smaller ({items}).")
    top = float(np.max(yhat)) if len(yhat) else 0.0
    if usual > 0 and top > ONE_OFF_CAUTION * usual:  # the model's average rate can still carry it (issue #17)
        who = ("The recurring-payment model still spreads it over the periods ahead (it averages what is not a "
               "recurring payment), so the forecast" if _model_carries(run, usual) else "The forecast")
        text += (f" {who} reaches {_money_text(top, cur, loc)} a {unit}, far above the usual: treat it with "
                 "caution.")
    else:
        text += f" {'It is' if one else 'They are'} not expected to come again in full."
    return text


def _model_carries(run: _Run, usual: float) -> bool:
    """Whether the recurring-payment model is among the chosen methods and its own forecast (before the
    combination) runs above :data:`ONE_OFF_CAUTION` usual periods: only then does the note name it (session 28,
    oneoff28: it was named at a weight of 0.005 beside a forecast at the household's recent level)."""
    if run.choice is None or "model" not in run.choice.chosen or "model_part" not in run.final:
        return False
    own = run.final["model_part"].to_numpy(dtype=float) + run.final["observed"].to_numpy(dtype=float)
    return bool(len(own)) and float(np.max(own)) > ONE_OFF_CAUTION * usual


def _lone_period_note(y: np.ndarray, starts: list, ctx: _Context, yhat: np.ndarray, kind: str) -> str | None:
    """Session 21 (oneoffcat): a series with spending in one period only (a category holding a single purchase) has
    no spread, so the one-off rule caps nothing (:func:`oneoff.winsorize`); say so, with the period and amount, and
    how far the forecast carries it. None unless exactly one period of at least 6 is above zero
    (:func:`oneoff.lone_period`). With ``Config.lone`` on (expenses), last year's period no longer repeats it."""
    i = _oneoff.lone_period(y)
    if i is None:
        return None
    cur, loc, unit = ctx.history.currency, ctx.history.locale, "month" if ctx.freq == "month" else "week"
    top = float(np.max(yhat)) if len(yhat) else 0.0
    occ = _ensemble.DEFAULT.occasional_rule
    text = (f"Only one {unit} of {len(y)} has {'income' if kind == 'income' else 'spending'} here "
            f"({_period_name(starts[i], ctx)}: {_money_text(float(y[i]), cur, loc)}): a one-off cannot be told from a "
            "rare regular one")
    if kind != "income" and occ is not None and occ.lone:  # session 22 (cap22)
        text += ". The forecast does not repeat it a year later, but its averages of recent months count it in full"
    else:
        text += ", so the forecast's averages count it in full"
    if top > 0:
        return text + f" and the forecast reaches {_money_text(top, cur, loc)} a {unit}: treat it with caution."
    return text + "; the forecast's range may still reach it."


ONE_OFF_CAUTION = 2.0  # a forecast above this many usual periods beside a named one-off is said to be carried by it


def _period_name(start, ctx: _Context) -> str:
    """A history period in the notes' words: "November 2025", or "the week of <its first day>"."""
    d = pd.Timestamp(start).date()
    loc = ctx.history.locale
    return month_text(d, loc) if ctx.freq == "month" else f"the week of {day_text(d, locale=loc)}"


def _money_text(value: float, currency: str, locale: str = "en_US") -> str:
    """A forecast error (a float in major units) as money in the user's ``locale``."""
    from budgetwise.money import format_money

    digits = minor_digits(currency)
    return format_money(int(round(value * 10**digits)), currency, locale)


# how far under its nominal level (80%: under 55%) a range's backtest coverage says "much too narrow": the
# backtest's forecasts share origins, so a few points of shortfall are noise, this much is not
COVERAGE_SHORTFALL = 0.25


def _verdict(methods: Sequence[MethodError], ctx: _Context, coverage: float | None, interval: float) -> str:
    bw = methods[0]
    cur = ctx.history.currency
    unit = "month" if ctx.freq == "month" else "week"

    def err(m: MethodError) -> str:
        pct = f" ({percent_text(m.mape, ctx.history.locale, digits=0)})" if m.mape is not None else ""
        return f"{_money_text(m.mae, cur, ctx.history.locale)}{pct}"

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
        only = "only " if 2 * m.points <= bw.points else ""  # a year back: the first year's origins have none
        few = f", on {only}{m.points} of the {bw.points} forecasts" if m.points < bw.points else ""
        text += f" {m.label}: off by {err(m)}{few}."
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
        loc = ctx.history.locale
        text += (f" The {percent_text(interval * 100, loc, digits=0)} range contained the actual value "
                 f"{percent_text(coverage * 100, loc, digits=0)} of the time.")
        if coverage < interval - COVERAGE_SHORTFALL:  # session 13: "80 % range ... 21 % of the time", no comment
            text += (" On your history the range was much too narrow: expect actual amounts outside it far more "
                     "often than its name says.")
    return text
