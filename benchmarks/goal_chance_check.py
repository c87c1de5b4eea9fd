"""Is a goal's chance calibrated? (session 18, goalcal, issue #17; run by hand, prints figures, asserts nothing)

    .venv/bin/python benchmarks/goal_chance_check.py [--groups households,seeds841-860] [--stride 1] [--workers 2]

At rolling origins (the end of every complete month with at least 12 complete months before it; ``--stride`` keeps
every k-th; at most ``--max-origins`` per history) each history is cut at the origin and the app's 24-month
net-savings forecast is made exactly as the Goals page makes it (``forecast.forecast_history(series=net,
horizon=24, freq=month)``; the page's ``forecast_user`` is the same call with the recurring payments read from the
database instead of detected in the frame). For horizons 3, 6 and 12 months a goal "save X by the end of month h"
(nothing saved yet, all future savings going to it: share 1) is posed and its chance taken from
``goals.project_goal`` itself (no re-implementation: the expected cumulative savings and their sd at the target date
are read off a probe goal's chart). Levels of X (only X > 0; a goal of 0 or less is "reached"):

  quantile   the forecast's own 10/25/50/75/90% points (stated chance ~90/75/50/25/10%)
  recent     0.5, 1.0 and 1.5 x h x the mean net savings of the last 6 complete months (only when that mean > 0)

Outcome: the actual net savings (income - expenses, transfers excluded) of the h months that follow reached X.
Figures: reliability (chance bins vs the observed frequency, counts), Brier score against climatology (one
constant chance: the observed frequency of the group itself, in-sample, which flatters it) and against "past
windows" (the share of the history's own h-month windows before the origin that saved X), per history and pooled;
diagnosis: the standardized outcome z = (actual - mean) / sd per horizon (mean = the mean's bias in sds; sd = 1 if
the spread is right), the one-month z (the spread without rho) and the realised correlation of month-1 and month-2
errors next to the rho the app used. Outcomes of one history overlap (windows, several X per origin): the counts
overstate the independent evidence.

Per history (households and demo groups; session 23): the Brier block and ``per_history_z`` (forecast vs actual net
savings a month, z of the h-month sums). Groups: ``households`` (the 13 of ``forecast_eval.py``: 5 real, 8 generated); ``seedsA-B``: generated histories of
30-42 months with structure drawn per seed (trend, yearly season, level shift, outliers; as
``forecast_short_check.synthetic_drawn`` but longer), seeds below 1341 only for exploration (1461-1520:
session 19's pre-registered test, `goal_oneoff_decide.py`); ``demoA-B``: the app's demo generator, 36 months per seed
(demo seeds 2301 and above kept fresh: session 23's `goal_yearly_decide.py`). Cached in /tmp (or $GOALCAL_CACHE); `p_one`: the chance
with `goal_stats.ONE_OFFS` on (session 19), `p`: with it off (session 18's). Neither is the app's since session 20
(its prior, `ONE_OFF_PRIOR`, is on): the report's "the app as shipped" block is (session 22: session 21 quoted
`p_one`'s "0.30 at >= 0.9 with one-off purchases" as the app's; the app's was 0.53 on seeds 400001-400080).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import pickle
import sys
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import forecast_households as H

from budgetwise.services import forecast as F
from budgetwise.services import goal_stats as S
from budgetwise.services import goals as G
from budgetwise.services.goal_stats import probability_of_reaching

HORIZONS = (3, 6, 12)
MIN_TRAIN = 12
QUANTILE_Z = (-1.2816, -0.6745, 0.0, 0.6745, 1.2816)  # X at the forecast's 10/25/50/75/90% points
RECENT_K = (0.5, 1.0, 1.5)
BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001)
CACHE = Path(os.environ.get("GOALCAL_CACHE") or Path(tempfile.gettempdir()) / "goalcal-cache")
VERSION = 9  # the cache does not know the code: bump after a change that moves forecasts (7: rows keep
# the history's months, the forecast and its known flows, for goal_one_offs as project_goal calls it; 9: the goals'
# sd is goal_stats.ACCUMULATION's, "scaled" since session 24)


# --------------------------------------------------------------------------- histories
def structure(seed: int) -> tuple[int, dict, str]:
    """Months, ``forecast_households.synthetic`` keywords and a label, drawn per seed (30-42 months)."""
    rng = np.random.default_rng(20_000 + seed)
    months = int(rng.integers(30, 43))
    kw, label = H.drawn_structure(rng)
    return months, kw, f"gen {seed} {months}m " + label


def drawn(seed: int) -> tuple[str, pd.DataFrame]:
    """A generated history of 30-42 months with structure drawn per seed (long enough for 12-month goals)."""
    months, kw, name = structure(seed)
    return name, F.parse_transactions(H.synthetic(seed, months, **kw))


def group_histories(group: str) -> list[tuple[str, object]]:
    """(name, loader) pairs; a loader returns the parsed transactions."""
    if group == "households":
        return [(n, (lambda fn=fn: F.parse_transactions(fn()))) for n, _, fn in H.households()]
    if group.startswith("seeds"):
        first, last = (int(x) for x in group[5:].split("-"))
        return [(f"seed {s}", (lambda s=s: drawn(s)[1])) for s in range(first, last + 1)]
    if group.startswith("demo"):  # the app's demo generator (yearly July travel, April taxes), 36 months each
        first, last = (int(x) for x in group[4:].split("-"))
        return [(f"demo {s}", (lambda s=s: F.parse_transactions(H.demo(s, 36)))) for s in range(first, last + 1)]
    raise SystemExit(f"unknown group {group!r}")


def net_months(tx: pd.DataFrame) -> pd.Series:
    """Complete calendar months of net savings (income - expenses; transfers excluded), major units."""
    sign = np.where(tx["kind"] == "income", 1, np.where(tx["kind"] == "expense", -1, 0))
    s = (tx["amount_minor"] * sign).groupby(tx["date"].dt.to_period("M")).sum() / 100.0
    first, last = tx["date"].min(), tx["date"].max()
    s = s.reindex(pd.period_range(first.to_period("M"), last.to_period("M"), freq="M"), fill_value=0.0)
    if last.normalize() != last.to_period("M").to_timestamp(how="end").normalize():
        s = s.iloc[:-1]
    if first.day != 1:
        s = s.iloc[1:]
    return s


# --------------------------------------------------------------------------- the app's chance
def goal(today: dt.date, target_date: dt.date, target: float) -> G.GoalView:
    return G.GoalView(id=1, name="check", currency="USD", target_minor=int(round(target * 100)),
                      target_date=target_date, initial_saved_minor=0, contributed_minor=0, is_archived=False,
                      today=today)


def app_chance(g: G.GoalView, net, one_offs: bool) -> float:
    """project_goal's chance with the module flag ``goal_stats.ONE_OFFS`` set to ``one_offs`` (session 20's prior,
    ``ONE_OFF_PRIOR``, off: ``goal_prior_decide.py`` adds it to these rows; session 23's ``ONE_OFF_YEARLY`` off too, so
    ``p_one`` stays session 19's chance, which ``goal_yearly_decide.py`` checks its reading against)."""
    saved, S.ONE_OFFS = (S.ONE_OFFS, S.ONE_OFF_PRIOR, S.ONE_OFF_YEARLY), one_offs
    S.ONE_OFF_PRIOR = S.ONE_OFF_YEARLY = False
    try:
        return float(G.project_goal(g, net).probability)
    finally:
        S.ONE_OFFS, S.ONE_OFF_PRIOR, S.ONE_OFF_YEARLY = saved


def app_mean_sd(net, today: dt.date, target_date: dt.date) -> tuple[float, float]:
    """The expected cumulative savings and their sd at ``target_date`` as project_goal computes them (its chart)."""
    chart = G.project_goal(goal(today, target_date, 1.0), net).chart
    row = chart[chart["ds"] == target_date].iloc[0]
    z = NormalDist().inv_cdf(0.5 + net.interval / 2)
    return float(row["expected"]), float((row["upper"] - row["expected"]) / z)


def origin_rows(name: str, tx: pd.DataFrame, stride: int, max_origins: int) -> list[dict]:
    months = net_months(tx)
    values = months.to_numpy(dtype=float)
    ts = list(range(MIN_TRAIN, len(months) - min(HORIZONS) + 1))[::-1][::stride][:max_origins][::-1]
    out = []
    for t in ts:
        as_of = months.index[t - 1].end_time.date()
        hist = F.history_from_frame(tx[tx["date"] <= pd.Timestamp(as_of)], as_of=as_of)
        try:
            net = F.forecast_history(hist, series=F.SERIES_NET, horizon=24, freq="month")
        except F.NotEnoughHistory:
            continue
        rho = G._error_correlation(net)
        bt = net.backtest.table if net.backtest is not None else None
        bias = float((bt["actual"] - bt["forecast"]).mean()) if bt is not None and len(bt) else 0.0
        fc = net.forecast
        z80 = NormalDist().inv_cdf(0.5 + net.interval / 2)
        month_sd = ((fc["yhat_upper"] - fc["yhat_lower"]) / (2 * z80)).to_numpy(dtype=float)
        month_err = values[t : t + 12] - fc["yhat"].to_numpy(dtype=float)[: len(values[t : t + 12])]
        recent = float(values[t - 6 : t].mean())
        row = {"name": name, "origin": str(months.index[t - 1]), "rho": rho, "month_z": month_err / month_sd[: len(month_err)],
               "month_err": month_err, "goals": [], "cum": {}, "bias": bias,
               "hist_y": net.history["y"].to_numpy(dtype=float), "bt": bt,
               "hist_ds": list(net.history["ds"]), "fc": net.forecast[["ds", "yhat"]].copy(),
               "skip": net.partly_observed, "known_flows": net.known_flows,
               "empty": tuple(getattr(net, "empty_months", ()))}  # gap months (goal_gap_decide.py, session 27)
        for h in HORIZONS:
            if t + h > len(values):
                continue
            target_date = months.index[t + h - 1].end_time.date()
            actual = float(values[t : t + h].sum())
            mean, sd = app_mean_sd(net, as_of, target_date)
            past = np.convolve(values[:t], np.ones(h), mode="valid")  # the history's own h-month windows
            row["cum"][h] = (actual, mean, sd)
            levels = [("quantile", mean + zq * sd) for zq in QUANTILE_Z]
            levels += [("recent", k * h * recent) for k in RECENT_K if recent > 0]
            for kind, x in levels:
                if x <= 0.005:
                    continue
                p = app_chance(goal(as_of, target_date, x), net, False)  # shipped (session 18)
                p_one = app_chance(goal(as_of, target_date, x), net, True)  # session 19's one-off term
                p_past = float(np.mean(past >= x)) if len(past) >= 3 else np.nan
                # what-if (not the app): the expected path moved by the net backtest's mean error per month
                p_bias = probability_of_reaching(x, mean + bias * h, sd)
                row["goals"].append({"h": h, "kind": kind, "x": x, "p": float(p), "hit": actual >= x,
                                     "p_past": p_past, "p_bias": p_bias, "p_one": p_one, "mean": mean, "sd": sd,
                                     "months": ((target_date - as_of).days) / S.DAYS_PER_MONTH})
        out.append(row)
    return out


def cached_rows(group: str, name: str, stride: int, max_origins: int) -> tuple[str, list[dict]]:
    warnings.filterwarnings("ignore")
    key = hashlib.sha1(pickle.dumps((VERSION, name, stride, max_origins))).hexdigest()[:16]
    path = CACHE / f"{key}.pkl"
    if path.exists():
        return name, pickle.loads(path.read_bytes())
    t = time.process_time()
    rows = origin_rows(name, dict(group_histories(group))[name](), stride, max_origins)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(rows))
    print(f"   {name}: {len(rows)} origins, {time.process_time() - t:.0f} s CPU", flush=True)
    return name, rows


# --------------------------------------------------------------------------- figures
def shipped_chances(row: dict) -> list[float]:
    """The app's chance as shipped (every ``goal_stats`` flag as it is) for each goal of ``row``: ``goal_stats.chance``
    at the expected savings, sd and months ``project_goal`` read, with ``goal_one_offs`` of the history (the cache
    holds no such column: its ``p_one`` pins the prior off); as ``project_goal`` calls it (the history's months, the
    forecast and its known flows)."""
    found = S.goal_one_offs(one_off_history(row), forecast=row["fc"], skip=row["skip"], flows=row["known_flows"])
    return [S.chance(round(g["x"] * 100) / 100, g["mean"], g["sd"], months=g["months"], one_offs=found)
            for g in row["goals"]]


def one_off_history(row: dict) -> pd.DataFrame:
    """The net-savings history of a cached row as ``project_goal`` passes it (``ds``, ``y``)."""
    return pd.DataFrame({"ds": row["hist_ds"], "y": row["hist_y"]})


def goals_frame(rows: list[dict]) -> pd.DataFrame:
    recs = [dict(g, name=r["name"], origin=r["origin"], p_app=p) for r in rows
            for g, p in zip(r["goals"], shipped_chances(r))]
    return pd.DataFrame(recs, columns=["name", "origin", "h", "kind", "x", "p", "hit", "p_past", "p_bias", "p_one",
                                       "p_app", "mean", "sd", "months"])


def brier(g: pd.DataFrame) -> dict:
    hit = g["hit"].to_numpy(dtype=float)
    p = g["p"].to_numpy(dtype=float)
    clim = hit.mean() if len(hit) else np.nan
    past = g["p_past"].to_numpy(dtype=float)
    ok = np.isfinite(past)
    return {"n": len(g), "freq": clim, "mean_p": float(p.mean()) if len(p) else np.nan,
            "bs": float(np.mean((p - hit) ** 2)) if len(p) else np.nan,
            "bs_clim": float(np.mean((clim - hit) ** 2)) if len(p) else np.nan,
            "bs_app_on_past": float(np.mean((p[ok] - hit[ok]) ** 2)) if ok.any() else np.nan,
            "bs_past": float(np.mean((past[ok] - hit[ok]) ** 2)) if ok.any() else np.nan, "n_past": int(ok.sum())}


def reliability(title: str, g: pd.DataFrame) -> None:
    print(f"\n-- reliability: {title} ({len(g)} goals)")
    print(f"   {'chance bin':12s} {'n':>5s} {'mean P':>7s} {'observed':>8s}")
    cut = pd.cut(g["p"], BINS, right=False)
    for b, part in g.groupby(cut, observed=False):
        if len(part):
            print(f"   {str(b):12s} {len(part):5d} {part['p'].mean():7.2f} {part['hit'].mean():8.2f}")
    b = brier(g)
    bss = 1 - b["bs"] / b["bs_clim"] if b["bs_clim"] else np.nan
    print(f"   Brier {b['bs']:.3f}  climatology {b['bs_clim']:.3f} (skill {bss:+.2f})  | on the {b['n_past']} with a "
          f"past-window guess: app {b['bs_app_on_past']:.3f}, past windows {b['bs_past']:.3f}")


def per_history(g: pd.DataFrame) -> None:
    print("\n-- per history (all horizons and levels)")
    print(f"   {'history':30s} {'n':>4s} {'mean P':>7s} {'freq':>5s} {'Brier':>6s} {'clim':>6s} {'past':>6s}")
    for name, part in g.groupby("name", sort=False):
        b = brier(part)
        print(f"   {name[:30]:30s} {b['n']:4d} {b['mean_p']:7.2f} {b['freq']:5.2f} {b['bs']:6.3f} {b['bs_clim']:6.3f} "
              f"{b['bs_past']:6.3f}")


def per_history_z(rows: list[dict]) -> None:
    """Per history: forecast vs actual net savings a month (the first 12 months ahead) and z = (actual - mean) / sd of
    the h-month sums (mean z > 0: the point is low; sd z < 1: the range is too wide for sums). Session 23 (goal23b):
    the demo households' low chances are a low point (income: the December bonus, the yearly raise) and ranges too
    wide for sums; the 13 households and generated seeds show neither."""
    print("\n-- per history: net savings a month, forecast / actual, and z of the h-month sums (mean, sd)")
    print(f"   {'history':30s} {'forecast':>8s} {'actual':>8s} " + " ".join(f"{'z' + str(h):>11s}" for h in HORIZONS))
    for name in dict.fromkeys(r["name"] for r in rows):
        mine = [r for r in rows if r["name"] == name and len(r["month_err"])]
        if not mine:
            continue
        fc = [r["fc"]["yhat"].to_numpy(dtype=float)[: len(r["month_err"])] for r in mine]
        act = np.concatenate([f + r["month_err"] for f, r in zip(fc, mine)])
        cells = []
        for h in HORIZONS:
            z = np.array([(r["cum"][h][0] - r["cum"][h][1]) / r["cum"][h][2] for r in mine if h in r["cum"]])
            cells.append(f"{z.mean():+5.2f} {z.std():5.2f}" if len(z) >= 2 else f"{'':>11s}")
        print(f"   {name[:30]:30s} {np.concatenate(fc).mean():8.0f} {act.mean():8.0f} " + " ".join(cells))


def diagnosis(rows: list[dict]) -> None:
    print("\n-- diagnosis: standardized outcome z = (actual - app mean) / app sd (right: mean 0, sd 1, inside 50% / 80%"
          " = 0.50 / 0.80)")
    print(f"   {'h':>3s} {'n':>4s} {'mean z':>7s} {'sd z':>6s} {'robust sd':>9s} {'in 50%':>7s} {'in 80%':>7s} "
          f"{'median err/mo':>13s}")
    for h in HORIZONS:
        c = np.array([r["cum"][h] for r in rows if h in r["cum"]])
        if len(c):
            z = (c[:, 0] - c[:, 1]) / c[:, 2]
            print(f"   {h:3d} {len(z):4d} {z.mean():+7.2f} {z.std(ddof=1):6.2f} {robust_sd(z):9.2f} "
                  f"{np.mean(np.abs(z) < 0.6745):7.2f} {np.mean(np.abs(z) < 1.2816):7.2f} "
                  f"{float(np.median(c[:, 0] - c[:, 1])) / h:+13.0f}")
    mz = np.concatenate([r["month_z"][:1] for r in rows if len(r["month_z"])])
    print(f"   one month ahead (no rho involved): mean z {mz.mean():+.2f}, sd z {mz.std(ddof=1):.2f}, robust sd "
          f"{robust_sd(mz):.2f}, inside 50% {np.mean(np.abs(mz) < 0.6745):.2f}, 80% {np.mean(np.abs(mz) < 1.2816):.2f}"
          f" (n {len(mz)})")
    pairs = np.array([r["month_z"][:2] for r in rows if len(r["month_z"]) >= 2])
    rhos = np.array([r["rho"] for r in rows])
    if len(pairs) >= 8:
        real = float(np.corrcoef(pairs[:, 0], pairs[:, 1])[0, 1])
        rank = float(pd.Series(pairs[:, 0]).corr(pd.Series(pairs[:, 1]), method="spearman"))
        print(f"   rho: the app used mean {rhos.mean():.2f} (median {np.median(rhos):.2f}); realised correlation of the "
              f"month-1 and month-2 z {real:+.2f} (rank {rank:+.2f}, n {len(pairs)})")


def robust_sd(z: np.ndarray) -> float:
    return float(1.4826 * np.median(np.abs(z - np.median(z))))


def report(title: str, rows: list[dict], *, histories: bool) -> None:
    g = goals_frame(rows)
    print(f"\n===== {title}: {len({r['name'] for r in rows})} histories, {len(rows)} origins, {len(g)} goals")
    if g.empty:
        return
    reliability("pooled", g)
    for h in HORIZONS:
        reliability(f"h = {h} months", g[g["h"] == h])
    for kind in ("quantile", "recent"):
        reliability(f"X = {kind}", g[g["kind"] == kind])
    if histories:
        per_history(g)
    one = g.assign(p=g["p_one"])
    reliability("session 19: one-off shortfalls counted (goal_stats.ONE_OFFS on)", one)
    for h in HORIZONS:
        reliability(f"one-off shortfalls counted, h = {h} months", one[one["h"] == h])
    if histories:
        per_history(one)
    app = g.assign(p=g["p_app"])
    reliability("the app as shipped (one-off shortfalls and the prior, every goal_stats flag as it is)", app)
    if histories:
        per_history(app)
    if histories:
        per_history_z(rows)
    what_if = g.assign(p=g["p_bias"])
    reliability("what-if (not the app): the mean moved by the net backtest's mean error per month", what_if)
    reliability("what-if, h = 12", what_if[what_if["h"] == 12])
    diagnosis(rows)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="households")
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("--max-origins", type=int, default=24)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    for group in args.groups.split(","):
        fresh = (group.startswith("seeds") and int(group[5:].split("-")[1]) >= 1341) or (
            group.startswith("demo") and int(group[4:].split("-")[1]) >= 2301)
        if fresh and not os.environ.get("GOALCAL_FRESH"):
            raise SystemExit("seeds 1341 and above are kept fresh (set GOALCAL_FRESH=1 for a pre-registered test)")
        items = group_histories(group)
        with ProcessPoolExecutor(args.workers) as pool:
            done = dict(pool.map(cached_rows, [group] * len(items), [n for n, _ in items],
                                 [args.stride] * len(items), [args.max_origins] * len(items)))
        rows = [r for n, _ in items for r in done[n]]
        report(group, rows, histories=group == "households" or group.startswith("demo"))
        if group.startswith("seeds"):
            lumpy = {f"seed {s}" for s in range(int(group[5:].split("-")[0]), int(group[5:].split("-")[1]) + 1)
                     if structure(s)[1].get("outliers")}
            report(f"{group}: with one-off large purchases", [r for r in rows if r["name"] in lumpy], histories=False)
            report(f"{group}: without", [r for r in rows if r["name"] not in lumpy], histories=False)
        if group == "households":
            real = {n for n, k, _ in H.households() if k == "real"}
            report("households: the 5 real ones", [r for r in rows if r["name"] in real], histories=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
