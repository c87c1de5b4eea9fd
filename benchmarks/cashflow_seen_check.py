"""A one-off month a young history already shows, left out of its band's spread and counted as a one-off (issue #19;
session 26, cf26; ``cashflow_model.YOUNG_SEEN_ONE_OFFS``).

Recordings are ``cashflow_horizon_check.py capture young|real`` (the point, the band and the balance at the 6 month
ends after each origin, with what ``cashflow_model._band`` saw), made with the product as shipped. ``replay`` scores
the band with the flag off ("shipped") and on ("candidate") on the same recordings (the flag changes the band only;
the shipped replay must reproduce every recorded band); ``decide`` checks the conditions below; ``thirteen`` runs
``cashflow_eval.evaluate`` (the 13 households, 12 origins, one month ahead) with the flag off and on.

**Diagnosis (tuning seeds 900001-900040 and 905001-905040, young, the product as shipped after session 25).** The
two-outlier shape covers 70 / 67 / 62% at months 4-6 (pooled 79.5 / 78.3 / 78.0%). Split by whether a one-off month
is already in the history at the origin: **none yet 35 / 33 / 30%** (62-66% of its month ends below the band), **one
or two seen 100 / 100 / 100%** (from month 3 on, every one covered), with an interval score at month 6 of 7.52, twice
the pool's. A history that has not shown its one-offs yet is, at its origin, a flat or noisy history: nothing in it
tells them apart, and the prior rate of one-offs (the goals', 0.037 a month, the population's) is about this
population's too (one shape in four, two one-offs in 12 possible months: 0.042). So no rule read from the history can
raise the "none yet" origins without widening the flat and noisy shapes beyond 88% (85-88% there already). What a
rule can mend is the other half: the young band (fewer than ``YOUNG_ERRORS`` = 12 backtest errors: up to 8 complete
months) is T(0.90) x the RMS of the month-to-month changes of the nets, and a one-off month of 5-10 times a month's
spending makes two changes ten times the usual: the band widens both ways by it, upward too, where a one-off never
goes. The season shape (20% swing, December high) misses below at ages 3-8 (13-20%: spending rising towards
December, not seen yet) and above at ages 9-11 (20-38%: falling after it): a drift a history without a year cannot
show; no term is registered for it here (reported beside).

**Candidate** ``YOUNG_SEEN_ONE_OFFS = True`` (``cashflow_oneoff.seen``): in the young band only, the goals' one detector
(``goal_stats.one_off_shortfalls``: a month more than 3.5 robust sds below its neighbours' median) looks from 4
complete months on (``SEEN_MIN_MONTHS``; the goals look from 12); a month it finds is brought back to its neighbours'
level for the spread, and counted in the lower edge's one-off mixture (``cashflow_oneoff.lower_edge``, session 25)
with the household's own count and the goals' prior (rate max(n / months, (n + 0.037 x 12) / (months + 12)), its
size as seen). Upper edge narrower, lower edge still allowing for one-offs at the household's rate. No constant is
fitted: 3.5, 12 and the prior are the goals' (session 19-20); 4 is the fewest months whose neighbours are not mostly
the one-off month itself (with 3 the goals' robust sd is 0 and nothing is found). A band with 12 or more errors (9+
complete months; the long histories, the 13) is untouched by construction.

Tuning (replayed; coverage months 1..6 / mean interval score = (width + 10 x miss) / the band's scale):

| set | shipped | candidate |
|---|---|---|
| Y 900001-900040 | 80.0 80.0 78.6 / 78.8 77.2 76.9; 0.841 1.435 2.015 / 2.596 3.123 3.695 | 77.3 78.2 76.6 / 77.2 76.1 75.3; 0.830 1.375 1.915 / 2.425 2.860 3.332 |
| Y 905001-905040 | 81.6 80.2 80.2 / 80.2 79.4 79.1; 0.753 1.347 1.895 / 2.338 2.808 3.282 | 78.2 76.6 77.0 / 77.5 76.4 76.6; 0.740 1.336 1.873 / 2.289 2.733 3.155 |
| RY real windows (seen) | 79.5 81.4 79.5 / 80.2 82.7 84.5; 1.902 3.057 3.943 / 4.921 5.996 7.148 | 77.7 80.0 77.7 / 78.3 80.7 82.4; 1.895 3.016 3.889 / 4.837 5.816 6.862 |

Both tuning blocks, months 1..6: the two-outlier origins with a one-off seen 91 93 99 / 100 100 100% -> 77 81 88 /
89 88 88%, their score at month 6 7.52 -> 5.42; none seen unchanged (68 51 36 / 35 33 30%); the shape as a whole 81
75 72 / 70 67 62% -> 73 68 65 / 64 61 57% (lower: its over-covered half comes down to the others' coverage). Flat 83
-> 81% at month 1 (a false find among 4-8 noisy months). Ages 3-8 at month 3: 75 -> 70% (known cost).

**Pre-registered test (this docstring committed before any capture of seeds 2751-2810).** Sets: **Y** = ``capture
young 2751-2810``; **RY** = ``capture real`` (seen); **13** = ``thirteen`` (seen). **On only if all hold**
(``decide``): S1 Y: pooled coverage at each of months 1-6 within 72-88%; S2 Y: mean interval score <= 1.00 x shipped
at each of months 1-6, and its ratio to shipped averaged over months 4-6 <= 0.98 (tuning: 0.917 and 0.971); S3 RY: at each of months 1-6 coverage within
72-88% or no further from 80% than shipped, interval score <= 1.00 x shipped (a guard: holds on the seen windows);
S4 every Y and RY band resting on 12 or more errors identical, and the 13 with the flag on: every error, band and
coverage identical to ``cashflow_eval --origins 12`` shipped (11/13 better than both naives, 112/139). Otherwise the
flag stays off and the candidate is the option. Reported beside: shapes, the two-outlier origins seen / none, ages.

**Result (05:32 UTC, ``decide``; Y captured 05:23-05:31 with the product as shipped, the flag off; RY and the 13
05:23-05:30): S1-S4 hold, the flag ships on.** Y months 1-6 80.0 / 76.4 / 76.2 / 77.3 / 77.2 / 76.2% -> **77.6 /
73.9 / 74.1 / 75.0 / 74.3 / 72.3%**, interval score 0.739 / 1.270 / 1.793 / 2.359 / 2.845 / 3.380 -> 0.723 / 1.242 /
1.742 / 2.280 / 2.721 / 3.224 (x0.979 / 0.978 / 0.971 / 0.966 / 0.956 / 0.954; months 4-6 mean 0.959); the shipped
replay reproduces all 3,600 recorded month ends. RY (seen) 79.5 / 81.4 / 79.5 / 80.2 / 82.7 / 84.5% -> 77.7 / 80.0 /
77.7 / 78.3 / 80.7 / 82.4%, score lower at every month. Bands on 12+ errors identical; the 13 identical (11/13,
112/139). Beside: the two-outlier origins with a one-off seen 90.8 / 82.9 / 89.5 / 92.1 / 94.2 / 97.6% -> 78.9 / 72.4
/ 80.3 / 81.0 / 82.7 / 80.5% (score at month 6 6.77 -> 4.94), none seen 67 / 57 / 44 / 36 / 34 / 30% (unchanged: the
part no rule from the history can mend); the shape 78 / 69 / 65 / 59 / 57 / 53% -> 73 / 64 / 61 / 55 / 52 / 47%;
flat 78-80% and season 75-85% within a point or two, noisy 82-88% -> 79-85%; ages 3-8 83.1 / 79.7 / 77.8 / 78.3 / 76.7
/ 77.2% -> 78.6 / 75.3 / 73.9 / 74.4 / 72.2 / 71.9% (month 6 just under 72%: the known cost), ages 9-13 unchanged.
Seeds 2751-2810 are used.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_horizon_check.py capture young 2751-2810 /tmp/x/Y.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_horizon_check.py capture real 0-0 /tmp/x/RY.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_seen_check.py thirteen /tmp/x/13.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_seen_check.py replay /tmp/x/Y.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_seen_check.py decide /tmp/x/Y.pkl /tmp/x/RY.pkl /tmp/x/13.pkl
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

from budgetwise.services import cashflow as C  # noqa: E402
from budgetwise.services import cashflow_model as M  # noqa: E402
from budgetwise.services.forecast.ensemble import conformal_offsets  # noqa: E402

MONTHS = (1, 2, 3, 4, 5, 6)
SEEN_MINOR = 300_000  # the diagnosis' split only (not the product's): a month more than $3,000 below the median month


def _load(path: str) -> list[dict]:
    with open(path, "rb") as fh:
        return pickle.load(fh)


class flag:
    """``YOUNG_SEEN_ONE_OFFS`` set for the block, restored after."""

    def __init__(self, on: bool) -> None:
        self.on, self.keep = on, M.YOUNG_SEEN_ONE_OFFS

    def __enter__(self) -> None:
        self.keep, M.YOUNG_SEEN_ONE_OFFS = M.YOUNG_SEEN_ONE_OFFS, self.on

    def __exit__(self, *exc) -> None:
        M.YOUNG_SEEN_ONE_OFFS = self.keep


def scored(recs: list[dict], on: bool) -> list[dict]:
    """One row per (origin, month k): inside, below, above, the interval score (÷ the band's scale), whether the
    band equals the recording's, and the errors behind it."""
    out = []
    with flag(on):
        for r in recs:
            band = M._band(r["scores"], r["steps"], r["nsteps"], r["scale"], r["nets"], conformal_offsets,
                           floor_scale=r["floor_scale"])[0]
            nets = r["nets"].to_numpy(dtype=float)
            seen = int((nets < np.median(nets) - SEEN_MINOR).sum()) if len(nets) else 0
            for t in r["targets"]:
                lo, hi = C._band_at(band, t["months"])
                low, up = min(t["point"], t["point"] + lo), max(t["point"], t["point"] + hi)
                miss = max(0, low - t["actual"], t["actual"] - up)
                out.append({"shape": r["shape"], "age": r["age"], "k": t["k"], "seen": seen,
                            "errors": len(r["scores"]), "inside": low <= t["actual"] <= up,
                            "below": t["actual"] < low, "above": t["actual"] > up,
                            "score": ((up - low) + 10 * miss) / max(r["scale"], 1.0),
                            "same": (low, up) == (t["lower"], t["upper"])})
    return out


def _month(rows: list[dict], k: int) -> tuple[float, float]:
    sub = [r for r in rows if r["k"] == k]
    return (sum(r["inside"] for r in sub) / max(1, len(sub)),
            float(np.mean([r["score"] for r in sub])) if sub else float("nan"))


def _line(rows: list[dict]) -> str:
    cov = " ".join(f"{_month(rows, k)[0]:.1%}" for k in MONTHS)
    return f"{cov}; score " + " ".join(f"{_month(rows, k)[1]:.3f}" for k in MONTHS)


def replay(paths: list[str]) -> None:
    recs = [r for p in paths for r in _load(p)]
    for name, on in (("shipped", False), ("candidate", True)):
        rows = scored(recs, on)
        print(f"== {name}: {len(recs)} origins, band = recording at {sum(r['same'] for r in rows)}/{len(rows)}")
        print(f"   pooled    {_line(rows)}")
        for s in sorted({r["shape"] for r in rows}):
            sub = [r for r in rows if r["shape"] == s]
            print(f"   {s:9s} " + " ".join(f"{_month(sub, k)[0]:.0%}" for k in MONTHS))
        for label, sub in (("outl seen", [r for r in rows if r["shape"] == "outliers" and r["seen"]]),
                           ("outl none", [r for r in rows if r["shape"] == "outliers" and not r["seen"]]),
                           ("ages 3-8", [r for r in rows if r["age"] <= 8]),
                           ("ages 9-13", [r for r in rows if 9 <= r["age"] <= 13])):
            if sub:
                print(f"   {label:9s} {_line(sub)}")


def _near(new: float, old: float) -> bool:
    return 0.72 <= new <= 0.88 or abs(new - 0.8) <= abs(old - 0.8)


def decide(young: str, real: str, thirteen_path: str) -> bool:
    """The pre-registered conditions S1-S4 (module docstring)."""
    ok = True

    def check(name: str, cond: bool, text: str) -> None:
        nonlocal ok
        ok = ok and cond
        print(f"{name}: {'holds' if cond else 'FAILS'}  {text}")

    def both(path: str):
        rows = {"shipped": scored(_load(path), False), "new": scored(_load(path), True)}
        return rows, {n: {k: _month(rows[n], k) for k in MONTHS} for n in rows}

    yr, y = both(young)
    check("S1", all(0.72 <= y["new"][k][0] <= 0.88 for k in MONTHS),
          "Y coverage months 1-6 " + " / ".join(f"{y['shipped'][k][0]:.1%} -> {y['new'][k][0]:.1%}" for k in MONTHS)
          + f" (the shipped replay reproduces the recording: {all(r['same'] for r in yr['shipped'])})")
    ratio = float(np.mean([y["new"][k][1] / y["shipped"][k][1] for k in (4, 5, 6)]))
    check("S2", all(y["new"][k][1] <= 1.00 * y["shipped"][k][1] for k in MONTHS) and ratio <= 0.98,
          f"mean ratio months 4-6 {ratio:.3f}; "
          "Y interval score months 1-6 " + " / ".join(
              f"{y['shipped'][k][1]:.3f} -> {y['new'][k][1]:.3f} ({y['new'][k][1] / y['shipped'][k][1]:.3f})"
              for k in MONTHS))
    rr, z = both(real)
    check("S3", all(_near(z["new"][k][0], z["shipped"][k][0]) and z["new"][k][1] <= z["shipped"][k][1]
                    for k in MONTHS),
          "RY months 1-6 " + " / ".join(f"{z['shipped'][k][0]:.1%} {z['shipped'][k][1]:.3f} -> {z['new'][k][0]:.1%} "
                                        f"{z['new'][k][1]:.3f}" for k in MONTHS))
    untouched = all(a["same"] and b["same"] for rows in (yr, rr) for a, b in zip(rows["shipped"], rows["new"])
                    if a["errors"] >= M.YOUNG_ERRORS) and all(r["same"] for r in rr["shipped"])
    rows13 = _load(thirteen_path)
    old = [r for r in rows13 if r["rule"] == "shipped"]
    new = [r for r in rows13 if r["rule"] == "candidate"]
    same13 = all(a["errors"] == b["errors"] and a["widths"] == b["widths"] and a["covered"] == b["covered"]
                 for a, b in zip(old, new)) and len(old) == len(new) == 13
    wins = sum(r["mae"] < min(r["stay"], r["repeat"]) for r in new)
    check("S4", untouched and same13, f"bands on 12+ errors identical: {untouched}; the 13 identical: {same13} "
          f"({wins}/13 better than both naives, {sum(r['covered'] for r in new)}/{sum(r['origins'] for r in new)})")
    print("decision:", "on" if ok else "off")
    return ok


def thirteen(origins: int = 12) -> list[dict]:
    from cashflow_eval import evaluate
    from forecast_households import households

    out = []
    for name, _, load in households():
        frame = load()
        for rule, on in (("shipped", False), ("candidate", True)):
            with flag(on):
                r = evaluate(name, frame, origins)
            if r is not None:
                out.append(dict(r, rule=rule))
                print(f"{name:24s} {rule:9s} MAE {r['mae']:9,.0f} stays {r['stay']:9,.0f} repeats "
                      f"{r['repeat']:9,.0f} in band {r['covered']}/{r['origins']}", flush=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("thirteen")
    t.add_argument("out")
    r = sub.add_parser("replay")
    r.add_argument("paths", nargs="+")
    d = sub.add_parser("decide")
    for name in ("young", "real", "thirteen"):
        d.add_argument(name)
    a = ap.parse_args(argv)
    t0, c0 = time.time(), time.process_time()
    if a.cmd == "decide":
        decide(a.young, a.real, a.thirteen)
    elif a.cmd == "replay":
        replay(a.paths)
    else:
        with open(a.out, "wb") as fh:
            pickle.dump(thirteen(), fh)
    print(f"{time.time() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
