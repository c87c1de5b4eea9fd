"""Grouping a file's own category labels that are spellings of one label.

Hand-kept spreadsheets write one category many ways: ``Food``, ``FOOD``, ``food``,
``Foods``, ``Fod``, ``Foodd``; ``Entertainment``, ``Entertain``, ``Entrtnmnt``.
:func:`group_labels` puts such spellings together so the file's-categories step maps
each group in one go. Two labels are spellings of one another when, after folding
case and accents:

* they are equal without a plural ``s`` and doubled letters (``Foods``, ``Foodd``);
* they have the same consonant skeleton: the first letter plus the consonants, doubled
  letters collapsed (``Rnt`` / ``Rent``, ``Helth`` / ``Health``, ``Traval`` / ``Travel``),
  at least two consonants so that short words do not collide;
* one is a single-word abbreviation of the other: a prefix of at least three letters that
  is at least three letters shorter (``EDU`` / ``Education``; ``Tax`` / ``Taxi`` stay apart);
* they differ by one edit (insertion, deletion, substitution, swap) and are at least five
  letters long (``Utilties`` / ``Utilities``).

Labels of several words compare word by word only on equality of the folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from budgetwise.text import fold

_VOWELS = set("aeiouy")
_LETTERS = re.compile(r"[^a-z0-9 ]+")


def _base(label: str) -> str:
    text = _LETTERS.sub(" ", fold(label).lower())
    text = " ".join(text.split())
    if len(text) > 4 and text.endswith("ies"):
        text = text[:-3] + "y"
    elif len(text) > 3 and text.endswith("s") and not text.endswith("ss"):
        text = text[:-1]
    return re.sub(r"(.)\1+", r"\1", text)


def _skeleton(base: str) -> str:
    if not base or " " in base:
        return ""
    rest = "".join(c for c in base[1:] if c not in _VOWELS)
    return base[0] + rest if len(rest) >= 2 else ""


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    if " " in a or " " in b or not a or not b:
        return False
    sa, sb = _skeleton(a), _skeleton(b)
    if sa and sa == sb:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) >= 3 and len(long_) - len(short) >= 3 and long_.startswith(short):
        return True
    return min(len(a), len(b)) >= 5 and _one_edit(a, b)


def described_by_label(rows: pd.DataFrame) -> pd.Series:
    """Per row of the importer's row frame: whether its description is its own category label, the
    file having no description for it (a file without a description column, session 21: 39 rows of an unmapped
    "Recreation" waited in Categorize blank). The label is then kept as the description (the file's words, seen
    and categorized by in Categorize); it is no merchant to learn from, and such a row imported before without it
    (description "") is still its duplicate (:func:`budgetwise.services.importing.duplicates._duplicate_mask`)."""
    if rows.empty or "label" not in rows:
        return pd.Series(False, index=rows.index, dtype=bool)
    label = rows["label"].astype(object)
    return (label != "") & (rows["description"].astype(object) == label)


def or_label(description: pd.Series, label: pd.Series) -> pd.Series:
    """Each row's description, else its own category label (:func:`described_by_label`)."""
    return description.where(description != "", label)


MAX_FUZZY = 400  # labels compared pairwise; beyond that only equal folded spellings are grouped


def group_labels(counts: Iterable[tuple[str, int]]) -> dict[str, str]:
    """label -> its group's representative.

    ``counts`` are (label, rows) pairs. Spellings join a group when they match any member
    (so ``Entertain`` ~ ``Entertainment`` ~ ``Entrtnmnt`` is one group). The representative
    is the spelling most rows share once case is set aside (``health`` + ``Health`` + ``HEALTH``
    outweigh ``Helth``), written capitalised when the file has it so (``Food``, not ``FOOD``).
    """
    items = list(counts)
    labels = [label for label, _ in items]
    rows = {label: n for label, n in items}
    bases = [_base(label) for label in labels]
    parent = list(range(len(labels)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_base: dict[str, int] = {}
    for i, b in enumerate(bases):
        if b in by_base:
            parent[find(i)] = find(by_base[b])
        else:
            by_base[b] = i
    distinct = list(by_base.items())
    if len(distinct) <= MAX_FUZZY:
        for x in range(len(distinct)):
            for y in range(x + 1, len(distinct)):
                if _same(distinct[x][0], distinct[y][0]):
                    parent[find(distinct[x][1])] = find(distinct[y][1])
    members: dict[int, list[str]] = {}
    for i, label in enumerate(labels):
        members.setdefault(find(i), []).append(label)
    out: dict[str, str] = {}
    base_of = dict(zip(labels, bases))
    for group in members.values():
        per_base: dict[str, int] = {}
        for label in group:
            per_base[base_of[label]] = per_base.get(base_of[label], 0) + rows[label]
        # the spelling most rows share, case aside; on a tie the fuller one (typos drop letters)
        best = max(per_base, key=lambda b: (per_base[b], sum(c in _VOWELS for c in b), len(b), b))
        rep = max((t for t in group if base_of[t] == best),
                  key=lambda t: (t[:1].isupper() and not t.isupper(), rows[t], t))
        for label in group:
            out[label] = rep
    return out
