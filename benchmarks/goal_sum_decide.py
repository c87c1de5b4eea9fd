"""Pre-registered test (session 24, fc24, issue #17): a goal's spread over k months read from the net backtest's own
k-month sums of errors (``goal_stats.ACCUMULATION``) instead of the path built from the correlation of its step-1 and
step-2 errors (``"pair"``, shipped since session 13). Run ONCE on the fresh seeds; the rule below was committed before
that run (prints figures, reliability tables and a verdict).

    GOALCAL_FRESH=1 .venv/bin/python benchmarks/goal_sum_decide.py [--workers 2]
    GOALCAL_FRESH=1 .venv/bin/python benchmarks/goal_sum_decide.py --tuning   # tuning seeds + the 13 households only

Why (goal23b's diagnosis and its untested idea): a goal meets the sum of k months' savings; its sd is
``sqrt(sum s_i^2 + rho ((sum s_i)^2 - sum s_i^2))`` with ``s_i`` each month's calibrated range / 1.2816. ``rho`` comes
from the Pearson correlation of the errors one and two months ahead over the backtest's 10-12 origins (one pair of
steps), and nothing checks the resulting k-month width against what k-month sums of errors were. Measured outcomes:
the 13 households' z of the h-month sums has sd 1.24 / 1.11 / 1.25 at 3 / 6 / 12 months (robust sd well under 1:
heavy tails), the demo's ranges are too wide for sums (goal23b).

Candidates (``goal_stats.accumulation``; the monthly widths stay the calibrated range's, only how they add up changes;
one-off term, prior, yearly rule as shipped):
  A "scaled" (``sum_scale``): the pair rule's path, its whole spread times the ratio of the range's own rule
    (``conformal.conformal_offsets``: half the distance between its offsets, over z(80%)) applied to the backtest's
    3-month sums of errors (the origins with all three steps, at least ``MIN_SUM_ORIGINS`` = 8) to the path's own
    3-month sd from the forecast's first three monthly sds; clipped to 0.5..2 (``SUM_SCALE_LIMITS``, set before any
    run, not tuned). The monthly range is that rule applied to single months; A applies it to what a goal meets.
  B "sums" (``sum_correlation``): the equicorrelation that makes the backtest's 2- and 3-month sums of errors as wide
    about their mean as they were, pooled over k = 2, 3 (every pair of steps, not only 1 and 2), clipped 0..0.9; the
    pair rule with fewer origins.
Explored and dropped on the tuning data (``/tmp/fc24-eval.py``, not committed): B uncentred (the brief's literal
idea: 8 generated households 0.1399, seeds 0.1369 against pair 0.1398, 0.1366), B shrunk towards 0.3 (worse), A read
as the 80% rank of |3-month sums| instead of the range's rule (8 generated 0.1367, seeds 0.1355) and A only widening
(scale >= 1: 0.1400, 0.1370). A is the tuning winner; B the smaller change.

Tuning (looked at before this was written; ``--tuning``, TUNING_FIGURES below): generated seeds 900001-900030
(``--stride 2 --max-origins 6``) and the 8 generated of the 13 households. The 5 real households' figures were
printed by the same runs (every household run holds all 13): I saw them, so H1-H3 are guards, not evidence; the
fresh seeds are the evidence. The demo generator's households are not used (its bonus and raise make its chances low
for reasons of its own; goal23b).

Chances: ``goal_stats.chance`` at the expected savings and months ``project_goal`` read, with ``goal_one_offs`` as
``project_goal`` calls it (``goal_chance_check.shipped_chances``), the sd recomputed from each month's range sd
(``month_err / month_z`` of the cached row) by each rule. The script first recomputes the shipped sd and rho this way
and refuses to judge unless they equal ``project_goal``'s (the cached ``sd`` and ``rho``) to 1e-6.

Data: the 13 households at every origin (``--stride 1 --max-origins 24``, measure22's reading); FRESH generated seeds
2451-2510 (``goal_chance_check.drawn``; never used before this run) at ``--stride 2 --max-origins 6`` (the machine is
shared by several sessions: load 15-21 on 2 cores when this was written).
ECE = the calibration error of the chance bins (0-0.1, 0.1-0.3, 0.3-0.5, 0.5-0.7, 0.7-0.9, 0.9-1):
``sum_b n_b / N |mean P_b - observed_b|``; worst bin = the largest ``|mean P_b - observed_b|`` of bins with >= 50 goals.

A candidate passes only if ALL hold (c = its chance, pair = the shipped one):
  F1  fresh seeds 2451-2510: Brier(c) <= Brier(pair)
  F2  fresh seeds 2451-2510: ECE(c) <= ECE(pair) + 0.005
  F3  fresh seeds 2451-2510: worst bin(c) <= worst bin(pair) + 0.02
  H1  the 13 households, every origin: Brier(c) <= Brier(pair)
  H2  the 5 real households, every origin: Brier(c) <= Brier(pair) + 0.002
  H3  the 13 households: ECE(c) <= ECE(pair) + 0.005
A ships if it passes; else B if it passes; else ``goal_stats.ACCUMULATION`` stays "pair", the candidates behind the
flag, with these figures written down.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import forecast_households as H
import goal_chance_check as C
import goal_prior_decide as D

from budgetwise.services import goal_stats as S

FRESH = (2451, 2510)
TUNING = (900001, 900030)
HOMES = (1, 24)  # (stride, max origins)
SEEDS = (2, 6)
RULES = ("pair", "scaled", "sums")  # shipped, candidate A, candidate B
INTERVAL = 0.8  # the net forecast's range (goal_chance_check rows are made at forecast_history's default)
TOL_REAL = 0.002
TOL_ECE = 0.005
TUNING_FIGURES = """Brier / ECE (GOALCAL_CACHE=/tmp/fc24-cache, main at bf84a8fc + this branch, load 15-21)
                             pair             A scaled         B sums
8 generated households       0.1398 / 0.0618  0.1358 / 0.0348  0.1390 / 0.0579   (2,077 goals, every origin)
seeds 900001-900030          0.1366 / 0.0644  0.1339 / 0.0613  0.1365 / 0.0620   (2,323 goals)
13 households (seen)         0.1562 / 0.0465  0.1535 / 0.0266  0.1557 / 0.0423   (3,027 goals)
5 real (seen)                0.1919 / 0.0380  0.1924 / 0.0560  0.1920 / 0.0413   (950 goals)
A's median scale 0.79 (narrower): more goals stated >= 0.9 (households 81 -> 247); the seeds' 0.7-0.9 bin
0.80 -> 0.70 came true (over-stated), hence F3."""
MIN_BIN = 50
TOL_BIN = 0.02


def cumulative_sd(s: np.ndarray, rho: float) -> np.ndarray:
    """``goal_stats.savings_path``'s sd at each month end (whole months from the origin on)."""
    c, c2 = np.cumsum(s), np.cumsum(s**2)
    return np.sqrt(np.maximum(c2 + rho * (c**2 - c2), 0.0))


def chances(rows: list[dict]) -> tuple[pd.DataFrame, float]:
    """Every goal with its chance under each rule, and the reading check's largest relative difference."""
    recs, worst = [], 0.0
    for r in rows:
        found = S.goal_one_offs(C.one_off_history(r), forecast=r["fc"], skip=r["skip"], flows=r["known_flows"])
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.nan_to_num(r["month_err"] / r["month_z"])
        acc = {rule: S.accumulation(r["bt"], s, INTERVAL, how=rule) for rule in RULES}
        rho = {rule: acc[rule][0] for rule in RULES}
        worst = max(worst, abs(rho["pair"] - r["rho"]))
        sd = {rule: cumulative_sd(s, rho[rule]) * acc[rule][1] for rule in RULES}
        for g in r["goals"]:
            h = g["h"]
            # the cached sd is project_goal's under the rule shipped when the rows were made ("scaled" since this test)
            worst = max(worst, abs(sd[S.ACCUMULATION][h - 1] - g["sd"]) / max(g["sd"], 1.0))
            need = round(g["x"] * 100) / 100  # the probe goal's target, in cents
            rec = dict(name=r["name"], origin=r["origin"], h=h, kind=g["kind"], hit=bool(g["hit"]),
                       actual=r["cum"][h][0], mean=g["mean"])
            for rule in RULES:
                rec[rule] = S.chance(need, g["mean"], float(sd[rule][h - 1]), months=g["months"], one_offs=found)
                rec[f"sd_{rule}"] = float(sd[rule][h - 1])
                rec[f"rho_{rule}"] = rho[rule]
                rec[f"scale_{rule}"] = acc[rule][1]
            recs.append(rec)
    return pd.DataFrame(recs), worst


def brier(g: pd.DataFrame, key: str) -> float:
    return float(np.mean((g[key].to_numpy(float) - g["hit"].to_numpy(float)) ** 2)) if len(g) else float("nan")


def ece(g: pd.DataFrame, key: str) -> float:
    cut = pd.cut(g[key], C.BINS, right=False)
    return float(sum(len(p) * abs(p[key].mean() - p["hit"].mean()) for _, p in g.groupby(cut, observed=False)
                     if len(p)) / len(g)) if len(g) else float("nan")


def worst_bin(g: pd.DataFrame, key: str) -> float:
    cut = pd.cut(g[key], C.BINS, right=False)
    return max((abs(p[key].mean() - p["hit"].mean()) for _, p in g.groupby(cut, observed=False) if len(p) >= MIN_BIN),
               default=0.0)


def show(title: str, g: pd.DataFrame, *, per_history: bool = False) -> dict[str, tuple[float, float]]:
    out = {rule: (brier(g, rule), ece(g, rule), worst_bin(g, rule)) for rule in RULES}
    print(f"\n{title} ({len(g)} goals, {g[['name', 'origin']].drop_duplicates().shape[0]} origins)")
    for rule in RULES:
        per_h = "  ".join(f"h{h} {brier(g[g['h'] == h], rule):.4f}" for h in C.HORIZONS)
        print(f"   {rule:6s} Brier {out[rule][0]:.4f}  ECE {out[rule][1]:.4f}  worst bin {out[rule][2]:.3f}  mean rho {g[f'rho_{rule}'].mean():.2f}"
              f"  scale {g[f'scale_{rule}'].median():.2f} (median)  ({per_h})")
    for h in C.HORIZONS:  # the spread's own check: z of the h-month sums under each rule (right: sd 1)
        part = g[g["h"] == h].drop_duplicates(["name", "origin"])
        if len(part) >= 2:
            cells = "  ".join(f"{rule} sd z {((part['actual'] - part['mean']) / part[f'sd_{rule}']).std():.2f}"
                              for rule in RULES)
            print(f"   h = {h:2d}: {cells}")
    cut = {rule: pd.cut(g[rule], C.BINS, right=False) for rule in RULES}
    for rule in RULES:
        cells = [f"{p[rule].mean():.2f}->{p['hit'].mean():.2f} ({len(p)})" for _, p in g.groupby(cut[rule], observed=False)
                 if len(p)]
        print(f"   {rule:6s} stated->came true (n): {'  '.join(cells)}")
    if per_history:
        for name, part in g.groupby("name", sort=False):
            print(f"   {name[:30]:30s} " + "  ".join(f"{rule} {brier(part, rule):.4f}" for rule in RULES)
                  + f"  rho {part['rho_pair'].mean():.2f} / sums {part['rho_sums'].mean():.2f}, scale "
                  f"{part['scale_scaled'].median():.2f}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tuning", action="store_true", help="the tuning seeds and the 13 households; no verdict")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not os.environ.get("GOALCAL_FRESH"):
        raise SystemExit("seeds 1341 and above are read with GOALCAL_FRESH=1 (the fresh ones once, pre-registered)")
    homes, w1 = chances(D.rows_of("households", *HOMES, args.workers))
    first, last = TUNING if args.tuning else FRESH
    seeds, w2 = chances(D.rows_of(f"seeds{first}-{last}", *SEEDS, args.workers))
    print(f"reading check (rho and sd recomputed vs project_goal's): {max(w1, w2):.1e}")
    if max(w1, w2) > 1e-6:
        raise SystemExit("the recomputed spread is not project_goal's: no verdict")
    real = {n for n, k, _ in H.households() if k == "real"}
    h = show("the 13 households, every origin", homes, per_history=True)
    r = show("the 5 real households", homes[homes["name"].isin(real)])
    show("the 8 generated households (tuning)", homes[~homes["name"].isin(real)])
    s = show(f"{'tuning' if args.tuning else 'FRESH'} generated seeds {first}-{last}", seeds)
    if args.tuning:
        return 0
    verdict = {}
    for rule in RULES[1:]:
        checks = [
            (f"F1 fresh seeds Brier: {s[rule][0]:.4f} <= {s['pair'][0]:.4f}", s[rule][0] <= s["pair"][0]),
            (f"F2 fresh seeds ECE: {s[rule][1]:.4f} <= {s['pair'][1]:.4f} + {TOL_ECE}",
             s[rule][1] <= s["pair"][1] + TOL_ECE),
            (f"F3 fresh seeds worst bin: {s[rule][2]:.3f} <= {s['pair'][2]:.3f} + {TOL_BIN}",
             s[rule][2] <= s["pair"][2] + TOL_BIN),
            (f"H1 13 households Brier: {h[rule][0]:.4f} <= {h['pair'][0]:.4f}", h[rule][0] <= h["pair"][0]),
            (f"H2 5 real Brier: {r[rule][0]:.4f} <= {r['pair'][0]:.4f} + {TOL_REAL}",
             r[rule][0] <= r["pair"][0] + TOL_REAL),
            (f"H3 13 households ECE: {h[rule][1]:.4f} <= {h['pair'][1]:.4f} + {TOL_ECE}",
             h[rule][1] <= h["pair"][1] + TOL_ECE),
        ]
        print(f"\n{rule}:")
        for name, ok in checks:
            print(f"   {'PASS' if ok else 'FAIL'}  {name}")
        verdict[rule] = all(ok for _, ok in checks)
    ship = next((rule for rule in RULES[1:] if verdict[rule]), "pair")
    print(f"\nverdict: ACCUMULATION = {ship!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
