"""The shape behind a calibrated range, and its pre-registered test (session 20, fcwidth, issue #17).

    .venv/bin/python benchmarks/forecast_shape_check.py [--workers 2]            # tuning data only (measure)
    FCWIDTH_FRESH=1 .venv/bin/python benchmarks/forecast_shape_check.py --decide  # ONCE: the pre-registered test

Where a whole distribution is read off the calibrated 80% range (a goal's chance: ``goal_stats.probability_of_reaching``
with sd = the 80% half-width / 1.2816; the Forecast page's own 50-98% ranges are conformal at that level and do not
use a shape), is the normal right? Session 18 found the centre too wide (61-68% inside the 50% range). Data: the
rolling origins of ``goal_chance_check`` (net savings, 24 months ahead; goals "save X by month h", h 3/6/12). Per
origin: the monthly errors ``month_z`` (months 1-12, in the normal units the 80% range implies) and the cumulative
ones at 3/6/12 months (``cum``: actual, mean, sd); per goal the app's chance (``project_goal``, one-off shortfalls
on, as shipped) under each shape of ``conformal.range_sf`` (``RANGE_SHAPE``; every shape has the same 80% range).
Printed per shape: coverage of the central 50/80/95% ranges (monthly by horizon, cumulative by h), the PIT histogram
(deciles), CRPS (z units, numerically), the goals' Brier score pooled, by h and per history, and on the households a
leave-one-household-out choice of the shape.

PRE-REGISTERED TEST (``--decide``; written and committed before any run on seeds 1701-1760, never used before):
  Tuning (chooses the candidate, by a fixed rule): the 13 households (``--stride 2 --max-origins 12``) and seeds
  841-860 (``--stride 2 --max-origins 6``). Candidate = the shape among CANDIDATES (Student-t with 1.5, 2, 3, 4, 6
  degrees of freedom; Laplace) with the lowest pooled goal Brier score on the tuning data (households and seeds
  together).
  Fresh: seeds 1701-1760 (``--stride 2 --max-origins 6``). Shipped: ``RANGE_SHAPE = "normal"``. The candidate becomes
  the default only if ALL hold on the fresh seeds, pooled:
    C1  goals' Brier(candidate) < Brier(normal)
    C2  the cumulative savings at 3, 6 and 12 months pooled: inside the candidate's central 50% range 42-58%
    C3  ... inside its central 95% range 90-98%
    C4  ... CRPS (z units) of the candidate <= the normal's
    C5  ... inside the 80% range within 1 point of the normal's (the same range by construction: a check)
    C6  the goals each shape puts at >= 0.9: (mean P - observed) of the candidate <= the normal's + 0.02
    C7  the 5 real households (tuning data, a guard): Brier(candidate) <= Brier(normal) + 0.002
  Otherwise ``conformal.RANGE_SHAPE`` ships "normal" (the candidate stays behind the flag) with the figures written
  down.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import forecast_households as H
import goal_chance_check as C
from scipy.special import ndtr, stdtr, stdtrit

from budgetwise.ratios import Z80
from budgetwise.services.forecast import conformal as K

SHAPES = [("normal", None), ("t", 1.5), ("t", 2.0), ("t", 3.0), ("t", 4.0), ("t", 6.0), ("laplace", None)]
CANDIDATES = SHAPES[1:]
TUNING = [("households", 2, 12), ("seeds841-860", 2, 6)]
FRESH = ("seeds1701-1760", 2, 6)
CACHE = Path(os.environ.get("FCWIDTH_CACHE") or Path(tempfile.gettempdir()) / "fcwidth-shape-cache")
VERSION = 1
LEVELS = (0.5, 0.8, 0.95)


def label(shape: tuple[str, float | None]) -> str:
    return shape[0] if shape[1] is None else f"{shape[0]}{shape[1]:g}"


def sf(z: np.ndarray, shape: tuple[str, float | None]) -> np.ndarray:
    """Vectorised ``conformal.range_sf``."""
    z = np.asarray(z, dtype=float)
    kind, df = shape
    if kind == "normal":
        return ndtr(-z)
    if kind == "t":
        return stdtr(df, -z * float(stdtrit(df, 0.9)) / Z80)
    u = z * K._LN5 / Z80
    return np.where(u >= 0, 0.5 * np.exp(-np.abs(u)), 1.0 - 0.5 * np.exp(-np.abs(u)))


def half_width(level: float, shape: tuple[str, float | None]) -> float:
    """The central ``level`` range's half-width (z units) under ``shape``."""
    lo, hi = 0.0, 200.0
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sf(np.array([mid]), shape)[0] > (1 - level) / 2 else (lo, mid)
    return (lo + hi) / 2


def crps(z: np.ndarray, shape: tuple[str, float | None]) -> float:
    """Mean CRPS of outcomes ``z`` under ``shape`` (z units), on a grid."""
    grid = np.linspace(-40, 40, 4001)
    cdf = 1.0 - sf(grid, shape)
    step = grid[1] - grid[0]
    out = [np.sum((cdf - (grid >= v)) ** 2) * step for v in np.clip(z, -39, 39)]
    return float(np.mean(out)) if out else np.nan


# --------------------------------------------------------------------------- rows
def shaped_rows(group: str, name: str, stride: int, max_origins: int) -> tuple[str, list[dict]]:
    """``goal_chance_check.origin_rows`` with each goal's chance (one-off shortfalls on) under every shape."""
    warnings.filterwarnings("ignore")
    key = hashlib.sha1(pickle.dumps((VERSION, C.VERSION, name, stride, max_origins))).hexdigest()[:16]
    path = CACHE / f"{key}.pkl"
    if path.exists():
        return name, pickle.loads(path.read_bytes())
    t = time.process_time()
    extra: list[dict] = []
    original = C.app_chance

    def app_chance(g, net, one_offs: bool) -> float:
        if one_offs:
            got = {}
            for shape in SHAPES:
                saved = K.RANGE_SHAPE, K.RANGE_DF
                K.RANGE_SHAPE, K.RANGE_DF = shape[0], shape[1] or K.RANGE_DF
                try:
                    got[label(shape)] = original(g, net, True)
                finally:
                    K.RANGE_SHAPE, K.RANGE_DF = saved
            extra.append(got)
        return original(g, net, one_offs)

    C.app_chance = app_chance
    try:
        rows = C.origin_rows(name, dict(C.group_histories(group))[name](), stride, max_origins)
    finally:
        C.app_chance = original
    it = iter(extra)
    for r in rows:
        for g in r["goals"]:
            g["shape_p"] = next(it)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(rows))
    print(f"   {name}: {len(rows)} origins, {time.process_time() - t:.0f} s CPU", flush=True)
    return name, rows


def group_rows(group: str, stride: int, max_origins: int, workers: int) -> list[dict]:
    items = C.group_histories(group)
    with ProcessPoolExecutor(workers) as pool:
        done = dict(pool.map(shaped_rows, [group] * len(items), [n for n, _ in items], [stride] * len(items),
                             [max_origins] * len(items)))
    return [r for n, _ in items for r in done[n]]


def goals(rows: list[dict]) -> pd.DataFrame:
    recs = []
    for r in rows:
        for g in r["goals"]:
            rec = {"name": r["name"], "h": g["h"], "hit": float(g["hit"])}
            rec.update({f"p_{k}": v for k, v in g["shape_p"].items()})
            recs.append(rec)
    return pd.DataFrame(recs)


def cum_z(rows: list[dict], hs=C.HORIZONS) -> np.ndarray:
    c = np.array([r["cum"][h] for r in rows for h in hs if h in r["cum"]])
    return (c[:, 0] - c[:, 1]) / c[:, 2] if len(c) else np.array([])


def month_z(rows: list[dict], first: int, last: int) -> np.ndarray:
    parts = [np.asarray(r["month_z"][first - 1 : last], dtype=float) for r in rows]
    z = np.concatenate(parts) if parts else np.array([])
    return z[np.isfinite(z)]


# --------------------------------------------------------------------------- figures
def shape_stats(z: np.ndarray, shape) -> dict:
    out = {f"in{int(lv * 100)}": float(np.mean(np.abs(z) < half_width(lv, shape))) for lv in LEVELS}
    out["crps"] = crps(z, shape)
    pit = 1.0 - sf(z, shape)
    out["pit"] = np.histogram(pit, bins=np.linspace(0, 1, 11))[0] / max(1, len(z))
    return out


def coverage_table(title: str, z: np.ndarray) -> None:
    print(f"\n-- {title} (n {len(z)}): inside the central 50/80/95% range, CRPS (z units), PIT deciles (x100)")
    for shape in SHAPES:
        s = shape_stats(z, shape)
        pit = " ".join(f"{v * 100:3.0f}" for v in s["pit"])
        print(f"   {label(shape):8s} {s['in50']:6.3f} {s['in80']:6.3f} {s['in95']:6.3f}  {s['crps']:.4f}   {pit}")


def brier(g: pd.DataFrame, col: str) -> float:
    return float(np.mean((g[col] - g["hit"]) ** 2)) if len(g) else np.nan


def brier_table(title: str, g: pd.DataFrame) -> None:
    print(f"\n-- goals' Brier: {title} ({len(g)} goals); >= 0.9: n, mean P - observed")
    for shape in SHAPES:
        col = f"p_{label(shape)}"
        hi = g[g[col] >= 0.9]
        by_h = " ".join(f"h{h} {brier(g[g['h'] == h], col):.4f}" for h in C.HORIZONS)
        gap = (hi[col].mean() - hi["hit"].mean()) if len(hi) else np.nan
        print(f"   {label(shape):8s} {brier(g, col):.4f}  ({by_h})  >=0.9: {len(hi):5d} {gap:+.3f}")


def per_history(rows: list[dict], shape) -> None:
    print(f"\n-- per history: normal vs {label(shape)} (cumulative z: inside 50% / 95%; goals' Brier)")
    g = goals(rows)
    for name in dict.fromkeys(r["name"] for r in rows):
        part = [r for r in rows if r["name"] == name]
        z = cum_z(part)
        n0, n1 = shape_stats(z, SHAPES[0]), shape_stats(z, shape)
        gg = g[g["name"] == name]
        print(f"   {name[:30]:30s} n {len(z):3d}  50%: {n0['in50']:.2f} -> {n1['in50']:.2f}  95%: {n0['in95']:.2f} -> "
              f"{n1['in95']:.2f}  Brier {brier(gg, 'p_normal'):.3f} -> {brier(gg, 'p_' + label(shape)):.3f}")


def loho(rows: list[dict]) -> None:
    """Leave-one-household-out: the shape with the lowest Brier on the other households, scored on the one left out."""
    g = goals(rows)
    held, chosen = [], []
    for name in g["name"].unique():
        rest, one = g[g["name"] != name], g[g["name"] == name]
        best = min(CANDIDATES + [SHAPES[0]], key=lambda s: brier(rest, f"p_{label(s)}"))
        chosen.append(label(best))
        held.append(((one[f"p_{label(best)}"] - one["hit"]) ** 2).to_numpy())
    print(f"\n-- leave-one-household-out shape choice: {pd.Series(chosen).value_counts().to_dict()}; held-out Brier "
          f"{np.mean(np.concatenate(held)):.4f} (normal {brier(g, 'p_normal'):.4f})")


def report(title: str, rows: list[dict], *, histories: bool) -> None:
    print(f"\n===== {title}: {len({r['name'] for r in rows})} histories, {len(rows)} origins")
    for first, last in ((1, 1), (2, 3), (4, 12)):
        coverage_table(f"monthly net savings, months {first}-{last} ahead", month_z(rows, first, last))
    for h in C.HORIZONS:
        coverage_table(f"cumulative savings at {h} months", cum_z(rows, (h,)))
    coverage_table("cumulative savings at 3, 6 and 12 months pooled", cum_z(rows))
    g = goals(rows)
    brier_table("pooled", g)
    if histories:
        loho(rows)


def choose(rows: list[dict]) -> tuple[str, float | None]:
    g = goals(rows)
    return min(CANDIDATES, key=lambda s: brier(g, f"p_{label(s)}"))


def decide(workers: int) -> int:
    if not os.environ.get("FCWIDTH_FRESH"):
        raise SystemExit("the fresh seeds are for the pre-registered test only (set FCWIDTH_FRESH=1)")
    tuning = [r for grp, st, mo in TUNING for r in group_rows(grp, st, mo, workers)]
    cand = choose(tuning)
    real = {n for n, k, _ in H.households() if k == "real"}
    real_rows = [r for r in tuning if r["name"] in real]
    print(f"tuning: {len(tuning)} origins; candidate (lowest pooled Brier): {label(cand)}")
    brier_table("tuning pooled", goals(tuning))
    fresh = group_rows(*FRESH, workers)
    report(f"FRESH {FRESH[0]}", fresh, histories=False)
    per_history(fresh, cand)
    g, z = goals(fresh), cum_z(fresh)
    n0, n1 = shape_stats(z, SHAPES[0]), shape_stats(z, cand)
    col = f"p_{label(cand)}"
    hi0, hi1 = g[g["p_normal"] >= 0.9], g[g[col] >= 0.9]
    gap0 = hi0["p_normal"].mean() - hi0["hit"].mean() if len(hi0) else 0.0
    gap1 = hi1[col].mean() - hi1["hit"].mean() if len(hi1) else 0.0
    gr = goals(real_rows)
    checks = [
        ("C1 Brier lower", brier(g, col) < brier(g, "p_normal"), f"{brier(g, 'p_normal'):.4f} -> {brier(g, col):.4f}"),
        ("C2 50% inside 42-58%", 0.42 <= n1["in50"] <= 0.58, f"{n0['in50']:.3f} -> {n1['in50']:.3f}"),
        ("C3 95% inside 90-98%", 0.90 <= n1["in95"] <= 0.98, f"{n0['in95']:.3f} -> {n1['in95']:.3f}"),
        ("C4 CRPS not worse", n1["crps"] <= n0["crps"], f"{n0['crps']:.4f} -> {n1['crps']:.4f}"),
        ("C5 80% within 1 point", abs(n1["in80"] - n0["in80"]) <= 0.01, f"{n0['in80']:.3f} -> {n1['in80']:.3f}"),
        ("C6 >=0.9 gap", gap1 <= gap0 + 0.02, f"{len(hi0)} {gap0:+.3f} -> {len(hi1)} {gap1:+.3f}"),
        ("C7 real households", brier(gr, col) <= brier(gr, "p_normal") + 0.002,
         f"{brier(gr, 'p_normal'):.4f} -> {brier(gr, col):.4f}"),
    ]
    print(f"\n===== verdict for {label(cand)}")
    for name, ok, fig in checks:
        print(f"   {name:24s} {'PASS' if ok else 'FAIL'}  {fig}")
    print("PASS: ship the candidate" if all(ok for _, ok, _ in checks) else "FAIL: RANGE_SHAPE stays normal")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decide", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.decide:
        return decide(args.workers)
    for grp, st, mo in TUNING:
        rows = group_rows(grp, st, mo, args.workers)
        report(grp, rows, histories=grp == "households")
        if grp == "households":
            per_history(rows, choose(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
