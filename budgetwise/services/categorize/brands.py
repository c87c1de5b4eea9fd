"""Merchant brands of many countries, for the rows no default rule knows (issue #16, cold).

Pure, no database. The table ``budgetwise/data/brands.tsv.gz`` is written by
``tools/build_brands.py`` from the OpenStreetMap name-suggestion-index (BSD-3-Clause; source,
version, checksum and licence in its header, notice in THIRD_PARTY_NOTICES.md): one brand key
(its words folded and joined, "paknsave") and a BudgetWise default category name per line.

:func:`brand_words` is the one normalisation both sides use: folded, apostrophes dropped,
every other non-alphanumeric character a word break. A description matches a brand where
1 to :data:`MAX_WORDS` consecutive words, joined, equal the brand's key: whole words only,
and "PAK N SAVE", "PAKNSAVE" and "PAK'NSAVE" are one key. The longest match wins (then the
first). Loaded once per process (:func:`brand_index`), offline.
"""

from __future__ import annotations

import gzip
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from budgetwise.textforms import fast_fold

ARTIFACT = Path(__file__).resolve().parent.parent.parent / "data" / "brands.tsv.gz"
MAX_WORDS = 5  # the longest brand kept has this many words
GROUP_PREFIX = "Brands: "  # the calibration group of a brand answer is GROUP_PREFIX + its category
_APOSTROPHES = str.maketrans("", "", "'’`´")
_WORD = re.compile(r"[a-z0-9]+")


def brand_words(text: str) -> list[str]:
    """The words of ``text`` as brands are matched: folded, apostrophes dropped, split on anything
    that is not an ASCII letter or digit ("Pak'nSave" -> ["paknsave"], "H&M" -> ["h", "m"])."""
    folded = fast_fold(text)
    if folded.isascii():
        if "'" in folded or "`" in folded:
            folded = folded.replace("'", "").replace("`", "")
    else:
        folded = folded.translate(_APOSTROPHES)
    return _WORD.findall(folded)


@dataclass(frozen=True)
class BrandMatch:
    key: str  # the brand's key ("paknsave")
    category: str  # a default category name
    start: int  # first and one-past-last word of the description that matched
    end: int


class BrandIndex:
    """Brand key -> category, with the keys sorted so a scan stops early (no longer key starts so)."""

    def __init__(self, entries: dict[str, str], meta: dict[str, str] | None = None) -> None:
        self.entries = dict(entries)
        self.meta = dict(meta or {})
        # sorted keys answer "is this a proper prefix of some key?" by one bisection: the keys
        # that start with it follow it in order (a set of every prefix cost 40 ms to build)
        self._sorted = sorted(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def _is_prefix(self, text: str) -> bool:
        """Whether some key is longer than ``text`` and starts with it."""
        keys = self._sorted
        i = bisect_right(keys, text)
        return i < len(keys) and keys[i].startswith(text)

    def find(self, text: str) -> BrandMatch | None:
        """The longest brand whose key equals consecutive words of ``text`` joined (first on a tie)."""
        return self._find_words(brand_words(text), {})

    def _find_words(self, words: list[str], memo: dict[str, tuple[str | None, bool]]) -> BrandMatch | None:
        """:meth:`find` for the words of a text; ``memo``: each joined string's (category, whether a
        longer key starts with it), shared by the texts of a batch (:class:`BrandLookup`)."""
        entries, is_prefix = self.entries, self._is_prefix
        best: BrandMatch | None = None
        for i in range(len(words)):
            joined = ""
            for j in range(i, min(len(words), i + MAX_WORDS)):
                joined += words[j]
                known = memo.get(joined)
                if known is None:
                    known = memo[joined] = (entries.get(joined), is_prefix(joined))
                cat, longer = known
                if cat is not None and (best is None or len(joined) > len(best.key)):
                    best = BrandMatch(joined, cat, i, j + 1)
                if not longer:
                    break
        return best

    def category(self, text: str) -> str | None:
        m = self.find(text)
        return m.category if m is not None else None


class BrandLookup:
    """:meth:`BrandIndex.find` for the texts of one batch (same answers): the index's lookups of a
    joined string (is it a key, does a longer key start with it) are made once for the batch, so the
    words many descriptions share ("pos", "card", a city) cost a dictionary lookup after the first."""

    def __init__(self, index: BrandIndex) -> None:
        self.index = index
        self._memo: dict[str, tuple[str | None, bool]] = {}

    def find(self, text: str) -> BrandMatch | None:
        return self.index._find_words(brand_words(text), self._memo)

    def category(self, text: str) -> str | None:
        m = self.find(text)
        return m.category if m is not None else None


def read_table(path: Path) -> BrandIndex:
    """The index in a table written by ``tools/build_brands.py`` ('# key: value' header lines, then
    'key<TAB>category' lines)."""
    entries: dict[str, str] = {}
    meta: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("#"):
                name, _, value = line[1:].partition(":")
                meta[name.strip()] = value.strip()
            elif line:
                key, _, category = line.partition("\t")
                entries[key] = category
    return BrandIndex(entries, meta)


@lru_cache(maxsize=1)
def brand_index() -> BrandIndex:
    """The shipped index (empty if the table is missing: the categorizer then works without it)."""
    if not ARTIFACT.exists():
        return BrandIndex({})
    return read_table(ARTIFACT)


def brand_confidence(category: str) -> float:
    """The calibrated confidence of a brand answer for ``category`` (``tools/calibrate_default_rules.py``
    fits it with the default rules' groups, as group ``GROUP_PREFIX + category``)."""
    from budgetwise.services.default_rule_confidence import GROUP_CONFIDENCE, PRIOR

    return GROUP_CONFIDENCE.get(GROUP_PREFIX + category, GROUP_CONFIDENCE.get(GROUP_PREFIX.strip(), PRIOR))


def leading_brand(words: Sequence[str]) -> int:
    """How many of a learning key's first words name a brand of the table, joined as the table keys them
    ("countdown" of "countdown kilbirnie" if the table knows it; "salem five bank" of "salem five bank petone"):
    the longest, 0 if none. A correction teaches a brand's whole name whatever branch, city or terminal follows
    (``history.teach_stems``: one word, "starbucks seattle" -> "starbucks"; three, not the first two)."""
    entries = brand_index().entries
    joined, best = "", 0
    for n, word in enumerate(words[:MAX_WORDS], 1):
        joined += word
        if joined in entries:
            best = n
    return best
