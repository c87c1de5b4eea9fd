"""Session 28 (config28, issue #17, shift28's "Left (3)"): ``backtest``'s and ``ensemble``'s functions took
``config=_ensemble.DEFAULT`` as a default argument, bound at import, so a test patching ``ensemble.DEFAULT`` switched
the note and the range but not the candidates' choice (the forecast). They now read ``ensemble.DEFAULT`` when called."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pytest

from budgetwise.services import forecast as F
from budgetwise.services.forecast import backtest, oneoff
from budgetwise.services.forecast import ensemble as E
from tests.services.forecast.test_bad_input import _sane
from tests.services.forecast.test_level_shift_run import NEW, _steady_shift

MODES = {"local": oneoff.ONE_OFF_LOCAL, "runs": oneoff.ONE_OFF_RUNS, "none": False}  # local: shipped to session 28


def _forecast(monkeypatch, mode, *, bind: bool = False) -> np.ndarray:
    """The steady level shift's forecast with ``ensemble.DEFAULT.winsor = mode`` (the model's rule unchanged);
    ``bind``: ``backtest``'s keyword defaults set to that config too (shift28's workaround)."""
    with monkeypatch.context() as m:
        m.setattr(E, "DEFAULT", E.replace(E.DEFAULT, winsor=mode))
        if bind:
            for f in vars(backtest).values():
                defaults = getattr(f, "__kwdefaults__", None)
                if defaults and "config" in defaults:
                    m.setitem(defaults, "config", E.DEFAULT)
        result = F.forecast_frame(_steady_shift(), horizon=3, currency="EUR")
    _sane(result)
    return result.forecast["yhat"].to_numpy(dtype=float)


def test_a_patch_of_the_default_reaches_the_choice_of_methods(monkeypatch):
    """The local rule (shipped to session 28) caps the 12 new months (the candidates read about 1,650), the runs rule
    and no rule do not (about 5,500): the forecasts must differ, and patching ``ensemble.DEFAULT`` alone is the whole
    switch."""
    got = {name: _forecast(monkeypatch, mode) for name, mode in MODES.items()}
    assert got["runs"].max() > 1.2 * got["local"].max()  # failed before: the same forecast in every mode
    assert got["none"].max() > 1.2 * got["local"].max()
    assert got["runs"].min() > 0.6 * NEW
    for name in ("local", "runs"):
        assert np.array_equal(got[name], _forecast(monkeypatch, MODES[name], bind=True)), name


def _modules():
    import budgetwise.services.forecast as pkg

    names = [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]
    names += ["budgetwise.services.cashflow", "budgetwise.services.cashflow_model", "budgetwise.services.goals",
              "budgetwise.services.goal_stats"]
    return [importlib.import_module(n) for n in names]


@pytest.mark.parametrize("module", _modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_no_function_binds_a_config_at_import(module):
    """No default argument of a function (or method) holds an ``ensemble.Config``: it would be the one of import."""
    bound = []
    for name, obj in vars(module).items():
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        funcs = [obj] if inspect.isfunction(obj) else [v for v in vars(obj).values() if inspect.isfunction(v)] \
            if inspect.isclass(obj) else []
        for f in funcs:
            defaults = list(f.__defaults__ or ()) + list((f.__kwdefaults__ or {}).values())
            if any(isinstance(d, E.Config) for d in defaults):
                bound.append(f"{name}.{f.__name__}" if f is not obj else name)
    assert not bound
