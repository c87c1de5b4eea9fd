"""The forecast package: everything but ``from_db`` is pure, and Prophet loads only when fitting."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

PURE = ("types", "periods", "history", "csv_input", "flows", "model", "ensemble", "statistical", "backtest", "api")


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_know_no_database(name):
    module = importlib.import_module(f"budgetwise.services.forecast.{name}")
    tree = ast.parse(inspect.getsource(module))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {m for m in imported if m.startswith(("sqlalchemy", "budgetwise.models", "budgetwise.db"))}
    assert "Session" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def test_importing_the_forecast_does_not_import_prophet():
    code = "import sys, budgetwise.services.forecast as F; F.forecast_frame; assert 'prophet' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("weeks,yearly", [(60, False), (120, True)])
def test_the_closed_form_level_is_prophets_fit(weeks, yearly):
    """The level model is fitted in closed form; Prophet itself (same settings) gives the same."""
    pytest.importorskip("prophet")
    from budgetwise.services.forecast import model as M

    rng = np.random.default_rng(weeks)
    ds = pd.date_range("2022-01-04", periods=weeks, freq="7D")
    y = 50 + 15 * np.sin(2 * np.pi * np.arange(weeks) / 52) + rng.gamma(2, 8, weeks)
    train = pd.DataFrame({"ds": ds, "y": y})
    future = pd.date_range(ds[-1] + pd.Timedelta(days=4), periods=91, freq="D")
    fit_ls, rate_ls = M._least_squares_fit(train, future, yearly)
    fit_p, rate_p = M._prophet_fit(train, future, yearly)
    assert np.allclose(rate_ls, rate_p, rtol=0, atol=0.002 * y.mean())
    assert np.allclose(fit_ls, fit_p, rtol=0, atol=0.002 * y.mean())


def test_a_forecast_error_is_written_in_the_users_number_format():
    """QA: the Forecast page said "€1,678.73" to a German user."""
    from budgetwise.services.forecast.backtest import _money_text

    assert _money_text(1678.73, "EUR", "de_DE") == "1.678,73\xa0€"
    assert _money_text(1678.73, "EUR") == "€1,678.73"
