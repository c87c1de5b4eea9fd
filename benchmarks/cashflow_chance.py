"""Is a history's loss to a naive projection more than chance? (issue #19, session 21, cfpoint; reads a capture)

Issue #19's first target is per history: the projected end-of-next-month balance better than both naive projections
("stays": the balance where it is; "repeats": last month's net again) on *every* history, measured on 6 or 12 backtest
origins. This script reads a recording of ``benchmarks/cashflow_combine.py capture`` (the shipped product's projection
at each origin, with what ``cashflow_model.fit`` saw there) and asks how much of a win or a loss is the noise of so few
origins:

* per history: the MAE of the projection and of both naive projections, the paired sign-flip p of the projection's
  errors against the better naive projection's (``cashflow_eval.sign_flip_p``), a bootstrap 90% interval of the mean
  difference, the share of bootstrap resamples of its origins in which it would *not* beat both (``lose``), and at how
  many origins the point *equals* a naive projection (to 1 minor unit: the median rule's median of the model, 0 and
  last month's net is one of the two naive projections whenever one of them lies between the others; there it can
  only tie);
* over the histories: how many lost, and how many the resampling expects to lose (the sum of ``lose``); with
  ``--shapes``, by generated shape (the name's second word of ``fresh <shape> s<seed>``) the pooled paired difference
  (each error minus the better naive projection's, scaled by that projection's MAE) and its sign-flip p;
* ``--components NAME``: one history's origins, the month's net split as the projection sees it: the known items
  projected at the origin (``kn1``), the "other" level, the month's actual "other" (its net minus those known items)
  and last month's net, with each base's error (P: the projection, M: the model, D: the median, S, R).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_combine.py capture 13 /tmp/x/cap13.pkl --origins 12
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_chance.py /tmp/x/cap13.pkl --origins 12 [--shapes]
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_chance.py /tmp/x/cap13.pkl --components "Vermillion CA"
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from cashflow_eval import sign_flip_p  # noqa: E402

BOOT = 4000


def errors(recs: list[dict]) -> dict[str, np.ndarray]:
    """The projection's and the naive projections' absolute errors at each recorded origin, and the exact ties."""
    point = np.array([r["point"] for r in recs], float)
    start = np.array([r["start"] for r in recs], float)
    actual = np.array([r["actual"] for r in recs], float)
    repeats = 2 * start - np.array([r["prev"] for r in recs], float)
    return {"P": np.abs(point - actual), "S": np.abs(start - actual), "R": np.abs(repeats - actual),
            "tie": (np.abs(point - start) <= 1) | (np.abs(point - repeats) <= 1)}


def chance(e: dict[str, np.ndarray], rng: np.random.Generator) -> dict:
    """One history's figures (see the module docstring)."""
    p, s, r = e["P"], e["S"], e["R"]
    naive = s if s.mean() <= r.mean() else r
    d = p - naive
    idx = rng.integers(0, len(p), size=(BOOT, len(p)))
    lose = ~((p[idx].mean(1) < s[idx].mean(1)) & (p[idx].mean(1) < r[idx].mean(1)))
    boot = d[idx].mean(1)
    return {"n": len(p), "mae": p.mean(), "stays": s.mean(), "repeats": r.mean(), "won": p.mean() < min(s.mean(), r.mean()),
            "ratio": p.mean() / max(1e-9, naive.mean()), "p": sign_flip_p(d), "ci": (np.percentile(boot, 5), np.percentile(boot, 95)),
            "lose": float(lose.mean()), "ties": int(e["tie"].sum()), "scaled": d / max(1.0, naive.mean())}


def report(data: dict[str, list[dict]], origins: int, shapes: bool = False, seed: int = 0) -> dict[str, dict]:
    rng = np.random.default_rng(seed)
    out = {h: chance(errors(recs[-origins:]), rng) for h, recs in data.items() if recs[-origins:]}
    print(f"{'history':26} {'n':>2} {'MAE':>9} {'stays':>9} {'repeats':>9} won  ratio  p(sign-flip) "
          f"{'90% CI of P - naive':>22}  lose  ties")
    for h, c in out.items():
        print(f"{h:26} {c['n']:>2} {c['mae'] / 100:>9,.0f} {c['stays'] / 100:>9,.0f} {c['repeats'] / 100:>9,.0f} "
              f"{'yes' if c['won'] else 'no ':3} {c['ratio']:6.3f} {c['p']:8.2f}     "
              f"[{c['ci'][0] / 100:>+9,.0f}, {c['ci'][1] / 100:>+9,.0f}] {c['lose']:5.2f} {c['ties']:>2}/{c['n']}")
    lost = [h for h, c in out.items() if not c["won"]]
    print(f"lost {len(lost)}/{len(out)}; expected under resampled origins {sum(c['lose'] for c in out.values()):.1f}; "
          f"losses with p < 0.05: {sum(out[h]['p'] < 0.05 for h in lost)}; exact ties with a naive projection at "
          f"{sum(c['ties'] for c in out.values())}/{sum(c['n'] for c in out.values())} origins")
    if shapes:
        groups: dict[str, list[str]] = {}
        for h in out:
            groups.setdefault(h.split()[1] if h.startswith("fresh") else "(named)", []).append(h)
        for g, hs in groups.items():
            d = np.concatenate([out[h]["scaled"] for h in hs])
            print(f"  {g:9} won {sum(out[h]['won'] for h in hs)}/{len(hs)}; scaled P - better naive {d.mean():+.3f} "
                  f"(p={sign_flip_p(d):.3f}); ties {sum(out[h]['ties'] for h in hs)}/{sum(out[h]['n'] for h in hs)}; "
                  f"losers' p {[round(out[h]['p'], 2) for h in hs if not out[h]['won']]}")
    return out


def components(recs: list[dict]) -> None:
    for rec in recs:
        fin, net = rec["final"], rec["actual"] - rec["start"]
        lv, kn, last = fin["level"] or 0.0, fin["kn1"], fin["last"]
        m = kn + lv
        base = {"P": rec["point"] - rec["start"], "M": m, "D": float(np.median([m, 0.0, last])), "S": 0.0, "R": last}
        print(f"{rec['origin']} {rec['rule']:6} net {net / 100:>9,.0f} known {kn / 100:>8,.0f} level {lv / 100:>8,.0f} "
              f"other {(net - kn) / 100:>9,.0f} last {last / 100:>9,.0f} | errors "
              + " ".join(f"{b} {abs(v - net) / 100:>7,.0f}" for b, v in base.items()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="a capture of benchmarks/cashflow_combine.py")
    ap.add_argument("--origins", type=int, default=12)
    ap.add_argument("--shapes", action="store_true", help="by generated shape")
    ap.add_argument("--components", help="one history's origins, component by component")
    args = ap.parse_args(argv)
    data = pickle.load(open(args.path, "rb"))  # noqa: S301, SIM115 - our own recording
    if args.components:
        components(data[args.components][-args.origins:])
        return 0
    report(data, args.origins, args.shapes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
