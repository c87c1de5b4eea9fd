"""The sixteenth default rule set's changes (migration 0038, issue #16, session 25, cat25; data only): error classes
that are general (many countries' bank text), written from general knowledge, never to match an evaluation row.

- **A charge line glued to its payment word is a fee** ("Transfer of Funds" + "Charge" run together, "WithdrawalCharge",
  "TRANSFER CHARGE", "TRANSACTION CHARGES"): statements converted from PDF join a wrapped "Charge" to the word before
  it, so the generic "charge" (a whole word) missed it and the line's "transfer" made it a transfer. A new group,
  "Charges beside a payment" (fees), placed just before "Credit card payments" (so before every transfer group): a
  group of its own, so one household's hundreds of such lines do not move the calibrated confidence of every bank-fee
  word (leave one data set out: they raised "Bank fees and charges" where another household's IOF is travel).
- **A bill payment to a bank, a SACCO or a microfinance bank is a transfer** (mobile money's "Pay Bill to 522522 -
  KCB Acc. …", a bank's name with "Acc." glued to it, "… STIMA SACCO", "… FAULU MICROFINANCE", a name ending in "MFB"): money moved into a
  savings or loan account; a new group "Bill paid to a bank or SACCO" (transfers, its own confidence as above) placed
  just before "Investments and brokers", so before the phone group (whose "mtn" read "MTN SACCO" as a phone bill).
- **A bill payment whose account reference is airtime is a phone top-up** ("JAMBOPAY ACC AIRT07…": an aggregator's
  reference names the biller; "KPLC", "DSTV" and the like were read already wherever they stand).
- **National health insurance is health** (Kenya's SHA and NHIF, Ghana's and Nigeria's NHIS, PhilHealth): an EARLY
  rule of "Pharmacy and health care" placed just before "Insurance" (whose "~insur" reads "NATIONAL HEALTH
  INSURANCE"); private insurers stay insurance. **Social-security contributions are taxes** (NSSF, URSSAF, the UK's
  National Insurance contributions, Spain's "Seguridad Social"/"cuota autónomos", Brazil's "GPS INSS", Poland's ZUS,
  Italy's "contributi INPS", the Swiss AHV/AVS): a rule of "Taxes", which reads before "Insurance".
- **Investment and retirement words are no spending** (an expense line "Capital Gains …" is a loss booked by an
  investment app; PPR, PGBL/VGBL, 401(k), IRA, ISA, SIPP, Riester, "assurance vie", "plan de pensiones"): a rule of
  "Investments and brokers" (transfers); "capital gains tax" is a tax, an EARLY rule of "Taxes" placed just before
  "Investments and brokers".
- **A building's or owners' association's fees are housing** ("Building administration", "condominium", "owners
  corporation", "syndic de copropriété", "comunidad de propietarios", "spese condominiali", "VvE", "Hausverwaltung",
  "bostadsrättsförening"): a rule of "Rent and mortgage" (the structure called such a fixed monthly debit a
  subscription).
- **Postal and parcel carriers** (USPS, Royal Mail, Canada Post, Australia Post, Correios, DHL, FedEx, …): one
  treatment with the fifteenth set's couriers, transport; a new group "Postal and courier services" (its own
  calibrated confidence: households file postage several ways) placed just before "Travel".
- **A credit card's statement paid in Brazil** ("DEB AUTOM DE FATURA", "PAGTO FATURA CARTAO") is a card payment;
  "fatura" alone stays out (a phone bill is a "fatura" too).
- Words of one kind that were missing: Swahili "kinyozi"/"saluni" (barber, salon) and "duka la dawa" (pharmacy), "mama
  mboga" (greengrocer); the São Paulo transit card as top-up apps print it ("BILHUNICO"); Enel's Brazilian
  distributors with their state glued ("ENELSP", "ENELRJ", "ENELCE"); the pharmacy chain's legal name ("RAIADROGASIL").

``V16_ADDITIONS`` and ``V16_PATTERNS`` are a rule after the group's fifteenth-set rules; each ``V16_EARLY`` rule (of
words) and ``V16_EARLY_PATTERNS`` rule (a regex) is numbered after every other rule of its group (a group of
``V16_NEW_GROUPS`` from 1) and placed just before the first rule of the group named beside it; a group that had an
earlier set's early rule gets its new words as an early rule too, so no rule's name moves. Nothing is removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from budgetwise.services import default_rule_additions_v14 as _v14
from budgetwise.services import default_rule_additions_v15 as _v15
from budgetwise.services.default_rule_patterns import set_additions

if TYPE_CHECKING:
    from budgetwise.services.default_rules import DefaultRule

V16_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Credit card payments": (
        "deb autom de fatura", "debito automatico de fatura", "debito automatico fatura", "fatura cartao",
        "fatura do cartao", "fatura de cartao", "pagto fatura cartao", "pgto fatura cartao", "pagamento fatura cartao",
    ),
    "Investments and brokers": (
        "capital gain", "capital gains", "capital loss", "capital losses", "ppr$", "plano poupanca reforma", "pgbl$",
        "vgbl$", "401k", "401(k)", "roth ira", "traditional ira", "ira contrib*", "stocks and shares isa",
        "stocks & shares isa", "lifetime isa", "cash isa", "sipp$", "pension contribution", "riester", "assurance vie",
        "plan de pensiones", "plan pensiones", "fondo pensione", "zerodha", "kuvera",
    ),
    "Taxes": (
        "nssf", "urssaf", "social security contribution*", "social security tax", "national insurance contribution*",
        "ni contribution*", "sozialversicherung*", "seguridad social", "tgss$", "cuota autonomo*",
        "cotizacion autonomo*", "gps inss", "inss contribuinte", "guia da previdencia", "contributi inps",
        "cotisations sociales", "skladki zus", "skladka zus", "zaklad ubezpieczen spolecznych", "ahv beitrag", "ahv/iv", "avs/ai",
        "sss contribution",
    ),
    "Rent and mortgage": (
        "building administration", "building management", "condominium", "condo association", "condo assoc",
        "owners corporation", "owners corp", "strata corp*", "strata plan", "syndic$", "syndic de copropriete",
        "copropriete", "charges copro*", "comunidad de propietarios", "comunidad propietarios", "cuota comunidad",
        "cuota de comunidad", "administracion de fincas", "administracao de condominio", "administradora de condominio*",
        "taxa condominial", "spese condominiali", "amministrazione condominio", "amministrazione condominiale",
        "vve$", "vereniging van eigenaren", "hausverwaltung", "wohnungseigentumergemeinschaft", "bostadsrattsforening",
        "borettslag", "yhtiovastike", "wspolnota mieszkaniowa",
    ),
    "Pharmacy and health care": ("raiadrogasil", "duka la dawa"),
    "Personal care": ("kinyozi", "saluni"),
    "Energy and water": ("enelsp", "enelrj", "enelce"),
}

V16_PATTERNS: dict[str, tuple[str, ...]] = {
    # a bill payment whose account reference is airtime ("Acc.AIRT07…", "ACC AIRTIME 07…")
    "Phone and internet": (r"\bacc\.? ?(?:airtime|airt)(?:\d|\b)",),
}

# a payment word and "charge(s)", glued by a PDF's line wrap or not: the fee line printed beside a transfer, a
# withdrawal or a bill payment (a group of its own, so one household's many such lines do not move the confidence
# of every bank-fee word)
_CHARGES = (
    "transfer of funds charge", "funds charge", "fundscharge", "transfer charge", "transfercharge",
    "withdrawal charge", "withdrawalcharge", "pay bill charge", "paybill charge", "paybillcharge",
    "send money charge", "sendmoneycharge", "transaction charge", "transactioncharge", "txn charge",
)
_NATIONAL_HEALTH = (
    "nhif", "nhis$", "philhealth", "social health authority", "social health insurance", "national health insurance",
    "sha contribution", "sha acc", "shaacc",
)
_POSTAL = (  # postal services and parcel carriers of many countries (a carrier moves a parcel: transport, as couriers)
    "usps", "royal mail", "parcelforce", "evri", "yodel", "canada post", "postes canada", "purolator", "canpar",
    "australia post", "auspost", "startrack", "sendle", "couriers please", "nz post", "nzpost", "correios", "sedex",
    "jadlog", "correos express", "la poste", "colissimo", "chronopost", "mondial relay", "relais colis",
    "deutsche post", "dhl", "dpd", "hermes versand", "postnl", "bpost", "postnord", "posten norge", "inpost",
    "poczta polska", "packeta", "fedex", "ups store", "the ups store", "ups.com", "tnt express", "aramex", "blue dart",
    "bluedart", "delhivery", "dtdc", "india post", "speed post", "ecom express", "xpressbees",
    "courier guy", "postage", "courier service*", "courier charge*", "courier delivery", "couriers",
    "stamps.com", "pitney bowes",
)
# (group of the rule, the group it goes just before, words): numbered after every other rule of its group
V16_EARLY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Charges beside a payment", "Credit card payments", _CHARGES),
    ("Pharmacy and health care", "Insurance", _NATIONAL_HEALTH),
    ("Taxes", "Investments and brokers", ("capital gains tax", "capital gain tax", "capital gains withholding")),
    ("Postal and courier services", "Travel", _POSTAL),
    # groups with earlier sets' early rules: a rule of their own placed early too, so no rule's name moves
    ("Public transport and taxis", "Phone and internet", ("bilhunico", "bilh unico")),
    ("Supermarkets and groceries", "Personal care", ("mama mboga",)),
)
# (group, the group it goes just before, regexes): the same, a rule per regex
V16_EARLY_PATTERNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # a bill payment (mobile money's "Pay Bill") to a bank, a SACCO or a microfinance bank: money into an account
    ("Bill paid to a bank or SACCO", "Investments and brokers", (
        r"\bpay ?bill\b.{0,40}(?:\bbank|sacco|mfb\b|micro ?finance)"
        r"|\bpay ?bill\b.{0,40}\b(?:equity|kcb|co-?op|stanbic|ncba|absa|dtb|family bank)",
    )),
)
V16_NEW_GROUPS: dict[str, tuple[str, str | None]] = {
    "Postal and courier services": ("Transport", "expense"),
    "Charges beside a payment": ("Fees", "expense"),
    "Bill paid to a bank or SACCO": ("Transfers", "expense"),
}


def sixteenth(name: str) -> list[str]:
    """The sixteenth set's regexes for the group ``name`` that follow its own rules."""
    return set_additions(V16_ADDITIONS, name) + list(V16_PATTERNS.get(name, ()))


def later_sets(name: str, patterns: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """As ``default_rule_additions_v15.later_sets``, then the sixteenth set's rules after (it removes no word)."""
    kept, own = _v15.later_sets(name, patterns, own)
    return kept, own + sixteenth(name)


def placed_early(
    rules: tuple[DefaultRule, ...], fallback_priority: int, first: int, step: int
) -> tuple[DefaultRule, ...]:
    """``_v15.placed_early``, then each ``V16_EARLY`` rule placed the same way (just before the first rule of the group
    named beside it, numbered after its own group's others); the rules under ``fallback_priority`` numbered again."""
    words = _v14.place(_v15.placed_early(rules, fallback_priority, first, step), V16_EARLY, fallback_priority,
                       first, step, new=V16_NEW_GROUPS)
    return _v14.place(words, V16_EARLY_PATTERNS, fallback_priority, first, step, new=V16_NEW_GROUPS, regexes=True)
