"""The measured-change floor with its run read from the history (issue #17; session 22, floor22b).

Session 22's floor22 (``benchmarks/change_floor_decide.py``) tested ``conformal.FORECAST_CHANGE_FLOOR``: a range of
no width read as the 80% range of "no change with 1 - P, a change of a measured size (``conformal.CHANGE_SIZES``, the
14 changes of the estimation households JerBouma, Vermillion, Fabio, M-Pesa) with P = h / (k + h)". It failed only
its C1 (fresh 2061-2090: 87.0% -> 89.0%, past 88%). Found after that run: k was the number of exactly-right one-step
backtest errors, and the backtest's first origin needs about 7 months, so a 9-month constant run read as k = 2 (at
h = 3: +-85% of the level where the model says +-6%).

The candidate (``conformal.CHANGE_FLOOR_RUN = "history"``, under the same on/off flag ``FORECAST_CHANGE_FLOOR``): k =
``conformal.constant_run`` of the series' complete period totals up to the origin (the periods, counting back from the
last, whose total equals the last exactly; 0 when the last is 0: the model was measured on non-zero runs) instead of
the errors, so a range of no width whose total is not constant (k = 1: e.g. a short noisy series; bills22's
``SHORT_RANGE`` is about those) gets no change floor: outside the model. Per series and per origin in the backtest (``backtest._backtest_bounds``) as in the final
range (``backtest._finish``), so the backtest's coverage and the live range agree. Nothing else changes: the rate (the
rule of succession), the sizes (the same 14; Kaggle was not used to estimate them, so C2 stays held out), the
mixture's 80% range, the level it multiplies (the series' scale: mean |total| of the last 12 periods), where it
applies (``backtest._certainty_floor``: ranges narrower than one minor unit) are floor22's.

Tuning (seeds 700001+ and floor22's 500001-500060 only; the Kaggle household not looked at with this variant),
ranges of no width, coverage without -> with (floored ranges, their width / point median):
 - 500001-500060 (498): k from the errors 84.1% -> 86.7% (87, 0.12); k the run, this candidate: 84.1% -> 84.9%
   (75, 0.12; month 1/2/3: 89.8 -> 89.8, 82.5 -> 83.1, 80.1 -> 81.9). floor22 reported k + 7: 84.1% -> 85.1%.
 - 700001-700060 (495): k from the errors 87.9% -> 89.7% (119, 0.31); this candidate 87.9% -> 88.1% (63, 0.12;
   month 1/2/3: 92.7 -> 92.7, 87.3 -> 87.3, 83.6 -> 84.2): C1 would fail there (88.1% > 88%).
 - A first try, k = the larger of the run and the errors (so a total that is not constant kept floor22's k), floored
   the noisy seeds' Groceries (+-2% a month, yet ranges of no width from few errors: bills22's case) by up to +-40% at
   month 1: 84.1% -> 86.7% and 87.9% -> 88.7%. Dropped as outside the model (it is about constant totals), not tuned.
 - The 12 households other than Kaggle: no range with width changed (C3); gen level shift's 12 ranges of no width
   8.3% -> 33.3% (floor22's k: 50.0%); the others' ranges of no width unchanged (M-Pesa's 57: 87.7%).
 - Under the generator's own model (simulated without the app, 200,000 histories, k known exactly): 87.0% -> 87.7%
   in expectation. The mixture's range holds 80% where it acts and the point alone holds 1 - P >= 80% where it does
   not, so the floor can only raise C1's coverage, from a figure near 87-88%: C1 (no further past 88%) is expected to
   pass only when the fresh draw's coverage without the floor is below about 87.3%. Its power is that of the draw; the
   criterion is kept as floor22 registered it (the brief: the same C1-C4), and this is written before the run.

PRE-REGISTERED TEST (written and committed before any run on the fresh seeds 2121-2150; no other run of them):
the generator (``change_floor_decide.changing``), the scoring and C1-C4 are ``change_floor_decide``'s, run by importing
it with ``CHANGE_FLOOR_RUN = "history"``:
 (C1) fresh 2121-2150: the pooled 80% coverage of the ranges of no width without the floor (categories with spending
      before the origin) is within 72-88%, or its distance from 72-88% is not larger than without the floor;
 (C2) held-out real: the same for the Kaggle household's category backtest ranges of no width;
 (C3) every range with width without the floor is identical with it (fresh, and the 13 households' backtest ranges);
 (C4) the 13 households (``forecast_households.households()``): categories' backtest coverage pooled within 1 point
      of the figure without the floor, and the points identical.
FORECAST_CHANGE_FLOOR ships True (with CHANGE_FLOOR_RUN = "history") only if ALL hold; otherwise it stays False,
documented. Per-month coverage, the households one by one and the widths are reported, not deciding.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/change_run_decide.py --seeds 700001-700060 --no-households  # tuning
    PYTHONPATH=$PWD .venv/bin/python benchmarks/change_run_decide.py --seeds 2121-2150 --decide             # once
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import change_floor_decide as D  # noqa: E402

from budgetwise.services.forecast import conformal  # noqa: E402


def main(argv=None) -> int:
    conformal.CHANGE_FLOOR_RUN = "history"  # the candidate; D toggles FORECAST_CHANGE_FLOOR off / on around it
    return D.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
