"""Pre-registered test (session 27, goal27, issue #17): a gap month is not a one-off shortfall of a goal's chance.
Run ONCE on the fresh seeds; the rule below was committed before that run (prints figures and a verdict).

    GOALCAL_FRESH=1 .venv/bin/python benchmarks/goal_gap_decide.py --seeds 905101-905104   # dry runs (905101+ only)
    GOALCAL_FRESH=1 .venv/bin/python benchmarks/goal_gap_decide.py --decide                # THE one run, 2991-3050

A gap month is a calendar month without any income or expense row of the user (``forecast.gaps.data_months``, whose
rule is ``goal_stats.months_with_data`` on the month's gross activity; ``ForecastResult.empty_months``). Its net
savings read 0, and ``goal_stats.one_off_shortfalls`` counted it as a month looked at and, when its neighbours
saved, as a one-off shortfall, which lowers the chance. New (``goal_stats.ONE_OFF_SKIP_GAPS``): gap months are left out
of the one-off detection (neither a shortfall nor a month looked at; a month's neighbours are the months with data).
The forecast is unchanged (``gaps.FILL`` stays off), so old and new differ only in the one-off term of the chance.

Histories: ``forecast_gap_check.gapped(seed)`` (generated households of 24-40 months, structure drawn per seed; 1-4
random whole months deleted, or with chance 0.3 one run of 2-3). Goals: ``goal_chance_check.origin_rows`` (the app's
24-month net forecast at rolling origins, ``--stride 2 --max-origins 6``; goals "save X by the end of month h" for h
3, 6, 12 at the forecast's quantiles and at 0.5/1/1.5 x the recent mean). A goal whose outcome window (the h months
after the origin) holds a deleted month is NOT scored: its outcome is unknown (the money of a missing month is not 0).
Chances: ``goal_stats.chance`` at ``project_goal``'s mean, sd and months, with ``goal_one_offs`` as ``project_goal``
calls it, old = ``has_data`` not given (gaps read as 0), new = the row's ``empty_months`` skipped. Every other
``goal_stats`` flag as shipped.

PRE-REGISTERED CRITERIA (the change stays the default only if ALL hold on fresh seeds 2991-3050; else
``ONE_OFF_SKIP_GAPS`` is set False and the code stays behind it):
  G1  Brier(new) <= Brier(old), all scored goals
  G2  calibration not worse: ECE(new) <= ECE(old) + 0.005, and |mean chance - share of goals met| (new) <= the same
      for old + 0.005 (ECE over bins 0-0.1, 0.1-0.3, 0.3-0.5, 0.5-0.7, 0.7-0.9, 0.9-1, as goal_sum_decide.py)
  G3  on histories without gaps identical: every goal at an origin whose history holds no gap month has exactly the
      same chance under old and new (bitwise), and there is at least one such goal
Also printed (not criteria): the goals at origins with a gap in the history, Brier / ECE / mean chance vs share met.

RESULT (the one run, 08:47-09:03 UTC, after commit 8ee0678b; load 13-17): 60 histories, 352 origins, 2,906 goals
scored (share met 0.457); shortfalls counted at gap origins 161 -> 129. G1 Brier 0.1502 -> 0.1496 PASS; G2 ECE
0.0355 -> 0.0344, |mean - met| 0.0033 -> 0.0055 (<= 0.0083) PASS; G3 375 goals at origins without a gap identical
PASS. At origins with a gap (2,531 goals): Brier 0.1491 -> 0.1484, ECE 0.0456 -> 0.0444, |mean - met| 0.0128 ->
0.0103. Verdict: PASS, ``ONE_OFF_SKIP_GAPS`` stays True (docs/history/forecasting.md, session 27, goal27).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import forecast_gap_check as GC
import goal_chance_check as C
from goal_sum_decide import brier, ece

from budgetwise.services import goal_stats as S

FRESH = (2991, 3050)
STRIDE, MAX_ORIGINS = 2, 6
TOL = 0.005


def rows_of(seed: int) -> list[dict]:
    """The origin rows of one gapped history, each with its deleted months and the forecast's empty months."""
    warnings.filterwarnings("ignore")
    name, tx, gone = GC.gapped(seed)
    rows = C.origin_rows(name, tx, STRIDE, MAX_ORIGINS)
    for r in rows:
        r["gone"] = gone
    return rows


def chances(rows: list[dict]) -> pd.DataFrame:
    recs = []
    for r in rows:
        hist = C.one_off_history(r)
        empty = set(r.get("empty", ()))
        has_data = [d not in empty for d in pd.to_datetime(hist["ds"]).dt.date]
        kw = dict(forecast=r["fc"], skip=r["skip"], flows=r["known_flows"])
        old = S.goal_one_offs(hist, **kw)
        new = S.goal_one_offs(hist, **kw, has_data=has_data)
        origin = pd.Period(r["origin"], freq="M")
        for g in r["goals"]:
            window = {origin + k for k in range(1, g["h"] + 1)}
            if window & r["gone"]:
                continue  # the outcome holds a deleted month: unknown
            need = round(g["x"] * 100) / 100
            recs.append(dict(name=r["name"], origin=r["origin"], h=g["h"], hit=bool(g["hit"]), gap=bool(empty),
                             old=S.chance(need, g["mean"], g["sd"], months=g["months"], one_offs=old),
                             new=S.chance(need, g["mean"], g["sd"], months=g["months"], one_offs=new),
                             shortfalls_old=len(old.sizes), shortfalls_new=len(new.sizes)))
    return pd.DataFrame(recs)


def gap_of_means(g: pd.DataFrame, key: str) -> float:
    return abs(float(g[key].mean()) - float(g["hit"].mean()))


def show(title: str, g: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    out = {k: (brier(g, k), ece(g, k), gap_of_means(g, k)) for k in ("old", "new")}
    print(f"\n{title}: {len(g)} goals, {g[['name', 'origin']].drop_duplicates().shape[0]} origins, share met "
          f"{g['hit'].mean():.3f}" if len(g) else f"\n{title}: no goals")
    for k in ("old", "new"):
        if len(g):
            print(f"   {k}: Brier {out[k][0]:.4f}  ECE {out[k][1]:.4f}  mean chance {g[k].mean():.3f}  "
                  f"|mean - met| {out[k][2]:.4f}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="905101-905104")
    ap.add_argument("--decide", action="store_true", help="THE one run on the fresh seeds 2991-3050")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not os.environ.get("GOALCAL_FRESH"):
        raise SystemExit("set GOALCAL_FRESH=1 (the fresh seeds are read once, pre-registered)")
    first, last = FRESH if args.decide else (int(x) for x in args.seeds.split("-"))
    if not args.decide and first < 905101:
        raise SystemExit("tuning and dry runs on seeds 905101 and above only")
    with ProcessPoolExecutor(args.workers) as pool:
        rows = [r for part in pool.map(rows_of, range(first, last + 1)) for r in part]
    g = chances(rows)
    print(f"seeds {first}-{last}: {len({r['name'] for r in rows})} histories, {len(rows)} origins; shortfalls counted "
          f"at gap origins old / new: {g[g['gap']].drop_duplicates(['name', 'origin'])['shortfalls_old'].sum()} / "
          f"{g[g['gap']].drop_duplicates(['name', 'origin'])['shortfalls_new'].sum()}")
    a = show("all scored goals", g)
    show("goals at origins with a gap month in the history", g[g["gap"]])
    clean = g[~g["gap"]]
    show("goals at origins without one", clean)
    same = bool(len(clean)) and bool((clean["old"].to_numpy() == clean["new"].to_numpy()).all())
    checks = [
        (f"G1 Brier {a['new'][0]:.4f} <= {a['old'][0]:.4f}", a["new"][0] <= a["old"][0]),
        (f"G2 ECE {a['new'][1]:.4f} <= {a['old'][1]:.4f} + {TOL}; |mean - met| {a['new'][2]:.4f} <= "
         f"{a['old'][2]:.4f} + {TOL}", a["new"][1] <= a["old"][1] + TOL and a["new"][2] <= a["old"][2] + TOL),
        (f"G3 without gaps identical ({len(clean)} goals)", same),
    ]
    for name, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {name}")
    passed = all(ok for _, ok in checks)
    print(f"\nverdict{'' if args.decide else ' (dry run, not a decision)'}: "
          f"{'PASS: ONE_OFF_SKIP_GAPS stays True' if passed else 'FAIL: ONE_OFF_SKIP_GAPS = False'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
