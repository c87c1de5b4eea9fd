"""The cash-flow band on young histories (issue #19; ninth pass, docs/accounts.md 2026-12-05).

``capture``: every month end of a history's first ``--months`` months with at least 3 complete months
before it is an origin; ``cashflow.project_history`` runs there (the product, shipped rule) and the
end-of-next-month point, band and actual balance are recorded together with what ``cashflow_model._band``
saw (the backtest's scaled errors, their steps, the scale, the monthly nets). ``replay``: re-scores the
band by each rule on the recordings (the point forecast is the recording's: only the band changes); the
"shipped" rule's replay must reproduce the recorded band.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_young.py capture 241-280 /tmp/x/young241.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_young.py capture real /tmp/x/youngreal.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_young.py replay /tmp/x/young241.pkl

Generated: 16-month histories, four shapes in turn (season 20%, flat, noisy, two outliers). Real: the five
real histories of ``forecast_households.households`` truncated to their first 16 months. Seeds used:
101-104 (a check of the scorer), 241-280 (the ninth pass's pre-registered test), 241-252 again (session 10's
exploration), 281-320, 361-400 and 401-440 (session 10's tests of the band variants ``band:NAME`` of
``cashflow_band.py``), 441-480 (cftail's test of the chance's t4 tail), 481-520 and 521-560 (session 11, cfband: hdc, stepnorm), 561-600 (session 11, cfyoung: ``drop 6``, not adopted); take 641 and up next. ``capture real-late``: the real histories started 8, 16, ...
months later (``late_windows``; session 10's second test, cfband). ``replay --detail``: at 9-15 months,
coverage per shape, the lower tail and the histories a binomial test flags.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cashflow_band import variant  # noqa: E402
from cashflow_eval import NetHistory, _month_end  # noqa: E402
from forecast_households import households, synthetic  # noqa: E402

from budgetwise.ratios import Z80  # noqa: E402
from budgetwise.services import cashflow as C  # noqa: E402
from budgetwise.services import cashflow_model as M  # noqa: E402
from budgetwise.services import forecast as F  # noqa: E402
from budgetwise.services.forecast.ensemble import conformal_offsets  # noqa: E402

SHAPES = [("season", {"season": 0.2}), ("flat", {}), ("noisy", {"noise": 0.8}), ("outliers", {"outliers": 2})]
Z95 = 1.6448536269514722  # the normal's 95% point: the product's "chance below" at 5% (sigma from the lower side)


def late_windows(frame: pd.DataFrame, offsets: range, min_months: int = 12) -> list[tuple[int, pd.DataFrame]]:
    """The history started ``8 x w`` months after its first whole month, for w in ``offsets`` (a user whose
    import starts there), where at least ``min_months`` whole months remain. With 8-month steps the
    outcomes of the origins at 9-15 complete months (months 10-16 of a window) never overlap between
    windows, nor with the first 16 months' (``capture real``)."""
    d = pd.to_datetime(frame["date"])
    first = d.min()
    m0 = first.to_period("M").to_timestamp() + (pd.DateOffset(months=1) if first.day != 1 else pd.DateOffset(0))
    out = []
    for w in offsets:
        start = m0 + pd.DateOffset(months=8 * w)
        if len(pd.period_range(start, d.max(), freq="M")) - 1 >= min_months:  # (17 months: 16 origins' targets)
            out.append((8 * w, frame[(d >= start) & (d < start + pd.DateOffset(months=17))].reset_index(drop=True)))
    return out


def capture_history(frame: pd.DataFrame, months: int = 16) -> list[dict]:
    net = NetHistory(frame)
    canon, dates, last, balance = net.canon, net.dates, net.last, net.balance
    ends = net.month_ends[:months]

    seen: dict = {}
    orig = M._band

    def band(scores, score_steps, steps, scale, nets, co):
        seen.update(scores=np.array(scores), steps=np.array(score_steps), scale=scale, nets=nets.copy())
        return orig(scores, score_steps, steps, scale, nets, co)

    M._band = band  # type: ignore[assignment]
    recs = []
    try:
        for origin in ends:
            target = _month_end(origin + dt.timedelta(days=1))
            if target > last:
                break
            seen.clear()
            hist = F.history_from_frame(canon[dates <= origin], currency="USD", as_of=origin)
            p = C.project_history(hist, start_balance_minor=balance(origin), as_of=origin, horizon_months=2)
            if "nets" not in seen:
                continue
            complete = len(seen["nets"])
            if complete < M.MIN_LEVEL_MONTHS:
                continue
            point = next(d for d in p.days if d.date == target)
            recs.append({"origin": origin, "months": complete, "actual": balance(target),
                         "point": point.balance_minor, "lower": point.lower_minor, "upper": point.upper_minor,
                         **seen})
    finally:
        M._band = orig  # type: ignore[assignment]
    return recs


def young_band(r: dict, young_errors: int) -> tuple[float, float] | None:
    """The pre-registered rule: with fewer than ``young_errors`` backtest errors, +/- t(0.9, m) x the
    root mean square of the last m month-to-month differences of the monthly net (m <= 11)."""
    if len(r["scores"]) >= young_errors:
        return None
    d = np.diff(r["nets"].tail(M.SCALE_MONTHS).to_numpy(dtype=float))
    if len(d) < 2:
        return None
    from scipy.stats import t
    half = float(t.ppf(0.9, len(d))) * math.sqrt(float(np.mean(d * d)))
    return -half, half


def offsets(r: dict, rule: str) -> tuple[float, float]:
    """The band's offsets at the end of the next month, as the projection interpolates them by day:
    "shipped" is the recorded band (the product at capture time); "young N" the rule above where it
    applies, else the recorded band; "product" the current ``cashflow_model._band``."""
    if rule == "shipped":
        return float(r["lower"] - r["point"]), float(r["upper"] - r["point"])
    if rule.startswith("young"):
        yb = young_band(r, int(rule.split()[1]))
        if yb is None:
            return float(r["lower"] - r["point"]), float(r["upper"] - r["point"])
        band = tuple((int(yb[0] * math.sqrt(k)), int(yb[1] * math.sqrt(k))) for k in (1, 2))
    elif rule.startswith("band:"):  # a variant of benchmarks/cashflow_band.py (session 10)
        band = variant(rule[5:])(r["scores"], r["steps"], 2, r["scale"], r["nets"], conformal_offsets)[0]
    else:
        band = M._band(r["scores"], r["steps"], 2, r["scale"], r["nets"], conformal_offsets)[0]
    days = (_month_end(r["origin"] + dt.timedelta(days=1)) - r["origin"]).days
    lo, hi = C._band_at(band, days / 30.436875)
    return float(lo), float(hi)


BUCKETS = [(3, 5), (6, 8), (3, 8), (9, 12), (13, 15), (9, 15)]


def replay(paths: list[str], rules: list[str]) -> None:
    recs = []
    for p in paths:
        with open(p, "rb") as fh:
            for name, rs in pickle.load(fh):
                recs += [dict(r, history=name) for r in rs]
    bad = 0
    for r in recs:
        lo, hi = offsets(r, "product")
        bad += abs(r["point"] + int(lo) - r["lower"]) > 2 or abs(r["point"] + int(hi) - r["upper"]) > 2
    print(f"{len(recs)} origins; the current product band differs from the recording at {bad}")
    for rule in rules:
        cells = []
        for a, b in BUCKETS:
            sub = [r for r in recs if a <= r["months"] <= b]
            ins = 0
            widths = []
            for r in sub:
                lo, hi = offsets(r, rule)
                ins += r["point"] + int(lo) <= r["actual"] <= r["point"] + int(hi)
                widths.append((hi - lo) / 100)
            cells.append(f"{a}-{b}: {ins}/{len(sub)} = {ins / max(1, len(sub)):.0%} (w {np.median(widths) if widths else 0:,.0f})")
        print(f"{rule:10s} | " + " | ".join(cells))


def detail(recs: list[dict], rule: str, a: int = 9, b: int = 15) -> dict:
    """At ``a``-``b`` complete months: coverage per shape (the history name's first word, or the real
    history's name), the lower tail (outcomes below the band's lower edge, nominal 10%; below the product's
    normal 5% point, point - 1.645 x sigma with sigma = (point - lower) / 1.2816 as ``cashflow.project``
    takes it for "the chance of going below", nominal 5%; the mean pinball loss of the lower edge at 0.10,
    scaled by the money moving), and every history whose coverage is below what 80% gives with p < 0.01
    (binomial, one-sided)."""
    from scipy.stats import binom

    sub = [r for r in recs if a <= r["months"] <= b]
    per: dict[str, list[int]] = {}
    shape: dict[str, list[int]] = {}
    below = below5 = below5_now = below25_now = 0
    pin = []
    for r in sub:
        lo, hi = offsets(r, rule)
        low, up = r["point"] + int(lo), r["point"] + int(hi)
        inside = int(low <= r["actual"] <= up)
        per.setdefault(r["history"], []).append(inside)
        key = r["history"].split(" +")[0] if " +" in r["history"] else r["history"].split()[0]
        shape.setdefault(key, []).append(inside)
        below += r["actual"] < low
        sigma = (r["point"] - low) / Z80
        below5 += r["actual"] < r["point"] - Z95 * sigma
        # the chance as cashflow.project computes it now (cftail): the outcome below its 5% / 2.5% points
        chance = C.chance_below(r["actual"], r["point"], low)
        below5_now += chance < 0.05
        below25_now += chance < 0.025
        y = r["actual"] - low
        pin.append((0.1 * y if y >= 0 else -0.9 * y) / max(r["scale"], 1.0))
    flagged = {h: f"{sum(v)}/{len(v)}" for h, v in per.items() if binom.cdf(sum(v), len(v), 0.8) < 0.01}
    return {"n": len(sub), "inside": sum(sum(v) for v in per.values()),
            "shapes": {k: f"{sum(v)}/{len(v)} = {sum(v) / len(v):.0%}" for k, v in shape.items()},
            "below": below, "below5": below5, "below5_now": below5_now, "below25_now": below25_now, "pinball": float(np.mean(pin)) if pin else 0.0, "flagged": flagged}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("which", help="'real', 'real-late [A-B]' (windows from 8 x A..B months on) or 'A-B' (generated seeds A..B)")
    c.add_argument("out")
    r = sub.add_parser("replay")
    r.add_argument("paths", nargs="+")
    r.add_argument("--rules", default="shipped;young 12;product")
    r.add_argument("--detail", action="store_true", help="per shape, the lower tail and binomial flags at 9-15 months")
    a = ap.parse_args(argv)
    if a.cmd == "replay":
        replay(a.paths, a.rules.split(";"))
        if a.detail:
            recs = []
            for path in a.paths:
                with open(path, "rb") as fh:
                    recs += [dict(r, history=name) for name, rs in pickle.load(fh) for r in rs]
            for rule in a.rules.split(";"):
                d = detail(recs, rule)
                n = max(1, d["n"])
                print(f"{rule} 9-15: {d['inside']}/{d['n']}; below the lower edge {d['below']} = {d['below'] / n:.1%}, "
                      f"below the 5% point {d['below5']} = {d['below5'] / n:.1%} (the product's chance now: below its 5% point "
                      f"{d['below5_now']} = {d['below5_now'] / n:.1%}, its 2.5% point {d['below25_now']} = {d['below25_now'] / n:.1%}), lower-edge pinball {d['pinball']:.4f}; "
                      f"shapes {d['shapes']}; p < 0.01 histories {d['flagged']}")
        return 0
    if a.which == "real":
        todo = [(n, load) for n, kind, load in households() if kind == "real"]
    elif a.which.startswith("real-late"):  # "real-late" (w = 1..3) or "real-late A-B"
        lo, hi = (int(x) for x in (a.which.split()[1] if " " in a.which else "1-3").split("-"))
        todo = [(f"{n} +{off}m", lambda f=f: f) for n, kind, load in households() if kind == "real"
                for off, f in late_windows(load(), range(lo, hi + 1))]
    else:
        lo, hi = (int(x) for x in a.which.split("-"))
        todo = []
        for seed in range(lo, hi + 1):
            shape, kw = SHAPES[(seed - lo) % len(SHAPES)]
            todo.append((f"{shape} s{seed}", lambda seed=seed, kw=kw: synthetic(seed, 16, **kw)))
    out = []
    t0, c0 = time.time(), time.process_time()
    for name, load in todo:
        out.append((name, capture_history(load())))
        print(f"{name}: {len(out[-1][1])} origins ({time.time() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU)",
              flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    with open(a.out, "wb") as fh:
        pickle.dump(out, fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
