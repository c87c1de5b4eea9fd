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
- ``median_k``   the median of the last k periods, k (3-12 months) chosen on the series' own past;
- ``theta``      the Theta method (Assimakopoulos & Nikolopoulos 2000): exponential smoothing
                 with half the linear trend (checked against ``statsmodels``' ``ThetaModel``);
- ``ets``        simple exponential smoothing, ETS(A,N,N) fitted by maximum likelihood with
                 ``statsmodels`` (``ets_damped``: with a damped trend; ``sm_theta``: statsmodels'
                 ``ThetaModel``; ``ets_mul``: ETS(M,N,N), multiplicative errors, the default one),
                 imported only when a series needs it.

At each origin, every candidate's errors on the backtest points already known are averaged (``score="ape"``:
``|actual - forecast| / actual``, the measure of the target; ``"scaled"``: over the mean of the last 12 periods),
and the ``top`` best (with at least ``min_points`` scored points) are averaged (``DEFAULT``: bagged). The backtest
shown to the user applies the same rule prequentially (each origin chooses from errors of targets that had ended
by then): an honest out-of-sample figure. The naive candidates see one-off periods capped (:func:`winsorize`);
occasional series (mostly empty periods) have their own rule (``occasional_rule``). ``DEFAULT`` was chosen
leave-one-household-out; the other ``Config`` fields are documented options, measured and off (docs/forecasting.md
has the figures of each). Intervals are split-conformal on those prequential errors, per horizon step when a step
has enough scores, scaled by the level (see :func:`conformal_offsets`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from budgetwise.services.forecast import bagged as _bagged
from budgetwise.services.forecast import catbias as _catbias
from budgetwise.services.forecast import level as _level
from budgetwise.services.forecast import oneoff as _oneoff
from budgetwise.services.forecast import pooled as _pooled
from budgetwise.services.forecast import thin as _thin
from budgetwise.services.forecast.conformal import conformal_offsets, offsets_by_step  # noqa: F401 - E.conformal_offsets
from budgetwise.services.forecast.statistical import (  # noqa: F401 - E.ets, E.median_k, ...
    MEDIAN_KS,
    ets,
    ets_damped,
    ets_mul,
    median_k,
    sm_theta,
    theta,
)
from budgetwise.text import and_list, plural

CANDIDATES = ("model", "mean3", "median6", "mean12", "last_year", "blend", "theta", "ets", "ets_damped", "sm_theta",
              "ets_mul", "median_k")
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
    "median_k": "the median of the last few {unit}s (how many chosen on your history)",
}
_scaled_errors = _catbias.errors  # the backtest errors candidates are ranked on
COLUMN = "cand_"  # backtest columns of the candidates' forecasts: cand_model, cand_mean3, ...


@dataclass(frozen=True)
class Config:
    """The selection rule. The field defaults are the previous shipped rule; :data:`DEFAULT`, chosen
    leave-one-household-out, is the one the forecast uses (docs/forecasting.md)."""

    min_points: int = 6  # a candidate needs this many scored backtest points to be chosen
    default: tuple[str, ...] = ("model", "median6", "mean3")  # before there are enough points
    top: int = 3  # average of the best ``top`` candidates
    # a maintained-library method in the mix (issue #17): statsmodels' ETS with multiplicative errors
    # (the additive ETS cost 0.9 points pooled and was worse than the baselines on one household)
    candidates: tuple[str, ...] = ("model", "mean3", "median6", "mean12", "last_year", "blend", "ets_mul")
    # a backtest of fewer origins than this is too little evidence to rank on: the robust default
    min_origins: int = 0  # off: 9 was measured and not chosen leave-one-household-out
    # what a backtest of fewer than ``min_origins`` origins falls back to: "default" (the fixed ``default``
    # combination) or "naive" (the one of ``naive`` with the lowest backtest error, ``default`` if none has one)
    fallback: str = "default"
    common_points: bool = False  # rank on the points every candidate has (else each on its own points)
    occasional_share: float = 0.5  # more empty periods than this: an occasional series (travel, taxes, gifts)
    # the rule an occasional series is chosen by; None: the model alone (its timing of last year's events).
    # A percentage error cannot score the empty periods that make up most of such a backtest, so the rule
    # shipped for them (:data:`OCCASIONAL`) ranks on the scaled error (2026-12-05, docs/forecasting.md)
    occasional_rule: Config | None = None
    # the naive candidates see one-off months capped (robust z of log totals > 3.5); ONE_OFF_MEDIAN: a lone one
    # counts as the median of the usual months (session 21, outlier)
    winsor: bool | str = True
    winsor_income: bool | str = True  # income series' (ONE_OFF_MEDIAN measured worse there: a yearly bonus month)
    # session 22 (cap22; off, benchmarks/forecast_lone_check.py): last year (and ``blend``'s half) counts a lone
    lone: bool = False  # period (``oneoff.lone_period``: a category's single purchase) as 0; the rest unchanged
    # "equal": the best ``top`` averaged with equal weights; "inverse": by 1 / backtest error; "bagged": :mod:`.bagged`
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
    # the guard against doing worse than the naive guess (issue #17): the forecast becomes
    # ``w * combination + (1 - w) * naive``, ``naive`` the best of ``naive`` on the series' earlier errors,
    # ``w`` from the prequential errors of the two on the origins so far (see :func:`guard_weight`):
    # "off"; "test": 1 when the combination is better by a one-sided Diebold-Mariano test at
    # ``guard_alpha``, else 0; "soft": the test's confidence (Student-t cdf of its statistic);
    # "inverse": inverse mean squared errors, kept within [guard_floor, 1 - guard_floor]; "sign": 1 when
    # the combination did better on significantly more origins than not (one-sided sign test at ``guard_alpha``).
    # Fewer than ``guard_min_origins`` compared origins: ``w = guard_prior``.
    guard: str = "off"
    naive: tuple[str, ...] = ("mean3", "last_year")
    guard_alpha: float = 0.1
    guard_floor: float = 0.0
    guard_min_origins: int = 3
    guard_prior: float = 0.0
    guard_steps: str = "all"  # "all" or "last": compare on every step or on the last backtested step only
    # horizon-specific selection: "all" ranks on the errors of every backtested step; "last" on the
    # last step's (3 months ahead) only; "each": every step by its own step's errors
    rank_steps: str = "all"
    # the error the candidates (and the number to average) are ranked on: "scaled" ``|a - f| / level``;
    # "ape" ``|a - f| / a``, the measure of the target (MAPE of the totals); a zero actual is not scored
    score: str = "scaled"
    # what ``shrink`` shrinks toward: "robust" (the average of ``robust``) or "naive" (the best of ``naive``
    # on the series' backtest: the naive guess is the default, left only as far as the origins allow)
    shrink_to: str = "robust"
    # evidence pooled across a user's categories (:mod:`.pooled`): the candidates are ranked on their own
    # relative error shrunk toward the one averaged over the user's categories, a prior worth ``pool``
    # scored points (``inf``: the pooled figure alone); 0: off. Used only where a ``Pooled`` is passed
    # (category forecasts); where it is, ``alternatives`` and ``guard`` are not applied, and with
    # ``rank_steps`` other than "all" it is not used
    pool: float = 0.0
    # the candidates the pool is made of (None: all). With a set (the cheap pool, session 10: measured, off) the
    # pool needs only period totals; relative errors are over these candidates' mean; the others have no prior
    pool_candidates: tuple[str, ...] | None = None
    # session 11 (issue #17): under ``thin_origins`` scored origins, average every eligible candidate (0: off)
    thin_origins: int = 0
    always: tuple[str, ...] = ()  # candidates averaged whatever their rank (session 11: ("model",) measured)
    # session 12 (issue #17): under ``simple_origins`` scored origins, no selection: the equal-weight mean of the
    # fixed ``simple`` set (an M4-style simple combination; a member without a forecast, e.g. last year's month
    # before a year of history, drops out at that point). 0: off
    simple_origins: int = 0
    simple: tuple[str, ...] = ("model", "ets_mul", "mean3", "last_year")
    # session 13 (issue #17): a cross-sectional trimmed mean (Jose & Winkler 2008): at each forecast point the
    # ``cross_trim`` highest and lowest of the averaged forecasts are left out (while more than 2 x cross_trim
    # remain). Equal weights only. 0: off
    cross_trim: int = 0
    # session 13: the statistic of each candidate's backtest errors it is ranked on: "mean" or "median" (robust to
    # one bad month on a thin backtest; Armstrong & Collopy 1992 on selecting among methods). Not with common_points
    rank_stat: str = "mean"
    # session 15: the combination times exp(median log(actual / forecast)) of its backtest, shrunk by a prior worth
    # ``level_prior`` origins (:mod:`.level`); frequent monthly series only (weekly: measured worse). 0: off
    level_prior: float = 0.0
    level_stat: str = "median"  # "median" of log(actual / forecast), or "ape": the factor with the least backtest APE
    # session 15 (wkbias): weekly series times their backtest's sum(actual) / sum(forecast) (:mod:`.level` "mean"),
    # a prior worth ``week_level_prior`` origins: unbiased for the mean week (what sums to a month). 0: off
    week_level_prior: float = 0.0
    week_known: bool = False  # session 16 (wkfix): weekly candidates on the variable part + recurring payments (.weekly)
    # session 16 (shortfc): under ``thin_full`` scored origins the combination mixed with the fixed ``thin_prior`` by
    # ``(thin_full - origins) / thin_full`` (:mod:`.thin`); monthly series only. 0: off
    thin_full: int = 0
    thin_prior: tuple[str, ...] = ("model", "median6")
    thin_guard: float | None = None  # session 19 (fcnaive): prior members clearly worse than the best ``naive`` (z)
    thin_guard_lags: int = 0
    # session 18 (fcbias), monthly expense categories (the series ranked with a pool) only, :mod:`.catbias`: their
    # own level correction (a prior worth ``cat_level_prior`` origins; 0: off) and ranking error (None: ``score``)
    cat_level_prior: float = 0.0
    cat_level_stat: str = "mean"
    cat_level_frequent_only: bool = False
    cat_level_occasional_only: bool = False
    cat_score: str | None = None

    def __post_init__(self) -> None:
        for name, value, allowed in (("guard", self.guard, ("off", "test", "soft", "inverse", "sign")),
                                     ("guard_steps", self.guard_steps, ("all", "last")),
                                     ("rank_steps", self.rank_steps, ("all", "last", "each")),
                                     ("weights", self.weights, ("equal", "inverse", "bagged")),
                                     ("score", self.score, ("scaled", "ape", "squared", "sape")),
                                     ("cat_score", self.cat_score, (None, "scaled", "ape", "squared", "sape")),
                                     ("fallback", self.fallback, ("default", "naive")),
                                     ("shrink_to", self.shrink_to, ("robust", "naive")),
                                     ("rank_stat", self.rank_stat, ("mean", "median")),
                                     ("level_stat", self.level_stat, ("median", "ape")),
                                     ("cat_level_stat", self.cat_level_stat, ("median", "ape", "mean", "sum"))):
            if value not in allowed:
                raise ValueError(f"Config.{name} must be one of {', '.join(map(str, allowed))}, not {value!r}")
        if not self.pool >= 0:
            raise ValueError("Config.pool must be >= 0 (0: off; inf: the pooled evidence alone)")
        if (self.cross_trim < 0 or not self.level_prior >= 0 or not self.week_level_prior >= 0
                or not self.cat_level_prior >= 0):
            raise ValueError("Config.cross_trim, level_prior and week_level_prior must be >= 0 (0: off)")
        if not 0.0 < self.guard_alpha < 1.0 or not 0.0 <= self.guard_floor <= 0.5:
            raise ValueError("Config.guard_alpha must lie strictly between 0 and 1 and guard_floor within 0-0.5")


# the shipped rule (2026-12-04 evening, chosen leave-one-household-out in 11 of 13 folds and on all
# households, docs/forecasting.md): the best 4 on the target's own error (absolute percentage error),
# with the median of the last k months among the candidates; no shrinkage, no per-series number.
# ``Config()``'s field defaults stay the previous rule (top 3, shrink 3, 1-4 by backtest), which the
# cash-flow model builds on.
_TOP4_APE = Config(top=4, candidates=("model", "mean3", "median6", "mean12", "last_year", "blend", "ets_mul", "median_k"),
                   shrink=0.0, alternatives=(), score="ape")
# occasional series (more than half of the periods empty: travel, taxes, a one-off renovation; 2026-12-05, chosen
# leave-one-household-out on the monthly categories of 13 households in 12 of 13 folds, docs/forecasting.md): the
# best 2 of the naive and statistical candidates on the scaled error |a - f| / level, which scores the empty
# periods too; the model is not among them (its "same timing as last year" repeated one-off purchases)
OCCASIONAL = replace(_TOP4_APE, top=2, score="scaled",
                     candidates=tuple(c for c in _TOP4_APE.candidates if c != "model"))
# monthly expense categories pool their evidence (2026-12-05, chosen leave-one-household-out in 13 of 13 folds
# against choosing series by series, k = 12 in 8 of them; docs/forecasting.md): a prior worth 12 backtest points
# session 16 (shortfc): under 12 scored origins the combination mixed with the model and the 6-month median by
# (12 - origins) / 12 (:mod:`.thin`; monthly); shipped on its pre-registered test on fresh seeds 761-840. ``week_known``
# (:mod:`.weekly`): session 16's test re-run on seeds 1201-1260. ``weights="bagged"`` (:mod:`.bagged`): session 20 (1581-1640)
# winsor ONE_OFF_MEDIAN: session 21 (outlier), on since its pre-registered test passed on fresh seeds 1881-1940
# (forecast_oneoff_check.py --decide); oneoff.ONE_OFF_LOCAL since session 28 (forecast_oneoff28_check.py, 3051-3110)
DEFAULT = replace(_TOP4_APE, occasional_rule=OCCASIONAL, pool=12.0, thin_full=12, week_known=True, weights="bagged",
                  winsor=_oneoff.SHIPPED, thin_prior=_thin.WIDE_PRIOR if _thin.WIDE else _thin.SHIPPED_PRIOR)
NAIVE = ("mean3", "median6", "mean12", "last_year", "blend")  # the naive candidates
CHEAP_POOL = NAIVE + ("median_k",)  # the candidates that need only period totals (session 10, not shipped)
# measured 2026-12-04 night, not shipped (docs/forecasting.md): under 7 backtest origins the best naive candidate
# instead of the best 4 (a tie on monthly totals; worse on the few-origin backtests of weekly, income, categories)
SHORT_FALLBACK = replace(_TOP4_APE, min_origins=7, fallback="naive", naive=NAIVE)


@dataclass(frozen=True)
class Choice:
    """Which candidates the final forecast averages, and how each did in the backtest."""

    chosen: tuple[str, ...]
    errors: Mapping[str, float] = field(default_factory=dict)  # mean scaled absolute error per candidate
    points: Mapping[str, int] = field(default_factory=dict)
    weights: tuple[float, ...] | None = None  # one per chosen candidate (None: equal)
    pooled: bool = False  # ranked with the evidence of the user's other categories (:mod:`.pooled`)
    trim: int = 0  # at each point the ``trim`` highest and lowest forecasts left out (:func:`combine`)
    level: float = 1.0  # the combination's level correction from its backtest (:mod:`.level`; 1: none)

    def describe(self, unit: str = "month") -> str:
        names = [LABELS[c].format(unit=unit) for c in self.chosen]  # weighted: the 4 largest named and any as large
        rest = len(names) - sum(w >= self.weights[3] - 1e-9 for w in self.weights) if self.weights and len(names) > 4 else 0
        names = [*names[: len(names) - rest], f"{plural(rest, 'other')} weighted less"] if rest else names  # session 20
        equal = self.weights is None or max(self.weights) - min(self.weights) < 1e-9
        lead = "the average of " if equal else "a weighted average (largest weight first) of "
        if equal and self.trim and len(names) > 2 * self.trim:
            lead = ("the average, the highest and the lowest left out, of " if self.trim == 1 else
                    f"the average, the {self.trim} highest and the {self.trim} lowest left out, of ")
        return names[0] if len(names) == 1 else lead + and_list(names)


def _periods(freq: str) -> dict[str, int]:
    if freq == "week":
        return {"m3": 13, "m6": 26, "m12": 52, "season": 52}
    return {"m3": 3, "m6": 6, "m12": 12, "season": 12}


OUTLIER_Z = _oneoff.OUTLIER_Z
ONE_OFF_MEDIAN = _oneoff.ONE_OFF_MEDIAN
winsorize = _oneoff.winsorize  # the one owner of "this period is a one-off" for the forecast: :mod:`.oneoff`
one_offs = _oneoff.one_offs


def candidates_at(
    totals: np.ndarray, k: int, steps: int, freq: str, names: Sequence[str] = CANDIDATES, *, winsor: bool | str = True,
    lone: bool = False,
) -> dict[str, np.ndarray]:
    """Each candidate's forecast of periods ``k+1 .. k+steps`` from ``totals[: k + 1]`` (NaN: unavailable)."""
    p = _periods(freq)
    past = np.asarray(totals[: k + 1], dtype=float)
    if winsor:
        past = winsorize(past, winsor)
    seen = _oneoff.without_lone(past) if lone else past  # what the same period last year reads
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
    ly = np.array([seen[k + s - season * math.ceil(s / season)] if 0 <= k + s - season * math.ceil(s / season) < n
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
    if "median_k" in names:
        out["median_k"] = median_k(past, steps, freq)
    return _oneoff.carry_yearly(out, totals[: k + 1], steps, season if freq == "month" else 0, winsor)


def _rank(
    err: np.ndarray, names: Sequence[str], available: Sequence[str], config: Config, origins: np.ndarray | None = None
) -> Choice:
    """``err``: scaled absolute errors, one column per name (NaN where a candidate had no forecast);
    ``origins``: each row's origin (fewer scored origins than ``config.min_origins``: the default)."""
    ok = np.isfinite(err)
    few = bool(origins is not None and config.min_origins and _origins_scored(ok, origins) < config.min_origins)
    if few and config.fallback == "naive":  # too little evidence to rank them all: the best naive guess
        counts = ok.sum(axis=0)
        points = {c: int(counts[i]) for i, c in enumerate(names)}
        scored = {c: float(np.mean(err[ok[:, names.index(c)], names.index(c)])) for c in config.naive
                  if c in names and c in available and counts[names.index(c)]}
        if scored:
            return Choice((min(scored, key=lambda c: (scored[c], names.index(c))),), scored, points)
    if few:
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
        stat = np.median if config.rank_stat == "median" else np.mean
        errors = {names[i]: float(stat(err[ok[:, i], i])) for i in cols}
    if config.simple_origins and _origins_scored(ok, origins) < config.simple_origins:
        fixed = tuple(c for c in config.simple if c in names and c in available)
        if fixed:  # thin evidence: a fixed simple combination instead of a selection
            return Choice(fixed, errors, points)
    if not errors:
        chosen = tuple(c for c in config.default if c in available) or tuple(names[:1])
        return Choice(chosen, errors, points)
    ranked = sorted(errors, key=lambda c: (errors[c], names.index(c)))
    thin = config.thin_origins and _origins_scored(ok, origins) < config.thin_origins
    best = ranked[: len(ranked) if thin else config.top]
    best += [c for c in config.always if c in names and c not in best]
    if config.trim > 0:
        best = [c for c in best if errors[c] <= (1 + config.trim) * errors[best[0]]]
    if config.weights == "inverse":
        inv = np.array([1.0 / max(errors[c], 1e-9) for c in best])
        w = dict(zip(best, inv / inv.sum()))
    elif config.weights == "bagged" and not config.common_points:
        w = {names[i]: float(v) for i, v in enumerate(_bagged.weights(err, ok, cols, origins, config.top)) if v > 0}
    else:
        w = {c: 1.0 / len(best) for c in best}
    robust = [c for c in config.robust if c in available and c in names]
    naive = [c for c in config.naive if c in errors]
    if config.shrink_to == "naive" and naive:  # toward the naive guess that did best on this series
        robust = [min(naive, key=lambda c: (errors[c], names.index(c)))]
    if config.shrink > 0 and robust:
        lam = config.shrink / (config.shrink + _origins_scored(ok, origins))
        w = {c: (1 - lam) * v for c, v in w.items()}
        for c in robust:
            w[c] = w.get(c, 0.0) + lam / len(robust)
    prior = _thin.prior_weight(_origins_scored(ok, origins), config.thin_full)
    w = _thin.mix(w, _thin.members(config, available, names, err, origins, errors, prior), prior)
    if config.weights == "equal" and not config.shrink and not prior:
        return Choice(tuple(best), errors, points, trim=config.cross_trim)
    chosen = tuple(sorted(w, key=lambda c: -w[c]))
    return Choice(chosen, errors, points, tuple(float(w[c]) for c in chosen))


def _origins_scored(ok: np.ndarray, origins: np.ndarray | None) -> int:
    scored = ok.any(axis=1)
    return len(np.unique(origins[scored])) if origins is not None else int(scored.sum())


def choose(frame: pd.DataFrame, available: Sequence[str], config: Config | None = None) -> Choice:
    """The candidates to average, from backtest rows (columns: actual, scale and one per candidate)."""
    config = DEFAULT if config is None else config  # read when called (a patch reaches it)
    names = [c for c in config.candidates if c in available and c in frame]
    if not names:
        return Choice(tuple(c for c in config.default if c in available))
    pred = frame[names].to_numpy(dtype=float)
    err = np.abs(pred - frame["actual"].to_numpy(dtype=float)[:, None]) / frame["scale"].to_numpy(dtype=float)[:, None]
    return _rank(err, names, available, config)


def combine(
    preds: Mapping[str, np.ndarray], chosen: Sequence[str], weights: Sequence[float] | None = None, trim: int = 0
) -> np.ndarray:
    """Average of the chosen candidates (equal weights unless ``weights``), over those available at
    each point (the weights of the available ones renormalised). ``trim`` (equal weights only): at each
    point the ``trim`` highest and lowest of the available forecasts are left out while more than
    ``2 * trim`` are available (a cross-sectional trimmed mean)."""
    stack = np.vstack([np.asarray(preds[c], dtype=float) for c in chosen])
    ok = np.isfinite(stack)
    if trim > 0 and weights is None:
        order = np.argsort(np.where(ok, stack, np.inf), axis=0, kind="stable")  # NaN last
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(len(chosen))[:, None].repeat(stack.shape[1], axis=1), axis=0)
        n = ok.sum(axis=0)
        cut = np.where(n > 2 * trim, trim, 0)
        ok = ok & (rank >= cut) & (rank < n - cut)
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
    records: pd.DataFrame, totals: np.ndarray, period_starts: Sequence, final_steps: int, *, freq: str = "month",
    config: Config | None = None, model_final: np.ndarray | None = None, clip: bool = True, memo: dict | None = None,
    pooled: _pooled.Pooled | None = None, wrap: Callable | None = None,
) -> Selection:
    """Choose and combine candidates for one series.

    ``records``: backtest rows with ``origin_day``, ``ds`` (period start), ``step``,
    ``target_end``, ``actual``, ``scale`` and the model's forecast in ``yhat``.
    ``totals``/``period_starts``: the complete periods of the history. ``model_final``: the
    model's whole-period forecasts of the ``final_steps`` periods after the last complete one.
    ``memo``: a dict kept by the caller to reuse candidate forecasts across calls on the same series.
    ``pooled``: how the candidates did on the user's other categories (used when ``config.pool`` > 0 and the
    series is not occasional; the occasional rule does not pool). ``wrap``: a candidates' wrapper (:mod:`.weekly`).
    """
    config = DEFAULT if config is None else config  # read when called (a patch reaches it)
    occasional = bool(len(totals)) and float(np.mean(np.asarray(totals) == 0)) > config.occasional_share
    model_alone = occasional and config.occasional_rule is None
    ranked, cat_level = _catbias.category_rule(config, occasional, freq, pooled is not None)
    config = ranked
    if occasional and config.occasional_rule is not None:
        config = config.occasional_rule
    config = _thin.months_only(config, freq)  # the thin prior and the bagged pick: monthly series only
    names = [c for c in config.candidates if model_final is not None or c != "model"]
    cands = _Candidates(np.asarray(totals, dtype=float), freq, [c for c in names if c != "model"], config.winsor,
                        {} if memo is None else memo, config.lone)
    cands = wrap(cands, config, occasional) if wrap is not None else cands
    rec = records.copy().reset_index(drop=True)
    with _one_blas_thread():
        pred = _backtest_predictions(rec, names, cands, {d: i for i, d in enumerate(period_starts)})
        preds = dict(cands(len(totals) - 1, final_steps))
    pred = np.maximum(pred, 0.0) if clip else pred  # NaN stays NaN
    err = _scaled_errors(pred, rec, config.score)
    for i, c in enumerate(names):
        rec[COLUMN + c] = pred[:, i]
    if model_final is not None:
        preds["model"] = np.asarray(model_final, dtype=float)
    preds = {c: np.maximum(v, 0.0) for c, v in preds.items()} if clip else preds
    step = rec["step"].to_numpy(dtype=int) if len(rec) else np.zeros(0, dtype=int)
    if config.rank_steps == "all" or not len(rec):
        yhat, chosen_at, choice = _decide(rec, err, pred, names, config, clip, np.ones(len(rec), dtype=bool),
                                          pooled if config.pool > 0 else None)
        choices = {1: choice}
    else:  # horizon-specific: rank on the errors of the last step only, or of each step for that step
        groups = [step == step.max()] if config.rank_steps == "last" else [step == s for s in np.unique(step)]
        yhat, chosen_at, choices = np.full(len(rec), math.nan), np.full(len(rec), "", dtype=object), {}
        for mask in groups:
            masked = np.where(mask[:, None], err, math.nan)
            y_s, c_s, choices[int(step[mask].max())] = _decide(rec, masked, pred, names, config, clip, mask)
            rows = mask if config.rank_steps == "each" else np.ones(len(rec), dtype=bool)
            yhat[rows], chosen_at[rows] = y_s[rows], c_s[rows]
        choice = choices[max(choices)]
    rec["yhat"], rec["chosen"] = yhat, chosen_at
    if model_alone and "model" in names:
        # mostly empty periods (travel, taxes): the timing is structure only the model sees, and
        # a backtest of zeros cannot tell the methods apart
        choice = Choice(("model",), choice.errors, choice.points)
        choices = {1: choice}
        rec["yhat"] = pred[:, names.index("model")].copy()
        rec["chosen"] = "model"
    choice, choices = _level.apply(rec, config, freq, occasional, cat_level, choice, choices)  # off at 0 each
    if len(choices) > 1:  # each forecast step by the choice of its own step (beyond them: the last one)
        final = np.array([combine(preds, (c := choices[min(i + 1, max(choices))]).chosen, c.weights, c.trim)[i]
                          for i in range(final_steps)]) * choice.level
        if clip:
            final = np.maximum(final, 0.0)
        return Selection(rec, final, choice)
    final = combine(preds, choice.chosen, choice.weights, choice.trim) * choice.level
    return Selection(rec, np.maximum(final, 0.0) if clip else final, choice)


def evidence(
    records: pd.DataFrame, totals: np.ndarray, period_starts: Sequence, *, freq: str = "month",
    config: Config | None = None, memo: dict | None = None, clip: bool = True, final_steps: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What one series adds to the pool of :mod:`.pooled`: its backtest rows' origin and target-end days
    and the error (``config.score``) of every candidate of ``config`` on them (the model's forecasts from
    ``records["yhat"]``), whether the series is occasional or not. ``memo`` as in :func:`select` (with
    ``final_steps``, the candidates' final forecasts are computed into it too)."""
    config = DEFAULT if config is None else config  # read when called (a patch reaches it)
    names = list(config.candidates)
    cands = _Candidates(np.asarray(totals, dtype=float), freq, [c for c in names if c != "model"], config.winsor,
                        {} if memo is None else memo, config.lone)
    rec = records.reset_index(drop=True)
    with _one_blas_thread():
        pred = _backtest_predictions(rec, names, cands, {d: i for i, d in enumerate(period_starts)})
        if final_steps and len(totals):
            cands(len(totals) - 1, final_steps)
    if clip:
        pred = np.maximum(pred, 0.0)
    origin_day = rec["origin_day"].to_numpy() if len(rec) else np.zeros(0)
    target_end = rec["target_end"].to_numpy() if len(rec) else origin_day
    return origin_day, target_end, _scaled_errors(pred, rec, config.cat_score or config.score)


def _decide(
    rec: pd.DataFrame, err: np.ndarray, pred: np.ndarray, names: list[str], config: Config, clip: bool,
    mask: np.ndarray, pooled: _pooled.Pooled | None = None,
) -> tuple[np.ndarray, np.ndarray, Choice]:
    """The rule on one set of backtest errors (``err``: NaN outside the rows that count, ``mask``):
    the prequential backtest forecasts, their labels and the choice for the final forecast."""
    origin_day = rec["origin_day"].to_numpy() if len(rec) else np.zeros(0)
    target_end = rec["target_end"].to_numpy() if len(rec) else origin_day
    if pooled is not None:
        return _decide_pooled(err, pred, names, config, origin_day, target_end, pooled)
    yhat, chosen_at = _prequential(pred, err, origin_day, target_end, names, config)
    rule = config
    if config.alternatives:
        yhat, chosen_at, rule = _choose_rule(rec, err, pred, origin_day, target_end, names, config, yhat, chosen_at,
                                             mask)
    guard = None
    if config.guard != "off":
        yhat, chosen_at, guard = _guard(rec, err, pred, yhat, chosen_at, names, config, clip)
    choice = _rank(err, names, names, rule, origin_day)
    if guard is not None:
        choice = _guarded_choice(choice, *guard)
    return yhat, chosen_at, choice


def _rank_pooled(
    err: np.ndarray, names: list[str], config: Config, pooled: _pooled.Pooled, day: object | None,
    available: np.ndarray, origins: np.ndarray,
) -> Choice:
    """The best ``config.top`` on the series' own relative errors shrunk toward the pooled ones
    (:func:`.pooled.pooled_scores`); nothing rankable: the plain rule (its default)."""
    ref = None if config.pool_candidates is None else np.array([n in config.pool_candidates for n in names])
    rel, n = _pooled.relative_errors(err, config.min_points, ref)
    score = _pooled.pooled_scores(rel, n, pooled.prior(day, names), config.pool)
    best = _pooled.best_by_score(score, available, config.top)
    if not best:
        return _rank(err, names, names, config, origins)
    ok = np.isfinite(err)
    counts = ok.sum(axis=0)
    errors = {c: float(np.mean(err[ok[:, i], i])) for i, c in enumerate(names) if counts[i] >= config.min_points}
    return Choice(tuple(names[j] for j in best), errors, {c: int(counts[i]) for i, c in enumerate(names)},
                  pooled=True)


def _decide_pooled(
    err: np.ndarray, pred: np.ndarray, names: list[str], config: Config, origin_day: np.ndarray,
    target_end: np.ndarray, pooled: _pooled.Pooled,
) -> tuple[np.ndarray, np.ndarray, Choice]:
    """:func:`_decide` with the evidence pooled across the user's categories, prequentially (each origin:
    this series' and the pool's errors of targets ended by then)."""
    yhat = np.full(len(pred), math.nan)
    chosen_at = np.full(len(pred), "", dtype=object)
    for day in (np.unique(origin_day) if len(pred) else []):
        at = np.flatnonzero(origin_day == day)
        known = target_end <= day
        c = _rank_pooled(err[known], names, config, pooled, day, np.isfinite(pred[at]).any(axis=0),
                         origin_day[known])
        yhat[at] = combine({n: pred[at, i] for i, n in enumerate(names)}, c.chosen, c.weights, c.trim)
        chosen_at[at] = "+".join(c.chosen)
    everywhere = np.ones(len(names), dtype=bool)
    return yhat, chosen_at, _rank_pooled(err, names, config, pooled, None, everywhere, origin_day)


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
    winsor: bool | str
    memo: dict
    lone: bool = False  # ``Config.lone``

    def __call__(self, k: int, steps: int) -> dict[str, np.ndarray]:
        # one entry per candidate (settings with other candidate sets share them); the missing ones in one call,
        # which caps the past once for all of them (each candidate reads only the capped past: the same numbers)
        missing = [n for n in self.names if (k, steps, n, self.winsor, self.lone) not in self.memo]
        if missing:
            got = candidates_at(self.totals, k, steps, self.freq, missing, winsor=self.winsor, lone=self.lone)
            self.memo.update({(k, steps, n, self.winsor, self.lone): got[n] for n in missing})
        return {n: self.memo[(k, steps, n, self.winsor, self.lone)] for n in self.names}


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
        yhat[at] = combine({n: pred[at, i] for i, n in enumerate(names)}, c.chosen, c.weights, c.trim)
        chosen_at[at] = "+".join(c.chosen)
    return yhat, chosen_at


def _choose_rule(
    rec: pd.DataFrame, err: np.ndarray, pred: np.ndarray, origin_day: np.ndarray, target_end: np.ndarray,
    names: list[str], config: Config, yhat: np.ndarray, chosen_at: np.ndarray, mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, Config]:
    """Which number of best candidates to average, per series: each rule's prequential backtest
    errors are compared, prequentially again (each origin decides from targets ended by then), so
    the backtest shown stays out of sample. ``config.top`` is kept unless another beats it by
    ``config.margin``. Returns the backtest forecasts, their labels and the rule for the final forecast."""
    rules = [config] + [replace(config, top=t) for t in config.alternatives if t != config.top]
    outs = [(yhat, chosen_at)] + [_prequential(pred, err, origin_day, target_end, names, r) for r in rules[1:]]
    rerr = (_scaled_errors(np.column_stack([o[0] for o in outs]), rec, config.score) if len(rec)
            else np.zeros((0, len(outs))))
    if mask is not None:
        rerr[~mask] = math.nan

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


def _guarded_choice(choice: Choice, w: float, naive: str) -> Choice:
    """``w`` times the combination plus ``1 - w`` times the naive candidate, as one weighted choice."""
    if w >= 1.0:
        return choice
    base = choice.weights or tuple(1.0 / len(choice.chosen) for _ in choice.chosen)
    mix = {c: w * v for c, v in zip(choice.chosen, base)}
    mix[naive] = mix.get(naive, 0.0) + (1.0 - w)
    mix = {c: v for c, v in mix.items() if v > 0}
    chosen = tuple(sorted(mix, key=lambda c: -mix[c]))
    return Choice(chosen, choice.errors, choice.points, tuple(float(mix[c]) for c in chosen))


def _guard(
    rec: pd.DataFrame, err: np.ndarray, pred: np.ndarray, yhat: np.ndarray, chosen_at: np.ndarray,
    names: list[str], config: Config, clip: bool,
) -> tuple[np.ndarray, np.ndarray, tuple[float, str] | None]:
    """Mix the combination's backtest forecasts with the best naive candidate's, prequentially:
    at each origin the naive candidate and the weight come from targets that had ended by then
    (so the backtest shown stays out of sample). Returns the forecasts, their labels and
    ``(w, naive)`` for the final forecast (from every backtest row)."""
    naive = [names.index(c) for c in config.naive if c in names]
    if not naive or not len(rec):
        return yhat, chosen_at, None
    origin_day, target_end = rec["origin_day"].to_numpy(), rec["target_end"].to_numpy()
    step = rec["step"].to_numpy(dtype=int)
    use = step == step.max() if config.guard_steps == "last" else np.ones(len(rec), dtype=bool)

    def pick(rows: np.ndarray) -> int:
        e = err[rows][:, naive]
        have = np.isfinite(e).any(axis=0)
        if not have.any():
            return naive[0]
        common = np.isfinite(e[:, have]).all(axis=1)
        sub = e[common][:, have] if common.any() else e[:, have]
        means = [float(np.nanmean(sub[:, i])) for i in range(sub.shape[1])]
        return [j for j, h in zip(naive, have) if h][int(np.argmin(means))]

    naive_yhat = np.full(len(rec), math.nan)
    naive_at = np.zeros(len(rec), dtype=int)
    for day in np.unique(origin_day):
        at = origin_day == day
        naive_at[at] = j = pick(use & (target_end <= day))
        naive_yhat[at] = pred[at, j]
    combo_err, naive_err = _scaled_errors(yhat, rec), _scaled_errors(naive_yhat, rec)
    out, labels = yhat.copy(), chosen_at.copy()
    for day in np.unique(origin_day):
        at = np.flatnonzero(origin_day == day)
        rows = use & (target_end <= day)
        w = guard_weight(combo_err[rows], naive_err[rows], origin_day[rows], config)
        ok = np.isfinite(naive_yhat[at])
        out[at[ok]] = w * yhat[at[ok]] + (1 - w) * naive_yhat[at[ok]]
        if w < 1:
            labels[at[ok]] = [f"{w:.2f}x({c}) + {1 - w:.2f}x{names[naive_at[i]]}" for i, c in
                              zip(at[ok], chosen_at[at[ok]])]
    if clip:
        out = np.where(np.isfinite(out), np.maximum(out, 0.0), out)
    w = guard_weight(combo_err[use], naive_err[use], origin_day[use], config)
    return out, labels, (w, names[pick(use)])


def guard_weight(combo: np.ndarray, naive: np.ndarray, origins: np.ndarray, config: Config) -> float:
    """The combination's weight against the naive candidate, from their scaled absolute errors on the
    same backtest rows. The errors are averaged per origin (the targets of one origin share its
    surprise); the mean difference over origins is tested Diebold-Mariano style, with a Bartlett
    long-run variance over the overlap of consecutive origins' targets (2 lags) and Student-t quantiles."""
    ok = np.isfinite(combo) & np.isfinite(naive)
    days = np.unique(origins[ok])
    if len(days) < max(config.guard_min_origins, 2):
        return float(config.guard_prior)
    if config.guard == "inverse":
        inv_c = 1.0 / max(float(np.mean(combo[ok] ** 2)), 1e-12)
        inv_n = 1.0 / max(float(np.mean(naive[ok] ** 2)), 1e-12)
        return float(np.clip(inv_c / (inv_c + inv_n), config.guard_floor, 1.0 - config.guard_floor))
    d = np.array([float(np.mean(naive[ok & (origins == o)] - combo[ok & (origins == o)])) for o in days])
    n = len(d)
    if config.guard == "sign":  # P(at least this many wins of n | no difference) <= alpha
        wins, ties = int((d > 0).sum()), int((d == 0).sum())
        m = n - ties
        p = sum(math.comb(m, j) for j in range(wins, m + 1)) / 2 ** m if m else 1.0
        return 1.0 if p <= config.guard_alpha else 0.0
    dc = d - d.mean()
    lrv = float(dc @ dc) / n
    for lag in range(1, min(2, n - 1) + 1):
        lrv += 2 * (1 - lag / 3) * float(dc[lag:] @ dc[:-lag]) / n
    if lrv <= 0:
        lrv = float(dc @ dc) / n
    if lrv <= 0:
        stat = math.inf if d.mean() > 0 else -math.inf if d.mean() < 0 else 0.0
    else:
        stat = float(d.mean()) / math.sqrt(lrv / n)
    from scipy.special import stdtr, stdtrit  # scipy comes with statsmodels; imported only here

    if config.guard == "soft":
        return float(stdtr(n - 1, stat)) if math.isfinite(stat) else float(stat > 0)
    return 1.0 if stat > float(stdtrit(n - 1, 1 - config.guard_alpha)) else 0.0

