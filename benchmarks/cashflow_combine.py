"""Combining the cash-flow rule's forecasts instead of choosing one (issue #19; tried, not shipped).

The shipped rule (``cashflow_model.fit(choose=12)``) chooses per history between the model and the
median of the model with the naive forecasts. This script asks whether a *combination* does better:
weights over four bases of a month's net, M (the model: known items + the "other" level), D (the
median of M, 0 and last month's net), S (stays: 0) and R (repeats: last month's net), taken from the
history's own scaled one-month errors at its last N earlier origins (prequential, as the choice is):

* ``LS2 N k``: the convex weight of M against D that minimises the squared errors, shrunk towards 1/2
  with ``k`` pseudo-errors (Granger-Ramanathan stacking constrained to sum to 1);
* ``LAD2 N k``: the same on the absolute errors (the benchmark's loss; grid of 0.1) - the shipped
  choice is this with the weight restricted to 0 or 1;
* ``LS3 N``: convex weights of M, S and R (least squares, grid of 0.1 on the simplex);
* references: the shipped choice, M alone, D alone, half M + half D, inverse-MSE weights;
* ``medest``: the "other" level as the median of four robust estimators (trimmed mean and median of
  the last 12 months, Hodges-Lehmann of 12, an exponentially weighted median of 24 with a half-life
  of 6), with the shipped choice or the model alone. "medest choose" is shipped since 2026-12-05
  (``cashflow_model.LEVEL_RULE = "robust"``, seventh pass in docs/accounts.md); "trimmed choose" is the
  rule shipped before (the trimmed mean alone). Each rule's level is applied as a shift from the level
  the recording's product used (``cashflow_model._level``), so recordings made before and after agree;
* ``warmup choose`` (eighth pass, pre-registered on seeds 201-240 and the real histories; not adopted):
  the shipped rule with the history's leading months before the detector projected any known item left
  out of the "other" level (their "other" holds the items not yet recognised); an origin with fewer than
  2 months after them has no backtest run, the last one falls back to all months.

Fewer than ``MIN_CHOICE_ERRORS`` earlier errors: D, as shipped. The band is the shipped procedure
(split-conformal on each earlier origin's errors of the same rule). Nothing here is in the product.

How: ``capture`` runs ``benchmarks/cashflow_eval.py``'s backtest (every origin projected with
``cashflow.project_history``) and records what ``fit`` saw at each origin (its rolling-origin runs,
the monthly nets, the "other" series, the final level and known items) by wrapping four of
``cashflow_model``'s functions; ``replay`` scores every rule on the recordings in seconds. The shipped
rule's replay reproduces cashflow_eval's points and bands to 1 minor unit (checked on every origin).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_combine.py capture 13 /tmp/x/cap13.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_combine.py capture 101-120 /tmp/x/cap101.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_combine.py replay /tmp/x/cap13.pkl --origins 6 [--loho]

``capture A-B``: generated histories with seeds A..B, the seven shapes in turn (trend, season, level
shift, outliers, short, noisy, demo). Used so far: 101-170 (sixth to eighth passes), 201-240 (eighth
pass's test set), 281-320 and 321-360 (session 10: ``--band`` variants of ``cashflow_band.py`` and the rule
``naive 1se``, a naive projection chosen by the one-standard-error rule; neither adopted), 401-440 (session
10, cfband: the band ``stepnorm``, identical there), 481-520 and 521-560 (session 11, cfband: bands ``hdc`` and ``stepnorm``, the rule ``model 1se`` explored on used blocks only), 601-640 (session 11, cfyoung: band ``drop 6``, not adopted), 641-720 (session 12, cashflow: the rule
``choose M/D/H``, not adopted; ``choose M/H`` beside), 721-800 (session 13, cfchoice: the rule ``M/H, D if M
lost``), 801-880 (session 14, cflow: the combination ``invMAE M,D shrunk``), 1001-1080 (session 15, cflow: ``choose M/D nudged
0.1``, not adopted; 881-1000 reserved); 1081-1160 (session 16, cfjob: the band ``recent scale``, benchmarks/cashflow_bandscale.py, adopted); 1161-1240
(session 17), 1281-1340 (session 18), 1341-1400 (session 19, cfpayee: benchmarks/cashflow_payee_check.py); 1641-1700 (session 20, cfcov:
benchmarks/cashflow_coverage_check.py, the band ``scale``, adopted); take 1401 and up (1641-1700 are used).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import pickle
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cashflow_band import variant  # noqa: E402
from cashflow_eval import NetHistory, _month_end, sign_flip_p  # noqa: E402
from forecast_households import demo, households, synthetic  # noqa: E402

from budgetwise.services import cashflow as C  # noqa: E402
from budgetwise.services import cashflow_model as M  # noqa: E402
from budgetwise.services import forecast as F  # noqa: E402
from budgetwise.services.forecast.ensemble import conformal_offsets  # noqa: E402

# --------------------------------------------------------------------------- capture
SHAPES = [("trend", {"months": 36, "trend": 0.15}), ("season", {"months": 36, "season": 0.4}),
          ("shift", {"months": 30, "shift_at": 0.6, "shift": 0.5}), ("outliers", {"months": 30, "outliers": 3}),
          ("short", {"months": 16, "season": 0.2}), ("noisy", {"months": 24, "noise": 0.8}), ("demo", None)]


def seeded(first: int, last: int) -> list[tuple[str, Callable[[], pd.DataFrame]]]:
    out: list[tuple[str, Callable[[], pd.DataFrame]]] = []
    for seed in range(first, last + 1):
        shape, kw = SHAPES[(seed - first) % len(SHAPES)]
        if kw is None:
            m = 30 if seed % 2 else 36
            out.append((f"fresh demo s{seed} {m}m", lambda seed=seed, m=m: demo(seed, m)))
        else:
            out.append((f"fresh {shape} s{seed}", lambda seed=seed, kw=kw: synthetic(seed, **kw)))
    return out


def _recording() -> tuple[dict, Callable[[], None]]:
    """Wrap fit's parts so each call leaves what it saw in the returned dict; the second value undoes it."""
    cap: dict = {}
    orig = {n: getattr(M, n) for n in ("_rules_chosen", "_month_other", "_chosen_levels", "fit")}

    def rules(runs, ends, choose, default):
        cap["runs"] = {o: (sc, {k: list(v) for k, v in p.items()}, list(a)) for o, (sc, p, a) in runs.items()}
        cap["ends"] = list(ends)
        return orig["_rules_chosen"](runs, ends, choose, default)

    def month_other(as_of, steps, level, last, flows, naive=True, rule=None, weight=1.0):
        kn1 = M.known_by_month(flows, as_of, [M._next_month_end(as_of)])[0]
        cap["final"] = {"level": level, "last": last, "kn1": kn1, "as_of": as_of, "steps": steps, "weight": weight}
        return orig["_month_other"](as_of, steps, level, last, flows, naive, rule, weight=weight)

    def levels(values, scales, level_months, top, start):
        cap["other"] = list(values)
        return orig["_chosen_levels"](values, scales, level_months, top, start)

    def fit(history, **kw):
        cap["nets"] = M.monthly_nets(history)
        cap["gross"] = M.monthly_gross(history, list(cap["nets"].index))  # the band's scale with BAND_SCALE "gross"
        cap["model"] = orig["fit"](history, **kw)
        return cap["model"]

    M._rules_chosen, M._month_other, M._chosen_levels, M.fit = rules, month_other, levels, fit  # type: ignore[assignment]

    def undo() -> None:
        for n, f in orig.items():
            setattr(M, n, f)
    return cap, undo


def capture_history(frame: pd.DataFrame, origins: int) -> list[dict]:
    """cashflow_eval.evaluate's backtest (the shipped rule), recording each origin's fit."""
    net = NetHistory(frame)
    canon, dates, balance, ends = net.canon, net.dates, net.balance, net.origins(origins)

    cap, undo = _recording()
    recs = []
    try:
        for origin in ends:
            cap.clear()
            hist = F.history_from_frame(canon[dates <= origin], currency="USD", as_of=origin)
            start = balance(origin)
            p = C.project_history(hist, start_balance_minor=start, as_of=origin, horizon_months=2)
            target = _month_end(origin + dt.timedelta(days=1))
            point = next(d for d in p.days if d.date == target)
            recs.append({"origin": origin, "start": start, "actual": balance(target),
                         "prev": balance(origin.replace(day=1) - dt.timedelta(days=1)),
                         "point": point.balance_minor, "lower": point.lower_minor, "upper": point.upper_minor,
                         "days": (target - origin).days, "rule": cap["model"].rule,
                         **{k: cap[k] for k in ("runs", "ends", "nets", "gross", "other", "final")}})
    finally:
        undo()
    return recs


# --------------------------------------------------------------------------- rules
BASES = ("M", "D", "S", "R", "V")  # V (session 21): this month's known items + last month's "other" (the variable part
# repeats), the naive projection of the variable part alone
Weights = dict[str, float]


def _trimmed(v, n=12) -> float:
    return M._trimmed_level(v, n)


def _hodges_lehmann(v, n=12) -> float:
    x = np.asarray(v[-n:], float)
    return float(np.median([(x[i] + x[j]) / 2 for i in range(len(x)) for j in range(i, len(x))]))


def _ew_median(v, n=24, half=6) -> float:
    x = np.asarray(v[-n:], float)
    w = 0.5 ** (np.arange(len(x))[::-1] / half)
    o = np.argsort(x)
    cw = np.cumsum(w[o])
    return float(x[o][np.searchsorted(cw, cw[-1] / 2)])


def medest(v) -> float:
    return float(np.median([_trimmed(v), float(np.median(v[-12:])), _hodges_lehmann(v), _ew_median(v)]))


def fixed(**w: float) -> Callable[[dict], Weights]:
    return lambda E: dict(w)


def choose(E) -> Weights:  # the shipped rule: the lower mean absolute error; a tie keeps D
    return {"M": 1.0} if np.mean(np.abs(E["M"])) < np.mean(np.abs(E["D"])) else {"D": 1.0}


def choose_naive(se: float) -> Callable[[dict], Weights]:
    """Session 10 (b): the shipped choice (M or D), replaced by a naive base (S: stays, R: repeats) only where
    that one's earlier absolute errors are lower by more than ``se`` standard errors of the paired
    differences (the one-standard-error rule with ``se=1``: short or mixed evidence keeps the model)."""
    def f(E):
        c = next(iter(choose(E)))
        best, best_t = c, 0.0
        for b in ("S", "R"):
            d = np.abs(E[c]) - np.abs(E[b])
            sd = float(np.std(d, ddof=1)) if len(d) > 1 else math.inf
            t = float(np.mean(d)) / (sd / math.sqrt(len(d))) if sd > 0 else (math.inf if np.mean(d) > 0 else 0.0)
            if float(np.mean(d)) > 0 and t > se and t > best_t:
                best, best_t = b, t
        return {best: 1.0}
    return f


def choose_model(se: float) -> Callable[[dict], Weights]:
    """Session 11 (cfband): the model unless the median D's earlier absolute errors are lower than the
    model's by more than ``se`` standard errors of the paired differences (the one-standard-error rule
    with ``se=1``, towards the model: the shipped choice takes D on any lower mean, and a tie keeps D)."""
    def f(E):
        d = np.abs(E["M"]) - np.abs(E["D"])
        sd = float(np.std(d, ddof=1)) if len(d) > 1 else math.inf
        mean = float(np.mean(d))
        t = mean / (sd / math.sqrt(len(d))) if sd > 0 else (math.inf if mean > 0 else 0.0)
        return {"D": 1.0} if mean > 0 and t > se else {"M": 1.0}
    return f


def choose_by(stat: str, half_life: float | None = None) -> Callable[[dict], Weights]:
    """Session 11 exploration: the shipped choice by another statistic of the earlier scaled absolute errors:
    "median" (robust to one one-off month), or "ew" (the mean weighted 0.5 ** (age / half_life))."""
    def f(E):
        a, b = np.abs(E["M"]), np.abs(E["D"])
        if stat == "median":
            m, d = float(np.median(a)), float(np.median(b))
        else:
            w = 0.5 ** (np.arange(len(a))[::-1] / (half_life or 6.0))
            m, d = float(w @ a / w.sum()), float(w @ b / w.sum())
        return {"M": 1.0} if m < d else {"D": 1.0}
    return f


def choose_half(options: tuple[str, ...] = ("D", "M", "H")) -> Callable[[dict], Weights]:
    """Session 12 (cashflow): the shipped choice with a third option, H = half the model + half the median
    (``{"M": .5, "D": .5}``), by the same lower mean scaled absolute one-month error; a tie goes to the first
    of ``options`` (D, the shipped default, then M, then H). The median D equals "repeats" or "stays" whenever
    last month's net or 0 lies between the other two, so a history on D can at best tie a naive projection
    there; H keeps half the model. ``("M", "H")`` (H in D's place; tie: H) is the reference "choose M/H"."""
    def f(E):
        err = {"M": float(np.mean(np.abs(E["M"]))), "D": float(np.mean(np.abs(E["D"]))),
               "H": float(np.mean(np.abs((E["M"] + E["D"]) / 2)))}
        best = min(options, key=lambda b: err[b])
        return {"M": 0.5, "D": 0.5} if best == "H" else {best: 1.0}
    return f


def median_when_model_loses(E) -> Weights:
    """Session 13 (cfchoice): "choose M/H", with D offered too (as in "choose M/D/H": tie D, M, H) only where the
    model's earlier mean scaled absolute error was larger than the better naive projection's (S or R): the median
    falls back towards the naive projections, which only helps where the model is off by the history's own
    backtest. No constant is fitted. The product's ``cashflow_model.MEDIAN_WHEN_MODEL_LOSES``."""
    m = float(np.mean(np.abs(E["M"])))
    lost = m > min(float(np.mean(np.abs(E["S"]))), float(np.mean(np.abs(E["R"]))))
    return choose_half()(E) if lost else choose_half(("H", "M"))(E)


def inv_error_shrunk(bases: tuple[str, ...] = ("M", "D"), shrink: float = 0.5) -> Callable[[dict], Weights]:
    """Session 14 (cflow): a combination instead of a choice. Each base's weight is its inverse mean scaled absolute
    one-month error over the last 12 earlier origins, normalised (Bates-Granger on the benchmark's own loss), shrunk
    ``shrink`` of the way towards equal weights (Stock-Watson style shrinkage: with 12 noisy errors estimated weights
    are unreliable, the "forecast combination puzzle"). Weights stay convex and sum to one."""
    def f(E):
        inv = {b: 1.0 / max(1e-12, float(np.mean(np.abs(E[b])))) for b in bases}
        total = sum(inv.values())
        return {b: (1 - shrink) * v / total + shrink / len(bases) for b, v in inv.items()}
    return f


def inv_mse(bases) -> Callable[[dict], Weights]:
    def f(E):
        inv = {b: 1.0 / max(1e-12, float(np.mean(E[b] ** 2))) for b in bases}
        return {b: v / sum(inv.values()) for b, v in inv.items()}
    return f


def ls2(k: int) -> Callable[[dict], Weights]:
    def f(E):
        a, b = E["M"], E["D"]
        d = a - b
        den = float(d @ d)
        w = 0.5 if den <= 1e-18 else float(np.clip(-(b @ d) / den, 0, 1))
        w = (len(a) * w + k * 0.5) / (len(a) + k)
        return {"M": w, "D": 1 - w}
    return f


GRID = np.linspace(0, 1, 11)


def lad2(k: int) -> Callable[[dict], Weights]:
    def f(E):
        a, b = E["M"], E["D"]
        loss = [float(np.mean(np.abs(g * a + (1 - g) * b))) for g in GRID]
        best = min(range(len(GRID)), key=lambda i: (round(loss[i], 12), abs(GRID[i] - 0.5)))
        w = (len(a) * GRID[best] + k * 0.5) / (len(a) + k)
        return {"M": w, "D": 1 - w}
    return f


SIMPLEX3 = [(i / 10, j / 10, (10 - i - j) / 10) for i in range(11) for j in range(11 - i)]


def ls3(E) -> Weights:
    a, s, r = E["M"], E["S"], E["R"]
    best = min(SIMPLEX3, key=lambda w: (float(np.sum((w[0] * a + w[1] * s + w[2] * r) ** 2)), -w[0]))
    return {"M": best[0], "S": best[1], "R": best[2]}


def _rule(weights, window=12, level=None, warmup=False, multistep=False, mature=0) -> dict:
    return {"weights": weights, "window": window, "level": level, "warmup": warmup, "multistep": multistep,
            "mature": mature}


WARMUP_MIN_MONTHS = 2  # as pre-registered (cashflow_model.MIN_LEVEL_MONTHS was 2 then)


def warmup_months(nets, ends, other, i: int) -> int:
    """The leading months (of ``ends[: i + 1]``) before the first one in which the detector projected any
    known item (its net differs from its "other"); 0 when nothing was ever known. The "warm-up" rule
    (eighth pass, docs/accounts.md; tried, not adopted) leaves them out of the "other" level."""
    return next((j for j in range(i + 1) if int(nets[ends[j]]) != other[j]), 0)


SHIPPED = "shipped (choose, 12)"
RULES = {SHIPPED: _rule(choose), "model alone": _rule(fixed(M=1.0)), "median alone": _rule(fixed(D=1.0)),
         "half M+D": _rule(fixed(M=.5, D=.5)), "invMSE M,D 12": _rule(inv_mse(("M", "D"))),
         "invMSE M,S,R 12": _rule(inv_mse(("M", "S", "R")))}
for _n in (6, 12, 24):
    for _k in (0, 6, 12, 24):
        RULES[f"LS2 N{_n} k{_k}"] = _rule(ls2(_k), _n)
        RULES[f"LAD2 N{_n} k{_k}"] = _rule(lad2(_k), _n)
    RULES[f"LS3 N{_n}"] = _rule(ls3, _n)
RULES["medest choose"] = _rule(choose, 12, medest)
RULES["medest model"] = _rule(fixed(M=1.0), 12, medest)
RULES["trimmed choose"] = _rule(choose, 12, _trimmed)  # the rule shipped before 2026-12-05 (LEVEL_RULE "trimmed")
RULES["warmup choose"] = _rule(choose, 12, None, True)
RULES["naive 1se"] = _rule(choose_naive(1.0))  # session 10 (b), pre-registered on seeds 321-360
RULES["model 1se"] = _rule(choose_model(1.0))  # session 11 (cfband)
RULES["model 0.5se"] = _rule(choose_model(0.5))
RULES["choose median"] = _rule(choose_by("median"))  # session 11 exploration (used blocks only)
RULES["choose ew6"] = _rule(choose_by("ew", 6.0))
RULES["choose ew3"] = _rule(choose_by("ew", 3.0))
RULES["choose M/D/H"] = _rule(choose_half())  # session 12 (cashflow), pre-registered on seeds 641-720
RULES["choose M/H"] = _rule(choose_half(("H", "M")))  # its reference (known to lose two real histories at 6 origins)
RULES["M/H, D if M lost"] = _rule(median_when_model_loses)  # session 13 (cfchoice), pre-registered on 721-800
RULES["invMAE M,D shrunk"] = _rule(inv_error_shrunk())  # session 14 (cflow), pre-registered on seeds 801-880
RULES["choose, all steps"] = _rule(choose, 12, multistep=True)  # session 15 (cflow)
def ar1_level(months: int = 24, least: int = 12, cap: float = 1.0, sig: float = 0.0) -> Callable[[list], float]:
    """Session 15 (cflow): the shipped robust level L pulled towards last month's "other" by the lag-1
    autocorrelation of the last ``months`` of "other" around L (clipped to [0, cap]; 0 with fewer than ``least``
    months): an AR(1) forecast around the robust mean. A smooth drift (season, a shift, a trend) has a high
    autocorrelation and follows the last month; independent noise and one-off months have about none."""
    def f(v) -> float:
        lv = M._level(v)
        x = np.asarray(v[-months:], float) - lv
        if len(x) < least or float(x @ x) <= 0:
            return lv
        rho = float(np.clip(float(x[1:] @ x[:-1]) / float(x @ x), 0.0, cap))
        if rho <= sig / math.sqrt(len(x)):
            return lv
        return lv + rho * (float(v[-1]) - lv)
    return f


for _m in (6, 8, 10, 12):
    RULES[f"choose, mature {_m}"] = _rule(choose, 12, mature=_m)
RULES["hedge M"] = _rule(lambda E: inv_error_shrunk()(E) if "M" in choose(E) else {"D": 1.0})  # session 14 exploration
RULES["AR1 choose"] = _rule(choose, 12, ar1_level())
RULES["AR1 model"] = _rule(fixed(M=1.0), 12, ar1_level())
RULES["AR1 choose 12"] = _rule(choose, 12, ar1_level(12, 8))
RULES["AR1 sig choose"] = _rule(choose, 12, ar1_level(24, 12, 1.0, 2.0))
RULES["AR1 sig choose 12"] = _rule(choose, 12, ar1_level(12, 8, 1.0, 2.0))
def choose_nudged(w: float) -> Callable[[dict], Weights]:
    """Session 15 exploration: the shipped choice, with D replaced by (1 - w) D + w M."""
    def f(E):
        c = choose({"M": E["M"], "D": (1 - w) * E["D"] + w * E["M"]})
        return {"M": 1.0} if "M" in c else {"M": w, "D": 1 - w}
    return f


for _w in (0.1, 0.2, 0.3):
    RULES[f"choose M/D nudged {_w}"] = _rule(choose_nudged(_w))
RULES["naive plain"] = _rule(choose_naive(0.0))  # its reference: the lowest earlier error among M/D, S, R  # eighth pass: the months before anything was known left out


def variable_blend(k: int = 0, then_choose: bool = False) -> Callable[[dict], Weights]:
    """Session 21 (cfpoint), explored on used data only, not registered: the variable part shrunk towards its own
    naive projection: w M + (1 - w) V (V: the known items + last month's "other"), w the grid value (0, 0.1, .., 1)
    with the lowest mean scaled absolute one-month error over the last 12 earlier origins (a tie: the larger w),
    shrunk towards 1 (the model) with ``k`` pseudo-errors; ``then_choose``: that blend or the median D, whichever
    erred less there (the shipped choice with the blend in M's place)."""
    def f(E):
        loss = [float(np.mean(np.abs(g * E["M"] + (1 - g) * E["V"]))) for g in GRID]
        best = min(range(len(GRID)), key=lambda i: (round(loss[i], 12), -GRID[i]))
        w = (len(E["M"]) * GRID[best] + k) / (len(E["M"]) + k)
        if then_choose and float(np.mean(np.abs(E["D"]))) <= float(np.mean(np.abs(w * E["M"] + (1 - w) * E["V"]))):
            return {"D": 1.0}
        return {"M": w, "V": 1 - w}
    return f


for _k in (0, 6):
    RULES[f"Vblend k{_k}"] = _rule(variable_blend(_k))
    RULES[f"Vblend k{_k}/D"] = _rule(variable_blend(_k, True))
FAMILIES = {"LS2": [r for r in RULES if r.startswith("LS2")], "LAD2": [r for r in RULES if r.startswith("LAD2")],
            "LS3": [r for r in RULES if r.startswith("LS3")], "medest": ["medest choose", "medest model"]}


def forecast(rec: dict, rl: dict) -> tuple[int, int, int]:
    """The rule's end-of-next-month balance and 80% band at one recorded origin."""
    runs, nets, ends, other = rec["runs"], rec["nets"], rec["ends"], rec["other"]
    gross = rec.get("gross")  # recordings before session 22 have none: the band's scale is then the net's
    idx = {e: i for i, e in enumerate(ends)}

    def level(o) -> float | None:  # the rule's "other" level at origin o (None: no run there)
        v = other[: idx[o] + 1]
        if rl.get("warmup"):
            w = warmup_months(nets, ends, other, idx[o])
            if len(v) - w >= WARMUP_MIN_MONTHS:
                v = v[w:]
            elif o != ends[-1]:
                return None
        return (rl["level"] or M._level)(v)

    def shift(o) -> float:  # the rule's level minus the level the recording's product used at origin o
        lv = level(o)
        return 0.0 if lv is None else lv - rec_level(o)

    def rec_level(o) -> float:
        v = other[: idx[o] + 1]
        if rec.get("warmup"):  # recorded with the warm-up in the product
            w = warmup_months(nets, ends, other, idx[o])
            v = v[w:] if len(v) - w >= WARMUP_MIN_MONTHS else v
        return M._level(v)

    runs = {o: r for o, r in runs.items() if level(o) is not None}
    base = {}
    for o, (_sc, preds, _a) in runs.items():
        m = np.diff([0.0, *preds["model"]]) + shift(o) if preds["model"] else np.array([])
        r = float(nets[o])
        base[o] = {"M": m, "S": np.zeros_like(m), "R": np.full_like(m, r), "D": np.array([np.median([x, 0.0, r]) for x in m]),
                   "V": m - (level(o) or 0.0) + float(other[idx[o]])}  # the known items + last month's "other"

    def weights(o) -> Weights:
        before = [x for x in runs if x < o and idx[x] + 1 >= rl.get("mature", 0)][-rl["window"]:]
        if len(before) < M.MIN_CHOICE_ERRORS:
            return {"D": 1.0}
        if rl.get("multistep"):  # session 15: every step whose month had ended by o, each error / sqrt(step)
            pairs = [(x, k) for x in before for k in range(1, len(runs[x][2]) + 1) if idx[x] + k <= idx[o]]
            return rl["weights"]({b: np.array([(runs[x][2][k - 1] - float(np.sum(base[x][b][:k]))) / runs[x][0] / math.sqrt(k)
                                               for x, k in pairs]) for b in BASES})
        return rl["weights"]({b: np.array([(runs[x][2][0] - base[x][b][0]) / runs[x][0] for x in before]) for b in BASES})

    scores, steps = [], []
    for o in [e for e in ends[:-1] if e in runs][-M.MAX_ORIGINS:]:
        w, (_sc, _p, actual) = weights(o), runs[o]
        net = sum(w.get(b, 0.0) * base[o][b] for b in BASES)
        for k, (p, a) in enumerate(zip(np.cumsum(net), actual), start=1):
            scores.append((a - p) / M._band_scale(nets, o, gross))
            steps.append(k)
    fin = rec["final"]
    mm = fin["kn1"] + (fin["level"] or 0.0) + (shift(ends[-1]) if fin["level"] is not None else 0.0)
    fb = {"M": mm, "S": 0.0, "R": fin["last"], "D": float(np.median([mm, 0.0, fin["last"]])),
          "V": fin["kn1"] + float(other[-1])}
    w = weights(ends[-1]) if ends[-1] in runs else {"D": 1.0}
    point = rec["start"] + int(round(sum(w.get(b, 0.0) * fb[b] for b in BASES)))
    band, _how = (rl.get("band") or M._band)(np.asarray(scores), np.asarray(steps, dtype=int), fin["steps"],
                                             M._band_scale(nets, fin["as_of"], gross), nets, conformal_offsets)
    lo, hi = C._band_at(band, rec["days"] / 30.436875)
    return point, min(point, point + lo), max(point, point + hi)


# --------------------------------------------------------------------------- scoring
def score(recs: list[dict], rl: dict) -> dict:
    err, stay, rep, inside = [], [], [], 0
    for rec in recs:
        point, lo, hi = forecast(rec, rl)
        a = rec["actual"]
        err.append(abs(point - a))
        stay.append(abs(rec["start"] - a))
        rep.append(abs(2 * rec["start"] - rec["prev"] - a))
        inside += lo <= a <= hi
    n = len(recs)
    return {"mae": sum(err) / n, "stay": sum(stay) / n, "repeat": sum(rep) / n, "covered": inside, "origins": n,
            "errors": err, "stays": stay, "repeats": rep}


def _wins(r: dict) -> bool:
    return r["mae"] < r["stay"] and r["mae"] < r["repeat"]


def _ratio(r: dict) -> float:
    return r["mae"] / max(1e-9, min(r["stay"], r["repeat"]))


def _naive(r: dict) -> list[int]:
    return r["stays"] if r["stay"] <= r["repeat"] else r["repeats"]


def summary(rows: list[dict]) -> str:
    cov = sum(r["covered"] for r in rows) / sum(r["origins"] for r in rows)
    pooled = sum(sum(r["errors"]) for r in rows) / sum(sum(_naive(r)) for r in rows)
    return (f"{sum(map(_wins, rows)):>2}/{len(rows)}, {cov:.0%}, ratio {np.mean([_ratio(r) for r in rows]):.3f}, "
            f"pooled {pooled:.3f}")


def versus(rows: list[dict], base: list[dict]) -> str:
    """Paired against the shipped rule: each origin's error difference scaled by the history's better naive MAE."""
    d = [(a - b) / max(1.0, float(np.mean(_naive(r)))) for r, q in zip(rows, base) for a, b in zip(r["errors"], q["errors"])]
    better = sum(r["mae"] < q["mae"] for r, q in zip(rows, base))
    worse = sum(r["mae"] > q["mae"] for r, q in zip(rows, base))
    return f"vs shipped {np.mean(d):+.3f} (p={sign_flip_p(d):.2f}), better on {better}, worse on {worse}"


CRITERIA = {"wins": lambda rows: (-sum(map(_wins, rows)), float(np.mean([_ratio(r) for r in rows]))),
            "ratio": lambda rows: (float(np.mean([_ratio(r) for r in rows])),)}


def replay(path: str, origins: int, rules: list[str] | None = None, loho: bool = False,
           bands: list[str] | None = None) -> dict:
    data = pickle.load(open(path, "rb"))  # noqa: S301, SIM115 - our own recording
    names = list(data)
    bad = sum(max(abs(x - y) for x, y in zip(forecast(rec, RULES[SHIPPED]), (rec["point"], rec["lower"], rec["upper"]))) > 1
              for h in names for rec in data[h])
    print(f"shipped rule's replay differs from the recorded projection by more than 1 minor unit at {bad} origins")
    rls = dict(RULES)
    for b in bands or []:  # the shipped rule with a band of benchmarks/cashflow_band.py (session 10)
        rls[f"band:{b}"] = dict(RULES[SHIPPED], band=variant(b))
    res = {r: {h: score(data[h][-origins:], rls[r]) for h in names} for r in [*(rules or RULES), *(f"band:{b}" for b in bands or [])]}
    ship = [res[SHIPPED][h] for h in names]
    for r, per in res.items():
        rows = [per[h] for h in names]
        print(f"{r:22} {summary(rows)}; {versus(rows, ship)}")
    if bands:  # the band's coverage by shape (the generated name's second word) or by history
        groups: dict[str, list[str]] = {}
        for h in names:
            groups.setdefault(h.split()[1] if h.startswith("fresh") else h, []).append(h)
        for r in [SHIPPED, *(f"band:{b}" for b in bands)]:
            print(f"{r:22} " + "; ".join(f"{g} {sum(res[r][h]['covered'] for h in hs)}/{sum(res[r][h]['origins'] for h in hs)}"
                                         for g, hs in groups.items()))
    if loho:
        pools = {**FAMILIES, "all": list(res)}
        for fam, members in pools.items():
            members = [m for m in members if m in res]
            if not members:
                continue
            for c, key in CRITERIA.items():
                rows, picks = [], []
                for h in names:
                    others = [x for x in names if x != h]
                    best = min(members, key=lambda v: key([res[v][x] for x in others]))  # noqa: B023
                    rows.append(res[best][h])
                    picks.append(best)
                print(f"held out [{fam}, by {c}]: {summary(rows)}; {versus(rows, ship)}; picks {dict(Counter(picks))}")
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("which", help="'13' (the households) or 'A-B' (generated, seeds A..B)")
    c.add_argument("out")
    c.add_argument("--origins", type=int, default=12)
    r = sub.add_parser("replay")
    r.add_argument("path")
    r.add_argument("--origins", type=int, default=6)
    r.add_argument("--loho", action="store_true", help="leave one history out within each family")
    r.add_argument("--rules", help="rule names separated by semicolons (default: all)")
    r.add_argument("--band", help="band variants (benchmarks/cashflow_band.py) separated by semicolons, with the shipped rule")
    args = ap.parse_args(argv)
    if args.cmd == "replay":
        replay(args.path, args.origins, [x.strip() for x in args.rules.split(";")] if args.rules else None, args.loho,
               [x.strip() for x in args.band.split(";")] if args.band else None)
        return 0
    if args.which == "13":
        hs = [(n, load) for n, _k, load in households()]
    else:
        a, b = map(int, args.which.split("-"))
        hs = seeded(a, b)
    out = {}
    for name, load in hs:
        t0, c0 = time.perf_counter(), time.process_time()
        out[name] = capture_history(load(), args.origins)
        print(f"{name} {len(out[name])} origins, {time.perf_counter() - t0:.1f} s wall, "
              f"{time.process_time() - c0:.1f} s CPU", flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as fh:
        pickle.dump(out, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
