"""One plural owner (session 20): ``budgetwise.text.plural`` ("3 rows", locale-aware counts; through
``budgetwise.ui.format`` for the pages) and ``plural_word`` (the word alone: "rows 3, 7", "1 rate looks").

About 40 messages spelled their plurals by hand (``row{'s' if n != 1 else ''}``, ``do{'' if n > 1 else 'es'}``),
each its own copy of the rule, some with ``> 1`` where the rest had ``!= 1`` and their counts ungrouped. This
refuses a new one in the package, the pages and app.py; it reads the source, as tests/ui/test_tabs_keyed.py."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# an f-string field choosing an ending by a condition: {'s' if …}, {'s wait' if …}, {'' if … else 's'}, {'es' …}
HAND_PLURAL = re.compile(r"""\{\s*(['"])(s|es|ies)(\s[^'"]*)?\1\s+if\b|else\s+(['"])(s|es|ies)\4\s*\}""")


def _sources():
    yield from sorted(p for p in (ROOT / "budgetwise").rglob("*.py") if p != ROOT / "budgetwise" / "text.py")
    yield from sorted((ROOT / "pages").glob("*.py"))
    yield ROOT / "app.py"


def test_the_pattern_finds_the_hand_plurals_it_replaced():
    found = [
        "f\"{n} row{'s' if n != 1 else ''}\"",
        "f\"do{'' if len(missing) > 1 else 'es'} not exist\"",
        "f\"transaction{'s wait' if n != 1 else ' waits'}\"",
        "f'{n} categor{\"ies\" if n != 1 else \"y\"}'",
    ]
    assert all(HAND_PLURAL.search(text) for text in found)
    # not a plural: a regex flag (services/regex_engine.py), a plain conditional word
    assert not HAND_PLURAL.search('("s" if flags & re.S else "")')
    assert not HAND_PLURAL.search("f\"{'are' if n != 1 else 'is'}\"")


def test_no_hand_written_plural_outside_the_owner():
    hits = []
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_PLURAL.search(line) and not line.lstrip().startswith("#"):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == [], "use budgetwise.text.plural / plural_word (ui: budgetwise.ui.format):\n" + "\n".join(hits)
