"""The Streamlit Community Cloud deploy path: ``pip install -r requirements.txt`` (the project itself is
never installed, extras neither) and ``streamlit run app.py`` from the repository root.

The browser rehearsal with figures is ``benchmarks/cloud_demo.py`` (docs/admin.md, demo mode).
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

import pytest

from budgetwise.db import DRIVER_REQUIREMENTS, make_engine
from budgetwise.errors import ConfigurationError

ROOT = Path(__file__).resolve().parent.parent
LOCAL = {"budgetwise", "app", "asgi_app", "pages", "migrations"}


def _requirement_names(lines: list[str]) -> set[str]:
    names = set()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[\[<>=!~; ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def _closure(names: set[str]) -> set[str]:
    """The distributions ``names`` install, with every dependency they pull in (from the test venv's metadata)."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = md.requires(name) or []
        except md.PackageNotFoundError:
            continue
        for req in requires:
            if "extra ==" in req:
                continue
            todo.append(re.split(r"[\[<>=!~; (]", req, maxsplit=1)[0].lower().replace("_", "-"))
    return seen


def _runtime_imports() -> set[str]:
    """Top-level modules imported anywhere in the app's runtime code (lazy imports inside functions too)."""
    files = [ROOT / "app.py", ROOT / "asgi_app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "budgetwise").rglob("*.py"),
             *(ROOT / "migrations").rglob("*.py")]
    out = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                out.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                out.add(node.module.split(".")[0])
    return out - LOCAL - set(sys.stdlib_module_names) - {"__future__"}


def test_requirements_txt_installs_every_module_the_app_imports():
    """A module imported by the app but only installed by requirements-dev.txt, an extra or by chance in the
    development venv fails on Community Cloud at the first page that imports it."""
    installed = _closure(_requirement_names((ROOT / "requirements.txt").read_text().splitlines()))
    by_module = md.packages_distributions()
    optional = {"psycopg", "pymysql"}  # the database drivers: an extra, named by make_engine's message
    missing = {}
    for module in sorted(_runtime_imports() - optional):
        dists = {d.lower().replace("_", "-") for d in by_module.get(module, [])}
        if not dists & installed:
            missing[module] = sorted(dists) or "not installed here either"
    assert not missing, f"imported by the app but not installed by requirements.txt: {missing}"


def test_requirements_txt_lists_only_what_the_app_imports():
    """Every runtime requirement is imported by the app itself (a requirement whose last import went stays
    installed on every deploy: streamlit-authenticator and extra-streamlit-components were listed for a
    session after the cookie writer replaced them, session 16)."""
    by_module = md.packages_distributions()
    imported = {d.lower().replace("_", "-") for module in _runtime_imports() for d in by_module.get(module, [])}
    unused = _requirement_names((ROOT / "requirements.txt").read_text().splitlines()) - imported
    assert unused == set(), f"listed in requirements.txt but imported by no runtime code: {sorted(unused)}"


def test_the_app_reads_no_metadata_of_an_installed_budgetwise():
    """The project is not pip-installed on Community Cloud: no entry point, no package metadata at run time."""
    offenders = []
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "budgetwise").rglob("*.py")]:
        text = path.read_text()
        if re.search(r"(importlib\.metadata|importlib_metadata|pkg_resources)[\s\S]{0,200}budgetwise", text) or \
                re.search(r"(version|distribution|entry_points)\(\s*['\"]budgetwise", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_driver_requirements_are_the_extras_of_pyproject():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert [DRIVER_REQUIREMENTS["postgresql"]] == extras["postgres"]
    assert [DRIVER_REQUIREMENTS["mysql"]] == extras["mysql"]


@pytest.mark.parametrize(("url", "module", "requirement"), [
    ("postgresql+psycopg://u:p@127.0.0.1:1/db", "psycopg", "psycopg[binary]>=3.1"),
    ("mysql+pymysql://u:p@127.0.0.1:1/db", "pymysql", "pymysql>=1.1"),
])
def test_a_missing_database_driver_names_the_package_to_add_to_requirements(monkeypatch, url, module, requirement):
    """Before: "pip install 'budgetwise[postgres]'", a PyPI name that is not this project and an extra that
    Community Cloud never installs."""
    monkeypatch.setitem(sys.modules, module, None)  # importing it now raises ModuleNotFoundError
    with pytest.raises(ConfigurationError) as caught:
        make_engine(url)
    message = str(caught.value)
    assert f"pip install '{requirement}'" in message
    assert "requirements.txt" in message
    assert "budgetwise[" not in message


def test_every_cache_data_is_bounded_in_time_and_entries():
    """Community Cloud gives a public demo 690 MB at least: a cache of per-visitor results without ``ttl``
    and ``max_entries`` would hold every visitor's entries for the process's life (measured 2026-12-05:
    all of them bounded, ~300 KB for 5 visitors; benchmarks/cloud_demo.py)."""
    unbounded = []
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "budgetwise").rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(target, ast.Attribute) and target.attr == "cache_data":
                    keywords = {k.arg for k in deco.keywords} if isinstance(deco, ast.Call) else set()
                    if not {"ttl", "max_entries"} <= keywords:
                        unbounded.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert unbounded == []
