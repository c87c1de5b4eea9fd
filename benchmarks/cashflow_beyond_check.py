"""The cash-flow band 4-6 months ahead on young histories (issue #19; session 24, cflow24).

Recordings are ``cashflow_horizon_check.py capture young|long|real`` (the point, the band and the balance at the 6
month ends after each origin, with what ``cashflow_model._band`` saw); ``replay`` there scores the band rules
("beyond NAME": :data:`cashflow_model.BEYOND_GROWTH` = NAME). ``thirteen`` here runs ``cashflow_eval.evaluate`` (the 13
households, 12 origins, one month ahead) under each ``BEYOND_GROWTH``; ``decide`` checks the conditions below.

**Diagnosis (session 24, tuning seeds 900001-900040 young, 900001-900028 long; the real windows, seen).** Session 23's
young band (ages 3-13 complete months) covers 79.1 / 77.7 / 75.7% at months 1 / 2 / 3 but 70.8 / 66.7 / 65.0% at
months 4 / 5 / 6 (cf23's fresh seeds 2331-2390: 68.8 / 61.3 / 59.2%). Beyond the backtested steps
(:data:`cashflow_model.BAND_STEPS` = 3) every band widens with sqrt(k / 3), as if the months after the third were
independent; on young histories the 80th percentile of the scaled error grows from month 3 to 4 / 5 / 6 by x1.36 /
x1.83 / x2.26 (the flat shape alone 0.28 -> 0.41 / 0.49 / 0.59: x1.46 / x1.75 / x2.1), while sqrt(k / 3) is x1.15 /
x1.29 / x1.41. The mature histories (14+ months, whose step-3 band rests on at least 8 errors of its own) need little:
their coverage at months 4-6 is 74.4 / 74.3 / 70.7%, and their growth is left alone here.

**Candidate "linear"** (``BEYOND_GROWTH``): where the band at the last backtested step does **not** rest on that
step's own errors (the young band, fewer than ``YOUNG_ERRORS`` errors; the pooled "scale" band, fewer than
``MIN_SCALE_ERRORS`` errors of step 3: histories up to 13 complete months), it widens beyond month 3 in proportion to
k (``_growth``: growth(3) x k / 3) instead of sqrt(k / 3). Reason: nothing measures the growth there; an error
variance a k + b k^2 (independent months plus an error every month ahead shares: the level of a young history, taken
from few months, or last month repeated) grows from month 3 at most as k / 3 when there is no drift, so the band takes
that bound instead of the lower one (sqrt, b = 0). No constant is fitted. Months 1-3 and every band of a history with
its own step-3 errors are untouched by construction, so are all points. Tuning: Y months 4 / 5 / 6 70.8 / 66.7 / 65.0%
-> 74.0 / 74.2 / 72.8% (ages 3-8 71 / 72 / 72%, 9-13 78 / 78 / 76%), interval score +2.3 / +3.2 / +4.2%; L identical
at ages 14+; the real windows (seen) 73.7 / 72.8 / 70.6% -> 79.3 / 80.7 / 81.3%, interval score +2.2 / +5.3 / +7.2%.
"repeat" (sqrt((k + k^2) / 2) at every k, cf23's "uncapped"): Y 73.0 / 72.2 / 71.9%; not registered.

**Pre-registered test (this docstring committed before any capture of seeds 2391-2450).** Sets: **Y** = ``capture
young 2391-2450``; **L** = ``capture long 2391-2450``; **RY** = ``capture real`` (seen); **13** = ``thirteen`` (seen).
All captured with the product as shipped ("sqrt"), which the replay must reproduce. **On only if all hold**
(``decide``): B1 Y: coverage at months 4, 5 and 6 each within 72-88%; B2 Y: months 1-3 each within 72-88% if the
shipped band's is (no month leaves the range), and no band at months 1-3 wider or narrower by more than 1% (the
band is read by day: a month end 92 days ahead reads a little of month 4, +0.4% at most on the tuning seeds); B3 Y: mean interval score
(width + 10 x miss, / the band's scale) at each of months 4-6 <= 1.06 x shipped; B4 L: at each of months 1-6 coverage
within 72-88% or no further from 80% than shipped; B5 RY: at each of months 4-6 coverage within 72-88% or no
further from 80% than shipped (holds on the seen windows: a guard for the replay); B6 the 13: coverage within 72-88%,
every MAE and every band identical, as many histories better than both naive projections; B7 the Cash flow page
(``cashflow_speed.py``) <= 1.5 s cold and < 0.3 s cached, alternated with a ``git archive`` of main. Otherwise
"sqrt" stays and "linear" is the option. Reported beside: ages, shapes, months 4-6 on RY and L.

**Result (23:19 UTC, ``decide``; Y captured 23:03-23:16, L 23:03-23:18, the product as shipped): B1 FAILS, so
"linear" stays off** (``BEYOND_GROWTH = "sqrt"``; "linear" the option). Y months 4 / 5 / 6 67.3 / 60.9 / 56.2% ->
72.2 / 69.3 / 67.1% (ages 3-8 66 / 60 / 56% -> 70 / 68 / 65%, 9-13 70 / 63 / 58% -> 75 / 72 / 72%), interval score
2.387 / 2.951 / 3.476 -> 2.386 / 2.921 / 3.387 (lower: B3 holds); B2 holds (months 1-3 78.2 / 75.2 / 73.0% both, a
band moved 0.42% at most); B4 holds (L identical but 0.2 points at month 3); B5 holds (RY 79.3 / 80.7 / 81.3%); B6
holds (the 13: 112/139 = 80.6%, every error and band identical, 11/13 better than both). By shape at months 4 / 5 /
6 under "linear": flat 81 / 79 / 79%, noisy 81 / 81 / 82% (shipped 76 / 68 / 64%, 75 / 71 / 69%), but season 71 /
66 / 59% (a seasonal swing is a drift no growth law without it covers) and two outliers 55 / 50 / 48% (already 59%
at month 3: a one-off month ahead). The growth law is right where its premise holds; the shortfall is the two
shapes with a drift or a jump. Seeds 2391-2450 are used. (Session 25, cflow25: "linear" is on together with the young
band's one-off lower edge, whose joint test passed on seeds 2511-2570: ``cashflow_oneoff_check.py``; ``decide`` here
reads "beyond sqrt" as the shipped base.)

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_horizon_check.py capture young 2391-2450 /tmp/x/Y.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_horizon_check.py replay /tmp/x/Y.pkl --rules "shipped;beyond linear"
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_beyond_check.py thirteen /tmp/x/13.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_beyond_check.py decide Y.pkl L.pkl RY.pkl 13.pkl
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from cashflow_horizon_check import scored  # noqa: E402

from budgetwise.services import cashflow_model as M  # noqa: E402

SHORT = (1, 2, 3)
BEYOND = (4, 5, 6)


def _load(path: str) -> list[dict]:
    with open(path, "rb") as fh:
        return pickle.load(fh)


def _month(rows: list[dict], k: int) -> tuple[float, float]:
    sub = [r for r in rows if r["k"] == k]
    return sum(r["inside"] for r in sub) / max(1, len(sub)), float(np.mean([r["score"] for r in sub])) if sub else 0.0


def _near(new: float, old: float) -> bool:
    return 0.72 <= new <= 0.88 or abs(new - 0.8) <= abs(old - 0.8)


def decide(young: str, long: str, real: str, thirteen_path: str, rule: str = "beyond linear",
           base: str = "beyond sqrt") -> bool:
    """The pre-registered conditions B1-B6 (module docstring); B7 (speed) is measured apart."""
    ok = True

    def check(name: str, cond: bool, text: str) -> None:
        nonlocal ok
        ok = ok and cond
        print(f"{name}: {'holds' if cond else 'FAILS'}  {text}")

    def both(path: str) -> tuple[dict, dict]:
        rows = {n: scored(_load(path), b) for n, b in (("shipped", base), ("new", rule))}
        return rows, {n: {k: _month(rows[n], k) for k in (*SHORT, *BEYOND)} for n in rows}

    yr, y = both(young)
    replayed = all(r["same"] for r in yr["shipped"])
    check("B1", all(0.72 <= y["new"][k][0] <= 0.88 for k in BEYOND), "Y coverage months 4-6 " +
          " / ".join(f"{y['shipped'][k][0]:.1%} -> {y['new'][k][0]:.1%}" for k in BEYOND) +
          f" (shipped replay reproduces the recording: {replayed})")
    moved = max(abs((b["up"] - b["low"]) / max(1, a["up"] - a["low"]) - 1.0)
                for a, b in zip(yr["shipped"], yr["new"]) if a["k"] in SHORT)
    check("B2", moved <= 0.01 and all(0.72 <= y["new"][k][0] <= 0.88 or not 0.72 <= y["shipped"][k][0] <= 0.88
                                      for k in SHORT),
          "Y months 1-3 " + " / ".join(f"{y['shipped'][k][0]:.1%} -> {y['new'][k][0]:.1%}" for k in SHORT) +
          f", largest change of a band's width {moved:.2%}")
    check("B3", all(y["new"][k][1] <= 1.06 * y["shipped"][k][1] for k in BEYOND), "Y interval score months 4-6 " +
          " / ".join(f"{y['shipped'][k][1]:.3f} -> {y['new'][k][1]:.3f}" for k in BEYOND))
    for name, path, ks in (("B4", long, (*SHORT, *BEYOND)), ("B5", real, BEYOND)):
        _, z = both(path)
        check(name, all(_near(z["new"][k][0], z["shipped"][k][0]) for k in ks),
              f"{'L' if name == 'B4' else 'RY'} months {ks[0]}-{ks[-1]} coverage, interval score " +
              " / ".join(f"{z['shipped'][k][0]:.1%} {z['shipped'][k][1]:.3f} -> {z['new'][k][0]:.1%} "
                         f"{z['new'][k][1]:.3f}" for k in ks))
    rows13 = _load(thirteen_path)
    by = {g: [r for r in rows13 if r["beyond"] == g] for g in ("sqrt", rule.split()[1])}
    old, new = by.values()
    cov = sum(r["covered"] for r in new) / sum(r["origins"] for r in new)
    identical = all(a["errors"] == b["errors"] and a["inside"] == b["inside"] and a["widths"] == b["widths"]
                    for a, b in zip(old, new))

    def wins(rows: list[dict]) -> int:
        return sum(r["mae"] < min(r["stay"], r["repeat"]) for r in rows)

    check("B6", 0.72 <= cov <= 0.88 and identical and wins(new) == wins(old),
          f"the 13: coverage {cov:.1%}, every error and band identical: {identical}, better than both naive "
          f"{wins(old)} -> {wins(new)}")
    print("decision (B7 apart):", "on" if ok else "off")
    return ok


def thirteen(origins: int = 12) -> list[dict]:
    """The 13 households of ``cashflow_eval`` (one month ahead at the last ``origins`` origins) with each
    ``BEYOND_GROWTH``."""
    from cashflow_eval import evaluate
    from forecast_households import households

    keep, out = M.BEYOND_GROWTH, []
    try:
        for name, _, load in households():
            frame = load()
            for beyond in ("sqrt", "linear"):
                M.BEYOND_GROWTH = beyond
                r = evaluate(name, frame, origins)
                if r is not None:
                    out.append(dict(r, beyond=beyond))
                    print(f"{name:24s} {beyond:6s} MAE {r['mae']:9,.0f} stays {r['stay']:9,.0f} repeats "
                          f"{r['repeat']:9,.0f} in band {r['covered']}/{r['origins']}", flush=True)
    finally:
        M.BEYOND_GROWTH = keep
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("thirteen")
    t.add_argument("out")
    d = sub.add_parser("decide")
    for name in ("young", "long", "real", "thirteen"):
        d.add_argument(name)
    a = ap.parse_args(argv)
    t0, c0 = time.time(), time.process_time()
    if a.cmd == "decide":
        decide(a.young, a.long, a.real, a.thirteen)
    else:
        with open(a.out, "wb") as fh:
            pickle.dump(thirteen(), fh)
    print(f"{time.time() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
