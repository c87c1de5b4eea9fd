"""The forecast package: everything but ``from_db`` is pure, and Prophet loads only when fitting."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys

import pytest

PURE = ("types", "periods", "history", "csv_input", "flows", "model", "backtest", "api")


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
