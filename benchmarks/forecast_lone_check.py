"""Session 22 (cap22, issue #17): a category holding a single purchase -- does the same month last year still repeat it?
(run by hand; prints figures and each pre-registered criterion).

    .venv/bin/python benchmarks/forecast_lone_check.py --seeds 100001-100010            # tuning / look (unused seeds)
    .venv/bin/python benchmarks/forecast_lone_check.py --seeds 1941-1970 --households --decide   # the test, once

The case (session 21, oneoffcat): 24 months, one 150,000 Electronics purchase and nothing else in the category. The
one-off rule caps nothing (no spread), so ``last_year`` repeats the purchase the same month a year later (72,500:
averaged with the 6-month median). Such a series is occasional (more than half of its months empty), so it is chosen
by ``ensemble.OCCASIONAL``.

CANDIDATE L = ``replace(E.DEFAULT, occasional_rule=replace(E.OCCASIONAL, lone=True))``: ``Config.lone``: at every
origin, when the capped past has exactly one period above zero among at least 6 (none negative;
``oneoff.lone_period``, the condition of the page's note ``backtest._lone_period_note``), the same period last year
(and ``blend``'s half of it) counts that period as 0; every other candidate, the range rules and income series
(``lone`` off for income in ``backtest._choose_methods``) are unchanged. No parameter is tuned (6 is the one-off rule's
and the note's least number of periods).

Data. "fresh": seeds 1941-1970 (never generated or scored by any session), generator :func:`household` below: 15-36
months to 30 June 2026; regular categories (Rent monthly, Groceries, Dining, Transport daily-random); 1-2 yearly
items (Insurance 300-2,500 / Membership 40-300, paid on one day a year from a start drawn uniformly between 24 months
before the history and its last month, so some are seen once -- a new yearly item looks like a single purchase --
and some twice or more; the amount drifts -5..+10% a year); 1-2 single purchases (Electronics / Furniture / Medical,
log-uniform 300-150,000, one day drawn uniformly in the history, nothing else in that category). Outer origins: every
month end from the 12th month to the 3rd last; the history cut there (``history_from_frame(as_of=...)``), every
expense category forecast the app's way (``backtest._pool_runs`` + ``_choose_methods(pooled=...)`` + ``_finish``, 3
months ahead, 80%), and the final forecast (what the page shows) scored against the generated months that follow
(0 for a month without spending). "households": the 13 of ``forecast_households`` (every monthly expense category,
``expense_series``), the backtest each category's forecast shows (prequential, out of sample), the same app path.

Scores per group: sMAE = the mean over series of (mean |actual - forecast| over the series' points) / (the median of
the series' months above zero in the whole history: the purchase, the yearly payment, a usual month) -- scale-free
and defined when the actuals are 0 (the months after a single purchase, where MAPE has no term); WAPE pooled; MAPE
over the points with an actual above 0; 80% coverage; the 80% interval score over the typical month (reported only).
Fresh groups: "lone" (the single purchases), "yearly" (every yearly item's point), split into "yearly, new" (exactly
one payment before the origin: the rule's domain) and "yearly, seen twice or more"; "single month seen" (any
category with exactly one month above zero before the origin); "regular"; "all".

Seen before this was committed (tuning seeds 100001-100010, the generator above; no other data): lone sMAE 0.0533 ->
0.0453, yearly new 0.1297 -> 0.1550, yearly seen twice or more 0.0297 -> 0.0287, regular unchanged: from the
category's own months a new yearly item and a single purchase look the same, so L trades one for the other.

PRE-REGISTERED CRITERIA (session 22, cap22; written and committed before any run on seeds 1941-1970 and before any
run on the 13 households). L becomes the default (``ensemble.OCCASIONAL.lone = True``) only if ALL hold, S = the
shipped rule:

1. fresh "lone": L's sMAE < S's (strictly); L's coverage >= S's - 2 points;
2. fresh "yearly" (all its points: the brief's "no worse on yearly-repeating items"): L's sMAE <= S's x 1.02; L's
   coverage >= S's - 2 points;
3. fresh "regular": L's sMAE within S's x (1 +- 0.005); coverage within +-1 point of S's;
4. households (13, every expense category): mean over households of the category WAPE (``forecast_series_check``'s
   figure) <= S's + 0.2 points; MAPE pooled over every point with an actual above 0 <= S's + 0.2 points; pooled 80%
   coverage within 72-88% and >= S's - 1 point;
5. all fresh categories pooled: L's 80% coverage within 72-88%.

If any fails, L stays off (``Config.lone`` an option, tested); the Forecast page's note for such a category
(``backtest._lone_period_note``) says what the forecast does either way. Model runs are cached in /tmp/cap22-lone-*.pkl.
"""

from __future__ import annotations

import argparse
import copy
import pickle
import re
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

from budgetwise.services import forecast as F
from budgetwise.services.forecast import backtest
from budgetwise.services.forecast import ensemble as E

S, L = "shipped", "L: last year skips a lone period"
RULES = {S: replace(E.DEFAULT, occasional_rule=replace(E.OCCASIONAL, lone=False)),
         L: replace(E.DEFAULT, occasional_rule=replace(E.OCCASIONAL, lone=True))}
REGULAR, YEARLY, LONE = ("Rent", "Groceries", "Dining", "Transport"), ("Insurance", "Membership"), (
    "Electronics", "Furniture", "Medical")
COVER = (0.72, 0.88)
# the fresh groups: (generator's kind of category, "once" when it had exactly one month above zero before the origin)
GROUPS = {
    "lone": lambda kind, seen: kind == "lone",
    "yearly": lambda kind, seen: kind == "yearly",
    "yearly, new (seen once)": lambda kind, seen: kind == "yearly" and seen == "once",
    "yearly, seen twice or more": lambda kind, seen: kind == "yearly" and seen == "more",
    "single month seen (lone + new yearly)": lambda kind, seen: seen == "once",
    "regular": lambda kind, seen: kind == "regular",
    "all": lambda kind, seen: True,
}


def household(seed: int) -> tuple[pd.DataFrame, int]:
    """The fresh generator (see the docstring): transactions and the history's months."""
    rng = np.random.default_rng(seed)
    months = int(rng.integers(15, 37))
    end = pd.Timestamp(2026, 6, 30)
    start = end - pd.DateOffset(months=months) + pd.Timedelta(days=1)
    days = pd.date_range(start, end)
    rows = []
    for d in days:
        if d.day == 1:
            rows.append((d, 1200.0, "Rent", "expense", "Landlord"))
        if d.day == 25:
            rows.append((d, 3500.0, "Salary", "income", "Employer"))
        if rng.random() < 0.35:
            rows.append((d, rng.gamma(4, 20), "Groceries", "expense", "Market"))
        if rng.random() < 0.2:
            rows.append((d, rng.gamma(2, 15), "Dining", "expense", "Cafe"))
        if rng.random() < 0.1:
            rows.append((d, rng.gamma(2, 20), "Transport", "expense", "Metro"))
    for name in rng.choice(YEARLY, size=int(rng.integers(1, 3)), replace=False):
        lo, hi = (300, 2500) if name == "Insurance" else (40, 300)
        amount = float(rng.uniform(lo, hi))
        first = start - pd.DateOffset(months=24) + pd.Timedelta(days=int(rng.integers(0, (end - start).days + 730 - 30)))
        pay, year = first, 0
        while pay <= end:
            if pay >= start:
                rows.append((pay, amount * (1 + rng.uniform(-0.05, 0.10)) ** year, name, "expense", f"{name} Co"))
            pay, year = pay + pd.DateOffset(years=1), year + 1
    for name in rng.choice(LONE, size=int(rng.integers(1, 3)), replace=False):
        rows.append((days[int(rng.integers(0, len(days)))], float(np.exp(rng.uniform(np.log(300), np.log(150_000)))),
                     name, "expense", f"{name} Shop"))
    f = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])
    return H._plain(f["date"], f["amount"], f["category"], f["type"], f["description"]), months


def runs_of(name: str, tx: pd.DataFrame) -> dict | None:
    try:
        return H.expense_runs(F.history_from_frame(F.parse_transactions(tx)))
    except (F.NotEnoughHistory, ValueError):
        return None


def cached(path: Path, make):
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = make()
    path.write_bytes(pickle.dumps(out))
    return out


def tables(d: dict, rule: E.Config) -> list[tuple[str, pd.DataFrame, float]]:
    """(series, shown backtest table, the series' median month above zero) of every category, the app's way."""
    ctx = d["ctx"]
    raws = [raw for raw, _ in d["cats"]]
    memos = [{} for _ in raws]
    pooled = backtest._pool_runs(raws, ctx, config=rule, memos=memos)
    out = []
    for (raw, s), memo in zip(d["cats"], memos):
        ch = backtest._choose_methods(copy.copy(raw), ctx, config=rule, memo=memo, pooled=pooled)
        res = F._finish(ch, ctx, series=s, label="", horizon=SE.HORIZON, interval=SE.INTERVAL, clip=True, notes=[])
        y = raw.history["y"].to_numpy(float)
        if res.backtest is not None and len(res.backtest.table) and (y > 0).any():
            out.append((s, res.backtest.table, float(np.median(y[y > 0]))))
    return out


def figures(items: list[tuple[pd.DataFrame | np.ndarray, float]]) -> dict:
    """Scores of (points, the series' typical month) pairs; points: a backtest table or rows (actual, forecast,
    lower, upper)."""
    if not items:
        return {"n": 0}
    items = [(t if isinstance(t, np.ndarray) else t[["actual", "forecast", "lower", "upper"]].to_numpy(float), typ)
             for t, typ in items]
    smae = [float(np.mean(np.abs(t[:, 0] - t[:, 1]))) / typ for t, typ in items]
    a, f, lo, hi = np.vstack([t for t, _ in items]).T
    pos = a > 0
    alpha = 1 - SE.INTERVAL
    iscore = (hi - lo) + 2 / alpha * np.maximum(lo - a, 0) + 2 / alpha * np.maximum(a - hi, 0)
    typ = np.concatenate([np.full(len(t), v) for t, v in items])
    return {"n": len(items), "smae": float(np.mean(smae)),
            "wape": float(np.abs(a - f).sum() / max(np.abs(a).sum(), 1e-9)),
            "mape": float(np.mean(np.abs(a[pos] - f[pos]) / a[pos]) * 100) if pos.any() else float("nan"),
            "cover": float(np.mean((a >= lo) & (a <= hi))), "inside": (a >= lo) & (a <= hi),
            "iscore": float(np.mean(iscore / typ)), "points": len(a)}


def group_of(series: str) -> str:
    name = series.split(":", 1)[-1]
    return "lone" if name in LONE else "yearly" if name in YEARLY else "regular" if name in REGULAR else "other"


def line(label: str, r: dict) -> str:
    if not r.get("n"):
        return f"   {label:36s} (none)"
    return (f"   {label:36s} sMAE {r['smae']:.4f}  WAPE {r['wape']:7.2%}  MAPE {r['mape']:7.2f}%  80% coverage "
            f"{r['cover']:.3f}  interval score {r['iscore']:.3f}  ({r['n']} series, {r['points']} points)")


def monthly(tx: pd.DataFrame) -> pd.DataFrame:
    """Category x month expense totals of a generated frame (the actuals the final forecasts are scored on)."""
    f = tx.assign(month=pd.to_datetime(tx["date"]).dt.to_period("M"), amount=tx["amount"].astype(float))
    return f[f["type"] == "expense"].pivot_table(index="month", columns="category", values="amount", aggfunc="sum",
                                                 fill_value=0.0)


def finals(d: dict, rule: E.Config) -> dict[str, pd.DataFrame]:
    """Each category's final forecast (``ds``, ``yhat``, ``yhat_lower``, ``yhat_upper``), the app's way."""
    ctx = d["ctx"]
    raws = [raw for raw, _ in d["cats"]]
    memos = [{} for _ in raws]
    pooled = backtest._pool_runs(raws, ctx, config=rule, memos=memos)
    out = {}
    for (raw, s), memo in zip(d["cats"], memos):
        ch = backtest._choose_methods(copy.copy(raw), ctx, config=rule, memo=memo, pooled=pooled)
        out[s] = F._finish(ch, ctx, series=s, label="", horizon=SE.HORIZON, interval=SE.INTERVAL, clip=True,
                           notes=[]).forecast
    return out


def fresh(first: int, last: int) -> dict[str, dict]:
    """Outer origins: every month end from the 12th month to the 3rd last; each category's final forecast (what the
    page shows) against the generated months that follow."""
    pts: dict[str, dict[tuple, list]] = {r: {} for r in RULES}  # rule -> (seed, category) -> [(a, f, lo, hi)]
    typical: dict[tuple, float] = {}
    changed = 0
    for seed in range(first, last + 1):
        tx, months = household(seed)
        ptx, act = F.parse_transactions(tx), monthly(tx)
        for c in act.columns:
            v = act[c].to_numpy(float)
            typical[(seed, c)] = float(np.median(v[v > 0]))
        for t in range(12, months - SE.HORIZON + 1):
            cut = act.index[t - 1].end_time.date()

            def make(cut=cut):
                try:
                    return H.expense_runs(F.history_from_frame(ptx, as_of=cut))
                except (F.NotEnoughHistory, ValueError):
                    return None
            d = cached(Path(f"/tmp/cap22-lone-{seed}-{t}.pkl"), make)
            if d is None:
                continue
            got = {r: finals(d, c) for r, c in RULES.items()}
            for r, fc in got.items():
                for s, f in fc.items():
                    c = s.split(":", 1)[-1]
                    when = [pd.Timestamp(x).to_period("M") for x in f["ds"]]
                    a = np.array([float(act[c].get(m, 0.0)) if c in act else 0.0 for m in when])
                    seen = int((act[c].iloc[:t] > 0).sum())  # months above zero before the origin
                    pts[r].setdefault((seed, c, "once" if seen == 1 else "more"), []).append(
                        np.c_[a, f["yhat"], f["yhat_lower"], f["yhat_upper"]].astype(float))
            changed += sum(not np.allclose(got[S][s]["yhat"], got[L][s]["yhat"]) for s in got[S])
    print(f"== fresh seeds {first}-{last}: category forecasts (3 months) that changed: {changed}")
    out: dict[str, dict] = {}
    for g, keep in GROUPS.items():
        out[g] = {r: figures([(np.vstack(v), typical[k[:2]]) for k, v in pts[r].items() if keep(group_of(k[1]), k[2])])
                  for r in RULES}
        print(f"-- {g}")
        for r in RULES:
            print(line(r, out[g][r]))
    return out


def households() -> dict[str, dict]:
    per: dict[str, dict[str, dict]] = {r: {} for r in RULES}
    pooled: dict[str, list] = {r: [] for r in RULES}
    for name, _, fn in H.households():
        d = cached(Path(f"/tmp/cap22-lone-house-{re.sub(r'[^A-Za-z0-9]+', '_', name)}.pkl"), lambda fn=fn, name=name: runs_of(name, fn()))
        if d is None:
            continue
        for r, c in RULES.items():
            items = tables(d, c)
            if items:
                per[r][name] = SE.figures([t for _, t, _ in items])
                pooled[r] += [(t, typ) for _, t, typ in items]
    out = {r: figures(pooled[r]) | {"wape_h": float(np.mean([x["wape"] for x in per[r].values()]))} for r in RULES}
    print(f"== households ({len(per[S])}), every expense category")
    for r in RULES:
        print(line(r, out[r]) + f"  mean household WAPE {out[r]['wape_h']:.2%}")
    return out


def decide(fr: dict, ho: dict) -> None:
    lo, ye, re_, al = fr["lone"], fr["yearly"], fr["regular"], fr["all"]  # the docstring's criteria 1-5
    checks = [
        (f"1. lone sMAE {lo[L]['smae']:.4f} < {lo[S]['smae']:.4f}; coverage {lo[L]['cover']:.3f} >= "
         f"{lo[S]['cover']:.3f} - 0.02", lo[L]["smae"] < lo[S]["smae"] and lo[L]["cover"] >= lo[S]["cover"] - 0.02),
        (f"2. yearly sMAE {ye[L]['smae']:.4f} <= {ye[S]['smae']:.4f} x 1.02; coverage {ye[L]['cover']:.3f} >= "
         f"{ye[S]['cover']:.3f} - 0.02", ye[L]["smae"] <= ye[S]["smae"] * 1.02 and ye[L]["cover"] >= ye[S]["cover"] - 0.02),
        (f"3. regular sMAE {re_[L]['smae']:.4f} within {re_[S]['smae']:.4f} x (1 +- 0.005); coverage "
         f"{re_[L]['cover']:.3f} within {re_[S]['cover']:.3f} +- 0.01",
         abs(re_[L]["smae"] / re_[S]["smae"] - 1) <= 0.005 and abs(re_[L]["cover"] - re_[S]["cover"]) <= 0.01),
        (f"4. households: mean WAPE {ho[L]['wape_h']:.4%} <= {ho[S]['wape_h']:.4%} + 0.2 pt; MAPE {ho[L]['mape']:.3f} <= "
         f"{ho[S]['mape']:.3f} + 0.2; coverage {ho[L]['cover']:.3f} in 72-88% and >= {ho[S]['cover']:.3f} - 0.01",
         ho[L]["wape_h"] <= ho[S]["wape_h"] + 0.002 and ho[L]["mape"] <= ho[S]["mape"] + 0.2
         and COVER[0] <= ho[L]["cover"] <= COVER[1] and ho[L]["cover"] >= ho[S]["cover"] - 0.01),
        (f"5. all fresh coverage {al[L]['cover']:.3f} within 72-88%", COVER[0] <= al[L]["cover"] <= COVER[1]),
    ]
    for text, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")
    verdict = all(ok for _, ok in checks)
    print("VERDICT: " + ("L ships (ensemble.OCCASIONAL lone=True)" if verdict else "L stays off"))


def main() -> int:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="100001-100010", help="first-last (1941-1970: the test's, run once)")
    ap.add_argument("--households", action="store_true")
    ap.add_argument("--decide", action="store_true", help="print the pre-registered criteria (seeds 1941-1970)")
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    first, last = (int(x) for x in args.seeds.split("-"))
    fr = fresh(first, last)
    ho = households() if args.households else None
    print(f"{time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")
    if args.decide:
        assert (first, last) == (1941, 1970) and ho is not None, "the test: --seeds 1941-1970 --households"
        decide(fr, ho)
    return 0


if __name__ == "__main__":
    sys.exit(main())
