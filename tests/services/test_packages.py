"""Service packages keep their public home at the package (guards walk budgetwise.services by module)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import budgetwise.services as services_pkg

PACKAGES = [info.name for info in pkgutil.iter_modules(services_pkg.__path__) if info.ispkg]


def test_the_split_services_are_packages():
    assert {"categorize", "forecast", "reports"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_public_functions_of_a_package_name_the_package_as_their_module(name):
    package = importlib.import_module(f"budgetwise.services.{name}")
    public = {n: f for n, f in inspect.getmembers(package, inspect.isfunction)
              if not n.startswith("_") and f.__module__.startswith("budgetwise.services.")}
    assert public
    wrong = {n: f.__module__ for n, f in public.items()
             if f.__module__.startswith(package.__name__ + ".")}
    assert not wrong
