"""The fifteenth default rule set's changes (migration 0036, issue #16, session 24, cat24; data only): error classes
that are general (many countries' bank text), written from general knowledge, never to match an evaluation row.

- **A transit card's top-up is transport, not a phone's** ("METRO CARD RECHARGE", "BUS CARD RECHARGE", "RECARGA
  BILHETE UNICO", "RECARGA SUBE", "RECHARGE NAVIGO"): "Phone and internet" reads a bare "recharge"/"recarga" and came
  before the transport group's "metro recharge". An EARLY rule of "Public transport and taxis", placed just before
  "Phone and internet" (as the fourteenth set placed FASTag).
- **A utility word beats a travel brand**: "<name> GAS CO/CORP/LIGHT", "<name> ELEC CO" are a gas or power utility
  whatever the name; a travel brand followed by a gas or power word ("SOUTHWEST GAS", "HAWAIIAN ELEC", "DELTA GAS")
  is the utility (rules of "Energy and water", which comes before "Travel"). "southwest" leaves "Travel" and comes
  back as a brand, not a prefix ("southwest#": "Southwestern Bell", "Southwestern Electric" are not flights).
- **A courier or pick-up-and-drop service is transport, not a meal or groceries** ("SWIGGY GENIE", "UBER CONNECT",
  Lalamove, Borzo, GoSend, Grab Express, Loggi, Shadowfax): an EARLY rule of "Public transport and taxis" placed
  just before "Food delivery" (whose "swiggy" stays dining); "swiggy genie" leaves "Supermarkets and groceries".
- **French and Belgian transfer forms**: "VIRT", "VIRMT" (abbreviated "virement"), "ordre permanent" (a Belgian
  standing order), "ordre de virement", "virement interne"; "domiciliation" (a Belgian or French direct debit) joins
  the direct-debit guess.
- **Money received from people is income** (one treatment, session 24): a credit whose text says it was *received
  from* someone ("RECEIVED FROM", "PAYMENT RECEIVED", "FUNDS RECEIVED", mobile money's "BUSINESS PAYMENT FROM", "PIX RECEBIDO", "TED
  RECEBIDA", "TRANSFERENCIA RECIBIDA", "VIREMENT RECU", "BONIFICO RICEVUTO", "ZELLE FROM", "FROM MOM", a friend's
  "PAID BACK") is Other Income: a new group "Money received from people" (income; its own calibrated confidence) placed just
  before "Transfers (generic)". "Transfers" never count as income or spending, and are meant for money moving between
  one's own accounts; money from another person changes what the household has. Every purpose word comes first
  (salary, refunds, rent from a tenant, interest, a card payment's "PAYMENT RECEIVED THANK YOU"), and so does every
  own-account form ("TRANSFER FROM SAVINGS", "from own account": "Transfers between own accounts"); the same words
  on a debit stay "Transfers (generic)". A loan received stays a transfer (a debt, not income: an EARLY rule of
  "Transfers (generic)" just before the new group). The rule's confidence
  is calibrated like every rule's, so a household that files such credits otherwise sees them in review.

``V15_REMOVED`` words leave the regex they were in; ``V15_ADDITIONS`` and ``V15_PATTERNS`` are a rule after the
group's fourteenth-set rules; each ``V15_EARLY`` rule is numbered after every other rule of its group (a group of
``V15_NEW_GROUPS`` from 1) and placed just before the first rule of the group named beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v14 as _v14
from budgetwise.services.default_rule_patterns import set_additions, set_removals

if TYPE_CHECKING:
    from budgetwise.services.default_rules import DefaultRule

V15_REMOVED: dict[str, tuple[str, ...]] = {
    "Travel": ("southwest",),
    "Supermarkets and groceries": ("swiggy genie",),
}

V15_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Travel": ("southwest#",),
    "Energy and water": (
        "gas co$", "gas corp", "gas company", "gas light", "gas & light", "gas utility", "gas dept", "gas service co",
        "elec co$", "elec coop*", "electric coop*", "elec bill", "elec util*", "elec & gas", "gas & elec*",
        "gas and elec*", "light & power", "light and power",
    ),
    "Transfers (generic)": (
        "virt$", "virmt$", "ordre permanent", "ordre de virement", "virement interne", "vir interne",
    ),
    "Direct debit to an unknown payee (guess)": ("domiciliation", "domicil$"),
}

# a travel brand (an airline, a travel group) followed by a gas or power word is the utility of that name
_TRAVEL_NAMES = (
    "southwest", "delta", "united", "american", "alaska", "hawaiian", "spirit", "frontier", "emirates", "virgin",
    "piedmont", "atlantic", "pacific", "continental", "allegiant", "sun country",
)
V15_PATTERNS: dict[str, tuple[str, ...]] = {
    "Energy and water": (rf"\b(?:{'|'.join(_TRAVEL_NAMES)})(?:[a-z]{{0,3}})? (?:gas|elec|electric|power)\b",),
}

_TRANSIT_TOP_UP = (
    "metro recharge", "metro card", "metrocard", "metro smart card", "bus card", "transit card", "transport card",
    "navigo", "bilhete unico", "recarga bilhete", "recarga transporte", "recarga metro", "recarga sube", "tarjeta sube",
    "recarga bip", "tarjeta bip", "recarga tarjeta transporte", "recarga tarjeta metro", "recarga cartao transporte",
    "recarga vale transporte", "recarga abono transporte", "ricarica metro", "ricarica abbonamento",
)
_COURIERS = (  # same-day courier and pick-up-and-drop services (a driver moves a parcel, not a meal)
    "swiggy genie", "uber connect", "uber *connect", "uber* connect", "lalamove", "borzo", "wefast", "mrspeedy",
    "grab express", "grabexpress", "gosend", "go-send", "loggi", "shadowfax", "pick up and drop", "pick and drop",
    "pickup and drop", "pickup drop", "gogox", "gogovan",
)
_RECEIVED_FROM_PEOPLE = (
    "received from", "payment received", "money received", "funds received", "business payment from", "rcvd from",
    "recd from", "pix recebido", "pix recebida", "pix receb", "ted recebida", "ted recebido", "doc recebido",
    "transferencia recibida", "transferencia recebida", "transf recebida", "bizum recibido", "virement recu",
    "vir recu", "vir sepa recu", "vir inst recu", "virt recu", "bonifico ricevuto", "bonifico a vostro favore",
    "zelle from", "zelle payment from", "venmo from", "venmo payment from", "cash app from", "e-transfer received", "etransfer received", "e-transfer from",
    "etransfer from", "interac received",
    "upi credit from", "paid back", "pay back", "settle up", "splitwise", "owe you",
    "from dad", "from mom", "from mum", "from parents", "from friend", "from daughter", "from son", "from brother",
    "from sister", "from husband", "from wife", "from grandma", "from grandpa", "from papa", "from mummy",
    "from mommy", "from amma", "from appa", "from bhai", "from bhaiya", "from didi", "from dadi", "from nani",
    "from bro", "from sis",
)
_LOANS = (  # a loan paid out is a debt, not income: read just before the money received from people
    "loan received", "loan disbursement", "loan disbursal", "loan from", "loan credit", "loan proceeds",
    "loan amount", "disbursement",
)
# (group of the rule, the group it goes just before, words): numbered after every other rule of its group
V15_EARLY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Public transport and taxis", "Phone and internet", _TRANSIT_TOP_UP),
    ("Public transport and taxis", "Food delivery", _COURIERS),
    ("Money received from people", "Transfers (generic)", _RECEIVED_FROM_PEOPLE),
    ("Transfers (generic)", "Money received from people", _LOANS),
)
V15_NEW_GROUPS: dict[str, tuple[str, str | None]] = {"Money received from people": ("Other Income", "income")}


def fifteenth(name: str) -> list[str]:
    """The fifteenth set's regexes for the group ``name`` that follow its own rules."""
    return set_additions(V15_ADDITIONS, name) + list(V15_PATTERNS.get(name, ()))


def later_sets(name: str, patterns: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """As ``default_rule_additions_v14.later_sets``, then the fifteenth set's removed words and its rules after."""
    kept, own = _v14.later_sets(name, patterns, own)
    return set_removals(V15_REMOVED, name, kept), own + fifteenth(name)


def placed_early(
    rules: tuple[DefaultRule, ...], fallback_priority: int, first: int, step: int
) -> tuple[DefaultRule, ...]:
    """``_v14.placed_early``, then each ``V15_EARLY`` rule placed the same way (just before the first rule of the group
    named beside it, numbered after its own group's others); the rules under ``fallback_priority`` numbered again."""
    return _v14.place(_v14.placed_early(rules, fallback_priority, first, step), V15_EARLY, fallback_priority,
                      first, step, new=V15_NEW_GROUPS)
