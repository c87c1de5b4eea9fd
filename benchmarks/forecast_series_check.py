"""Selection rules on the series the monthly evaluation does not cover, leave-one-household-out
(run by hand; prints figures, asserts nothing).

    .venv/bin/python benchmarks/forecast_series_check.py [--kinds weekly,income,categories]

``benchmarks/forecast_eval.py`` measures monthly total expenses only. Here every household of the
evaluation is forecast as weekly total expenses, monthly income and every monthly category
(the product's expense categories, ``forecast_households.expense_series``; those with too little
history are skipped). Each series' model run (its inner rolling-origin
backtest) is computed once; every rule then chooses and combines the candidates on it, exactly as the
app does (``backtest._choose_methods`` then ``_finish``), and the backtest each forecast shows the user
is scored: it is prequential (each origin chooses from targets that had ended by then), so it is an
out-of-sample figure of that series.

Per household and kind of series: the weighted absolute percentage error ``WAPE = sum|a - f| / sum|a|``
(not pulled toward low forecasts as the mean APE is), the bias ``sum(f - a) / sum|a|``, the 80% coverage
and the best naive guess's WAPE (the 3-period mean or the same period last year, on the rows it has).
Households are weighed equally (each figure is scale-free; pooled sums would be dominated by the
currency with the largest numbers; the pooled sums are printed too).

Tuned vs held-out: "fixed" scores one rule on every household; "held-out" picks, for each household and
kind of series, the rule with the lowest mean ratio to the best naive guess's WAPE over the *other*
households, then scores it on this one.
"""

from __future__ import annotations

import argparse
import copy
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

from budgetwise.services import forecast as F
from budgetwise.services.forecast import backtest
from budgetwise.services.forecast import ensemble as E

HORIZON = 3
INTERVAL = 0.8
RULES = {
    "previous (top 3, shrink 3, 1-4, scaled)": E.Config(),
    "until 12-05 (occasional: model alone)": replace(E.DEFAULT, occasional_rule=None),
    "occasional: best 2 incl. the model": replace(E.DEFAULT, occasional_rule=replace(
        E.OCCASIONAL, candidates=("model",) + E.OCCASIONAL.candidates)),
    "shipped (top 4 + median_k, APE)": E.DEFAULT,
    "shipped, ranked on the scaled error": replace(E.DEFAULT, score="scaled"),
    "shipped, bias-corrected (see debias)": E.DEFAULT,
    "shipped, under 7 origins the best naive": E.SHORT_FALLBACK,
    "shipped, the model always averaged (session 11)": replace(E.DEFAULT, always=("model",)),
    "median APE, the model always (session 13)": replace(E.DEFAULT, rank_stat="median", always=("model",)),
    "level corrected (least APE), prior 12 (session 15)": replace(E.DEFAULT, level_prior=12.0, level_stat="ape"),
}
SESSION15 = ("shipped (top 4 + median_k, APE)", "level corrected (least APE), prior 12 (session 15)")
DEBIAS_PRIOR = 3.0  # origins: the correction is shrunk toward none by n / (n + 3)


def debias(run):
    """A ratio bias correction of the combination, prequentially: at each origin the forecasts are
    multiplied by ``sum(actual) / sum(forecast)`` over the backtest targets ended by then, shrunk toward 1
    by ``n / (n + DEBIAS_PRIOR)`` (n: origins scored) and kept within 0.5-2; the final forecast by the
    same from every backtest row. Benchmark only: measured, not shipped."""
    rec = run.records.copy()
    y, a = rec["yhat"].to_numpy(float), rec["actual"].to_numpy(float)
    day, end = rec["origin_day"].to_numpy(), rec["target_end"].to_numpy()

    def factor(rows: np.ndarray) -> float:
        n = len(np.unique(day[rows]))
        if not n or y[rows].sum() <= 0:
            return 1.0
        r = float(np.clip(a[rows].sum() / y[rows].sum(), 0.5, 2.0))
        return 1.0 + (r - 1.0) * n / (n + DEBIAS_PRIOR)

    out = y.copy()
    for d in np.unique(day):
        out[day == d] = y[day == d] * factor(end <= d)
    rec["yhat"] = out
    final = run.final.copy()
    final["forecast_part"] = final["forecast_part"] * factor(np.ones(len(rec), dtype=bool))
    final["yhat"] = final["forecast_part"] + final["observed"]
    run.records, run.final = rec, final
    return run
KINDS = {"weekly": "weekly expenses", "income": "monthly income", "categories": "monthly categories"}


def series_runs(tx: pd.DataFrame, kinds: list[str]) -> dict[str, list[tuple]]:
    """Per kind of series: (run, ctx, series) of every series with a backtest (model runs, before the choice)."""
    hist = F.history_from_frame(tx)
    jobs = []
    if "weekly" in kinds:
        jobs.append((KINDS["weekly"], F.SERIES_EXPENSES, "week"))
    if "income" in kinds:
        jobs.append((KINDS["income"], F.SERIES_INCOME, "month"))
    if "categories" in kinds:
        # the product's expense categories (one owner: forecast_households.expense_series); until session 19 the
        # categories with any expense row, so mostly-income ones (JerBouma Income, M-Pesa's Cash Withdrawal) were scored
        jobs += [(KINDS["categories"], s, "month") for s in H.expense_series(hist)]
    out: dict[str, list[tuple]] = {}
    flows = {}
    for kind, series, freq in jobs:
        try:
            ctx, _ = F._prepare(hist, freq, HORIZON)
            if freq not in flows:
                flows[freq] = F._frame_flow_provider(hist)(F.flow_dates(hist, freq=freq, horizon=HORIZON))
            run = F._run_series(ctx, F._selection(hist, series), flows[freq], HORIZON)
        except (F.NotEnoughHistory, ValueError):
            continue
        if len(run.records):
            out.setdefault(kind, []).append((run, ctx, series, {}))
    return out


def shown_backtest(run, ctx, series: str, rule: E.Config, memo: dict, debiased: bool = False) -> pd.DataFrame:
    """The backtest table the user sees with ``rule`` (the app's code path)."""
    chosen = backtest._choose_methods(copy.copy(run), ctx, config=rule, memo=memo)
    if debiased:
        chosen = debias(chosen)
    res = F._finish(chosen, ctx, series=series, label="", horizon=HORIZON, interval=INTERVAL, clip=True, notes=[])
    return res.backtest.table if res.backtest is not None else pd.DataFrame()


def figures(frames: list[pd.DataFrame]) -> dict[str, float]:
    d = pd.concat(frames)
    a, f = d["actual"].to_numpy(float), d["forecast"].to_numpy(float)
    tot = np.abs(a).sum()
    base = H.naive_wapes(d)
    inside = (a >= d["lower"].to_numpy(float)) & (a <= d["upper"].to_numpy(float))
    return {"points": len(d), "wape": np.abs(a - f).sum() / tot, "bias": (f - a).sum() / tot,
            "cover": float(inside.mean()), "base": min(base), "sum_abs": np.abs(a - f).sum(), "sum_err": (f - a).sum(),
            "sum_a": tot, "inside": float(inside.sum())}


def ratio(r: dict) -> float:
    """WAPE over the best naive guess's (NaN when the naive guess is exact: a constant salary)."""
    return r["wape"] / r["base"] if r["base"] > 0 else float("nan")


def summary(rows: dict[str, dict]) -> str:
    """Households weighed equally (mean of their figures), and the pooled sums."""
    v = list(rows.values())
    ratios = [ratio(r) for r in v]
    pts = sum(r["points"] for r in v)
    pooled = (sum(r["sum_abs"] for r in v) / sum(r["sum_a"] for r in v),
              sum(r["sum_err"] for r in v) / sum(r["sum_a"] for r in v), sum(r["inside"] for r in v) / pts)
    return (f"WAPE {np.mean([r['wape'] for r in v]):6.1%}  bias {np.mean([r['bias'] for r in v]):+6.1%}  "
            f"cover {np.mean([r['cover'] for r in v]):5.1%}  |bias| {np.mean([abs(r['bias']) for r in v]):5.1%}  ratio to naive {np.nanmean(ratios):5.3f}  "
            f"worst {np.nanmax(ratios):5.2f}"
            f"   | pooled sums: WAPE {pooled[0]:6.1%} bias {pooled[1]:+6.1%} cover {pooled[2]:5.1%} ({pts} points)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default="weekly,income,categories")
    parser.add_argument("--floor", default="", help="occasional series' range floor (backtest.OCCASIONAL_FLOOR: "
                        "min, q25, median; session 10); default: the shipped setting")
    parser.add_argument("--session15", action="store_true", help="only the shipped rule and session 15's candidate")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    rules = {k: v for k, v in RULES.items() if not args.session15 or k in SESSION15}
    if args.floor:
        backtest.OCCASIONAL_FLOOR = None if args.floor == "none" else args.floor
    print(f"occasional range floor: {backtest.OCCASIONAL_FLOOR}")
    kinds = args.kinds.split(",")
    t0, c0 = time.perf_counter(), time.process_time()
    runs = {name: series_runs(F.parse_transactions(fn()), kinds) for name, _, fn in H.households()}
    print(f"model runs: {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU", flush=True)
    # score[kind][rule][household] = figures
    score: dict[str, dict[str, dict[str, dict]]] = {}
    for label, rule in rules.items():
        c = time.process_time()
        for name, by_kind in runs.items():
            for kind, items in by_kind.items():
                frames = [shown_backtest(run, ctx, series, rule, memo, "bias-corrected" in label)
                          for run, ctx, series, memo in items]
                frames = [f for f in frames if len(f)]
                if frames:
                    score.setdefault(kind, {}).setdefault(label, {})[name] = figures(frames)
        print(f"   {label}: {time.process_time() - c:.0f} s CPU", flush=True)
    for kind, by_rule in score.items():
        n_series = {name: len(runs[name].get(kind, [])) for name in runs}
        print(f"\n== {kind} ({sum(n_series.values())} series, {len(next(iter(by_rule.values())))} households)")
        for label, rows in by_rule.items():
            print(f"   fixed: {label:45s} {summary(rows)}")
        for goal in ("accuracy", "bias"):
            held, chosen = {}, {}
            for name in next(iter(by_rule.values())):
                def objective(label: str) -> float:
                    rows = [r for n, r in by_rule[label].items() if n != name]
                    if goal == "bias":
                        return float(np.mean([abs(r["bias"]) for r in rows]))
                    return float(np.nanmean([ratio(r) for r in rows]))
                pick = min(by_rule, key=objective)
                held[name], chosen[name] = by_rule[pick][name], pick
            title = ("held-out, chosen on the others' WAPE ratio" if goal == "accuracy"
                     else "held-out, chosen on the others' mean |bias|")
            print(f"   {title:52s} {summary(held)}")
        total = sum(r["sum_a"] for r in next(iter(by_rule.values())).values())
        print("   per household (its share of the pooled sum of actuals, the best naive WAPE, WAPE / bias of each rule):")
        for name in held:
            cells = "  ".join(f"{by_rule[lb][name]['wape']:6.1%} {by_rule[lb][name]['bias']:+6.1%}" for lb in by_rule)
            share = by_rule[next(iter(by_rule))][name]["sum_a"] / total
            print(f"      {name:22s} {share:6.1%} of the pooled sum  naive {held[name]['base']:6.1%}  {cells}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
