"""Monthly category forecasts: rules measured leave-one-household-out (run by hand; prints figures,
asserts nothing). 2026-12-05, issue #17: "per-category forecasts use the same machinery and must be honest too".

    .venv/bin/python benchmarks/forecast_category_check.py [--refresh]

Every monthly expense category of every household of ``forecast_households`` (model runs cached in
``$TMPDIR/budgetwise-category-check.pkl``) is forecast with each rule; the backtest each forecast shows
(prequential: out of sample per series) is scored per household as in ``forecast_series_check.py``: WAPE of
the household's categories pooled, over the best naive guess's (mean of 3 months or same month last year).
Rules: the shipped one and the one until 2026-12-05 (occasional series: the model alone), occasional series
ranked on the scaled error (best 1-4, with or without the model, on APE), frequent series ranked with the
evidence pooled over the user's categories (each candidate's relative error, mean over categories, as a prior
worth ``k`` scored points), top-down (the total's forecast times the category's trailing share) and a
WLS/MinT-diagonal reconciliation of the category forecasts with the total's. "held-out" picks, for each
household, the rule with the lowest mean ratio over the other 12, then scores it on this one.
"""

from __future__ import annotations

import argparse
import copy
import pickle
import sys
import tempfile
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
import forecast_series_check as S

from budgetwise.services import forecast as F
from budgetwise.services.forecast import backtest
from budgetwise.services.forecast import ensemble as E

# v2 (session 19): the expense categories are H.expense_series's (before: every category with an expense row,
# mostly-income ones too), so a cache of the old runs is not read
CACHE = Path(tempfile.gettempdir()) / "budgetwise-category-check-v2.pkl"
REAL = ("kaggle US 21m", "JerBouma NL", "Vermillion CA", "fabio PT", "M-Pesa KE")
NAMES = list(E.DEFAULT.candidates)
UNTIL = replace(E.DEFAULT, occasional_rule=None)  # occasional series: the model alone (until 2026-12-05)
MEMOS: dict = {}


def model_runs(refresh: bool) -> dict:
    if CACHE.exists() and not refresh:
        return pickle.loads(CACHE.read_bytes())
    out = {}
    for name, _, fn in H.households():
        out[name] = H.expense_runs(F.history_from_frame(F.parse_transactions(fn())))
    CACHE.write_bytes(pickle.dumps(out))
    return out


def chosen(run, ctx, config, memo):
    return backtest._choose_methods(copy.copy(run), ctx, config=config, memo=memo)


def prepare(runs: dict) -> dict:
    """Per household: the total's and each category's run chosen by the rule until 2026-12-05 (its
    ``cand_`` columns are every candidate's backtest forecasts), and the raw model run."""
    out = {}
    for name, d in runs.items():
        ctx = d["ctx"]
        tot = chosen(d["total"], ctx, E.DEFAULT, {})
        cats = [(chosen(run, ctx, UNTIL, MEMOS.setdefault((name, s), {})), s, run) for run, s in d["cats"]]
        out[name] = {"ctx": ctx, "total": tot, "cats": cats, "total_hist": tot.history.set_index("ds")["y"]}
    return out


def table_of(ch_run, ctx, series, yhat=None) -> pd.DataFrame:
    r = copy.copy(ch_run)
    if yhat is not None:
        r.records = r.records.assign(yhat=yhat)
    res = F._finish(r, ctx, series=series, label="", horizon=3, interval=0.8, clip=True, notes=[])
    return res.backtest.table if res.backtest is not None else pd.DataFrame()


def score_rule(P: dict, rule) -> dict:
    res = {}
    for name, d in P.items():
        tables = [(table_of(ch, d["ctx"], s, y), occasional(raw)) for (ch, s, raw), y in zip(d["cats"], rule(name, d))]
        frames = [f for f, _ in tables if len(f)]
        if frames:
            res[name] = S.figures(frames)
            res[name].update(occasional_figures([f for f, occ in tables if occ and len(f)]))
    return res


def occasional_figures(frames: list) -> dict:
    """The 80% ranges of the occasional series (mostly empty months) on their own: how often they held the
    actual value, how wide they were (over the mean actual month), how many were zero-width or negative."""
    if not frames:
        return {"occ_points": 0, "occ_inside": 0.0, "occ_width": [], "occ_flat": 0, "occ_negative": 0}
    d = pd.concat(frames)
    a, lo, hi = (d[c].to_numpy(float) for c in ("actual", "lower", "upper"))
    widths = [float(np.mean(f["upper"] - f["lower"]) / max(float(np.mean(f["actual"])), 1e-9)) for f in frames]
    return {"occ_points": len(d), "occ_inside": float(((a >= lo) & (a <= hi)).sum()), "occ_width": widths,
            "occ_flat": int((hi - lo <= 0).sum()), "occ_negative": int((lo < 0).sum())}


def occ_line(rows: dict) -> str:
    pts = sum(v.get("occ_points", 0) for v in rows.values())
    if not pts:
        return "occasional: none"
    widths = [w for v in rows.values() for w in v.get("occ_width", [])]
    return (f"occasional series: cover {sum(v['occ_inside'] for v in rows.values()) / pts:.1%} of {pts} points, "
            f"mean width / mean month per series: median {np.median(widths):.2f} (10-90%: "
            f"{np.percentile(widths, 10):.2f}-{np.percentile(widths, 90):.2f}), "
            f"zero-width ranges {sum(v['occ_flat'] for v in rows.values())}, negative {sum(v['occ_negative'] for v in rows.values())}")


def occasional(raw) -> bool:
    y = raw.history["y"].to_numpy(float)
    return bool(len(y)) and float(np.mean(y == 0)) > 0.5


# ------------------------------------------------------------------------------------------------ rules
def config_rule(cfg):
    def rule(name, d):
        return [chosen(raw, d["ctx"], cfg, MEMOS.setdefault((name, s), {})).records["yhat"].to_numpy(float)
                for _, s, raw in d["cats"]]
    return rule


def occ_rule(occ_cfg):
    """Occasional series by ``occ_cfg`` (it applies to every series), the others by the rule until 2026-12-05."""
    cfg = replace(occ_cfg, occasional_share=1.01)
    def rule(name, d):
        return [chosen(raw, d["ctx"], cfg, MEMOS.setdefault((name, s), {})).records["yhat"].to_numpy(float)
                if occasional(raw) else None for _, s, raw in d["cats"]]
    return rule


def compose(frequent, occ):
    def rule(name, d):
        a, b = frequent(name, d), occ(name, d)
        return [bb if occasional(raw) else aa for (_, _, raw), aa, bb in zip(d["cats"], a, b)]
    return rule


def pooled_rule(k: float, top: int = 4, min_points: int = 6):
    """Frequent categories: each candidate's mean APE relative to the category's mean over candidates, shrunk
    toward the same figure averaged over the user's categories by ``k / (n + k)`` (n: the category's scored
    points; k = inf: the pooled figure alone); the best ``top`` averaged; prequential."""
    def rule(name, d):
        mats = []
        for ch, _, raw in d["cats"]:
            rec = ch.records
            pred = np.column_stack([rec[E.COLUMN + c].to_numpy(float) for c in NAMES])
            mats.append((rec, pred, E._scaled_errors(pred, rec, "ape"), occasional(raw)))
        outs = [m[0]["yhat"].to_numpy(float).copy() for m in mats]

        def own(err, known):
            e = err[known]
            ok = np.isfinite(e)
            cnt = ok.sum(axis=0)
            m = np.where(cnt >= min_points, np.where(ok, e, 0).sum(axis=0) / np.maximum(cnt, 1), np.nan)
            return (m / np.nanmean(m) if np.isfinite(m).any() else m), int(ok.any(axis=1).sum())

        for day in sorted(set().union(*[set(m[0]["origin_day"]) for m in mats])):
            owns = [own(err, (rec["target_end"] <= day).to_numpy()) for rec, _, err, _ in mats]
            rels = [m for m, _ in owns if np.isfinite(m).sum() >= 2]
            pooled = np.nanmean(np.vstack(rels), axis=0) if rels else np.full(len(NAMES), np.nan)
            for i, (rec, pred, _, occ) in enumerate(mats):
                at = (rec["origin_day"] == day).to_numpy()
                if not at.any() or occ:
                    continue
                rel, n = owns[i]
                if np.isfinite(k):
                    sc = np.where(np.isfinite(rel) & np.isfinite(pooled), (n * rel + k * pooled) / (n + k), rel)
                else:
                    sc = np.where(np.isfinite(rel), pooled, np.nan)
                if not np.isfinite(rel).any():
                    sc = pooled
                avail = np.isfinite(pred[at]).any(axis=0)
                cand = [j for j in range(len(NAMES)) if np.isfinite(sc[j]) and avail[j]]
                if cand:
                    best = sorted(cand, key=lambda j: (sc[j], j))[:top]
                    outs[i][at] = np.nanmean(pred[at][:, best], axis=1)
        return outs
    return rule


def product_rule(k: float, pool_candidates: tuple[str, ...] | None = None):
    """The product's own pooled evidence (``backtest._pool_runs`` + ``_choose_methods(pooled=...)``, the code the
    app runs) with ``E.DEFAULT`` and a prior worth ``k`` points: frequent categories pooled, occasional ones by
    the shipped occasional rule. ``pool_candidates``: the pool of those candidates only (the cheap pool,
    ``Config.pool_candidates``; session 10), else every candidate's."""
    cfg = replace(E.DEFAULT, pool=k, pool_candidates=pool_candidates)

    def rule(name, d):
        ctx = d["ctx"]
        raws = [raw for _, _, raw in d["cats"]]
        memos = [MEMOS.setdefault((name, s), {}) for _, s, _ in d["cats"]]
        pooled = backtest._pool_runs(raws, ctx, config=cfg, memos=memos)
        return [backtest._choose_methods(copy.copy(raw), ctx, config=cfg, memo=m, pooled=pooled)
                .records["yhat"].to_numpy(float) for raw, m in zip(raws, memos)]
    return rule


def topdown_rule(w: int):
    """The total's (shipped) backtest forecast times the category's share of the last ``w`` months at the origin."""
    def rule(name, d):
        ht = d["total_hist"]
        idx = list(ht.index)
        trec = d["total"].records.set_index(["origin_day", "ds"])["yhat"]
        outs = []
        for ch, _, raw in d["cats"]:
            hc = raw.history.set_index("ds")["y"].reindex(ht.index).fillna(0.0).to_numpy(float)
            cc, ct = np.r_[0, np.cumsum(hc)], np.r_[0, np.cumsum(ht.to_numpy(float))]
            vals = []
            for od, ds in zip(ch.records["origin_day"], ch.records["ds"]):
                j = max(i for i, p in enumerate(idx) if p <= od)
                a = max(0, j + 1 - w)
                den = ct[j + 1] - ct[a]
                vals.append(trec.get((od, ds), np.nan) * ((cc[j + 1] - cc[a]) / den if den > 0 else np.nan))
            outs.append(np.array(vals, float))
        return outs
    return rule


def wls_rule(shrink: float = 0.0):
    """WLS reconciliation (MinT with the diagonal of backtest MSEs): each category moves by its share of the
    variances of the gap between the total's forecast and the sum of the categories', prequentially."""
    def rule(name, d):
        tot = d["total"].records
        tkey = tot.set_index(["origin_day", "ds"])["yhat"]
        cats = [ch.records for ch, _, _ in d["cats"]]
        outs = [r["yhat"].to_numpy(float).copy() for r in cats]
        for day in sorted(tot["origin_day"].unique()):
            def mse(rec):
                known = (rec["target_end"] <= day).to_numpy()
                e = (rec["actual"] - rec["yhat"]).to_numpy(float)[known]
                return float(np.mean(e ** 2)) if len(e) >= 3 else np.nan
            vt, vs = mse(tot), [mse(r) for r in cats]
            if not np.isfinite(vt) or not all(np.isfinite(vs)) or vt + sum(vs) <= 0:
                continue
            for ds in tot.loc[tot["origin_day"] == day, "ds"]:
                rows = [np.flatnonzero(((r["origin_day"] == day) & (r["ds"] == ds)).to_numpy()) for r in cats]
                gap = float(tkey[(day, ds)]) - sum(outs[i][rr[0]] for i, rr in enumerate(rows) if len(rr))
                for i, rr in enumerate(rows):
                    if len(rr):
                        outs[i][rr[0]] = max(0.0, outs[i][rr[0]] + (1 - shrink) * vs[i] / (vt + sum(vs)) * gap)
        return outs
    return rule


def rules() -> dict:
    no_model = tuple(c for c in E.DEFAULT.candidates if c != "model")
    scaled = replace(UNTIL, score="scaled")
    nm2 = occ_rule(replace(scaled, top=2, candidates=no_model))
    out = {
        "until 12-05: occasional = the model alone": lambda name, d: [None] * len(d["cats"]),
        "top 3": config_rule(replace(UNTIL, top=3)),
        "top 5": config_rule(replace(UNTIL, top=5)),
        "guard soft, five naive": config_rule(replace(UNTIL, guard="soft", naive=E.NAIVE)),
        "occasional: best 4 on APE": occ_rule(UNTIL),
        "occasional: best 2 on APE": occ_rule(replace(UNTIL, top=2)),
        "occasional: best 4 on scaled, all scaled": config_rule(replace(scaled, occasional_rule=scaled)),
    }
    for top in (1, 2, 3, 4):
        out[f"occasional: best {top} on scaled"] = occ_rule(replace(scaled, top=top))
        out[f"occasional: best {top} on scaled, no model"] = occ_rule(replace(scaled, top=top, candidates=no_model))
    out["occasional: best 2 on scaled, robust default"] = occ_rule(replace(scaled, top=2,
                                                                          default=("median6", "mean3", "mean12")))
    for k in (3, 6, 12, np.inf):
        out[f"pooled k={k}"] = pooled_rule(k)
    for k in (6, 12, np.inf):
        out[f"occasional best 2 no model + pooled k={k}"] = compose(pooled_rule(k), nm2)
    for w in (3, 6, 12):
        out[f"top-down, share of {w} months"] = topdown_rule(w)
    out["WLS reconciliation"] = wls_rule()
    out["WLS reconciliation, half"] = wls_rule(0.5)
    out["occasional best 2 no model + WLS"] = compose(wls_rule(), nm2)
    out["shipped (E.DEFAULT)"] = config_rule(E.DEFAULT)
    if E.DEFAULT.pool > 0:
        out["E.DEFAULT without pooling"] = config_rule(replace(E.DEFAULT, pool=0.0))
    for k in PRODUCT_KS:
        out[f"product pooled k={k}"] = product_rule(k, ALL_CANDIDATES)
    for k in PRODUCT_KS:  # pre-registered 2026-12-05 06:26 UTC (session 10), before the run
        out[f"product cheap pool k={k}"] = product_rule(k, E.CHEAP_POOL)
    return out


PRODUCT_KS = (3, 6, 12, 24, np.inf)
ALL_CANDIDATES = tuple(E.DEFAULT.candidates)  # the pool of every candidate (shipped 2026-12-05 ~03:30 UTC)  # pre-registered 2026-12-05 ~03:00 UTC, before the run


def loho(by_rule: dict, allowed: list[str]) -> tuple[dict, dict]:
    held, picks = {}, {}
    for h in next(iter(by_rule.values())):
        def obj(lb):
            return float(np.nanmean([S.ratio(r) for n, r in by_rule[lb].items() if n != h]))
        pick = min(allowed, key=obj)
        held[h], picks[h] = by_rule[pick][h], pick
    return held, picks


def line(rows: dict) -> str:
    r = {h: S.ratio(v) for h, v in rows.items()}
    real = [r[h] for h in REAL if h in r]
    return (f"mean ratio {np.nanmean(list(r.values())):.3f}  real {np.mean(real) if real else float('nan'):.3f}  "
            f"worst {max(r.values()):.2f}  above 1: {sum(v > 1 for v in r.values())}  "
            f"bias {np.mean([v['bias'] for v in rows.values()]):+.1%}  cover {np.mean([v['cover'] for v in rows.values()]):.1%}")


FLOORS = (None, "min", "q25", "median")  # pre-registered 2026-12-05 06:26 UTC (session 10), before the run


def occ_cover(rows: dict, skip: str | None = None) -> float:
    pts = sum(v.get("occ_points", 0) for h, v in rows.items() if h != skip)
    return sum(v.get("occ_inside", 0.0) for h, v in rows.items() if h != skip) / max(pts, 1)


def floor_check(P: dict) -> None:
    """Occasional series' zero-width ranges (session 10): the ranges with each floor (``backtest.OCCASIONAL_FLOOR``;
    the rule without pooling: occasional series do not pool, so their ranges are the shipped ones); held-out: per
    household, the floor whose occasional coverage over the other households is closest to 80%."""
    rule = config_rule(E.DEFAULT)
    by_floor = {}
    for f in FLOORS:
        backtest.OCCASIONAL_FLOOR = f
        by_floor[f] = score_rule(P, rule)
        print(f"floor {str(f):7s} {line(by_floor[f])}\n        {occ_line(by_floor[f])}", flush=True)
        print("        occasional coverage per household: " + "  ".join(
            f"{v['occ_inside'] / v['occ_points']:.0%}" if v.get("occ_points") else "-" for v in by_floor[f].values()))
    backtest.OCCASIONAL_FLOOR = None
    held, picks = {}, {}
    for h in next(iter(by_floor.values())):  # among the floors (None is the baseline, not a choice)
        pick = min(FLOORS[1:], key=lambda f: abs(occ_cover(by_floor[f], skip=h) - 0.8))
        held[h], picks[h] = by_floor[pick][h], pick
    print(f"held-out floor: {line(held)}\n   {occ_line(held)}\n   picks: "
          + ", ".join(f"{h}: {picks[h]}" for h in held))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated parts of rule names: score only those (a check)")
    parser.add_argument("--floors", action="store_true", help="only the occasional series' range floors (session 10)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    t0, c0 = time.perf_counter(), time.process_time()
    P = prepare(model_runs(args.refresh))
    print(f"model runs and choices: {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU", flush=True)
    if args.floors:
        floor_check(P)
        print(f"\ntotal {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")
        return 0
    by_rule = {}
    wanted = [w for w in args.only.split(",") if w]
    for lb, rule in rules().items():
        if wanted and not any(w in lb for w in wanted):
            continue
        by_rule[lb] = score_rule(P, rule)
        print(f"fixed: {lb:48s} {line(by_rule[lb])}", flush=True)
        print(f"       {'':48s} {occ_line(by_rule[lb])}", flush=True)
    families = [("every rule", list(by_rule)),
                ("without pooled evidence / reconciliation (series by series)",
                 [lb for lb in by_rule if "pooled" not in lb and "WLS" not in lb and "top-down" not in lb]),
                ("the decision: series by series (E.DEFAULT without pooling) or the product's pooled k",
                 [lb for lb in by_rule if lb.startswith("product pooled")]
                 + ["E.DEFAULT without pooling" if E.DEFAULT.pool > 0 else "shipped (E.DEFAULT)"]),
                ("the decision with the cheap pool offered (session 10)",
                 [lb for lb in by_rule if lb.startswith("product")]
                 + ["E.DEFAULT without pooling" if E.DEFAULT.pool > 0 else "shipped (E.DEFAULT)"])]
    for title, allowed in families:
        allowed = [lb for lb in allowed if lb in by_rule]
        if not allowed:
            continue
        held, picks = loho(by_rule, allowed)
        print(f"\nheld-out, {title} ({len(allowed)} rules): {line(held)}")
        print(f"   {occ_line(held)}")
        for h in held:
            print(f"   {h:24s} naive {held[h]['base']:6.1%}  ratio {S.ratio(held[h]):5.2f}  [{picks[h]}]")
    print("\nper household (ratio / bias / 80% coverage):")
    for lb in by_rule:
        print(f"   {lb[:44]:44s} " + "  ".join(f"{S.ratio(v):.2f}/{v['bias']:+.0%}/{v['cover']:.0%}"
                                              for v in by_rule[lb].values()))
    print("   households: " + ", ".join(next(iter(by_rule.values()))))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
