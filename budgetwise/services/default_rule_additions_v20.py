"""The twentieth default rule set's changes (migration 0050, issue #16, session 29, cold29; data only): words of the
general case the nineteenth set did not read, found by probing it with made-up lines of the issue's classes (India's
UPI/NEFT/IMPS lines, AU/NZ, US lower-case card lines, UK, the main EU languages, informal notes typed by a person).
The nineteenth set answered 464 of 492 such lines as intended; most of the rest were treatments (a gym is a
subscription, a train ticket transport) or ambiguous short words (TAB, 7-Eleven, Oporto, "maintenance"), left alone.
What it did not read, written for the general case and never to match an evaluation row:

- **Health care words of other languages and trades**: the Portuguese optician ("ótica", Brazil's spelling; "óptica",
  "ottica", "optician" were read), an eye doctor ("oculista", "Augenarzt"), a family doctor, a paediatrician and a
  gynaecologist in German compounds ("Hausarzt", "Kinderarzt", "Frauenarzt", "Hautarzt"), the gynaecologist, the
  orthopaedist and the orthodontist in Spanish/Portuguese/Italian ("ginecolog…", "ortoped…", "ortodon…",
  "Kieferorthopäde"), dietitians and nutritionists in five languages, a speech therapist ("fonoaudiólogo"), a
  homeopath, an alternative practitioner ("Heilpraktiker"), an ultrasound scan ("ecografía"), vaccination words and
  the clear-aligner brand Invisalign.
- **Groceries**: M&S's food halls ("SIMPLY FOOD": "M&S" alone was read as the department store), New Zealand's meal
  kit My Food Bag (HelloFresh was read), Nespresso's coffee capsules and an Indian note's monthly "ration" (staples;
  "ration shop").
- **Transport**: Germany's national transit pass ("Deutschlandticket"); a car wash named "car spa" (a common name of
  car washes; "spa" was read as personal care); car parts in Portuguese written as two words ("auto peças";
  "autopeças" was read), German ("Autoteile") and Spanish ("recambios").
- **Utilities**: "gas natural" (the Spanish and Portuguese order; "natural gas" was read), a water bill in a Hindi
  note ("paani/pani ka bill"; "bijli ka bill" was read), Con Edison as its bills
  print it ("CON ED OF NY": "con edison" and "coned" were read), Germany's broadcasting fee as "ARD ZDF"
  ("Rundfunkbeitrag", "Beitragsservice" were read).
- **Education**: a music school in German ("Musikschule"; "school" was read).
- **Other income**: a freelance job's pay in Brazilian Portuguese ("freela"; "freelance" was read).
- **Gifts**: a Christmas present ("xmas/christmas present(s)", "pressie"; "present" was read only as a whole word, so
  "presents" was not).

Each group's new words are one rule at the group's end, numbered after every other rule of the group
(``V20_AT_END``): a rule after the group's own would rename the early rules the 14th-19th sets numbered last. The
transit pass's rule stands just before the subscriptions group instead (``V20_EARLY``: Germany sells it as a
subscription only, "DEUTSCHLANDTICKET ABO", and "abo" is read there). No rule's name moves, no word leaves a rule.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v14 as _v14
from budgetwise.services import default_rule_additions_v19 as _v19
from budgetwise.services.default_rule_patterns import _patterns

if TYPE_CHECKING:
    from budgetwise.services.default_rules import DefaultRule

V20_AT_END: dict[str, tuple[str, ...]] = {
    "Pharmacy and health care": (
        "otica", "oticas", "oculista", "augenarzt", "hausarzt", "kinderarzt", "frauenarzt", "hautarzt",
        "ginecolog", "ortoped", "ortodon", "kieferorthop", "nutricionista", "nutrizionista", "nutritionist",
        "nutritionniste", "ernahrungsberat", "ernaehrungsberat", "dietitian", "dietician", "dietista",
        "dieteticien", "fonoaudiolog", "homeopat", "homoeopat", "homoopath", "heilpraktiker", "ecografia",
        "vaccination", "vaccine", "vacina", "vacuna", "vaccino", "impfung", "invisalign",
    ),
    "Supermarkets and groceries": ("simply food", "my food bag", "nespresso", "ration$", "ration shop"),
    "Parking and car": ("car spa$", "auto pecas", "autoteile", "recambios"),
    "Energy and water": ("gas natural", "con ed of ny", "con ed ny$", "paani ka bill", "pani ka bill", "paani bill",
                         "pani bill"),
    "Phone and internet": ("ard zdf",),
    "Education and childcare": ("musikschule",),
    "Gifts and donations": ("xmas present", "christmas present", "pressie"),
    "Benefits, pensions and winnings": ("freela$",),
}


# Germany's transit pass is sold as a subscription only ("DEUTSCHLANDTICKET ABO"): its rule stands just before the
# subscriptions group, whose "abo" would read it first, and is numbered after every other rule of its group
V20_EARLY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Public transport and taxis", "Streaming and software subscriptions", ("deutschlandticket",)),
)


# the twentieth set takes no word out of a rule and rewrites none: the earlier sets' words and rules as they were
later_sets = _v19.later_sets


def _group(name: str) -> str:
    return re.sub(r" \(\d+\)$", "", name)


def at_end(rules: tuple[DefaultRule, ...], entries: dict[str, tuple[str, ...]], fallback_priority: int, first: int,
           step: int) -> tuple[DefaultRule, ...]:
    """``rules`` with one rule of each group's words of ``entries`` right after the group's last rule, numbered after
    every other rule of the group (its category and kind); the rules under ``fallback_priority`` numbered again from
    ``first`` in steps of ``step``."""
    out = list(rules)
    for group, words in entries.items():
        at = max(i for i, r in enumerate(out) if _group(r.name) == group)
        numbers = [int(m.group(1)) for r in out if _group(r.name) == group
                   and (m := re.search(r" \((\d+)\)$", r.name))]
        placed = [replace(out[at], name=f"{group} ({n})", pattern=p)
                  for n, p in enumerate(_patterns(words), start=max(numbers, default=1) + 1)]
        out[at + 1:at + 1] = placed
    certain = [r for r in out if r.priority < fallback_priority]
    renumbered = {id(r): replace(r, priority=first + i * step) for i, r in enumerate(certain)}
    return tuple(renumbered.get(id(r), r) for r in out)


def placed_early(
    rules: tuple[DefaultRule, ...], fallback_priority: int, first: int, step: int
) -> tuple[DefaultRule, ...]:
    """``_v19.placed_early``, then the twentieth set's early rule (``V20_EARLY``, placed as ``_v14.place`` does) and its
    rules at their group's end (``V20_AT_END``)."""
    rules = _v14.place(_v19.placed_early(rules, fallback_priority, first, step), V20_EARLY, fallback_priority, first,
                       step)
    return at_end(rules, V20_AT_END, fallback_priority, first, step)
