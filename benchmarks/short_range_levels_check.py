"""Session 22 (level22, issue #17): ``conformal.SHORT_RANGE`` at the Forecast page's 90% and 95% levels.

    .venv/bin/python benchmarks/short_range_levels_check.py            # the test, fresh seeds 2151-2180
    .venv/bin/python benchmarks/short_range_levels_check.py --households   # the 13 households (reported only)

Why: ``SHORT_RANGE`` (bills22) widens a conformal range by z(L) / z(rank_coverage(m)) when the rank rule's expected
coverage over m distinct months is below L. Its pre-registered test (benchmarks/forecast_oneoff_check.py
--short-range) measured L = 80% only. At 90% / 95% a step's 12 backtest errors cover 11/13 in expectation, so every
history's range widens (x 1.15 / x 1.37) whatever its length (review22): a default change no test measured.

PRE-REGISTERED TEST (level22; written and committed before any run on seeds 2151-2180, which no session has generated
or scored before, and before any run of this script on any data). Rules: OFF = ``SHORT_RANGE`` False, ON = True (the
shipped), everything else as shipped (``model.MODEL_ONE_OFF`` on). Groups, built by forecast_oneoff_check's own
``_short_range_groups(2151, 2180)`` (imported, not copied): "bills short" (14 months, 7-11 before each origin),
"short" (drawn, 14 months, 7-11 before each origin), "bills" (15-24 months, 12 before each origin), "long"
(``forecast_short_check.fresh``: drawn and demo households, 15-24 months, 12 before each origin). Scoring as
forecast_eval (monthly total expenses, 3 months ahead, the product's range: the conformal range, or the model's
normal one when the backtest has too few errors), with ``forecast_eval.INTERVAL`` and the model's own range at L.
One model run per history (cached in /tmp/level22-fe); its range is re-read at each level with the flag off and on.

For each level L in {0.90, 0.95}, ON keeps its widening at L only if BOTH hold:
  L1. pooled over all four groups' points: |ON - L| <= |OFF - L| (ON's coverage no further from the level asked);
  L2. no over-coverage: ON's pooled coverage and ON's coverage in each group <= L + (1 - L) / 2 (0.95 at 90%,
      0.975 at 95%: the range misses at least half as often as the level says; L + 0.05 would be no bound at 95%).
A level that fails gets no widening: ``short_factors`` returns 1 there (the level as calibrated), with a test. L = 0.80
is not re-decided: its figures with ON must equal the shipped ones (checked: the run's own 80% range with the flag on
is the one forecast_eval stores); printed for reference. The 13 households (``--households``, <= 24 origins) are
measured after the verdict, reported only, never used to decide. Run once on the fresh seeds.
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
import forecast_oneoff_check as OC
import forecast_short_check as SC
import numpy as np

from budgetwise.services import forecast as F
from budgetwise.services.forecast import conformal as CF

LEVELS = (0.8, 0.9, 0.95)
SHIPPED = CF.SHORT_RANGE
_MODEL_RUN = FE.model_run


def model_run_levels(tx, as_of):  # type: ignore[no-untyped-def]
    """forecast_eval's model run, plus the model's own range at each level with the flag off and on."""
    extra: dict = {}
    orig = F._finish

    def fin(run, ctx, **kw):  # type: ignore[no-untyped-def]
        for level in LEVELS:
            for flag in (False, True):
                CF.SHORT_RANGE = flag
                r = orig(run, ctx, **{**kw, "interval": level, "notes": []})
                extra[(level, flag)] = (r.forecast["yhat_lower"].to_numpy(dtype=float),
                                        r.forecast["yhat_upper"].to_numpy(dtype=float))
        CF.SHORT_RANGE = SHIPPED
        return orig(run, ctx, **kw)

    F._finish = fin
    try:
        out = _MODEL_RUN(tx, as_of)
    finally:
        F._finish = orig
        CF.SHORT_RANGE = SHIPPED
    out["levels"] = extra
    return out


def _runs(args: tuple) -> tuple[str, list[dict]]:
    group, name, tx = args
    warnings.filterwarnings("ignore")
    FE.model_run = model_run_levels
    FE.CACHE = Path("/tmp/level22-fe")
    FE.MIN_TRAIN_MONTHS = 7 if group.endswith("short") else 12
    return name, FE.household_runs(name, tx, max_origins=24 if group == "households" else 99, with_daily=False,
                                   refresh=False)


def inside(runs: list[dict], level: float, flag: bool) -> np.ndarray:
    """Per point, whether the actual is inside the product's range at ``level`` with ``SHORT_RANGE = flag``."""
    FE.INTERVAL, CF.SHORT_RANGE = level, flag
    out = []
    for r in runs:
        run = r["run"]
        run["model_lower"], run["model_upper"] = run["levels"][(level, flag)]
        _, lo, hi = FE.product(run, OC.D)
        out.append((r["actual"] >= lo) & (r["actual"] <= hi))
    FE.INTERVAL, CF.SHORT_RANGE = 0.8, SHIPPED
    return np.concatenate(out) if out else np.array([], dtype=bool)


def main() -> int:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="2151-2180")
    ap.add_argument("--households", action="store_true", help="the 13 households, reported only")
    ap.add_argument("--groups", default="bills short,short,bills,long")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from multiprocessing import Pool

    if args.households:
        hist = {"households": [(n, SC.F.parse_transactions(fn())) for n, _, fn in H.households()]}
    else:
        first, last = (int(x) for x in args.seeds.split("-"))
        allg = OC._short_range_groups(first, last)
        hist = {g: allg[g] for g in args.groups.split(",")}
    jobs = [(g, n, tx) for g, hs in hist.items() for n, tx in hs]
    with Pool(args.workers) as pool:
        got = dict(pool.imap_unordered(_runs, jobs))
    for runs in got.values():  # the 80% range with the flag on is forecast_eval's own (the shipped)
        for r in runs:
            lo, hi = r["run"]["levels"][(0.8, SHIPPED)]
            assert np.allclose(lo, r["run"]["model_lower"]) and np.allclose(hi, r["run"]["model_upper"])
    cover: dict = {}
    for g, hs in hist.items():
        runs = [r for n, _ in hs for r in got[n]]
        print(f"== {g}: {sum(1 for n, _ in hs if got[n])} histories, {3 * len(runs)} points", flush=True)
        for level in LEVELS:
            for flag in (False, True):
                cover[(g, level, flag)] = inside(runs, level, flag)
            print(f"   {level:.0%}: OFF {cover[(g, level, False)].mean():.3f}  ON {cover[(g, level, True)].mean():.3f}",
                  flush=True)
    if args.households:
        return 0
    verdict = []
    for level in LEVELS:
        pooled = {f: float(np.concatenate([cover[(g, level, f)] for g in hist]).mean()) for f in (False, True)}
        top = level + (1 - level) / 2
        print(f"== pooled {level:.0%}: OFF {pooled[False]:.3f}  ON {pooled[True]:.3f}")
        if level == 0.8:  # not re-decided
            continue
        l1 = abs(pooled[True] - level) <= abs(pooled[False] - level)
        l2 = pooled[True] <= top and all(cover[(g, level, True)].mean() <= top for g in hist)
        print(f"   {'PASS' if l1 else 'FAIL'}  L1 ({level:.0%}) ON no further from the level")
        print(f"   {'PASS' if l2 else 'FAIL'}  L2 ({level:.0%}) ON pooled and each group <= {top:.3f}")
        verdict.append(f"{level:.0%}: " + ("widening kept" if l1 and l2 else "no widening"))
    print("VERDICT: " + "; ".join(verdict))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
