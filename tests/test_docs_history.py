"""docs/<topic>.md is the current reference; docs/history/<topic>.md keeps the session logs (session 17 split).

Checked here: every relative Markdown link in README.md and docs/ resolves (file and heading anchor); a
reference has no session-log headings and links its history; a history's sessions run oldest first; and, when
git has the commit before the split, nothing of the old docs/<topic>.md was lost (every non-blank line of it is
in docs/history/<topic>.md; heading levels and the ``../`` of a link moved one folder down may differ).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TOPICS = sorted(p.stem for p in (DOCS / "history").glob("*.md"))
BEFORE_SPLIT = "bd5bb80015f1672203a08e4cf242ccb8811396c3"  # main before session 17's split
SPLIT_TOPICS = (
    "accounts",
    "admin",
    "categorization",
    "currencies",
    "forecasting",
    "importing",
    "reliability",
    "reports",
)

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SESSION_HEADING = re.compile(r"^#{2,6}\s+Session (\d+)\b")
FENCE = re.compile(r"^\s*(```|~~~)")


def _lines(text: str) -> list[str]:
    """The lines outside fenced code blocks."""
    out, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return out


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|__", "", heading).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    kept = "".join(c for c in text if c in "-_ " or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in _lines(path.read_text(encoding="utf-8")):
        m = HEADING.match(line)
        if m:
            slug = _slug(m.group(2))
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    broken = []
    for line in _lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(line):
            if re.match(r"[a-z]+:", target):
                continue  # http(s), mailto
            file_part, _, anchor = target.partition("#")
            dest = (path.parent / file_part).resolve() if file_part else path
            if not dest.exists():
                broken.append(f"{target}: no such file")
            elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
                broken.append(f"{target}: no heading with that anchor")
    assert not broken, broken


def test_every_split_topic_has_its_history() -> None:
    assert set(SPLIT_TOPICS) <= set(TOPICS)


@pytest.mark.parametrize("topic", TOPICS)
def test_reference_is_current_and_links_its_history(topic: str) -> None:
    text = (DOCS / f"{topic}.md").read_text(encoding="utf-8")
    logs = [line for line in _lines(text) if SESSION_HEADING.match(line)]
    assert not logs, f"session logs belong at the end of docs/history/{topic}.md: {logs}"
    assert f"history/{topic}.md" in text


@pytest.mark.parametrize("topic", TOPICS)
def test_history_sessions_oldest_first(topic: str) -> None:
    text = (DOCS / "history" / f"{topic}.md").read_text(encoding="utf-8")
    numbers = [int(m.group(1)) for line in _lines(text) if (m := SESSION_HEADING.match(line))]
    assert numbers == sorted(numbers), numbers


def _normal(line: str) -> str:
    line = line.strip()
    m = HEADING.match(line)
    if m:
        line = "# " + m.group(2)
    return line.replace("](../", "](")


def _old_text(topic: str) -> str | None:
    if shutil.which("git") is None:
        return None
    done = subprocess.run(
        ["git", "show", f"{BEFORE_SPLIT}:docs/{topic}.md"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


@pytest.mark.parametrize("topic", SPLIT_TOPICS)
def test_nothing_of_the_old_doc_was_lost(topic: str) -> None:
    old = _old_text(topic)
    if old is None:
        pytest.skip("git or the commit before the split is not available")
    kept = {_normal(line) for line in (DOCS / "history" / f"{topic}.md").read_text(encoding="utf-8").splitlines()}
    missing = [line for line in old.splitlines() if line.strip() and _normal(line) not in kept]
    assert not missing, missing[:5]
    old_sessions = {_normal(line) for line in old.splitlines() if SESSION_HEADING.match(line)}
    assert old_sessions <= kept
