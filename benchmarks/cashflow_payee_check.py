"""Detected items paid only some months, and a level that follows a shift (issue #19, session 19, cfpayee).

Two candidates, each against the shipped product and each decided on its own:

* **(b) ``cashflow.PROJECT_PAID_SHARE``**: a series the one detector finds (``analysis/recurring.py``) is
  projected at its amount x its *paid share* (``recurring.paid_share``: of a quarterly-or-more-often series,
  the share of its expected payments over the last year that came; 1 when at most one is missing). An income
  paid in 4 of the last 12 months is projected at a third of its amount each month, the GoTV bill that
  M-Pesa KE pays under two names in alternate months at about half under each. Whether a series recurs, and
  its amount, do not change: the Reports list and the spending forecast are the same (``paid_share`` is a new
  field they ignore).
* **(c) ``cashflow_model.SHIFT_LEVEL``** (session 18's weak candidate): the "other" level is replaced by the
  median of its last 4 months when all 4 lie on one side of the shipped level and that median is more than
  1 robust standard deviation (1.4826 x the median absolute deviation of the last 12 around the level) away.

(a) a yearly item beside a monthly series of the same payee is **not** registered: no history among the 13
or the used seeds has one the detector could see (JerBouma NL's tax assessment, 24,102 in 2023-05, was paid
once beside 29 monthly instalments of ~20, with no earlier assessment of that size; fabio PT's salary has a
May and a November extra twice, in a series whose amounts vary too much to be a recurring one; the 13
histories' other off-size payments beside a monthly series do not recur a year apart).

Per history (``benchmarks/cashflow_eval.py``'s ``evaluate``: the end-of-next-month balance at the last 12
origins, the last 6 of them for the 6-origin figures): MAE, the two naive projections, better than both,
80% band coverage, for the shipped product, (b) and (c).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_payee_check.py 13 --save /tmp/x/13.json
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_payee_check.py 1341-1400 --save /tmp/x/F.json
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_payee_check.py real --save /tmp/x/R.json
    PYTHONPATH=$PWD .venv/bin/python benchmarks/cashflow_payee_check.py x --load /tmp/x/F.json --decide --real /tmp/x/R.json

**Pre-registered decision test** (written and committed before anything ran on seeds 1341-1400; tuned only
on the 13 histories and used seeds below 1341). Sets: **F = generated seeds 1341-1400** (the seven shapes of
``cashflow_combine.seeded`` in turn, 60 histories) and **R = the five real histories** (seen: a guard, not
evidence). Scored at the last 12 origins and their last 6. **Each candidate is on by default only if all hold
for it** (the conditions of session 18's ``cashflow_stop_check.py``, unchanged):

1. F, 12 and 6 origins: histories better than both naive projections with the candidate >= shipped.
2. F, 12 origins: no history's MAE more than 2% above its shipped MAE, and the mean over F of MAE / the
   better naive MAE <= shipped.
3. F, 12 and 6 origins: pooled 80% band coverage within 72-88%.
4. R, 12 and 6 origins: better than both not fewer than shipped, no history's MAE more than 5% above
   shipped, pooled coverage within 72-88%.
5. A measured gain: F's mean MAE / better naive at 12 origins strictly below shipped.
6. Speed: ``benchmarks/cashflow_speed.py`` cold page <= 1.5 s, cached <= 0.3 s (by hand, reported).

If both pass, both go on only if (b) and (c) together also meet 1-5 on F (run after, with ``--both``);
otherwise the one with the lower F mean ratio at 12 origins. A candidate that fails stays off (its flag, the
figures documented).

Seen before this registration (tuning data, 2026-12-06 08:35-08:50 UTC, load average 12-16):
(b) the 13 at 12 / 6 origins: M-Pesa KE 16,231 -> 15,956 / 13,264 -> 13,028, fabio PT 736 -> 747 (+1.5%) /
1,042 -> 1,065 (+2.2%), kaggle US 1,547 -> 1,548 at 6, the other ten unchanged; better than both 11 -> 11 and
9 -> 9; coverage 115/139 and 61/74 unchanged. So R passes condition 4 for (b) (within 5%). The generators
(``forecast_households.synthetic``, the demo) have no series paid only some months, so F is expected to be
unchanged by (b) and **condition 5 is expected to fail for (b)**: said here, before the run.
(c) the 13 at 12 / 6 origins: only the generated level shift moves, 529 -> 560 / 705 -> 768 (worse);
session 18 saw used seeds 1161-1202 31 -> 33 of 42 better than both, mean ratio 0.880 -> 0.870.
Diagnosis behind both (scratch, the 13 at 12 origins): with the *actual* payments of the detected series in
the target month in place of their projection (the "other" level kept), the MAE is **not** lower on the real
histories: kaggle 1,399 -> 1,456, JerBouma NL 2,420 -> 2,509, fabio PT 736 -> 727, M-Pesa KE 16,231 -> 16,428
(6 origins: 1,547 -> 1,620, 3,681 -> 3,859, 1,042 -> 1,024, 13,264 -> 13,664): the "other" level already
absorbs the detected items' average error, so a better projection of them can gain little on these histories.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cashflow_eval import evaluate  # noqa: E402
from cashflow_stop_check import _cut, _wins, check_parser, histories, loaded, summarise  # noqa: E402
from cashflow_stop_check import decide as stop_decide  # noqa: E402

from budgetwise.services import cashflow as C  # noqa: E402
from budgetwise.services import cashflow_model as M  # noqa: E402

CANDIDATES = {"b": (("PROJECT_PAID_SHARE", C),), "c": (("SHIFT_LEVEL", M),),
              "b+c": (("PROJECT_PAID_SHARE", C), ("SHIFT_LEVEL", M))}


def run(name: str, frame, setting: str | None, origins: int = 12) -> dict | None:
    """``evaluate`` with the candidate's flags on (``None``: shipped); the flags are always put back."""
    flags = CANDIDATES[setting] if setting else ()
    try:
        for flag, module in flags:
            setattr(module, flag, True)
        return evaluate(name, frame, origins)
    finally:
        for flag, module in flags:
            setattr(module, flag, False)


def decide(rows: list[tuple[str, dict]], real: list[tuple[str, dict]] | None, cand: str) -> bool:
    """Conditions 1-5 for candidate ``cand`` (rows: {"off": shipped, cand: candidate} per history): session 18's
    ``cashflow_stop_check.decide`` on the shipped and candidate results."""
    print(f"candidate ({cand}):")
    pick = [(n, {"off": r["off"], "on": r[cand]}) for n, r in rows]
    rpick = None if real is None else [(n, {"off": r["off"], "on": r[cand]}) for n, r in real]
    return stop_decide(pick, rpick)


def main(argv=None) -> int:
    ap = check_parser(__doc__)
    ap.add_argument("--both", action="store_true", help="also run (b) and (c) together")
    args = ap.parse_args(argv)
    settings = ["b", "c", *(["b+c"] if args.both else [])]
    rows: list[tuple[str, dict]] = []
    if args.load:
        rows = loaded(args.load)
    else:
        print(f"{'history':28} {'n':>2} {'shipped':>9} " + " ".join(f"{s:>9}" for s in settings)
              + f" {'stays':>9} {'repeats':>9} better than both, in band (shipped/{'/'.join(settings)}) secs",
              flush=True)
        for name, _, fn in histories(args.set):
            t0 = time.perf_counter()
            frame = fn()
            off = run(name, frame, None)
            if off is None:
                continue
            r = {"off": off, **{s: run(name, frame, s) for s in settings}}
            rows.append((name, r))
            cuts = [_cut(r[k], 12) for k in ("off", *settings)]
            print(f"{name:28} {cuts[0]['n']:>2} " + " ".join(f"{c['mae']:>9,.0f}" for c in cuts)
                  + f" {cuts[0]['stay']:>9,.0f} {cuts[0]['repeat']:>9,.0f} "
                  + "/".join("yes" if _wins(c) else "no" for c in cuts) + " "
                  + "/".join(str(c["covered"]) for c in cuts) + f" {time.perf_counter() - t0:5.1f}", flush=True)
        if args.save:
            Path(args.save).write_text(json.dumps(rows, default=str))
    present = [s for s in CANDIDATES if rows and s in rows[0][1]]
    for cand in present:
        for last in (12, 6):
            s = summarise([(n, {"off": r["off"], "on": r[cand]}) for n, r in rows], last, 0.02)
            print(f"({cand}) {last} origins: better than both {s['wins_off']} -> {s['wins_on']} of {s['histories']}; "
                  f"mean MAE / better naive {s['ratio_off']:.4f} -> {s['ratio_on']:.4f}; coverage {s['cov_off']:.1%} "
                  f"-> {s['cov_on']:.1%}; changed {s['changed']}; worse by > 2%: {s['worse'] or 'none'}")
    if args.decide:
        real = loaded(args.real) if args.real else None
        for cand in present:
            decide(rows, real, cand)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
