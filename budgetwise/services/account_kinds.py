"""An account's type as its name suggests it (issue #19): the first guess for the accounts an import creates.

Moved out of :mod:`budgetwise.services.accounts` (session 24, which re-exports :func:`guess_kind`).
"""

from __future__ import annotations

import re

from budgetwise.text import fold

# type words in an account's name (en de fr es pt nl it, and the generic names of retirement and tax-free investment
# plans), a first guess, then :data:`_BROKER_BRANDS` (session 28). Order matters: a debit card is checking whatever
# network it runs on; an investment or pension word beats "savings" ("Plano Poupança Reforma", "Stocks and Shares ISA"); a type
# word beats a card network ("Visa Debit", "Amex Savings")
_KIND_WORDS = (
    ("checking", re.compile(r"\b(bank|atm|cash|ec|giro|check|cheque|debit) ?cards?\b|\bgirokarte\b|\bdebit\b|"
                            r"\b(carte bancaire|carte de debit|tarjeta de debito|cartao de debito|carta di debito|"
                            r"carte bleue|debitkarte|bankkarte|pinpas|bancomat)\b")),
    ("credit_card", re.compile(r"\b(credit ?cards?|kreditkarte\w*|carte de credit|tarjeta de credito|creditcard|"
                               r"cartao de credito|carta di credito|creditkaart)\b")),
    ("investment", re.compile(
        r"\b(invest(ment|ments|ing|imento|imentos|issement|issements|imenti|ering|eringen|ition|itionen)?|inversion(es)?|"
        r"brokers?|brokerage|corretora|corretagem|trading|securities|wertpapier\w*|aktiendepot|fondsdepot|(?<!home )depot|"
        r"bourse|compte titres|titoli|valores|beleggen|belegging(en)?|robo ?advisor|"
        r"stocks?|shares|acciones|acoes|aktien|etfs?|crypto\w*|p2p|crowd\w*|lending\w*|\w+invest\w*|portfolio|"
        r"pensions?|pensione|pensioen|pensao|retirement|retraite|jubilacion|previdencia|previdenza|altersvorsorge|vorsorge\w*|"
        r"poupanca reforma|superannuation|riester|401 ?k|403 ?b|ira|roth|rrsp|tfsa|sipp|ppr|pea)\b")),
    ("savings", re.compile(r"\b(savings?|sparkonto|sparbuch|tagesgeld\w*|festgeld\w*|spar\w*konto|epargne|livret\w*|"
                           r"ahorros?|plazo fijo|poupanca|deposito a prazo|term deposit|fixed deposit|isa|"
                           r"spaarrekening|spaar\w*|risparmio|rainy day|emergency fund)\b")),
    # a card lends (a card in any language, or a network's name)
    ("credit_card", re.compile(r"\b(visa|mastercard|amex|american express|discover|diners|cards?|cartes?|tarjetas?|"
                               r"cartao|cartoes|karte|kaart|carta)\b")),
    ("cash", re.compile(r"\b(cash|bargeld|especes|efectivo|contanti|wallet|portemonnaie|geldborse|dinheiro|numerario|"
                        r"carteira|monedero|porte monnaie|caisse)\b")),
    ("loan", re.compile(r"\b(loan|mortgage|darlehen|hypothek\w*|prestamo|hipoteca|lening|hypotheek|mutuo|emprestimo|"
                        r"credito habitacao|credit immobilier|pret immobilier|kredit)\b")),
)


# well-known retail brokers, robo-advisers and peer-to-peer lending / crowdfunding platforms (session 28, fix28; the
# platforms widened in session 29, imp29): data, not rules. A general list of the large international ones (the
# brokers retail-investor comparisons name in the US, UK, EU, Canada, India, Brazil; the European P2P lending and
# real-estate crowdfunding marketplaces their comparison sites list), not the names of any one file; a brand that is
# also a bank's ("Fidelity Bank", "Revolut", "Zopa") or an everyday word ("Prosper", "October") is not here. The
# general words ("lending", "crowd…", "p2p", "…invest…") are in :data:`_KIND_WORDS`. Last: any type word of the name
# wins ("Schwab Checking" stays checking)
_BROKERS = (
    "degiro", "etoro", "robinhood", "vanguard", "charles schwab", "e ?trade", "td ameritrade", "webull", "wealthfront",
    "betterment", "acorns", "trade republic", "scalable capital", "freetrade", "hargreaves lansdown", "aj bell",
    "nutmeg", "moneyfarm", "saxo ?bank", "flatex", "lightyear", "questrade", "wealthsimple", "zerodha", "groww",
    "upstox", "fundrise",
)
_P2P_PLATFORMS = (
    "mintos", "bondora", "peerberry", "estateguru", "twino", "robocash", "crowdcube", "seedrs", "grupeer", "housers",
    "go ?parity", "lendermarket", "raize", "iuvo", "swaper", "esketit", "afranga", "viventor", "debitum", "bulkestate",
    "reinvest24", "funding circle", "fellow finance", "lenndy", "kuetzal", "monethera", "nibble finance",
    "urbanitae", "brickstarter", "crowdestate", "profitus", "heavy finance", "income marketplace", "maclear",
)
_BROKER_BRANDS = re.compile(r"\b(" + "|".join(_BROKERS + _P2P_PLATFORMS) + r")\b")
_CHECKING_WORDS = re.compile(r"\b(checking|current account|girokonto|compte courant|conta corrente|cuenta corriente|"
                             r"conto corrente|betaalrekening)\b")


def guess_kind(name: str) -> str:
    """An account's type as its name suggests it ("Savings" → savings, "Visa" → credit card), else
    checking: a suggestion for the accounts an import creates (the user can change it)."""
    text = " ".join(fold(str(name or "")).replace("-", " ").replace("_", " ").split())
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return "investment" if _BROKER_BRANDS.search(text) and not _CHECKING_WORDS.search(text) else "checking"


# the savings words in other senses among a transaction's words (review28): the interest a savings account pays
# (income, not one's own money moved), a bank, a shop or a place named after saving ("Caisse d'Epargne", "Farmacias
# del Ahorro", the Spaarne, Haarlem's river), daylight saving time
_NOT_A_SAVINGS_ACCOUNT = re.compile(
    r"\b(interest|interests|zins|zinsen|zinsgutschrift|habenzins\w*|interets?|intereses|interes|juros|rente|rentes|"
    r"interessi|rendimentos?|rendement\w*|dividend\w*|caisse d ?epargne|cassa di risparmio|caja de ahorros?|"
    r"caixa economica|del ahorro|spaarne\w*|spaarbank\w*|savings bank|savings and loan|daylight savings?)\b")


def names_savings_account(text: str) -> bool:
    """Whether a transaction's words name a savings account ("naar oranje spaarrekening", "virement livret",
    "tagesgeld", "transfer to savings"): the savings words of :func:`guess_kind`, read as it reads an account's name (a
    type word of another kind first), but for a bare "isa" (a given name as often, among a payee's words) and the
    words in other senses (:data:`_NOT_A_SAVINGS_ACCOUNT`: interest, a bank or shop named after saving). Money moved
    to or from one's own savings account is a transfer both ways (the labelling plan's offer, session 28)."""
    words = " ".join(fold(str(text or "")).replace("-", " ").replace("_", " ").replace("'", " ").replace("\u2019", " ").split())
    return not _NOT_A_SAVINGS_ACCOUNT.search(words) and guess_kind(re.sub(r"\bisa\b", " ", words)) == "savings"
