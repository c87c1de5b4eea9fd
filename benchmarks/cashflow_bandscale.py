"""The cash-flow band scaled per history by its recent backtest errors (issue #19; session 16, cfjob).

Replays recordings of ``cashflow_combine.py capture`` (the shipped point forecast at every origin; only the
band changes) with the shipped band and with ``recent scale``: the shipped conformal band times
``cashflow_model._recent_scale`` (the mean absolute scaled one-month error of the history's last 6 backtest
origins shrunk half-way towards that of all its calibration origins, divided by the latter; the product's
``_band(recent_scale=True)``). ``recent M K``: the same with the last M errors and K pseudo-errors (exploration
on used blocks only). Printed per set: 80% coverage, histories whose own coverage is outside 72-88%, the
coverage by shape (the generated name's second word) and its mean absolute distance from 80%, and the mean
interval score (width + 10 x the miss beyond the band, the proper score of an 80% interval) of each origin
divided by its history's better naive MAE.

Session 20: every band here is the conformal band (``rule="conformal"``), the product's before "scale".

Session 17 (cfband): ``recent 6 0`` is the same factor without the shrinkage (the last 6 one-month errors alone,
``cashflow_model.BAND_PRIOR = 0``), pre-registered on seeds 1161-1240 against ``recent 6 6`` (the session-16 band
as shipped, whatever ``BAND_PRIOR`` says): docs/history/accounts.md, "Session 17 ... (cfband)".

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_bandscale.py cap.pkl --seeds 1161-1200 --origins 6 --bands "recent 6 6;recent 6 0"

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_bandscale.py /tmp/x/cap.pkl --origins 12 [--bands "recent 6 6"]
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_bandscale.py A.pkl B.pkl --pool --origins 12
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_bandscale.py cap13.pkl --only "$REAL5"  # the real five
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from cashflow_combine import RULES, SHIPPED, forecast  # noqa: E402

from budgetwise.services import cashflow_model as M  # noqa: E402

ALPHA = 0.2
REGISTERED = "recent scale"


def band_rule(name: str):
    if name == "shipped":
        return lambda *a: M._band(*a, recent_scale=False, rule="conformal")
    if name == REGISTERED:
        return lambda *a: M._band(*a, recent_scale=True, rule="conformal")
    _r, m, k = name.split()
    m, k = int(m), int(k)

    def band(scores, score_steps, steps, scale, nets, conformal_offsets):
        out, how = M._band(scores, score_steps, steps, scale, nets, conformal_offsets, recent_scale=False,
                             rule="conformal")
        ones = np.abs(np.asarray(scores)[np.asarray(score_steps) == 1])
        if how != "conformal" or len(ones) < 2 * m or float(np.mean(ones)) <= 0:
            return out, how
        a, r = float(np.mean(ones)), float(np.mean(ones[-m:]))
        f = (m * r + k * a) / (m + k) / a
        return tuple((int(lo * f), int(hi * f)) for lo, hi in out), how
    return band


def score(recs: list[dict], name: str) -> dict:
    rl = dict(RULES[SHIPPED], band=band_rule(name))
    stay = np.mean([abs(r["start"] - r["actual"]) for r in recs])
    rep = np.mean([abs(2 * r["start"] - r["prev"] - r["actual"]) for r in recs])
    naive = max(1.0, float(min(stay, rep)))
    inside, iscore = 0, []
    for rec in recs:
        _p, lo, hi = forecast(rec, rl)
        a = rec["actual"]
        inside += lo <= a <= hi
        iscore.append(((hi - lo) + 2 / ALPHA * (max(0, lo - a) + max(0, a - hi))) / naive)
    return {"covered": inside, "origins": len(recs), "iscore": iscore}


def load(paths: list[str]) -> dict:
    data: dict = {}
    for p in paths:
        data.update(pickle.load(open(p, "rb")))  # noqa: S301, SIM115 - our own recording
    return data


def report(data: dict, origins: int, bands: list[str]) -> dict:
    out = {}
    for b in ["shipped", *bands]:
        per = {h: score(data[h][-origins:], b) for h in data}
        cov = sum(r["covered"] for r in per.values()) / sum(r["origins"] for r in per.values())
        outside = sum(not 0.72 <= r["covered"] / r["origins"] <= 0.88 for r in per.values())
        groups: dict[str, list[dict]] = {}
        for h, r in per.items():
            groups.setdefault(h.split()[1] if h.startswith("fresh") else h, []).append(r)
        shape = {g: (sum(r["covered"] for r in rs), sum(r["origins"] for r in rs)) for g, rs in groups.items()}
        dev = float(np.mean([abs(c / n - 0.8) for c, n in shape.values()]))
        isc = float(np.mean([x for r in per.values() for x in r["iscore"]]))
        print(f"{b:14} coverage {cov:.1%}; outside 72-88%: {outside}/{len(per)}; interval score {isc:.3f}; "
              f"shape |cov-80%| {dev:.3f}: " + ", ".join(f"{g} {c}/{n}" for g, (c, n) in shape.items()))
        out[b] = {"coverage": cov, "outside": outside, "iscore": isc, "shape": shape, "dev": dev}
    return out


def in_seeds(data: dict, seeds: str) -> dict:
    """The histories of a capture whose generated name's seed (" s1161") lies in ``seeds`` ("A-B")."""
    a, b = map(int, seeds.split("-"))
    return {h: v for h, v in data.items() if (m := re.search(r" s(\d+)", h)) and a <= int(m.group(1)) <= b}


def misses(data: dict, origins: int) -> dict[str, tuple[int, int, int, float]]:
    """By shape: origins, actual balances below and above the recorded (shipped) band, band width / MAE."""
    out: dict[str, tuple[int, int, int, float]] = {}
    groups: dict[str, list[dict]] = {}
    for h, recs in data.items():
        groups.setdefault(h.split()[1] if h.startswith("fresh") else h, []).extend(recs[-origins:])
    for g, recs in groups.items():
        below = sum(r["actual"] < r["lower"] for r in recs)
        above = sum(r["actual"] > r["upper"] for r in recs)
        mae = float(np.mean([abs(r["actual"] - r["point"]) for r in recs]))
        width = float(np.mean([r["upper"] - r["lower"] for r in recs]))
        out[g] = (len(recs), below, above, width / max(1.0, mae))
        print(f"  {g:24} {len(recs):>4} origins: {below} below, {above} above the band; width / MAE {out[g][3]:.2f}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--origins", type=int, default=12)
    ap.add_argument("--bands", default=REGISTERED, help="band names separated by semicolons")
    ap.add_argument("--pool", action="store_true", help="the recordings together as one set")
    ap.add_argument("--only", help="history names separated by semicolons (e.g. the real five of the 13)")
    ap.add_argument("--seeds", help="A-B: only the generated histories with seeds A..B (one capture split in blocks)")
    ap.add_argument("--misses", action="store_true", help="also the shipped projection's misses below / above its band "
                    "and its band width / MAE, by shape (session 17's diagnosis)")
    args = ap.parse_args(argv)
    bands = [x.strip() for x in args.bands.split(";")]
    for ps in [args.paths] if args.pool else [[p] for p in args.paths]:
        print(f"== {' + '.join(ps)}, last {args.origins} origins")
        data = load(ps)
        if args.only:
            data = {h: data[h] for h in args.only.split(";")}
        if args.seeds:
            data = in_seeds(data, args.seeds)
        if args.misses:
            misses(data, args.origins)
        report(data, args.origins, bands)
    return 0


if __name__ == "__main__":
    sys.exit(main())
