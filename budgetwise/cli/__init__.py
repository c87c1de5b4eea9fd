"""The ``budgetwise`` command line.

Each module in this package that defines ``register(subparsers)`` adds its
commands; handlers return an exit status. Every command honours the
BUDGETWISE_* environment variables (database URL, data directory, secret).

Modules are loaded only when one of their commands runs: :data:`COMMANDS` names
each command's module and one-line help, so ``budgetwise --help`` and the
argument parser of one command do not import every other command's services
(pandas, SQLAlchemy models, Prophet...). A module in this package that is not in
:data:`COMMANDS` is loaded eagerly, as before, so a new command works before it
is listed; ``tests/cli/test_cli_lazy.py`` checks that the list matches the modules.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from budgetwise import __version__
from budgetwise.errors import BudgetwiseError
from budgetwise.gc_pause import freeze_for_exit, gc_paused

# command -> (module in this package, help line shown by `budgetwise --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "accounts": ("accounts", "list, add, rename or archive a user's accounts, or choose the default one (balances and net worth)"),
    "backup": ("backup", "write an online, consistent backup of the whole database to a file"),
    "cashflow": ("cashflow", "project a user's daily balance N months ahead and write date,balance,lower,upper"),
    "categorize": ("categorize", "add a category column to a CSV of transactions (default rules, a user's rules, learning)"),
    "create-admin": ("admin", "create an administrator (the same as 'users create EMAIL --name N --admin')"),
    "demo": ("core", "create a demo account with about two years of generated transactions"),
    "export": ("importing", "write a user's transactions to a CSV file"),
    "forecast": ("forecast", "forecast total expenses (or one category) and write ds,yhat,yhat_lower,yhat_upper to a CSV file"),
    "import": ("importing", "import a bank file (CSV/TSV, XLSX, OFX/QFX) into a user's transactions"),
    "init": ("core", "create the database or upgrade it to the latest schema"),
    "rates": ("rates", "exchange rates: import a CSV, fetch the ECB reference rates, list, show missing"),
    "report": ("reports", "print a user's report summaries for a period as CSV or JSON"),
    "reset-password": ("admin", "print a one-time, expiring code with which the user sets a new password"),
    "restore": ("backup", "restore a backup (SQLite file or .zip dump) into the configured database, in one transaction"),
    "users": ("admin", "manage user accounts"),
}


class _Only:
    """A subparsers stand-in that lets a module register only the commands it is asked for."""

    def __init__(self, subparsers: argparse._SubParsersAction, wanted: set[str]) -> None:
        self._subparsers = subparsers
        self._wanted = wanted

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        if name in self._wanted:
            return self._subparsers.add_parser(name, **kwargs)
        return argparse.ArgumentParser(prog=name, add_help=False)  # registered elsewhere (or lazily)


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def _register(module_name: str, subparsers, wanted: set[str] | None = None) -> None:
    module = importlib.import_module(f"{__name__}.{module_name}")
    register = getattr(module, "register", None)
    if register is not None:
        register(subparsers if wanted is None else _Only(subparsers, wanted))


def _chosen_command(argv: Sequence[str]) -> str | None:
    for arg in argv:
        if not arg.startswith("-"):
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser. Given ``argv``, only the module of its command is imported; without it, all."""
    load_all = argv is None
    parser = argparse.ArgumentParser(
        prog="budgetwise", description="BudgetWise: personal budgeting and expense forecasting."
    )
    parser.add_argument("--version", action="version", version=f"budgetwise {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    listed = {module for module, _ in COMMANDS.values()}
    chosen = None if argv is None else _chosen_command(argv)
    loaded: set[str] = set()
    for name in _modules():
        if name not in listed:
            _register(name, subparsers)  # not in the list yet: load it as before
            loaded.add(name)
    for command, (module, text) in sorted(COMMANDS.items()):
        if any(a.dest == command for a in subparsers._choices_actions):
            continue
        if load_all or command == chosen:
            if module not in loaded:
                wanted = set(COMMANDS) if load_all else {command}
                wanted = {c for c in wanted if COMMANDS[c][0] == module}
                _register(module, subparsers, wanted)
                loaded.add(module)
            continue
        stub = subparsers.add_parser(command, help=text, add_help=False)
        stub.set_defaults(handler=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; ``argv`` None: the process's own arguments (the program is ending after it)."""
    as_program = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    with gc_paused():  # loading a command's modules makes only long-lived objects: ~0.07 s of collections
        parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args) or 0)
        sys.stdout.flush()  # a reader gone early shows here, not as a traceback while the process ends
        return status
    except BrokenPipeError:  # `budgetwise users list | head`: the reader has what it wanted
        _quiet_closed_stdout()
        return 0
    except BudgetwiseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if as_program:
            freeze_for_exit()  # the process ends next: spare shutdown its walks of every object


def _quiet_closed_stdout() -> None:
    """Point standard output at the null device, so the interpreter's final flush of what is still buffered does not
    raise (and print) the broken pipe again (the Python documentation's recipe for SIGPIPE)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # a replaced stdout (tests): nothing to redirect
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
