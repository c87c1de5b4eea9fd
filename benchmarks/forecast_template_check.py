"""Session 23 (fc23, issue #17): last year's template at its untested weight (run by hand; prints figures).

    .venv/bin/python benchmarks/forecast_template_check.py --explore --weights 1,0.5,0 --groups households,seeds1401-1460
    .venv/bin/python benchmarks/forecast_template_check.py --decide

THE CAUSE (diagnosis, ``benchmarks/forecast_short_noise.py --detail``, used data only). With 12-24 months the level
model adds last year's per-category deviation (``model._components``: frequent categories shrunk by signal / (signal +
noise), occasional ones whole) with a weight 0, 1/2 or 1 chosen on the backtest (``model._choose_weight_of``). Below
``MIN_WEIGHT_POINTS`` (3) backtest points that had a last year to read, the weight is ``DEFAULT_SEASONAL_WEIGHT`` = 1:
the template in full, never tested on the series. That is every forecast made with 12 months of history (no inner
origin has a year before it), and prequentially the first backtest origin with a year behind it. "gen short 16m"
(one outer origin, at 12 months) is that case: the model's May forecast 2,661 against its March/April 2,243/2,214
(last May's travel purchase repeated whole: an occasional category), outer APE 21.1% against mean3's 12.4%; with the
untested weight 1/2: 17.5% (product 14.6% -> 13.7%), 0: 13.9% (12.8%). The inner backtest that chose the model's
share never saw the template (no inner origin had a year), so the choice cannot correct it.

The candidate T = an untested template weight below 1 (value chosen by ``--explore`` on used seeds and the households,
then fixed in the pre-registration below); the tested weights (3+ points) unchanged.

Exploration (``--explore``, used data only, 19:47-20:00 UTC, load 11-13; the shipped rule ``ensemble.DEFAULT`` on the
model runs of each untested weight; dMAPE = pooled MAPE minus weight 1's, paired bootstrap over histories):

| untested weight | 13 households: MAPE / ratio / cov / >1 | seeds 1401-1460 (59): MAPE / ratio / cov / >1 / first origin |
|---|---|---|
| 1 (shipped) | 21.79% / 0.692 / 79.8% / 1 | 15.62% / 0.661 / 82.8% / 22 / 16.75% |
| 1/2 | 21.72% / 0.690 / 79.9% / 1 (gen short 16m 1.179 -> 1.107), dMAPE -0.07 [-0.19, +0.02] | 15.60% / 0.660 / 82.8% / 21 / 16.65%, -0.03 [-0.12, +0.06] |
| 0 | 21.68% / 0.688 / 79.8% / 1 (1.034), -0.10 [-0.33, +0.06] | 15.69% / 0.664 / 82.4% / 22 / 16.82%, +0.06 [-0.09, +0.24] |

``forecast_short_noise.py --oracle`` (the generator of gen short 16m, private seeds 500001-500150, season 0.2 is real
there, so the template carries signal): 16 months (80 histories) product 16.6% / 16.7% / 16.8% for weights 1 / 1/2 /
0, above 1: 54 / 52 / 52; 18 months (40) 15.6% / 15.5% / 15.6%, 18 / 17 / 17. Weight 1/2 (the middle of the grid
the backtest chooses from: no evidence, no side taken) is the candidate; 0 is worse on the seeds.

PRE-REGISTERED TEST (``--decide``; session 23, fc23; written and committed before any run on seeds 2181-2240, which no
session has generated or scored). S = shipped (``model.DEFAULT_SEASONAL_WEIGHT`` = 1), T = 1/2. Groups: "fresh" =
``forecast_short_check.fresh(2181, 2240)`` (15-24 months; seeds ending in 9/0 the demo generator, the others drawn
structure), every origin with 12 months before it; "real cuts" = ``forecast_short_check.real()`` (seen); "households"
= the 13 of ``forecast_eval.py --quick`` (<= 24 origins; seen). Scoring: ``forecast_eval`` (the product =
``ensemble.DEFAULT`` on each weight's own model runs; pooled MAPE of every point; 80% coverage of its range). T
becomes the default only if ALL hold:

P1. fresh: pooled MAPE(T) <= pooled MAPE(S); coverage(T) >= coverage(S) - 1 point and within 72-88%;
P2. generated + real together (fresh, real cuts and households, every point pooled): pooled MAPE(T) <= S's;
    coverage(T) >= coverage(S) - 1 point;
P3. real cuts and households, each: pooled ratio to the better naive guess (T) <= S's + 0.005;
S1. fresh, the first outer origin of each history (12 months of history: the final forecast's template untested):
    pooled MAPE(T) strictly below S's;
S2. fresh: histories above their own best naive guess, T <= S (not "strictly fewer": the oracle of
    ``forecast_short_noise.py`` is itself above 1 in 42% / 30% / 13% of 16 / 18 / 24-month histories).
Reported, not criteria: the paired bootstrap interval of dMAPE per group. Dry run of this code before the commit
(``--decide --dry seeds1401-1410``, used seeds in place of the fresh block; real cuts and households as in the test):
P1 and S1 failed there (10 histories: 20.42% -> 20.45%, first origins 22.20% -> 22.41%), P2/P3/S2 passed: the
likely outcome is a failure inside the noise. If any fails, T does not ship:
``DEFAULT_SEASONAL_WEIGHT`` stays 1 (the constant is the switch) and this docstring says so.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_eval as FE
import forecast_households as H
import forecast_short_check as SC

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import model as MD

D = E.DEFAULT
SHIPPED = MD.DEFAULT_SEASONAL_WEIGHT  # 0.5 since this test passed (1 when it was run)
CACHE = "/tmp/fc23-template-{}"  # one model-run cache per weight (the benchmark caches do not know the code)


def histories(group: str) -> list[tuple[str, pd.DataFrame]]:
    if group == "households":
        return [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
    if group == "real":
        return SC.real()
    first, last = map(int, group[5:].split("-"))
    return SC.fresh(first, last)


def runs_at(weight: float, group: str, hist: list) -> dict[str, list[dict]]:
    MD.DEFAULT_SEASONAL_WEIGHT, FE.CACHE = weight, Path(CACHE.format(weight))
    out = {}
    for name, tx in hist:
        got = FE.household_runs(name, tx, max_origins=24 if group == "households" else 99, with_daily=False,
                                refresh=False)
        if got:
            out[name] = got
    MD.DEFAULT_SEASONAL_WEIGHT = SHIPPED
    return out


def figures(runs: dict[str, list[dict]]) -> dict:
    sc = {n: FE.score_household(r, D) for n, r in runs.items()}
    p = {k: np.concatenate([s[k] for s in sc.values()]) for k in ("product", "mean3", "last_year", "inside")}
    first = {k: np.concatenate([s[k][: FE.HORIZON] for s in sc.values()]) for k in ("product", "mean3", "last_year")}
    per = {n: FE.mape(s["product"]) / FE.best_baseline(s)[1] for n, s in sc.items()}
    return {"mape": FE.mape(p["product"]), "ratio": FE.mape(p["product"]) / FE.best_baseline(p)[1],
            "cov": float(np.mean(p["inside"])), "above": sum(v > 1 for v in per.values()), "per": per,
            "first": FE.mape(first["product"]), "first_ratio": FE.mape(first["product"]) / FE.best_baseline(first)[1],
            "n": len(sc), "points": len(p["product"]), "scores": sc}


def boot_diff(a: dict, b: dict, boot: int = 2000) -> tuple[float, float]:
    """95% paired bootstrap over histories of pooled MAPE(b) - pooled MAPE(a), points."""
    names = list(a["scores"])
    rng = np.random.default_rng(0)
    out = []
    for _ in range(boot):
        ix = rng.integers(0, len(names), len(names))
        pa = np.concatenate([a["scores"][names[i]]["product"] for i in ix])
        pb = np.concatenate([b["scores"][names[i]]["product"] for i in ix])
        out.append(FE.mape(pb) - FE.mape(pa))
    return float(np.quantile(out, 0.025)), float(np.quantile(out, 0.975))


def report(group: str, res: dict[float, dict]) -> None:
    base = res[1.0]
    print(f"\n== {group}: {base['n']} histories, {base['points']} points (load "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    print(f"   {'untested weight':>15s} {'MAPE':>7s} {'ratio':>6s} {'cover':>6s} {'>1':>3s} {'first origin MAPE / ratio':>26s}"
          f" {'dMAPE [95%]':>22s}")
    for w, r in res.items():
        lo, hi = boot_diff(base, r) if w != 1.0 else (0.0, 0.0)
        print(f"   {w:15.2f} {r['mape']:6.2f}% {r['ratio']:6.3f} {r['cov']:6.1%} {r['above']:3d} {r['first']:13.2f}% / "
              f"{r['first_ratio']:.3f}  {r['mape'] - base['mape']:+6.2f} [{lo:+.2f}, {hi:+.2f}]")
    moved = [(n, base["per"][n], {w: r["per"][n] for w, r in res.items() if w != 1.0}) for n in base["per"]]
    for n, b, o in moved:
        if any(abs(v - b) > 0.02 for v in o.values()):
            print(f"     {n:44s} {b:.3f} -> " + " / ".join(f"{v:.3f}" for v in o.values()))


def decide(fresh: str = "seeds2181-2240") -> int:
    """The pre-registered test (``fresh``: another seed block only for a dry run of this code on used seeds)."""
    t = time.perf_counter()
    res = {}
    for group in ("fresh", "real", "households"):
        hist = histories(fresh if group == "fresh" else group)
        res[group] = {w: figures(runs_at(w, group, hist)) for w in (1.0, 0.5)}
        report(group, res[group])
        print(f"   ({time.perf_counter() - t:.0f} s wall so far)", flush=True)
    S, T = 1.0, 0.5
    f = res["fresh"]
    allp = {w: {k: np.concatenate([s[k] for g in res.values() for s in g[w]["scores"].values()])
                for k in ("product", "inside")} for w in (S, T)}
    am = {w: FE.mape(allp[w]["product"]) for w in (S, T)}
    ac = {w: float(np.mean(allp[w]["inside"])) for w in (S, T)}
    checks = [
        (f"P1 fresh: MAPE {f[T]['mape']:.3f}% <= {f[S]['mape']:.3f}%; coverage {f[T]['cov']:.1%} >= "
         f"{f[S]['cov']:.1%} - 1 point and in 72-88%",
         f[T]["mape"] <= f[S]["mape"] and f[T]["cov"] >= f[S]["cov"] - 0.01 and 0.72 <= f[T]["cov"] <= 0.88),
        (f"P2 all pooled: MAPE {am[T]:.3f}% <= {am[S]:.3f}%; coverage {ac[T]:.1%} >= {ac[S]:.1%} - 1 point",
         am[T] <= am[S] and ac[T] >= ac[S] - 0.01),
    ]
    for g in ("real", "households"):
        r = res[g]
        checks.append((f"P3 {g}: ratio {r[T]['ratio']:.4f} <= {r[S]['ratio']:.4f} + 0.005",
                       r[T]["ratio"] <= r[S]["ratio"] + 0.005))
    checks.append((f"S1 fresh first origins: MAPE {f[T]['first']:.3f}% < {f[S]['first']:.3f}%", f[T]["first"] < f[S]["first"]))
    checks.append((f"S2 fresh above own best naive: {f[T]['above']} <= {f[S]['above']}", f[T]["above"] <= f[S]["above"]))
    for text, ok in checks:
        print(("PASS " if ok else "FAIL ") + text)
    ok = all(v for _, v in checks)
    print("VERDICT: " + ("T ships (DEFAULT_SEASONAL_WEIGHT = 0.5)" if ok else "T stays off (DEFAULT_SEASONAL_WEIGHT = 1)"))
    return 0


def main() -> int:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--explore", action="store_true")
    ap.add_argument("--weights", default="1,0.5,0")
    ap.add_argument("--groups", default="households,seeds1401-1460")
    ap.add_argument("--decide", action="store_true")
    ap.add_argument("--dry", default="", help="--decide's code on this used seed block instead (e.g. seeds1401-1410)")
    args = ap.parse_args()
    if args.decide:
        return decide(args.dry or "seeds2181-2240")
    weights = [float(w) for w in args.weights.split(",")]
    for group in args.groups.split(","):
        t = time.perf_counter()
        hist = histories(group)
        res = {w: figures(runs_at(w, group, hist)) for w in weights}
        report(group, res)
        print(f"   ({time.perf_counter() - t:.0f} s wall)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
