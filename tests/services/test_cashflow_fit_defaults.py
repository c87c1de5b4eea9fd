"""``cashflow_model.fit`` reads ``LEVEL_MONTHS``, ``CHOOSE_ORIGINS`` and ``OTHER_RULE`` when it is called, not at
import: a patch of the module's constants reaches it (as config28 did for ``ensemble.DEFAULT``; session 29, gap29)."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import cashflow_model as M
from tests.services.test_cashflow_model import _history

AS_OF = dt.date(2026, 6, 30)


def _fit(**kw):
    history, _ = _history(24)
    model = M.fit(history, as_of=AS_OF, steps=2, **kw)
    return model.other_minor, model.rule, model.band


def test_a_patch_of_the_constants_reaches_fit(monkeypatch):
    shipped = _fit()
    assert shipped == _fit(level_months=M.LEVEL_MONTHS, choose=M.CHOOSE_ORIGINS, other_rule=M.OTHER_RULE)
    monkeypatch.setattr(M, "LEVEL_MONTHS", 3)
    monkeypatch.setattr(M, "CHOOSE_ORIGINS", None)
    monkeypatch.setattr(M, "OTHER_RULE", "retro")
    patched = _fit()
    assert patched == _fit(level_months=3, choose=None, other_rule="retro")
    assert patched != shipped


def test_no_default_of_fit_is_a_bound_constant():
    assert M.fit.__kwdefaults__["level_months"] is None and M.fit.__kwdefaults__["other_rule"] is None
    assert isinstance(M.fit.__kwdefaults__["choose"], M._Constant)
