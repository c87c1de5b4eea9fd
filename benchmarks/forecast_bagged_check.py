"""Session 20 (fcshort, issue #17): the selection bagged over the backtest's own origins (run by hand; prints
figures and, for the pre-registered test, each criterion).

    .venv/bin/python benchmarks/forecast_bagged_check.py --rules explore20 --groups households,real,seeds1401-1460,seeds841-900
    .venv/bin/python benchmarks/forecast_bagged_check.py --rules explore20 --groups "" --held-out
    .venv/bin/python benchmarks/forecast_bagged_check.py --rules session20 --groups seeds1581-1640,real --held-out

PRE-REGISTERED TEST (session 20, fcshort; written and committed before any run on seeds 1581-1640, which no session
has generated or scored before; their model runs may be computed into the benchmark cache first, no figure printed).
The candidate B = ``replace(ensemble.DEFAULT, weights="bagged")``: the shipped rule (top 4 on APE, thin prior, pooled
category evidence, occasional rule) with each candidate's weight the share of 200 origin-resampled backtests that pick
it among their best 4 (monthly series ranked series by series; weekly series, occasional series and the pooled ranking
of monthly expense categories unchanged). B becomes ``ensemble.DEFAULT`` only if ALL of these hold:

1. held-out (the 13 households, leave-one-household-out among the final grid of 24 + the app's rule, as
   ``forecast_eval.py``'s honest table): B's pooled ratio to the better pooled naive guess is not worse than the
   shipped rule's by more than 0.01;
2. held-out: strictly fewer households above their own best naive guess with B than with the shipped rule;
3. seeds 1581-1640 (``forecast_short_check.fresh``; histories with no outer origin left out): strictly fewer
   histories above their own best naive guess (the better of their mean of 3 months and same month last year, in
   hindsight) with B than with the shipped rule;
4. seeds 1581-1640: B's pooled ratio not worse than the shipped rule's by more than 0.01;
5. pooled 80% coverage within 72-88% with B on the held-out households, seeds 1581-1640 and the real cuts;
6. speed (``forecast_eval.py --no-accuracy``, alternated with a checkout of 17c0f37): all categories of the
   36-month user <= 5 s cold and <= 0.1 s cached, one series <= 1 s cold (checked by hand, not by this script).

Reported, not criteria: the real cuts' pooled ratio and count, the paired bootstrap interval of dMAPE on the fresh
seeds. If any criterion fails, B does not ship: ``weights="bagged"`` stays an option, off, tested.

Groups as in ``forecast_naive_check`` (``forecast_level_check.monthly``): monthly total expenses, 3 months ahead,
every outer origin with 12 months before it; ``households``: the 13 of ``forecast_eval.py --quick`` (cached runs, at
most 24 origins, the rule fixed on all); ``real``: the real histories cut to 18/21/24 months; ``seedsA-B``: generated
by ``forecast_short_check.fresh``. The rule (``Config(weights="bagged")``, :mod:`budgetwise.services.forecast.bagged`):
each candidate's weight is the share of origin-resampled backtests that pick it among their best 4.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_eval as FE
import forecast_level_check as LC
import numpy as np

from budgetwise.services.forecast import ensemble as E

D = E.DEFAULT
# exploration on used data only (the 13 households, the real cuts, seeds 841-900 and 1401-1460)
EXPLORE20 = {
    "shipped": D,
    "bagged top 4, thin prior kept": replace(D, weights="bagged"),
    "bagged top 4, no thin prior": replace(D, weights="bagged", thin_full=0),
    "bagged top 3, no thin prior": replace(D, weights="bagged", thin_full=0, top=3),
    "bagged top 2, no thin prior": replace(D, weights="bagged", thin_full=0, top=2),
    "bagged top 5, no thin prior": replace(D, weights="bagged", thin_full=0, top=5),
    "bagged top 1, no thin prior": replace(D, weights="bagged", thin_full=0, top=1),
}

CANDIDATE = "B: bagged top 4, thin prior kept"
SESSION20 = {"shipped": D, CANDIDATE: replace(D, weights="bagged")}  # pre-registered (the docstring)
FRESH = "seeds1581-1640"
TOL = 0.01
COVER = LC.COVER


def criteria(results: dict, loho: dict) -> bool:
    """The pre-registered criteria 1-5 of the docstring (6, speed: ``forecast_eval.py --no-accuracy`` by hand)."""
    s, c = "shipped", CANDIDATE
    out = []
    if loho:
        a, b = loho[s], loho[c]
        out.append((f"1. held-out pooled ratio {b['ratio']:.4f} <= {a['ratio']:.4f} + {TOL}",
                    b["ratio"] <= a["ratio"] + TOL))
        out.append((f"2. held-out households above 1: {len(b['above'])} {b['above']} < {len(a['above'])} {a['above']}",
                    len(b["above"]) < len(a["above"])))
    if FRESH in results:
        r = results[FRESH]
        out.append((f"3. {FRESH}: histories above their own best naive guess {r[c]['above']} < {r[s]['above']}",
                     r[c]["above"] < r[s]["above"]))
        out.append((f"4. {FRESH}: pooled ratio {r[c]['ratio']:.4f} <= {r[s]['ratio']:.4f} + {TOL}",
                    r[c]["ratio"] <= r[s]["ratio"] + TOL))
    cov = {g: results[g][c]["cover"] for g in (FRESH, "real") if g in results}
    if loho:
        cov["held-out households"] = loho[c]["cover"]
    out.append(("5. coverage within 72-88%: " + ", ".join(f"{g} {v:.1%}" for g, v in cov.items()),
                all(COVER[0] <= v <= COVER[1] for v in cov.values())))
    if "real" in results:
        r = results["real"]
        print(f"\n   reported: real cuts pooled ratio {r[c]['ratio']:.4f} (shipped {r[s]['ratio']:.4f}), above 1: "
              f"{r[c]['above']} (shipped {r[s]['above']})")
    print("\ncriteria (session 20, pre-registered):")
    for text, ok in out:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")
    passed = len(out) == 5 and all(ok for _, ok in out)
    print(f"   => {'PASS: B ships (speed checked by hand)' if passed else 'FAIL: B does not ship'}")
    return passed


def grid_table(runs: dict[str, list[dict]]) -> dict[int, dict[str, dict]]:
    """The final grid's (``FE.CONFIGS``) scores on every household, computed once."""
    return {i: {n: FE.score_household(r, c) for n, r in runs.items()} for i, c in enumerate(FE.CONFIGS)}


def held_out(runs: dict[str, list[dict]], grid: dict[int, dict[str, dict]], rule: E.Config, label: str) -> dict:
    """Leave-one-household-out as ``forecast_eval.py``'s honest table (``FE.held_out_choice``), the settings offered
    being the final grid (``FE.CONFIGS``, scores ``grid``) and ``rule`` as the app's rule: pooled MAPE, pooled ratio
    to the better pooled naive guess, pooled 80% coverage, each household's ratio to its own best naive guess."""
    configs = [*FE.CONFIGS, rule]
    table = {**grid, len(FE.CONFIGS): {n: FE.score_household(r, rule) for n, r in runs.items()}}
    picks = FE.held_out_choice(table, list(table))
    scores = {n: table[i][n] for n, i in picks.items()}
    FE.print_table(f"held-out, the final grid + {label}", scores, {n: configs[i] for n, i in picks.items()})
    print(f"   folds choosing {label}: {sum(i == len(FE.CONFIGS) for i in picks.values())} of {len(picks)}")
    p = {key: np.concatenate([s[key] for s in scores.values()]) for key in ("product", "mean3", "last_year", "inside")}
    per = {n: FE.mape(s["product"]) / FE.best_baseline(s)[1] for n, s in scores.items()}
    return {"mape": FE.mape(p["product"]), "ratio": FE.mape(p["product"]) / FE.best_baseline(p)[1],
            "cover": float(np.mean(p["inside"])), "per": per, "above": sorted(n for n, v in per.items() if v > 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="real,households")
    ap.add_argument("--rules", choices=("explore20", "session20"), default="explore20")
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--held-out", action="store_true", help="the households' leave-one-household-out tables")
    args = ap.parse_args()
    rules = {"explore20": EXPLORE20, "session20": SESSION20}[args.rules]
    warnings.filterwarnings("ignore")
    results = LC.monthly_groups(args.groups, rules, args.boot) if args.groups else {}
    loho = {}
    if args.held_out:
        runs = LC.monthly("households")
        grid = grid_table(runs)
        for r, c in rules.items():
            loho[r] = got = held_out(runs, grid, c, r)
            print(f"   {r}: held-out {got['mape']:.2f}%, ratio {got['ratio']:.4f}, coverage {got['cover']:.1%}, above 1: "
                  + ", ".join(f"{n} {got['per'][n]:.3f}" for n in got["above"]))
    if args.rules == "session20":
        criteria(results, loho)
    return 0


if __name__ == "__main__":
    sys.exit(main())
