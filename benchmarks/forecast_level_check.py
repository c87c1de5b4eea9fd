"""Session 15 (issue #17): the combination's level corrected from its own backtest residuals (run by hand; prints
figures and, for the pre-registered test, each criterion's pass/fail).

    .venv/bin/python benchmarks/forecast_level_check.py --rules explore15 --groups m:real,m:generated,m:households,w:households,w:seeds881-940
    .venv/bin/python benchmarks/forecast_level_check.py --rules session15 --groups m:seeds681-720,m:seeds721-760,m:seeds681-760,w:seeds941-1000,m:real,m:households,w:households
    .venv/bin/python benchmarks/forecast_level_check.py --rules explorewk --groups w:households,w:seeds941-1000  # wkbias

Pre-registered in docs/forecasting.md ("Session 15 ... level correction") before any run on seeds 681-760 (monthly)
and 941-1000 (weekly). ``m:`` groups: monthly total expenses, 3 months ahead, every outer origin with 12 months
before it (``forecast_short_check``'s scoring: pooled MAPE, ratio to the better pooled naive guess, histories above
their own best naive guess, paired bootstrap); ``m:households`` are the 13 households of ``forecast_eval.py --quick``
(at most 24 origins). ``w:`` groups: weekly total expenses, the backtest each forecast shows (prequential, a year of
origins; ``forecast_series_check``'s code path), histories weighed equally: WAPE, its ratio to the best naive
guess's (13-week mean or the same week last year), bias ``sum(f - a) / sum|a|``, 80% coverage, histories whose
ratio is above 1.
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
import forecast_households as H
import forecast_series_check as SE
import forecast_short_check as SC

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E

D = E.DEFAULT
# session 15: exploration on used data only (seeds up to 680 monthly, up to 940 weekly; the real cuts; the households)
EXPLORE15 = {
    "shipped": D,
    "level, prior 3 origins": replace(D, level_prior=3.0),
    "level, prior 6 origins": replace(D, level_prior=6.0),
    "level, prior 12 origins": replace(D, level_prior=12.0),
    "level (least APE), prior 3": replace(D, level_prior=3.0, level_stat="ape"),
    "level (least APE), prior 6": replace(D, level_prior=6.0, level_stat="ape"),
    "level (least APE), prior 12": replace(D, level_prior=12.0, level_stat="ape"),
}
EXPLORE15B = {r: c for r, c in EXPLORE15.items() if r == "shipped" or "APE" in r}
EXPLORE15C = {"shipped": D, "level (least APE), prior 24": replace(D, level_prior=24.0, level_stat="ape")}
# session 15 (pre-registered in docs/forecasting.md before any run on seeds 681-760 and 941-1000): the one candidate
SESSION15: dict[str, E.Config] = {
    "shipped": D,
    "L: level (least APE), prior 12": replace(D, level_prior=12.0, level_stat="ape"),
}
# session 15 (wkbias): weekly combination made mean-unbiased (``week_level_prior``); exploration on used data only
# (the households, seeds <= 1000)
EXPLOREWK = {
    "shipped": D,
    "weekly mean level, prior 1": replace(D, week_level_prior=1.0),
    "weekly mean level, prior 2": replace(D, week_level_prior=2.0),
    "weekly mean level, prior 4": replace(D, week_level_prior=4.0),
    "weekly mean level, prior 12": replace(D, week_level_prior=12.0),
    "weekly mean level, prior 52": replace(D, week_level_prior=52.0),
}
TOL = 0.005  # pooled ratio tolerance (households, real cuts), as in sessions 12-14
COVER = (0.72, 0.88)


def monthly(group: str) -> dict[str, list[dict]]:
    if group.startswith("seeds"):
        first, last = map(int, group[5:].split("-"))
        hist = SC.fresh(first, last)
    elif group == "households":
        hist = [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
    else:
        hist = SC.generated() if group == "generated" else SC.real()
    runs = {}
    for name, tx in hist:
        got = FE.household_runs(name, tx, max_origins=24 if group == "households" else 99, with_daily=False,
                                refresh=False)
        if got:
            runs[name] = got
        else:
            print(f"   {name}: no outer origin, left out")
    return runs


def monthly_report(group: str, runs: dict[str, list[dict]], rules: dict[str, E.Config], boot: int) -> dict:
    SC.report(group, runs, boot, rules)
    out = {}
    for r, c in rules.items():
        sc = [FE.score_household(runs[n], c) for n in runs]
        per = [FE.mape(s["product"]) / FE.best_baseline(s)[1] for s in sc]
        out[r] = {"ratio": SC.pooled_ratio(sc)[1], "above": int(np.sum(np.array(per) > 1)),
                  "cover": float(np.mean(np.concatenate([s["inside"] for s in sc]))), "per": dict(zip(runs, per)),
                  "scores": sc}
    if group == "households":
        print("   per household ratio to its own best baseline: " + ", ".join(
            f"{n.split()[0]} " + "/".join(f"{out[r]['per'][n]:.3f}" for r in rules) for n in runs))
    return out


def monthly_groups(groups: str, rules: dict[str, E.Config], boot: int) -> dict:
    """:func:`monthly_report` for each of the comma-separated ``groups``, with its wall and CPU time and the load."""
    results = {}
    for g in groups.split(","):
        t, c = time.perf_counter(), time.process_time()
        results[g] = monthly_report(g, monthly(g), rules, boot)
        print(f"   ({g}: {time.perf_counter() - t:.0f} s wall, {time.process_time() - c:.0f} s CPU, load "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)
    return results


def weekly(group: str) -> list[tuple[str, object]]:
    if group == "households":
        return [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
    first, last = map(int, group[5:].split("-"))
    return SC.fresh(first, last)


def weekly_report(group: str, hist: list, rules: dict[str, E.Config]) -> dict:
    rows: dict[str, dict[str, dict]] = {r: {} for r in rules}
    for name, tx in hist:
        items = SE.series_runs(tx, ["weekly"]).get(SE.KINDS["weekly"], [])
        for run, ctx, series, memo in items:
            for r, c in rules.items():
                t = SE.shown_backtest(run, ctx, series, c, memo)
                if len(t):
                    rows[r][name] = SE.figures([t])
    print(f"\n== weekly {group}: {len(rows['shipped'])} histories (weighed equally)")
    out = {}
    for r, got in rows.items():
        v = list(got.values())
        ratios = np.array([SE.ratio(x) for x in v])
        out[r] = {"ratio": float(np.nanmean(ratios)), "bias": float(np.mean([x["bias"] for x in v])),
                  "cover": float(np.mean([x["cover"] for x in v])), "wape": float(np.mean([x["wape"] for x in v])),
                  "above": int(np.sum(ratios > 1)), "per": {n: SE.ratio(x) for n, x in got.items()}}
        print(f"   {r:28s} {SE.summary(got)}  above 1: {out[r]['above']}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="m:real,w:households")
    ap.add_argument("--rules", choices=("explore15", "explore15b", "explore15c", "session15", "explorewk"), default="explore15")
    ap.add_argument("--boot", type=int, default=2000)
    args = ap.parse_args()
    rules = {"explore15": EXPLORE15, "explore15b": EXPLORE15B, "explore15c": EXPLORE15C,
             "explorewk": EXPLOREWK}.get(args.rules, SESSION15)
    warnings.filterwarnings("ignore")
    results = {}
    for g in args.groups.split(","):
        kind, group = g.split(":")
        t, c = time.perf_counter(), time.process_time()
        if kind == "m":
            results[g] = monthly_report(group, monthly(group), rules, args.boot)
        else:
            results[g] = weekly_report(group, weekly(group), rules)
        print(f"   ({g}: {time.perf_counter() - t:.0f} s wall, {time.process_time() - c:.0f} s CPU, load "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)
    if args.rules == "session15":
        criteria(results, args.boot)
    return 0


def households_and_real(house: dict | None, real: dict | None, s: str, c: str, first: int,
                         digits: int = 3) -> list[tuple[str, bool]]:
    """The criteria the pre-registered tests of sessions 15-19 share, numbered from ``first``: the 13 households'
    pooled ratio not worse than the shipped rule's by more than ``TOL`` with no household from <= 1 to above 1, and
    the real cuts' pooled ratio within ``TOL`` (``house`` / ``real``: :func:`monthly_report`'s result, or None)."""
    out = []
    for r, label in ((house, "households"), (real, "real cuts")):
        if r is None:
            continue
        crossed = [n for n in r[s]["per"] if r[s]["per"][n] <= 1 < r[c]["per"][n]] if r is house else []
        text = f"{first + len(out)}. {label}: pooled ratio {r[c]['ratio']:.{digits}f} <= {r[s]['ratio']:.{digits}f} + {TOL}"
        text += f"; crossing 1: {crossed or 'none'}" if r is house else ""
        out.append((text, r[c]["ratio"] <= r[s]["ratio"] + TOL and not crossed))
    return out


def criteria(results: dict, boot: int) -> None:
    """The pre-registered criteria 1-7 and 9 (8: ``forecast_series_check.py --session15``; 5's held-out part:
    ``forecast_eval.py --quick --no-speed --session15``; 10: ``forecast_eval.py --no-accuracy``)."""
    s, c = "shipped", "L: level (least APE), prior 12"
    out = []
    for n, g in ((1, "m:seeds681-720"), (2, "m:seeds721-760")):
        if g in results:
            r = results[g]
            out.append((f"{n}. {g}: pooled ratio {r[c]['ratio']:.3f} < {r[s]['ratio']:.3f}", r[c]["ratio"] < r[s]["ratio"]))
    g = "m:seeds681-760"
    if g in results:
        r = results[g]
        sc, sb = r[c]["scores"], r[s]["scores"]
        rng = np.random.default_rng(0)
        idx = [rng.integers(0, len(sc), len(sc)) for _ in range(boot)]
        diffs = sorted(SC.pooled_ratio([sc[i] for i in ix])[0] - SC.pooled_ratio([sb[i] for i in ix])[0] for ix in idx)
        lo, hi = diffs[int(0.025 * boot)], diffs[int(0.975 * boot) - 1]
        d = SC.pooled_ratio(sc)[0] - SC.pooled_ratio(sb)[0]
        out.append((f"3. {g}: dMAPE {d:+.2f} [{lo:+.2f}, {hi:+.2f}] below 0", hi < 0))
        out.append((f"4. {g}: histories above 1: {r[c]['above']} <= {r[s]['above']}", r[c]["above"] <= r[s]["above"]))
    out += households_and_real(results.get("m:households"), results.get("m:real"), s, c, 5)
    cov = {g: results[g][c]["cover"] for g in ("m:seeds681-720", "m:seeds721-760", "m:real", "m:households")
           if g in results}
    out.append(("7. coverage within 72-88%: " + ", ".join(f"{g} {v:.1%}" for g, v in cov.items()),
                all(COVER[0] <= v <= COVER[1] for v in cov.values())))
    for g in ("w:households", "w:seeds941-1000"):
        if g in results:
            r = results[g]
            same = all(r[c][k] == r[s][k] for k in ("ratio", "bias", "cover", "wape"))
            out.append((f"9. {g}: weekly figures identical with L (ratio {r[c]['ratio']:.3f} / {r[s]['ratio']:.3f}, bias "
                        f"{r[c]['bias']:+.1%} / {r[s]['bias']:+.1%})", same))
    print("\ncriteria (session 15):")
    for text, ok in out:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")


if __name__ == "__main__":
    sys.exit(main())
