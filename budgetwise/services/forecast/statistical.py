"""The statistical candidates of the per-series choice (pure): the Theta method in closed form and the
``statsmodels`` fits (ETS with additive or multiplicative errors, with a damped trend, ``ThetaModel``), each
forecasting whole-period totals from the complete periods known at an origin. statsmodels is imported only
when a series needs it. Split out of :mod:`.ensemble`, which re-exports them (2026-12-05, size limit)."""

from __future__ import annotations

import bisect
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


MEDIAN_KS = (3, 4, 6, 9, 12)  # months (weeks: the same spans)


def _median(values) -> float:
    """``np.median`` of a few values: the middle one, or the mean of the middle two (``(a + b) / 2``, as its
    ``mean`` of two computes it)."""
    s = sorted(values)
    m = len(s) // 2
    return float(s[m]) if len(s) % 2 else (s[m - 1] + s[m]) / 2


def _prefix_medians(y: np.ndarray, first: int, last: int) -> list[float]:
    """``_median(y[: j + 1])`` for ``j`` from ``first`` to ``last``, from one sorted list grown value by value
    (session 14, wkspeed: the same middle values and the same ``(a + b) / 2``, without sorting every prefix)."""
    s = sorted(y[: first + 1].tolist())
    out = []
    for j in range(first, last + 1):
        if j > first:
            bisect.insort(s, float(y[j]))
        m = len(s) // 2
        out.append(float(s[m]) if len(s) % 2 else (s[m - 1] + s[m]) / 2)
    return out


def median_k(past: np.ndarray, steps: int, freq: str = "month") -> np.ndarray:
    """The median of the last ``k`` periods, ``k`` (3-12 months, the same spans in weeks) chosen on the
    series' own rolling-origin errors within ``past``: the mean absolute error of the next 3 months
    (13 weeks) from each of the last 24 (104) origins. A robust level guess with its memory fitted.

    Session 11 (2026-12-05): the medians from sorted windows and the mean over the targets as ``np.nanmean``
    computes it (the same numbers, a third of the time; tests compare it with the previous form)."""
    y = np.asarray(past, dtype=float)
    n = len(y)
    if n == 0 or not np.isfinite(y).all():
        return np.full(steps, math.nan)
    week = freq == "week"
    ks = sorted({round(k * 52 / 12) if week else k for k in MEDIAN_KS})
    h, last = (13, 104) if week else (3, 24)
    origins = range(max(ks[0] - 1, n - 1 - last), n - 1)
    if not len(origins):
        return np.repeat(_median(y[-ks[2]:]), steps)
    js = np.arange(origins.start, origins.stop)
    # the windows by index arithmetic, the middle values by np.partition (session 17, wkspeed: the same values as
    # sliding_window_view and a full sort, without their overhead on ~50 calls per series)
    ahead = np.r_[y, np.full(h, np.nan)][js[:, None] + np.arange(1, h + 1)]  # the targets of each origin
    missing = np.isnan(ahead)
    count = np.add.reduce(~missing, axis=1, dtype=np.intp)
    prefix = _prefix_medians(y, js[0], min(js[-1], ks[-1] - 2))  # _median(y[: j + 1]) for the early origins
    err = []
    for k in ks:  # the median of the last k (of fewer at the start) at every origin
        full = js >= k - 1
        med = np.empty(len(js))
        if full.any():
            mid = [k // 2] if k % 2 else [k // 2 - 1, k // 2]
            win = np.partition(y[js[full, None] + np.arange(1 - k, 1)], mid, axis=1)
            med[full] = win[:, k // 2] if k % 2 else (win[:, k // 2 - 1] + win[:, k // 2]) / 2
        med[~full] = [prefix[j - js[0]] for j in js[~full]]
        gap = np.abs(ahead - med[:, None])
        np.copyto(gap, 0, where=missing)  # np.nanmean: NaN as 0 in the sum, divided by the count of the others
        err.append(float(np.divide(np.add.reduce(gap, axis=1), count).sum()))
    return np.repeat(_median(y[-ks[int(np.argmin(err))]:]), steps)
