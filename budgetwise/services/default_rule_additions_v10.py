"""The tenth default rule set's additions (migration 0026, issue #16, session 17, catcold; data only).

Read through ``default_rule_additions`` (``V10_ADDITIONS``, ``V10_PATTERNS``) by ``default_rules._group_patterns``:
each group's tenth-set words and patterns are rules of their own after the group's other rules, numbered after
them (and after the ninth set's early rules), so every ninth-set rule keeps its name, category and pattern.

Written from general knowledge, never from an evaluation file's rows: probes of ~840 invented typical lines
(Canadian, US, Indian, UK, NZ/AU and EU bank text, Indian UPI payee names, notes people type) and the general
gaps the cold confusion on the TUNING sets shows (tools/cold_confusion.py: East African and Latin American
billers, brands and payment words the rules did not know; a co-operative bank read as the Co-op grocer).
Left out after checking: "zain" (a given name), "pln" (also the zloty's code), a bare "pay" (Apple Pay, Google Pay),
"bell" alone (Taco Bell), "rogers" as any word (a surname: "E-TRANSFER TO J ROGERS"), "ICBC" (also a Chinese bank),
"slice", "cred" alone, "vivo" alone (a phone maker; Italian "alive"), "tim" alone, "traders", "trust", "books",
"puja", "fd"/"rd" alone, a sports club (a membership, or a meal at its restaurant), "cashback" (where it goes is a
labelling convention), the glued "fundscharge" of one wallet's fee line, and the names of regions or brands an
evaluation file's documentation mentions (docs/categorization.md, session 17).
"""

from __future__ import annotations

V10_ADDITIONS: dict[str, tuple[str, ...]] = {
    # US military pay (DFAS); Canada's government payments; Germany's, France's, Spain's and Italy's benefit
    # payers; India's subsidies; notes people type
    "Salary and payroll": ("dfas", "mil pay$"),
    "Benefits, pensions and winnings": (
        "gst canada", "canada gst", "gst/hst", "gst credit", "hst credit", "ccb$", "canada child benefit",
        "cpp canada", "canada cpp", "oas canada", "canada oas", "ei canada", "canada ei", "employment insurance",
        "fed govt", "fed gov$", "prov/local gvt", "canada fed$", "canada rit$", "canada pro$", "trillium benefit",
        "ontario trillium", "ca edd", "edd ui", "familienkasse", "bundesagentur", "agentur fur arbeit",
        "rentenversicherung", "steuererstattung", "finanzamt", "krankengeld", "burgergeld", "buergergeld", "wohngeld",
        "jobcenter", "carsat", "cnav$", "agirc", "prime d'activite", "prime activite", "sepe$", "seguridad social",
        "naspi", "assegno unico", "pm kisan", "pmkisan", "dbtl$", "lpg subsidy", "subsidy", "lottery$",
        "side income", "extra income", "other income", "misc income"),
    "Taxes": ("receiver general", "canada revenue", "revenu quebec", "revenue quebec", "ecitizen", "e-citizen",
              "panchayat"),
    "Loan repayments": ("nslsc", "national student loan*", "osap$", "kreditbee", "moneyview", "chit fund*"),
    "Credit card payments": ("mbna", "rogers bank"),
    # savings wallets of mobile money (M-Shwari, Kenya's largest), India's third-party fund transfer (TPFT)
    "Transfers between own accounts": ("tpft", "m-shwari", "mshwari"),
    "Insurance": ("manulife", "canada life$", "great-west life", "great west life", "greatwest life", "belairdirect",
                  "belair direct", "co-operators", "cooperators", "wawanesa", "industrial alliance", "ia financial",
                  "economical ins*", "empire life$", "equitable life$", "sgi canada", "mediclaim"),
    "Phone and internet": (
        "bell mobility", "bell aliant", "bell internet", "bell fibe", "bell tv", "bell mts", "fido mobile",
        "rogers wireless", "rogers comm*", "rogers cable", "safaricom", "databundle*", "zuku", "globacom", "9mobile",
        "etisalat", "ufone", "grameenphone", "banglalink", "globe telecom", "smart communications",
        "telkomsel", "indosat", "viettel", "telcel", "entel$", "tigo$", "vivo fibra", "vivo movel",
        "vivo celular", "telefonica vivo"),
    "Energy and water": (
        "atco$", "union gas", "gazifere", "newfoundland power", "maritime electric", "southern california gas",
        "mseb$", "kplc*", "kenya power", "nairobi water", "tanesco", "umeme", "zesco", "ikeja electric", "ekedc",
        "eko electric", "abuja electric", "ibadan electric", "k-electric", "lesco$", "sui gas", "sngpl", "ssgc$",
        "titas gas", "meralco", "maynilad", "manila water", "pdam$", "gas agency"),
    "Streaming and software subscriptions": ("gotv", "go tv$", "startimes"),
    "Food delivery": ("rappi", "pedidosya"),
    "Restaurants, cafes and bars": ("bakers$",),
    "Fuel": ("autoposto*",),
    "Public transport and taxis": ("ola$", "auto stand", "taxi stand", "cabs$"),
    "Travel": ("homestay",),
    "Rent and mortgage": ("clickpay", "rentmoola", "home mtg", "home mortgage"),
    "Education and childcare": ("examination fee*", "swimming class*", "swim class*", "ignou"),
    "Gifts and donations": ("paypal giving", "donorbox", "benevity", "givewell", "iskcon", "canadahelps", "masjid",
                            "orphanage"),
    "Supermarkets and groceries": ("chicken stall", "chicken centre", "chicken center", "poultry"),
    "Pharmacy and health care": ("ayurved*", "psicolog*", "farm manip*", "manipulacao", "manipulado*"),
    "Entertainment": ("sportpesa", "betika", "odibets", "mozzart", "sportybet", "bet9ja", "hollywoodbets",
                      "dream11"),
    "Shopping": ("textiles", "footwear", "readymades", "tailors", "paints$"),
}
_CO = r"(?:ltd|inc|corp|llc|limited|pty|gmbh|plc|co|bv|sas|srl|sl|ag)"
_BANK = (r"(?:cibc|rbc|td|bmo|scotia|scotiabank|desjardins|tangerine|pc|triangle|capital one|rogers bank|hsbc|mbna|chase"
         r"|citi|barclaycard|barclays|hdfc|icici|sbi|axis|kotak|anz|asb|westpac|bnz|kiwibank|nab|commbank|cba)")
V10_PATTERNS: dict[str, tuple[str, ...]] = {
    # a company's pay run ("ACME LTD PAY", "PAY ACME CANADA INC"); an Indian salary note between separators
    # ("NEFT-ACME-SAL-JAN")
    "Salary and payroll": (rf"\b{_CO}\.? (?:pay|wages?)$|^pay .{{1,40}}\b{_CO}\b|[-/]sal(?:[-/ ]|$)",),
    # the bank's card bill named by bank and network ("CIBC VISA", "BMO MASTERCARD"), not a purchase with the card
    "Credit card payments": (rf"\b{_BANK}\W{{0,3}}(?:visa|mastercard|master card)(?: (?:bill payment|payment|pmt|pymt"
                             r"|bill|autopay|epay))?(?: ?[\dx*#-]+)?$",),
    # a co-operative bank is a bank, not the Co-op grocer (UK, Kenya, India's many co-operative banks); a cash deposit
    # at a banking or mobile-money agent is one's own money moved in
    "Transfers between own accounts": (
        r"\bco-?op(?:erative)? ?bank|\b(?:deposit|cash in)(?: of (?:funds|cash))? (?:at|from|via) (?:an? )?agent\b",),
    # a bill payment to Rogers (a surname too: only as the payee of a bill, or first; "ROGERS BANK" is a card's bill)
    # Claro (Latin America's largest telecom) as the payee, first; "Claro" is also a given name (the Philippines)
    "Phone and internet": (r"^(?:(?:bill |online |pre-?authorized |misc )?payments? (?:to )?)?rogers\b|^claro\b",),
    "Energy and water": (r"\bhydro(?:\W{1,3}[a-eg-z0-9]|\W{0,3}$)",),  # Canada's word for the electricity bill
}
