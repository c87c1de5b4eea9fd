"""The size guardrail (tools/size_check.py): new oversize code fails, exceptions may only shrink."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("size_check", ROOT / "tools" / "size_check.py")
assert _spec is not None and _spec.loader is not None
size_check = importlib.util.module_from_spec(_spec)
sys.modules["size_check"] = size_check  # dataclasses look their module up
_spec.loader.exec_module(size_check)


def _tree(tmp_path: Path, body_lines: int) -> Path:
    pkg = tmp_path / "budgetwise"
    pkg.mkdir()
    body = "\n".join("        x = 1" for _ in range(body_lines))
    (pkg / "m.py").write_text(f"def small():\n    return 1\n\n\nclass C:\n    def big(self):\n{body}\n")
    return tmp_path


def _exceptions(tmp_path: Path, lines: int) -> Path:
    path = tmp_path / "size_exceptions.toml"
    path.write_text(f'[functions]\n"budgetwise/m.py:C.big" = {{ lines = {lines}, reason = "test" }}\n')
    return path


def test_a_new_long_function_fails(tmp_path):
    root = _tree(tmp_path, 85)
    assert size_check.main(["--root", str(root)]) == 1
    found = size_check.measure(root)
    assert [(o.kind, o.name, o.lines) for o in found] == [("function", "budgetwise/m.py:C.big", 86)]


def test_a_written_down_exception_passes_and_may_not_grow(tmp_path):
    root = _tree(tmp_path, 85)
    assert size_check.main(["--root", str(root), "--exceptions", str(_exceptions(tmp_path, 86))]) == 0
    assert size_check.main(["--root", str(root), "--exceptions", str(_exceptions(tmp_path, 85))]) == 1


def test_an_exception_no_longer_needed_is_named(tmp_path):
    root = _tree(tmp_path, 10)
    errors, notes = size_check.check(size_check.measure(root), {("function", "budgetwise/m.py:C.big"): 86})
    assert errors == [] and "remove its exception" in notes[0]


def test_the_repository_passes_its_own_check():
    assert size_check.main(["--root", str(ROOT)]) == 0
