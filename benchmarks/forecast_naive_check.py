"""Session 19 (fcnaive, issue #17): the thin prior guarded by the series' own evidence against its best naive guess
(run by hand; prints figures and, for the pre-registered test, each criterion).

    .venv/bin/python benchmarks/forecast_naive_check.py --rules explore19 --groups households,real,seeds841-900,seeds761-840
    .venv/bin/python benchmarks/forecast_naive_check.py --rules session19 --groups seeds1401-1460,real,households

Pre-registered in docs/history/forecasting.md ("Session 19 ... (fcnaive)") before any run on seeds 1401-1460.
Groups as in ``forecast_robust_check`` (``forecast_level_check.monthly``): monthly total expenses, 3 months ahead,
every outer origin with 12 months before it; ``households``: the 13 of ``forecast_eval.py --quick`` (cached runs, at
most 24 origins, the rule fixed on all); ``real``: the real histories cut to 18/21/24 months; ``seedsA-B``: generated
by ``forecast_short_check.fresh``. The rule (``Config.thin_guard``, :func:`budgetwise.services.forecast.thin.guarded`):
while the thin prior weighs (under 12 scored origins), a prior member (the model, the 6-month median) whose backtest
error is above the best naive guess's by more than ``z`` standard errors (paired over origins) hands its prior share
to that naive guess.
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

import forecast_level_check as LC

from budgetwise.services.forecast import ensemble as E

D = E.DEFAULT
NAIVE2 = ("mean3", "last_year")  # the two naive guesses the page shows
# exploration on used data only (the 13 households, the real cuts, seeds 761-900): docs/history/forecasting.md
EXPLORE19 = {
    "shipped": D,
    "guard z=1, mean3/last year": replace(D, thin_guard=1.0, naive=NAIVE2),
    "guard z=1, five naive": replace(D, thin_guard=1.0, naive=E.NAIVE),
    "guard z=2, five naive": replace(D, thin_guard=2.0, naive=E.NAIVE),
    "guard z=0, five naive": replace(D, thin_guard=0.0, naive=E.NAIVE),
    "guard z=0, mean3/last year": replace(D, thin_guard=0.0, naive=NAIVE2),
    "prior = the best naive (five)": replace(D, thin_guard=-1e9, naive=E.NAIVE),
}
# the brief's paired test on today's rule: the existing guards (2026-12-04; measured then on older rules only)
EXPLORE19B = {
    "shipped": D,
    "soft guard, five naive": replace(D, guard="soft", naive=E.NAIVE),
    "DM guard at 25%, five naive": replace(D, guard="test", guard_alpha=0.25, naive=E.NAIVE),
    "soft guard, mean3/last year": replace(D, guard="soft", naive=NAIVE2),
    "guard z=3, five naive": replace(D, thin_guard=3.0, naive=E.NAIVE),
}
# the paired test with the overlap of consecutive origins counted (Bartlett, 2 lags: ``thin_guard_lags``)
EXPLORE19C = {
    "shipped": D,
    "guard z=1 HAC, five naive": replace(D, thin_guard=1.0, thin_guard_lags=2, naive=E.NAIVE),
    "guard z=2 HAC, five naive": replace(D, thin_guard=2.0, thin_guard_lags=2, naive=E.NAIVE),
    "guard z=2 HAC, mean3/last year": replace(D, thin_guard=2.0, thin_guard_lags=2, naive=NAIVE2),
}
CANDIDATE = "G: guard z=3, five naive"
# session 19 (pre-registered in docs/history/forecasting.md before any run on seeds 1401-1460): the one candidate
SESSION19 = {"shipped": D, CANDIDATE: replace(D, thin_guard=3.0, naive=E.NAIVE)}
FRESH = "seeds1401-1460"
TOL = LC.TOL
COVER = LC.COVER


def criteria(results: dict) -> bool:
    """The pre-registered criteria 1-5 (docs/history/forecasting.md, session 19); 6 (weekly series unchanged) is
    by construction and ``test_thin.py``; 7, speed: ``forecast_eval.py --no-accuracy`` alternated with main."""
    s, c = "shipped", CANDIDATE
    out = []
    if FRESH in results:
        r = results[FRESH]
        out.append((f"1. {FRESH}: histories above their own best naive guess {r[c]['above']} < {r[s]['above']}",
                    r[c]["above"] < r[s]["above"]))
        out.append((f"2. {FRESH}: pooled ratio {r[c]['ratio']:.4f} <= {r[s]['ratio']:.4f} + {TOL}",
                    r[c]["ratio"] <= r[s]["ratio"] + TOL))
    cov = {g: results[g][c]["cover"] for g in (FRESH, "real", "households") if g in results}
    out.append(("3. coverage within 72-88%: " + ", ".join(f"{g} {v:.1%}" for g, v in cov.items()),
                all(COVER[0] <= v <= COVER[1] for v in cov.values())))
    out += LC.households_and_real(results.get("households"), results.get("real"), s, c, 4, digits=4)
    print("\ncriteria (session 19):")
    for text, ok in out:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")
    return len(out) == 5 and all(ok for _, ok in out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="real,households")
    ap.add_argument("--rules", choices=("explore19", "explore19b", "explore19c", "session19"), default="explore19")
    ap.add_argument("--boot", type=int, default=2000)
    args = ap.parse_args()
    rules = {"explore19": EXPLORE19, "explore19b": EXPLORE19B, "explore19c": EXPLORE19C, "session19": SESSION19}[args.rules]
    warnings.filterwarnings("ignore")
    results = LC.monthly_groups(args.groups, rules, args.boot)
    if args.rules == "session19":
        criteria(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
