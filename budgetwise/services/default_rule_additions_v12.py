"""The twelfth default rule set's changes (migration 0031, issue #16, session 20, rulefix; data only): words of
earlier sets that caught other words, written for the general case.

Found by the systematic audit ``tools/default_rule_fragments.py`` (every rule's word fragments that match inside a
longer word, and whole words at the end of a person-to-person line) and by the eleventh set's notes. Two kinds:

- **A brand is not a prefix.** A keyword longer than four letters is a prefix (``default_rule_patterns``), meant for
  inflections and compounds ("grocer" -> "grocery", "restaurant" -> "restaurante"). A brand or a short word is
  not: "comed" (ComEd) caught Spanish "comedor", "strom" caught "Stromboli", "centra" (the Irish grocer) caught
  "central", "interac" caught "interactive", "acqua" caught "acquamarine", "shell" caught "Shelly". These become
  ``word#`` (no letter after it: "SHELL 1234", "SHELL1234" still match). German compounds of "Strom" are
  written out ("Stromrechnung", "Stromabschlag", "Stromkosten" ...).
- **A short word that is also a given name is read only in a phrase.** "luz" (Spanish electricity; the given name
  Luz: "BIZUM A LUZ GARCIA"), "daan" (Hindi donation; the Dutch given name: "TIKKIE DAAN"), "gaz" (French gas;
  LPG at a Polish fuel station): "factura luz", "gupt daan", "facture gaz", "gaz de ..." and so on.

And "totalenergies" leaves "Fuel companies named energy" (read before "Energy and water"): TotalEnergies also sells
electricity and gas ("TOTALENERGIES ELECTRICITE ET GAZ"); a fuel line still gets Transport from the "Fuel" group's own
"totalenergies", read after the energy words.

``V12_REMOVED`` words leave the regex they were in (the rule's other words stay in theirs, ``_patterns_without``);
``V12_ADDITIONS`` are a rule of their own after the group's eleventh-set rules.
"""

from __future__ import annotations

from budgetwise.services.default_rule_patterns import set_additions, set_removals

V12_REMOVED: dict[str, tuple[str, ...]] = {
    "Energy and water": ("comed", "strom", "luz$", "gaz$", "acqua"),
    "Supermarkets and groceries": ("centra",),
    "Transfers (generic)": ("interac",),
    "Fuel": ("shell",),
    "Fuel companies named energy": ("totalenergies",),
    "Gifts and donations": ("daan$",),
}

V12_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Energy and water": (
        "comed#", "acqua#", "strom#", "stromrechnung", "stromabschlag", "stromkosten", "strompreis", "stromlieferung",
        "stromvertrag", "stromanbieter", "stromtarif", "stromversorg*", "stromnetz", "stromabrechnung",
        "stromzahlung", "stromverbrauch",
        "factura luz", "factura de la luz", "pago luz", "pago de luz", "luz y gas", "luz gas", "suministro luz",
        "suministro de luz", "conta luz", "compania de luz", "empresa de luz", "luz del sur",
        "facture gaz", "facture de gaz", "gaz de", "gaz naturel", "gaz et electricite", "gaz electricite",
    ),
    "Supermarkets and groceries": ("centra#",),
    "Transfers (generic)": ("interac#",),
    "Fuel": ("shell#",),
    "Gifts and donations": ("gupt daan", "gupta daan", "anna daan", "annadaan", "vidya daan", "daan patra",
                            "daanpatra"),
}


def twelfth(name: str) -> list[str]:
    """The twelfth set's regexes for the group ``name``."""
    return set_additions(V12_ADDITIONS, name)


def without_removed(name: str, patterns: list[str]) -> list[str]:
    """The group's earlier regexes with its ``V12_REMOVED`` words taken out (a regex left empty is dropped)."""
    return set_removals(V12_REMOVED, name, patterns)
