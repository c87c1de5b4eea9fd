"""The command line loads a command's module only when that command runs (#18)."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

from budgetwise import cli

ROOT = Path(__file__).resolve().parents[2]


def _registered() -> dict[str, tuple[str, str]]:
    found = {}
    for name in cli._modules():
        module = importlib.import_module(f"budgetwise.cli.{name}")
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        if hasattr(module, "register"):
            module.register(sub)
        for action in sub._choices_actions:
            found[action.dest] = (name, action.help)
    return found


def test_the_command_list_matches_what_the_modules_register():
    assert _registered() == cli.COMMANDS


def test_help_imports_no_command_module():
    code = (
        "import sys; from budgetwise import cli; p = cli.build_parser([]); "
        "print(sorted(m for m in sys.modules if m.startswith(('budgetwise.cli.', 'pandas', 'sqlalchemy', 'budgetwise.services'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == "[]"


def test_one_command_loads_only_its_module():
    code = (
        "import sys; from budgetwise import cli; p = cli.build_parser(['users', 'list']); "
        "a = p.parse_args(['users', 'list']); print(a.handler is not None, sorted(m for m in sys.modules if m.startswith('budgetwise.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == "True ['budgetwise.cli._common', 'budgetwise.cli.admin']"


def test_every_command_still_parses_its_options():
    parser = cli.build_parser(["import"])
    args = parser.parse_args(["import", "f.csv", "--user", "a@b.c", "--dry-run", "--date-order", "dmy"])
    assert args.handler.__name__ == "cmd_import" and args.date_order == "dmy"
    full = cli.build_parser()
    sub = next(a for a in full._actions if a.dest == "command")
    assert set(sub.choices) == set(cli.COMMANDS)
    for name in cli.COMMANDS:
        assert sub.choices[name].add_help, name  # the real parser, not the stand-in used for --help
