"""How a default-rule group's keywords become regular expressions (the notation is documented at the top of
``default_rules.py``): each keyword's literal and anchors, the regexes of a group cut at MAX_PATTERN, and the
eighth set's removal of a keyword from the regex it was in (``_patterns_without``)."""

from __future__ import annotations

import re

MAX_PATTERN = 480  # below the 500-character column, so admins can still edit


def _alternative(word: str) -> tuple[str, str, str]:
    """(escaped literal, left anchor, right anchor) for one keyword."""
    if word.startswith("^"):  # at the very start of the description only ("^z$": "Z KILBIRNIE", NZ fuel)
        lit, _, right = _alternative(word[1:])
        return lit, "^", right
    left = not word.startswith("~")
    word = word.lstrip("~")
    right = _WORD_END
    if word.endswith("$"):
        word = word[:-1]
    elif word.endswith("#"):
        right, word = _NO_LETTER, word[:-1]
    elif word.endswith("*") or len(word) > 4:
        right, word = "", word.rstrip("*")
    left = left and bool(re.match(r"\w", word[0]))
    if not re.match(r"\w", word[-1]):
        right = ""
    return re.escape(word).replace("\\ ", " "), (r"\b" if left else ""), right


_WORD_END = r"\b"
_NO_LETTER = "(?![a-z])"  # "pos#" matches "POS 12", "POS12AUG", not "POSTAGE"


def _patterns(words: tuple[str, ...], chunks: list[list[tuple[str, str, str]]] | None = None) -> list[str]:
    """Regexes (each at most MAX_PATTERN long) matching any of the keywords. With ``chunks`` (a list), the
    (left, right, literal) alternatives of each regex are appended to it, one list per regex."""
    groups: dict[tuple[str, str], list[str]] = {}
    for w in words:
        lit, left, right = _alternative(w)
        groups.setdefault((left, right), []).append(lit)
    pieces: list[tuple[str, str, list[str]]] = []
    for (left, right), lits in groups.items():
        pieces.append((left, right, sorted(set(lits), key=lambda s: (-len(s), s))))
    out: list[str] = []
    current: list[str] = []

    def render(parts: list[str]) -> str:
        return "|".join(parts)

    for pre, post, lits in pieces:
        batch: list[str] = []
        for lit in lits:
            trial = batch + [lit]
            block = f"{pre}(?:{'|'.join(trial)}){post}"
            if len(render(current + [block])) > MAX_PATTERN and (batch or current):
                if batch:
                    current.append(f"{pre}(?:{'|'.join(batch)}){post}")
                out.append(render(current))
                current, batch = [], [lit]
            else:
                batch = trial
            if chunks is not None:
                while len(chunks) <= len(out):
                    chunks.append([])
                chunks[len(out)].append((lit, pre, post))
        if batch:
            current.append(f"{pre}(?:{'|'.join(batch)}){post}")
    if current:
        out.append(render(current))
    return out


def _patterns_without(words: tuple[str, ...], removed: frozenset[str]) -> list[str]:
    """``_patterns(words)`` with the ``removed`` keywords taken out of the regex each was in, the other keywords
    left in theirs (the eighth set: a rule keeps its other words, so a user's agreement with it, counted per rule,
    still reads the same words); a regex left with no keyword is dropped."""
    chunks: list[list[tuple[str, str, str]]] = []
    _patterns(words, chunks)
    where = {alt: i for i, chunk in enumerate(chunks) for alt in chunk}
    gone = {_alternative(w) for w in removed} - {_alternative(w) for w in words if w not in removed}
    out = []
    for i in range(len(chunks)):
        kept = tuple(w for w in words if where[_alternative(w)] == i and _alternative(w) not in gone)
        if kept:
            out.extend(_patterns(kept))
    return out


_BLOCK = re.compile(r"(\^|\\b)?\(\?:((?:[^()\\]|\\.)*)\)(\\b|\(\?!\[a-z\]\))?")


def _drop_words(pattern: str, words: tuple[str, ...]) -> str:
    """``pattern`` (as ``_patterns`` renders it) with the ``words`` taken out of their ``pre(?:a|b)post`` blocks,
    every other block and alternative left as it was (the twelfth set: a rule keeps its other words' text); a block
    left with no word is dropped."""
    gone = {_alternative(w) for w in words}
    blocks = []
    for m in _BLOCK.finditer(pattern):
        pre, post = m.group(1) or "", m.group(3) or ""
        lits = [lit for lit in m.group(2).split("|") if (lit, pre, post) not in gone]
        if lits:
            blocks.append(f"{pre}(?:{'|'.join(lits)}){post}")
    return "|".join(blocks)


def set_additions(additions: dict[str, tuple[str, ...]], name: str) -> list[str]:
    """A later rule set's new rule for the group ``name`` (its ``V*_ADDITIONS`` words as regexes; none: [])."""
    words = additions.get(name, ())
    return _patterns(words) if words else []


def set_removals(removed: dict[str, tuple[str, ...]], name: str, patterns: list[str]) -> list[str]:
    """The group's earlier regexes with a later set's ``V*_REMOVED`` words taken out (a regex left empty is dropped)."""
    if name not in removed:
        return patterns
    return [p for p in (_drop_words(p, removed[name]) for p in patterns) if p]
