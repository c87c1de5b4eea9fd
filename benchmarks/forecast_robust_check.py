"""Session 17 (shortfc, issue #17): why short monthly histories lose to their own best naive guess, and a robust
prior for the monthly selection (run by hand; prints figures and, for the pre-registered test, each criterion).

    .venv/bin/python benchmarks/forecast_robust_check.py --diagnose --groups seeds761-840,seeds681-760,real,households
    .venv/bin/python benchmarks/forecast_robust_check.py --rules explore17 --groups real,seeds761-840,households,seeds681-760
    .venv/bin/python benchmarks/forecast_robust_check.py --rules session17 --groups seeds841-900,real,households

Pre-registered in docs/history/forecasting.md ("Session 17 ... robust prior", shortfc) before any run on seeds
841-900. Groups as in ``forecast_thin_check`` (``forecast_level_check.monthly``): monthly total expenses, 3 months
ahead, every outer origin with 12 months before it; ``households``: the 13 of ``forecast_eval.py --quick`` (cached
runs, at most 24 origins, the rule fixed on all). ``--diagnose``: per group, which naive guess wins, how every
single candidate and the shipped rule fare against each history's own better naive guess (the count a fixed method
gets is the noise floor of that count), per-history paired t of the losses, the count by outer origins, a split-half
check (the naive guess picked on the first half of a history's origins, scored on the second half) and which member
of the chosen combination was the worst in hindsight.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_eval as FE
import forecast_level_check as LC

from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import thin

D = E.DEFAULT
# exploration on used data only (the 13 households, the real cuts, seeds 681-840): docs/history/forecasting.md
EXPLORE17 = {
    "shipped": D,
    "thin 18": replace(D, thin_full=18),
    "thin 24": replace(D, thin_full=24),
    "thin 36": replace(D, thin_full=36),
    "fixed model+median6": replace(D, thin_full=10**6),
    "thin 18 model+median6+mean12": replace(D, thin_full=18, thin_prior=("model", "median6", "mean12")),
    "thin 18 model+median6+blend": replace(D, thin_full=18, thin_prior=("model", "median6", "blend")),
    "thin 24, top 3": replace(D, thin_full=24, top=3),
    "thin 12 model+median_k": replace(D, thin_prior=("model", "median_k")),
    "thin 12 model+median6+median_k": replace(D, thin_prior=("model", "median6", "median_k")),
    "thin 18 model+median6+median_k": replace(D, thin_full=18, thin_prior=("model", "median6", "median_k")),
    "thin 24 model+median_k": replace(D, thin_full=24, thin_prior=("model", "median_k")),
    "ranked on the median APE": replace(D, rank_stat="median"),
    "without last_year": replace(D, candidates=tuple(c for c in D.candidates if c != "last_year")),
    "min_points 9": replace(D, min_points=9),
    "min_points 12": replace(D, min_points=12),
    "top 2": replace(D, top=2),
    "top 3": replace(D, top=3),
    "top 5": replace(D, top=5),
}
CANDIDATE = "R: thin 18, model+median6+median_k"
# session 17 (pre-registered in docs/history/forecasting.md before any run on seeds 841-900): the one candidate
SESSION17 = {"shipped": D, CANDIDATE: replace(D, thin_full=thin.ROBUST_FULL, thin_prior=thin.ROBUST_PRIOR)}
TOL = LC.TOL
COVER = LC.COVER
ALL = list(D.candidates)


def _m(x: np.ndarray) -> float:
    return float(np.nanmean(x) * 100)


def per_history(runs: dict[str, list[dict]]) -> dict[str, dict]:
    """Per history (origins x 3 APE arrays): the shipped rule, the outer naive guesses, every candidate alone."""
    out = {}
    for name, rs in runs.items():
        h: dict = {k: [] for k in ["product", "mean3", "last_year", "chosen"] + ["c_" + c for c in ALL]}
        for r in rs:
            run, a = r["run"], r["actual"]
            sel = E.select(run["records"], run["totals"], run["starts"], FE.HORIZON, config=D,
                           model_final=run["model_final"], clip=True, memo=run.setdefault("memo", {}))
            h["product"].append(FE.ape(sel.final, a))
            h["mean3"].append(FE.ape(r["mean3"], a))
            h["last_year"].append(FE.ape(r["last_year"], a))
            c = E.candidates_at(run["totals"], len(run["totals"]) - 1, FE.HORIZON, "month", ALL[1:])
            c["model"] = run["model_final"]
            for k in ALL:
                h["c_" + k].append(FE.ape(np.maximum(c[k], 0.0), a))
            h["chosen"].append(sel.choice.chosen)
        out[name] = {k: (v if k == "chosen" else np.vstack(v)) for k, v in h.items()}
    return out


def diagnose(group: str, runs: dict[str, list[dict]]) -> None:
    P = per_history(runs)
    names = list(P)
    best = {n: min(_m(P[n]["mean3"]), _m(P[n]["last_year"])) for n in names}
    ly_wins = {n for n in names if _m(P[n]["last_year"]) < _m(P[n]["mean3"])}
    ratio = {n: _m(P[n]["product"]) / best[n] for n in names}
    above = {n for n in names if ratio[n] > 1}
    print(f"\n== {group}: {len(names)} histories; the better naive guess in hindsight: mean3 {len(names) - len(ly_wins)}, "
          f"last year {len(ly_wins)}; shipped rule above its history's better naive: {len(above)} "
          f"({len(above - ly_wins)} where mean3 won, {len(above & ly_wins)} where last year won)")
    print("   each method alone: pooled ratio to the better pooled naive, histories above their own better naive, "
          "median ratio")
    opts = {"shipped rule": "product", "outer mean3 (raw)": "mean3", "outer last year (raw)": "last_year"}
    opts |= {c: "c_" + c for c in ALL}
    pool_m = _m(np.concatenate([P[n]["mean3"].ravel() for n in names]))
    pool_l = _m(np.concatenate([P[n]["last_year"].ravel() for n in names]))
    for label, key in opts.items():
        per = np.array([_m(P[n][key]) / best[n] for n in names])
        pr = _m(np.concatenate([P[n][key].ravel() for n in names])) / min(pool_m, pool_l)
        print(f"     {label:24s} {pr:6.3f} {int(np.sum(per > 1)):4d} {np.median(per):7.3f}")
    loss = win = 0
    k_all = []
    for n in names:
        b = P[n]["last_year"] if n in ly_wins else P[n]["mean3"]
        d = np.nanmean(P[n]["product"] - b, axis=1)
        d = d[np.isfinite(d)]
        k_all.append(len(d))
        if len(d) >= 3 and d.std(ddof=1) > 0:
            t = d.mean() / (d.std(ddof=1) / np.sqrt(len(d)))
            loss, win = loss + (t > 2), win + (t < -2)
    print(f"   outer origins per history: median {np.median(k_all):.0f} ({min(k_all)}-{max(k_all)}); per-history paired "
          f"t over origins: losses with t > 2: {loss}, wins with t < -2: {win}")
    k = {n: P[n]["product"].shape[0] for n in names}
    for lo, hi in ((1, 3), (4, 6), (7, 12), (13, 99)):
        sub = [n for n in names if lo <= k[n] <= hi]
        if sub:
            print(f"   {lo}-{hi} outer origins: {len(sub)} histories, above 1: {sum(n in above for n in sub)}, "
                  f"median ratio {np.median([ratio[n] for n in sub]):.3f}")
    hon = hind = tot = 0
    for n in names:
        if k[n] < 4:
            continue
        a, b = slice(0, k[n] // 2), slice(k[n] // 2, k[n])
        pick = "mean3" if _m(P[n]["mean3"][a]) <= _m(P[n]["last_year"][a]) else "last_year"
        p2 = _m(P[n]["product"][b])
        tot, hon = tot + 1, hon + (p2 > _m(P[n][pick][b]))
        hind += p2 > min(_m(P[n]["mean3"][b]), _m(P[n]["last_year"][b]))
    print(f"   split half ({tot} histories with >= 4 outer origins), second half: above the naive guess picked on the "
          f"first half {hon}, above the better one in hindsight {hind}")
    chosen = dict.fromkeys(ALL, 0)
    worst = dict.fromkeys(ALL, 0)
    total = 0
    for n in names:
        for i, ch in enumerate(P[n]["chosen"]):
            total += 1
            err = {c: float(np.nanmean(P[n]["c_" + c][i])) for c in ch}
            for c in ch:
                chosen[c] += 1
            worst[max(err, key=lambda c: err[c])] += 1
    print("   in the final forecasts: share of outer origins with the candidate averaged / share of those where it was "
          "the worst member in hindsight\n     " + ", ".join(
              f"{c} {chosen[c] / total:.0%}/{worst[c] / max(chosen[c], 1):.0%}" for c in ALL))


def criteria(results: dict) -> None:
    """The pre-registered criteria 1-5 (docs/history/forecasting.md, session 17); 6, speed: ``forecast_eval.py
    --no-accuracy`` alternated with main."""
    s, c = "shipped", CANDIDATE
    out = []
    g = "seeds841-900"
    if g in results:
        r = results[g]
        out.append((f"1. {g}: pooled ratio {r[c]['ratio']:.3f} < {r[s]['ratio']:.3f}", r[c]["ratio"] < r[s]["ratio"]))
        out.append((f"2. {g}: histories above 1: {r[c]['above']} < {r[s]['above']}", r[c]["above"] < r[s]["above"]))
    cov = {g: results[g][c]["cover"] for g in ("seeds841-900", "real", "households") if g in results}
    out.append(("3. coverage within 72-88%: " + ", ".join(f"{g} {v:.1%}" for g, v in cov.items()),
                all(COVER[0] <= v <= COVER[1] for v in cov.values())))
    out += LC.households_and_real(results.get("households"), results.get("real"), s, c, 4)
    print("\ncriteria (session 17):")
    for text, ok in out:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="real,households")
    ap.add_argument("--rules", choices=("explore17", "session17"), default="explore17")
    ap.add_argument("--diagnose", action="store_true", help="the diagnosis instead of the rules")
    ap.add_argument("--boot", type=int, default=2000)
    args = ap.parse_args()
    rules = EXPLORE17 if args.rules == "explore17" else SESSION17
    warnings.filterwarnings("ignore")
    results = {}
    for g in args.groups.split(","):
        t, c = time.perf_counter(), time.process_time()
        runs = LC.monthly(g)
        if args.diagnose:
            diagnose(g, runs)
        else:
            results[g] = LC.monthly_report(g, runs, rules, args.boot)
        print(f"   ({g}: {time.perf_counter() - t:.0f} s wall, {time.process_time() - c:.0f} s CPU, load "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)
    if args.rules == "session17" and not args.diagnose:
        criteria(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
