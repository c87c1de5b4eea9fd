"""The error candidates are ranked on, and the monthly categories' own rule (pure; session 18, fcbias, issue #17).

Monthly category forecasts were biased low (about -10%, household mean; docs/history/forecasting.md, session 18):
the choice on the absolute percentage error prefers the median-type candidates, whose forecasts lie below the mean
of right-skewed months, and an occasional category's forecast is its typical month, near zero. Two options measured
against it, for the series ranked with a pool only (the user's monthly expense categories; totals, income and
weekly series never read them): ``Config.cat_score`` ranks a frequent category on another error, and
``Config.cat_level_*`` multiplies a category by its backtest's level correction (:mod:`.level`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd

C = TypeVar("C", bound=Any)  # ensemble.Config


def category_rule(config: C, occasional: bool, freq: str, pooled: bool) -> tuple[C, tuple[float, str]]:
    """The config a series is ranked with (``cat_score`` for a frequent monthly series with a pool) and its category
    level correction ``(prior, stat)`` (prior 0: none), read from ``config`` before an occasional series' own rule
    replaces it."""
    if not pooled or freq != "month":
        return config, (0.0, "mean")
    skip = config.cat_level_frequent_only if occasional else config.cat_level_occasional_only
    level = (0.0 if skip else float(config.cat_level_prior), str(config.cat_level_stat))
    if not occasional and config.cat_score is not None:
        config = replace(config, score=config.cat_score)
    return config, level


def errors(pred: np.ndarray, rec: pd.DataFrame, score: str = "scaled") -> np.ndarray:
    """``|actual - forecast|`` over the level (``score="scaled"``; ``"squared"``: its square) or the actual
    (``"ape"``; a zero actual is not scored), or the symmetric ``|a - f| / ((|a| + |f|) / 2)`` (``"sape"``), per
    backtest row (``pred``: one value or one column per candidate per row)."""
    actual = rec["actual"].to_numpy(dtype=float)
    base = rec["scale"].to_numpy(dtype=float) if score in ("scaled", "squared") else np.abs(actual)
    shape = (-1, 1) if np.ndim(pred) == 2 else (-1,)
    with np.errstate(invalid="ignore", divide="ignore"):
        if score == "sape":  # symmetric: (|a| + |f|) / 2; nothing spent and nothing forecast is not scored
            base = (np.abs(actual).reshape(shape) + np.abs(pred)) / 2.0
            e = np.abs(pred - actual.reshape(shape)) / base
        else:
            e = np.abs(pred - actual.reshape(shape)) / base.reshape(shape)
        if score == "squared":
            e = e * e
    if score in ("ape", "sape"):
        e = np.where(np.isfinite(e), e, math.nan)
    if "level_ok" in rec:  # no spending at all before the origin: the scaled error means nothing
        e[~rec["level_ok"].to_numpy(dtype=bool)] = math.nan
    return e

