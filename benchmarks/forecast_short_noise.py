"""How much of "a history above its own best naive guess" is the few points it is scored on (run by hand).

    .venv/bin/python benchmarks/forecast_short_noise.py [--detail] [--oracle 16:100,18:60,24:40] [--first 500001]

Session 23 (fc23, issue #17). Two readings, used data and private seeds only (none of them a pre-registered range):

``--detail``  "gen short 16m" of ``forecast_eval.py``: per outer origin the inner backtest (origins, each
              candidate's mean APE), the weights the shipped rule gives, and every candidate's outer APE next to the
              product's and the two naive guesses'; then a bootstrap of its 3 points.
``--oracle``  the same generator (``forecast_households.synthetic(seed, months, season=0.2)``, noise 0.25) at other
              seeds and lengths. Its expected monthly total is known exactly (rent 1,200 on the 1st + 38.5 x the
              day's level: groceries 0.35 x 80, dining 0.2 x 30, travel 0.01 x 450), so the *oracle* — the best
              forecast any method could make — is scored like the product: its pooled MAPE over the history's outer
              points against the better of the mean of 3 months and the same month last year *picked in hindsight*.
              The share of histories where even the oracle is above 1 is the floor of the count "histories above
              their own best naive guess" at that length; the product's share is printed beside it.
"""

from __future__ import annotations

import argparse
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

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E

SEASON = 0.2
DAILY = 0.35 * 80 + 0.2 * 30 + 0.01 * 450  # expected variable spending per day at level 1
RENT = 1200.0


def expected_months(months: pd.PeriodIndex, season: float = SEASON) -> np.ndarray:
    """The generator's expected total expenses per calendar month (no trend, shift or outliers)."""
    out = []
    for p in months:
        days = pd.date_range(p.start_time, p.end_time.normalize())
        level = 1 + season * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 350) / 365.25)
        out.append(RENT + DAILY * level.sum())
    return np.asarray(out)


def naive_mapes(rows: list[dict], key: str = "product", pred=None) -> dict:
    a = np.concatenate([r["actual"] for r in rows])
    out = {k: FE.mape(FE.ape(np.concatenate([r[k] for r in rows]), a)) for k in ("mean3", "last_year")}
    if pred is not None:
        out[key] = FE.mape(FE.ape(np.concatenate(pred), a))
    return out


def detail() -> None:
    name, _, loader = next(h for h in H.households() if h[0] == "gen short 16m")
    tx = F.parse_transactions(loader())
    runs = FE.household_runs(name, tx, max_origins=24, with_daily=False, refresh=False)
    months = FE.monthly_expenses(tx)
    print(f"== {name}: {len(months)} complete months ({months.index[0]} .. {months.index[-1]}), "
          f"{len(runs)} outer origin(s)")
    print("   totals:", " ".join(f"{v:,.0f}" for v in months.to_numpy()))
    for r in runs:
        run = r["run"]
        sel = E.select(run["records"], run["totals"], run["starts"], FE.HORIZON, config=E.DEFAULT,
                       model_final=run["model_final"], clip=True, memo={})
        ch = sel.choice
        rec = sel.records
        origins = rec["origin_day"].nunique()
        k = len(run["totals"]) - 1
        names = [c for c in E.DEFAULT.candidates if c != "model"]
        fin = E.candidates_at(run["totals"], k, FE.HORIZON, "month", names, winsor=E.DEFAULT.winsor)
        fin["model"] = run["model_final"]
        a = r["actual"]
        w = dict(zip(ch.chosen, ch.weights if ch.weights is not None else [1 / len(ch.chosen)] * len(ch.chosen)))
        print(f"-- origin {r['origin']}: {origins} inner origins, {len(rec)} inner points; actual "
              + " ".join(f"{v:,.0f}" for v in a) + "; oracle " +
              " ".join(f"{v:,.0f}" for v in expected_months(pd.period_range(pd.Period(r['origin'], 'M') + 1,
                                                                             periods=FE.HORIZON, freq='M'))))
        print(f"   {'candidate':10s} {'inner APE':>9s} {'weight':>7s} {'outer APE':>9s}  forecasts")
        for c in sorted(fin, key=lambda c: ch.errors.get(c, np.inf)):
            inner = ch.errors.get(c, np.nan)
            print(f"   {c:10s} {100 * inner:8.1f}% {w.get(c, 0.0):7.3f} {FE.mape(FE.ape(fin[c], a)):8.1f}%  "
                  + " ".join(f"{v:,.0f}" for v in fin[c]))
        prod, _, _ = FE.product(run, E.DEFAULT)
        print(f"   product (thin prior λ = {(12 - origins) / 12 if origins < 12 else 0:.2f}) "
              f"{FE.mape(FE.ape(prod, a)):.1f}%: " + " ".join(f"{v:,.0f}" for v in prod)
              + f"; mean3 {FE.mape(FE.ape(r['mean3'], a)):.1f}%, last_year {FE.mape(FE.ape(r['last_year'], a)):.1f}%")
        # every one of the 3 points: which guess is closer
        pa, ma, la = FE.ape(prod, a), FE.ape(r["mean3"], a), FE.ape(r["last_year"], a)
        print("   per point APE product / mean3 / last_year: "
              + "; ".join(f"{100 * x:.1f} / {100 * y:.1f} / {100 * z:.1f}" for x, y, z in zip(pa, ma, la)))
        rng = np.random.default_rng(0)
        idx = rng.integers(0, len(a), size=(10000, len(a)))
        ratio = np.nanmean(pa[idx], axis=1) / np.minimum(np.nanmean(ma[idx], axis=1), np.nanmean(la[idx], axis=1))
        print(f"   bootstrap of its {len(a)} points (10,000): ratio to the better naive in hindsight above 1 in "
              f"{100 * np.mean(ratio > 1):.0f}%, median {np.median(ratio):.2f}, 90% [{np.quantile(ratio, 0.05):.2f}, "
              f"{np.quantile(ratio, 0.95):.2f}]")


def oracle(spec: str, first: int) -> None:
    seed = first
    print(f"\n== the oracle against the better naive guess in hindsight (synthetic, season {SEASON}, noise 0.25; "
          f"seeds from {first})")
    print(f"   {'months':>6s} {'hist.':>5s} {'origins':>7s} | {'oracle above 1':>14s} {'product above 1':>15s} | "
          f"{'pooled MAPE oracle / product / mean3 / last_year':>48s} | product/oracle (median)")
    for part in spec.split(","):
        m, n = (int(v) for v in part.split(":"))
        o_above = p_above = 0
        kept = 0
        pooled = {"oracle": [], "product": [], "mean3": [], "last_year": [], "actual": []}
        cand: dict[str, list] = {}
        per_ratio = []
        origins = []
        t0 = time.time()
        for _ in range(n):
            tx = F.parse_transactions(H.synthetic(seed, m, season=SEASON))
            runs = FE.household_runs(f"oracle {seed} {m}", tx, max_origins=24, with_daily=False, refresh=False)
            seed += 1
            if not runs:
                continue
            kept += 1
            origins.append(len(runs))
            prods, orcs = [], []
            for r in runs:
                prods.append(FE.product(r["run"], E.DEFAULT)[0])
                run = r["run"]
                names = [c for c in E.DEFAULT.candidates if c != "model"]
                fin = E.candidates_at(run["totals"], len(run["totals"]) - 1, FE.HORIZON, "month", names,
                                      winsor=E.DEFAULT.winsor)
                fin["model"] = run["model_final"]
                for c, v in fin.items():
                    cand.setdefault(c, []).append(FE.ape(np.maximum(v, 0.0), r["actual"]))
                orcs.append(expected_months(pd.period_range(pd.Period(r["origin"], "M") + 1, periods=FE.HORIZON,
                                                            freq="M")))
            a = np.concatenate([r["actual"] for r in runs])
            e = {"oracle": FE.ape(np.concatenate(orcs), a), "product": FE.ape(np.concatenate(prods), a),
                 "mean3": FE.ape(np.concatenate([r["mean3"] for r in runs]), a),
                 "last_year": FE.ape(np.concatenate([r["last_year"] for r in runs]), a)}
            best = min(FE.mape(e["mean3"]), FE.mape(e["last_year"]))
            o_above += FE.mape(e["oracle"]) > best
            p_above += FE.mape(e["product"]) > best
            per_ratio.append(FE.mape(e["product"]) / FE.mape(e["oracle"]))
            for k2, v in e.items():
                pooled[k2].append(v)
        pm = {k2: FE.mape(np.concatenate(v)) for k2, v in pooled.items() if k2 != "actual" and v}
        print(f"   {m:6d} {kept:5d} {np.median(origins) if origins else 0:7.0f} | {o_above:5d} ({100 * o_above / max(kept, 1):3.0f}%)"
              f"  {p_above:6d} ({100 * p_above / max(kept, 1):3.0f}%)   | "
              f"{pm.get('oracle', np.nan):10.1f}% {pm.get('product', np.nan):7.1f}% {pm.get('mean3', np.nan):7.1f}% "
              f"{pm.get('last_year', np.nan):7.1f}%       | {np.median(per_ratio) if per_ratio else np.nan:.2f} "
              f"({time.time() - t0:.0f} s)", flush=True)
        print("          each candidate alone, pooled MAPE: "
              + ", ".join(f"{c} {FE.mape(np.concatenate(v)):.1f}%" for c, v in cand.items()), flush=True)


def main() -> int:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--detail", action="store_true")
    ap.add_argument("--oracle", default="")
    ap.add_argument("--first", type=int, default=500001)
    args = ap.parse_args()
    if args.detail:
        detail()
    if args.oracle:
        oracle(args.oracle, args.first)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
