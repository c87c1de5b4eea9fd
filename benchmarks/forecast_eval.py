"""Forecast accuracy and speed (run by hand; prints figures, asserts nothing).

    .venv/bin/python benchmarks/forecast_eval.py [--quick] [--no-speed] [--files A.csv,B.csv]
                                                 [--max-origins 24] [--refresh] [--extended]

Accuracy, leave-one-household-out. Every history in ``../shared/data`` (the Kaggle household,
the household histories added there) plus generated ones with known structure (trend, yearly
season, level shift, outliers, a short and a noisy history; ``benchmarks/forecast_households.py``)
and any ``--files`` in the CLI's CSV format. Series: monthly total expenses, 3 months ahead,
from rolling origins (the end of every complete month with at least 12 months before it;
at most the last ``--max-origins`` per household). At every origin each method sees only the
transactions up to the origin.

Methods:
  product        the app's forecast: per-series choice/combination of candidates by its own
                 inner rolling-origin backtest (``services/forecast`` + ``forecast_ensemble``),
                 with the selection rule fixed *without* this household (see below)
  old model      the previous method alone (recurring payments + Prophet on weekly blocks)
  mean3          the mean of the last 3 months
  last_year      the same month last year
  daily_prophet  plain Prophet (defaults) on daily totals, summed per month (skipped with --quick)

Tuned vs held-out. The selection rule has a few settings (how many of the best candidates
to average, how many backtest points a candidate needs, which candidates). "tuned" picks the
settings that do best over *all* households, "held-out" picks them for household h using only
the other households, then scores h: the held-out figure is the honest estimate for a household
we have not seen. The settings offered are the final grid (``CONFIGS``) plus the shipped rule
(``ensemble.DEFAULT``, scored by the same ``ensemble.select`` call as the app: its row is the
"shipped default settings" table), plus any option's settings; until 2026-12-06 the held-out
table chose among settings without the shipped rule (still printed as "held-out, the final grid
of 24 only").

Figures: per household the MAPE of each method, the product's 80% interval coverage, the
ratio of the product's MAPE to the household's best baseline (mean3 / last_year), and the
pooled row (all points). Model runs are cached in /tmp (``--refresh`` recomputes).

Speed: the CSV path (one series, all categories) and the database path (a user with three
years of history, every category cold and cached by data version).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import itertools
import logging
import os
import pickle
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_households as H

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E

HORIZON = 3
MIN_TRAIN_MONTHS = 12
INTERVAL = 0.8
COVERAGE_RANGE = (0.72, 0.88)
TARGET_RATIO = 0.85
CACHE = Path(tempfile.gettempdir()) / "budgetwise-forecast-eval"


# --------------------------------------------------------------------------- model runs
def model_run(tx: pd.DataFrame, as_of: dt.date) -> dict:
    """The app's model on the data known at ``as_of``: its inner backtest and its final forecast."""
    hist = F.history_from_frame(tx, as_of=as_of)
    ctx, _ = F._prepare(hist, "month", HORIZON)
    flows_at = F._frame_flow_provider(hist)(F.flow_dates(hist, freq="month", horizon=HORIZON))
    run = F._run_series(ctx, F._selection(hist, F.SERIES_EXPENSES), flows_at, HORIZON)
    res = F._finish(run, ctx, series=F.SERIES_EXPENSES, label="", horizon=HORIZON, interval=INTERVAL, clip=True,
                    notes=[])
    return {
        "records": run.records, "totals": run.history["y"].to_numpy(dtype=float), "starts": list(run.history["ds"]),
        "model_final": run.final["forecast_part"].to_numpy(dtype=float) + run.final["observed"].to_numpy(dtype=float),
        "model_lower": res.forecast["yhat_lower"].to_numpy(dtype=float),
        "model_upper": res.forecast["yhat_upper"].to_numpy(dtype=float),
        "scale_now": run.scale_now,
    }


def monthly_expenses(tx: pd.DataFrame) -> pd.Series:
    """Complete calendar months of expense totals (major units)."""
    exp = tx[tx["kind"] == "expense"]
    s = exp.groupby(exp["date"].dt.to_period("M"))["amount_minor"].sum() / 100.0
    first, last = tx["date"].min(), tx["date"].max()
    idx = pd.period_range(first.to_period("M"), last.to_period("M"), freq="M")
    s = s.reindex(idx, fill_value=0.0)
    if last.normalize() != last.to_period("M").to_timestamp(how="end").normalize():
        s = s.iloc[:-1]
    if first.day != 1:
        s = s.iloc[1:]
    return s


def daily_prophet(tx: pd.DataFrame, train_end: pd.Timestamp, months: pd.PeriodIndex) -> np.ndarray:
    from prophet import Prophet

    exp = tx[(tx["kind"] == "expense") & (tx["date"] <= train_end)]
    days = pd.date_range(exp["date"].min(), train_end)
    y = (exp.groupby("date")["amount_minor"].sum() / 100.0).reindex(days, fill_value=0.0)
    model = Prophet(uncertainty_samples=0)
    model.fit(pd.DataFrame({"ds": days, "y": y.to_numpy()}))
    future = pd.DataFrame({"ds": pd.date_range(months[0].start_time, months[-1].end_time.normalize())})
    pred = model.predict(future)
    return pred.groupby(pred["ds"].dt.to_period("M"))["yhat"].sum().reindex(months).to_numpy()


def household_runs(name: str, tx: pd.DataFrame, *, max_origins: int, with_daily: bool, refresh: bool) -> list[dict]:
    """Per outer origin: actuals, baselines, daily Prophet and the model's run (cached on disk)."""
    key = hashlib.sha1(pickle.dumps((name, len(tx), int(tx["amount_minor"].sum()), max_origins, with_daily))).hexdigest()[:16]
    path = CACHE / f"{key}.pkl"
    if path.exists() and not refresh:
        return pickle.loads(path.read_bytes())
    months = monthly_expenses(tx)
    out = []
    ts = list(range(MIN_TRAIN_MONTHS, len(months) - HORIZON + 1))[-max_origins:]
    for t in ts:
        train, target = months.iloc[:t], months.iloc[t : t + HORIZON]
        train_end = train.index[-1].end_time.normalize()
        run = model_run(tx[tx["date"] <= train_end], train_end.date())
        row = {
            "origin": str(train.index[-1]),
            "actual": target.to_numpy(),
            "mean3": np.repeat(train.iloc[-3:].mean(), HORIZON),
            "last_year": np.array([train.get(p - 12, np.nan) for p in target.index]),
            "run": run,
        }
        if with_daily:
            row["daily_prophet"] = daily_prophet(tx, train_end, target.index)
        out.append(row)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


# --------------------------------------------------------------------------- the product on a cached run
def product(run: dict, config: E.Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sel = E.select(run["records"], run["totals"], run["starts"], HORIZON, config=config,
                   model_final=run["model_final"], clip=True, memo=run.setdefault("memo", {}))
    rec = sel.records
    scores = ((rec["actual"] - rec["yhat"]) / rec["scale"]).to_numpy()
    offs = E.offsets_by_step(scores, rec["step"].to_numpy(), np.arange(1, HORIZON + 1), INTERVAL, HORIZON,
                             periods=rec["target_end"].to_numpy())  # conformal.SHORT_RANGE's widening, when on
    yhat = sel.final
    lo, hi = np.empty(HORIZON), np.empty(HORIZON)
    for i, o in enumerate(offs):
        if o is None:
            lo[i], hi[i] = run["model_lower"][i], run["model_upper"][i]
        else:
            lo[i], hi[i] = yhat[i] + o[0] * run["scale_now"], yhat[i] + o[1] * run["scale_now"]
    return yhat, np.maximum(np.minimum(lo, yhat), 0.0), np.maximum(hi, yhat)


def ape(pred: np.ndarray, actual: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.abs(pred - actual) / np.abs(actual)
    return np.where(np.isfinite(e), e, np.nan)


def score_household(runs: list[dict], config: E.Config) -> dict:
    errs = {"product": [], "old model": [], "mean3": [], "last_year": [], "daily_prophet": []}
    inside = []
    for r in runs:
        yhat, lo, hi = product(r["run"], config)
        a = r["actual"]
        errs["product"].append(ape(yhat, a))
        errs["old model"].append(ape(r["run"]["model_final"], a))
        errs["mean3"].append(ape(r["mean3"], a))
        errs["last_year"].append(ape(r["last_year"], a))
        if "daily_prophet" in r:
            errs["daily_prophet"].append(ape(r["daily_prophet"], a))
        inside.append((a >= lo) & (a <= hi))
    out = {k: np.concatenate(v) if v else np.array([]) for k, v in errs.items()}
    out["inside"] = np.concatenate(inside) if inside else np.array([], dtype=bool)
    return out


def mape(e: np.ndarray) -> float:
    return float(np.nanmean(e) * 100) if len(e) and np.isfinite(e).any() else float("nan")


def best_baseline(s: dict) -> tuple[str, float]:
    opts = [(k, mape(s[k])) for k in ("mean3", "last_year") if np.isfinite(mape(s[k]))]
    return min(opts, key=lambda kv: kv[1])


def objective(scores: dict[str, dict]) -> float:
    """Mean over households of the product's MAPE relative to the household's best baseline."""
    return float(np.mean([mape(s["product"]) / best_baseline(s)[1] for s in scores.values()]))


BASE = ("model", "mean3", "median6", "mean12", "last_year", "blend")  # the naive candidates and the model
CANDIDATE_SETS = (
    BASE,  # the naive candidates and the model alone
    BASE + ("ets",),  # + statsmodels' ETS(A,N,N) (the previous default)
    BASE + ("ets_mul",),  # + statsmodels' ETS(M,N,N), multiplicative errors
)
# the final grid (earlier grids, measured and documented: ETS(A,Ad,N), ThetaModel, the closed-form
# Theta, a minimum of origins, inverse-error weights, trimming; docs/forecasting.md)
CONFIGS = [
    E.Config(top=top, candidates=cands, shrink=shrink, alternatives=alt, margin=0.0, trim=0.0, weights="equal")
    for top, cands, shrink, alt in itertools.product((3, 4), CANDIDATE_SETS, (0.0, 3.0), ((), (1, 2, 3, 4)))
]
NAIVE_ALL = E.NAIVE  # all five naive candidates
# the rule shipped until 2026-12-04 evening (``E.Config()``'s field defaults): the base of the guard and
# selector settings, so that they stay the settings measured then
PREVIOUS = E.Config()


def extended_configs() -> list[E.Config]:
    """``--extended`` (2026-12-04, issue #17: never worse than the naive guess): the guard toward the
    best naive candidate (a Diebold-Mariano-style test, its soft version, inverse-MSE weights with a
    floor; naive = mean3/last_year or all five naive candidates; compared on every step or the last)
    on the shipped rule and on the rule the fold without fabio chooses, and horizon-specific ranking
    (the last step's errors, or each step's own) on every setting of the final grid."""
    out = []
    for base in (PREVIOUS, replace(PREVIOUS, top=4, shrink=0.0, alternatives=())):
        for steps in ("all", "last"):
            out += [replace(base, guard="test", guard_alpha=a, guard_steps=steps) for a in (0.1, 0.25, 0.5)]
            out += [replace(base, guard="soft", guard_steps=steps)]
            out += [replace(base, guard="inverse", guard_floor=f, guard_steps=steps, guard_prior=0.5) for f in (0.0, 0.2)]
        out += [replace(base, guard="test", guard_alpha=a, naive=NAIVE_ALL) for a in (0.1, 0.25, 0.5)]
        out += [replace(base, guard="soft", naive=NAIVE_ALL)]
        out += [replace(base, guard="inverse", guard_floor=0.2, guard_prior=0.5, naive=NAIVE_ALL)]
    return out + [replace(c, rank_steps=r) for r in ("last", "each") for c in CONFIGS]


def selector_configs() -> list[E.Config]:
    """``--selectors`` (2026-12-04 evening, issue #17): selectors for a backtest of few origins. Ranking on
    the target's own error (absolute percentage error; also on the 3-months-ahead errors only), shrinking
    toward the best naive guess instead of the robust average by ``shrink / (shrink + origins)`` (the
    naive guess is the default, left as far as the origins allow), a sign-test guard, and the median of the last k months
    with k chosen on the series' own past (``median_k``); on the shipped rule and the rule the fold
    without fabio chooses, and the error measure and ``median_k`` on every setting of the final grid."""
    out = []
    for base in (PREVIOUS, replace(PREVIOUS, top=4, shrink=0.0, alternatives=())):
        mk = base.candidates + ("median_k",)
        out += [replace(base, score="ape"), replace(base, score="ape", rank_steps="last")]
        out += [replace(base, shrink_to="naive", shrink=s) for s in (3.0, 6.0, 12.0)]
        out += [replace(base, shrink_to="naive", shrink=6.0, naive=NAIVE_ALL)]
        out += [replace(base, candidates=mk), replace(base, candidates=mk, score="ape")]
        out += [replace(base, score="ape", shrink_to="naive", shrink=6.0)]
        out += [replace(base, guard="sign", guard_alpha=a, naive=nv) for a in (0.1, 0.25) for nv in (base.naive, NAIVE_ALL)]
    out += [replace(c, score="ape") for c in CONFIGS]
    return out + [replace(c, candidates=c.candidates + ("median_k",)) for c in CONFIGS]


SHORT_ORIGINS = (7, 9, 12, 15)
# the rule shipped 2026-12-04 evening: the base of the --short settings
EVENING = replace(PREVIOUS, top=4, candidates=BASE + ("ets_mul", "median_k"), shrink=0.0, alternatives=(), score="ape")


def short_configs() -> list[E.Config]:
    """``--short`` (2026-12-04 night, issue #17: short histories): with fewer backtest origins than
    ``min_origins`` the shipped rule does not rank its eight candidates but falls back to the naive guess
    that did best on the series' backtest (mean3 / last year, or all five naive candidates), or to the
    robust average (6-month median, 3- and 12-month means); the threshold is chosen leave-one-household-out
    like every other setting."""
    out = []
    for m in SHORT_ORIGINS:
        out += [replace(EVENING, min_origins=m, fallback="naive"),
                replace(EVENING, min_origins=m, fallback="naive", naive=NAIVE_ALL),
                replace(EVENING, min_origins=m, default=("median6", "mean3", "mean12"))]
    return out


def session11_configs() -> list[E.Config]:
    """``--session11`` (2026-12-05, issue #17, pre-registered in docs/forecasting.md): the shipped rule with every
    eligible candidate averaged under 12 backtest origins, and with the model always among the averaged."""
    return [replace(E.DEFAULT, thin_origins=12), replace(E.DEFAULT, always=("model",))]


def session12_configs() -> list[E.Config]:
    """``--session12`` (2026-12-05, issue #17, pre-registered in docs/forecasting.md): the model always among the
    averaged (session 11's C2), and a fixed simple combination under 12 backtest origins."""
    return [replace(E.DEFAULT, always=("model",)), replace(E.DEFAULT, simple_origins=12)]


def session13_configs() -> list[E.Config]:
    """``--session13`` (2026-12-05, issue #17, pre-registered in docs/forecasting.md): the candidates ranked on the
    median of their backtest errors, the model always among the averaged."""
    return [replace(E.DEFAULT, rank_stat="median", always=("model",))]


def session15_configs() -> list[E.Config]:
    """``--session15`` (2026-12-05, issue #17, pre-registered in docs/forecasting.md): the combination's level corrected
    from its own backtest residuals (``level_prior``; session 14's candidate, 1 / error weights with a prior, was removed
    with its option in session 15)."""
    import forecast_level_check as LC

    return [c for r, c in LC.SESSION15.items() if r != "shipped"]


SESSIONS = (("session11", session11_configs), ("session12", session12_configs), ("session13", session13_configs),
            ("session15", session15_configs))


def loho_grid(configs: list[E.Config]) -> list[E.Config]:
    """The settings the held-out tables choose among: ``configs`` and the shipped rule (``ensemble.DEFAULT``, which
    the app runs), once each, in order."""
    out: list[E.Config] = []
    for c in [*configs, E.DEFAULT]:
        if c not in out:
            out.append(c)
    return out


def held_out_choice(table: dict[int, dict[str, dict]], allowed: list[int]) -> dict[str, int]:
    """Leave-one-household-out: per household, the setting (index into ``table``) with the best ``objective`` over
    the *other* households only (the first on ties)."""
    names = list(next(iter(table.values())))
    return {name: min(allowed, key=lambda i: objective({n: s for n, s in table[i].items() if n != name}))
            for name in names}


def describe(c: E.Config) -> str:
    extra = sorted(set(c.candidates) - set(BASE))
    cand = ("base" if "model" in c.candidates else "base without model") + ("+" + "+".join(extra) if extra else "")
    more = f", shrink {c.shrink:g}" if c.shrink else ""
    more += f", top {'/'.join(map(str, c.alternatives))} by backtest" if c.alternatives else ""
    if c.guard != "off":
        how = {"test": f"test at {c.guard_alpha:g}", "soft": "soft", "inverse": f"inverse MSE, floor {c.guard_floor:g}",
               "sign": f"sign test at {c.guard_alpha:g}"}
        naive = "all naive" if len(c.naive) > 2 else "/".join(c.naive)
        more += f", guard ({how[c.guard]}, {naive}{', last step' if c.guard_steps == 'last' else ''})"
    if c.rank_steps != "all":
        more += f", ranked on {'the last step' if c.rank_steps == 'last' else 'each step'}"
    if c.score != "scaled":
        more += ", ranked on APE"
    if c.min_origins:
        naive = "all naive" if len(c.naive) > 2 else "/".join(c.naive)
        more += (f", under {c.min_origins} origins: " +
                 (f"the best {naive}" if c.fallback == "naive" else "+".join(c.default)))
    if c.thin_origins:
        more += f", under {c.thin_origins} origins: every eligible"
    if c.always:
        more += ", always " + "+".join(c.always)
    if c.simple_origins:
        more += f", under {c.simple_origins} origins: the mean of " + "+".join(c.simple)
    if c.shrink_to != "robust":
        more += f" toward the best {'naive' if len(c.naive) > 2 else '/'.join(c.naive)}"
    return f"top {c.top}, {cand}{more}"


def print_table(title: str, scores: dict[str, dict], chosen: dict[str, E.Config] | None = None) -> None:
    print(f"\n== {title}")
    head = (f"   {'household':22s} {'pts':>4s} {'product':>8s} {'old model':>9s} {'mean3':>7s} {'last yr':>7s} "
            f"{'daily P':>7s} {'cover80':>7s} {'ratio':>6s}")
    print(head)
    pooled = {k: [] for k in ("product", "old model", "mean3", "last_year", "daily_prophet", "inside")}
    worse = []
    for name, s in scores.items():
        _, b = best_baseline(s)
        ratio = mape(s["product"]) / b
        if ratio > 1.0:
            worse.append(name)
        for k in pooled:
            pooled[k].append(s[k])
        print(f"   {name:22s} {len(s['product']):4d} {mape(s['product']):7.1f}% {mape(s['old model']):8.1f}% "
              f"{mape(s['mean3']):6.1f}% {mape(s['last_year']):6.1f}% {mape(s['daily_prophet']):6.1f}% "
              f"{np.mean(s['inside']):6.0%} {ratio:6.2f}"
              + (f"  [{'shipped: ' if chosen[name] == E.DEFAULT else ''}{describe(chosen[name])}]" if chosen else ""))
    p = {k: np.concatenate(v) for k, v in pooled.items()}
    bname, b = best_baseline(p)
    print(f"   {'POOLED':22s} {len(p['product']):4d} {mape(p['product']):7.1f}% {mape(p['old model']):8.1f}% "
          f"{mape(p['mean3']):6.1f}% {mape(p['last_year']):6.1f}% {mape(p['daily_prophet']):6.1f}% "
          f"{np.mean(p['inside']):6.0%} {mape(p['product']) / b:6.2f}")
    lo, hi = COVERAGE_RANGE
    print(f"   pooled MAPE / best baseline ({bname}) = {mape(p['product']) / b:.2f} "
          f"(target <= {TARGET_RATIO}); households worse than their own best baseline: "
          f"{', '.join(worse) or 'none'}; pooled 80% coverage {np.mean(p['inside']):.0%} (target {lo:.0%}-{hi:.0%})")


def print_ratios(runs: dict, table: dict, configs: list[E.Config], rows: list[int]) -> None:
    """One line per setting, fixed on all households: each household's ratio to its own best baseline,
    the pooled ratio and the pooled 80% coverage."""
    names = list(runs)
    print("\n== ratios to each household's best baseline, setting fixed on all households")
    print("   " + " ".join(f"{n[:7]:>7s}" for n in names) + f" {'pooled':>7s} {'cover':>6s} {'worst':>6s}  setting")
    seen = set()
    for i in rows:
        if i in seen:
            continue
        seen.add(i)
        sc = table[i]
        r = [mape(sc[n]["product"]) / best_baseline(sc[n])[1] for n in names]
        p = {k: np.concatenate([sc[n][k] for n in names]) for k in ("product", "mean3", "last_year", "inside")}
        print("   " + " ".join(f"{v:7.3f}" for v in r) + f" {mape(p['product']) / best_baseline(p)[1]:7.3f} "
              f"{np.mean(p['inside']):6.1%} {max(r):6.3f}  {describe(configs[i])}")


def accuracy(args) -> None:
    sets = [(n, k, fn) for n, k, fn in H.households()]
    for extra in filter(None, args.files.split(",")):
        sets.append((Path(extra).name, "file", lambda extra=extra: F.read_transactions_csv(extra)))
    runs = {}
    for name, kind, fn in sets:
        t = time.perf_counter()
        tx = F.parse_transactions(fn()) if kind != "file" else fn()
        runs[name] = household_runs(name, tx, max_origins=args.max_origins, with_daily=not args.quick,
                                    refresh=args.refresh)
        print(f"   {name}: {len(runs[name])} origins ({time.perf_counter() - t:.0f} s)", flush=True)
    # every config on every household
    configs = (CONFIGS + (extended_configs() if args.extended else []) + (selector_configs() if args.selectors else [])
               + (short_configs() if args.short else []))
    configs += [c for flag, fn in SESSIONS if getattr(args, flag) for c in fn() if c not in configs]
    if args.short and EVENING not in configs:
        configs.append(EVENING)
    configs = loho_grid(configs)
    table = {i: {n: score_household(r, c) for n, r in runs.items()} for i, c in enumerate(configs)}
    shipped_i = configs.index(E.DEFAULT)
    tuned_i = min(table, key=lambda i: objective(table[i]))
    print(f"\ntuned settings (best over all households): {describe(configs[tuned_i])}; "
          f"shipped default: {describe(E.DEFAULT)}")
    print_table("tuned (settings chosen on all households, including the one scored)", table[tuned_i])
    families = [
        ("held-out (settings chosen leave-one-household-out among every setting with the shipped rule: the honest "
         "estimate)", list(table)),
        ("held-out, a statsmodels method among the candidates (the shipped rule)",
         [i for i in table if E.STATSMODELS & set(configs[i].candidates)]),
        ("held-out, the final grid of 24 only (without the shipped rule; the held-out figure until 2026-12-06)",
         [i for i, c in enumerate(configs) if c in CONFIGS]),
    ]
    if args.extended:
        families += [("held-out, only settings with the naive guard", [i for i in table if configs[i].guard != "off"]),
                     ("held-out, only horizon-specific ranking", [i for i in table if configs[i].rank_steps != "all"])]
    if args.selectors:
        new = [i for i, c in enumerate(configs) if c in selector_configs()]
        families += [("held-out, only the --selectors settings", new)]
        bases = (PREVIOUS, replace(PREVIOUS, top=4, shrink=0.0, alternatives=()), EVENING)
        print_ratios(runs, table, configs, [configs.index(b) for b in bases] + new)
    for flag, fn in SESSIONS:
        if not getattr(args, flag):
            continue
        new = [i for i, c in enumerate(configs) if c in fn()]
        families += [(f"held-out, the final grid + the {flag} candidates (statsmodels settings)",
                      [i for i in table if E.STATSMODELS & set(configs[i].candidates)
                       and (i in new or not any(configs[i] in f() for _, f in SESSIONS))]),
                     ("held-out, the final grid without them (statsmodels settings)",
                      [i for i in table if not any(configs[i] in f() for _, f in SESSIONS)
                       and E.STATSMODELS & set(configs[i].candidates)])]
        print_ratios(runs, table, configs, [configs.index(E.DEFAULT)] + new)
    if args.short:
        short = [i for i, c in enumerate(configs) if c in short_configs()]
        families += [("held-out, every setting but the --short ones",
                      [i for i in table if i not in short and E.STATSMODELS & set(configs[i].candidates)])]
        print_ratios(runs, table, configs, [configs.index(EVENING)] + short)
    for title, allowed in families:
        picks = held_out_choice(table, allowed)
        print_table(title, {n: table[i][n] for n, i in picks.items()}, {n: configs[i] for n, i in picks.items()})
        print(f"   folds choosing the shipped rule: {sum(i == shipped_i for i in picks.values())} of {len(picks)}")
    base = next(i for i, c in enumerate(CONFIGS) if c == E.Config(candidates=BASE, shrink=0.0, alternatives=()))
    print_table("top 3 of the base candidates (no statsmodels method)", table[base])
    prev = next(i for i, c in enumerate(CONFIGS) if c == E.Config(top=4, candidates=BASE + ("ets",), shrink=0.0,
                                                                      alternatives=()))
    print_table("an older default (top 4, with ETS(A,N,N))", table[prev])
    print_table("the previous default (top 3 with ETS(M,N,N), shrink 3, 1-4 by backtest)",
                {n: score_household(r, PREVIOUS) for n, r in runs.items()})
    print_table("shipped default settings", table[shipped_i])
    # the cached evaluation is the app's code path: one origin through ``forecast_frame`` end to end
    name, kind, fn = sets[0]
    tx = F.parse_transactions(fn()) if kind != "file" else fn()
    last = runs[name][-1]
    end = pd.Period(last["origin"], "M").end_time.normalize()
    app = F.forecast_frame(tx[tx["date"] <= end], horizon=HORIZON, as_of=end.date())
    mine = product(last["run"], E.DEFAULT)[0]
    print(f"\nend-to-end check ({name}, origin {last['origin']}): forecast_frame {np.round(app.forecast['yhat'].to_numpy(), 2)}"
          f" vs evaluation {np.round(mine, 2)}")


# --------------------------------------------------------------------------- speed
def speed() -> None:
    os.environ.setdefault("BUDGETWISE_SECRET_KEY", "benchmark-secret-" + "x" * 40)
    import streamlit as st

    from benchmarks._common import PASSWORD, scratch_database
    from budgetwise.db import session_scope
    from budgetwise.services import auth, demo

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import subprocess

    from budgetwise.services.forecast import api, backtest

    print(f"\n== speed, CSV path, 36 months (load average {os.getloadavg()[0]:.1f})")
    fresh = (
        "import sys, time; sys.path.insert(0, 'benchmarks'); t0 = time.perf_counter(); "
        "import forecast_households as H; from budgetwise.services import forecast as F; "
        "tx = F.parse_transactions(H.demo(11, 36)); t1 = time.perf_counter(); F.forecast_frame(tx, horizon=6); "
        "t2 = time.perf_counter(); F.forecast_frame(tx, horizon=6); t3 = time.perf_counter(); "
        "print(t1 - t0, t2 - t1, t3 - t2)"
    )
    out = subprocess.run([sys.executable, "-c", fresh], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout.split()
    imp, first, second = (float(v) for v in out[-3:])
    print(f"   {'new process: import budgetwise + pandas, read the history':60s} {imp:6.3f} s")
    print(f"   {'total expenses, one series, first call (imports statsmodels)':60s} {first:6.3f} s")
    print(f"   {'total expenses, one series, cold (libraries imported)':60s} {second:6.3f} s")
    tx = F.parse_transactions(H.demo(11, 36))
    F.forecast_frame(tx, horizon=6)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        F.forecast_frame(tx, horizon=6)
        times.append(time.perf_counter() - t)
    print(f"   {'total expenses, one series, cold, median of 3':60s} {float(np.median(times)):6.3f} s")
    c = time.process_time()
    F.forecast_frame(tx, horizon=6)
    print(f"   {'total expenses, one series, cold, CPU time':60s} {time.process_time() - c:6.3f} s")
    hist = F.history_from_frame(tx)
    ctx, _ = api._prepare(hist, "month", 6)
    flows = F._frame_flow_provider(hist)(F.flow_dates(hist, freq="month", horizon=6))
    run = backtest._run_series(ctx, F._selection(hist, F.SERIES_EXPENSES), flows, 6)
    spent = []
    for _ in range(10):
        t = time.perf_counter()
        backtest._choose_methods(copy.copy(run), ctx)
        spent.append(time.perf_counter() - t)
    print(f"   {'of which the choice of methods (ensemble), per series':60s} {float(np.median(spent)):6.3f} s")
    with scratch_database("forecast-eval") as db:
        factory = db.factory
        with session_scope(factory) as s:
            principal, count = demo.create_demo_account(
                s, settings=db.settings, email="bench@example.com", months=36, password=PASSWORD
            )
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"== speed, database path: a user with 36 months of history ({count} transactions) in SQLite "
              f"({os.cpu_count()} cores, load average {load})")

        @st.cache_data(show_spinner=False)
        def cached(user_id: int, data_version: int, horizon: int, freq: str, interval: float, workers: int):
            with session_scope(factory) as s:
                return F.forecast_user_categories(s, user_id=user_id, horizon=horizon, freq=freq, interval=interval,
                                                  workers=workers)

        def run(label: str, workers: int = 1, new_version: bool = False) -> None:
            with session_scope(factory) as s:
                if new_version:
                    auth.touch_data(s, principal.user_id)
                    api._RUNS_CACHE.clear()  # the categories' runs are kept by content: cold means cold
            with session_scope(factory) as s:
                version = auth.data_version(s, user_id=principal.user_id)
            t, c = time.perf_counter(), time.process_time()
            res = cached(principal.user_id, version, 6, "month", 0.8, workers)
            print(f"   {label:60s} {time.perf_counter() - t:6.3f} s  (CPU here {time.process_time() - c:.3f} s; "
                  f"{len(res.results)} categories)")

        run("all categories, cold, first call (in-process, the default)")
        run("all categories, cached (same data version)")
        run("all categories, cold (new data version) #1", new_version=True)
        run("all categories, cold (new data version) #2", new_version=True)
        run("all categories, cached (same data version)")
        t = time.perf_counter()
        api.warm_up_workers(2, wait=True)
        print(f"   {'start 2 worker processes (optional)':60s} {time.perf_counter() - t:6.3f} s")
        run("all categories, cold, 2 workers (new data version)", workers=2, new_version=True)
        with session_scope(factory) as s:
            t = time.perf_counter()
            F.forecast_user(s, user_id=principal.user_id, horizon=6)
            print(f"   {'total expenses, one series, cold':60s} {time.perf_counter() - t:6.3f} s")

        def one(label: str, name: str, clear: bool) -> None:
            # one category (the CLI's --category, the page's series choice): with pooled evidence (2026-12-05)
            # it needs every category's backtest, kept per history content in this process
            if clear:
                api._RUNS_CACHE.clear()
                api._POOL_CACHE.clear()
            with session_scope(factory) as s:
                t, c = time.perf_counter(), time.process_time()
                F.forecast_user(s, user_id=principal.user_id, series=F.category_series(name), horizon=6)
                print(f"   {label:60s} {time.perf_counter() - t:6.3f} s  (CPU {time.process_time() - c:.3f} s)")

        with session_scope(factory) as s:
            names = F.expense_categories(s, user_id=principal.user_id)
        one(f"one category ({names[0]}), cold (pool k={E.DEFAULT.pool:g})", names[0], True)
        one(f"another category ({names[-1]}), same data (runs kept)", names[-1], False)
        one(f"one category ({names[-1]}), cold again", names[-1], True)
        t, c = time.perf_counter(), time.process_time()
        with session_scope(factory) as s:
            F.forecast_user_categories(s, user_id=principal.user_id, horizon=6)
        print(f"   {'all categories after one category (runs kept, page cache miss)':60s} "
              f"{time.perf_counter() - t:6.3f} s  (CPU {time.process_time() - c:.3f} s)")
        shipped = E.DEFAULT  # the cheap pool (Config.pool_candidates; session 10: measured, not shipped)
        E.DEFAULT = replace(shipped, pool_candidates=E.CHEAP_POOL)
        try:
            one(f"one category ({names[0]}), cold, cheap pool (off)", names[0], True)
            one(f"one category ({names[-1]}), cold, cheap pool (off)", names[-1], True)
        finally:
            E.DEFAULT = shipped
            api._RUNS_CACHE.clear()
            api._POOL_CACHE.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip plain daily Prophet")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    parser.add_argument("--no-accuracy", action="store_true", help="only the speed measurement")
    parser.add_argument("--files", default="", help="more plain CSV files (date, amount, category[, type, description])")
    parser.add_argument("--max-origins", type=int, default=24, help="at most this many (latest) origins per household")
    parser.add_argument("--refresh", action="store_true", help="recompute the cached model runs")
    parser.add_argument("--extended", action="store_true",
                        help="also the naive guard and horizon-specific ranking (106 more settings, ~6 min)")
    parser.add_argument("--selectors", action="store_true",
                        help="also the few-origin selectors: APE ranking, shrinkage toward the naive guess, median_k "
                             "sign-test guard (76 more settings)")
    parser.add_argument("--session11", action="store_true",
                        help="add the session 11 short-history candidates (thin backtest: every eligible; the model always)")
    parser.add_argument("--session12", action="store_true",
                        help="add the session 12 short-history candidates (the model always; a fixed simple combination "
                             "under 12 origins)")
    parser.add_argument("--session13", action="store_true",
                        help="add the session 13 short-history candidate (ranked on the median backtest error, the model "
                             "always averaged)")
    parser.add_argument("--session15", action="store_true",
                        help="add the session 15 candidate (the combination's level corrected from its backtest)")
    parser.add_argument("--short", action="store_true",
                        help="also the short-history fallbacks: under N backtest origins the best naive guess or "
                             "the robust average (12 more settings)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    logging.getLogger("cmdstanpy").disabled = True
    logging.getLogger("prophet").setLevel(logging.ERROR)
    if not args.no_accuracy:
        accuracy(args)
    if not args.no_speed:
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
