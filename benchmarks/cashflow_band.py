"""Variants of the cash-flow band for histories with 12 or more backtest errors (issue #19; session 10).

Each variant has ``cashflow_model._band``'s signature ``(scores, score_steps, steps, scale, nets,
conformal_offsets) -> (band, how)``; ``cashflow_young.py replay --rules`` and ``cashflow_combine.py
replay --band`` score them on recordings (the point forecast is the recording's: only the band changes).
Pre-registered and not adopted (docs/accounts.md, "Session 10"): ``stepnorm cap`` on seeds 281-320 and the
real histories, ``stepnorm`` on seeds 361-400 (each failed the per-history 65% condition by one origin on
a few histories; pooled coverage moved towards 80%), ``stepnorm`` again on seeds 401-440 and the real
histories started later (cfband: every condition held but an absolute tail bar that the shipped band misses
by as much, on the same origins).

* ``shipped``: ``cashflow_model._band`` as it is.
* ``stepnorm``: where a horizon has fewer than ``MIN_CONFORMAL_POINTS`` errors of its own, the pooled
  errors are each divided by the square root of their step and the quantiles times the square root of
  the horizon (the pooled fallback before mixed 2- and 3-month cumulative errors into the 1-month band).
  **Shipped in session 11** (cfband, pre-registered on seeds 521-560): the product's ``_band`` is this now,
  so ``stepnorm`` equals ``shipped``; recordings made before keep the old band as "shipped" in replays.
* session 11 (cfband), per-side calibration (:func:`session11`): ``ew H`` (origins weighted by recency),
  ``recent N`` (the last N origins), ``weighted`` (equal weights: split conformal itself), ``hd`` (the
  Harrell-Davis quantile at 0.10 / 0.90) and ``hdc`` (Harrell-Davis at conformal's finite-sample levels;
  pre-registered on seeds 481-520, not adopted: wider on the long histories).
* session 11 (cfyoung), the calibration by the origins' own history length (:func:`by_origin_age`):
  ``drop N`` (the errors of backtest origins with fewer than N complete months left out, unless fewer than
  ``YOUNG_ERRORS`` remain) and ``lenw`` (each origin's errors weighted min(1, its months / 12), the
  non-exchangeable quantiles of :func:`weighted_offsets`). ``drop 6`` pre-registered on seeds 561-640, not
  adopted (docs/accounts.md, cfyoung: the pinball sum higher on both fresh blocks).
* ``young own``: the young band (t x RMS of the month-to-month changes x sqrt(k)) wherever the horizon has
  fewer than ``MIN_CONFORMAL_POINTS`` errors of its own (instead of the pooled errors).
* ``cap``: each side the narrower of the shipped conformal band and the young band.
* ``stepnorm cap``: both.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from budgetwise.services import cashflow_model as M
from budgetwise.services.forecast.types import MIN_CONFORMAL_POINTS


def _young_half(nets: pd.Series) -> float | None:
    changes = np.diff(nets.tail(M.SCALE_MONTHS).to_numpy(dtype=float))
    if len(changes) < 2:
        return None
    return M.T90[len(changes) - 1] * math.sqrt(float(np.mean(changes * changes)))


def variant(name: str):
    if name == "shipped":
        return M._band
    if name.split(" ")[0] in ("ew", "recent", "weighted", "hd", "hdc"):
        return session11(name)
    if name.split(" ")[0] in ("drop", "lenw"):
        return by_origin_age(name)

    def band(scores, score_steps, steps, scale, nets, conformal_offsets):
        scores = np.asarray(scores, dtype=float)
        score_steps = np.asarray(score_steps, dtype=int)
        shipped, how = M._band(scores, score_steps, steps, scale, nets, conformal_offsets)
        if len(scores) < M.YOUNG_ERRORS:
            return shipped, how
        last_step = int(score_steps.max())
        young = _young_half(nets)
        norm = conformal_offsets(scores / np.sqrt(score_steps), M.INTERVAL)
        out = []
        for k in range(1, steps + 1):
            k_eff = min(k, last_step)
            lo, hi = shipped[k - 1]
            own = int(np.sum(score_steps == k_eff)) >= MIN_CONFORMAL_POINTS and name != "stepnorm all"
            if not own and name.startswith("stepnorm") and norm is not None:
                lo = int(min(0.0, norm[0]) * scale * math.sqrt(k))
                hi = int(max(0.0, norm[1]) * scale * math.sqrt(k))
            if not own and name == "young own" and young is not None:
                lo, hi = int(-young * math.sqrt(k)), int(young * math.sqrt(k))
            if name.endswith("cap") and young is not None:
                half = young * math.sqrt(k)
                lo, hi = int(max(lo, -half)), int(min(hi, half))
            out.append((lo, hi))
        return tuple(out), how
    return band


NAMES = ("shipped", "stepnorm", "young own", "cap", "stepnorm cap")


# --------------------------------------------------------------------------- session 11 (cfband): per-side calibration
def _origin_index(score_steps: np.ndarray) -> np.ndarray:
    """Each score's origin, oldest first (``fit`` appends an origin's steps 1, 2, ... in turn)."""
    return np.cumsum(np.asarray(score_steps) == 1) - 1


def weighted_offsets(scores: np.ndarray, weights: np.ndarray, interval: float) -> tuple[float, float] | None:
    """Non-exchangeable split-conformal quantiles (Barber, Candes, Ramdas & Tibshirani 2023): the scores
    weighted (the new point weighs 1 and sits at -inf for the lower edge, +inf for the upper one), each side
    at (1 - interval) / 2. None with fewer than ``MIN_CONFORMAL_POINTS`` scores."""
    scores = np.asarray(scores, dtype=float)
    if len(scores) < MIN_CONFORMAL_POINTS:
        return None
    alpha = (1.0 - interval) / 2
    order = np.argsort(scores)
    s, w = scores[order], np.asarray(weights, dtype=float)[order]
    p = w / (w.sum() + 1.0)
    up = np.cumsum(p)  # mass at or below each score (the new point's mass is at +inf)
    hi_i = np.searchsorted(up, 1.0 - alpha - 1e-12)
    hi = float(s[hi_i]) if hi_i < len(s) else float(s[-1])
    down = np.cumsum(p[::-1])[::-1]  # mass at or above each score (the new point's mass at -inf)
    lo_i = np.nonzero(down >= 1.0 - alpha - 1e-12)[0]
    lo = float(s[lo_i[-1]]) if len(lo_i) else float(s[0])
    return lo, hi


def hd_offsets(scores: np.ndarray, weights: np.ndarray, interval: float) -> tuple[float, float] | None:
    """The Harrell-Davis estimates of the (1 - interval) / 2 and (1 + interval) / 2 quantiles (a weighted
    mean of all order statistics: less at the mercy of one extreme error than a single order statistic)."""
    from scipy.stats.mstats import hdquantiles

    scores = np.asarray(scores, dtype=float)
    if len(scores) < MIN_CONFORMAL_POINTS:
        return None
    a = (1.0 - interval) / 2
    q = np.asarray(hdquantiles(scores, prob=[a, 1 - a]))
    return float(q[0]), float(q[1])


def hdc_offsets(scores: np.ndarray, weights: np.ndarray, interval: float) -> tuple[float, float] | None:
    """:func:`hd_offsets` at split conformal's finite-sample levels: the upper edge at (1 - a)(1 + 1/n), the
    lower at 1 minus that (a = (1 - interval) / 2): the level the order statistic of the shipped band
    stands for, with the Harrell-Davis weighting of all order statistics instead of one of them."""
    from scipy.stats.mstats import hdquantiles

    scores = np.asarray(scores, dtype=float)
    n = len(scores)
    if n < MIN_CONFORMAL_POINTS:
        return None
    a = (1.0 - interval) / 2
    hi = min(1.0 - 0.5 / n, (1.0 - a) * (1.0 + 1.0 / n))
    q = np.asarray(hdquantiles(scores, prob=[1.0 - hi, hi]))
    return float(q[0]), float(q[1])


def _weighted_band(scores, score_steps, steps, scale, nets, conformal_offsets, half_life: float | None,
                   window: int | None, quantiles=None):
    scores = np.asarray(scores, dtype=float)
    score_steps = np.asarray(score_steps, dtype=int)
    shipped, how = M._band(scores, score_steps, steps, scale, nets, conformal_offsets)
    if len(scores) < M.YOUNG_ERRORS:
        return shipped, how
    origin = _origin_index(score_steps)
    age = origin.max() - origin
    w = np.ones(len(scores)) if half_life is None else 0.5 ** (age / half_life)
    if window is not None:
        w = np.where(age < window, w, 0.0)
    last_step = int(score_steps.max())
    keep = w > 0
    quantiles = quantiles or weighted_offsets
    pooled = quantiles(scores[keep], w[keep], M.INTERVAL)
    out = []
    for k in range(1, steps + 1):
        k_eff = min(k, last_step)
        mine = keep & (score_steps == k_eff)
        off = quantiles(scores[mine], w[mine], M.INTERVAL) or pooled
        if off is None:
            out.append(shipped[k - 1])
            continue
        widen = math.sqrt(k / k_eff)
        out.append((int(min(0.0, off[0]) * scale * widen), int(max(0.0, off[1]) * scale * widen)))
    return tuple(out), how


def session11(name: str):
    """``ew H``: origins weighted 0.5 ** (age / H); ``recent N``: the last N origins only; ``weighted``: all
    weights 1 (the weighted quantile's own finite-sample rule, as a check against the shipped band)."""
    kind, _, arg = name.partition(" ")
    half = float(arg) if kind == "ew" else None
    window = int(arg) if kind == "recent" or (kind in ("hd", "hdc") and arg) else None
    quantiles = {"hd": hd_offsets, "hdc": hdc_offsets}.get(kind)

    def band(scores, score_steps, steps, scale, nets, conformal_offsets):
        return _weighted_band(scores, score_steps, steps, scale, nets, conformal_offsets, half, window, quantiles)
    return band


# --------------------------------------------------------------------------- session 11 (cfyoung): origins by their age
def origin_months(score_steps: np.ndarray, nets: pd.Series) -> np.ndarray:
    """Each score's origin's complete months of history: ``fit`` scores the up to ``MAX_ORIGINS`` origins
    before the last month end, consecutive and oldest first, the newest one month before the last
    (``len(nets) - 1`` complete months)."""
    origin = _origin_index(score_steps)
    if not len(origin):
        return origin
    return (len(nets) - 1) - (int(origin.max()) - origin)


def _lenw_band(scores, score_steps, steps, scale, nets, conformal_offsets):
    shipped, how = M._band(scores, score_steps, steps, scale, nets, conformal_offsets)
    if len(scores) < M.YOUNG_ERRORS:
        return shipped, how
    w = np.minimum(1.0, origin_months(score_steps, nets) / 12.0)
    last_step = int(score_steps.max())
    pooled = weighted_offsets(scores / np.sqrt(np.maximum(score_steps, 1)), w, M.INTERVAL)
    out = []
    for k in range(1, steps + 1):
        k_eff = min(k, last_step)
        mine = score_steps == k_eff
        own = weighted_offsets(scores[mine], w[mine], M.INTERVAL)
        off, widen = (own, math.sqrt(k / k_eff)) if own is not None else (pooled, math.sqrt(k))
        if off is None:
            out.append(shipped[k - 1])
            continue
        out.append((int(min(0.0, off[0]) * scale * widen), int(max(0.0, off[1]) * scale * widen)))
    return tuple(out), how


def by_origin_age(name: str):
    """``drop N``: the product's band calibrated without the errors of origins with fewer than N complete
    months (where the recurring detector does not know salary and rent yet), all of them if fewer than
    ``YOUNG_ERRORS`` would remain; ``lenw``: every origin kept, weighted min(1, months / 12)."""
    kind, _, arg = name.partition(" ")

    def band(scores, score_steps, steps, scale, nets, conformal_offsets):
        scores = np.asarray(scores, dtype=float)
        score_steps = np.asarray(score_steps, dtype=int)
        if kind == "lenw":
            return _lenw_band(scores, score_steps, steps, scale, nets, conformal_offsets)
        if len(scores) >= M.YOUNG_ERRORS:
            keep = origin_months(score_steps, nets) >= int(arg)
            if int(keep.sum()) >= M.YOUNG_ERRORS:
                scores, score_steps = scores[keep], score_steps[keep]
        return M._band(scores, score_steps, steps, scale, nets, conformal_offsets)
    return band
