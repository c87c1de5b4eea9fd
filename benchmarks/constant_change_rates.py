"""How often a category's monthly amount that was constant for k months changes the next month, and by how much
(session 22, floor22; issue #17). Measured on the real household histories of ``forecast_households`` (monthly
totals per category and kind, expense and income; the first and last month of each history left out: partial).

A run: k >= 2 consecutive months with the same non-zero total to the cent. Each month that ends a run of length k
(overlapping: a run of 10 months gives k = 2..10) is one observation of the next month: changed or not, and its
relative change e = next / amount - 1 (a month with nothing, e = -100%, counted: a range misses it too).
Estimation histories: JerBouma (NL), Vermillion (CA), Fabio (PT), M-Pesa (KE); held out: the Kaggle household (US),
read only for its own figure.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/constant_change_rates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from forecast_households import fabio, jerbouma, kaggle, mpesa, vermillion  # noqa: E402

ESTIMATION = {"jerbouma": jerbouma, "vermillion": vermillion, "fabio": fabio, "mpesa": mpesa}
HELD_OUT = {"kaggle": kaggle}
BINS = ((2, 2), (3, 5), (6, 11), (12, 10_000))


def monthly(frame: pd.DataFrame) -> pd.DataFrame:
    """Month x (kind, category) totals in cents, the first and last (partial) months left out."""
    f = frame[frame["type"].isin(["expense", "income"])].copy()
    f["month"] = pd.to_datetime(f["date"]).dt.to_period("M")
    f["cents"] = (f["amount"].astype(float) * 100).round().astype(int)
    t = f.pivot_table(index="month", columns=["type", "category"], values="cents", aggfunc="sum", fill_value=0)
    t = t.reindex(pd.period_range(t.index.min(), t.index.max(), freq="M"), fill_value=0)
    return t.iloc[1:-1]


def observations(frame: pd.DataFrame) -> list[tuple[str, int, float]]:
    """(kind, k, e) for every month ending a constant run of length k >= 2 with a next month."""
    out = []
    t = monthly(frame)
    for col in t.columns:
        y = t[col].to_numpy()
        k = 1
        for i in range(1, len(y) - 1):
            k = k + 1 if y[i] == y[i - 1] and y[i] != 0 else 1
            if k >= 2:
                out.append((col[0], k, y[i + 1] / y[i] - 1.0))
    return out


def summary(obs: list[tuple[str, int, float]], label: str) -> None:
    e_all = np.array([o[2] for o in obs])
    print(f"{label}: {len(obs)} run-month observations")
    for lo, hi in BINS:
        e = np.array([o[2] for o in obs if lo <= o[1] <= hi])
        if len(e):
            ch = e[e != 0]
            print(f"  k {lo}-{hi if hi < 10_000 else '':<3}: n {len(e):4}, changed {len(ch) / len(e):.1%}"
                  f"{'' if not len(ch) else f', |e| median {np.median(np.abs(ch)):.1%}'}")
    ch = e_all[e_all != 0]
    if len(ch):
        q = np.quantile(np.abs(ch), [0.1, 0.25, 0.5, 0.75, 0.9])
        print(f"  all k: changed {len(ch) / len(e_all):.1%} ({len(ch)}); to nothing (-100%) {np.mean(ch == -1):.0%} of "
              f"changes; up {np.mean(ch > 0):.0%}; |e| deciles 10/25/50/75/90%: " + " / ".join(f"{v:.1%}" for v in q))
        print("  changes: " + ", ".join(f"{v:+.1%}" for v in np.sort(ch)))


def main() -> int:
    pooled = []
    for name, load in ESTIMATION.items():
        obs = observations(load())
        pooled += obs
        summary(obs, name)
    summary(pooled, "ESTIMATION POOLED")
    for name, load in HELD_OUT.items():
        summary(observations(load()), f"HELD OUT {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
