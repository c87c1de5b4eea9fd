"""Forecast accuracy and speed (run by hand; prints figures, asserts nothing).

    .venv/bin/python benchmarks/forecast_eval.py [--quick] [--no-speed] [--files A.csv,B.csv]

Accuracy: a rolling-origin backtest of monthly total expenses, 3 months ahead, on
``sample_data/demo_transactions.csv`` and ``../shared/data/labeled/kaggle_personal_transactions.csv``
(and any ``--files`` in the same plain format: date, amount, category[, type, description]).
For every origin (the end of a complete month, with at least 12 months before it so
both baselines exist) each method sees only the transactions up to the origin and
forecasts the next 3 months; the forecasts are compared with what happened.

Methods:
  budgetwise     ``forecast.forecast_frame`` (a fresh model per origin, exactly the app's method
                 on the CSV path, including its own inner backtest for the blend weight and intervals)
  mean3          the mean of the last 3 months
  last_year      the same month last year
  daily_prophet  plain Prophet (defaults) fitted on daily totals (days without spending = 0),
                 summed per month (skipped with --quick)

Metrics: MAPE (mean absolute percentage error) and MASE (mean absolute error divided by the
in-sample mean absolute one-step change of the training months, per origin), and for
BudgetWise the share of actual months inside its 80% interval.

Speed: a temporary SQLite database with a demo user holding three years of history; the
time to forecast every expense category cold on the first call of a fresh process (which
starts the 2 worker processes; the Forecast page starts them in the background when it
opens), cold with the pool started (a new data version, twice), and cached
(``st.cache_data`` keyed like the Forecast page's cache).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetwise.services import forecast as F  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
HORIZON = 3
MIN_TRAIN_MONTHS = 12
TARGET_GAIN = 0.10
COVERAGE_RANGE = (0.70, 0.90)


def load_demo(path: Path) -> pd.DataFrame:
    return F.read_transactions_csv(str(path))


def load_kaggle(path: Path) -> pd.DataFrame:
    """Kaggle personal finance: MM/DD/YYYY, unsigned amounts, debit/credit; card payments are transfers."""
    raw = pd.read_csv(path, dtype=str)
    plain = pd.DataFrame(
        {
            "date": pd.to_datetime(raw["Date"], format="%m/%d/%Y").dt.strftime("%Y-%m-%d"),
            "amount": raw["Amount"],
            "category": raw["Category"],
            "type": np.where(
                raw["Category"].str.strip().str.lower() == "credit card payment", "transfer",
                np.where(raw["Transaction Type"].str.strip().str.lower() == "debit", "expense", "income"),
            ),
            "description": raw["Description"],
        }
    )
    return F.parse_transactions(plain)


def monthly_expenses(tx: pd.DataFrame) -> pd.Series:
    """Complete calendar months of expense totals (major units)."""
    exp = tx[tx["kind"] == "expense"]
    s = exp.groupby(exp["date"].dt.to_period("M"))["amount_minor"].sum() / 100.0
    first, last = tx["date"].min(), tx["date"].max()
    idx = pd.period_range(first.to_period("M"), last.to_period("M"), freq="M")
    s = s.reindex(idx, fill_value=0.0)
    if last.normalize() != last.to_period("M").to_timestamp(how="end").normalize():
        s = s.iloc[:-1]  # the last month is incomplete
    if first.day != 1:
        s = s.iloc[1:]  # so is the first
    return s


def daily_prophet(tx: pd.DataFrame, train_end: pd.Timestamp, months: pd.PeriodIndex) -> np.ndarray:
    from prophet import Prophet

    exp = tx[(tx["kind"] == "expense") & (tx["date"] <= train_end)]
    days = pd.date_range(exp["date"].min(), train_end)
    y = (exp.groupby("date")["amount_minor"].sum() / 100.0).reindex(days, fill_value=0.0)
    model = Prophet(uncertainty_samples=0)
    model.fit(pd.DataFrame({"ds": days, "y": y.to_numpy()}))
    future = pd.DataFrame({"ds": pd.date_range(months[0].start_time, months[-1].end_time.normalize())})
    pred = model.predict(future)
    return pred.groupby(pred["ds"].dt.to_period("M"))["yhat"].sum().reindex(months).to_numpy()


def evaluate(name: str, tx: pd.DataFrame, *, with_daily: bool) -> dict:
    months = monthly_expenses(tx)
    errors: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"budgetwise": [], "mean3": [], "last_year": []}
    if with_daily:
        errors["daily_prophet"] = []
    inside, origins = [], 0
    started = time.perf_counter()
    for t in range(MIN_TRAIN_MONTHS, len(months) - HORIZON + 1):
        train = months.iloc[:t]
        target = months.iloc[t : t + HORIZON]
        actual = target.to_numpy()
        train_end = train.index[-1].end_time.normalize()
        scale = float(np.mean(np.abs(np.diff(train.to_numpy()))))
        result = F.forecast_frame(tx[tx["date"] <= train_end], horizon=HORIZON, freq="month", as_of=train_end.date())
        fc = result.forecast
        assert [d.strftime("%Y-%m") for d in fc["ds"]] == [str(p) for p in target.index], "misaligned forecast"
        preds = {
            "budgetwise": fc["yhat"].to_numpy(),
            "mean3": np.repeat(train.iloc[-3:].mean(), HORIZON),
            "last_year": np.array([train.get(p - 12, np.nan) for p in target.index]),
        }
        if with_daily:
            preds["daily_prophet"] = daily_prophet(tx, train_end, target.index)
        for key, pred in preds.items():
            errors[key].append((np.abs(pred - actual) / np.abs(actual), np.abs(pred - actual) / scale))
        inside.append((actual >= fc["yhat_lower"].to_numpy()) & (actual <= fc["yhat_upper"].to_numpy()))
        origins += 1
    out = {"name": name, "months": len(months), "origins": origins, "points": origins * HORIZON,
           "seconds": time.perf_counter() - started}
    for key, pairs in errors.items():
        ape = np.concatenate([a for a, _ in pairs])
        ase = np.concatenate([b for _, b in pairs])
        out[key] = (100 * float(np.nanmean(ape)), float(np.nanmean(ase)))
    out["coverage"] = float(np.mean(np.concatenate(inside)))
    return out


def print_accuracy(r: dict) -> bool:
    print(f"\n== {r['name']}: {r['months']} complete months, {r['origins']} origins x {HORIZON} months "
          f"= {r['points']} forecasts ({r['seconds']:.0f} s)")
    print(f"   {'method':15s} {'MAPE':>8s} {'MASE':>7s}")
    for key in ("budgetwise", "mean3", "last_year", "daily_prophet"):
        if key in r:
            mape, mase = r[key]
            print(f"   {key:15s} {mape:7.1f}% {mase:7.3f}")
    ok = True
    bw_mape, bw_mase = r["budgetwise"]
    best = min(("mean3", "last_year"), key=lambda k: r[k][0])
    for label, key in (("best baseline (" + best + ")", best), ("plain daily Prophet", "daily_prophet")):
        if key not in r:
            continue
        gain_mape = 1 - bw_mape / r[key][0]
        gain_mase = 1 - bw_mase / r[key][1]
        passed = gain_mape >= TARGET_GAIN and gain_mase >= TARGET_GAIN
        ok &= passed
        print(f"   vs {label}: MAPE {gain_mape:+.0%} lower, MASE {gain_mase:+.0%} lower "
              f"-> {'PASS' if passed else 'FAIL'} (target >= {TARGET_GAIN:.0%})")
    lo, hi = COVERAGE_RANGE
    passed = lo <= r["coverage"] <= hi
    ok &= passed
    print(f"   80% interval coverage: {r['coverage']:.0%} -> {'PASS' if passed else 'FAIL'} (target {lo:.0%}-{hi:.0%})")
    return ok


def speed() -> None:
    os.environ.setdefault("BUDGETWISE_SECRET_KEY", "benchmark-secret-" + "x" * 40)
    import streamlit as st  # the page caches with st.cache_data; measure the same thing

    from budgetwise.config import Settings
    from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
    from budgetwise.services import auth, demo

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": tmp, "BUDGETWISE_SECRET_KEY": "forecast-eval-" + "x" * 48,
                                          "BUDGETWISE_BCRYPT_ROUNDS": "4"})
        upgrade_database(settings.database_url)
        engine = make_engine(settings.database_url)
        factory = make_session_factory(engine)
        with session_scope(factory) as s:
            principal, count = demo.create_demo_account(
                s, settings=settings, email="bench@example.com", months=36, password="violet-harbor-lantern-42"
            )
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"\n== speed: a user with 36 months of history ({count} transactions) in SQLite "
              f"({os.cpu_count()} cores, load average {load})")

        @st.cache_data(show_spinner=False)
        def cached(user_id: int, data_version: int, horizon: int, freq: str, interval: float):
            with session_scope(factory) as s:
                return F.forecast_user_categories(s, user_id=user_id, horizon=horizon, freq=freq, interval=interval)

        def run(label: str) -> None:
            with session_scope(factory) as s:
                version = auth.data_version(s, user_id=principal.user_id)
            t = time.perf_counter()
            res = cached(principal.user_id, version, 6, "month", 0.8)
            print(f"   {label:52s} {time.perf_counter() - t:6.3f} s  ({len(res.results)} categories)")

        run("all categories, cold, first call (starts 2 worker processes)")
        run("all categories, cached")
        for attempt in (1, 2):
            with session_scope(factory) as s:
                auth.touch_data(s, principal.user_id)
            run(f"all categories, cold (new data version, pool started) #{attempt}")
        run("all categories, cached")
        with session_scope(factory) as s:
            t = time.perf_counter()
            F.forecast_user(s, user_id=principal.user_id, horizon=6)
            print(f"   {'total expenses, one series, cold':52s} {time.perf_counter() - t:6.3f} s")
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip plain daily Prophet")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    parser.add_argument("--files", default="", help="more plain CSV files (date, amount, category[, type, description])")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    logging.getLogger("cmdstanpy").disabled = True
    logging.getLogger("prophet").setLevel(logging.ERROR)

    sets: list[tuple[str, pd.DataFrame]] = [("sample_data/demo_transactions.csv", load_demo(ROOT / "sample_data" / "demo_transactions.csv"))]
    kaggle = SHARED / "labeled" / "kaggle_personal_transactions.csv"
    if kaggle.exists():
        sets.append(("kaggle_personal_transactions.csv", load_kaggle(kaggle)))
    else:
        print(f"(skipping the Kaggle history: {kaggle} is absent)")
    for extra in filter(None, args.files.split(",")):
        sets.append((extra, F.read_transactions_csv(extra)))
    all_ok = True
    for name, tx in sets:
        all_ok &= print_accuracy(evaluate(name, tx, with_daily=not args.quick))
    print(f"\naccuracy targets: {'all met' if all_ok else 'NOT all met'}")
    if not args.no_speed:
        speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
