"""The cash-flow band 1, 2 and 3 months ahead on young histories (issue #19; session 23, cf23).

``capture``: for each seed, a ``forecast_households.synthetic`` history of 16 months in one of the four young shapes
of ``cashflow_young.py`` (season 20% / flat / noisy / two outliers, in turn), with an origin after each of 3..13
complete months; ``cashflow.project_history`` (the product) runs there and the point, band and balance at the 3 month
ends after the origin are recorded with what ``cashflow_model._band`` saw. ``capture long``: the same at the last 12
origins of ``cashflow_combine.seeded``'s seven shapes (14-36 months). ``replay``: the band by each rule on the
recordings (the points are the recording's: only the band changes); "shipped" must reproduce the recorded band.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_horizon_check.py capture young 600001-600040 /tmp/x/y.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_horizon_check.py capture long 600001-600028 /tmp/x/l.pkl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_horizon_check.py replay /tmp/x/y.pkl [--rules "shipped;..."]
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
from cashflow_eval import NetHistory, _month_end  # noqa: E402
from cashflow_young import SHAPES  # noqa: E402
from forecast_households import synthetic  # noqa: E402

from budgetwise.services import cashflow as C  # noqa: E402
from budgetwise.services import cashflow_model as M  # noqa: E402
from budgetwise.services import forecast as F  # noqa: E402
from budgetwise.services.forecast.ensemble import conformal_offsets  # noqa: E402

AGES = range(3, 14)
STEPS = (1, 2, 3)


def _targets(net: NetHistory, origin: dt.date) -> list[dt.date]:
    out, t = [], origin
    for _ in STEPS:
        t = _month_end(t + dt.timedelta(days=1))
        if t > _month_end(net.last):
            break
        out.append(t)
    return out


def capture_origin(net: NetHistory, origin: dt.date, seen: dict) -> dict | None:
    seen.clear()
    hist = F.history_from_frame(net.canon[net.dates <= origin], currency="USD", as_of=origin)
    p = C.project_history(hist, start_balance_minor=net.balance(origin), as_of=origin, horizon_months=4)
    if "nets" not in seen:
        return None
    by_day = {d.date: d for d in p.days}
    out = []
    for k, t in enumerate(_targets(net, origin), start=1):
        d = by_day[t]
        out.append({"k": k, "date": t, "point": d.balance_minor, "lower": d.lower_minor, "upper": d.upper_minor,
                    "actual": net.balance(t), "months": (t - origin).days / 30.436875})
    return {"origin": origin, "complete": len(seen["nets"]), "targets": out, **seen}


def _recording():
    seen: dict = {}
    orig = M._band

    def band(scores, score_steps, steps, scale, nets, co, recent_scale=None, rule=None, floor_scale=None):
        seen.update(scores=np.array(scores), steps=np.array(score_steps), nsteps=steps, scale=scale,
                    nets=nets.copy(), floor_scale=floor_scale)
        return orig(scores, score_steps, steps, scale, nets, co, recent_scale, rule, floor_scale)

    return seen, orig, band


def capture(kind: str, seeds: range) -> list[dict]:
    from cashflow_combine import seeded

    seen, orig, band = _recording()
    M._band = band  # type: ignore[assignment]
    recs: list[dict] = []
    try:
        if kind == "young":
            for i, s in enumerate(seeds):
                shape, kw = SHAPES[i % len(SHAPES)]
                net = NetHistory(synthetic(s, 16, **kw))
                first = net.first
                for age in AGES:
                    origin = _month_end((pd.Timestamp(first) + pd.DateOffset(months=age - 1)).date())
                    r = capture_origin(net, origin, seen)
                    if r is not None:
                        recs.append(dict(r, history=f"{shape} s{s}", shape=shape, age=age))
        else:
            for name, make in seeded(seeds.start, seeds.stop - 1):
                net = NetHistory(make())
                shape = name.split()[1]
                for origin in net.origins(12):
                    r = capture_origin(net, origin, seen)
                    if r is not None:
                        recs.append(dict(r, history=name, shape=shape, age=r["complete"]))
    finally:
        M._band = orig  # type: ignore[assignment]
    return recs


def rule_band(r: dict, rule: str) -> tuple[tuple[int, int], ...]:
    """The band's month-end offsets by ``rule``: "shipped" the product's ``_band`` now (must reproduce the
    recording); other rules as :func:`_variant`."""
    args = (r["scores"], r["steps"], r["nsteps"], r["scale"], r["nets"], conformal_offsets)
    if rule == "shipped":
        return M._band(*args, floor_scale=r["floor_scale"])[0]
    return _variant(rule, r)


def _variant(rule: str, r: dict) -> tuple[tuple[int, int], ...]:
    raise SystemExit(f"unknown rule {rule!r}")


def scored(recs: list[dict], rule: str) -> list[dict]:
    """One row per (origin, k): inside, the band's width and the miss beyond it (÷ the band's scale)."""
    out = []
    for r in recs:
        band = rule_band(r, rule)
        for t in r["targets"]:
            lo, hi = C._band_at(band, t["months"])
            low, up = min(t["point"], t["point"] + lo), max(t["point"], t["point"] + hi)
            miss = max(0, low - t["actual"], t["actual"] - up)
            out.append({"history": r["history"], "shape": r["shape"], "age": r["age"], "k": t["k"],
                        "inside": low <= t["actual"] <= up, "low": low, "up": up,
                        "score": ((up - low) + 10 * miss) / max(r["scale"], 1.0),
                        "err": abs(t["actual"] - t["point"]) / max(r["scale"], 1.0),
                        "half": (up - low) / 2 / max(r["scale"], 1.0),
                        "same": (low, up) == (t["lower"], t["upper"])})
    return out


def _cell(rows: list[dict]) -> str:
    n = len(rows)
    if not n:
        return "-"
    ins = sum(r["inside"] for r in rows)
    return f"{ins}/{n} {ins / n:5.1%} is {np.mean([r['score'] for r in rows]):.3f}"


def replay(paths: list[str], rules: list[str]) -> None:
    recs: list[dict] = []
    for p in paths:
        with open(p, "rb") as fh:
            recs += pickle.load(fh)
    ship = scored(recs, "shipped")
    print(f"{len(recs)} origins, {len(ship)} month ends; shipped replay differs at {sum(not r['same'] for r in ship)}")
    for rule in rules:
        rows = ship if rule == "shipped" else scored(recs, rule)
        print(f"== {rule}: all {_cell(rows)}")
        for k in STEPS:
            print(f"   month {k}: {_cell([r for r in rows if r['k'] == k])}")
        for a, b in ((3, 8), (9, 13), (14, 99)):
            sub = [r for r in rows if a <= r["age"] <= b]
            if sub:
                print(f"   ages {a}-{b}: " + " | ".join(f"k{k} {_cell([r for r in sub if r['k'] == k])}" for k in STEPS))
        for s in sorted({r["shape"] for r in rows}):
            sub = [r for r in rows if r["shape"] == s]
            print(f"   {s:9s}: " + " | ".join(f"k{k} {_cell([r for r in sub if r['k'] == k])}" for k in STEPS))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("kind", choices=["young", "long"])
    c.add_argument("seeds")
    c.add_argument("out")
    r = sub.add_parser("replay")
    r.add_argument("paths", nargs="+")
    r.add_argument("--rules", default="shipped")
    a = ap.parse_args(argv)
    t0, c0 = time.time(), time.process_time()
    if a.cmd == "capture":
        lo, hi = map(int, a.seeds.split("-"))
        recs = capture(a.kind, range(lo, hi + 1))
        with open(a.out, "wb") as fh:
            pickle.dump(recs, fh)
        print(f"{len(recs)} origins captured")
    else:
        replay(a.paths, [x.strip() for x in a.rules.split(";") if x.strip()])
    print(f"{time.time() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
