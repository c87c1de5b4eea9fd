"""The eighteenth default rule set's changes (migration 0044, issue #16, session 27, cold27; data only), written from
general knowledge of bank text, never to match an evaluation row.

- **PhonePe is a payment app, not a phone bill**: India's largest UPI app prints its name on a UPI line ("UPI/…/Paid
  via PhonePe/…@ybl", "PHONEPE RECHARGE" of a wallet); "Phone and internet" read "phone" with any suffix and filed
  every such payment under Utilities. "phone" leaves its regex and comes back as a rule of its own that does not
  read "phonepe" (a payment app's name decides nothing: the merchant's words on the line, or review).
- **Two widespread brands the earlier sets did not know**: iFood (Brazil's food delivery), Artcaffé (a Kenyan café
  chain).
- **Gifts and contributions by their words**: India's "shagun" (gift money at a wedding or festival), East Africa's
  "harambee" (a fundraising contribution), Swahili "sadaka" (an offering) and "michango" (contributions).
- **A vehicle's inspection and licence are the car's, not a gym's**: New Zealand's "warrant of fitness" (and VTNZ,
  its testing network) was read by the gym group's "fitness", which comes before "Parking and car"; "vehicle
  licensing/licence" with it (an early rule of "Parking and car" just before "Gym and memberships").
- **A card issuer's payment written issuer first**: "DISCOVER … E-PAYMENT", "VISA ONLINE PMT" are credit card
  payments (Transfers), as "… E-PAYMENT … VISA" already were.
- **Freelance platforms' payouts are income** (credits only, as the group is): Upwork, Fiverr, Toptal; a Dutch
  "uitkering" (a benefit payment: "WW-uitkering", "AOW-uitkering") with them.
- **Holiday pay and the thirteenth month are salary** (credits): Dutch "vakantiegeld", "13e/dertiende maand", Italian
  "tredicesima", "quattordicesima", Spanish "paga extra(ordinaria)", "aguinaldo", Portuguese "décimo terceiro",
  "13º salário", German "Weihnachtsgeld", "Urlaubsgeld", French "prime de fin d'année", "treizième mois".
- **A German building-society savings plan is saving** ("Bausparvertrag"; "Bausparkasse" was read already):
  "Investments and brokers".
- **Cooking gas by the cylinder is a utility**: "cylinder refill", "cylinder booking" ("gas/LPG cylinder" and "LPG
  refill" were read already; a bare "LPG" stays unread: autogas at a fuel station is transport).

Left for a later set (their groups have rules placed early, numbered after the group's others, so a new rule there
would rename one): Droga Raia (a Brazilian pharmacy chain), "Woolies" (Woolworths), Chandarana (a Kenyan supermarket
chain). Written from 537 made-up probe lines of the issue's classes (brands, income, rent, utilities, transfers,
education, gifts; card, SEPA, NEFT/UPI, Pix, M-Pesa forms) of which the seventeenth set answered all but these.

``V18_REMOVED`` words leave the regex they were in; ``V18_ADDITIONS`` and ``V18_PATTERNS`` are a rule after the
group's seventeenth-set rules; the ``V18_EARLY`` rule is numbered after every other rule of its group and placed just
before the first rule of the group named beside it. No rule's name moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v14 as _v14
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
    "Gifts and donations": ("shagun", "harambee", "sadaka", "michango"),
    "Benefits, pensions and winnings": ("upwork", "fiverr", "toptal", "uitkering"),
    "Salary and payroll": (
        "vakantiegeld", "13e maand", "dertiende maand", "tredicesima", "quattordicesima", "paga extra",
        "paga extraordinaria", "decimo terceiro", "13o salario", "weihnachtsgeld", "urlaubsgeld", "prime de fin d annee",
        "prime de fin d'annee", "treizieme mois", "13eme mois", "aguinaldo",
    ),
    "Investments and brokers": ("bausparvertrag",),
    "Energy and water": ("cylinder refill", "cylinder booking", "refill cylinder"),
}
# "phone" as the earlier sets read it (a word, any suffix: "phones", "phonebill"), but not the payment app "PhonePe"
V18_PATTERNS: dict[str, tuple[str, ...]] = {
    "Phone and internet": (r"\bphone(?:$|[^p]|p$|p[^e])",),
    # a card issuer's name, then its payment word ("DISCOVER DES:E-PAYMENT", "BK OF AMER VISA ONLINE PMT"): the
    # sixth rule of the group reads the payment word first, then the card
    "Credit card payments": (r"\bdiscover\b.{0,20}\be-?payment\b|\b(?:visa|mastercard|amex) online (?:pmt|payment)\b",),
}
# (group of the rule, the group it goes just before, words): New Zealand's vehicle inspection ("warrant of fitness",
# in "Parking and car (1)" since the sixth set) was read by "Gym and memberships"' "fitness", which comes first; a
# vehicle's licence or registration with it
V18_EARLY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Parking and car", "Gym and memberships", ("warrant of fitness", "vehicle licensing", "vehicle licence",
                                                 "vehicle license", "vtnz")),
)


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
    """``_v17.placed_early``, then each ``V18_EARLY`` rule placed the same way (just before the first rule of the group
    named beside it, numbered after its own group's others); the rules under ``fallback_priority`` numbered again."""
    return _v14.place(_v17.placed_early(rules, fallback_priority, first, step), V18_EARLY, fallback_priority, first,
                      step)
