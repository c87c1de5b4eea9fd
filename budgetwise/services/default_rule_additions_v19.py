"""The nineteenth default rule set's changes (migration 0047, issue #16, session 28, rules28; data only): words of the
seventeenth and eighteenth sets that read other things, narrowed to the sense they were written for. Written from
general knowledge of bank text, never to match an evaluation row.

- **A card scheme's name before "online payment" and a merchant is a purchase**: some banks print a card purchase
  made online as "VISA ONLINE PAYMENT NETFLIX.COM"; the eighteenth set's "VISA/MASTERCARD/AMEX ONLINE PMT" read it as
  a card payment (Transfers), so the spending left the reports. The card payment keeps the phrase when nothing but a
  reference follows ("BK OF AMER VISA ONLINE PMT CKF812", "AMEX ONLINE PAYMENT 0042"); "PAYMENT THANK YOU", "CREDIT
  CARD PAYMENT", "AUTOPAY" are read by the group's earlier rules as before. The generic transfer word "online payment"
  no longer reads it after a card scheme either, so a purchase at a merchant the rules do not know is the card
  purchase guess, as "VISA PURCHASE …" is.
- **A given name is no gift**: "shagun" (gift money at an Indian wedding or festival) is also a common given name
  ("UPI/…/SHAGUN SHARMA/…", "SHAGUN SAREES"; the ninth set had left it out for that reason). It reads only in a gift
  phrase: "shagun gift/money/envelope/lifafa", an occasion before or after it ("WEDDING SHAGUN", "SHAGUN FOR … SHAADI").
  The same for the eighteenth set's "harambee" (a fundraising contribution, also the name of a large Kenyan SACCO,
  streets and the national football team): "HARAMBEE CONTRIBUTION", "HARAMBEE FOR …", "MICHANGO YA HARAMBEE".
- **A surname is no thirteenth month**: "aguinaldo" (the Christmas bonus of Spanish-speaking countries and the
  Philippines' 13th-month pay) is also a common Filipino surname ("TRANSFER FROM MARIA AGUINALDO"). It reads only
  beside a pay word or a time ("PAGO AGUINALDO", "AGUINALDO NAVIDAD", "AGUINALDO DIC 2026", "SAC AGUINALDO"). The
  Philippines' payroll writes it in English, "13TH MONTH PAY": "13th/thirteenth month" is salary.
- **A cylinder is cooking gas only where gas is named**: the eighteenth set's "cylinder refill" (and the sixth set's
  "cylinder booking") read "OXYGEN CYLINDER REFILL", "CO2 CYLINDER REFILL" as a utility. "gas/LPG cylinder", "LPG
  refill/booking", "gas booking" and the LPG brands were read already; "cooking gas" and "domestic gas" are added.
- **A general store named after one of its departments is a store**: "tire" (a tyre shop is the car's) read "CANADIAN
  TIRE" (a general merchandise store: hardware, sports, home and car parts) as Transport, before the Shopping group's
  "canadian tire" (the treatment the first set chose) was read. "tire" no longer reads after "canadian" or "cdn" (a
  statement's short form, "CDN TIRE STORE", added to the Shopping group: a rule of its own); a fuel
  station's "gas bar" (Canadian English; "CANADIAN TIRE GAS BAR" was read as a bar: Dining) is fuel, an early rule of
  "Fuel" just before "Restaurants, cafes and bars".
- **A tax refund is a refund** (one treatment): "IRD REFUND", "HMRC TAX REFUND", "TAX REFUND" were Refunds already (the
  refund group reads first); the forms without the word "refund" were other income: "TAX REF" (the US Treasury's
  "IRS TREAS 310 TAX REF"), "CANADA RIT" (the Canada Revenue Agency's income tax refund), "Steuererstattung". They and
  tax refunds of other languages (Portuguese "restituição", Dutch "teruggaaf/teruggave", Swedish "skatteåterbäring",
  Finnish "veronpalautus", Danish "overskydende skat") are Refunds; the Benefits group's tax-refund words, which never
  answered, leave it. A tax authority's bare name on a credit ("IRD", "ATO", "FINANZAMT") keeps the earlier sets'
  treatment (other income: the same payer sends benefits and credits).

``V19_REMOVED`` words leave the regex they were in; ``V19_ADDITIONS`` and ``V19_PATTERNS`` are a rule after the
group's earlier rules; ``V19_REWRITTEN`` gives an eighteenth-set rule a new regex under its name; a ``V19_EARLY`` or
``V19_EARLY_PATTERNS`` rule is numbered after every other rule of its group and placed just before the first rule of
the group named beside it (for "Parking and car" and "Transfers (generic)", whose earlier sets placed a rule early, the
group that follows them: a rule after their own would have renamed the early one). No rule's name moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v14 as _v14
from budgetwise.services import default_rule_additions_v18 as _v18
from budgetwise.services.default_rule_patterns import _drop_words, set_additions, set_removals

if TYPE_CHECKING:
    from budgetwise.services.default_rules import DefaultRule

CARD_SCHEMES = ("visa", "mastercard", "amex", "maestro")
_OCCASIONS = "wedding|shaadi|shadi|marriage|vivah|engagement|birthday|diwali|tilak|roka|mundan"
_TAX_REFUND_WORDS = ("tax ref$", "tax refund", "state tax refund", "ird refund", "hmrc refund", "steuererstattung",
                     "canada rit$")


def not_after(words: tuple[str, ...], phrase: str) -> str:
    """A regex matching ``phrase`` (a regex starting at a word's start) where the word right before it is none of
    ``words`` (lower-case letters and digits). The rule engine has no lookbehind, so the word before is read backwards
    letter by letter: a word that ends otherwise, a shorter end after a non-letter or the text's start, or a longer
    word ending in one of ``words``."""
    trie: dict[str, set[str]] = {"": set()}
    for w in words:
        for i in range(1, len(w) + 1):
            trie.setdefault(w[-i:], set())
            trie[w[-i + 1:] if i > 1 else ""].add(w[-i])
    ends = [f"[^{''.join(sorted(trie['']))}]"]
    for tail in sorted(trie, key=lambda t: (len(t), t)):
        if not tail:
            continue
        before = "".join(sorted(trie[tail]))
        if tail in words:
            others = "".join(sorted(set("abcdefghijklmnopqrstuvwxyz0123456789") - set(before)))
            ends.append(f"[{_ranges(others)}]{tail}")
        else:
            ends.append(f"(?:^|[^{before}]){tail}")
    return f"(?:^|[^a-z0-9 ]|(?:{'|'.join(ends)}) ){phrase}"


def _ranges(chars: str) -> str:
    """A character class's body for ``chars`` (sorted letters and digits) with runs written as ranges."""
    out, run = [], [chars[0]]
    for c in chars[1:]:
        if ord(c) == ord(run[-1]) + 1:
            run.append(c)
        else:
            out.append(run)
            run = [c]
    out.append(run)
    return "".join(r[0] if len(r) == 1 else f"{r[0]}{r[-1]}" if len(r) == 2 else f"{r[0]}-{r[-1]}" for r in out)


V19_REMOVED: dict[str, tuple[str, ...]] = {
    "Gifts and donations": ("shagun", "harambee"),
    "Salary and payroll": ("aguinaldo",),
    "Energy and water": ("cylinder refill", "refill cylinder", "cylinder booking"),
    "Parking and car": ("tire", "tires"),
    "Transfers (generic)": ("online payment",),
    "Benefits, pensions and winnings": _TAX_REFUND_WORDS,
}
V19_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Energy and water": ("cooking gas", "domestic gas"),
    "Salary and payroll": ("13th month$", "thirteenth month$"),
    "Shopping": ("cdn tire",),
    "Refunds and reversals": (
        "tax ref$", "~steuererstattung", "~steuerruckerstattung", "~steuerrueckerstattung", "canada rit$",
        "restituicao", "belastingteruggaaf", "belastingteruggave", "teruggaaf", "teruggave", "skatteaterbaring",
        "veronpalautus", "overskydende skat",
    ),
    "Card purchase at an unknown merchant (guess)": tuple(
        f"{scheme} online {word}" for scheme in CARD_SCHEMES for word in ("payment", "pmt$")),
}
V19_PATTERNS: dict[str, tuple[str, ...]] = {
    "Gifts and donations": (
        rf"\bshagun (?:gift|money|envelope|lifafa|amount|cash)\b|\b(?:{_OCCASIONS}) shagun\b"
        rf"|\bshagun\b.{{0,30}}\b(?:{_OCCASIONS})\b",
        r"\bharambee (?:contribution|contrib|donation|fund|fundraiser|for|ya|kwa)\b"
        r"|\b(?:contribution|contrib|donation|michango) (?:ya |to |for |kwa )?harambee\b",),
    "Salary and payroll": (
        r"\b(?:pago|pgo|abono|deposito|sueldo|salario|nomina|sac|medio|bono) (?:de |del )?aguinaldo\b"
        r"|\baguinaldo (?:de |del )?(?:navidad|diciembre|dic|junio|jun|20\d\d|sac|sueldo|salario|nomina|empleados"
        r"|anual|proporcional|1er|2do|primer|segundo|medio)\b",),
}
# {group: {the eighteenth set's regex: the nineteenth's}}: the card issuer's payment written issuer first stays a card
# payment only where no merchant follows the phrase (a reference word or code, a masked number, a date, a number or
# the end)
V19_REWRITTEN: dict[str, dict[str, str]] = {
    "Credit card payments": {
        _v18.V18_PATTERNS["Credit card payments"][0]:
            r"\bdiscover\b.{0,20}\be-?payment\b|\b(?:visa|mastercard|amex) online (?:pmt|payment)[ .:*/#-]*"
            r"(?:$|[0-9]|(?:ref|reference|conf|confirmation|id|ckf|trace|thank|txn|trn|trx|ach|(?:web|ppd|ccd|tel)"
            r" id)\b|[a-z]{1,4}[0-9]|x{1,16}[0-9]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) ?[0-9])",
    },
}
# a fuel station's "gas bar" (Canadian English) was read by the bars of "Restaurants, cafes and bars", before "Fuel"
V19_EARLY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Fuel", "Restaurants, cafes and bars", ("gas bar$", "gasbar$", "canadian tire gas")),
)
# rules of groups whose earlier sets placed a rule early (numbered after the group's others, so a rule after the
# group's own would rename it): written as regexes, placed at the group's end (just before the group that follows
# it) and numbered after every other rule of the group
V19_EARLY_PATTERNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # "tire(s)" as the group read it ("tire" a word, "tires" with a suffix), not in "Canadian Tire" ("CDN TIRE")
    ("Parking and car", "Travel", (not_after(("canadian", "cdn"), r"(?:tire\b|tires)"),)),
    # the generic transfer word, not after a card scheme (a purchase: the card purchase guess reads it)
    ("Transfers (generic)", "Card purchase at an unknown merchant (guess)", (not_after(CARD_SCHEMES, "online payment"),)),
)


def nineteenth(name: str) -> list[str]:
    """The nineteenth set's regexes for the group ``name`` that follow its own rules."""
    return set_additions(V19_ADDITIONS, name) + list(V19_PATTERNS.get(name, ()))


def later_sets(name: str, patterns: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """As ``default_rule_additions_v18.later_sets``, then the nineteenth set's rewritten regexes, its removed words
    (from every regex of the group) and its rules after."""
    kept, own = _v18.later_sets(name, patterns, own)
    rewritten = V19_REWRITTEN.get(name, {})
    own = [rewritten.get(p, p) for p in own]
    # the later sets' own rules lose the words too, where a rule is made of word blocks only (a hand-written regex,
    # "Salary and payroll (8)", is left whole: none holds a removed word)
    own = [q for p in own for q in (set_removals(V19_REMOVED, name, [p]) if _drop_words(p, ()) == p else [p])]
    return set_removals(V19_REMOVED, name, kept), own + nineteenth(name)


def placed_early(
    rules: tuple[DefaultRule, ...], fallback_priority: int, first: int, step: int
) -> tuple[DefaultRule, ...]:
    """``_v18.placed_early``, then each ``V19_EARLY`` rule placed the same way (just before the first rule of the group
    named beside it, numbered after its own group's others); the rules under ``fallback_priority`` numbered again."""
    rules = _v14.place(_v18.placed_early(rules, fallback_priority, first, step), V19_EARLY, fallback_priority, first,
                       step)
    return _v14.place(rules, V19_EARLY_PATTERNS, fallback_priority, first, step, regexes=True)

