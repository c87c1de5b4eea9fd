"""Short histories (15-24 months) against the best naive guess (run by hand; prints figures, asserts nothing).

    .venv/bin/python benchmarks/forecast_short_check.py [--groups generated,real] [--boot 2000]
    .venv/bin/python benchmarks/forecast_short_check.py --rules session11 --groups seeds361-400,seeds401-440,real
    .venv/bin/python benchmarks/forecast_short_check.py --rules session12 --groups seeds441-480,seeds481-520,seeds441-520,real
    .venv/bin/python benchmarks/forecast_short_check.py --rules session13 --groups seeds521-560,seeds561-600,seeds521-600,real

Pre-registered in docs/forecasting.md (2026-12-05, "Short histories, in general"). Monthly total
expenses, 3 months ahead, rolling origins from month 12 on (every origin), each method seeing only the
transactions up to the origin, through ``forecast_eval``'s cached model runs (the CLI's CSV path).

Populations (never used before this check):
  generated  seeds 301-350: ``forecast_households.synthetic`` with 15-24 months and structure drawn per
             seed (trend, yearly season, level shift, outliers, each present with probability 0.4; noise
             0.1-0.9); seeds 351-360: the app's demo generator (``budgetwise demo``) with 15-24 months
  real       every history in ../shared/data cut to its first 18 / 21 / 24 complete months (where it has them)

Per group: the pooled MAPE of each rule over the pooled MAPE of the better of the two naive guesses
(mean of the last 3 months, same month last year), a 95% bootstrap interval over histories, the share of
histories whose own ratio is above 1, the pooled 80% coverage, and the paired bootstrap interval of each
candidate's pooled MAPE minus the shipped rule's.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_eval as FE
import forecast_households as H

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E

D = E.DEFAULT
RULES = {  # the shipped rule first; the candidates as pre-registered
    "shipped": D,
    "<7 origins: best of 5 naive": replace(D, min_origins=7, fallback="naive", naive=E.NAIVE),
    "<9 origins: best of 5 naive": replace(D, min_origins=9, fallback="naive", naive=E.NAIVE),
    "<7 origins: robust average": replace(D, min_origins=7, default=("median6", "mean3", "mean12")),
    "shrink 3 to robust average": replace(D, shrink=3.0),
    "shrink 3 to mean3": replace(D, shrink=3.0, robust=("mean3",)),
    "shrink 6 to mean3": replace(D, shrink=6.0, robust=("mean3",)),
    "shrink 12 to mean3": replace(D, shrink=12.0, robust=("mean3",)),
    "shrink 3 to best of 5 naive": replace(D, shrink=3.0, shrink_to="naive", naive=E.NAIVE),
}
# session 11 (2026-12-05, pre-registered in docs/forecasting.md): the shipped rule and the two candidates
SESSION11 = {
    "shipped": D,
    "<12 origins: average every eligible": replace(D, thin_origins=12),
    "the model always averaged": replace(D, always=("model",)),
}

# session 12 (2026-12-05): exploration on seeds 301-360 and the real cuts only (docs/forecasting.md, "Session 12")
EXPLORE12 = {
    "shipped": D,
    "the model always averaged": replace(D, always=("model",)),
    "<12: mean model+ets+mean3+ly": replace(D, simple_origins=12),
    "<12: mean ets+mean3+ly": replace(D, simple_origins=12, simple=("ets_mul", "mean3", "last_year")),
    "<12: mean model+ets+med6+ly": replace(D, simple_origins=12, simple=("model", "ets_mul", "median6", "last_year")),
    "<12: mean model+ets+mean3+blend": replace(D, simple_origins=12, simple=("model", "ets_mul", "mean3", "blend")),
    "<9: mean model+ets+mean3+ly": replace(D, simple_origins=9),
    "<12 simple, else model always": replace(D, simple_origins=12, always=("model",)),
    "always model+ets_mul": replace(D, always=("model", "ets_mul")),
    "top 3, the model always": replace(D, top=3, always=("model",)),
    "always model+median6": replace(D, always=("model", "median6")),
}
# session 12 (2026-12-05, pre-registered in docs/forecasting.md before any run on seeds 441-520): the one candidate
SESSION12 = {
    "shipped": D,
    "the model always averaged": replace(D, always=("model",)),
}

# session 13 (2026-12-05): exploration on used seeds (301-360, 441-520) and the real cuts only (docs/forecasting.md,
# "Session 13"): cross-sectional trimmed means of the candidates (Jose & Winkler 2008)
EXPLORE13 = {
    "shipped": D,
    "the model always averaged": replace(D, always=("model",)),
    "all eligible, trim 1": replace(D, top=99, cross_trim=1),
    "all eligible, trim 2": replace(D, top=99, cross_trim=2),
    "best 4, trim 1": replace(D, cross_trim=1),
    "best 5, trim 1": replace(D, top=5, cross_trim=1),
    "best 6, trim 1": replace(D, top=6, cross_trim=1),
    "best 4 + model, trim 1": replace(D, always=("model",), cross_trim=1),
    "best 5 + model, trim 1": replace(D, top=5, always=("model",), cross_trim=1),
    "best 6 + model, trim 1": replace(D, top=6, always=("model",), cross_trim=1),
    "<12: all eligible, trim 1": replace(D, thin_origins=12, cross_trim=1),
}
EXPLORE13B = {  # the same data: ranking on the median of the backtest errors (Armstrong & Collopy 1992)
    "shipped": D,
    "the model always averaged": replace(D, always=("model",)),
    "ranked on the median APE": replace(D, rank_stat="median"),
    "median APE, the model always": replace(D, rank_stat="median", always=("model",)),
    "median APE, best 3": replace(D, rank_stat="median", top=3),
    "median APE, best 5": replace(D, rank_stat="median", top=5),
}

# session 13 (2026-12-05, pre-registered in docs/forecasting.md before any run on seeds 521-600): the one candidate
SESSION13 = {
    "shipped": D,
    "median APE, the model always": replace(D, rank_stat="median", always=("model",)),
}

# session 14 (2026-12-05): the one-standard-error rule and 1 / error weights with a prior (EXPLORE14, SESSION14) were
# measured, not shipped, and removed with their options in session 15 (docs/forecasting.md; git history has them)


def synthetic_drawn(seed: int) -> tuple[str, pd.DataFrame]:
    """``forecast_households.synthetic`` with 15-24 months and structure drawn per seed (as for seeds 301-350)."""
    rng = np.random.default_rng(10_000 + seed)  # the structure; the transactions use ``seed`` itself
    months = int(rng.integers(15, 25))
    kw, label = H.drawn_structure(rng)
    name = f"gen {seed} {months}m " + label
    return name, F.parse_transactions(H.synthetic(seed, months, **kw))


def fresh(first: int, last: int) -> list[tuple[str, pd.DataFrame]]:
    """Session 11's seed blocks (361-400, 401-440): seeds ending in 9 or 0 use the app's demo generator with
    15-24 months, the others :func:`synthetic_drawn`."""
    out = []
    for seed in range(first, last + 1):
        if seed % 10 in (9, 0):
            months = int(np.random.default_rng(10_000 + seed).integers(15, 25))
            out.append((f"demo {seed} {months}m", F.parse_transactions(H.demo(seed, months))))
        else:
            out.append(synthetic_drawn(seed))
    return out


def generated() -> list[tuple[str, pd.DataFrame]]:
    out = [synthetic_drawn(seed) for seed in range(301, 351)]
    for seed in range(351, 361):
        months = int(np.random.default_rng(10_000 + seed).integers(15, 25))
        out.append((f"demo {seed} {months}m", F.parse_transactions(H.demo(seed, months))))
    return out


def real() -> list[tuple[str, pd.DataFrame]]:
    out = []
    for name, kind, fn in H.households():
        if kind != "real":
            continue
        tx = F.parse_transactions(fn())
        months = FE.monthly_expenses(tx)
        for n in (18, 21, 24):
            if len(months) < n:
                continue
            start, end = months.index[0].start_time, months.index[n - 1].end_time.normalize()
            cut = tx[(tx["date"] >= start) & (tx["date"] <= end)]
            out.append((f"{name.split()[0]} first {n}m", cut))
    return out


def pooled_ratio(scores: list[dict]) -> tuple[float, float]:
    """(pooled MAPE of the product, pooled ratio to the better of the pooled naive MAPEs)."""
    p = {k: np.concatenate([s[k] for s in scores]) for k in ("product", "mean3", "last_year")}
    return FE.mape(p["product"]), FE.mape(p["product"]) / FE.best_baseline(p)[1]


def report(group: str, runs: dict[str, list[dict]], boot: int, rules: dict[str, E.Config] = RULES) -> None:
    names = list(runs)
    scores = {r: [FE.score_household(runs[n], c) for n in names] for r, c in rules.items()}
    pts = sum(len(s["product"]) for s in scores["shipped"])
    print(f"\n== {group}: {len(names)} histories, {sum(map(len, runs.values()))} origins, {pts} points")
    rng = np.random.default_rng(0)
    idx = [rng.integers(0, len(names), len(names)) for _ in range(boot)]
    base = scores["shipped"]
    sh = [FE.mape(s["product"]) / FE.best_baseline(s)[1] for s in base]
    print(f"   {'rule':30s} {'MAPE':>6s} {'ratio':>6s} {'95% boot':>13s} {'>1 (n)':>7s} {'mean r':>6s} {'cover':>6s}"
          f" {'dMAPE vs shipped [95%]':>24s} {'better/worse histories':>22s}")
    for r, sc in scores.items():
        m, ratio = pooled_ratio(sc)
        per = [FE.mape(s["product"]) / FE.best_baseline(s)[1] for s in sc]
        bs = sorted(pooled_ratio([sc[i] for i in ix])[1] for ix in idx)
        cover = float(np.mean(np.concatenate([s["inside"] for s in sc])))
        diffs = sorted(pooled_ratio([sc[i] for i in ix])[0] - pooled_ratio([base[i] for i in ix])[0] for ix in idx)
        lo, hi = diffs[int(0.025 * boot)], diffs[int(0.975 * boot) - 1]
        d = m - pooled_ratio(base)[0]
        bw = f"{sum(a < b - 1e-9 for a, b in zip(per, sh))}/{sum(a > b + 1e-9 for a, b in zip(per, sh))}"
        print(f"   {r:30s} {m:5.1f}% {ratio:6.3f} [{bs[int(0.025 * boot)]:.3f}, {bs[int(0.975 * boot) - 1]:.3f}]"
              f" {np.mean(np.array(per) > 1):4.0%}{int(np.sum(np.array(per) > 1)):3d} {np.mean(per):6.3f} {cover:6.1%}"
              f" {d:+6.2f} [{lo:+.2f}, {hi:+.2f}]" + " " * 6 + f"{bw:>10s}")
    p = {k: np.concatenate([s[k] for s in base]) for k in ("mean3", "last_year")}
    print(f"   naive: mean3 {FE.mape(p['mean3']):.1f}%, last year {FE.mape(p['last_year']):.1f}% (pooled)")
    # by months of history at the origin (the inner backtest has 12 origins from 18 months on)
    print("   shipped rule by months of history at the origin: months  points  product  mean3  last yr  ratio")
    hist_len = np.concatenate([np.array([pd.Period(r["origin"], "M").ordinal for r in runs[n] for _ in range(FE.HORIZON)])
                               - pd.Period(runs[n][0]["origin"], "M").ordinal + FE.MIN_TRAIN_MONTHS for n in names])
    allp = {k: np.concatenate([s[k] for s in base]) for k in ("product", "mean3", "last_year")}
    for lo_, hi_ in ((12, 14), (15, 17), (18, 21)):
        mk = (hist_len >= lo_) & (hist_len <= hi_)
        sub = {k: v[mk] for k, v in allp.items()}
        if mk.any():
            print(f"   {'':52s} {lo_}-{hi_}  {mk.sum():6d}  {FE.mape(sub['product']):6.1f}% {FE.mape(sub['mean3']):5.1f}%"
                  f" {FE.mape(sub['last_year']):6.1f}%  {FE.mape(sub['product']) / FE.best_baseline(sub)[1]:.3f}")
    print("   per history (shipped): name, points, MAPE, mean3, last year, ratio")
    for n, s in zip(names, base):
        print(f"     {n:42s} {len(s['product']):3d} {FE.mape(s['product']):6.1f}% {FE.mape(s['mean3']):6.1f}%"
              f" {FE.mape(s['last_year']):6.1f}% {FE.mape(s['product']) / FE.best_baseline(s)[1]:6.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="generated,real")
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--refresh", action="store_true")
    ap.add_argument("--rules", choices=("2026-12-05", "session11", "explore12", "session12", "explore13", "explore13b", "session13"),
                    default="2026-12-05")
    args = ap.parse_args()
    rules = {"session11": SESSION11, "explore12": EXPLORE12, "session12": SESSION12, "explore13": EXPLORE13, "explore13b": EXPLORE13B,
             "session13": SESSION13}.get(args.rules, RULES)
    warnings.filterwarnings("ignore")
    for group in args.groups.split(","):
        t, c = time.perf_counter(), time.process_time()
        if group.startswith("seeds"):  # seeds361-400
            first, last = map(int, group[5:].split("-"))
            hist = fresh(first, last)
        else:
            hist = generated() if group == "generated" else real()
        runs = {}
        for name, tx in hist:
            runs[name] = FE.household_runs(name, tx, max_origins=99, with_daily=False, refresh=args.refresh)
            if not runs[name]:  # 15 months whose first is partial: no origin with 12 months before it and 3 after
                print(f"   {name}: no outer origin, left out")
                del runs[name]
        print(f"\n{group}: model runs {time.perf_counter() - t:.0f} s wall, {time.process_time() - c:.0f} s CPU", flush=True)
        report(group, runs, args.boot, rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
