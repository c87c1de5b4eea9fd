"""No tracked text file keeps a merge-conflict marker.

Session 19 found ``<<<<<<<`` / ``=======`` / ``>>>>>>>`` lines left in docs/accounts.md by a session-18 merge
(parallel work merges docs often); Python would fail on them, Markdown shows them. Checked on every file git
tracks except data files, where a line of "=" could be content.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7}|>{7})( |$)")  # "=======" alone could be a Markdown heading underline
TEXT = {".py", ".md", ".toml", ".txt", ".ini", ".cfg", ".yml", ".yaml", ".mako", ".sh", ".js", ".html"}


def _tracked() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (git or .git missing): the tracked files cannot be listed")
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    paths = [ROOT / p for p in out.decode().split("\0") if p]
    return [p for p in paths if p.is_file() and (p.suffix in TEXT or p.name in {"Makefile", "run"})]


def test_no_merge_conflict_markers() -> None:
    found = []
    for path in _tracked():
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if MARKER.match(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line[:40]}")
    assert not found, "merge-conflict markers left in:\n" + "\n".join(found)
