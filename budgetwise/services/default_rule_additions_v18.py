"""The eighteenth default rule set's changes (migration 0044, issue #16, session 27, cold27; data only), written from
general knowledge of bank text, never to match an evaluation row.

- **PhonePe is a payment app, not a phone bill**: India's largest UPI app prints its name on a UPI line ("UPI/…/Paid
  via PhonePe/…@ybl", "PHONEPE RECHARGE" of a wallet); "Phone and internet" read "phone" with any suffix and filed
  every such payment under Utilities. "phone" leaves its regex and comes back as a rule of its own that does not
  read "phonepe" (a payment app's name decides nothing: the merchant's words on the line, or review).
- **Two widespread brands the earlier sets did not know**: iFood (Brazil's food delivery), Artcaffé (a Kenyan café
  chain). Left for a later set (their groups have rules placed early, numbered after the group's others, so a new
  rule there would rename one): Droga Raia (a Brazilian pharmacy chain), "Woolies" (Woolworths), Chandarana (a
  Kenyan supermarket chain).

``V18_REMOVED`` words leave the regex they were in; ``V18_ADDITIONS`` and ``V18_PATTERNS`` are a rule after the
group's seventeenth-set rules. Nothing is placed early; no rule's name moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v17 as _v17
from budgetwise.services.default_rule_patterns import set_additions, set_removals

if TYPE_CHECKING:
    from budgetwise.services.default_rules import DefaultRule

V18_REMOVED: dict[str, tuple[str, ...]] = {
    "Phone and internet": ("phone",),
}
V18_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Food delivery": ("ifood",),
    "Restaurants, cafes and bars": ("artcaffe",),
}
# "phone" as the earlier sets read it (a word, any suffix: "phones", "phonebill"), but not the payment app "PhonePe"
V18_PATTERNS: dict[str, tuple[str, ...]] = {
    "Phone and internet": (r"\bphone(?:$|[^p]|p$|p[^e])",),
}


def eighteenth(name: str) -> list[str]:
    """The eighteenth set's regexes for the group ``name`` that follow its own rules."""
    return set_additions(V18_ADDITIONS, name) + list(V18_PATTERNS.get(name, ()))


def later_sets(name: str, patterns: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """As ``default_rule_additions_v17.later_sets``, then the eighteenth set's removed words and its rules after."""
    kept, own = _v17.later_sets(name, patterns, own)
    return set_removals(V18_REMOVED, name, kept), own + eighteenth(name)


def placed_early(
    rules: tuple[DefaultRule, ...], fallback_priority: int, first: int, step: int
) -> tuple[DefaultRule, ...]:
    """``_v17.placed_early`` (the eighteenth set places no rule early)."""
    return _v17.placed_early(rules, fallback_priority, first, step)
