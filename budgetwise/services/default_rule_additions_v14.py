"""The fourteenth default rule set's changes (migration 0034, issue #16, session 23, cat23b; data only): the gaps that
bank lines written from general knowledge found (``tools/default_rule_candidates.py``, cat23), never an evaluation row.

- **Uber Eats with the star before the space** ("UBER* EATS", "UBER*EATS"): the set read "uber eats" and "uber *eats"
  only, so these fell to "uber", a ride. Two more forms of the same descriptor in "Food delivery" (before transport).
- **An airline's shortened name with its ticket number** ("UNITED 0161234567890", "SOUTHWES 5261234567890"): a card
  line for a flight shows the airline's name cut to the field and the 13-digit ticket number, whose first three
  digits are the airline's IATA accounting code (United 016, Southwest 526, American 001, Delta 006, Alaska 027,
  JetBlue 279, Spirit 487, Frontier 422, Hawaiian 173, Air Canada 014, WestJet 838, British Airways 125). The rule
  reads a name only when its own code follows, so "United" (a utility, a charity, a grocer) and "Southwest" elsewhere
  are not read as flights by it.
- **FASTag** (India's electronic toll tag): "FASTAG RECHARGE" is a toll top-up, not a phone top-up; the set's
  "fastag recharge" came after "Phone and internet"'s "recharge". An EARLY rule of "Parking and car", placed just
  before "Phone and internet" (as the ninth set placed a home loan before loan repayments).
- **Swiggy Instamart** is Swiggy's grocery delivery: "instamart" (and "swiggy instamart") leave "Food delivery" and are
  an EARLY rule of "Supermarkets and groceries", placed just before "Food delivery" (whose "swiggy" stays dining).

``V14_REMOVED`` words leave the regex they were in (the rule's other words keep their text, as in the 12th/13th sets);
``V14_ADDITIONS`` and ``V14_PATTERNS`` are a rule after the group's thirteenth-set rules; ``V14_EARLY`` rules are
numbered after every other rule of their group and placed just before the first rule of another group.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v13 as _v13
from budgetwise.services.default_rule_patterns import _patterns, set_additions, set_removals

if TYPE_CHECKING:
    from budgetwise.services.default_rules import DefaultRule

V14_REMOVED: dict[str, tuple[str, ...]] = {
    "Food delivery": ("instamart", "swiggy instamart"),
}

V14_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Food delivery": ("uber* eats", "uber*eats"),
}

# an airline's name as card lines cut it, followed by its own 13-digit ticket number (IATA code + 10 digits)
_AIRLINES = (  # bounded repeats: a rule holds one unbounded repeat at most (regex_safety)
    "united ?016", "southwes[a-z]{0,10} ?526", "american a[a-z]{0,10} ?001", "delta a[a-z]{0,10} ?006",
    "alaska a[a-z]{0,10} ?027", "jetblue ?279", "spirit a[a-z]{0,10} ?487", "frontier a[a-z]{0,10} ?422",
    "hawaiian a[a-z]{0,10} ?173", "air canada ?014", "westjet ?838", "british a[a-z]{0,10} ?125",
)
V14_PATTERNS: dict[str, tuple[str, ...]] = {
    "Travel": (rf"\b(?:{'|'.join(_AIRLINES)})\d{{10}}\b",),
}

V14_EARLY: dict[str, tuple[str, tuple[str, ...]]] = {  # group -> (the group its rule goes just before, words)
    "Supermarkets and groceries": ("Food delivery", ("instamart", "swiggy instamart")),
    "Parking and car": ("Phone and internet", ("fastag",)),
}


def fourteenth(name: str) -> list[str]:
    """The fourteenth set's regexes for the group ``name`` that follow its own rules."""
    return set_additions(V14_ADDITIONS, name) + list(V14_PATTERNS.get(name, ()))


def later_sets(name: str, patterns: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """As ``default_rule_additions_v13.later_sets``, then the fourteenth set's removed words and its rules after."""
    kept, own = _v13.later_sets(name, patterns, own)
    return set_removals(V14_REMOVED, name, kept), own + fourteenth(name)


def _group(name: str) -> str:
    return re.sub(r" \(\d+\)$", "", name)


def placed_early(
    rules: tuple[DefaultRule, ...], fallback_priority: int, first: int, step: int
) -> tuple[DefaultRule, ...]:
    """``rules`` with each ``V14_EARLY`` rule (its group's category and kind, numbered after the group's others) just
    before the first rule of the group named beside it; the rules under ``fallback_priority`` numbered again from
    ``first`` in steps of ``step``."""
    entries = tuple((group, before, words) for group, (before, words) in V14_EARLY.items())
    return place(rules, entries, fallback_priority, first, step)


def place(
    rules: tuple[DefaultRule, ...], entries: tuple[tuple[str, str, tuple[str, ...]], ...], fallback_priority: int,
    first: int, step: int, new: dict[str, tuple[str, str | None]] | None = None, regexes: bool = False,
) -> tuple[DefaultRule, ...]:
    """``rules`` with a rule of each (group, before, words) of ``entries`` (the group's category and kind, numbered
    after the group's others) just before the first rule of the group ``before``; a group of ``new`` ({group:
    (category, kind)}) has no rule yet: its rules are numbered from 1 (no number when it has one). The rules under
    ``fallback_priority`` numbered again from ``first`` in steps of ``step`` (the 14th-16th sets' early rules). With
    ``regexes`` each entry's third item holds regexes, one rule each, instead of words."""
    from budgetwise.services.default_rules import DefaultRule

    out = list(rules)
    for group, before, words in entries:
        own = [r for r in out if _group(r.name) == group]
        numbers = [int(m.group(1)) for r in own if (m := re.search(r" \((\d+)\)$", r.name))]
        at = next(i for i, r in enumerate(out) if _group(r.name) == before)
        patterns = list(words) if regexes else _patterns(words)
        if own:
            placed = [replace(own[0], name=f"{group} ({n})", pattern=p)
                      for n, p in enumerate(patterns, start=max(numbers, default=1) + 1)]
        else:
            category, kind = (new or {})[group]
            placed = [DefaultRule(name=group if len(patterns) == 1 else f"{group} ({n})", category=category,
                                  pattern=p, kind=kind) for n, p in enumerate(patterns, start=1)]
        out[at:at] = placed
    certain = [r for r in out if r.priority < fallback_priority]
    renumbered = {id(r): replace(r, priority=first + i * step) for i, r in enumerate(certain)}
    return tuple(renumbered.get(id(r), r) for r in out)
