"""Weekly candidates that know the recurring payments (``Config.week_known``), the decision test of session 16
(helper wkfix, issue #17; run by hand; prints figures and each criterion's pass/fail).

    .venv/bin/python benchmarks/forecast_weekly_known.py --groups households,seeds941-1000 --outer   # exploration
    .venv/bin/python benchmarks/forecast_weekly_known.py --groups households,seeds1141-1200 --outer --speed  # test

Pre-registered in docs/forecasting.md ("Session 16 ... weekly candidates that know the recurring payments (wkfix)")
before any run on seeds 1141-1200. Weekly total expenses of every history (``forecast_short_check.fresh`` for seeds,
the 13 households of ``forecast_eval.py``); the figures of ``forecast_weekly_bias.py`` (session 15): the backtest each
forecast shows (bias, WAPE, ratio to the best naive guess, 80% coverage, 4-week totals, width), the final weekly
forecast per month over the monthly forecast's first month, and the final forecasts at 4 outer cuts 8 weeks apart.

The outer cuts differ from session 15's in one way, stated before the test: each cut's history ends at the cut (the
end of a complete week; ``as_of`` = that day), so the 8 forecast weeks are whole future weeks. Session 15 cut the
transactions at the week's end but let the history end at the last transaction, a few days earlier: the page then
forecasts "observed so far + the rest of the week" for days that, in the benchmark's truth, had no transactions
(its week 1 was +18% high for that reason).
"""

from __future__ import annotations

import argparse
import copy
import os
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

import forecast_households as H
import forecast_series_check as SE
import forecast_weekly_bias as WB

from budgetwise.services import forecast as F
from budgetwise.services.forecast import backtest
from budgetwise.services.forecast import ensemble as E

D = E.DEFAULT
OFF = replace(D, week_known=False)  # the rule shipped before session 16
K = replace(D, week_known=True)  # the candidate (pre-registered)
OFF_NAME, K_NAME = "shipped (off)", "K: candidates know the recurring payments"
SESSION = {OFF_NAME: OFF, K_NAME: K}
# exploration on used groups only (households, seeds 941-1000): K alone, and K with session 15's weekly mean level
EXPLORE = {**SESSION, "K + weekly mean level, prior 2": replace(K, week_level_prior=2.0)}


def _finals(tx: pd.DataFrame, rules: dict[str, E.Config], ahead: int, as_of) -> dict[str, pd.DataFrame]:
    """The final forecast (``ahead`` weeks) with each rule from a history ending at ``as_of`` (the app's code path)."""
    hist = F.history_from_frame(tx, as_of=as_of)  # as_of None: the last transaction
    ctx, _ = F._prepare(hist, "week", ahead)
    flows = F._frame_flow_provider(hist)(F.flow_dates(hist, freq="week", horizon=ahead))
    run = F._run_series(ctx, F._selection(hist, F.SERIES_EXPENSES), flows, ahead)
    memo: dict = {}
    out = {}
    for r, c in rules.items():
        chosen = backtest._choose_methods(copy.copy(run), ctx, config=c, memo=memo)
        out[r] = F._finish(chosen, ctx, series=F.SERIES_EXPENSES, label="", horizon=ahead, interval=SE.INTERVAL,
                           clip=True, notes=[]).forecast
    return out


def outer(group: str, rules: dict[str, E.Config], cuts: int = 4, ahead: int = 8) -> dict[str, dict]:
    """Each history cut at the end of ``cuts`` complete weeks, ``ahead`` weeks apart, counted back from its last
    complete week (the history ends at the cut: whole future weeks); the final ``ahead``-week forecast from each cut
    against the weeks that followed. Per history (weighed equally): bias ``sum(f - a) / sum a``, 80% coverage, the
    4-week totals (weeks 1-4 of each cut) bias / WAPE."""
    per: dict[str, list[dict]] = {r: [] for r in rules}
    for _, tx in WB.histories(group):
        try:
            weeks = F.forecast_frame(tx, freq="week", horizon=1).history
        except (F.NotEnoughHistory, ValueError):
            continue
        actual = dict(zip(weeks["ds"], weeks["y"]))
        got: dict[str, list[tuple[float, float, bool, int]]] = {r: [] for r in rules}
        for c in range(1, cuts + 1):
            k = len(weeks) - 1 - c * ahead
            if k < 2 * F.MIN_HISTORY["week"]:
                continue
            as_of = weeks["ds"].iloc[k] + pd.Timedelta(days=6)
            as_of = as_of.date() if hasattr(as_of, "date") else as_of
            try:
                finals = _finals(tx[tx["date"] <= pd.Timestamp(as_of)], rules, ahead, as_of)
            except (F.NotEnoughHistory, ValueError):
                continue
            for r, fc in finals.items():
                for i, row in enumerate(fc.itertuples()):
                    if row.ds in actual:
                        a = actual[row.ds]
                        got[r].append((row.yhat, a, row.yhat_lower <= a <= row.yhat_upper, c * 100 + (i < 4)))
        for r, v in got.items():
            if not v:
                continue
            f, a = np.array([x[0] for x in v]), np.array([x[1] for x in v])
            tot = a.sum()
            four = pd.DataFrame([(x[3], x[0], x[1]) for x in v if x[3] % 100 == 1], columns=["cut", "f", "a"])
            g = four.groupby("cut").sum()
            t4 = g["a"].sum()
            per[r].append({"bias": (f - a).sum() / tot if tot else np.nan, "cover": float(np.mean([x[2] for x in v])),
                           "bias4": (g["f"] - g["a"]).sum() / t4 if t4 else np.nan,
                           "wape4": (g["f"] - g["a"]).abs().sum() / t4 if t4 else np.nan})
    out = {}
    print(f"   outer cuts ({cuts} x {ahead} weeks, whole future weeks), {group}:")
    for r, v in per.items():
        out[r] = {k: float(np.nanmean([x[k] for x in v])) for k in ("bias", "cover", "bias4", "wape4")}
        print(f"      {r:42s} bias {out[r]['bias']:+6.1%}  cover {out[r]['cover']:5.1%}  4-week totals: bias "
              f"{out[r]['bias4']:+6.1%} WAPE {out[r]['wape4']:5.1%}  ({len(v)} histories)", flush=True)
    return out


def year_ratio(group: str, rules: dict[str, E.Config]) -> dict[str, float]:
    """Whether the weekly view agrees with the monthly one: per history, the final weekly forecasts of whole weeks
    2-53 per day (week 1 may be partly observed) over the final monthly forecasts of whole months 2-13 per day (the
    shipped monthly rule); the median over histories. A year holds about as many first-of-the-months (rent days) in
    both; session 15's 3-week figure (``weekly/monthly``) counts one rent week in three weeks as a month's rate."""
    got: dict[str, list[float]] = {r: [] for r in rules}
    for _, tx in WB.histories(group):
        try:
            month = F.forecast_frame(tx, series=F.SERIES_EXPENSES, freq="month", horizon=13, interval=SE.INTERVAL)
            finals = _finals(tx, rules, 53, None)
        except (F.NotEnoughHistory, ValueError):
            continue
        m = month.forecast.iloc[1:13]
        days = sum((pd.Timestamp(d) + pd.offsets.MonthBegin(1) - pd.Timestamp(d)).days for d in m["ds"])
        per_day_month = float(m["yhat"].sum()) / days
        if per_day_month <= 0:
            continue
        for r, fc in finals.items():
            got[r].append(float(fc["yhat"].iloc[1:53].sum()) / 364 / per_day_month)
    out = {r: float(np.median(v)) for r, v in got.items()}
    print(f"   weekly per day (weeks 2-53) / monthly per day (months 2-13), median over histories, {group}: "
          + ", ".join(f"{r}: {v:.3f}" for r, v in out.items()), flush=True)
    return out


def criteria(res: dict[str, dict[str, dict]], seeds: str) -> list[bool]:
    """The pre-registered criteria 1-7 (docs/forecasting.md, session 16, wkfix); 8 = ``--speed``, 9 = monthly."""
    s, w = OFF_NAME, K_NAME
    out = []
    for g in (seeds, "households"):
        if g not in res:
            continue
        r = res[g]
        tag = "7 (households, as 1-6)" if g == "households" else ""
        out.append((f"{tag or 1}. {g}: |bias| {abs(r[w]['bias']):.1%} <= half of off's {abs(r[s]['bias']):.1%}",
                    abs(r[w]["bias"]) <= 0.5 * abs(r[s]["bias"])))
        out.append((f"{tag or 2}. {g}: WAPE {r[w]['wape']:.1%} <= {r[s]['wape']:.1%}; ratio {r[w]['ratio']:.3f} <= "
                    f"{r[s]['ratio']:.3f}; above their best naive guess {r[w]['above']} <= {r[s]['above']}",
                    r[w]["wape"] <= r[s]["wape"] and r[w]["ratio"] <= r[s]["ratio"] and r[w]["above"] <= r[s]["above"]))
        out.append((f"{tag or 3}. {g}: 4-week totals |bias| {abs(r[w]['bias4']):.1%} <= half of off's "
                    f"{abs(r[s]['bias4']):.1%}; WAPE {r[w]['wape4']:.1%} <= {r[s]['wape4']:.1%}",
                    abs(r[w]["bias4"]) <= 0.5 * abs(r[s]["bias4"]) and r[w]["wape4"] <= r[s]["wape4"]))
        out.append((f"{tag or 4}. {g}: cover {r[w]['cover']:.1%} within 72-88%; lower bounds < 0: {r[w]['neg']}; "
                    f"median width {r[w]['width']:.2f} <= {WB.MAX_WIDTH}",
                    WB.COVER[0] <= r[w]["cover"] <= WB.COVER[1] and r[w]["neg"] == 0 and r[w]["width"] <= WB.MAX_WIDTH))
        if "outer" in r:
            o = r["outer"]
            out.append((f"{tag or 5}. {g}, final forecasts at outer cuts (whole weeks): |bias| {abs(o[w]['bias']):.1%}"
                        f" <= off's {abs(o[s]['bias']):.1%}; 4-week WAPE {o[w]['wape4']:.1%} <= {o[s]['wape4']:.1%} + "
                        f"{WB.WAPE4_TOL:.0%}; cover {o[w]['cover']:.1%} within 72-88%",
                        abs(o[w]["bias"]) <= abs(o[s]["bias"]) and o[w]["wape4"] <= o[s]["wape4"] + WB.WAPE4_TOL
                        and WB.COVER[0] <= o[w]["cover"] <= WB.COVER[1]))
        if "year" in r:
            y = r["year"][w]
            out.append((f"{tag or 6}. {g}: weekly per day (weeks 2-53) / monthly per day (months 2-13), median "
                        f"{y:.3f} within {WB.MONTH_BAND} (off: {r['year'][s]:.3f})",
                        WB.MONTH_BAND[0] <= y <= WB.MONTH_BAND[1]))
    print("\ncriteria (session 16, wkfix; 8 = --speed; 9 = forecast_eval.py --quick shipped table, monthly identical):")
    for text, ok in out:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")
    return [ok for _, ok in out]


def categories_speed(rule: E.Config, tx: pd.DataFrame) -> tuple[float, float]:
    """All weekly expense categories cold (the 36-month demo, 8 weeks; CSV path, in this process): (CPU s, wall s).
    ``rule`` is made ``ensemble.DEFAULT`` for the call (the categories' choice reads it), then restored."""
    from budgetwise.services.forecast import api

    before = E.DEFAULT
    E.DEFAULT = rule
    try:
        api._RUNS_CACHE.clear()
        api._POOL_CACHE.clear()
        t, c = time.perf_counter(), time.process_time()
        F.forecast_history_categories(F.history_from_frame(tx), freq="week", horizon=8)
        return time.process_time() - c, time.perf_counter() - t
    finally:
        E.DEFAULT = before


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="households,seeds941-1000")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--rules", choices=("session", "explore"), default="session")
    ap.add_argument("--outer", action="store_true", help="also the final forecasts at 4 outer cuts")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    res = {}
    for g in filter(None, args.groups.split(",")):  # --groups "" --speed: the speed figures only
        t, c = time.perf_counter(), time.process_time()
        rules = SESSION if args.rules == "session" else EXPLORE
        res[g] = WB.group_figures(g, rules)
        if args.outer:
            res[g]["outer"] = outer(g, rules)
            res[g]["year"] = year_ratio(g, rules)
        print(f"   ({g}: {time.perf_counter() - t:.0f} s wall, {time.process_time() - c:.0f} s CPU, load "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)
    criteria(res, next((g for g in res if g.startswith("seeds")), ""))
    if args.speed:
        tx = F.parse_transactions(H.demo(11, 36))
        WB.speed(OFF, tx, 1)  # libraries imported
        for r, c in (("off", OFF), ("K", K), ("off", OFF), ("K", K)):
            got = WB.speed(c, tx)
            print(f"   8. one weekly series cold, {r}: " + ", ".join(f"{cpu:.3f} s CPU / {wall:.3f} s wall"
                  for cpu, wall in got) + f"  (load {os.getloadavg()[0]:.1f}; <= 1 s CPU: "
                  f"{'PASS' if max(cpu for cpu, _ in got) <= 1.0 else 'FAIL'})", flush=True)
        for r, c in (("off", OFF), ("K", K), ("off", OFF), ("K", K)):
            cpu, wall = categories_speed(c, tx)
            print(f"   8. all weekly expense categories cold, {r}: {cpu:.3f} s CPU / {wall:.3f} s wall (load "
                  f"{os.getloadavg()[0]:.1f}; <= 5 s CPU: {'PASS' if cpu <= 5.0 else 'FAIL'})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
