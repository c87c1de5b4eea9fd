"""The thirteenth default rule set's changes (migration 0032, issue #16, session 21, frag13; data only): more brands
that were prefixes, written for the general case as the twelfth set wrote "comed#" and "shell#".

Found by the fragment audit ``tools/default_rule_fragments.py``, this time also over word lists of the supported
languages (``--words``: every dictionary word a rule's prefix begins, e.g. the Debian ``/usr/share/dict`` lists), and
by general knowledge of bank text; never from an evaluation row. **A brand is not a prefix** (``brand#``: no letter
after it, digits may follow):

- "amazon" caught "Amazonas"/"Amazônia" (a Brazilian state: its power company, its bank, every address there) and
  "AMAZONPRIME" (a subscription, now read as one: "amazonprime" joins "amazon prime" as "disneyplus" joins
  "disney plus");
- "caffe" caught "caffeine"/"caffeinated" ("caffetteria", the Italian word, is written out);
- "accor" caught "accord" (a Honda Accord, the French word) ("accorhotels", the group's own name, is written out);
- "revolut" caught "Revolution" (bars, beauty, gyms); "generali" caught "Generalitat" (the Catalan and Valencian
  governments: taxes, fines); "philo" caught "philosophy", "Philomena"; "boots" caught "Bootsverleih",
  "Bootshaus" (boat hire, a boathouse); "sprint" caught "Sprinter" (a Dutch train, a van); "schwab" caught
  "Schwabing", "Schwaben"; "ultramar" caught "ultramarinos" (a Spanish grocer's); "presto" caught "Preston" (a city,
  a suburb, a name); "barcelo" caught "Barcelona"; "havan" caught "Havana"/"Havanna"; "titan" caught "Titanic",
  "titanium"; "vanguard" caught "vanguardia"; "oportun" caught "oportunidad(es)".

Where the group already reads the brand as a whole word ("kitchen$", "kaiser$", "church$" and "churches"), the
prefix form only leaves: "kitchen" caught "KitchenAid", "kitchenware" and kitchen fitters; "kaiser" caught
"Kaiserslautern" and every "Kaiserstraße"; "church" caught "Churchill", "Churchgate" (Mumbai).

And "lpg" (India's cooking-gas cylinder) is read only in phrases: bare "LPG" is also car fuel (autogas) at a
filling station in most of Europe, Turkey and Australia.

``V13_REMOVED`` words leave the regex they were in (the rule's other words keep their text, as in the twelfth set);
``V13_ADDITIONS`` are a rule of their own after the group's twelfth-set rules.
"""

from __future__ import annotations

from budgetwise.services import default_rule_additions_v12 as _v12
from budgetwise.services.default_rule_patterns import set_additions, set_removals

V13_REMOVED: dict[str, tuple[str, ...]] = {
    "Shopping": ("amazon", "havan", "titan"),
    "Restaurants, cafes and bars": ("caffe", "kitchen"),
    "Travel": ("accor", "barcelo"),
    "Transfers (generic)": ("revolut",),
    "Insurance": ("generali",),
    "Streaming and software subscriptions": ("philo",),
    "Pharmacy and health care": ("boots", "kaiser"),
    "Phone and internet": ("sprint",),
    "Investments and brokers": ("schwab", "vanguard"),
    "Fuel": ("ultramar",),
    "Public transport and taxis": ("presto",),
    "Loan repayments": ("oportun",),
    "Gifts and donations": ("church",),
    "Energy and water": ("lpg",),
}

V13_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Shopping": ("amazon#", "havan#", "titan#"),
    "Restaurants, cafes and bars": ("caffe#", "caffetteria"),
    "Travel": ("accor#", "accorhotels", "barcelo#"),
    "Transfers (generic)": ("revolut#",),
    "Insurance": ("generali#",),
    "Streaming and software subscriptions": ("philo#", "amazonprime"),
    "Pharmacy and health care": ("boots#",),
    "Phone and internet": ("sprint#",),
    "Investments and brokers": ("schwab#", "vanguard#"),
    "Fuel": ("ultramar#",),
    "Public transport and taxis": ("presto#",),
    "Loan repayments": ("oportun#",),
    "Energy and water": ("lpg cylinder", "lpg refill", "lpg bill", "lpg delivery", "lpg connection", "domestic lpg"),
}


def thirteenth(name: str) -> list[str]:
    """The thirteenth set's regexes for the group ``name``."""
    return set_additions(V13_ADDITIONS, name)


def without_removed(name: str, patterns: list[str]) -> list[str]:
    """The group's earlier regexes with its ``V13_REMOVED`` words taken out (a regex left empty is dropped)."""
    return set_removals(V13_REMOVED, name, patterns)


def later_sets(name: str, patterns: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """The group's earlier regexes without the twelfth and thirteenth sets' removed words, and its own later rules
    (tenth and eleventh sets') followed by the twelfth's and the thirteenth's."""
    kept = without_removed(name, _v12.without_removed(name, patterns))
    return kept, own + _v12.twelfth(name) + thirteenth(name)
