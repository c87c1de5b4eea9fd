"""Pre-registered test (session 19, goalshape, issue #17): does counting one-off shortfalls make a goal's chance
better? Run ONCE on the fresh seeds; the rule below was committed before that run (prints figures and a verdict).

    GOALCAL_FRESH=1 .venv/bin/python benchmarks/goal_oneoff_decide.py [--workers 2]

Shipped: ``goal_stats.ONE_OFFS = False`` (session 18's normal chance). Candidate: ``ONE_OFFS = True`` (the months
of the net-savings history that fell more than 3.5 robust sds below their neighbours' median count as one-off
shortfalls, coming at the history's rate: a Poisson mixture of the normal chance). Both chances come from
``goals.project_goal`` itself (``goal_chance_check.app_chance``) for the same goals (``goal_chance_check``: the
forecast's own 10-90% points and 0.5/1/1.5 x the recent pace, at 3, 6 and 12 months).

Data: FRESH seeds 1461-1520 (never used before this run; ``--stride 2 --max-origins 12`` as in exploration), split
by their drawn structure into "with one-off large purchases" and "without"; the 5 real households (all origins;
they were explored, so they guard against a loss, they are not evidence of a gain).

The candidate becomes the default only if ALL hold:
  C1  fresh seeds, all goals pooled: Brier(candidate) < Brier(shipped)
  C2  fresh seeds with one-off large purchases: Brier(candidate) < Brier(shipped)
  C3  fresh seeds without: Brier(candidate) <= Brier(shipped) + 0.002
  C4  the 5 real households: Brier(candidate) <= Brier(shipped) + 0.002
  C5  fresh seeds pooled, the goals each method puts at >= 0.9: (mean P - observed) of the candidate
      <= that of the shipped chance + 0.02 ("very likely" no less trustworthy)
  C6  fresh seeds pooled, the goals each method puts under 0.5: (mean P - observed) of the candidate
      <= that of the shipped chance + 0.01 (chances under 50% no more over-stated)
Otherwise the module flag ``goal_stats.ONE_OFFS`` ships False with these figures written down.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import forecast_households as H
import goal_chance_check as C

FRESH = (1461, 1520)
STRIDE, MAX_ORIGINS = 2, 12
TOL_WITHOUT = 0.002
TOL_REAL = 0.002
TOL_VERY_LIKELY = 0.02
TOL_UNDER_HALF = 0.01


def rows_of(group: str, stride: int, max_origins: int, workers: int) -> list[dict]:
    items = C.group_histories(group)
    with ProcessPoolExecutor(workers) as pool:
        done = dict(pool.map(C.cached_rows, [group] * len(items), [n for n, _ in items], [stride] * len(items),
                             [max_origins] * len(items)))
    return [r for n, _ in items for r in done[n]]


def figures(rows: list[dict]) -> dict:
    g = C.goals_frame(rows)
    hit = g["hit"].to_numpy(dtype=float)
    out = {"n": len(g)}
    for key, col in (("shipped", "p"), ("candidate", "p_one")):
        p = g[col].to_numpy(dtype=float)
        hi, lo = p >= 0.9, p < 0.5
        out[key] = {"brier": float(np.mean((p - hit) ** 2)),
                    "hi": (int(hi.sum()), float(p[hi].mean() - hit[hi].mean()) if hi.any() else 0.0,
                           float(hit[hi].mean()) if hi.any() else float("nan")),
                    "lo": (int(lo.sum()), float(p[lo].mean() - hit[lo].mean()) if lo.any() else 0.0,
                           float(hit[lo].mean()) if lo.any() else float("nan"))}
    return out


def show(title: str, f: dict) -> None:
    print(f"\n{title} ({f['n']} goals)")
    for key in ("shipped", "candidate"):
        x = f[key]
        print(f"   {key:9s} Brier {x['brier']:.4f} | >= 0.9: n {x['hi'][0]:4d}, mean P - observed {x['hi'][1]:+.3f} "
              f"(observed {x['hi'][2]:.2f}) | < 0.5: n {x['lo'][0]:4d}, mean P - observed {x['lo'][1]:+.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not os.environ.get("GOALCAL_FRESH"):
        raise SystemExit("the pre-registered test runs once on fresh seeds: set GOALCAL_FRESH=1")
    group = f"seeds{FRESH[0]}-{FRESH[1]}"
    seeds = rows_of(group, STRIDE, MAX_ORIGINS, args.workers)
    lumpy = {f"seed {s}" for s in range(FRESH[0], FRESH[1] + 1) if C.structure(s)[1].get("outliers")}
    real_names = {n for n, k, _ in H.households() if k == "real"}
    homes = rows_of("households", 1, 24, args.workers)
    pooled = figures(seeds)
    with_ = figures([r for r in seeds if r["name"] in lumpy])
    without = figures([r for r in seeds if r["name"] not in lumpy])
    real = figures([r for r in homes if r["name"] in real_names])
    all_homes = figures(homes)
    print(f"fresh {group}: {len(seeds)} origins, {len(lumpy)} of {FRESH[1] - FRESH[0] + 1} seeds with one-off "
          f"large purchases")
    show("fresh seeds, pooled", pooled)
    show("fresh seeds with one-off large purchases", with_)
    show("fresh seeds without", without)
    show("the 5 real households (explored: a guard)", real)
    show("all 13 households (explored; figures only)", all_homes)
    c, s = "candidate", "shipped"
    checks = [
        ("C1 pooled Brier lower", pooled[c]["brier"] < pooled[s]["brier"]),
        ("C2 with one-offs Brier lower", with_[c]["brier"] < with_[s]["brier"]),
        ("C3 without: no loss beyond 0.002", without[c]["brier"] <= without[s]["brier"] + TOL_WITHOUT),
        ("C4 real households: no loss beyond 0.002", real[c]["brier"] <= real[s]["brier"] + TOL_REAL),
        ("C5 >= 0.9 bin no more over-stated (+0.02)", pooled[c]["hi"][1] <= pooled[s]["hi"][1] + TOL_VERY_LIKELY),
        ("C6 < 0.5 bin no more over-stated (+0.01)", pooled[c]["lo"][1] <= pooled[s]["lo"][1] + TOL_UNDER_HALF),
    ]
    print()
    for name, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {name}")
    verdict = all(ok for _, ok in checks)
    print(f"\nverdict: {'PASS: ONE_OFFS on by default' if verdict else 'FAIL: ONE_OFFS ships off'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
