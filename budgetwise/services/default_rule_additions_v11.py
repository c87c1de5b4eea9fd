"""The eleventh default rule set's additions (migration 0030, issue #16, session 20, coldwords; data only).

Read by ``default_rules._group_patterns`` through :func:`eleventh`: each group's eleventh-set words and patterns
are rules of their own after the group's tenth-set rules, numbered after them, so no earlier rule changes its name,
category or pattern. Every group here already carries a direction (salary, pensions, interest and refunds only on
credits; rent, utilities, school fees and donations only on debits; own-account transfers either way).

Payment words of more languages, written from general knowledge of bank statements (probe lines in
``tools/default_rule_words.py``), never from an evaluation row: Nordic, Czech, Polish, Turkish, Malay/Indonesian,
Swahili, Hindi romanised, Spanish (Argentina's "haberes"), Romanian, Hungarian and German forms. Words with "ø" or
"ł" are written with them (in ``V11_PATTERNS``): folding removes accents, not those letters ("LØNN" folds to "lønn").

Left out or narrowed after checking: a bare "plat" (French "dish", Czech "platba" = any payment; only before a
month or "za"), a bare "maaş" (the Dutch surname Maas; only with "ödeme", a month, or as "maaşı" not after
"emekli", which is a pension), a bare "kira" (a given name; "kira ödemesi", "kira bedeli", "kirası"), a bare
"kodi" (Swahili for tax as much as rent: "kodi ya nyumba"), a bare "don" (Spanish "Don Julio"; "don mensuel" ...),
"remuneração" (Brazil's banks also name an investment's yield so), a bare "faiz" (a given name, "UPI/FAIZ KHAN"; "mevduat faizi"), a bare "renter" (English: "RENT FROM RENTER"), a bare
"bunga" (flower, a name), "sewa" alone (car hire too), "wynajem" alone (car rental too), "daan" (a Dutch given
name), "caritas" (also a care provider), "nav" (net asset value), "gaz" and "elektrik" alone (LPG at a fuel
station, a car electrician). The Dutch/Nordic "rente" (interest) and the German "Rente" (pension): the interest
words with their context ("rente spaar...", "creditrente", "rentebijschrijving", "kreditrente") are interest, read
before the pension rule; a bare "RENTE" stays a pension (the ninth set's rule, unchanged), the German forms
("Rentenzahlung", "Altersrente", "Rentenservice") are pensions too.
"""

from __future__ import annotations

from budgetwise.services.default_rule_patterns import _patterns

# month names, folded: Czech (also Polish "listopad") and Turkish
_CZ_MONTHS = "leden|unor|brezen|duben|kveten|cerven|cervenec|srpen|zari|rijen|listopad|prosinec|mesic"
_TR_MONTHS = "ocak|subat|mart|nisan|mayis|haziran|temmuz|agustos|eylul|ekim|kasim|aralik"
_NORDIC_MONTHS = ("januar|februar|marts|mars|april|maj|mai|juni|juli|august|september|oktober|november|december"
                  "|desember")
# a previous word that is not "emekli" (retired: "emekli maaşı" is a pension), written without lookbehind (RE2)
_NOT_EMEKLI = r"(?:^|(?:[^i]|[^l]i|[^k]li|[^e]kli|[^m]ekli|[^e]mekli|\Semekli) )"

V11_ADDITIONS: dict[str, tuple[str, ...]] = {
    "Interest and dividends received": (
        # Dutch and Nordic interest (with its context: a bare "rente" is also the German pension)
        "creditrente*", "rentebijschrijving", "rente bijschrijving", "ontvangen rente", "spaarrente*", "rente spaar*",
        "rentevergoeding", "kreditrente*", "innskuddsrente*", "indlansrente*", "rentetilskrivning", "renteinntekt*",
        # Czech, Polish, Turkish, Malay/Indonesian, Hindi, Nordic/Finnish and Swahili interest and dividends
        "uroky", "urok$", "pripsane uroky", "odsetek", "dywidend*", "mevduat faiz*", "faiz geliri", "temettu",
        "bunga tabungan", "bunga deposito", "jasa giro", "dividen$", "byaj", "utbytte", "udbytte", "utdelning",
        "osinko", "gawio", "rendimenti",
    ),
    "Refunds and reversals": (
        "rueckerstattung", "rueckzahlung", "rueckbuchung", "rueckverguetung", "ruckvergutung", "terugstorting",
        "tilbagebetaling", "vraceni", "preplatek", "preplatku", "iade$", "iadesi", "pengembalian dana",
        "bayaran balik",
    ),
    "Salary and payroll": (
        "mzda", "mzdy", "gaji", "mshahara", "haberes", "salariu",
        "munkaber", "besoldung", "sahod$", "pagaar",
    ),
    "Benefits, pensions and winnings": (
        "rentenzahlung", "altersrente", "witwenrente", "erwerbsminderungsrente", "rentenservice", "renten service",
        "drv$", "~pensjon", "folkepension", "alderspension", "tjanstepension", "elake", "kela$", "duchod*", "cssz",
        "emerytura", "zus$", "swiadczenie", "800 plus", "500 plus", "emekli", "sgk$", "pensao", "pensheni",
        "kira geliri",
    ),
    "Transfers between own accounts": (
        "opsparing", "sparekonto", "prevod mezi ucty", "vlastni ucet", "hesaplar arasi", "virman",
        "akaun sendiri", "rekening sendiri",
    ),
    "Phone and internet": ("turkcell", "indihome", "pulsa$"),
    "Energy and water": (
        "prad$", "tauron", "energa", "pgnig", "pge$", "mpwik", "elektrina$", "elektrinu$", "elektriny$", "plyn$", "vodne a stocne", "cez$",
        "fjernvarme", "fjarrvarme", "sahko$", "sahkolasku", "dogalgaz", "elektrik faturasi", "su faturasi", "enerjisa",
        "igdas", "listrik", "tenaga nasional", "bili ya maji", "bili ya umeme", "luku$", "recibo luz",
        "recibo de luz", "recibo agua", "recibo de agua", "recibo del agua", "recibo gas", "recibo de gas",
        "factura de luz", "factura del agua", "eau de paris", "facture eau", "facture d'eau",
    ),
    "Rent and mortgage": (
        "kira odeme*", "kira bedeli", "kirasi$", "sewa rumah", "sewa bilik", "sewa kos$", "sewa kost$",
        "sewa apartemen", "sewa kontrakan", "kodi ya nyumba", "kodi ya chumba", "kodi ya pango",
        "society maint*", "chs maint*", "najemne", "wynajem mieszkania", "wynajem lokalu", "wynajem pokoju",
    ),
    "Education and childcare": (
        "skolne$", "przedszkol*", "okul taksidi", "okul ucreti", "egitim ucreti", "ogrenim harci", "uang sekolah",
        "biaya sekolah", "yuran sekolah", "uang kuliah", "biaya kuliah", "ada ya shule", "karo ya shule",
        "ada ya chuo", "ada ya mtihani", "colegiatura",
    ),
    "Gifts and donations": (
        "don mensuel", "don ponctuel", "don en ligne", "don regulier", "croix rouge", "rode kruis",
        "medecins sans frontieres", "secours populaire", "secours catholique", "restos du coeur", "darowizna",
        "bagis$", "bagisi", "sedekah", "sadaka", "sadaqa*", "infaq$", "infak$", "wakaf", "sumbangan",
        "fungu la kumi", "dizimo",
    ),
}
# Words with "ø" and "ł" (which folding keeps) are written with the letter and its ASCII twin as a class
# ("l[øo]nn"): the prefilter reads only ASCII literals, and a rule without one is tried on every description
# (session 20: +38% CPU in matching with them as plain keywords)
V11_PATTERNS: dict[str, tuple[str, ...]] = {
    # Czech "plat" (salary) only before a month or "za" ("PLAT ZA ŘÍJEN", "PLAT LISTOPAD"); Turkish "maaş" only
    # with "ödeme", a month, or as "maaşı" after any word but "emekli"; Norwegian "lønn", Danish "løn" (bare only
    # with a month or "udbetaling": the literal "l" alone would send every description to the regex)
    "Salary and payroll": (
        rf"\bplat (?:za )?(?:{_CZ_MONTHS}|\d{{1,2}}/\d{{2,4}})\b",
        rf"{_NOT_EMEKLI}maas(?: odeme| ode\b|i\b| (?:{_TR_MONTHS})\b)|\b(?:{_TR_MONTHS})(?: ayi)? maas",
        rf"\bl[øo]nn(?:s|\b)|\bl[øo]n(?:udbetaling| (?:{_NORDIC_MONTHS})\b)",
    ),
    "Transfers between own accounts": (
        r"\boverf[øo](?:ring mellom egne|ring til egen|rsel til egen)|\b(?:przelew|rachunek) w[łl]asn",),
    "Energy and water": (r"\bstr[øo]m\b",),  # Norwegian and Danish electricity
    "Transfers (generic)": (r"\boverf[øo](?:ring|rsel)",),
}


def eleventh(name: str, known: tuple[str, ...]) -> list[str]:
    """The eleventh set's regexes for the group ``name`` (words already in the group's earlier rules left out)."""
    words = tuple(dict.fromkeys(w for w in V11_ADDITIONS.get(name, ()) if w not in known))
    return (_patterns(words) if words else []) + list(V11_PATTERNS.get(name, ()))
