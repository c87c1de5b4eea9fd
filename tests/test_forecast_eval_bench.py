"""benchmarks/forecast_eval.py: the held-out (leave-one-household-out) tables choose among settings that include the
shipped rule, scored through the app's own selection (issue #17; until 2026-12-06 the grid did not contain it)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import forecast_eval as FE  # noqa: E402
from forecast_households import synthetic  # noqa: E402

from budgetwise.services import forecast as F  # noqa: E402
from budgetwise.services.forecast import ensemble as E  # noqa: E402


def test_the_held_out_grid_holds_the_shipped_rule_once():
    grid = FE.loho_grid(list(FE.CONFIGS))
    assert grid[: len(FE.CONFIGS)] == list(FE.CONFIGS)
    assert grid.count(E.DEFAULT) == 1
    assert E.DEFAULT not in FE.CONFIGS  # the older grid alone would not offer it
    assert FE.loho_grid(grid) == grid


def _scores(product: float, naive: float) -> dict:
    a = np.ones(3)
    return {"product": np.full(3, product), "mean3": np.full(3, naive), "last_year": np.full(3, naive) * 2,
            "inside": a > 0}


def test_held_out_choice_never_looks_at_the_scored_household():
    # ratios to the best baseline: setting 0 is 0.1 / 0.9 / 0.9 on a / b / c, setting 1 is 2.0 / 0.5 / 0.5; a's own
    # 0.1 does not count for a (b and c favour 1) but counts for b and c (mean 0.5 against 1.25)
    table = {0: {"a": _scores(0.1, 1.0), "b": _scores(0.9, 1.0), "c": _scores(0.9, 1.0)},
             1: {"a": _scores(2.0, 1.0), "b": _scores(0.5, 1.0), "c": _scores(0.5, 1.0)}}
    assert FE.held_out_choice(table, [0, 1]) == {"a": 1, "b": 0, "c": 0}
    assert FE.held_out_choice(table, [0]) == {"a": 0, "b": 0, "c": 0}


def test_the_shipped_row_is_the_apps_forecast():
    tx = F.parse_transactions(synthetic(7, 20, season=0.2))
    end = pd.Timestamp("2026-03-31")
    run = FE.model_run(tx[tx["date"] <= end], end.date())
    app = F.forecast_frame(tx[tx["date"] <= end], horizon=FE.HORIZON, as_of=end.date())
    # the app rounds to the cent
    np.testing.assert_allclose(FE.product(run, E.DEFAULT)[0], app.forecast["yhat"].to_numpy(), rtol=0, atol=0.006)
