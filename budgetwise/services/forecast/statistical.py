"""The statistical candidates of the per-series choice (pure): the Theta method in closed form and the
``statsmodels`` fits (ETS with additive or multiplicative errors, with a damped trend, ``ThetaModel``), each
forecasting whole-period totals from the complete periods known at an origin. statsmodels is imported only
when a series needs it. Split out of :mod:`.ensemble`, which re-exports them (2026-12-05, size limit)."""

from __future__ import annotations

import math
import warnings

import numpy as np

from budgetwise.services.forecast import ets_fast as _ets_fast

_ALPHAS = np.linspace(0.05, 1.0, 39)


def theta(past: np.ndarray, steps: int) -> np.ndarray:
    """The Theta method (Assimakopoulos & Nikolopoulos 2000) in the form of Hyndman & Billah (2003):
    simple exponential smoothing plus half the OLS trend, ``b0 / 2 * (h - 1 + 1/a - (1 - a)^n / a)``.

    statsmodels' ``ThetaModel`` (``deseasonalize=False``) computes the same forecast (the tests
    compare the two) but fits it by maximum likelihood in 0.1-0.4 s; this closed form with a
    grid over the smoothing weight takes well under a millisecond, which keeps a backtest of
    every category within the speed budget.
    """
    y = np.asarray(past, dtype=float)
    n = len(y)
    if n == 0 or not np.isfinite(y).all():
        return np.full(steps, math.nan)
    if n < 4 or np.ptp(y) == 0:
        return np.repeat(float(y[-1]), steps)
    # SES for every alpha at once; the initial level is the first value
    level = np.full(len(_ALPHAS), y[0])
    sse = np.zeros(len(_ALPHAS))
    for v in y[1:]:
        err = v - level
        sse += err * err
        level = level + _ALPHAS * err
    i = int(np.argmin(sse))
    a, ses = float(_ALPHAS[i]), float(level[i])
    t = np.arange(n, dtype=float)
    b0 = float(np.polyfit(t, y, 1)[0])
    h = np.arange(1, steps + 1, dtype=float)
    return ses + b0 / 2 * (h - 1 + 1 / a - (1 - a) ** n / a)


def _fit_statsmodels(y: np.ndarray, steps: int, fit) -> np.ndarray:
    """Run a statsmodels fit-and-forecast; short or flat series repeat the last value, a failed
    fit (a degenerate series) is NaN: the candidate is then unavailable, never a crash."""
    if len(y) == 0 or not np.isfinite(y).all():
        return np.full(steps, math.nan)
    if len(y) < 4 or np.ptp(y) == 0:
        return np.repeat(float(y[-1]), steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short series
        try:
            out = np.asarray(fit(y, steps), dtype=float)
        except Exception:
            return np.full(steps, math.nan)
    return np.where(np.isfinite(out), out, math.nan)


def _ets_nn(y: np.ndarray, h: int, error: str):
    """``ETSModel(y, error=error).fit(disp=False).forecast(h)``: by :mod:`.ets_fast` (the same numbers, without
    statsmodels' overhead) where it can, else by statsmodels itself."""
    try:
        fast = _ets_fast.forecast(y, h, error)
    except Exception:  # pragma: no cover - statsmodels below decides what this series gives
        fast = None
    if fast is not None:
        return fast
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    return ETSModel(y, error=error).fit(disp=False).forecast(h)


def ets(past: np.ndarray, steps: int) -> np.ndarray:
    """Simple exponential smoothing as the state-space ETS(A,N,N) model, fitted by maximum
    likelihood with statsmodels (``ETSModel``, imported only when a series needs it)."""

    def fit(y: np.ndarray, h: int):
        return _ets_nn(y, h, "add")

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)


def ets_damped(past: np.ndarray, steps: int) -> np.ndarray:
    """ETS(A,Ad,N): exponential smoothing with a damped additive trend (statsmodels ``ETSModel``)."""

    def fit(y: np.ndarray, h: int):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        return ETSModel(y, error="add", trend="add", damped_trend=True).fit(disp=False).forecast(h)

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)


def ets_mul(past: np.ndarray, steps: int) -> np.ndarray:
    """ETS(M,N,N): simple exponential smoothing with multiplicative errors (statsmodels ``ETSModel``):
    a month's surprise counts relative to the level, so one large month moves the level less."""

    def fit(y: np.ndarray, h: int):
        return _ets_nn(y, h, "add" if (y <= 0).any() else "mul")

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)


def sm_theta(past: np.ndarray, steps: int) -> np.ndarray:
    """statsmodels' ``ThetaModel`` (not deseasonalised: the seasonal candidates cover seasons)."""

    def fit(y: np.ndarray, h: int):
        from statsmodels.tsa.forecasting.theta import ThetaModel

        return ThetaModel(y, period=1, deseasonalize=False).fit(disp=False).forecast(h)

    return _fit_statsmodels(np.asarray(past, dtype=float), steps, fit)
