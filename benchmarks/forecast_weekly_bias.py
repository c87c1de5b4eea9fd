"""Weekly forecasts made unbiased for the mean week (``Config.week_level_prior``), the decision test of session 15
(helper wkbias, issue #17; run by hand; prints figures and each criterion's pass/fail).

    .venv/bin/python benchmarks/forecast_weekly_bias.py --groups households,seeds941-1000 [--rules explore]
    .venv/bin/python benchmarks/forecast_weekly_bias.py --groups households,seeds1081-1140 --speed   # the test

Pre-registered in docs/forecasting.md ("Session 15 ... weekly forecasts unbiased for the mean (wkbias)") before any
run on seeds 1081-1140. Weekly total expenses of every history (``forecast_short_check.fresh`` for seeds, the 13
households of ``forecast_eval.py``), the backtest each forecast shows (prequential, a year of origins; the app's
code path via ``forecast_series_check.shown_backtest``), histories weighed equally:

- ``bias`` ``sum(f - a) / sum|a|``, ``WAPE``, ``ratio`` (WAPE over the best naive guess's), 80% ``cover``;
- ``4-week totals``: per backtest origin whose steps 1-4 are all shown, the sum of the 4 forecasts against the sum
  of the 4 actual weeks (what a user planning a month from weekly forecasts plans): bias and WAPE of those sums;
- ``weekly / monthly``: the final forecast (what the page shows now): the mean of the weekly forecasts times
  (365.25 / 12) / 7 over the first month of the monthly total-expense forecast of the same history (shipped monthly
  rule); the median over histories;
- ``width``: median over histories of the median (upper - lower) / 13-week mean; ``neg``: lower bounds below 0.
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
import forecast_short_check as SC

from budgetwise.services import forecast as F
from budgetwise.services.forecast import backtest
from budgetwise.services.forecast import ensemble as E

WEEKS_A_MONTH = 365.25 / 12 / 7
D = E.DEFAULT
# the candidate (pre-registered): the weekly combination times its backtest's sum(actual) / sum(forecast), a prior
# worth 2 origins; compared with the rule without it (E.DEFAULT as shipped before, week_level_prior = 0)
OFF = replace(D, week_level_prior=0.0, week_known=False)  # (week_known: session 16; off here, as shipped then)
W = replace(OFF, week_level_prior=2.0)
SESSION = {"shipped (off)": OFF, "W: weekly mean level, prior 2": W}
EXPLORE = {"shipped (off)": OFF, **{f"weekly mean level, prior {p:g}": replace(OFF, week_level_prior=p)
                                    for p in (1.0, 2.0, 4.0, 12.0)}}
COVER = (0.72, 0.88)
MAX_BIAS = 0.10
RATIO_TOL = 0.03
WAPE_TOL = 0.025
WAPE4_TOL = 0.01
MONTH_BAND = (0.90, 1.10)
MAX_WIDTH = 3.0


def histories(group: str) -> list[tuple[str, pd.DataFrame]]:
    if group == "households":
        return [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
    first, last = map(int, group[5:].split("-"))
    return SC.fresh(first, last)


def four_weeks(t: pd.DataFrame) -> tuple[float, float]:
    """Bias and WAPE of the 4-week sums (origins whose steps 1-4 are all shown)."""
    t = t[t["step"] <= 4]
    g = t.groupby("origin").agg(n=("step", "size"), a=("actual", "sum"), f=("forecast", "sum"))
    g = g[g["n"] == 4]
    tot = float(g["a"].abs().sum())
    if not tot:
        return float("nan"), float("nan")
    return float((g["f"] - g["a"]).sum() / tot), float((g["f"] - g["a"]).abs().sum() / tot)


def monthly_first(tx: pd.DataFrame) -> float:
    try:
        res = F.forecast_frame(tx, series=F.SERIES_EXPENSES, freq="month", horizon=SE.HORIZON, interval=SE.INTERVAL)
    except (F.NotEnoughHistory, ValueError):
        return float("nan")
    return float(res.forecast["yhat"].iloc[0]) if len(res.forecast) else float("nan")


def one(run, ctx, memo: dict, rule: E.Config) -> tuple[pd.DataFrame, float]:
    chosen = backtest._choose_methods(copy.copy(run), ctx, config=rule, memo=memo)
    res = F._finish(chosen, ctx, series=F.SERIES_EXPENSES, label="", horizon=SE.HORIZON, interval=SE.INTERVAL,
                    clip=True, notes=[])
    t = res.backtest.table if res.backtest is not None else pd.DataFrame()
    return t, float(res.forecast["yhat"].mean()) * WEEKS_A_MONTH


def group_figures(group: str, rules: dict[str, E.Config]) -> dict[str, dict]:
    rows: dict[str, dict[str, dict]] = {r: {} for r in rules}
    for name, tx in histories(group):
        items = SE.series_runs(tx, ["weekly"]).get(SE.KINDS["weekly"], [])
        if not items:
            continue
        month = monthly_first(tx)
        for run, ctx, _series, memo in items:
            for r, c in rules.items():
                t, wk_month = one(run, ctx, memo, c)
                if not len(t):
                    continue
                fig = SE.figures([t])
                fig["ratio"] = SE.ratio(fig)
                fig["bias4"], fig["wape4"] = four_weeks(t)
                fig["vs_month"] = wk_month / month if month > 0 else float("nan")
                level = t["mean3"].to_numpy(float)
                rel = (t["upper"].to_numpy(float) - t["lower"].to_numpy(float)) / np.where(level > 0, level, np.nan)
                fig["width"] = float(np.nanmedian(rel)) if np.isfinite(rel).any() else float("nan")
                fig["neg"] = int((t["lower"].to_numpy(float) < 0).sum())
                rows[r][name] = fig
    out = {}
    print(f"\n== weekly total expenses, {group}: {len(rows[next(iter(rules))])} histories (weighed equally)")
    for r, got in rows.items():
        v = list(got.values())

        def mean(k: str, v: list = v) -> float:
            return float(np.nanmean([x[k] for x in v]))

        s = {k: mean(k) for k in ("bias", "wape", "ratio", "cover", "bias4", "wape4")}
        s["vs_month"] = float(np.nanmedian([x["vs_month"] for x in v]))
        s["width"] = float(np.nanmedian([x["width"] for x in v]))
        s["neg"] = sum(x["neg"] for x in v)
        s["above"] = int(np.sum(np.array([x["ratio"] for x in v]) > 1))
        s["points"] = sum(x["points"] for x in v)
        out[r] = s
        print(f"   {r:32s} bias {s['bias']:+6.1%}  WAPE {s['wape']:5.1%}  ratio {s['ratio']:.3f} (above 1: "
              f"{s['above']:2d})  cover {s['cover']:5.1%}  4-week totals: bias {s['bias4']:+6.1%} WAPE "
              f"{s['wape4']:5.1%}  weekly/monthly {s['vs_month']:.3f}  width {s['width']:.2f}  neg {s['neg']}  "
              f"({s['points']} points)")
    return out


def speed(rule: E.Config, tx: pd.DataFrame, reps: int = 2) -> list[tuple[float, float]]:
    """One weekly series cold (the 36-month demo, 8 weeks ahead; the app's code path: the model's runs, the choice
    with ``rule``, the ranges): (CPU s, wall s) per run."""
    out = []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        hist = F.history_from_frame(tx)
        ctx, _ = F._prepare(hist, "week", 8)
        flows = F._frame_flow_provider(hist)(F.flow_dates(hist, freq="week", horizon=8))
        run = F._run_series(ctx, F._selection(hist, F.SERIES_EXPENSES), flows, 8)
        chosen = backtest._choose_methods(run, ctx, config=rule, memo={})
        F._finish(chosen, ctx, series=F.SERIES_EXPENSES, label="", horizon=8, interval=0.8, clip=True, notes=[])
        out.append((time.process_time() - c, time.perf_counter() - t))
    return out


def _finals(tx: pd.DataFrame, rules: dict[str, E.Config], ahead: int) -> dict[str, pd.DataFrame]:
    """The final forecast (``ahead`` weeks) with each rule, from one model run (the app's code path)."""
    hist = F.history_from_frame(tx)
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
    """The forecasts a user is shown: each history cut at the end of ``cuts`` weeks, ``ahead`` weeks apart, counted
    back from its last complete week; the final ``ahead``-week forecast from each cut against the weeks that
    followed. Per history (weighed equally): bias ``sum(f - a) / sum a``, 80% coverage, and the 4-week totals (weeks
    1-4 of each cut) bias / WAPE."""
    per: dict[str, list[dict]] = {r: [] for r in rules}
    for _, tx in histories(group):
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
            try:
                finals = _finals(tx[tx["date"] <= pd.Timestamp(as_of)], rules, ahead)
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
    print(f"   outer cuts ({cuts} x {ahead} weeks), {group}:")
    for r, v in per.items():
        out[r] = {k: float(np.nanmean([x[k] for x in v])) for k in ("bias", "cover", "bias4", "wape4")}
        print(f"      {r:32s} bias {out[r]['bias']:+6.1%}  cover {out[r]['cover']:5.1%}  4-week totals: bias "
              f"{out[r]['bias4']:+6.1%} WAPE {out[r]['wape4']:5.1%}  ({len(v)} histories)", flush=True)
    return out


def criteria(res: dict[str, dict[str, dict]], seeds: str) -> None:
    s, w = "shipped (off)", "W: weekly mean level, prior 2"
    out = []
    for n, g in ((1, seeds), (2, "households")):
        if g in res:
            b = res[g][w]["bias"]
            out.append((f"{n}. {g}: |bias| {abs(b):.1%} <= {MAX_BIAS:.0%} (off: {res[g][s]['bias']:+.1%})",
                        abs(b) <= MAX_BIAS))
    for g in (seeds, "households"):
        if g in res:
            r = res[g]
            out.append((f"3. {g}: 4-week totals |bias| {abs(r[w]['bias4']):.1%} <= {MAX_BIAS:.0%} and WAPE "
                        f"{r[w]['wape4']:.1%} <= {r[s]['wape4']:.1%} + {WAPE4_TOL:.0%}",
                        abs(r[w]["bias4"]) <= MAX_BIAS and r[w]["wape4"] <= r[s]["wape4"] + WAPE4_TOL))
            out.append((f"4. {g}: weekly/monthly {r[w]['vs_month']:.3f} within {MONTH_BAND} (off: "
                        f"{r[s]['vs_month']:.3f})", MONTH_BAND[0] <= r[w]["vs_month"] <= MONTH_BAND[1]))
            out.append((f"5. {g}: cover {r[w]['cover']:.1%} within 72-88%", COVER[0] <= r[w]["cover"] <= COVER[1]))
            out.append((f"6. {g}: ratio {r[w]['ratio']:.3f} <= {r[s]['ratio']:.3f} + {RATIO_TOL} and WAPE "
                        f"{r[w]['wape']:.1%} <= {r[s]['wape']:.1%} + {WAPE_TOL:.1%}",
                        r[w]["ratio"] <= r[s]["ratio"] + RATIO_TOL and r[w]["wape"] <= r[s]["wape"] + WAPE_TOL))
            out.append((f"7. {g}: lower bounds < 0: {r[w]['neg']}; median width {r[w]['width']:.2f} <= {MAX_WIDTH}",
                        r[w]["neg"] == 0 and r[w]["width"] <= MAX_WIDTH))
            if "outer" in r:
                o = r["outer"]
                out.append((f"8. {g}, final forecasts at outer cuts: |bias| {abs(o[w]['bias']):.1%} <= {MAX_BIAS:.0%}"
                            f" (off: {o[s]['bias']:+.1%}); 4-week totals |bias| {abs(o[w]['bias4']):.1%} <= "
                            f"{MAX_BIAS:.0%} and WAPE {o[w]['wape4']:.1%} <= {o[s]['wape4']:.1%} + {WAPE4_TOL:.0%}; "
                            f"cover {o[w]['cover']:.1%} within 72-88%",
                            abs(o[w]["bias"]) <= MAX_BIAS and abs(o[w]["bias4"]) <= MAX_BIAS
                            and o[w]["wape4"] <= o[s]["wape4"] + WAPE4_TOL and COVER[0] <= o[w]["cover"] <= COVER[1]))
    print("\ncriteria (session 15, wkbias; 9 = --speed; 10 = forecast_eval.py --quick shipped table, monthly identical):")
    for text, ok in out:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="households,seeds941-1000")
    ap.add_argument("--rules", choices=("session", "explore"), default="session")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--outer", action="store_true", help="also the final forecasts at 4 outer cuts")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    rules = SESSION if args.rules == "session" else EXPLORE
    res = {}
    for g in args.groups.split(","):
        t, c = time.perf_counter(), time.process_time()
        res[g] = group_figures(g, rules)
        if args.outer:
            res[g]["outer"] = outer(g, rules)
        print(f"   ({g}: {time.perf_counter() - t:.0f} s wall, {time.process_time() - c:.0f} s CPU, load "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)
    if args.rules == "session":
        criteria(res, next((g for g in res if g.startswith("seeds")), ""))
    if args.speed:
        tx = F.parse_transactions(H.demo(11, 36))
        speed(OFF, tx, 1)  # libraries imported
        for r, c in (("off", OFF), ("W", W), ("off", OFF), ("W", W)):
            got = speed(c, tx)
            print(f"   9. one weekly series cold, {r}: " + ", ".join(f"{cpu:.3f} s CPU / {wall:.3f} s wall"
                  for cpu, wall in got) + f"  (load {os.getloadavg()[0]:.1f}; <= 1 s CPU: "
                  f"{'PASS' if max(cpu for cpu, _ in got) <= 1.0 else 'FAIL'})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
