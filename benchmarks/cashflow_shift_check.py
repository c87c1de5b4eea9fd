"""The band after a level shift (issue #19, session 22, shift22): ``cashflow_model.BAND_SCALE`` "net" against "gross".

Session 21 (cfpoint) found one systematic loss of the cash-flow backtest: the generated level-shift shape (rent
x1.25 and spending x1.5 from 60% of 30 months), whose band covers 62-71% instead of 80%. Diagnosis (this session,
tuning seeds 300001+): the band's errors are divided, at each origin, by "the money moving" taken as the mean
absolute monthly **net** of the year (``cashflow_model._scale``), and multiplied back by today's. After the shift
income and spending come close (the net falls from about +1,100 to about +300 a month), so that scale falls by
more than half exactly when the errors grow (spending x1.5 varies 1.5 times as much, and the point lags): the band
is narrowest where it should be widest. The candidate, **"gross"**: the same band with the errors divided by the
mean monthly income + expenses of the year (``cashflow_model.monthly_gross``, ``_band_scale``), the money that
actually moves, which rises with spending. The point forecast, the choice of rule and the young band are
untouched (the choice keeps its own scale). No constant is fitted: the 12 months are the shipped ``SCALE_MONTHS``.

Tried on tuning seeds only, not registered (figures in docs/history/accounts.md, session 22): the "other" level
restarted after a change found by Pettitt's rank test (permutation p < 0.05, 3-12 months back;
``cashflow_model.LEVEL_CHANGE``, off): shift shape's mean MAE / better naive -3.3% on 30 tuning seeds but the
16-month shape's seasonal months read as a change (s300005 172 -> 462), JerBouma NL 2,420 -> 2,563; the band
scaled by the mean or the median absolute month-to-month change of the net: shift coverage 65% -> 79-81% but
the outliers shape's interval score +74-84% (a one-off month is two large changes).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_shift_check.py 2001-2030 --candidates scale --save F.json
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_shift_check.py "shift 2001-2030" --candidates scale --save S.json
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_shift_check.py 13 --candidates scale --save R.json
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_shift_check.py x --load F.json --decide --shift S.json --real R.json

Per history (``cashflow_eval.evaluate``: the end-of-next-month balance at the last 12 origins, and their last 6):
MAE, the naive projections, 80% band coverage, and the **scaled interval score** (the band's width + 10 x how far
outside it the actual fell, the proper score of an 80% interval, per origin, divided by the history's better naive
MAE; mean over the history's origins, then over histories).

**Pre-registered decision test** (written and committed before anything ran on seeds 2001-2030; tuned only on
seeds 300001+ and the 13). Sets: **S = the level-shift shape on seeds 2001-2030** (30 histories); **F = seeds
2001-2030, the seven shapes in turn** (``cashflow_combine.seeded``; its four shift histories, seeds 2003, 2010,
2017, 2024, are also in S and are left out of conditions 2-3); **R = the 13 histories** (seen: a guard).
``BAND_SCALE = "gross"`` ships on by default only if all hold:

1. S, 12 and 6 origins: pooled coverage strictly nearer 80% than shipped, and the mean scaled interval score
   <= 1.10 x shipped (a band that reaches 80% around a lagging point is wider: up to 10% is accepted).
2. F's six other shapes pooled, 12 and 6 origins: pooled coverage within 72-88% or no further from 80% than
   shipped, and the mean scaled interval score <= 1.02 x shipped.
3. Each of F's six other shapes, 12 origins: the mean scaled interval score <= 1.10 x shipped (4-5 histories a
   shape). A shape's own coverage is reported, not a condition: on 48-60 origins its binomial sd is 5-6 points and
   one origin moves it by 2 (the first draft of this test had it, and the tuning season shape failed it by that one
   origin, 87.5% -> 89.6%, with a lower interval score; it was dropped before any fresh run).
4. R, 12 and 6 origins: coverage within 72-88% or no further from 80% than shipped, and the mean scaled interval
   score <= 1.05 x shipped.
5. The point forecast unchanged: every history's errors identical (by construction; checked).
6. Speed: ``benchmarks/cashflow_speed.py`` cold page <= 1.5 s, cached <= 0.3 s (by hand, reported).

Otherwise ``BAND_SCALE`` stays "net" (the option, documented with its figures).

Seen before this registration (tuning data, 2026-12-06 17:13-17:20 UTC, load average 12-18; "net" -> "gross"):
S' = shift shape seeds 300101-300124: coverage 64.6% -> 76.0% (12 origins) and 63.2% -> 82.6% (6), interval score
5.177 -> 5.033 and 5.171 -> 4.888; F' = seeds 300001-300028 without its shift histories: coverage 83.2% -> 85.7%
and 84.0% -> 85.5%, interval score 5.630 -> 5.581 and 5.696 -> 5.592; by shape at 12 origins (interval score):
trend +3.0% (coverage 70.8% -> 81.2%), season -2.2%, outliers -7.0%, short +4.1%, noisy -1.2%, demo -0.9%; R:
coverage 76.3% -> 80.6% and 75.7% -> 75.7%, interval score 5.301 -> 4.891 and 5.457 -> 5.167. So 1-5 hold on the
tuning data (the coverage of the 13 at 6 origins does not move).

Result (2026-12-06 17:31 UTC, registration 5777582): 1-5 hold (S coverage 65.6% -> 77.5% and 64.4% -> 83.3%, interval
score +0.1% and +2.1%; F's other shapes -2.3% and -3.2%; R -7.7% and -5.3%), speed holds: shipped on,
``BAND_SCALE = "gross"`` (docs/history/accounts.md, session 22). ``run(None)`` keeps the registered comparison, "net".
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cashflow_combine import SHAPES  # noqa: E402
from cashflow_eval import evaluate  # noqa: E402
from cashflow_stop_check import _cut, _wins, check_parser, histories, loaded  # noqa: E402
from forecast_households import synthetic  # noqa: E402

from budgetwise.services import cashflow_model as M  # noqa: E402


def shift_histories(spec: str) -> list[tuple[str, str, object]]:
    """``shift A-B``: the level-shift shape (``cashflow_combine.SHAPES``) for every seed A..B; else
    ``cashflow_stop_check.histories`` (13, real, or A-B: the seven shapes in turn)."""
    if not spec.startswith("shift "):
        return histories(spec)
    kw = dict(SHAPES)["shift"]
    a, b = map(int, spec.split()[1].split("-"))
    return [(f"fresh shift s{s}", "generated", lambda s=s: synthetic(s, **kw)) for s in range(a, b + 1)]


CANDIDATES = {"level": {"LEVEL_CHANGE": True}, "scale": {"BAND_SCALE": "gross"},
              "both": {"LEVEL_CHANGE": True, "BAND_SCALE": "gross"}}
SHIPPED = {"LEVEL_CHANGE": False, "BAND_SCALE": "net"}  # the product before session 22 (the registered comparison)


def run(name: str, frame, setting: str | None, origins: int = 12) -> dict | None:
    """``evaluate`` with a candidate's settings (``None``: :data:`SHIPPED`, the product the test compared against);
    the module's own settings are put back after."""
    saved = {flag: getattr(M, flag) for flag in SHIPPED}
    try:
        for flag, value in {**SHIPPED, **(CANDIDATES[setting] if setting else {})}.items():
            setattr(M, flag, value)
        return evaluate(name, frame, origins)
    finally:
        for flag, value in saved.items():
            setattr(M, flag, value)


def shape(name: str) -> str:
    return name.split()[1] if name.startswith("fresh ") else "(named)"


def _ratio(c: dict) -> float:
    return c["mae"] / max(1e-9, min(c["stay"], c["repeat"]))


def interval_score(r: dict, last: int) -> float:
    """The mean 80% interval score of the last ``last`` origins (the band's width + 10 x how far outside it the
    actual fell: the proper score of an 80% interval) divided by the history's better naive MAE."""
    w, m = r["widths"][-last:], r["misses"][-last:]
    naive = min(sum(r["stays"][-last:]), sum(r["repeats"][-last:])) / len(w)
    return sum(a + 10 * b for a, b in zip(w, m)) / len(w) / max(1.0, naive)


def figures(rows: list[tuple[str, dict]], last: int, cand: str = "on") -> dict:
    """Over ``rows``: histories better than both, the mean of MAE / better naive MAE, pooled coverage, shipped and
    candidate ``cand``; the histories more than 2% (``worse2``) and 5% (``worse5``) worse."""
    off = [_cut(r["off"], last) for _, r in rows]
    on = [_cut(r[cand], last) for _, r in rows]
    n = max(1, sum(c["n"] for c in off))
    return {"histories": len(rows), "wins_off": sum(map(_wins, off)), "wins_on": sum(map(_wins, on)),
            "ratio_off": sum(map(_ratio, off)) / max(1, len(off)), "ratio_on": sum(map(_ratio, on)) / max(1, len(on)),
            "cov_off": sum(c["covered"] for c in off) / n, "cov_on": sum(c["covered"] for c in on) / n,
            "score_off": sum(interval_score(r["off"], last) for _, r in rows) / max(1, len(rows)),
            "score_on": sum(interval_score(r[cand], last) for _, r in rows) / max(1, len(rows)),
            "changed": sum(a["errors"] != b["errors"] or a["covered"] != b["covered"] for a, b in zip(off, on)),
            "worse2": [nm for (nm, _), a, b in zip(rows, off, on) if b["mae"] > a["mae"] * 1.02 + 1e-9],
            "worse5": [nm for (nm, _), a, b in zip(rows, off, on) if b["mae"] > a["mae"] * 1.05 + 1e-9]}


def line(label: str, f: dict) -> str:
    return (f"{label:18} better than both {f['wins_off']:>2} -> {f['wins_on']:>2} of {f['histories']:>2}; mean ratio "
            f"{f['ratio_off']:.4f} -> {f['ratio_on']:.4f} ({f['ratio_on'] / max(1e-9, f['ratio_off']) - 1:+.1%}); "
            f"coverage {f['cov_off']:.1%} -> {f['cov_on']:.1%}; interval score {f['score_off']:.3f} -> {f['score_on']:.3f} "
            f"({f['score_on'] / max(1e-9, f['score_off']) - 1:+.1%}); changed {f['changed']}; > 2% worse {len(f['worse2'])}")


def by_shape(rows: list[tuple[str, dict]], last: int, cand: str) -> dict[str, dict]:
    groups: dict[str, list] = {}
    for nm, r in rows:
        groups.setdefault(shape(nm), []).append((nm, r))
    return {g: figures(rs, last, cand) for g, rs in groups.items()}


def _nearer(f: dict) -> bool:
    """The candidate's pooled coverage within 72-88% or no further from 80% than shipped."""
    return 0.72 <= f["cov_on"] <= 0.88 or abs(f["cov_on"] - 0.8) <= abs(f["cov_off"] - 0.8) + 1e-12


def decide(rows: list[tuple[str, dict]], shift: list[tuple[str, dict]], real: list[tuple[str, dict]] | None,
           cand: str = "scale") -> bool:
    """The pre-registered conditions 1-5 (module docstring) for ``cand``; True: on by default."""
    ok = True

    def check(label: str, holds: bool, text: str) -> None:
        nonlocal ok
        ok &= holds
        print(f"  {label}: {'holds' if holds else 'FAILS'}: {text}")

    others = [(n, r) for n, r in rows if shape(n) != "shift"]
    print(f"candidate ({cand}):")
    for last in (12, 6):
        s = figures(shift, last, cand)
        check(f"1 S {last}", abs(s["cov_on"] - 0.8) < abs(s["cov_off"] - 0.8)
              and s["score_on"] <= 1.10 * s["score_off"], line("S (shift)", s))
        f = figures(others, last, cand)
        check(f"2 F {last}", _nearer(f) and f["score_on"] <= 1.02 * f["score_off"], line("F, six shapes", f))
    for g, f in by_shape(others, 12, cand).items():
        check(f"3 {g}", f["score_on"] <= 1.10 * f["score_off"], line(g, f))
    if real is not None:
        for last in (12, 6):
            f = figures(real, last, cand)
            check(f"4 R {last}", _nearer(f) and f["score_on"] <= 1.05 * f["score_off"], line("R (the 13)", f))
    same = all(r["off"]["errors"] == r[cand]["errors"] for _, r in [*rows, *shift, *(real or [])])
    check("5", same, "every point error identical" if same else "a point error differs")
    print("decision:", "ON by default (1-5 hold; check 6, speed)" if ok else "stays OFF")
    return ok


def main(argv=None) -> int:
    ap = check_parser(__doc__)
    ap.add_argument("--candidates", default="level,scale,both", help="comma-separated: " + ", ".join(CANDIDATES))
    ap.add_argument("--shift", help="with --decide: saved results of S, the shift shape (condition 1)")
    args = ap.parse_args(argv)
    cands = [c for c in args.candidates.split(",") if c]
    rows: list[tuple[str, dict]] = []
    if args.load:
        rows = loaded(args.load)
        cands = [c for c in CANDIDATES if rows and c in rows[0][1]]
    else:
        print(f"{'history':28} {'n':>2} {'shipped':>8} " + " ".join(f"{c:>8}" for c in cands)
              + f" {'stays':>8} {'repeats':>8} better than both / in band (shipped/{'/'.join(cands)}) secs", flush=True)
        for name, _, fn in shift_histories(args.set):
            t0 = time.perf_counter()
            frame = fn()
            off = run(name, frame, None)
            if off is None:
                continue
            r = {"off": off, **{c: run(name, frame, c) for c in cands}}
            rows.append((name, r))
            cuts = [_cut(r[k], 12) for k in ("off", *cands)]
            print(f"{name:28} {cuts[0]['n']:>2} " + " ".join(f"{c['mae']:>8,.0f}" for c in cuts)
                  + f" {cuts[0]['stay']:>8,.0f} {cuts[0]['repeat']:>8,.0f} "
                  + "/".join("yes" if _wins(c) else "no" for c in cuts) + " "
                  + "/".join(str(c["covered"]) for c in cuts) + f" {time.perf_counter() - t0:5.1f}", flush=True)
        if args.save:
            Path(args.save).write_text(json.dumps(rows, default=str))
    for cand in cands:
        for last in (12, 6):
            print(f"--- candidate {cand}, last {last} origins")
            print(line("all", figures(rows, last, cand)))
            for g, f in by_shape(rows, last, cand).items():
                print(line(g, f))
    if args.decide:
        decide(rows, loaded(args.shift) if args.shift else [], loaded(args.real) if args.real else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
