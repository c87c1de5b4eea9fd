"""Session 28 (oneoff28, issue #17): a lone one-off month counted as the level around it, not the whole history's
median (run by hand; prints figures and each pre-registered criterion).

    .venv/bin/python benchmarks/forecast_oneoff28_check.py --decide            # the one run on seeds 3051-3110
    .venv/bin/python benchmarks/forecast_oneoff28_check.py --seeds 905201-905230  # tuning seeds only

WHAT TRIAL27 SAW. Sam's total expenses (the Dutch JerBouma history, 2014-01 ... 2023-09): May 2023 held 30,098
(a tax payment) against "about 1,513 a month" usual, and the forecast read 5,772 a month with the note "The
recurring-payment model still spreads it over the periods ahead" (``backtest._one_off_note``). Diagnosis (the
trial's database, rebuilt by the CLI import): the forecast is NOT carried by May 2023. The chosen combination is
the 6-month median, median_k, the 12-month mean and ETS (weights 0.25 / 0.25 / 0.24 / 0.17; the recurring-payment
model 0.005); the household has spent 4,400-6,600 every month since January 2022 (1,000-2,500 in 2014-2021), so
5,680 is the recent level. The note's "usual" (1,513) is the median of all 115 months -- the old level -- and the
model was named because it is among the chosen at any weight. The same whole-history median is what the one-off
rule (``oneoff.winsorize``, mode ``ONE_OFF_MEDIAN``, shipped since session 21) counts the lone month as: the naive
and statistical candidates (and the model, ``model.MODEL_ONE_OFF``) see May 2023 as 1,513, the level of years
before, which pulls the 12-month mean, ETS and Theta down after a change of level.

HYPOTHESIS. Counting a lone one-off period as the median of the usual periods within ``oneoff.LOCAL_SPAN`` = 6
periods of it (``oneoff.ONE_OFF_LOCAL``; the whole history's median when fewer than 3 are that near), for the
candidates (``ensemble.DEFAULT.winsor``) and the model (``model.MODEL_ONE_OFF``) alike, lowers the error after a
change of level and changes little elsewhere (which periods are one-offs is unchanged; only what they count as).
No parameter was fitted on any data (6 = half a year either side, 3 = the smallest median of a few).

PRE-REGISTERED TEST (written and committed before any run on seeds 3051-3110, which no session has generated or
scored before; tuning seeds 905201-905300 only before the commit). S = shipped (``ONE_OFF_MEDIAN`` for both);
L = ``ONE_OFF_LOCAL`` for both. Monthly total expenses, 3 months ahead, ``forecast_eval`` scoring (pooled MAPE of
every point, the product's 80% range), the last 12 origins of each history with >= 12 months before each. Generated
households, seed s in 3051-3110 (every group uses every seed; histories of 24-36 months, drawn by
``default_rng([s, 28, g])``):

* "shift" (the trial's shape): ``forecast_households.synthetic`` with a level shift of +80% to +200% at 35-60% of
  the history (noise 0.1-0.6) and ONE purchase of 10-30 x 900 on a day after the shift (+31 days);
* "giant" (a single huge month, no forced shift): ``drawn_structure`` (its outliers removed) and ONE purchase of
  10-30 x 900 on a day of the last three quarters;
* "yearly" (large months that truly recur a year apart: annual insurance / tuition): ``drawn_structure`` (no
  outliers) and a payment of 4-12 x 900 (+-5% each year) on the 15th of the same calendar month every year;
* "plain": ``drawn_structure`` (no outliers), nothing added;
* "households": the 13 of ``forecast_eval.py`` (seen before; <= 24 origins).

L becomes the default (``oneoff.LOCAL = True``) only if ALL hold:

P1. shift: L's pooled MAPE <= 0.995 x S's (at least 0.5% lower, relative);
P2. giant, yearly, plain: L's pooled MAPE <= 1.01 x S's, each group;
P3. households: L's pooled ratio to the better naive guess <= S's + 0.005, and L's 80% coverage within 72-88%;
P4. every fresh group: L's 80% coverage >= S's - 2 points; all fresh groups pooled: L's coverage within 72-88%.

TUNING (seeds 905201-905230 only, before this commit; the thresholds above set from them): S -> L pooled MAPE shift
25.03% -> 24.77% (0.990 x), giant 19.08 -> 19.08%, yearly 21.68 -> 21.82% (1.006 x), plain 15.51 -> 15.52%;
coverage 0.744 -> 0.735, 0.811 -> 0.806, 0.841 -> 0.839, 0.797 -> 0.798. P1 was first written as 0.98 x and cut to
0.995 x after that run (the effect is about 1%, not 2%); a second option tried there, a period above the limit whose
period a year before or after is above it too left uncapped (annual insurance), made "yearly" worse (21.68 ->
22.80%) and was dropped before this commit.

If any fails, ``oneoff.LOCAL`` stays False (the mode stays an option, tested) and the report says so. The Forecast
page's one-off note (words, not a default) ships either way. Model runs cached in /tmp/oneoff28-fe-{S,L}.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_eval as FE
import forecast_households as H
import numpy as np
import pandas as pd

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E
from budgetwise.services.forecast import oneoff as O

MODES = {"S": O.ONE_OFF_MEDIAN, "L": O.ONE_OFF_LOCAL}
FRESH = (3051, 3110)
COVER = (0.72, 0.88)
GROUPS = ("shift", "giant", "yearly", "plain")
ORIGINS = 12


def _add(base: pd.DataFrame, rows: list[tuple]) -> pd.DataFrame:
    extra = H._plain([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], ["expense"] * len(rows),
                     [r[3] for r in rows])
    return pd.concat([base, extra], ignore_index=True)


def _days(base: pd.DataFrame) -> pd.DatetimeIndex:
    d = pd.to_datetime(base["date"])
    return pd.date_range(d.min(), d.max())


def _drawn(rng: np.random.Generator) -> dict:
    kw, _ = H.drawn_structure(rng)
    kw.pop("outliers", None)
    return kw


def history(group: str, seed: int) -> tuple[str, pd.DataFrame]:
    """One generated household of ``group`` (the docstring's generators)."""
    rng = np.random.default_rng([seed, 28, GROUPS.index(group)])
    months = int(rng.integers(24, 37))
    if group == "shift":
        at = float(rng.uniform(0.35, 0.6))
        base = H.synthetic(seed, months, shift_at=at, shift=float(rng.uniform(0.8, 2.0)),
                           noise=float(rng.uniform(0.1, 0.6)))
        days = _days(base)
        day = days[int(rng.integers(int(at * len(days)) + 31, len(days)))]
        tx = _add(base, [(day, float(rng.uniform(10, 30) * 900), "Home", "Builder")])
    elif group == "giant":
        base = H.synthetic(seed, months, **_drawn(rng))
        days = _days(base)
        tx = _add(base, [(days[int(rng.integers(len(days) // 4, len(days)))], float(rng.uniform(10, 30) * 900),
                          "Home", "Builder")])
    elif group == "yearly":
        base = H.synthetic(seed, months, **_drawn(rng))
        days = _days(base)
        month, amount = int(rng.integers(1, 13)), float(rng.uniform(4, 12) * 900)
        due = [d for d in days if d.month == month and d.day == 15]
        tx = _add(base, [(d, amount * float(rng.uniform(0.95, 1.05)), "Insurance", "Insurer") for d in due])
    else:
        tx = H.synthetic(seed, months, **_drawn(rng))
    return f"{group} {seed} {months}m", F.parse_transactions(tx)


def _runs(args: tuple) -> tuple[str, str, str, list[dict]]:
    """One history under one rule (a worker)."""
    from budgetwise.services.forecast import model as MD

    rule, group, name, tx = args
    warnings.filterwarnings("ignore")
    MD.MODEL_ONE_OFF = MODES[rule]
    FE.CACHE = Path(f"/tmp/oneoff28-fe-{rule}")
    FE.MIN_TRAIN_MONTHS = 12
    runs = FE.household_runs(name, tx, max_origins=24 if group == "households" else ORIGINS, with_daily=False,
                             refresh=False)
    return rule, group, name, runs


def _score(runs: list[list[dict]], rule: str) -> dict:
    config = replace(E.DEFAULT, winsor=MODES[rule])
    sc = [FE.score_household(r, config) for r in runs if r]
    pooled = {k: np.concatenate([s[k] for s in sc]) for k in ("product", "mean3", "last_year", "inside")}
    mape = FE.mape(pooled["product"])
    return {"mape": mape, "ratio": mape / FE.best_baseline(pooled)[1], "cover": float(np.mean(pooled["inside"])),
            "n": len(sc), "points": len(pooled["product"]), "inside": pooled["inside"],
            "above": int(sum(FE.mape(s["product"]) / FE.best_baseline(s)[1] > 1 for s in sc)),
            "per": [(FE.mape(s["product"]), FE.best_baseline(s)[1]) for s in sc]}


def run(first: int, last: int, workers: int, households: bool) -> int:
    from multiprocessing import Pool

    hist: dict[str, list] = {g: [history(g, s) for s in range(first, last + 1)] for g in GROUPS}
    if households:
        hist["households"] = [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
    jobs = [(rule, g, n, tx) for g, hs in hist.items() for n, tx in hs for rule in MODES]
    with Pool(workers) as pool:
        got = {(rule, name): runs for rule, _, name, runs in pool.imap_unordered(_runs, jobs)}
    res: dict[str, dict] = {}
    for g, hs in hist.items():
        res[g] = {rule: _score([got[(rule, n)] for n, _ in hs], rule) for rule in MODES}
        s, l_ = res[g]["S"], res[g]["L"]
        print(f"== {g}: {s['n']} histories, {s['points']} points", flush=True)
        for rule, r in res[g].items():
            print(f"   {rule:4s} MAPE {r['mape']:.2f}%  ratio {r['ratio']:.4f}  above own naive {r['above']}  "
                  f"80% coverage {r['cover']:.3f}", flush=True)
        if g == "households":
            for (n, _), a, b in zip(hs, s["per"], l_["per"]):
                print(f"     {n:24s} S {a[0]:6.2f}%  L {b[0]:6.2f}%  best naive {a[1]:6.2f}%")
    return _verdict(res, households)


def _verdict(res: dict, households: bool) -> int:
    checks = [("P1. shift: L <= 0.995 x S", res["shift"]["L"]["mape"] <= 0.995 * res["shift"]["S"]["mape"])]
    for g in ("giant", "yearly", "plain"):
        checks.append((f"P2. {g}: L <= 1.01 x S", res[g]["L"]["mape"] <= 1.01 * res[g]["S"]["mape"]))
    if households:
        h = res["households"]
        checks.append(("P3. households: ratio <= S + 0.005, coverage 72-88%",
                       h["L"]["ratio"] <= h["S"]["ratio"] + 0.005 and COVER[0] <= h["L"]["cover"] <= COVER[1]))
    for g in GROUPS:
        checks.append((f"P4. {g}: coverage >= S - 2 pt", res[g]["L"]["cover"] >= res[g]["S"]["cover"] - 0.02))
    pooled = float(np.mean(np.concatenate([res[g]["L"]["inside"] for g in GROUPS])))
    checks.append((f"P4. all fresh coverage {pooled:.3f} within 72-88%", COVER[0] <= pooled <= COVER[1]))
    for name, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {name}")
    ok = all(v for _, v in checks)
    print("VERDICT: " + ("L ships (oneoff.LOCAL = True)" if ok else "L stays off (oneoff.LOCAL = False)"))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decide", action="store_true", help="the one pre-registered run on seeds 3051-3110")
    ap.add_argument("--seeds", default="905201-905230", help="tuning seeds (905201-905300), without --decide")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-households", action="store_true")
    a = ap.parse_args()
    first, last = FRESH if a.decide else map(int, a.seeds.split("-"))
    if not a.decide and not (905201 <= first <= last <= 905300):
        ap.error("tuning seeds are 905201-905300; the fresh ones only with --decide")
    return run(first, last, a.workers, households=a.decide or not a.no_households)


if __name__ == "__main__":
    sys.exit(main())
