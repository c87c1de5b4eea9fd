"""Cash-flow backtest (issue #19): the projected end-of-month balance one month ahead vs what happened.

For each household history (``benchmarks/forecast_households.py``: the real ones in ../shared/data
and generated ones with known income and bills) and each origin (the last ``--origins`` month ends
with at least 12 months before them), the history up to the origin is projected one month ahead
with :func:`budgetwise.services.cashflow.project_history`. The balance is the running sum of income
minus expenses (transfers left out: all own accounts together), so the level does not matter.

Printed per history: the mean absolute error of the end-of-next-month balance for the projection
and for two naive ones ("balance stays where it is", "last month repeats"), and how often the
actual balance fell inside the 80% band. Targets (issue #19): better than both naive projections
on every history; band coverage 72-88% overall.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_eval.py [--origins 4] [--only NAME]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402
from forecast_households import households  # noqa: E402

from budgetwise.services import cashflow  # noqa: E402
from budgetwise.services import forecast as F  # noqa: E402


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def evaluate(name: str, frame: pd.DataFrame, origins: int) -> dict | None:
    canon = F.parse_transactions(frame, currency="USD")
    canon = canon[canon["kind"].isin(["income", "expense"])]  # transfers are already left out
    dates = pd.to_datetime(canon["date"]).dt.date
    signed = canon["amount_minor"].where(canon["kind"] == "income", -canon["amount_minor"]).astype("int64")
    daily = signed.groupby(dates).sum().sort_index()
    first, last = daily.index.min(), daily.index.max()
    ends = []
    m = _month_end(first)
    while m < last:
        ends.append(m)
        m = _month_end(m + dt.timedelta(days=1))
    ends = [e for e in ends if (e - first).days >= 365 and _month_end(e + dt.timedelta(days=1)) <= last]
    ends = ends[-origins:]
    if not ends:
        return None
    cum = daily.cumsum()

    def balance(day: dt.date) -> int:
        upto = cum[cum.index <= day]
        return int(upto.iloc[-1]) if len(upto) else 0

    err, stay, repeat, inside = [], [], [], 0
    for origin in ends:
        hist = F.history_from_frame(canon[dates <= origin], currency="USD", as_of=origin)
        start = balance(origin)
        p = cashflow.project_history(hist, start_balance_minor=start, as_of=origin, horizon_months=2)
        target = _month_end(origin + dt.timedelta(days=1))
        point = next(d for d in p.days if d.date == target)
        actual = balance(target)
        prev_end = origin.replace(day=1) - dt.timedelta(days=1)
        err.append(abs(point.balance_minor - actual))
        stay.append(abs(start - actual))
        repeat.append(abs(start + (start - balance(prev_end)) - actual))
        inside += point.lower_minor <= actual <= point.upper_minor
    n = len(ends)
    return {"history": name, "origins": n, "mae": sum(err) / n / 100, "stay": sum(stay) / n / 100,
            "repeat": sum(repeat) / n / 100, "covered": inside, "coverage": inside / n}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--origins", type=int, default=4)
    ap.add_argument("--only", help="only histories whose name contains this text")
    args = ap.parse_args(argv)
    rows = []
    print(f"{'history':26} {'n':>2} {'MAE':>10} {'stays':>10} {'repeats':>10} {'beats both':>10} {'in band':>8}  secs")
    for name, _kind, load in households():
        if args.only and args.only.lower() not in name.lower():
            continue
        t0 = time.perf_counter()
        try:
            r = evaluate(name, load(), args.origins)
        except Exception as exc:  # a history the forecast cannot use: say so, keep going
            print(f"{name:26} skipped: {exc}")
            continue
        if r is None:
            print(f"{name:26} skipped: under 13 months")
            continue
        rows.append(r)
        beats = r["mae"] < r["stay"] and r["mae"] < r["repeat"]
        print(f"{name:26} {r['origins']:>2} {r['mae']:>10,.0f} {r['stay']:>10,.0f} {r['repeat']:>10,.0f} "
              f"{'yes' if beats else 'no':>10} {r['covered']:>3}/{r['origins']:<4} {time.perf_counter() - t0:5.1f}")
    if rows:
        covered = sum(r["covered"] for r in rows)
        total = sum(r["origins"] for r in rows)
        wins = sum(r["mae"] < r["stay"] and r["mae"] < r["repeat"] for r in rows)
        print(f"\nbeats both naive projections on {wins}/{len(rows)} histories; "
              f"80% band coverage {covered}/{total} = {covered / total:.0%} (target 72-88%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
