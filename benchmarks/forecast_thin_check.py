"""Session 16 (shortfc, issue #17): a prior combination for a thin monthly backtest (run by hand; prints figures and,
for the pre-registered test, each criterion's pass/fail).

    .venv/bin/python benchmarks/forecast_thin_check.py --rules explore16 --groups households,real,generated
    .venv/bin/python benchmarks/forecast_thin_check.py --rules explore16b --groups seeds601-680,seeds681-760
    .venv/bin/python benchmarks/forecast_thin_check.py --rules session16 --groups seeds761-800,seeds801-840,seeds761-840,real,households --series

Pre-registered in docs/forecasting.md ("Session 16 ... thin backtest", shortfc) before any run on seeds 761-840.
Groups: monthly total expenses, 3 months ahead, every outer origin with 12 months before it, through
``forecast_level_check.monthly`` / ``forecast_short_check.report`` (pooled MAPE, ratio to the better pooled naive
guess, histories above their own best naive guess, paired bootstrap); ``households``: the 13 of
``forecast_eval.py --quick`` (at most 24 origins). ``--series``: monthly income and monthly categories of the 13
households, series by series (``forecast_series_check``'s shown backtest), mean ratio to the best naive guess.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_households as H
import forecast_level_check as LC
import forecast_series_check as SE
import forecast_short_check as SC

from budgetwise.services import forecast as F
from budgetwise.services.forecast import ensemble as E

D = E.DEFAULT
# exploration on used data only (the 13 households, the real cuts, seeds 301-360 and 601-760)
EXPLORE16 = {
    "shipped": D,
    "thin 12: model+mean3": replace(D, thin_full=12, thin_prior=("model", "mean3")),
    "thin 12: model+mean3+last_year": replace(D, thin_full=12, thin_prior=("model", "mean3", "last_year")),
    "thin 12: model+mean3+blend": replace(D, thin_full=12, thin_prior=("model", "mean3", "blend")),
    "thin 12: model+median6": replace(D, thin_full=12, thin_prior=("model", "median6")),
    "thin 9: model+mean3": replace(D, thin_full=9, thin_prior=("model", "mean3")),
    "shrink 3 to model+mean3": replace(D, shrink=3.0, robust=("model", "mean3")),
}
EXPLORE16B = {r: EXPLORE16[r] for r in ("shipped", "thin 12: model+median6", "thin 12: model+mean3")}  # seeds 601-760
CANDIDATE = "T: thin 12, model+median6"
# session 16 (pre-registered in docs/forecasting.md before any run on seeds 761-840): the one candidate
SESSION16 = {"shipped": D, CANDIDATE: replace(D, thin_full=12, thin_prior=("model", "median6"))}
TOL = LC.TOL
COVER = LC.COVER


def series(rules: dict[str, E.Config]) -> dict:
    """Monthly income and categories of the 13 households, series by series: mean ratio to the best naive guess."""
    out: dict[str, dict[str, list[float]]] = {}
    for name, _, fn in H.households():
        by_kind = SE.series_runs(F.parse_transactions(fn()), ["income", "categories"])
        for kind, items in by_kind.items():
            for r, c in rules.items():
                frames = [f for f in (SE.shown_backtest(run, ctx, s, c, memo) for run, ctx, s, memo in items) if len(f)]
                if frames:
                    out.setdefault(kind, {}).setdefault(r, []).append(SE.ratio(SE.figures(frames)))
    for kind, by_rule in out.items():
        print(f"\n== {kind}, 13 households series by series: mean ratio to the best naive guess")
        for r, v in by_rule.items():
            print(f"   {r:34s} {np.nanmean(v):.3f}  above 1: {int(np.sum(np.array(v) > 1))}")
    return out


def criteria(results: dict, boot: int, series_out: dict | None) -> None:
    """The pre-registered criteria (docs/forecasting.md, session 16); speed is ``forecast_eval.py --no-accuracy``."""
    s, c = "shipped", CANDIDATE
    out = []
    for n, g in ((1, "seeds761-800"), (2, "seeds801-840")):
        if g in results:
            r = results[g]
            out.append((f"{n}. {g}: pooled ratio {r[c]['ratio']:.3f} < {r[s]['ratio']:.3f}", r[c]["ratio"] < r[s]["ratio"]))
    g = "seeds761-840"
    if g in results:
        r = results[g]
        sc, sb = r[c]["scores"], r[s]["scores"]
        rng = np.random.default_rng(0)
        idx = [rng.integers(0, len(sc), len(sc)) for _ in range(boot)]
        diffs = sorted(SC.pooled_ratio([sc[i] for i in ix])[0] - SC.pooled_ratio([sb[i] for i in ix])[0] for ix in idx)
        lo, hi = diffs[int(0.025 * boot)], diffs[int(0.975 * boot) - 1]
        d = SC.pooled_ratio(sc)[0] - SC.pooled_ratio(sb)[0]
        out.append((f"3. {g}: dMAPE {d:+.2f} [{lo:+.2f}, {hi:+.2f}] below 0", hi < 0))
        out.append((f"4. {g}: histories above 1: {r[c]['above']} <= {r[s]['above']}", r[c]["above"] <= r[s]["above"]))
    out += LC.households_and_real(results.get("households"), results.get("real"), s, c, 5)
    cov = {g: results[g][c]["cover"] for g in ("seeds761-800", "seeds801-840", "real", "households") if g in results}
    out.append(("7. coverage within 72-88%: " + ", ".join(f"{g} {v:.1%}" for g, v in cov.items()),
                all(COVER[0] <= v <= COVER[1] for v in cov.values())))
    if series_out:
        for kind, by_rule in series_out.items():
            a, b = float(np.nanmean(by_rule[c])), float(np.nanmean(by_rule[s]))
            out.append((f"8. {kind}: mean ratio {a:.3f} <= {b:.3f} + 0.01", a <= b + 0.01))
    print("\ncriteria (session 16):")
    for text, ok in out:
        print(f"   {'PASS' if ok else 'FAIL'}  {text}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="households,real")
    ap.add_argument("--rules", choices=("explore16", "explore16b", "session16"), default="explore16")
    ap.add_argument("--boot", type=int, default=2000)
    ap.add_argument("--series", action="store_true", help="also monthly income and categories (criterion 8)")
    args = ap.parse_args()
    rules = {"explore16": EXPLORE16, "explore16b": EXPLORE16B}.get(args.rules, SESSION16)
    warnings.filterwarnings("ignore")
    results = LC.monthly_groups(args.groups, rules, args.boot)
    series_out = series(rules) if args.series else None
    if args.rules == "session16":
        criteria(results, args.boot, series_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
