"""The shipped selection rule against the previous one on the series the leave-one-household-out
evaluation does not cover (run by hand; prints figures, asserts nothing).

    .venv/bin/python benchmarks/forecast_series_check.py

``benchmarks/forecast_eval.py`` measures monthly total expenses only. Here every household of the
evaluation is forecast, with each rule, as weekly total expenses, monthly income and every monthly
category (categories with too little history are skipped), and the backtest each forecast shows the
user is compared: it is prequential (each origin chooses from targets that had ended by then), so it
is an out-of-sample figure of that series. Per kind of series, pooled over households: the weighted
absolute percentage error ``sum|actual - forecast| / sum|actual|`` (not biased toward low forecasts as
the mean APE is), the mean APE (periods with an actual of 0 skipped), the mean signed error relative to
the actual total (bias) and the 80% coverage. No settings are chosen here: a check, not a tuning set.
"""

from __future__ import annotations

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

RULES = {"previous (top 3, shrink 3, 1-4, scaled)": E.Config(), "shipped (top 4 + median_k, APE)": E.DEFAULT,
         "shipped, ranked on the scaled error": replace(E.DEFAULT, score="scaled")}


def tables(tx: pd.DataFrame) -> dict[str, list[pd.DataFrame]]:
    hist = F.history_from_frame(tx)
    out: dict[str, list[pd.DataFrame]] = {"weekly expenses": [], "monthly income": [], "monthly categories": []}
    jobs = [("weekly expenses", F.SERIES_EXPENSES, "week"), ("monthly income", F.SERIES_INCOME, "month")]
    cats = sorted(hist.daily.loc[hist.daily["kind"] == "expense", "category"].dropna().unique())
    jobs += [("monthly categories", F.category_series(c), "month") for c in cats]
    for kind, series, freq in jobs:
        try:
            res = F.forecast_history(hist, series=series, horizon=3, freq=freq)
        except (F.NotEnoughHistory, ValueError):
            continue
        if res.backtest is not None and len(res.backtest.table):
            out[kind].append(res.backtest.table[["actual", "forecast", "lower", "upper"]])
    return out


def main() -> int:
    warnings.filterwarnings("ignore")
    data = {name: F.parse_transactions(fn()) for name, _, fn in H.households()}
    for label, rule in RULES.items():
        backtest._choose_methods.__kwdefaults__["config"] = rule
        t = time.process_time()
        pooled: dict[str, list[pd.DataFrame]] = {}
        for tx in data.values():
            for kind, frames in tables(tx).items():
                pooled.setdefault(kind, []).extend(frames)
        print(f"\n== {label} ({time.process_time() - t:.0f} s CPU)")
        for kind, frames in pooled.items():
            d = pd.concat(frames)
            a, f = d["actual"].to_numpy(float), d["forecast"].to_numpy(float)
            nz = a != 0
            inside = ((a >= d["lower"]) & (a <= d["upper"])).mean()
            print(f"   {kind:20s} {len(frames):4d} series {len(d):6d} points  WAPE {np.abs(a - f).sum() / np.abs(a).sum():6.1%}"
                  f"  MAPE {np.mean(np.abs(a - f)[nz] / np.abs(a[nz])):7.1%}  bias {(f - a).sum() / np.abs(a).sum():+6.1%}"
                  f"  80% coverage {inside:5.1%}")
    backtest._choose_methods.__kwdefaults__["config"] = E.DEFAULT
    return 0


if __name__ == "__main__":
    sys.exit(main())
