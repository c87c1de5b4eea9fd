"""Per-series choice of forecasting method by rolling-origin backtest (pure: no Session, no DB).

The forecast of a series is not one model but the *combination of the methods that did best
on this series' own past*. Candidates, all forecasting whole-period totals from the complete
periods known at an origin:

- ``model``      the app's model (recurring payments + Prophet on weekly blocks + last year's
                 pattern); its backtest forecasts come from the caller;
- ``mean3``      the mean of the last 3 months (13 weeks);
- ``median6``    the median of the last 6 months (26 weeks): robust to one-off spikes;
- ``mean12``     the mean of the last 12 months (52 weeks);
- ``last_year``  the same period last year (needs a year of history);
- ``blend``      half the same period last year, half the mean of the last 12 months
                 (a seasonal-naive blend that does not copy last year's one-offs at full size);
- ``theta``      the Theta method (Assimakopoulos & Nikolopoulos 2000): exponential smoothing
                 with half the linear trend (checked against ``statsmodels``' ``ThetaModel``);
- ``ets``        simple exponential smoothing, ETS(A,N,N) fitted by maximum likelihood with
                 ``statsmodels`` (``ets_damped``: with a damped trend; ``sm_theta``: statsmodels'
                 ``ThetaModel``; ``ets_mul``: ETS(M,N,N), multiplicative errors, the default one),
                 imported only when a series needs it.

At each origin, every candidate's scaled absolute errors (``|actual - forecast| / level``,
level = mean of the last 12 periods at the origin) on the backtest points already known are
averaged; the ``top`` best candidates (with at least ``min_points`` scored points) are
averaged with equal weights, shrunk toward the robust average (6-month median, 3- and 12-month
means) by ``shrink / (shrink + origins)``; how many to average (``alternatives``) is itself chosen
per series by the same prequential backtest. The backtest shown to the user applies the same rule
prequentially (each origin chooses from errors of targets that had ended by then), so the
reported error is an honest out-of-sample figure. The naive candidates see one-off periods
capped (:func:`winsorize`); occasional series (mostly empty periods) keep the model alone.
The default settings (``DEFAULT``) were chosen leave-one-household-out among the settings
that include a statsmodels method (docs/forecasting.md has the figures, with and without it).
With fewer backtest origins than ``min_origins`` the ranking is not trusted and the default
combination is used.

Intervals are split-conformal on those prequential errors, per horizon step when a step has
enough scores (pooled over steps otherwise), scaled by the level (see :func:`conformal_offsets`).
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from budgetwise.services.forecast.types import MIN_CONFORMAL_POINTS

CANDIDATES = ("model", "mean3", "median6", "mean12", "last_year", "blend", "theta", "ets", "ets_damped", "sm_theta",
              "ets_mul")
STATSMODELS = frozenset({"ets", "ets_damped", "sm_theta", "ets_mul"})  # fitted with statsmodels (imported only when needed)
LABELS = {
    "model": "the recurring-payment and seasonal model",
    "mean3": "the mean of the last 3 {unit}s",
    "median6": "the median of the last 6 {unit}s",
    "mean12": "the mean of the last 12 {unit}s",
    "last_year": "the same {unit} last year",
    "blend": "half last year's {unit}, half the 12-{unit} mean",
    "theta": "the Theta method (smoothing with half the trend)",
    "ets": "exponential smoothing of the {unit}ly totals (ETS)",
    "ets_damped": "exponential smoothing with a damped trend (ETS)",
    "sm_theta": "the Theta method",
    "ets_mul": "exponential smoothing of the {unit}ly totals (ETS, multiplicative errors)",
}
COLUMN = "cand_"  # backtest columns of the candidates' forecasts: cand_model, cand_mean3, ...


@dataclass(frozen=True)
class Config:
    """The selection rule. The defaults were chosen leave-one-household-out (docs/forecasting.md)."""

    min_points: int = 6  # a candidate needs this many scored backtest points to be chosen
    default: tuple[str, ...] = ("model", "median6", "mean3")  # before there are enough points
    top: int = 3  # average of the best ``top`` candidates
    # a maintained-library method in the mix (issue #17): statsmodels' ETS with multiplicative errors
    # (the additive ETS cost 0.9 points pooled and was worse than the baselines on one household)
    candidates: tuple[str, ...] = ("model", "mean3", "median6", "mean12", "last_year", "blend", "ets_mul")
    # a backtest of fewer origins than this is too little evidence to rank on: the robust default
    min_origins: int = 0  # off: 9 was measured and not chosen leave-one-household-out
    common_points: bool = False  # rank on the points every candidate has (else each on its own points)
    occasional_share: float = 0.5  # more empty periods than this: the model alone
    winsor: bool = True  # the naive candidates see one-off months capped (robust z of log totals > 3.5)
    # "equal": the best ``top`` averaged with equal weights; "inverse": weighted by 1 / backtest error
    weights: str = "equal"
    # shrink the combination toward the robust average (``robust``) by ``shrink / (shrink + origins)``,
    # ``origins`` = backtest origins scored: little evidence, mostly the robust guesses (0: off)
    shrink: float = 3.0
    robust: tuple[str, ...] = ("median6", "mean3", "mean12")
    # per series, also run the rule with these other ``top`` values prequentially and use the one whose
    # out-of-sample backtest error is lowest; another ``top`` must beat ``top`` by ``margin`` (relative)
    alternatives: tuple[int, ...] = (1, 2, 3, 4)
    margin: float = 0.0
    # trimming: of the best ``top``, only those within ``1 + trim`` times the best error (0: off)
    trim: float = 0.0


DEFAULT = Config()


@dataclass(frozen=True)
class Choice:
    """Which candidates the final forecast averages, and how each did in the backtest."""

    chosen: tuple[str, ...]
    errors: Mapping[str, float] = field(default_factory=dict)  # mean scaled absolute error per candidate
    points: Mapping[str, int] = field(default_factory=dict)
    weights: tuple[float, ...] | None = None  # one per chosen candidate (None: equal)

    def describe(self, unit: str = "month") -> str:
        names = [LABELS[c].format(unit=unit) for c in self.chosen]
        if len(names) == 1:
            return names[0]
        equal = self.weights is None or max(self.weights) - min(self.weights) < 1e-9
        lead = "the average of " if equal else "a weighted average (largest weight first) of "
        return lead + ", ".join(names[:-1]) + " and " + names[-1]


def _periods(freq: str) -> dict[str, int]:
    if freq == "week":
        return {"m3": 13, "m6": 26, "m12": 52, "season": 52}
    return {"m3": 3, "m6": 6, "m12": 12, "season": 12}


_ALPHAS = np.linspace(0.05, 1.0, 39)


def theta(past: np.ndarray, steps: int) -> np.ndarray:
    """The Theta method (Assimakopoulos & Nikolopoulos 2000) in the form of Hyndman & Billah (2003):
    simple exponential smoothing plus half the OLS trend, ``b0 / 2 * (h - 1 + 1/a - (1 - a)^n / a)``.

    statsmodels' ``ThetaModel`` (``deseasonalize=False``) computes the same forecast (the tests
    compare the two) but fits it by maximum likelihood in 0.1-0.4 s; this closed form with a
    grid over the smoothing weight takes well under a millisecond, which keeps a backtest of
    every category within the speed budget.
    """
    y = np.asarray(past, dtype=float)
    n = len(y)
    if n == 0 or not np.isfinite(y).all():
        return np.full(steps, math.nan)
    if n < 4 or np.ptp(y) == 0:
        return np.repeat(float(y[-1]), steps)
    # SES for every alpha at once; the initial level is the first value
    level = np.full(len(_ALPHAS), y[0])
    sse = np.zeros(len(_ALPHAS))
    for v in y[1:]:
        err = v - level
        sse += err * err
        level = level + _ALPHAS * err
    i = int(np.argmin(sse))
    a, ses = float(_ALPHAS[i]), float(level[i])
    t = np.arange(n, dtype=float)
    b0 = float(np.polyfit(t, y, 1)[0])
    h = np.arange(1, steps + 1, dtype=float)
    return ses + b0 / 2 * (h - 1 + 1 / a - (1 - a) ** n / a)


def _fit_statsmodels(y: np.ndarray, steps: int, fit) -> np.ndarray:
    """Run a statsmodels fit-and-forecast; short or flat series repeat the last value, a failed
    fit (a degenerate series) is NaN: the candidate is then unavailable, never a crash."""
    if len(y) == 0 or not np.isfinite(y).all():
        return np.full(steps, math.nan)
    if len(y) < 4 or np.ptp(y) == 0:
        return np.repeat(float(y[-1]), steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short series
        try:
            out = np.asarray(fit(y, steps), dtype=float)
        except Exception:
            return np.full(steps, math.nan)
    return np.where(np.isfinite(out), out, math.nan)


def ets(past: np.ndarray, steps: int) -> np.ndarray:
    """Simple exponential smoothing as the state-space ETS(A,N,N) model, fitted by maximum
    likelihood with statsmodels (``ETSModel``, imported only when a series needs it)."""

    def fit(y: np.ndarray, h: int):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        return ETSModel(y, error="add").fit(disp=False).forecast(h)

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)


def ets_damped(past: np.ndarray, steps: int) -> np.ndarray:
    """ETS(A,Ad,N): exponential smoothing with a damped additive trend (statsmodels ``ETSModel``)."""

    def fit(y: np.ndarray, h: int):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        return ETSModel(y, error="add", trend="add", damped_trend=True).fit(disp=False).forecast(h)

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)


def ets_mul(past: np.ndarray, steps: int) -> np.ndarray:
    """ETS(M,N,N): simple exponential smoothing with multiplicative errors (statsmodels ``ETSModel``):
    a month's surprise counts relative to the level, so one large month moves the level less."""

    def fit(y: np.ndarray, h: int):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        if (y <= 0).any():
            return ETSModel(y, error="add").fit(disp=False).forecast(h)
        return ETSModel(y, error="mul").fit(disp=False).forecast(h)

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)


def sm_theta(past: np.ndarray, steps: int) -> np.ndarray:
    """statsmodels' ``ThetaModel`` (not deseasonalised: the seasonal candidates cover seasons)."""

    def fit(y: np.ndarray, h: int):
        from statsmodels.tsa.forecasting.theta import ThetaModel

        return ThetaModel(y, period=1, deseasonalize=False).fit(disp=False).forecast(h)

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)


OUTLIER_Z = 3.5


def winsorize(past: np.ndarray) -> np.ndarray:
    """Cap one-off periods (a renovation, a car) at a robust z-score of 3.5 on the log scale
    (median and MAD of ``log1p``), so that a single month does not drive the naive guesses."""
    x = np.asarray(past, dtype=float)
    if len(x) < 6 or (x < 0).any():
        return x
    lx = np.log1p(x)
    med = float(np.median(lx))
    mad = 1.4826 * float(np.median(np.abs(lx - med)))
    if mad <= 0:
        return x
    return np.clip(x, np.expm1(med - OUTLIER_Z * mad), np.expm1(med + OUTLIER_Z * mad))


def candidates_at(
    totals: np.ndarray, k: int, steps: int, freq: str, names: Sequence[str] = CANDIDATES, *, winsor: bool = True
) -> dict[str, np.ndarray]:
    """Each candidate's forecast of periods ``k+1 .. k+steps`` from ``totals[: k + 1]`` (NaN: unavailable)."""
    p = _periods(freq)
    past = np.asarray(totals[: k + 1], dtype=float)
    if winsor:
        past = winsorize(past)
    out: dict[str, np.ndarray] = {}
    n = len(past)
    nan = np.full(steps, math.nan)
    if "mean3" in names:
        out["mean3"] = np.repeat(past[-p["m3"]:].mean(), steps) if n else nan
    if "median6" in names:
        out["median6"] = np.repeat(np.median(past[-p["m6"]:]), steps) if n else nan
    if "mean12" in names:
        out["mean12"] = np.repeat(past[-p["m12"]:].mean(), steps) if n else nan
    season = p["season"]
    # the same period last year (for steps beyond a year: the latest year that has it)
    ly = np.array([past[k + s - season * math.ceil(s / season)] if 0 <= k + s - season * math.ceil(s / season) < n
                   else math.nan for s in range(1, steps + 1)])
    if "last_year" in names:
        out["last_year"] = ly
    if "blend" in names:
        out["blend"] = 0.5 * ly + 0.5 * (past[-season:].mean() if n >= season else math.nan)
    if "theta" in names:
        out["theta"] = theta(past, steps)
    if "ets" in names:
        out["ets"] = ets(past, steps)
    if "ets_damped" in names:
        out["ets_damped"] = ets_damped(past, steps)
    if "sm_theta" in names:
        out["sm_theta"] = sm_theta(past, steps)
    if "ets_mul" in names:
        out["ets_mul"] = ets_mul(past, steps)
    return out


def _rank(
    err: np.ndarray, names: Sequence[str], available: Sequence[str], config: Config, origins: np.ndarray | None = None
) -> Choice:
    """``err``: scaled absolute errors, one column per name (NaN where a candidate had no forecast);
    ``origins``: each row's origin (fewer scored origins than ``config.min_origins``: the default)."""
    ok = np.isfinite(err)
    if origins is not None and config.min_origins and len(np.unique(origins[ok.any(axis=1)])) < config.min_origins:
        ok = np.zeros_like(ok)  # too little evidence to rank on: the robust default below
    counts = ok.sum(axis=0)
    points = {c: int(counts[i]) for i, c in enumerate(names)}
    # compare like with like: the errors of the eligible candidates on the points they all have
    # (a candidate that needs a year of history is otherwise scored on easier, later points);
    # while too few such points remain, the candidate with the fewest points drops out
    cols = [i for i in range(len(names)) if counts[i] >= config.min_points]
    common = np.ones(len(err), dtype=bool)
    while cols and config.common_points:
        common = ok[:, cols].all(axis=1)
        if common.sum() >= config.min_points:
            break
        cols.remove(min(cols, key=lambda i: (counts[i], -i)))
    errors: dict[str, float] = {}
    if cols and config.common_points:
        means = err[common][:, cols].mean(axis=0)
        errors = {names[i]: float(m) for i, m in zip(cols, means)}
    elif cols:  # each candidate on all of its own points
        errors = {names[i]: float(np.mean(err[ok[:, i], i])) for i in cols}
    if not errors:
        chosen = tuple(c for c in config.default if c in available) or tuple(names[:1])
        return Choice(chosen, errors, points)
    ranked = sorted(errors, key=lambda c: (errors[c], names.index(c)))
    best = ranked[: config.top]
    if config.trim > 0:
        best = [c for c in best if errors[c] <= (1 + config.trim) * errors[best[0]]]
    if config.weights == "inverse":
        inv = np.array([1.0 / max(errors[c], 1e-9) for c in best])
        w = dict(zip(best, inv / inv.sum()))
    else:
        w = {c: 1.0 / len(best) for c in best}
    robust = [c for c in config.robust if c in available and c in names]
    if config.shrink > 0 and robust:
        scored = ok.any(axis=1)
        n = len(np.unique(origins[scored])) if origins is not None else int(scored.sum())
        lam = config.shrink / (config.shrink + n)
        w = {c: (1 - lam) * v for c, v in w.items()}
        for c in robust:
            w[c] = w.get(c, 0.0) + lam / len(robust)
    if config.weights == "equal" and not config.shrink:
        return Choice(tuple(best), errors, points)
    chosen = tuple(sorted(w, key=lambda c: -w[c]))
    return Choice(chosen, errors, points, tuple(float(w[c]) for c in chosen))


def choose(frame: pd.DataFrame, available: Sequence[str], config: Config = DEFAULT) -> Choice:
    """The candidates to average, from backtest rows (columns: actual, scale and one per candidate)."""
    names = [c for c in config.candidates if c in available and c in frame]
    if not names:
        return Choice(tuple(c for c in config.default if c in available))
    pred = frame[names].to_numpy(dtype=float)
    err = np.abs(pred - frame["actual"].to_numpy(dtype=float)[:, None]) / frame["scale"].to_numpy(dtype=float)[:, None]
    return _rank(err, names, available, config)


def combine(
    preds: Mapping[str, np.ndarray], chosen: Sequence[str], weights: Sequence[float] | None = None
) -> np.ndarray:
    """Average of the chosen candidates (equal weights unless ``weights``), over those available at
    each point (the weights of the available ones renormalised)."""
    stack = np.vstack([np.asarray(preds[c], dtype=float) for c in chosen])
    ok = np.isfinite(stack)
    w = np.ones(len(chosen)) if weights is None else np.asarray(weights, dtype=float)
    wk = np.where(ok, w[:, None], 0.0)
    with np.errstate(invalid="ignore"):
        mean = (np.where(ok, stack, 0.0) * wk).sum(axis=0) / wk.sum(axis=0)
    if not ok.any(axis=0).all():  # none of the chosen is available: fall back to any candidate
        rest = np.vstack([np.asarray(v, dtype=float) for v in preds.values()])
        fallback = np.nanmean(np.where(np.isfinite(rest), rest, np.nan), axis=0)
        mean = np.where(ok.any(axis=0), mean, fallback)
    return mean


@dataclass(frozen=True)
class Selection:
    records: pd.DataFrame  # the input records + ``cand_<name>`` per candidate, ``chosen`` and the new ``yhat``
    final: np.ndarray  # whole-period forecasts of the final targets
    choice: Choice


def select(
    records: pd.DataFrame,
    totals: np.ndarray,
    period_starts: Sequence,
    final_steps: int,
    *,
    freq: str = "month",
    config: Config = DEFAULT,
    model_final: np.ndarray | None = None,
    clip: bool = True,
    memo: dict | None = None,
) -> Selection:
    """Choose and combine candidates for one series.

    ``records``: backtest rows with ``origin_day``, ``ds`` (period start), ``step``,
    ``target_end``, ``actual``, ``scale`` and the model's forecast in ``yhat``.
    ``totals``/``period_starts``: the complete periods of the history. ``model_final``: the
    model's whole-period forecasts of the ``final_steps`` periods after the last complete one.
    ``memo``: a dict kept by the caller to reuse candidate forecasts across calls on the same series.
    """
    names = [c for c in config.candidates if model_final is not None or c != "model"]
    cands = _Candidates(np.asarray(totals, dtype=float), freq, [c for c in names if c != "model"], config.winsor,
                        {} if memo is None else memo)
    rec = records.copy().reset_index(drop=True)
    with _one_blas_thread():
        pred = _backtest_predictions(rec, names, cands, {d: i for i, d in enumerate(period_starts)})
        preds = dict(cands(len(totals) - 1, final_steps))
    if clip:
        pred = np.maximum(pred, 0.0)  # NaN stays NaN
    with np.errstate(invalid="ignore", divide="ignore"):
        err = np.abs(pred - rec["actual"].to_numpy(dtype=float)[:, None]) / rec["scale"].to_numpy(dtype=float)[:, None]
    if "level_ok" in rec:  # no spending at all before the origin: the scaled error means nothing
        err[~rec["level_ok"].to_numpy(dtype=bool)] = math.nan
    origin_day = rec["origin_day"].to_numpy() if len(rec) else np.zeros(0)
    target_end = rec["target_end"].to_numpy() if len(rec) else origin_day
    yhat, chosen_at = _prequential(pred, err, origin_day, target_end, names, config)
    rule = config
    if config.alternatives:
        yhat, chosen_at, rule = _choose_rule(rec, err, pred, origin_day, target_end, names, config, yhat, chosen_at)
    for i, c in enumerate(names):
        rec[COLUMN + c] = pred[:, i]
    rec["yhat"], rec["chosen"] = yhat, chosen_at
    if model_final is not None:
        preds["model"] = np.asarray(model_final, dtype=float)
    if clip:
        preds = {c: np.maximum(v, 0.0) for c, v in preds.items()}
    choice = _rank(err, names, names, rule, origin_day)
    occasional = len(totals) and float(np.mean(np.asarray(totals) == 0)) > config.occasional_share
    if occasional and "model" in names:
        # mostly empty periods (travel, taxes): the timing is structure only the model sees, and
        # a backtest of zeros cannot tell the methods apart
        choice = Choice(("model",), choice.errors, choice.points)
        rec["yhat"] = pred[:, names.index("model")].copy()
        rec["chosen"] = "model"
    final = combine(preds, choice.chosen, choice.weights)
    if clip:
        final = np.maximum(final, 0.0)
    return Selection(rec, final, choice)


def _one_blas_thread():
    """statsmodels' optimiser on tiny series: one BLAS thread (several threads spinning on the
    2 shared cores made an ETS fit 5x slower: 45 ms instead of 8 ms)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


@dataclass
class _Candidates:
    """The naive and statistical candidates' forecasts at an origin, memoised per series."""

    totals: np.ndarray
    freq: str
    names: list[str]
    winsor: bool
    memo: dict

    def __call__(self, k: int, steps: int) -> dict[str, np.ndarray]:
        out = {}
        for name in self.names:  # one entry per candidate: settings with other candidate sets share them
            key = (k, steps, name, self.winsor)
            if key not in self.memo:
                self.memo[key] = candidates_at(self.totals, k, steps, self.freq, (name,), winsor=self.winsor)[name]
            out[name] = self.memo[key]
        return out


def _backtest_predictions(rec: pd.DataFrame, names: list[str], cands: _Candidates, pos: dict) -> np.ndarray:
    """Each candidate's forecast of every backtest row (rows x names; NaN: unavailable)."""
    m = len(rec)
    pred = np.full((m, len(names)), math.nan)
    if not m:
        return pred
    if "model" in names:
        pred[:, names.index("model")] = rec["yhat"].to_numpy(dtype=float)
    step = rec["step"].to_numpy(dtype=int)
    k = rec["ds"].map(pos).to_numpy(dtype=int) - step
    for origin in np.unique(k):
        rows = np.flatnonzero(k == origin)
        got = cands(int(origin), int(step[rows].max()))
        for c in cands.names:
            pred[rows, names.index(c)] = got[c][step[rows] - 1]
    return pred


def _prequential(
    pred: np.ndarray, err: np.ndarray, origin_day: np.ndarray, target_end: np.ndarray, names: list[str], config: Config
) -> tuple[np.ndarray, np.ndarray]:
    """The backtest shown to the user: each origin combines what the errors of targets that
    had ended by then chose (out of sample)."""
    m = len(pred)
    yhat = np.full(m, math.nan)
    chosen_at = np.full(m, "", dtype=object)
    for day in (np.unique(origin_day) if m else []):
        at = np.flatnonzero(origin_day == day)
        known = target_end <= day
        c = _rank(err[known], names, names, config, origin_day[known])
        yhat[at] = combine({n: pred[at, i] for i, n in enumerate(names)}, c.chosen, c.weights)
        chosen_at[at] = "+".join(c.chosen)
    return yhat, chosen_at


def _choose_rule(
    rec: pd.DataFrame, err: np.ndarray, pred: np.ndarray, origin_day: np.ndarray, target_end: np.ndarray,
    names: list[str], config: Config, yhat: np.ndarray, chosen_at: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, Config]:
    """Which number of best candidates to average, per series: each rule's prequential backtest
    errors are compared, prequentially again (each origin decides from targets ended by then), so
    the backtest shown stays out of sample. ``config.top`` is kept unless another beats it by
    ``config.margin``. Returns the backtest forecasts, their labels and the rule for the final forecast."""
    from dataclasses import replace

    rules = [config] + [replace(config, top=t) for t in config.alternatives if t != config.top]
    outs = [(yhat, chosen_at)] + [_prequential(pred, err, origin_day, target_end, names, r) for r in rules[1:]]
    actual = rec["actual"].to_numpy(dtype=float) if len(rec) else np.zeros(0)
    scale = rec["scale"].to_numpy(dtype=float) if len(rec) else np.zeros(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rerr = np.column_stack([np.abs(o[0] - actual) / scale for o in outs]) if len(rec) else np.zeros((0, len(outs)))
    if "level_ok" in rec:
        rerr[~rec["level_ok"].to_numpy(dtype=bool)] = math.nan

    def pick(rows: np.ndarray) -> int:
        e = rerr[rows]
        e = e[np.isfinite(e).all(axis=1)]
        if len(e) < config.min_points:
            return 0
        m = e.mean(axis=0)
        j = int(np.argmin(m[1:])) + 1 if len(m) > 1 else 0
        return j if m[j] < (1 - config.margin) * m[0] else 0

    y2, c2 = yhat.copy(), chosen_at.copy()
    for day in (np.unique(origin_day) if len(rec) else []):
        at = np.flatnonzero(origin_day == day)
        j = pick(target_end <= day)
        y2[at], c2[at] = outs[j][0][at], outs[j][1][at]
    return y2, c2, rules[pick(np.ones(len(rec), dtype=bool))]


def conformal_offsets(scores: np.ndarray, interval: float) -> tuple[float, float] | None:
    """Split-conformal lower/upper quantiles of scaled errors (finite-sample corrected)."""
    scores = np.asarray(scores, dtype=float)
    scores = scores[np.isfinite(scores)]
    n = len(scores)
    if n < MIN_CONFORMAL_POINTS:
        return None
    s = np.sort(scores)
    alpha = 1.0 - interval
    hi = min(n, math.ceil((n + 1) * (1 - alpha / 2))) - 1
    lo = max(1, math.floor((n + 1) * (alpha / 2))) - 1
    return float(s[lo]), float(s[hi])


def offsets_by_step(
    scores: np.ndarray, steps: np.ndarray, wanted: np.ndarray, interval: float, last_step: int
) -> list[tuple[float, float] | None]:
    """Conformal offsets for each wanted step: that step's own scores when there are enough
    (steps beyond the backtested ones use the last backtested step), else all steps pooled."""
    pooled = conformal_offsets(scores, interval)
    out = []
    for s in wanted:
        s_eff = min(int(s), last_step)
        own = conformal_offsets(scores[steps == s_eff], interval)
        out.append(own if own is not None else pooled)
    return out
