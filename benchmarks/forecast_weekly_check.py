"""Weekly ranges: a year of backtest origins at every frequency (``backtest.ORIGINS_A_YEAR``), the decision
test of session 14 (helper weekly, issue #17; run by hand; prints figures and each criterion's pass/fail).

    .venv/bin/python benchmarks/forecast_weekly_check.py --groups households,seeds881-940 [--monthly] [--speed]

Pre-registered in docs/forecasting.md ("Session 14 ... weekly ranges") before any run on seeds 881-940.
Weekly total expenses (3 weeks ahead; the backtest forecasts 8 weeks from each origin) of every history,
once with 12 backtest origins (the rule until now, ``ORIGINS_A_YEAR = False``) and once with a year of them
(52 weekly origins; a month keeps 12, a year). Scored: the backtest each forecast shows the user (prequential:
each origin chooses and calibrates on targets ended by then, ``backtest._choose_methods`` then ``_finish``, the
app's code path), histories weighed equally:

- ``cover``: share of actual weeks inside the 80% range, on every row shown (``all``) and on the rows both
  settings show (``common``: the last 12 origins);
- ``ratio``: WAPE ``sum|a - f| / sum|a|`` over the best naive guess's (13-week mean or the same week last year),
  on the common rows;
- ``bias`` ``sum(f - a) / sum|a|`` (common rows); ``width``: the median over histories of each history's median
  ``(upper - lower) / level``, level = the 13-week mean at the origin (all rows); ``neg``: rows with a lower
  bound below 0.

Criteria (all must hold for ``ORIGINS_A_YEAR = True`` to ship):
  1. households (the 13 of forecast_eval; seen while exploring): cover all and common within 72-88%;
  2. seeds 881-940 (fresh; ``forecast_short_check.fresh``): cover all and common within 72-88%;
  3. ratio (common rows) not worse than with 12 origins by more than 0.01, on the households and on the seeds;
  4. ``--monthly``: monthly total expenses, income and every category of the 13 households show identical
     backtests and forecasts with both settings (a month keeps 12 origins): max |difference| <= 0.005 of the
     value, coverage and MAPE therefore unchanged;
  5. no lower bound below 0; median relative width <= 3.0 on each group;
  6. ``--speed``: one weekly series cold (CSV path, the 36-month demo, 8 weeks) <= 1 s CPU (wall and load printed).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_households as H
import forecast_short_check as SC

from budgetwise.services import forecast as F
from budgetwise.services.forecast import api, backtest

HORIZON = 3
INTERVAL = 0.8
COVER = (0.72, 0.88)
RATIO_TOL = 0.01
MAX_WIDTH = 3.0


@contextlib.contextmanager
def origins_a_year(on: bool) -> Iterator[None]:
    """``backtest.ORIGINS_A_YEAR`` set to ``on`` for the block, the shipped value restored after it."""
    before = backtest.ORIGINS_A_YEAR
    backtest.ORIGINS_A_YEAR = on
    try:
        yield
    finally:
        backtest.ORIGINS_A_YEAR = before


def shown(tx: pd.DataFrame, series: str, freq: str, a_year: bool) -> pd.DataFrame:
    """The backtest table the user sees (empty when the series has none)."""
    try:
        with origins_a_year(a_year):
            res = F.forecast_frame(tx, series=series, freq=freq, horizon=HORIZON, interval=INTERVAL)
    except (F.NotEnoughHistory, ValueError):
        return pd.DataFrame()
    return res.backtest.table.copy() if res.backtest is not None else pd.DataFrame()


def figures(t: pd.DataFrame) -> dict[str, float]:
    a, f = t["actual"].to_numpy(float), t["forecast"].to_numpy(float)
    tot = np.abs(a).sum()
    base = H.naive_wapes(t)
    inside = (a >= t["lower"].to_numpy(float)) & (a <= t["upper"].to_numpy(float))
    level = t["mean3"].to_numpy(float)
    rel = (t["upper"].to_numpy(float) - t["lower"].to_numpy(float)) / np.where(level > 0, level, np.nan)
    wape = np.abs(a - f).sum() / tot if tot else np.nan
    return {"cover": float(inside.mean()), "wape": wape, "bias": (f - a).sum() / tot if tot else np.nan,
            "ratio": wape / min(base) if base and min(base) > 0 else np.nan, "width": float(np.nanmedian(rel)),
            "neg": int((t["lower"].to_numpy(float) < 0).sum()), "points": len(t)}


def weekly_group(histories: list[tuple[str, pd.DataFrame]]) -> dict[str, dict[str, dict]]:
    """Per history: figures with 12 origins (common rows), with a year (all rows, common rows)."""
    out: dict[str, dict[str, dict]] = {}
    for name, tx in histories:
        old, new = shown(tx, F.SERIES_EXPENSES, "week", False), shown(tx, F.SERIES_EXPENSES, "week", True)
        if old.empty or new.empty:
            continue
        keys = ["origin", "ds", "step"]
        common = new.merge(old[keys], on=keys)
        out[name] = {"old": figures(old), "new_all": figures(new), "new_common": figures(common)}
    return out


def report(label: str, g: dict[str, dict[str, dict]]) -> dict[str, float]:
    def mean(part: str, key: str) -> float:
        return float(np.nanmean([r[part][key] for r in g.values()]))

    s = {
        "n": len(g),
        "cover_old": mean("old", "cover"), "cover_all": mean("new_all", "cover"), "cover_common": mean("new_common", "cover"),
        "ratio_old": mean("old", "ratio"), "ratio_new": mean("new_common", "ratio"),
        "bias_old": mean("old", "bias"), "bias_new": mean("new_common", "bias"),
        "wape_old": mean("old", "wape"), "wape_new": mean("new_common", "wape"),
        "width_old": float(np.median([r["old"]["width"] for r in g.values()])),
        "width_new": float(np.median([r["new_all"]["width"] for r in g.values()])),
        "neg": sum(r["new_all"]["neg"] for r in g.values()),
        "points_old": sum(r["old"]["points"] for r in g.values()),
        "points_new": sum(r["new_all"]["points"] for r in g.values()),
    }
    print(f"\n== {label}: weekly total expenses, {s['n']} histories (weighed equally)")
    print(f"   12 origins:  cover {s['cover_old']:.1%}  WAPE {s['wape_old']:.1%}  ratio {s['ratio_old']:.3f}  "
          f"bias {s['bias_old']:+.1%}  width {s['width_old']:.2f}  ({s['points_old']} points)")
    print(f"   a year:      cover {s['cover_all']:.1%} (all rows), {s['cover_common']:.1%} (common rows)  "
          f"WAPE {s['wape_new']:.1%}  ratio {s['ratio_new']:.3f}  bias {s['bias_new']:+.1%}  width {s['width_new']:.2f}  "
          f"negative lower bounds {s['neg']}  ({s['points_new']} points)")
    for name, r in g.items():
        print(f"      {name:32s} cover {r['old']['cover']:5.1%} -> {r['new_all']['cover']:5.1%} / {r['new_common']['cover']:5.1%}"
              f"  ratio {r['old']['ratio']:.3f} -> {r['new_common']['ratio']:.3f}  width {r['old']['width']:.2f} -> "
              f"{r['new_all']['width']:.2f}")
    return s


def criteria(label: str, s: dict[str, float], number: int) -> list[tuple[str, bool]]:
    lo, hi = COVER
    return [
        (f"{number}. {label}: cover all {s['cover_all']:.1%} and common {s['cover_common']:.1%} within 72-88%",
         lo <= s["cover_all"] <= hi and lo <= s["cover_common"] <= hi),
        (f"3. {label}: ratio {s['ratio_new']:.3f} <= {s['ratio_old']:.3f} + {RATIO_TOL}",
         s["ratio_new"] <= s["ratio_old"] + RATIO_TOL),
        (f"5. {label}: {s['neg']} negative lower bounds, median width {s['width_new']:.2f} <= {MAX_WIDTH}",
         s["neg"] == 0 and s["width_new"] <= MAX_WIDTH),
    ]


def monthly_unchanged() -> tuple[str, bool]:
    """Criterion 4: every monthly series of the 13 households, both settings, every figure compared."""
    worst, n = 0.0, 0
    for _, _, fn in H.households():
        tx = F.parse_transactions(fn())
        hist = F.history_from_frame(tx)
        cats = sorted(hist.daily.loc[hist.daily["kind"] == "expense", "category"].dropna().unique())
        for series in [F.SERIES_EXPENSES, F.SERIES_INCOME, F.SERIES_NET] + [F.category_series(c) for c in cats]:
            out = []
            for a_year in (False, True):
                try:
                    with origins_a_year(a_year):
                        out.append(F.forecast_frame(tx, series=series, horizon=HORIZON, interval=INTERVAL))
                except (F.NotEnoughHistory, ValueError):
                    out.append(None)
            if out[0] is None or out[1] is None:
                continue
            n += 1
            for frame in ("forecast",):
                x, y = getattr(out[0], frame), getattr(out[1], frame)
                for col in ("yhat", "yhat_lower", "yhat_upper"):
                    d = np.abs(x[col].to_numpy(float) - y[col].to_numpy(float)) / np.maximum(np.abs(x[col].to_numpy(float)), 1)
                    worst = max(worst, float(d.max()) if len(d) else 0.0)
            if out[0].backtest is not None:
                x, y = out[0].backtest.table, out[1].backtest.table
                for col in ("forecast", "lower", "upper"):
                    d = np.abs(x[col].to_numpy(float) - y[col].to_numpy(float)) / np.maximum(np.abs(x[col].to_numpy(float)), 1)
                    worst = max(worst, float(d.max()) if len(d) else 0.0)
    return f"4. monthly: {n} series (total expenses, income, net, categories), max relative difference {worst:.2e}", worst <= 0.005


def speed() -> tuple[str, bool]:
    """Criterion 6: one weekly series cold (CSV path), the settings alternated."""
    tx = F.parse_transactions(H.demo(11, 36))
    F.forecast_frame(tx, freq="week", horizon=8)  # libraries imported
    got: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(3):
        for a_year in (False, True):
            with origins_a_year(a_year):
                t, c = time.perf_counter(), time.process_time()
                F.forecast_frame(tx, freq="week", horizon=8)
                got[a_year].append((time.perf_counter() - t, time.process_time() - c))
    load = os.getloadavg()
    for a_year, v in got.items():
        print(f"   one weekly series cold, {'a year of origins' if a_year else '12 origins':18s}: wall "
              f"{np.median([w for w, _ in v]):.3f} s, CPU {np.median([c for _, c in v]):.3f} s (median of 3)")
    cpu = float(np.median([c for _, c in got[True]]))
    return f"6. one weekly series cold: CPU {cpu:.3f} s <= 1 s (load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})", cpu <= 1.0


def outer(histories: list[tuple[str, pd.DataFrame]], cuts: int = 4, ahead: int = 8) -> None:
    """Reported, not a criterion (added after the pre-registration): the ranges a user is shown. Each history cut at
    the end of ``cuts`` weeks, ``ahead`` weeks apart, counted back from its last complete week; the final forecast
    (8 weeks) from each cut against the weeks that followed; histories weighed equally."""
    cover: dict[bool, list[float]] = {False: [], True: []}
    width: dict[bool, list[float]] = {False: [], True: []}
    for _, tx in histories:
        try:
            weeks = F.forecast_frame(tx, freq="week", horizon=1).history
        except (F.NotEnoughHistory, ValueError):
            continue
        actual = dict(zip(weeks["ds"], weeks["y"]))
        for a_year in (False, True):
            inside, rel = [], []
            for c in range(1, cuts + 1):
                k = len(weeks) - 1 - c * ahead
                if k < 2 * F.MIN_HISTORY["week"]:
                    continue
                as_of = weeks["ds"].iloc[k] + dt.timedelta(days=6)
                try:
                    with origins_a_year(a_year):
                        res = F.forecast_frame(tx[tx["date"] <= pd.Timestamp(as_of)], freq="week", horizon=ahead)
                except (F.NotEnoughHistory, ValueError):
                    continue
                level = float(np.mean(weeks["y"].iloc[max(0, k - 12) : k + 1]))
                for _, row in res.forecast.iterrows():
                    if row["ds"] in actual:
                        a = actual[row["ds"]]
                        inside.append(row["yhat_lower"] <= a <= row["yhat_upper"])
                        rel.append((row["yhat_upper"] - row["yhat_lower"]) / level if level > 0 else np.nan)
            if inside:
                cover[a_year].append(float(np.mean(inside)))
                width[a_year].append(float(np.nanmedian(rel)))
    for a_year in (False, True):
        print(f"   final ranges at {cuts} outer cuts, {'a year of origins' if a_year else '12 origins':18s}: cover "
              f"{np.mean(cover[a_year]):.1%} ({len(cover[a_year])} histories), median width {np.median(width[a_year]):.2f}")


def database_speed() -> None:
    """Reported: the database path (the app's), a demo user with 36 months, weekly, both settings alternated."""
    from benchmarks._common import PASSWORD, scratch_database
    from budgetwise.db import session_scope
    from budgetwise.services import demo

    with scratch_database("weekly-check") as db:
        with session_scope(db.factory) as s:
            principal, count = demo.create_demo_account(s, settings=db.settings, email="bench@example.com", months=36,
                                                        password=PASSWORD)
        uid = principal.user_id
        with session_scope(db.factory) as s:
            F.forecast_user(s, user_id=uid, horizon=8, freq="week")  # libraries imported
        for _ in range(2):
            for a_year in (False, True):
                name = "a year of origins" if a_year else "12 origins"
                with origins_a_year(a_year), session_scope(db.factory) as s:
                    t, c = time.perf_counter(), time.process_time()
                    F.forecast_user(s, user_id=uid, horizon=8, freq="week")
                    w1, c1 = time.perf_counter() - t, time.process_time() - c
                    api._RUNS_CACHE.clear()
                    api._POOL_CACHE.clear()
                    t, c = time.perf_counter(), time.process_time()
                    res = F.forecast_user_categories(s, user_id=uid, horizon=8, freq="week")
                    w2, c2 = time.perf_counter() - t, time.process_time() - c
                load = " ".join(f"{v:.1f}" for v in os.getloadavg())
                print(f"   database path ({count} transactions), {name:18s}: weekly total expenses cold {w1:.3f} s wall "
                      f"{c1:.3f} s CPU; all {len(res.results)} weekly categories cold {w2:.3f} s wall {c2:.3f} s CPU "
                      f"(load {load})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", default="households")
    parser.add_argument("--monthly", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--outer", action="store_true", help="the final ranges at outer cuts (reported, not a criterion)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    t0, c0 = time.perf_counter(), time.process_time()
    verdicts: list[tuple[str, bool]] = []
    for group in args.groups.split(","):
        if group == "households":
            histories = [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
            number = 1
        else:
            first, last = (int(x) for x in group.removeprefix("seeds").split("-"))
            histories = SC.fresh(first, last)
            number = 2
        if args.outer:
            outer(histories)
            continue
        verdicts += criteria(group, report(group, weekly_group(histories)), number)
        print(f"   ({time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU so far)", flush=True)
    if args.monthly:
        verdicts.append(monthly_unchanged())
    if args.speed:
        verdicts.append(speed())
        database_speed()
    print("\ncriteria:")
    for text, ok in sorted(verdicts, key=lambda v: v[0]):
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU; load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
