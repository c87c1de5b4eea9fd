"""Size guardrail (issue #15): modules in budgetwise/ over 800 lines, functions over 80 lines.

Today's exceptions are written down in ``size_exceptions.toml`` at the repository root, each
with its size when it was written down and a one-line reason. The check fails when

- a module or function crosses its limit and has no exception, or
- an excepted module or function has grown beyond the size written down.

So the list can only shrink: an exception whose module or function is back under the limit is
reported as removable (not an error, so a refactor elsewhere never breaks the build).

Usage: ``python tools/size_check.py [--root DIR] [--exceptions FILE]``; exit status 1 on failure.
"""

from __future__ import annotations

import argparse
import ast
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

MODULE_LIMIT = 800
FUNCTION_LIMIT = 80


@dataclass(frozen=True)
class Oversize:
    kind: str  # "module" | "function"
    name: str  # "budgetwise/x.py" or "budgetwise/x.py:Class.method"
    lines: int


def _functions(tree: ast.AST, prefix: str = ""):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qual = f"{prefix}{node.name}"
            yield qual, node.end_lineno - node.lineno + 1  # type: ignore[operator]
            yield from _functions(node, prefix=f"{qual}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, prefix=f"{prefix}{node.name}.")


def measure(root: Path, package: str = "budgetwise") -> list[Oversize]:
    """Every module and function of ``root/package`` over its limit, sorted by name."""
    found: list[Oversize] = []
    for path in sorted((root / package).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        n = len(text.splitlines())
        if n > MODULE_LIMIT:
            found.append(Oversize("module", rel, n))
        for qual, length in _functions(ast.parse(text, filename=rel)):
            if length > FUNCTION_LIMIT:
                found.append(Oversize("function", f"{rel}:{qual}", length))
    return found


def load_exceptions(path: Path) -> dict[tuple[str, str], int]:
    """``{(kind, name): lines}`` from the exceptions file (missing file: no exceptions)."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[tuple[str, str], int] = {}
    for kind, table in (("module", data.get("modules", {})), ("function", data.get("functions", {}))):
        for name, entry in table.items():
            if not str(entry.get("reason", "")).strip():
                raise SystemExit(f"{path}: the exception for {name} needs a one-line reason.")
            out[(kind, name)] = int(entry["lines"])
    return out


def check(found: list[Oversize], allowed: dict[tuple[str, str], int]) -> tuple[list[str], list[str]]:
    """(errors, notes): errors fail the check; notes name exceptions that can be removed."""
    errors: list[str] = []
    seen = set()
    for item in found:
        key = (item.kind, item.name)
        seen.add(key)
        limit = MODULE_LIMIT if item.kind == "module" else FUNCTION_LIMIT
        if key not in allowed:
            errors.append(f"new oversize {item.kind}: {item.name} has {item.lines} lines (limit {limit}); split it.")
        elif item.lines > allowed[key]:
            errors.append(
                f"{item.kind} {item.name} grew to {item.lines} lines; its exception allows {allowed[key]}. "
                "Make it smaller instead."
            )
    notes = [
        f"{kind} {name} is no longer over the limit: remove its exception from size_exceptions.toml."
        for (kind, name) in sorted(allowed) if (kind, name) not in seen
    ]
    return errors, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent.parent
    parser.add_argument("--root", type=Path, default=here)
    parser.add_argument("--exceptions", type=Path, default=None)
    args = parser.parse_args(argv)
    found = measure(args.root)
    allowed = load_exceptions(args.exceptions or args.root / "size_exceptions.toml")
    errors, notes = check(found, allowed)
    for line in notes:
        print(f"note: {line}")
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    if not errors:
        print(f"size check: {len(found)} written-down exceptions, nothing new or grown.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
