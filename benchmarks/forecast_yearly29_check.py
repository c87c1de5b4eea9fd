"""Session 29 (yearly29, issue #17, oneoff28's "Left (1)"): a payment that recurs every year in the same month is a
yearly payment, not a one-off (run by hand; prints figures and each pre-registered criterion).

    .venv/bin/python benchmarks/forecast_yearly29_check.py --decide               # the one run on seeds 3351-3410
    .venv/bin/python benchmarks/forecast_yearly29_check.py --seeds 905521-905530  # tuning seeds only

WHAT WAS SEEN. On oneoff28's "yearly" households (``drawn_structure`` and a payment of 4-12 x 900 on the 15th of the
same calendar month every year) the product was above its own best naive guess on 41 of 60 (pooled ratio 1.105,
seeds 3051-3110): the one-off rule (``oneoff.winsorize``, shipped ``ONE_OFF_LOCAL``) caps every such month as a
one-off, so every naive candidate (last year's month and the blend included: they read the capped series) forecasts
the month of the payment at the usual level, while the plain last-year baseline carries it; the note names it a
one-off. Uncapping such months (oneoff28's second option) made "yearly" worse (21.68 -> 22.80%, tuning seeds): the
3-month mean, ETS and Theta then jump after the payment.

HYPOTHESIS. ``oneoff.ONE_OFF_YEARLY``: as ``ONE_OFF_LOCAL``, but a capped month whose month a year earlier was capped
too with an excess within ``oneoff.YEARLY_LIKE`` = 2 x of this one's (and two years earlier, when the history has
it) is a yearly payment (``oneoff.yearly``; the earlier month of such a pair too): it is not named a one-off
(``oneoff.one_offs``, the note), and every candidate's forecast of that calendar month carries last year's excess
(``oneoff.carry_yearly``, in ``ensemble.candidates_at``), in the backtest evidence and the final forecast alike; the
series the candidates average stays capped (so the 3-month mean, ETS, ... do not jump). Monthly series only. The
recurring-payment model is unchanged (its level leaves the excess out as before: ``oneoff.capped``), so ONE model run
per history serves both arms (cache /tmp/yearly29-fe-S). No parameter was fitted (2 x = "a similar amount").

PRE-REGISTERED TEST (written and committed before any run on seeds 3351-3410, which no session has generated or
scored before; tuning seeds 905521-905540 only before the commit). S = shipped (``ONE_OFF_LOCAL``); Y =
``ONE_OFF_YEARLY`` (``ensemble.Config.winsor``; the model identical). Monthly total expenses, 3 months ahead,
``forecast_eval`` scoring (pooled MAPE of every point, the product's 80% range), the last 12 origins of each
history with >= 12 months before each. Generated households, seed s in 3351-3410 (every group uses every seed):
"yearly", "shift", "giant", "plain" (benchmarks/forecast_oneoff28_check.py's generators) and "steady"
(benchmarks/forecast_shift28_check.py's), imported; "households": the 13 of ``forecast_eval.py`` (seen before, never
tuned on here; <= 24 origins).

Y becomes the default (``oneoff.YEARLY = True``) only if ALL hold:

Y1. yearly: Y's pooled MAPE <= 0.95 x S's, and fewer yearly households above their own best naive guess under Y
    than under S;
Y2. shift, giant, steady, plain: Y's pooled MAPE <= 1.005 x S's, each group;
Y3. households: Y's pooled MAPE <= 1.005 x S's, and no household above its best baseline under Y that is not
    under S;
Y4. all fresh groups pooled: Y's 80% coverage within 72-88%; households: Y's 80% coverage within 72-88%; yearly:
    Y's coverage >= S's - 2 points.

TUNING (seeds 905521-905540 and the 13 households, which the decision re-scores; before this commit; nothing was
changed after it -- no variant tried, the thresholds above are the brief's, not moved). S -> Y: yearly 19.94% ->
17.54% (0.880 x), above own naive 17 -> 11 of 20, coverage 0.876 -> 0.906; shift 25.53%, giant 17.75%, steady 69.20%,
plain 14.39%, households 21.69% (ratio 0.6887, coverage 0.798): identical under both (no month there is capped a year
after a capped month of a like excess). The yearly histories that do not move have their payment recur only once
within the scored origins (the first recurrence cannot be told from a one-off) or are too short (24 months).

If any fails, ``oneoff.YEARLY`` stays False (the mode stays an option, tested) and the report says so.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_eval as FE
import forecast_households as H
import forecast_oneoff28_check as O28
import forecast_shift28_check as S28
import numpy as np

from budgetwise.services import forecast as F
from budgetwise.services.forecast import oneoff as O

MODES = {"S": O.ONE_OFF_LOCAL, "Y": O.ONE_OFF_YEARLY}
FRESH = (3351, 3410)
TUNING = (905521, 905540)
COVER = (0.72, 0.88)
GROUPS = ("yearly", "shift", "giant", "steady", "plain")
ORIGINS = 12


def history(group: str, seed: int):
    return S28.history(group, seed)  # "steady" its own, the rest oneoff28's


def _runs(args: tuple) -> tuple[str, str, list[dict]]:
    """The model's runs of one history (a worker): the same for both arms (the model is unchanged)."""
    from budgetwise.services.forecast import model as MD

    group, name, tx = args
    warnings.filterwarnings("ignore")
    MD.MODEL_ONE_OFF = O.ONE_OFF_LOCAL
    FE.CACHE = Path("/tmp/yearly29-fe-S")
    FE.MIN_TRAIN_MONTHS = 12
    runs = FE.household_runs(name, tx, max_origins=24 if group == "households" else ORIGINS, with_daily=False,
                             refresh=False)
    return group, name, runs


def run(first: int, last: int, workers: int, groups: tuple[str, ...], households: bool) -> int:
    from multiprocessing import Pool

    O28.MODES = MODES  # its scoring (O28._score) reads the rule's mode from here
    hist: dict[str, list] = {g: [history(g, s) for s in range(first, last + 1)] for g in groups}
    if households:
        hist["households"] = [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
    jobs = [(g, n, tx) for g, hs in hist.items() for n, tx in hs]
    with Pool(workers) as pool:
        got = {name: runs for _, name, runs in pool.imap_unordered(_runs, jobs)}
    res: dict[str, dict] = {}
    for g, hs in hist.items():
        res[g] = {rule: O28._score([got[n] for n, _ in hs], rule) for rule in MODES}
        s, y = res[g]["S"], res[g]["Y"]
        print(f"== {g}: {s['n']} histories, {s['points']} points", flush=True)
        for rule, x in res[g].items():
            print(f"   {rule:4s} MAPE {x['mape']:.2f}%  ratio {x['ratio']:.4f}  above own naive {x['above']}  "
                  f"80% coverage {x['cover']:.3f}", flush=True)
        if g in ("households", "yearly"):
            for (n, _), a, b in zip(hs, s["per"], y["per"]):
                print(f"     {n:24s} S {a[0]:6.2f}%  Y {b[0]:6.2f}%  best naive {a[1]:6.2f}%")
    if set(GROUPS) <= set(res) and households:
        return _verdict(res)
    return 0


def _newly_above(h: dict) -> int:
    return sum(y[0] > y[1] and not s[0] > s[1] for s, y in zip(h["S"]["per"], h["Y"]["per"]))


def _verdict(res: dict) -> int:
    yr, h = res["yearly"], res["households"]
    checks = [("Y1. yearly: Y <= 0.95 x S, fewer above own naive",
               yr["Y"]["mape"] <= 0.95 * yr["S"]["mape"] and yr["Y"]["above"] < yr["S"]["above"])]
    for g in ("shift", "giant", "steady", "plain"):
        checks.append((f"Y2. {g}: Y <= 1.005 x S", res[g]["Y"]["mape"] <= 1.005 * res[g]["S"]["mape"]))
    checks.append((f"Y3. households: Y <= 1.005 x S, none newly above its best baseline ({_newly_above(h)})",
                   h["Y"]["mape"] <= 1.005 * h["S"]["mape"] and _newly_above(h) == 0))
    pooled = float(np.mean(np.concatenate([res[g]["Y"]["inside"] for g in GROUPS])))
    checks.append((f"Y4. all fresh coverage {pooled:.3f} within 72-88%, households' within 72-88%, yearly >= S - 2 pt",
                   COVER[0] <= pooled <= COVER[1] and COVER[0] <= h["Y"]["cover"] <= COVER[1]
                   and yr["Y"]["cover"] >= yr["S"]["cover"] - 0.02))
    for name, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {name}")
    ok = all(v for _, v in checks)
    print("VERDICT: " + ("Y ships (oneoff.YEARLY = True)" if ok else "Y stays off (oneoff.YEARLY = False)"))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--decide", action="store_true", help="the one pre-registered run on seeds 3351-3410")
    ap.add_argument("--seeds", default="905521-905530", help="tuning seeds (905521-905540), without --decide")
    ap.add_argument("--groups", default=",".join(GROUPS), help="tuning only: the groups to run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-households", action="store_true")
    a = ap.parse_args()
    first, last = FRESH if a.decide else map(int, a.seeds.split("-"))
    if not a.decide and not (TUNING[0] <= first <= last <= TUNING[1]):
        ap.error("tuning seeds are 905521-905540; the fresh ones only with --decide")
    groups = GROUPS if a.decide else tuple(a.groups.split(","))
    return run(first, last, a.workers, groups, households=a.decide or not a.no_households)


if __name__ == "__main__":
    sys.exit(main())
