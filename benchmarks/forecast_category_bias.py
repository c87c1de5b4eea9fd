"""Monthly category forecasts: their bias, where it comes from, and fixes (session 18, fcbias; issue #17).
Run by hand; prints figures, asserts nothing.

    .venv/bin/python benchmarks/forecast_category_bias.py --groups households,seeds841-900 [--rules explore18]
    .venv/bin/python benchmarks/forecast_category_bias.py --groups seeds901-960,households --rules session18 --decide

Per history: every monthly expense category's model run and the total expenses' (cached in
``$TMPDIR/fcbias-runs-<group>.pkl``), then each rule chooses the categories' methods with the product's own code
(``backtest._pool_runs`` + ``_choose_methods(pooled=...)``, the pool of the user's categories) and ``_finish``
gives the backtest each forecast shows (prequential, with its 80% range). Figures per history over all its
categories' backtest points: WAPE, bias ``sum(f - a) / sum(a)``, the ratio of the WAPE to the better naive guess
(mean of 3 months or same month last year, as ``forecast_series_check``), 80% coverage; histories weighed
equally (the "household mean"). Also per category class (occasional: more than half of the months empty;
large: at least 10% of the history's category spending) and the sum of the categories' forecasts at each
backtest point against the total's forecast and against the total's actual.
Groups: ``households`` (``forecast_households``, 13), ``seedsA-B`` (``forecast_short_check.fresh``: 15-24 months).
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

import forecast_households as H  # noqa: E402
import forecast_short_check as SC  # noqa: E402

from budgetwise.services import forecast as F  # noqa: E402
from budgetwise.services.forecast import backtest  # noqa: E402
from budgetwise.services.forecast import ensemble as E  # noqa: E402

SHIPPED = "shipped"
REAL = ("kaggle US 21m", "JerBouma NL", "Vermillion CA", "fabio PT", "M-Pesa KE")


def histories(group: str) -> list[tuple[str, pd.DataFrame]]:
    if group == "households":
        return [(name, F.parse_transactions(fn())) for name, _, fn in H.households()]
    if group.startswith("seeds"):
        a, b = (int(x) for x in group[5:].split("-"))
        return SC.fresh(a, b)
    raise SystemExit(f"unknown group {group}")


def model_runs(group: str, refresh: bool = False) -> dict:
    cache = Path(tempfile.gettempdir()) / f"fcbias-runs-{group}.pkl"
    if cache.exists() and not refresh:
        return pickle.loads(cache.read_bytes())
    out = {}
    for name, tx in histories(group):
        try:
            runs = H.expense_runs(F.history_from_frame(tx))  # the expense categories: H.expense_series
        except (F.NotEnoughHistory, ValueError):
            continue
        if runs["cats"]:
            out[name] = runs
    cache.write_bytes(pickle.dumps(out))
    return out


# ------------------------------------------------------------------------------------------------ rules
def product(cfg: E.Config):
    """The product's choice for the categories (pooled evidence) with ``cfg``: chosen runs."""
    def rule(d: dict, memos: list) -> list:
        ctx, raws = d["ctx"], [r for r, _ in d["cats"]]
        pooled = backtest._pool_runs(raws, ctx, config=cfg, memos=memos) if cfg.pool > 0 else None
        return [backtest._choose_methods(copy.copy(r), ctx, config=cfg, memo=m, pooled=pooled)
                for r, m in zip(raws, memos)]
    return rule


def reconciled(cfg: E.Config, share: float = 1.0):
    """The categories chosen by ``cfg``, then scaled at each backtest point so that their sum moves ``share`` of
    the way to the total's forecast (proportional top-down reconciliation of the forecasts; prequential, since the
    total's backtest forecast at an origin uses only what was known then)."""
    base = product(cfg)

    def rule(d: dict, memos: list) -> list:
        runs = base(d, memos)
        tot = d["total_chosen"].records.set_index(["origin_day", "ds"])["yhat"]
        recs = [r.records for r in runs]
        keys = pd.concat([r[["origin_day", "ds", "yhat"]] for r in recs]).groupby(["origin_day", "ds"])["yhat"].sum()
        fac = (tot.reindex(keys.index) / keys).where(keys > 0).fillna(1.0).clip(0.5, 2.0)
        fac = 1.0 + share * (fac - 1.0)
        out = []
        for r in runs:
            r2 = copy.copy(r)
            f = fac.reindex(pd.MultiIndex.from_frame(r.records[["origin_day", "ds"]])).to_numpy(float)
            r2.records = r.records.assign(yhat=r.records["yhat"].to_numpy(float) * f)
            out.append(r2)
        return out
    return rule


def rules(which: str) -> dict:
    d = E.DEFAULT
    out = {SHIPPED: product(d)}
    occ_means = replace(E.OCCASIONAL, top=2, candidates=("mean12", "mean3"))
    if which == "session18":  # the pre-registered candidate (docs/history/forecasting.md, session 18 fcbias)
        out[CANDIDATE] = product(CANDIDATE_CONFIG)
    if which == "explore18d":
        out["sape + occasional level sum k=12"] = product(replace(d, cat_score="sape", cat_level_prior=12,
                                                                  cat_level_stat="sum", cat_level_occasional_only=True))
        out["occasional level sum k=12"] = product(replace(d, cat_level_prior=12, cat_level_stat="sum",
                                                           cat_level_occasional_only=True))
    if which == "explore18c":
        for sc in ("squared", "sape", "scaled"):
            out[f"frequent ranked on {sc} (cat_score)"] = product(replace(d, cat_score=sc))
        out["squared + level ape k=12"] = product(replace(d, cat_score="squared", cat_level_prior=12,
                                                          cat_level_stat="ape", cat_level_frequent_only=True))
    if which == "explore18b":
        out["occasional: mean12 + mean3"] = product(replace(d, occasional_rule=occ_means))
        out["occasional: mean12"] = product(replace(d, occasional_rule=replace(occ_means, top=1,
                                                                                candidates=("mean12",))))
        out["occasional: best 2, level sum k=6"] = product(replace(d, cat_level_prior=6, cat_level_stat="sum",
                                                                   cat_level_occasional_only=True))
        out["frequent ranked on scaled"] = product(replace(d, score="scaled"))
        out["scaled + occasional mean12 + mean3"] = product(replace(d, score="scaled", occasional_rule=occ_means))
        out["level mean k=12"] = product(replace(d, cat_level_prior=12, cat_level_stat="mean"))
        out["reconciled to the total"] = reconciled(d)
    if which == "explore18":
        for k in (3, 6, 12):
            out[f"level mean k={k}"] = product(replace(d, cat_level_prior=k, cat_level_stat="mean"))
        for k in (6, 12):
            out[f"level sum k={k}"] = product(replace(d, cat_level_prior=k, cat_level_stat="sum"))
        out["level mean k=6 frequent only"] = product(replace(d, cat_level_prior=6, cat_level_frequent_only=True))
        out["level ape k=12"] = product(replace(d, cat_level_prior=12, cat_level_stat="ape"))
        out["frequent ranked on scaled"] = product(replace(d, score="scaled"))
        out["occasional rule with mean12 forced"] = product(replace(d, occasional_rule=replace(
            E.OCCASIONAL, top=2, candidates=("mean12", "mean3"))))
        out["reconciled to the total"] = reconciled(d)
        out["reconciled to the total, half"] = reconciled(d, 0.5)
        out["no pool (series by series)"] = product(replace(d, pool=0.0))
    return out


# ------------------------------------------------------------------------------------------------ scoring
def occasional(run) -> bool:
    y = run.history["y"].to_numpy(float)
    return bool(len(y)) and float(np.mean(y == 0)) > 0.5


def table(run, ctx, series) -> pd.DataFrame:
    res = F._finish(copy.copy(run), ctx, series=series, label="", horizon=3, interval=0.8, clip=True, notes=[])
    return res.backtest.table if res.backtest is not None else pd.DataFrame()


def figures(frames: list[pd.DataFrame]) -> dict | None:
    frames = [f for f in frames if len(f)]
    if not frames:
        return None
    d = pd.concat(frames)
    a, f = d["actual"].to_numpy(float), d["forecast"].to_numpy(float)
    tot = np.abs(a).sum()
    if tot <= 0:
        return None
    base = H.naive_wapes(d)
    inside = (a >= d["lower"].to_numpy(float)) & (a <= d["upper"].to_numpy(float))
    wape = np.abs(a - f).sum() / tot
    return {"wape": wape, "bias": (f - a).sum() / tot, "cover": float(inside.mean()), "points": len(d),
            "ratio": wape / min(base) if base and min(base) > 0 else float("nan"),
            "sum_abs": np.abs(a - f).sum(), "sum_a": tot, "sum_err": (f - a).sum(), "inside": float(inside.sum())}


def score(P: dict, rule, memos: dict) -> dict:
    """Per history: figures of all categories, of the classes, and the sum of categories against the total."""
    res = {}
    for name, d in P.items():
        runs = rule(d, memos.setdefault(name, [{} for _ in d["cats"]]))
        tabs = [table(r, d["ctx"], s) for r, (_, s) in zip(runs, d["cats"])]
        occ = [occasional(raw) for raw, _ in d["cats"]]
        spend = np.array([raw.history["y"].sum() for raw, _ in d["cats"]], float)
        large = spend >= 0.10 * spend.sum()
        sum_a = sum(float(t["actual"].abs().sum()) for t in tabs if len(t))
        occ_err = sum(float((t["forecast"] - t["actual"]).sum()) for t, o in zip(tabs, occ) if o and len(t))
        row = {"occ_contrib": occ_err / sum_a if sum_a > 0 else float("nan"),
               "occ_share": sum(float(t["actual"].sum()) for t, o in zip(tabs, occ) if o and len(t)) / sum_a
               if sum_a > 0 else float("nan"),
               "all": figures(tabs),
               "occasional": figures([t for t, o in zip(tabs, occ) if o]),
               "frequent": figures([t for t, o in zip(tabs, occ) if not o]),
               "large": figures([t for t, g, o in zip(tabs, large, occ) if g and not o]),
               "small": figures([t for t, g, o in zip(tabs, large, occ) if not g and not o])}
        tt = d["total_table"]
        if len(tt) and any(len(t) for t in tabs):
            s = pd.concat([t for t in tabs if len(t)]).groupby(["origin", "ds"])["forecast"].sum()
            tt = tt.set_index(["origin", "ds"])
            s = s.reindex(tt.index).fillna(0.0)
            row["sum_vs_total"] = float(s.sum() / tt["forecast"].sum() - 1.0)
            row["sum_bias"] = float((s - tt["actual"]).sum() / tt["actual"].sum())
            row["total_bias"] = float((tt["forecast"] - tt["actual"]).sum() / tt["actual"].sum())
        if row["all"] is not None:
            res[name] = row
    return res


def mean_of(rows: dict, part: str, key: str) -> float:
    v = [r[part][key] for r in rows.values() if r.get(part) is not None and np.isfinite(r[part][key])]
    return float(np.mean(v)) if v else float("nan")


def line(rows: dict) -> str:
    out = (f"bias {mean_of(rows, 'all', 'bias'):+6.1%}  WAPE {mean_of(rows, 'all', 'wape'):5.1%}  "
           f"ratio {mean_of(rows, 'all', 'ratio'):.3f}  cover {mean_of(rows, 'all', 'cover'):5.1%}  |  ")
    for part in ("frequent", "large", "small", "occasional"):
        out += f"{part} {mean_of(rows, part, 'bias'):+.1%}/{mean_of(rows, part, 'ratio'):.2f}  "
    sv = [r["sum_vs_total"] for r in rows.values() if "sum_vs_total" in r]
    sb = [r["sum_bias"] for r in rows.values() if "sum_bias" in r]
    tb = [r["total_bias"] for r in rows.values() if "total_bias" in r]
    out += (f"| occasional: {np.nanmean([r['occ_share'] for r in rows.values()]):.0%} of spending, "
            f"{np.nanmean([r['occ_contrib'] for r in rows.values()]):+.1%} of the bias  ")
    pooled = sum(r["all"]["sum_err"] for r in rows.values()) / sum(r["all"]["sum_a"] for r in rows.values())
    return out + (f"| sum/total {np.mean(sv):+.1%}  sum bias {np.mean(sb):+.1%}  total bias {np.mean(tb):+.1%}  "
                  f"(pooled-sums bias {pooled:+.1%}, {len(rows)} histories)")


def boot_diff(a: dict, b: dict, key: str, n: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Mean over histories of b's figure minus a's (``key`` of 'all'), with a paired bootstrap 95% interval."""
    names = [h for h in a if h in b]
    diff = np.array([b[h]["all"][key] - a[h]["all"][key] for h in names], float)
    diff = diff[np.isfinite(diff)]
    rng = np.random.default_rng(seed)
    bs = [rng.choice(diff, len(diff)).mean() for _ in range(n)]
    return float(diff.mean()), float(np.percentile(bs, 2.5)), float(np.percentile(bs, 97.5))


def prepare(runs: dict) -> dict:
    for d in runs.values():
        tot = backtest._choose_methods(copy.copy(d["total"]), d["ctx"], config=E.DEFAULT)
        d["total_chosen"] = tot
        d["total_table"] = table(tot, d["ctx"], F.SERIES_EXPENSES)
    return runs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--groups", default="households")
    ap.add_argument("--rules", default="explore18")
    ap.add_argument("--only", default="")
    ap.add_argument("--runs-only", action="store_true", help="compute and cache the model runs, print nothing else")
    ap.add_argument("--decide", action="store_true", help="print the pre-registered criteria (session18)")
    ap.add_argument("--per-history", action="store_true")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    for group in [g for g in args.groups.split(",") if g]:
        t0, c0 = time.perf_counter(), time.process_time()
        runs = model_runs(group)
        print(f"== {group}: {len(runs)} histories, model runs {time.perf_counter() - t0:.0f} s wall / "
              f"{time.process_time() - c0:.0f} s CPU", flush=True)
        if args.runs_only:
            continue
        P = prepare(runs)
        memos: dict = {}
        by_rule = {}
        for lb, rule in rules(args.rules).items():
            if args.only and lb != SHIPPED and not any(w in lb for w in args.only.split(",")):
                continue
            by_rule[lb] = score(P, rule, memos)
            extra = ""
            if lb != SHIPPED:
                dw, lo, hi = boot_diff(by_rule[SHIPPED], by_rule[lb], "ratio")
                extra = f"  dRatio {dw:+.3f} [{lo:+.3f}, {hi:+.3f}]"
            print(f"{lb:36s} {line(by_rule[lb])}{extra}", flush=True)
        if args.per_history:
            print("per history (ratio / bias / coverage):")
            for h in by_rule[SHIPPED]:
                print(f"  {h[:30]:30s} " + "  ".join(
                    f"{v[h]['all']['ratio']:.2f}/{v[h]['all']['bias']:+.0%}/{v[h]['all']['cover']:.0%}"
                    for v in by_rule.values() if h in v))
            print("  rules: " + " | ".join(by_rule))
        if args.decide:
            decide(by_rule, group)
        print(f"   ({time.perf_counter() - t0:.0f} s wall / {time.process_time() - c0:.0f} s CPU)", flush=True)
    return 0


# ------------------------------------------------------------------------------------------------ the decision
# Pre-registered (session 18, fcbias) before any run on seeds 901-960: the candidate and its criteria. The figures
# are household means (each history weighed equally) of the monthly expense categories' shown backtest.
CANDIDATE = "C: sape ranking + occasional level sum k=12"
CANDIDATE_CONFIG = replace(E.DEFAULT, cat_score="sape", cat_level_prior=12, cat_level_stat="sum",
                           cat_level_occasional_only=True)
FRESH, TUNED = "seeds901-960", "households"


def decide(by_rule: dict, group: str) -> None:
    """Print each criterion of the group with its figures and met / FAILED (criteria 6-7, speed and the totals
    unchanged, are checked with forecast_eval.py; the decision needs every criterion of both groups)."""
    s, c = by_rule[SHIPPED], by_rule[CANDIDATE]
    bs, bc = mean_of(s, "all", "bias"), mean_of(c, "all", "bias")
    rs, rc = mean_of(s, "all", "ratio"), mean_of(c, "all", "ratio")
    cov = mean_of(c, "all", "cover")
    worse = {h: c[h]["all"]["ratio"] - s[h]["all"]["ratio"] for h in s if h in c}
    sum_s = np.mean([r["sum_bias"] for r in s.values() if "sum_bias" in r])
    sum_c = np.mean([r["sum_bias"] for r in c.values() if "sum_bias" in r])
    dw, lo, hi = boot_diff(s, c, "ratio")

    def say(n: str, text: str, ok: bool) -> None:
        print(f"  criterion {n}: {text}: {'met' if ok else 'FAILED'}")

    print(f"decision figures ({group}): bias {bs:+.2%} -> {bc:+.2%}; ratio {rs:.4f} -> {rc:.4f} "
          f"(dRatio {dw:+.4f} [{lo:+.4f}, {hi:+.4f}]); coverage {cov:.1%}; sum-of-categories bias {sum_s:+.2%} -> "
          f"{sum_c:+.2%}")
    if group == FRESH:
        say("1", f"|bias| lower by >= 1.0 point ({abs(bs):.2%} -> {abs(bc):.2%})", abs(bc) <= abs(bs) - 0.010)
        say("2", f"mean ratio not worse by more than 0.010 ({rc - rs:+.4f})", rc - rs <= 0.010)
        say("3", f"coverage within 72-88% ({cov:.1%})", 0.72 <= cov <= 0.88)
        big = sorted((v, h) for h, v in worse.items() if v > 0.10)
        say("4", f"at most 6 of {len(worse)} histories worse by more than 0.10 in ratio ({len(big)})", len(big) <= 6)
        say("5", f"the sum of the categories less biased ({abs(sum_s):.2%} -> {abs(sum_c):.2%})",
            abs(sum_c) < abs(sum_s))
    elif group == TUNED:
        say("1h", f"|bias| lower by >= 0.5 point ({abs(bs):.2%} -> {abs(bc):.2%})", abs(bc) <= abs(bs) - 0.005)
        say("2h", f"mean ratio not worse by more than 0.010 ({rc - rs:+.4f})", rc - rs <= 0.010)
        say("3h", f"coverage within 72-88% ({cov:.1%})", 0.72 <= cov <= 0.88)
        big = {h: round(v, 3) for h, v in worse.items() if v > 0.05}
        say("4h", f"no household's ratio worse by more than 0.05 ({big or 'none'})", not big)


if __name__ == "__main__":
    sys.exit(main())
