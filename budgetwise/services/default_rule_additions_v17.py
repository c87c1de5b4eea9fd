"""The seventeenth default rule set's changes (migration 0042, issue #16, session 26, cold26; data only): local and
national taxes and water suppliers that the sixteenth set did not know, written from general knowledge of many
countries' bank text, never to match an evaluation row.

- **Municipal and local taxes are taxes**: Brazil's "tributos municipais", Spain's "impuesto municipal" and vehicle
  tax ("IVTM", "impuesto de circulación"), Italy's "tributi/tasse comunali", car tax ("bollo auto", "tassa
  automobilistica") and stamp duty on accounts ("imposta di bollo"), France's "taxe (d')habitation", the Netherlands'
  municipal and water-board taxes ("gemeentebelasting", "waterschapsbelasting"), Germany's dog tax and second-home
  tax; stamp and excise duty: an early rule of "Taxes" beside the
  sixteenth set's capital-gains one, so before "Parking and car" ("auto") and "Energy and water", whose "municipal"
  (a South African municipal account bills water and power) read "IMPUESTO MUNICIPAL".
- **Revenue authorities by name**: Kenya's (KRA's "iTax"), Zimbabwe's (ZIMRA).
- **Water suppliers by their generic word**: Dutch "(drink)waterbedrijf", German "Wasserversorgung"/"Wasserzweckverband",
  Italian "servizio idrico", "acquedotto", French "eau potable"; waste fees with them, as "tasa basura" and "tassa
  rifiuti" were ("taxa de lixo", "TARI rifiuti").

Not changed, a treatment rather than a gap: council rates, a municipality's account and Germany's
"Grundbesitzabgaben" stay Utilities (they bill water, waste and power with the tax; the sixth set's choice), and
Brazil's IOF on foreign card spending
stays a bank fee (it works as a foreign-transaction fee; the one tuning household that has it files it as travel).

``V17_ADDITIONS`` are a rule after the group's sixteenth-set rules; the ``V17_EARLY`` rule (of words) is numbered after
every other rule of its group and placed just before the first rule of the group named beside it. Nothing is removed,
no rule's name moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v14 as _v14
from budgetwise.services import default_rule_additions_v16 as _v16
from budgetwise.services.default_rule_patterns import set_additions

if TYPE_CHECKING:
    from budgetwise.services.default_rules import DefaultRule

V17_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Energy and water": (
        "waterbedrijf", "drinkwaterbedrijf", "wasserversorgung", "wasserzweckverband", "zweckverband wasser",
        "servizio idrico", "acquedotto", "eau potable", "taxa de lixo", "tari rifiuti",
    ),
}
_LOCAL_TAXES = (
    "tributos municipais", "tributo municipal", "impuesto municipal", "impuestos municipales", "ivtm$",
    "impuesto vehiculos", "impuesto de vehiculos", "impuesto de circulacion", "tributi comunali", "tasse comunali",
    "imposta di bollo", "bollo auto", "tassa automobilistica", "taxe habitation", "taxe d habitation",
    "gemeentebelasting*", "waterschapsbelasting*", "hundesteuer",
    "zweitwohnungsteuer", "zweitwohnungssteuer", "stamp duty", "excise duty", "itax$", "kenya revenue authority",
    "zimra", "zimbabwe revenue",
)
# (group of the rule, the group it goes just before, words): "Taxes" has the sixteenth set's early rule, so its new
# words are an early rule too (numbered after it: no rule's name moves), placed just before "Investments and brokers"
# as that one is, so before "Rent and mortgage", "Parking and car" ("auto") and "Energy and water" ("municipal")
V17_EARLY: tuple[tuple[str, str, tuple[str, ...]], ...] = (("Taxes", "Investments and brokers", _LOCAL_TAXES),)


def seventeenth(name: str) -> list[str]:
    """The seventeenth set's regexes for the group ``name`` that follow its own rules."""
    return set_additions(V17_ADDITIONS, name)


def later_sets(name: str, patterns: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """As ``default_rule_additions_v16.later_sets``, then the seventeenth set's rules after (it removes no word)."""
    kept, own = _v16.later_sets(name, patterns, own)
    return kept, own + seventeenth(name)


def placed_early(
    rules: tuple[DefaultRule, ...], fallback_priority: int, first: int, step: int
) -> tuple[DefaultRule, ...]:
    """``_v16.placed_early``, then each ``V17_EARLY`` rule placed the same way (just before the first rule of the group
    named beside it, numbered after its own group's others); the rules under ``fallback_priority`` numbered again."""
    return _v14.place(_v16.placed_early(rules, fallback_priority, first, step), V17_EARLY, fallback_priority, first,
                      step)
