"""Session 21 (outlier, issues #17/#19): a lone one-off month counted as a usual month by the naive candidates
(run by hand; prints figures and each pre-registered criterion).

    .venv/bin/python benchmarks/forecast_oneoff_check.py --decide

PRE-REGISTERED TEST (session 21, outlier; written and committed before any run on seeds 1881-1940, which no session
has generated or scored before, and before any run of the candidate on any data). The candidate
C = ``replace(ensemble.DEFAULT, winsor=ensemble.ONE_OFF_MEDIAN)``: the naive and statistical candidates see a period
above the existing one-off limit (``oneoff.winsorize``: robust z of log totals > 3.5, >= 6 periods) whose neighbours
are within it as the median of the periods within the limit, instead of capped at the limit (periods below the
limit and runs of two or more above it: capped, as shipped). No parameter is tuned. C becomes the default only if
ALL of these hold (monthly total expenses, 3 months ahead, ``forecast_eval`` scoring: pooled MAPE of every point,
80% coverage of the conformal / model range):

1. households (the 13 of ``forecast_eval.py --quick``, <= 24 origins, 12 months before each): C's pooled ratio to
   the better pooled naive guess <= the shipped rule's + 0.005, and C's 80% coverage within 72-88%;
2. fresh seeds 1881-1940 without injected one-offs (``forecast_short_check.fresh``: the demo seeds and the drawn
   ones with no "outl."): C's pooled MAPE <= shipped + 0.5 points; C's coverage >= shipped's - 2 points;
3. fresh seeds 1881-1940 with the generator's one-offs ("outl.": 1-3 purchases of 5-10x a month's variable
   spending): C's pooled MAPE <= shipped + 0.5 points; C's coverage >= shipped's - 2 points;
4. "giant": the drawn (not demo) seeds 1881-1940 with one purchase of 50-300 x 900 added on a day of the last three
   quarters of the history (from day months x 30 / 4) (seeded by 20000 + seed), 12 months before each origin: C's pooled MAPE strictly lower
   than the shipped rule's; C's coverage >= shipped's - 2 points;
5. "short" (the issue's case): the drawn seeds 1881-1940 cut to 14 months with one such purchase on a day of the
   first 365 days, origins with 7-11 months before them: C's pooled MAPE strictly lower; coverage >= shipped's - 2;
6. all fresh seeds (groups of 2 and 3 together): C's coverage within 72-88%.

Speed is not a criterion (one median per capped series; checked by hand). If any criterion fails, C does not ship:
``winsor=ONE_OFF_MEDIAN`` stays an option, off, tested; the Forecast page's note naming the one-off periods (pure
wording, not a default of the forecast) ships either way. Model runs are cached in /tmp/outlier-fe-cache (not the
shared benchmark cache: the short group changes ``forecast_eval.MIN_TRAIN_MONTHS``).

SECOND PRE-REGISTERED TEST (``--model``; session 21, outlier; written and committed after the first passed and before
any run of the candidate M on any data, and before the "bills" histories were ever generated). What the first
left: when every usual expense is a recurring bill, what is not recurring is the purchase alone and the level
model's average rate (intermittent blocks) carries it into the months ahead (8 months, one 900,000 purchase: ~40,000
a month). M = ``model.MODEL_ONE_OFF = ONE_OFF_MEDIAN``: the model's variable part has each one-off period's excess
over what the candidates count it as taken off (``model._one_offs_out``), at every origin. Compared with the
shipped rule after the first test (``ensemble.DEFAULT``, ``MODEL_ONE_OFF = False``); model runs cached apart
(/tmp/outlier-fe-cache-m). M ships only if ALL hold:

M1. households: M's pooled ratio to the better naive guess <= shipped + 0.005, and M's 80% coverage within 72-88%;
M2. the first test's groups clean / outl / giant / short (seeds 1881-1940, seen once, as above): M's pooled MAPE <=
    shipped + 0.5 points and M's coverage >= shipped's - 2 points, each group;
M3. fresh "bills" (seeds 1881-1940, all 60, generator ``bills`` below seeded by 40000 + seed, 15-24 months, one
    purchase of 50-300 x 900 on a day of the last three quarters, 12 months before each origin): M's pooled MAPE
    strictly lower; M's coverage >= shipped's - 2 points;
M4. fresh "bills short" (the same generator, 14 months, the purchase on a day of the first 365, 7-11 months before
    each origin): M's pooled MAPE strictly lower; M's coverage >= shipped's - 2 points;
M5. "bills": M's coverage within 72-88%.
If any fails, ``MODEL_ONE_OFF`` stays False (an option, tested) and the Forecast page's note keeps saying when the
forecast still carries a one-off.

THIRD PRE-REGISTERED TEST (``--short-range``; session 22, bills22; written and committed before any run on seeds
1971-2000, which no session has generated or scored before). M failed M4 on coverage alone: with the purchase out,
short histories' ranges are too narrow. Why (measured on tuning seeds 200001-200040 only): with 7-12 months the
backtest's errors overlap (an origin's step 2 and the next one's step 1 are the same month), so the 9-15 pooled
errors hold 4-7 distinct months and the rank rule's [lowest, highest] has the expected coverage of the rule over
that many independent errors, (m - 1)/(m + 1) (0.60 for 4); below 8 errors the range is the model's normal one
(in-sample noise). The fix R = ``conformal.SHORT_RANGE`` (``conformal.short_factors``; no constant fitted): a
conformal range is widened by z(0.9) / z(rank coverage over the m distinct months) when that is below 80%, a
normal one by t(0.9, m) / z(0.9). Rules, each with its own model-run cache (/tmp/bills22-fe-<rule>):
S = shipped (``MODEL_ONE_OFF`` False, ``SHORT_RANGE`` False); R = ``SHORT_RANGE`` on; MR = R and
``MODEL_ONE_OFF = ONE_OFF_MEDIAN``. Groups: households (the 13, <= 24 origins, 12 months before each; seen);
"bills short" (``bills`` above, seeds 1971-2000 seeded as before, 14 months, the purchase in the first 365 days,
7-11 months before each origin); "short" (the drawn seeds 1971-2000 not ending in 9/0, cut to 14 months with one
purchase of 50-300 x 900 in the first 365 days, as the first test's group 5); "bills" (15-24 months, 12 months
before each origin); "long" (``forecast_short_check.fresh(1971, 2000)``, 15-24 months, 12 months before each
origin). Scoring as above (pooled MAPE of every point, 80% coverage of the product's range). In band: 72-88%.

MR ships (``MODEL_ONE_OFF = ONE_OFF_MEDIAN`` and ``SHORT_RANGE = True``) only if ALL hold:
B1. households: MR's pooled ratio to the better naive guess <= S's + 0.005 and MR's coverage in band;
B2. "bills short": MR's pooled MAPE strictly lower than S's and MR's coverage in band;
B3. "short": MR's pooled MAPE <= S's + 0.5 points and MR's coverage in band or strictly nearer the band than S's;
B4. "bills": MR's pooled MAPE <= S's + 0.5 points and MR's coverage in band;
B5. "long": MR's pooled MAPE <= S's + 0.5 points, MR's coverage >= S's - 2 points and <= 88%; and R's range is
    S's own (lower and upper within 1e-6 relative) on >= 99% of the points whose origin has >= 17 months (from 17
    on every step has 9+ errors of its own, 9+ distinct months: R does not act by construction; at 15-16 a step
    has 7-8 and R widens it slightly, e.g. 8 errors: 77.8% expected -> x 1.05. The threshold was 15 in the first
    draft; the dry run on tuning seeds 200001-200030 showed R acting there (83% unchanged), as designed, so the
    criterion was corrected to what "untouched" means before any run on seeds 1971-2000).
Else R alone ships (``SHORT_RANGE = True``) only if ALL hold: B1 with R for MR; "bills short" R's coverage in band
or strictly nearer the band than S's; B3 with R (its MAPE is S's: the points do not move); "bills" R's coverage in
band or no further from it than S's; B5 with R. Else both stay off (options, tested, documented). R acts on every
series' range (categories, income, net savings, weeks); only monthly total expenses are criteria here, the rest is
measured after the run and reported, not used to decide. Run once on the fresh seeds, caches cleared first:
``.venv/bin/python benchmarks/forecast_oneoff_check.py --short-range`` (tuning: ``--seeds 200001-200030``).
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
import forecast_short_check as SC
import numpy as np
import pandas as pd

from budgetwise.services.forecast import ensemble as E

FE.CACHE = Path("/tmp/outlier-fe-cache")
D = E.DEFAULT
CANDIDATE = "C: lone one-off as the median"
RULES = {"shipped": replace(D, winsor=True), CANDIDATE: replace(D, winsor=E.ONE_OFF_MEDIAN)}  # the first test
FIRST, LAST = 1881, 1940
COVER = (0.72, 0.88)


def _giant(seed: int, months: int, kw: dict, first_day: int, last_day: int | None) -> pd.DataFrame:
    base = H.synthetic(seed, months, **kw)
    rng = np.random.default_rng(20_000 + seed)
    dates = pd.to_datetime(base["date"])
    days = pd.date_range(dates.min(), dates.max())  # calendar days (first_day, last_day: indices into them)
    day = days[int(rng.integers(first_day, last_day if last_day is not None else len(days)))]
    extra = H._plain([day], [float(rng.uniform(50, 300) * 900)], ["Home"], ["expense"], ["Builder"])
    return pd.concat([base, extra], ignore_index=True)


def groups() -> dict[str, list[tuple[str, pd.DataFrame]]]:
    fresh = SC.fresh(FIRST, LAST)
    out: dict[str, list] = {
        "clean": [(n, tx) for n, tx in fresh if "outl." not in n],
        "outl": [(n, tx) for n, tx in fresh if "outl." in n],
        "giant": [], "short": [],
    }
    for seed in range(FIRST, LAST + 1):
        if seed % 10 in (9, 0):
            continue
        rng = np.random.default_rng(10_000 + seed)  # as forecast_short_check.synthetic_drawn
        months = int(rng.integers(15, 25))
        kw, label = H.drawn_structure(rng)
        kw.pop("outliers", None)
        g = _giant(seed, months, kw, months * 30 // 4, None)
        out["giant"].append((f"giant {seed} {months}m {label}", SC.F.parse_transactions(g)))
        s = _giant(seed, 14, kw, 0, 365)
        out["short"].append((f"short {seed} 14m {label}", SC.F.parse_transactions(s)))
    return out


def bills(seed: int, months: int, first_day: int, last_day: int | None) -> pd.DataFrame:
    """Recurring bills and salary, sparse variable spending (a few shop days a month), one large purchase."""
    rng = np.random.default_rng(40_000 + seed)
    end = pd.Timestamp(2026, 6, 30)
    days = pd.date_range(end - pd.DateOffset(months=months) + pd.Timedelta(days=1), end)
    shop = float(rng.uniform(0.03, 0.2))
    rows = []
    for d in days:
        if d.day == 1:
            rows.append((d, 1200.0, "Rent", "expense", "Landlord"))
        if d.day == 5:
            rows.append((d, float(rng.uniform(250, 350)), "Utilities", "expense", "Power Co"))
        if d.day == 20:
            rows.append((d, float(rng.uniform(40, 60)), "Phone", "expense", "Telco"))
        if d.day == 25:
            rows.append((d, 3500.0, "Salary", "income", "Employer"))
        if rng.random() < shop:
            rows.append((d, float(rng.gamma(3, 40)), "Groceries", "expense", "Market"))
    day = days[int(rng.integers(first_day, last_day if last_day is not None else len(days)))]
    rows.append((day, float(rng.uniform(50, 300) * 900), "Home", "expense", "Builder"))
    f = pd.DataFrame(rows, columns=["date", "amount", "category", "type", "description"])
    return H._plain(f["date"], f["amount"], f["category"], f["type"], f["description"])


def bill_groups() -> dict[str, list[tuple[str, pd.DataFrame]]]:
    out: dict[str, list] = {"bills": [], "bills short": []}
    for seed in range(FIRST, LAST + 1):
        months = int(np.random.default_rng(50_000 + seed).integers(15, 25))
        out["bills"].append((f"bills {seed} {months}m", SC.F.parse_transactions(bills(seed, months, months * 30 // 4,
                                                                                       None))))
        out["bills short"].append((f"bills short {seed} 14m", SC.F.parse_transactions(bills(seed, 14, 0, 365))))
    return out


def runs_of(group: str, hist: list[tuple[str, pd.DataFrame]]) -> dict[str, list[dict]]:
    FE.MIN_TRAIN_MONTHS = 7 if group.endswith("short") else 12
    out = {}
    for name, tx in hist:
        got = FE.household_runs(name, tx, max_origins=99, with_daily=False, refresh=False)
        if got:
            out[name] = got
    FE.MIN_TRAIN_MONTHS = 12
    return out


def score(runs: dict[str, list[dict]]) -> dict[str, dict]:
    out = {}
    for r, c in RULES.items():
        sc = [FE.score_household(runs[n], c) for n in runs]
        per = [FE.mape(s["product"]) / FE.best_baseline(s)[1] for s in sc]
        mape, ratio = SC.pooled_ratio(sc)
        out[r] = {"mape": mape, "ratio": ratio, "above": int(np.sum(np.array(per) > 1)),
                  "cover": float(np.mean(np.concatenate([s["inside"] for s in sc]))), "n": len(sc),
                  "points": int(sum(len(s["product"]) for s in sc)), "inside": np.concatenate([s["inside"] for s in sc])}
    return out


def model_test() -> int:
    """The second pre-registered test (the docstring's M1-M5)."""
    from budgetwise.services.forecast import model as MD

    s, c = "shipped", "M: one-offs out of the model"
    res: dict[str, dict] = {}
    house = [(name, SC.F.parse_transactions(fn())) for name, _, fn in H.households()]
    groups_ = {"households": house, **{k: v for k, v in groups().items()}, **bill_groups()}
    for g, hist in groups_.items():
        got = {}
        for rule, flag, cache in ((s, False, "/tmp/outlier-fe-cache"), (c, E.ONE_OFF_MEDIAN, "/tmp/outlier-fe-cache-m")):
            MD.MODEL_ONE_OFF, FE.CACHE = flag, Path(cache)
            if g == "households":
                runs = {n: r for n, r in ((n, FE.household_runs(n, tx, max_origins=24, with_daily=False, refresh=False))
                                          for n, tx in hist) if r}
            else:
                runs = runs_of(g, hist)
            sc = [FE.score_household(runs[n], D) for n in runs]
            mape, ratio = SC.pooled_ratio(sc)
            got[rule] = {"mape": mape, "ratio": ratio, "n": len(sc), "points": int(sum(len(x["product"]) for x in sc)),
                         "cover": float(np.mean(np.concatenate([x["inside"] for x in sc]))),
                         "above": int(sum(FE.mape(x["product"]) / FE.best_baseline(x)[1] > 1 for x in sc))}
        MD.MODEL_ONE_OFF = False
        res[g] = got
        print(f"== {g}: {got[s]['n']} histories, {got[s]['points']} points", flush=True)
        for k in (s, c):
            print(f"   {k:32s} MAPE {got[k]['mape']:.2f}%  ratio {got[k]['ratio']:.4f}  above own naive "
                  f"{got[k]['above']}  80% coverage {got[k]['cover']:.3f}", flush=True)
    h = res["households"]
    checks = [("M1. households", h[c]["ratio"] <= h[s]["ratio"] + 0.005 and COVER[0] <= h[c]["cover"] <= COVER[1])]
    for g in ("clean", "outl", "giant", "short"):
        r = res[g]
        checks.append((f"M2. {g}", r[c]["mape"] <= r[s]["mape"] + 0.5 and r[c]["cover"] >= r[s]["cover"] - 0.02))
    for name, g in (("M3", "bills"), ("M4", "bills short")):
        r = res[g]
        checks.append((f"{name}. {g} MAPE lower / coverage", r[c]["mape"] < r[s]["mape"]
                       and r[c]["cover"] >= r[s]["cover"] - 0.02))
    checks.append(("M5. bills coverage within 72-88%", COVER[0] <= res["bills"][c]["cover"] <= COVER[1]))
    for name, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {name}")
    ok = all(v for _, v in checks)
    print("VERDICT: " + ("M ships (model.MODEL_ONE_OFF = ONE_OFF_MEDIAN)" if ok else "M stays off"))
    return 0


def _short_range_groups(first: int, last: int) -> dict[str, list[tuple[str, pd.DataFrame]]]:
    out: dict[str, list] = {"bills short": [], "short": [], "bills": []}
    for seed in range(first, last + 1):
        out["bills short"].append((f"bills short {seed} 14m", SC.F.parse_transactions(bills(seed, 14, 0, 365))))
        months = int(np.random.default_rng(50_000 + seed).integers(15, 25))
        out["bills"].append((f"bills {seed} {months}m", SC.F.parse_transactions(bills(seed, months, months * 30 // 4,
                                                                                       None))))
        if seed % 10 not in (9, 0):
            rng = np.random.default_rng(10_000 + seed)
            rng.integers(15, 25)
            kw, label = H.drawn_structure(rng)
            kw.pop("outliers", None)
            out["short"].append((f"short {seed} 14m {label}", SC.F.parse_transactions(_giant(seed, 14, kw, 0, 365))))
    out["long"] = SC.fresh(first, last)
    return out


def _short_range_runs(args: tuple) -> tuple[str, str, list[dict]]:
    """One history under one rule (a worker): its runs and, per point, its months before the origin and range."""
    from budgetwise.services.forecast import conformal as CF
    from budgetwise.services.forecast import model as MD

    rule, group, name, tx = args
    warnings.filterwarnings("ignore")
    MD.MODEL_ONE_OFF = E.ONE_OFF_MEDIAN if rule == "MR" else False
    CF.SHORT_RANGE = rule != "S"
    FE.CACHE = Path(f"/tmp/bills22-fe-{rule}")
    FE.MIN_TRAIN_MONTHS = 7 if group.endswith("short") else 12
    runs = FE.household_runs(name, tx, max_origins=24 if group == "households" else 99, with_daily=False,
                             refresh=False)
    pts = []
    for r in runs:
        yhat, lo, hi = FE.product(r["run"], D)
        pts.append({"months": len(r["run"]["totals"]), "lo": lo, "hi": hi})
    return rule, name, [{**r, "points": p} for r, p in zip(runs, pts)]


def short_range_test(first: int, last: int, workers: int) -> int:
    """The third pre-registered test (the docstring's B1-B5)."""
    from multiprocessing import Pool

    hist = {"households": [(name, SC.F.parse_transactions(fn())) for name, _, fn in H.households()],
            **_short_range_groups(first, last)}
    jobs = [(rule, g, n, tx) for g, hs in hist.items() for n, tx in hs for rule in ("S", "R", "MR")]
    with Pool(workers) as pool:
        got = {(rule, name): runs for rule, name, runs in pool.imap_unordered(_short_range_runs, jobs)}
    res: dict[str, dict[str, dict]] = {}
    for g, hs in hist.items():
        res[g] = {}
        for rule in ("S", "R", "MR"):
            runs = {n: got[(rule, n)] for n, _ in hs if got[(rule, n)]}
            sc = [FE.score_household(runs[n], D) for n in runs]
            mape, ratio = SC.pooled_ratio(sc)
            res[g][rule] = {"mape": mape, "ratio": ratio, "n": len(sc), "points": int(sum(len(x["product"]) for x in sc)),
                            "cover": float(np.mean(np.concatenate([x["inside"] for x in sc]))),
                            "above": int(sum(FE.mape(x["product"]) / FE.best_baseline(x)[1] > 1 for x in sc))}
        print(f"== {g}: {res[g]['S']['n']} histories, {res[g]['S']['points']} points", flush=True)
        for rule in ("S", "R", "MR"):
            x = res[g][rule]
            print(f"   {rule:3s} MAPE {x['mape']:.2f}%  ratio {x['ratio']:.4f}  above own naive {x['above']}  "
                  f"80% coverage {x['cover']:.3f}", flush=True)
    same: dict[int, list] = {15: [], 17: []}
    for n, _ in hist["long"]:
        for a, b in zip(got[("S", n)], got[("R", n)]):
            pa, pb = a["points"], b["points"]
            for least in same:
                if pa["months"] >= least:
                    same[least] += list(np.isclose(pa["lo"], pb["lo"], rtol=1e-6)
                                        & np.isclose(pa["hi"], pb["hi"], rtol=1e-6))
    for least, v in same.items():
        print(f"   long, origins with >= {least} months: R's range is S's on {np.mean(v) if v else 1:.1%} of {len(v)}"
              " points")
    unchanged = float(np.mean(same[17])) if same[17] else 1.0

    def band(c: float) -> bool:
        return COVER[0] <= c <= COVER[1]

    def gap(c: float) -> float:
        return max(COVER[0] - c, c - COVER[1], 0.0)

    def checks(k: str) -> list[tuple[str, bool]]:
        h, bs, sh, bl, lg = (res[g] for g in ("households", "bills short", "short", "bills", "long"))
        s = "S"
        out = [("B1. households", h[k]["ratio"] <= h[s]["ratio"] + 0.005 and band(h[k]["cover"]))]
        if k == "MR":
            out.append(("B2. bills short MAPE lower, coverage in band", bs[k]["mape"] < bs[s]["mape"]
                        and band(bs[k]["cover"])))
        else:
            out.append(("B2. bills short coverage in band or nearer", band(bs[k]["cover"])
                        or gap(bs[k]["cover"]) < gap(bs[s]["cover"])))
        out.append(("B3. short", sh[k]["mape"] <= sh[s]["mape"] + 0.5
                    and (band(sh[k]["cover"]) or gap(sh[k]["cover"]) < gap(sh[s]["cover"]))))
        if k == "MR":
            out.append(("B4. bills", bl[k]["mape"] <= bl[s]["mape"] + 0.5 and band(bl[k]["cover"])))
        else:
            out.append(("B4. bills coverage no further from the band", gap(bl[k]["cover"]) <= gap(bl[s]["cover"])))
        out.append(("B5. long", lg[k]["mape"] <= lg[s]["mape"] + 0.5 and lg[s]["cover"] - 0.02 <= lg[k]["cover"]
                    <= COVER[1] and unchanged >= 0.99))
        return out

    verdict = "both stay off"
    for k in ("MR", "R"):
        got_k = checks(k)
        for name, ok in got_k:
            print(f"   {k:3s} {'PASS' if ok else 'FAIL'}  {name}")
        if all(ok for _, ok in got_k):
            verdict = {"MR": "MR ships (MODEL_ONE_OFF = ONE_OFF_MEDIAN, SHORT_RANGE = True)",
                       "R": "R ships alone (SHORT_RANGE = True)"}[k]
            break
    print("VERDICT: " + verdict)
    return 0


def main() -> int:
    warnings.filterwarnings("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--decide", action="store_true", help="run the pre-registered test on seeds 1881-1940")
    ap.add_argument("--model", action="store_true", help="the second pre-registered test (M1-M5)")
    ap.add_argument("--short-range", action="store_true", help="the third pre-registered test (B1-B5)")
    ap.add_argument("--seeds", default="1971-2000", help="--short-range's seeds (tuning: 200001+)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if args.model:
        return model_test()
    if args.short_range:
        first, last = (int(x) for x in args.seeds.split("-"))
        return short_range_test(first, last, args.workers)
    res: dict[str, dict] = {}
    house = [(name, SC.F.parse_transactions(fn())) for name, _, fn in H.households()]
    res["households"] = score({n: r for n, r in ((n, FE.household_runs(n, tx, max_origins=24, with_daily=False,
                                                                          refresh=False)) for n, tx in house) if r})
    if args.decide:
        for g, hist in groups().items():
            res[g] = score(runs_of(g, hist))
    s, c = "shipped", CANDIDATE
    for g, r in res.items():
        print(f"== {g}: {r[s]['n']} histories, {r[s]['points']} points")
        for k in (s, c):
            print(f"   {k:32s} MAPE {r[k]['mape']:.2f}%  ratio {r[k]['ratio']:.4f}  above own naive {r[k]['above']}"
                  f"  80% coverage {r[k]['cover']:.3f}")
    if not args.decide:
        return 0
    h, cl, ou, gi, sh = (res[k] for k in ("households", "clean", "outl", "giant", "short"))
    both = np.concatenate([cl[c]["inside"], ou[c]["inside"]]).mean()
    checks = [
        ("1. households ratio", h[c]["ratio"] <= h[s]["ratio"] + 0.005 and COVER[0] <= h[c]["cover"] <= COVER[1]),
        ("2. clean MAPE / coverage", cl[c]["mape"] <= cl[s]["mape"] + 0.5 and cl[c]["cover"] >= cl[s]["cover"] - 0.02),
        ("3. outl. MAPE / coverage", ou[c]["mape"] <= ou[s]["mape"] + 0.5 and ou[c]["cover"] >= ou[s]["cover"] - 0.02),
        ("4. giant MAPE lower / coverage", gi[c]["mape"] < gi[s]["mape"] and gi[c]["cover"] >= gi[s]["cover"] - 0.02),
        ("5. short MAPE lower / coverage", sh[c]["mape"] < sh[s]["mape"] and sh[c]["cover"] >= sh[s]["cover"] - 0.02),
        (f"6. fresh coverage {both:.3f} within 72-88%", COVER[0] <= both <= COVER[1]),
    ]
    for name, ok in checks:
        print(f"   {'PASS' if ok else 'FAIL'}  {name}")
    verdict = all(ok for _, ok in checks)
    print("VERDICT: " + ("C ships (ensemble.DEFAULT winsor=ONE_OFF_MEDIAN)" if verdict else "C stays off"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
