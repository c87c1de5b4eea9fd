"""statsmodels' ETS(A,N,N) / ETS(M,N,N) fit and forecast, step for step, without its overhead (pure; session 11,
2026-12-05, issue #17, docs/forecasting.md "Session 11").

``ETSModel(y, error=...).fit(disp=False).forecast(h)`` (estimated initial level, no trend, no season) spends most of
its ~4 ms in Python around a small computation: building the model, scipy's ``ScalarFunction`` and
``approx_derivative`` wrappers at every step of L-BFGS-B, and, after the fit, the results object with a numerical
Hessian the forecast never reads. The forecast of these models is the last smoothed level. This module runs the same
computation in the same order: statsmodels' starting values (its ``_initialization_simple`` below 10 periods, its
``_initialization_heuristic`` from 10), its bounds and fixed parameters, its log-likelihood (its own compiled
smoothing routine, the same numpy reductions), scipy's forward-difference gradient (absolute step 1e-8, flipped at a
bound), and scipy's own L-BFGS-B routine (``setulb``) driven as ``scipy.optimize.fmin_l_bfgs_b`` drives it (m = 10,
factr = 1e7, pgtol = 1e-5, maxls = 20, statsmodels' maxiter = 1000, maxfun = 15000). The same floating-point
operations give the same numbers to the last bit: ``tests/services/forecast/test_ets_fast.py`` compares it with
statsmodels on several hundred series (``np.array_equal``).

It reaches into two private pieces (``scipy.optimize._lbfgsb.setulb`` and statsmodels' ``_ets_smooth``), so it runs
only on the library versions it was checked against (:data:`VERIFIED`); anywhere else, and whenever a fit leaves the
ordinary path (a non-finite value, an optimiser stop other than convergence), :func:`forecast` returns None and the
caller runs statsmodels itself.
"""

from __future__ import annotations

import math

import numpy as np

# (statsmodels, scipy) versions on which the fit was checked to be statsmodels' to the last bit. To add a pair: run
# tests/services/forecast/test_ets_fast.py with the new versions (it forces this path and compares) and add it here.
VERIFIED = frozenset({("0.15.0", "1.17.1")})
ENABLED = True  # False: always statsmodels (a switch for comparisons)

_EPS = float(np.finfo(np.float64).eps)
_SQRT_EPS = _EPS**0.5  # scipy's relative step for a forward difference that would vanish
_FACTR = (1e7 * np.finfo(float).eps) / np.finfo(float).eps  # fmin_l_bfgs_b's factr through its ftol, as scipy does
_LB = float((np.zeros(1) + 1e-4)[0])  # statsmodels' bounds of the smoothing weight
_UB = float((np.ones(1) - 1e-4)[0])
_TWO_PI = 2 * np.pi
_state: dict[str, object] = {}


def _routines():
    """scipy's ``setulb`` and statsmodels' smoothing routine, or None off the verified versions."""
    if "ok" not in _state:
        _state["ok"] = None
        try:
            import scipy
            import statsmodels
            from scipy.optimize import _lbfgsb
            from statsmodels.tsa.exponential_smoothing._ets_smooth import _ets_smooth_add_add

            if (statsmodels.__version__, scipy.__version__) in VERIFIED:
                exog = np.c_[np.ones(10), np.arange(10) + 1]
                _state["ok"] = (_lbfgsb.setulb, _ets_smooth_add_add, np.linalg.pinv(exog))
        except (ImportError, AttributeError):  # pragma: no cover - another library layout
            pass
    return _state["ok"] if ENABLED else None


def _initial_level(data: np.ndarray, pinv: np.ndarray) -> float:
    """statsmodels' starting level of ETS(*,N,N) with an estimated initial state: the first value below 10
    observations (``_initialization_simple``), else the intercept of a line through the first 10
    (``_initialization_heuristic``), computed with the same calls."""
    if data.shape[0] < 10:
        return data[0]
    return np.squeeze(pinv.dot(np.atleast_2d(data).T[:10]))[0]


def _objective(data: np.ndarray, mul: bool, smooth):
    """statsmodels' negative log-likelihood per observation (``-loglike / nobs`` of ``ETSModel._loglike_internal``
    on its preallocated arrays), of the free parameters (smoothing weight, initial level)."""
    n = data.shape[0]
    yhat, xhat = np.zeros(n), np.zeros((n, 3))
    fixed = np.array([0, 1, 1, 1, 0, 1, 1], dtype=np.int64)  # beta, gamma, phi, initial trend and season fixed
    values = np.empty(7)
    values[[1, 2, 3, 5, 6]] = (0.0, 0.0, 1.0, 0.0, 0.0)
    half = -n / 2
    res = np.empty(n)  # the residuals' buffer (session 17, wkspeed: the same operations, no new arrays per call)

    def f(params: np.ndarray):
        smooth(params, data, yhat, xhat, fixed, values, False, False)
        np.subtract(data, yhat, out=res)
        if mul:
            np.divide(res, yhat, out=res)
        np.multiply(res, res, out=res)  # res**2 (numpy squares as x * x)
        logl = half * (np.log(_TWO_PI * (np.add.reduce(res) / n)) + 1)  # np.mean, as its _mean computes it
        if mul:
            if not yhat.all():
                yhat[yhat == 0] = 1e-32
            logl -= np.add.reduce(np.log(np.abs(yhat)))
        return -logl / n

    return f


def _step(x: float, lower: float, upper: float) -> float:
    """scipy's forward-difference step for one parameter (``approx_derivative``, ``abs_step`` 1e-8, '2-point'):
    a step that vanishes becomes relative, a step that leaves the bounds is flipped (or shortened)."""
    h = 1e-8
    if (x + h) - x == 0:
        h = _SQRT_EPS * (1.0 if x >= 0 else -1.0) * max(1.0, abs(x))
    low, up = x - lower, upper - x
    fitting = abs(h) <= (low if low > up else up)
    if not fitting:
        return up / 1 if up >= low else -low / 1
    if x + h < lower or x + h > upper:
        return -h
    return h


def _value_and_gradient(f, x: np.ndarray, counts: list[int]) -> tuple[object, np.ndarray] | None:
    """f at ``x`` and its forward-difference gradient, as ``ScalarFunction.fun_and_grad`` computes them."""
    f0 = f(x.copy())
    g = np.empty(2)
    for i, (lower, upper) in enumerate(((_LB, _UB), (-math.inf, math.inf))):
        xi = float(x[i])
        h = _step(xi, lower, upper)
        x1 = x.copy()
        x1[i] = x[i] + h
        g[i] = (f(x1) - f0) / ((xi + h) - xi)
    counts[0] += 3
    if not (math.isfinite(f0) and math.isfinite(g[0]) and math.isfinite(g[1])):
        return None
    return f0, g


def _minimise(f, x0: np.ndarray, setulb) -> np.ndarray | None:
    """scipy's L-BFGS-B loop (``_minimize_lbfgsb``) for the two free parameters; None unless it converged."""
    m, n = 10, 2
    x = np.array(x0, dtype=np.float64)
    low, up = np.array([_LB, 0.0]), np.array([_UB, 0.0])
    nbd = np.array([2, 0], dtype=np.int32)  # the weight bounded on both sides, the level free
    fval: object = np.array(0.0, dtype=np.float64)
    g = np.zeros(n, dtype=np.float64)
    wa = np.zeros(2 * m * n + 5 * n + 11 * m * m + 8 * m, np.float64)
    iwa, task, ln_task = np.zeros(3 * n, np.int32), np.zeros(2, np.int32), np.zeros(2, np.int32)
    lsave, isave, dsave = np.zeros(4, np.int32), np.zeros(44, np.int32), np.zeros(29, np.float64)
    counts = [0]
    got = _value_and_gradient(f, x, counts)
    if got is None:
        return None
    at, (fx, gx) = x.copy(), got
    iterations = 0
    while True:
        g = g.astype(np.float64)
        setulb(m, x, low, up, nbd, fval, g, _FACTR, 1e-5, wa, iwa, task, lsave, isave, dsave, 20, ln_task)
        if task[0] == 3:  # f and g at x (the last point again: scipy's ScalarFunction keeps it)
            if not (x[0] == at[0] and x[1] == at[1]):  # np.array_equal of the two parameters, without its overhead
                got = _value_and_gradient(f, x, counts)
                if got is None:
                    return None
                at, (fx, gx) = x.copy(), got
            fval, g = fx, gx
        elif task[0] == 1:  # a new iteration
            iterations += 1
            if iterations >= 1000 or counts[0] > 15000:
                return None  # statsmodels would stop here with a warning: leave it to statsmodels
        else:
            break
    return x if task[0] == 4 else None


def forecast(past: np.ndarray, steps: int, error: str) -> np.ndarray | None:
    """``ETSModel(past, error=error).fit(disp=False).forecast(steps)`` for ``error`` "add" or "mul" ("mul": every
    value > 0; at least 4 values, not all equal), or None: statsmodels must be run (see the module docstring)."""
    routines = _routines()
    if routines is None:
        return None
    setulb, smooth, pinv = routines
    data = np.array(past, dtype=np.float64)
    mul = error == "mul"
    level0 = _initial_level(data, pinv)
    x0 = np.clip(np.asarray([0.1, level0]), np.array([_LB, -np.inf]), np.array([_UB, np.inf]))
    x = _minimise(_objective(data, mul, smooth), x0, setulb)
    if x is None:
        return None
    params = np.array([x[0], 0.0, 0.0, 1.0, x[1], 0.0, 0.0])  # statsmodels' smoothing at the fitted parameters
    yhat, xhat = np.zeros(data.shape[0]), np.zeros((data.shape[0], 3))
    smooth(params, data, yhat, xhat, np.zeros(7, dtype=np.int64), np.empty(7))
    level = float(xhat[-1, 0])
    if not math.isfinite(level):
        return None
    # its simulation without errors: level + trend 0 + season 0, plus the error term times 0
    out = (level + 0.0) + 0.0
    return np.full(steps, out + (out if mul else 1) * 0.0)
