"""Text forms of a description used by matching and learning (pure): the one owner of the merchant key.

A top-level module, not part of ``services/categorize``: the forecast, reports and importer read the
merchant key without loading the categorizer (and with it the password hashing its admin checks need).

``fast_fold`` is :func:`budgetwise.text.fold` for the common ASCII case; ``tokens_form`` joins
the words; :func:`merchant_key` is the merchant's stable name stored with each transaction
(``transactions.merchant``: the reports' merchants, recurring payments, the forecast's known flows):
the folded description without dates, numbers, card and reference fragments; :func:`learn_key` is
the merchant without payment boilerplate (month names, "POS purchase", "card payment", ...), the key
a learned rule is written on. Both read a word glued to a number the same way (:func:`_unglued`).
It also owns the words that say how or where, never to whom: payment boilerplate, a payment's channel
("via internet", "Internetbanking": dropped from the learning key since session 14), the place suffixes a
learned stem drops (country / state codes, branch and terminal words, banks' initials) and the places one
household's own text shows (:func:`household_places`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from budgetwise.text import clean_text, fold, zero_digits

# whether a key names anyone: textnames (since session 24), read here as before
from budgetwise.textnames import (  # noqa: F401
    LEGAL_FORMS,
    names_company,
    names_merchant,
    names_payment_kind,
    payment_form_word,
    refund_of,
)

MAX_TEXT = 500  # descriptions are at most 500 characters (transactions.MAX_DESCRIPTION)

_MONTHS = {
    # en, de, fr, es, it, nl, pt (abbreviations and full names, folded)
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "januar", "februar", "marz", "mai", "juni", "juli", "okt", "dez",
    "oktober", "dezember", "janv", "fevr", "fev", "mars", "avr", "juil", "aout", "janvier", "fevrier",
    "avril", "juin", "juillet", "septembre", "octobre", "novembre", "decembre", "ene", "abr", "ago",
    "dic", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre", "gen", "mag", "giu", "lug", "set", "ott", "gennaio",
    "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "mrt",
    "mei", "januari", "februari", "maart", "augustus", "out",
}
_RAILS = frozenset({"upi", "neft", "imps", "rtgs", "nach", "ach", "eftpos"})  # payment rails (see _BOILERPLATE)
# Payment boilerplate that says how, not to whom (folded words, any language).
_BOILERPLATE = {
    "pos", "purchase", "purchases", "card", "debit", "credit", "visa", "mastercard", "maestro", "contactless",
    "recurring", "payment", "pmt", "pymt", "paymt", "effec", "no", "nr", "ref", "to", "from", "at", "the",
    "transaction", "txn", "online", "overseas", "international", "sepa", "direct", "dd", "so", "standing",
    "order", "lastschrift", "kartenzahlung", "karte", "zahlung", "folgenr", "verfalld", "girocard", "ec",
    "paiement", "carte", "cb", "prlv", "prelevement", "achat", "compra", "pago", "tarjeta", "recibo",
    "pagamento", "carta", "acquisto", "betaling", "betaalautomaat", "bea", "gea", "pas", "pin", "apple",
    "pay", "google", "gpay", "applepay", "magtape", "naedo", "debicheck", "eft", "fuel", "www", "com", "inc",
    "ltd", "llc", "pty", "gmbh", "sa", "sarl", "bv", "srl", "ag", "co", "plc", "de", "du", "la", "le",
    "el", "und", "and", "of", "on",
    # card-acceptance services in front of the merchant's name ("SQ *BLUE CAFE", "SUMUP *...", "PAYPAL *...")
    "sq", "sumup", "zettle", "izettle", "paypal", "pp", "tst", "stripe", "yoco", "zapper", "snapscan", "payfast",
    "ikhokha", "ikh",
    # the transaction-type label some banks print ("... Tran: ACHDW")
    "tran",
    # payment rails of India, Australia / New Zealand, the US (how, not to whom; _RAILS are those a debit /
    # credit flag may follow)
    *_RAILS, "ecom", "bpay", "osko", "payid",
    # French "by" ("PAIEMENT PAR CARTE", "VIR PAR"; since session 12)
    "par",
}
# The learning key before session 12 (migration 0019's downgrade): "par" a word of the merchant's, no debit /
# credit flags dropped.
_BOILERPLATE_BEFORE_12 = frozenset(_BOILERPLATE) - {"par"}
# A bank's debit / credit flag printed after the card number or the payment rail, before the payee
# ("4835-****-1234 Df PAK N SAVE", "UPI/DR/4022.../SWIGGY", "NEFT CR ..."): how, not to whom (since session 12).
_FLAGS = frozenset({"df", "dr", "cr", "db", "dc"})
# Card-acceptance and payment services (dropped above when a merchant's name follows them) and the
# words of a transfer: "PAYPAL INST XFER" is a transfer through PayPal, with no merchant after the
# service, so there the service is the payee and stays in the key ("paypal inst xfer", not "inst xfer").
# A payment's channel: how it was sent, not to whom ("PAGAMENTO VIA INTERNET", "Internetbanking", "pago por internet",
# "ONLINE BANKING PAYMENT"), dropped from the learning key since session 14 (before, a correction of "PAGAMENTO VIA
# INTERNET PADARIA SOL" learned "via internet", a stem every internet payment fell under). A glued channel word
# always; "internet" where the text says it is the channel: after a preposition or a channel word ("via", "por",
# "über", "canais": :data:`_CHANNEL_BY`) or a payment's boilerplate ("PAIEMENT INTERNET"), or first and followed by
# one ("INTERNET PMT", "INTERNET TRANSFER") -- not after a name ("ACME INTERNET", a provider) nor before one
# ("Internet Service Provider"); a device word ("mobile", "net", ...) only before "banking"; the preposition only
# before the channel ("VIA RAIL" keeps its "via"). "online" was boilerplate already.
_GLUED_CHANNELS = frozenset({"internetbanking", "internetbank", "onlinebanking", "netbanking", "homebanking",
                             "mobilebanking", "ebanking", "webbanking", "telebanking", "phonebanking"})
_BANKING_DEVICES = frozenset({"internet", "online", "net", "mobile", "phone", "tele", "home", "web", "digital"})
_CHANNEL_BY = frozenset({"via", "por", "pela", "pelo", "per", "by", "through", "uber", "ueber", "mittels", "en",
                         "canal", "canais", "canales", "channel"})
_CHANNEL_HINT = _GLUED_CHANNELS | {"internet", "online", "banking"}
# Brazil's payment rails before the payee (since session 15): "PIX ENVIADO ALINE", "PIX RECEBIDO - DIF TIT ACME",
# "TED ENVIADA ...", "TED 237 0001 ACME", "DOC/TED ...": how, not to whom, with the words that say which way and
# whose account ("enviado" sent, "recebido" received, "outra inst" another bank, "dif tit" another holder), dropped
# where they stand next to the rail. "pix" always; "ted" / "doc" only next to such a word, another rail or a number
# ("TED BAKER", "DOC MARTENS" are names).
_BR_RAILS = frozenset({"pix", "ted", "doc"})
_RAIL_WORDS = frozenset({"enviado", "enviada", "enviados", "enviadas", "envio", "recebido", "recebida", "recebidos",
                         "recebidas", "transf", "transferencia", "qr", "qrs", "agendado", "agendada", "dif",
                         "diferente", "tit", "titul", "titular", "titularidade", "outra", "outro", "inst", "mesma",
                         "mesmo"})

# A card's and a mobile wallet's channel words before the payee (since session 16): "COMPRA CARTAO DEB MC <name>",
# "COMPRA TARJ. 1234XXXX <name>", "PAGAMENTO POS CARTA DEBITO <name>", "BEA, BETAALPAS <name>", "Pay Bill Online to
# 123456 - <name> Acc. 555", "Merchant Payment to … <name>": how, not to whom. Before, the card words of languages
# other than those of :data:`_BOILERPLATE` (pt "cartão", es "tarj.", nl "betaalpas", "débito" / "crédito") and a mobile
# wallet's "pay bill" stayed, so a correction of one card purchase taught "cartao deb" (every card purchase).
# Always dropped: :data:`_CARD_WORDS`. Only next to a card word (or to one dropped beside it): a network's or a card
# type's abbreviation (:data:`_CARD_ABBREVIATIONS`: "DEB MC", "CRED ELO"; "MC DONALDS", "DEB'S CAFE" keep theirs) and
# a preposition right before one ("con tarjeta", "di credito", "mit Karte"). "bill" next to "pay" / "payment" ("PAY
# BILL", "BILL PAY", "BILL PAYMENT": a mobile wallet's or a bank's bill-pay channel; "BILL'S DINER" keeps it),
# "merchant" next to a payment word ("Merchant Payment to"), "buy goods" (a till payment), "pesa" after "m" (M-Pesa),
# and an account abbreviation before its number ("Acc. 4709…", "ACCT 1234": a reference, as "ref" is).
_CARD_WORDS = frozenset({
    "cartao", "cartoes", "debito", "credito", "tarj", "tarjetas", "kaart", "betaalpas", "pinbetaling", "karta",
    "kartou", "debitkarte", "kreditkarte", "bankkarte", "paybill", "mpesa",
})
_CARD_ANCHORS = _CARD_WORDS | {"card", "cards", "carte", "carta", "tarjeta", "karte", "debit", "credit", "visa",
                               "mastercard", "maestro", "girocard", "compra"}
_CARD_ABBREVIATIONS = frozenset({"deb", "cred", "mc", "master", "elo", "rupay", "interac", "hipercard", "electron",
                                 "bancaire", "bancaria", "bancario", "cb"})
_CARD_PREPOSITIONS = frozenset({"con", "di", "com", "avec", "mit", "with", "by", "per", "par", "por", "en", "met"})
_PAYMENT_WORDS = frozenset({"pay", "payment", "pmt", "pymt", "paymt", "payments"})
_ACCOUNT_ABBREVIATIONS = frozenset({"acc", "acct", "accnt"})
# The texts that may hold such words: one always dropped or one that says so by its neighbour, or a card word with an
# abbreviation or a preposition beside it (a plain "CARD PAYMENT ACME" skips the pass: its words are boilerplate).
_CARD_TRIGGERS = _CARD_WORDS | {"bill", "merchant", "goods", "pesa", *_ACCOUNT_ABBREVIATIONS}
_CARD_NEIGHBOURS = _CARD_ABBREVIATIONS | _CARD_PREPOSITIONS


def _card_hint(words: list[str]) -> bool:
    return not _CARD_TRIGGERS.isdisjoint(words) or (
        not _CARD_NEIGHBOURS.isdisjoint(words) and not _CARD_ANCHORS.isdisjoint(words))


def _without_bill_reference(words: list[str]) -> list[str]:
    """The words without a bill payment's account reference (since session 24): in a bill payment ("paybill", "bill"
    beside a payment word), the account abbreviation after the payee and every word after it are the payer's own
    customer or account number at that payee, "Pay Bill to 222 - E-CITIZEN Acc. NHIFM123" -> "citizen"; before, each
    reference of letters ("acc nhifm", "box5 fbvcxk8") made a new merchant. Only after a word of the payee's (a word of
    two letters or more that is no number nor boilerplate): "pay bill acc 55" keeps its words."""
    if not any(w == "paybill" or (w == "bill" and _beside_payment_word(words, i)) for i, w in enumerate(words)):
        return words
    payee = False
    for i, w in enumerate(words):
        if payee and w in _ACCOUNT_ABBREVIATIONS:
            return words[:i]
        payee = payee or (len(w) > 1 and w.isalpha() and w not in _BOILERPLATE and w not in _CARD_WORDS
                          and w != "bill")
    return words

# A payment facilitator's short code printed with a "*" before the seller (since session 17): "PAG*PADARIA SOL", "MP
# *ACME", "ZIG*BAR DO ZE", "TST* THE DINER", "CKO*SHOP": how, not to whom. Not a list of services: a word of two or three
# letters right before a "*" that a name follows is the facilitator's code (the listed "SQ", "TST", "PP", "PAYPAL" ...
# of :data:`_BOILERPLATE` were these, one by one; before a "*" a listed service is one too, even before a transfer word:
# "SQ *TRANSFER WINES"), dropped where it is the key's first word (a prefix); where only a one-letter name followed it
# ("PAG*M") the key falls back to the text's words ("pag m", not "pag": every such seller's key). "UBER *TRIP", "AMAZON *MKTP" (longer: a brand with its product) and "IFOOD *IFD*CARREFOUR" (not first) keep
# their words. Read on the folded text, so case-blind (a key is one whatever the case: the categorizer shares its work
# between texts that differ only in case); the "*" is the mark, which the tokens form has lost.
_PROCESSOR_CODE = re.compile(r"(?<!\S)([^\W\d_]{2,6}) ?\*+ *(?=[^\W\d_])")
# Mobile money's and banks' person-to-person phrases before the payee (since session 17): "Customer Transfer to - 07…
# PETER", "Funds received from - 07… PETER", "Customer Payment to Small Business to - 07… PETER", "Business Payment
# from 123 - ACME", "SEND MONEY TO …", "MONEY TRANSFER FROM …": how, not to whom. A run of these words (two or more)
# at the start, ended by "to" / "from" (again after more of them: "… to small business to") with a word after it, is
# dropped, with the payer's type after it ("from Business 303 - ACME"). "Customer Transfer of Funds Charge" (a fee: no "to" / "from"), "Salary Payment from" ("salary" is not one)
# and "Send Money Reversal" keep theirs. The direction stays apart (a learned rule and the memory keep one per direction).
_P2P_WORDS = frozenset({"customer", "customers", "transfer", "funds", "fund", "received", "receive", "payment",
                        "business", "smallbusiness", "small", "send", "sent", "money", "merchant", "pay", "bill",
                        "online"})
_P2P_ENDS = frozenset({"to", "from"})
_PARTY_TYPES = frozenset({"business", "smallbusiness", "small"})  # "Funds received from Business 303 - ACME"


def _without_p2p(words: list[str]) -> list[str]:
    """The words without a leading person-to-person phrase (:data:`_P2P_WORDS`): "customer transfer to 07 123 peter
    thuo" -> "07 123 peter thuo"; "customer transfer of funds charge", "transfer to savings" stay."""
    i = 0
    run = 0
    cut = 0
    n = len(words)
    while i < n:
        w = words[i]
        if w in _P2P_WORDS:
            run += 1
        elif w in _P2P_ENDS and run >= 2 and i + 1 < n:
            cut = i + 1
            run = 2  # a further run after this one needs one word ("... to small business to")
        else:
            break
        i += 1
    if not cut:
        return words
    while cut + 1 < n and words[cut] in _PARTY_TYPES:  # "... from Business 3033275 - ACME": the payer's type
        cut += 1
    return words[cut:]


def names_person(description: str, *, cut_surnames: bool = True) -> bool:
    """Whether a description's learning key is a person's name (:func:`payee_kind` "person"): a transfer to or from
    someone, read from the person-to-person phrase before the payee (:data:`_P2P_WORDS`: "Customer Transfer to - 07…
    PETER KAMAU", "Funds received from …", "SEND MONEY TO …") or a Brazilian rail (:data:`_BR_RAILS`: "PIX ENVIADO
    ALINE SOUZA"); not a merchant's till, a bill or a company's payment ("Merchant Payment to …", "Pay Bill to …",
    "Business Payment from …"), nor a company paid that way ("PIX ENVIADO AMBEV TECH LTDA": a legal form or a trade's
    word, :func:`textnames.names_company`; since session 25). A person's surname is no place and a first name no
    stem (since session 23: "… JANE MWANGI" and "… JANE OTIENO" are two people). ``cut_surnames``: a person's full
    name ending in a cut surname that is a short legal form is a person's ("PIX ENVIADO MARIA JOSE MAGALHAES SA";
    since session 27, :func:`textnames.names_company`; the re-key planner of session 26 passes False)."""
    words = tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])).split()
    return payee_kind(words, cut_surnames=cut_surnames) == "person"


def payee_kind(words: list[str], *, cut_surnames: bool = True) -> str:
    """Who a text's payee is, from its folded words (session 25): "person" (a person-to-person phrase or a Brazilian
    rail before a name that is no company's), "bill" (a bill payment: "Pay Bill to …", "paybill", "bill payment"),
    "business" (a till, a company's payment, a company paid through a person's rail), "" (nothing says)."""
    if words and words[0] in _P2P_WORDS:
        rest = _without_p2p(words)
        if len(rest) < len(words):
            phrase = words[:len(words) - len(rest)]
            if "bill" in phrase or "paybill" in phrase:
                return "bill"
            if "merchant" in phrase or any(w == "business" and (i == 0 or phrase[i - 1] != "small")
                                           for i, w in enumerate(phrase)):
                return "business"
            return "business" if names_company(rest, cut_surnames=cut_surnames) else "person"
    if not _BR_RAILS.isdisjoint(words) and any(_rail_at(words, i) for i in range(len(words))):
        return "business" if names_company(_without_rails(words), cut_surnames=cut_surnames) else "person"
    if "paybill" in words or any(w == "bill" and _beside_payment_word(words, i) for i, w in enumerate(words)):
        return "bill"
    return ""


# Words that say where a card was used, never who was paid (suffixes of a key: ``history.core_words``):
# ISO 3166 country codes (alpha-2 and common alpha-3), US states / Canadian provinces / Australian states, the
# words banks append for a branch or terminal, a bank's initials (the cash machine's owner: "ATMD 23SEP BOI").
# Moved here from ``history`` in session 14: this module owns the words that say how, where, not to whom.
COUNTRY_CODES = frozenset(["ad", "ae", "af", "ag", "al", "am", "ao", "ar", "at", "au", "aw", "az", "ba", "bb", "bd", "be", "bf", "bg", "bh", "bi", "bj", "bn", "bo", "br", "bs", "bt", "bw", "by", "bz", "ca", "cd", "ch", "ci", "cl", "cm", "cn", "cr", "cu", "cv", "cy", "cz", "dk", "dm", "do", "dz", "ec", "ee", "eg", "es", "et", "fi", "fj", "fr", "ga", "gb", "gd", "ge", "gh", "gm", "gr", "gt", "gy", "hk", "hn", "hr", "ht", "hu", "id", "ie", "il", "im", "iq", "ir", "is", "it", "jm", "jo", "jp", "ke", "kg", "kh", "kr", "kw", "kz", "la", "lb", "lc", "lk", "lr", "ls", "lt", "lu", "lv", "ly", "ma", "mc", "md", "me", "mg", "mk", "ml", "mm", "mn", "mo", "mt", "mu", "mv", "mw", "mx", "my", "mz", "na", "ne", "ng", "ni", "nl", "np", "nz", "om", "pa", "pe", "pg", "ph", "pk", "pl", "pr", "pt", "py", "qa", "ro", "rs", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sn", "so", "sr", "sv", "sy", "sz", "tg", "th", "tj", "tn", "tr", "tt", "tw", "tz", "ua", "ug", "uk", "us", "uy", "uz", "ve", "vn", "ye", "za", "zm", "zw", "usa", "gbr", "aus", "nzl", "can", "ind", "deu", "fra", "esp", "ita", "nld", "bel", "che", "aut", "irl", "prt", "swe", "nor", "dnk", "fin", "pol", "zaf", "bra", "mex", "jpn", "chn", "sgp", "hkg", "are", "ken", "nga"])
REGION_CODES = frozenset(["al", "ak", "az", "ar", "ca", "co", "ct", "dc", "de", "fl", "ga", "hi", "ia", "id", "il", "in", "ks", "ky", "la", "ma", "md", "me", "mi", "mn", "mo", "ms", "mt", "nc", "nd", "ne", "nh", "nj", "nm", "nv", "ny", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "va", "vt", "wa", "wi", "wv", "wy", "ab", "bc", "mb", "nb", "nl", "ns", "nt", "nu", "on", "pe", "qc", "sk", "yt", "nsw", "vic", "qld", "tas", "act", "wa", "sa", "nt"])
PLACE_WORDS = frozenset({
    "branch", "store", "shop", "outlet", "terminal", "term", "tid", "mid", "loc", "location", "city", "town",
    "centre", "center", "mall", "plaza", "station", "airport", "intl", "domestic", "north", "south", "east",
    "west", "central", "upper", "lower", "st", "rd", "ave", "street", "road", "avenue",
})
BANK_INITIALS = frozenset({
    "boi", "aib", "ptsb", "rbs", "hsbc", "bofa", "boa", "td", "rbc", "bmo", "cibc", "nab", "anz", "cba", "bnz",
    "asb", "sbi", "pnb", "hdfc", "icici", "ocbc", "uob", "dbs", "fnb", "absa",
})
_CODES = COUNTRY_CODES | REGION_CODES | BANK_INITIALS


def suffix_word(word: str, seen: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether the last word of a key says where, not who: a country / state code, a branch or terminal word, a
    bank's initials or a word the key held already ("kilbirnie kilbirnie")."""
    return word in _CODES or word in PLACE_WORDS or word in seen


# Words that name no merchant because (nearly) every description of the household or import holds them: an export's
# own boilerplate ("Albert Heijn - Omitted due to Privacy Reasons"), which no fixed list can know (session 19: an
# offer "omitted due" filed 186 rows of PayPal and other merchants under one category). Read from the keys'
# document frequency, never written into a learning key (:func:`learn_key` keeps them; a stem must hold a word
# beside them, :func:`history.plan_stem`).
SHARED_SHARE = 0.5  # a word in at least this share of the distinct keys ...
SHARED_MIN_KEYS = 10  # ... of at least this many distinct keys (fewer say nothing)


def shared_words(keys: Iterable[str]) -> frozenset[str]:
    """The words at least :data:`SHARED_SHARE` of the distinct non-empty ``keys`` hold (none below
    :data:`SHARED_MIN_KEYS` keys): text every description shares, which carries no merchant (since session 19)."""
    distinct = {k for k in keys if k}
    if len(distinct) < SHARED_MIN_KEYS:
        return frozenset()
    counts: dict[str, int] = {}
    for key in distinct:
        for w in set(key.split()):
            counts[w] = counts.get(w, 0) + 1
    need = SHARED_SHARE * len(distinct)
    return frozenset(w for w, n in counts.items() if n >= need)


MIN_PLACE_NAMES = 4  # a last word that changes after this many names is a place (household_places; session 15)


def household_places(keys: Iterable[str]) -> frozenset[str]:
    """The place names one household's bank text shows, read from where it prints them (since session 14).

    Banks print a branch or city after the merchant: a run of words printed twice at the end is a place (branch,
    then the same city: "smiths kilbirnie kilbirnie", "acme lower hutt lower hutt"); so is the word before trailing
    country or state codes after two different words ("smiths kilbirnie nz", "acme kilbirnie nz": a place is where
    several merchants are; a text cut at a width, "MERCADINHO ITALIANO LT", ends on a code-like word once), unless
    the household's text also shows it followed by a word of a name ("blue parrot cafe seattle wa" says "cafe" is a
    name's, though "blue parrot cafe wa" and "smith cafe wa" put it before the code). Only a word after at least one other word, of three or more letters, not itself a
    code. No list of the world's towns: the household's own text says which words are places ("BAKERY WELLINGTON"
    alone says nothing; "… WELLINGTON NZ" or "WELLINGTON WELLINGTON" does), and the first word of a key is never
    dropped for one (:func:`history.core_words`).
    """
    repeated: set[str] = set()
    before_codes: dict[str, set[str]] = {}  # a word before trailing codes -> the words printed before it
    named: set[str] = set()  # followed somewhere by a word that is not a code, a place word or itself
    tails: dict[str, set[str]] = {}  # a key's words before its last word (codes aside) -> the last words after them
    for key in keys:
        words = key.split()
        n = len(words)
        for a, b in zip(words, words[1:]):
            if b != a and b not in _CODES and b not in PLACE_WORDS:
                named.add(a)
        end = n
        while end > 1 and (words[end - 1] in _CODES or words[end - 1] in PLACE_WORDS):
            end -= 1
        if end > 1:
            tails.setdefault(" ".join(words[:end - 1]), set()).add(words[end - 1])
        if n < 3:
            continue
        j = n
        while j > 2 and words[j - 1] in _CODES:
            j -= 1
        if j < n:
            before_codes.setdefault(words[j - 1], set()).add(words[j - 2])
        for k in range(1, (n - 1) // 2 + 1):  # a run of k words repeated at the end, after a name
            if words[n - k:] == words[n - 2 * k:n - k]:
                repeated.update(words[n - k:])
    # a last word that changes after the same name, and does so after two names ("smiths kilbirnie" / "smiths petone",
    # "acme kilbirnie" / "acme newtown"): a branch, where no marker parts it from the name (since session 15)
    alternating: dict[str, int] = {}
    for last in tails.values():
        if len(last) > 1:
            for w in last:
                alternating[w] = alternating.get(w, 0) + 1
    varied = {w for w, names in alternating.items() if names >= MIN_PLACE_NAMES}
    out = repeated | (({w for w, names in before_codes.items() if len(names) > 1} | varied) - named)
    return frozenset(w for w in out if len(w) >= 3 and w.isalpha() and w not in _CODES and w not in PLACE_WORDS)


_SERVICES = frozenset({"sq", "sumup", "zettle", "izettle", "paypal", "pp", "tst", "stripe", "yoco", "zapper",
                       "snapscan", "payfast", "ikhokha", "ikh"})
_TRANSFER_WORDS = frozenset({"inst", "instant", "xfer", "xfr", "trf", "tfr", "transfer", "transf", "trnsfr",
                             "trans", "withdrawal", "wdl", "withdraw"})
_TOKEN = re.compile(r"[^\W_]+|&")
_HAS_DIGIT = re.compile(r"\d")
# A bank's code glued to the date, as Irish and UK banks print them: "POS10SEP", "ATM08SEP" (the date
# is dropped, the code stays: "atm", a word like any other; "pos" is boilerplate); and a name glued to
# its store, terminal or till number ("DROGASIL1148", "Till158065"): the name stays, as it does when a
# space parts them ("DROGASIL 1148").
# (A word of the tokens form; a name of one repeated letter is a masked card number, "XXXX1234", and stays
# a word with a digit. _GLUE_HINT finds the texts that may hold one: two letters and then a digit.)
_GLUED = re.compile(r"([a-z]{2,6})\d+(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True))
                    + r")|(?!([^\W\d_])\2*\d)([^\W\d_]{4,})\d+")
_GLUE_HINT = re.compile(r"\d(?<=[^\W\d_][^\W\d_]\d)")


# An Indian NEFT / RTGS reference (UTR: the sending bank's IFSC code, N or R, then the digits), "HDFCN52022105573":
# a reference, not a name glued to its number (since session 12; before, "hdfcn" was kept as the payee's name).
_UTR = re.compile(r"[a-z]{4}[nr]\d{9,}")


def _unglued(word: str, session_12: bool = True) -> str:
    if len(word) < 5 or word.isalpha() or not word[0].isalpha():
        return word
    if session_12 and _UTR.fullmatch(word):
        return word
    m = _GLUED.fullmatch(word)
    return (m.group(1) or m.group(3)) if m else word


# Fragments that vary between two payments to the same merchant (the merchant key drops them).
_NOISE = [
    re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b"),  # dates
    re.compile(r"\b\d{1,2}[./-]\d{1,2}\b"),  # short dates 12/03
    re.compile(r"\b\d{1,2}:\d{2}(:\d{2})?\b"),  # times
    re.compile(r"\b(x{2,}|\*{2,})\s*\d{2,}\b"),  # masked card numbers XXXX1234 / ****1234
    re.compile(r"\b(card|karte|carte|tarjeta|kaart)\s*(no\.?|nr\.?|number)?\s*[\dx*]{4,}\b"),
    re.compile(r"\b(ref|reference|referenz|réf|referencia|kenmerk|txn|trx|id|auth)\b[\s.:#-]*[\w-]*\d[\w-]*"),
    re.compile(r"#\s*\w*\d\w*"),
    # any token containing a digit (a glued name keeps the name), with the hyphenated parts that hold a digit too
    # ("88-9", "1234-5678"); a word of letters after a hyphen is a word ("IMPS-1234...-KELLEY PHYSIO": "kelley"
    # stays; since session 12)
    re.compile(r"(?P<word>\b[a-z]*\d\w*(?:-[a-z]*\d\w*)*\b)"),
]
# One pass over all of them (alternation in the same order) is ~3x faster than eight passes.
_NOISE_ALL = re.compile("|".join(f"(?:{p.pattern})" for p in _NOISE))
# Before session 12 a digit token ran on over hyphens and took the next word with it ("…-kelley" dropped the
# name; migration 0016's and 0019's downgrades).
_NOISE_ALL_BEFORE_12 = re.compile("|".join(f"(?:{p.pattern})" for p in _NOISE[:-1])
                                  + r"|(?:(?P<word>\b[a-z]*\d[\w-]*\b))")
_PUNCT = re.compile(r"[^\w&' ]+")
_WS = re.compile(r"\s+")


def _noise_out(m: re.Match, session_12: bool = True) -> str:
    """A noise fragment's replacement: a space, or the name of a word glued to a number ("atm08sep": "atm",
    "drogasil1148": "drogasil"), as the learning key reads it and as when a space parts them."""
    word = m.group("word")
    if word is None or not word.isalnum():
        return " "
    name = _unglued(word, session_12)
    return " " if name == word else f" {name} "


def _noise_out_before_12(m: re.Match) -> str:
    return _noise_out(m, session_12=False)


def _key_of_folded(folded: str, *, names: bool = True, session_12: bool = True) -> str:
    out, noise = (_noise_out, _NOISE_ALL) if session_12 else (_noise_out_before_12, _NOISE_ALL_BEFORE_12)
    text = noise.sub(out if names and _GLUE_HINT.search(folded) else " ", folded)
    text = _PUNCT.sub(" ", text)
    text = _WS.sub(" ", text).strip()
    return text[:200]


def merchant_key(description: str) -> str:
    """A merchant's stable name: folded, with dates, numbers, card and reference fragments removed
    (a name glued to a number keeps the name: "ATM08SEP" -> "atm", "DROGASIL1148 SP" -> "drogasil sp")."""
    return _key_of_folded(fold(description or ""))


def merchant_key_before_session_11(description: str) -> str:
    """:func:`merchant_key` as it was before session 11: a word glued to a number dropped whole (migration 0016's
    downgrade)."""
    return _key_of_folded(fold(description or ""), names=False, session_12=False)


def merchant_key_before_session_12(description: str) -> str:
    """:func:`merchant_key` as it was before session 12: a NEFT / RTGS reference read as a name glued to a number
    ("NEFT HDFCN52022105573 ACME" -> "neft hdfcn acme"), and a digit token ran on over a hyphen and took the
    next word ("IMPS-1234…-KELLEY" dropped "kelley"); migration 0019's downgrade)."""
    return _key_of_folded(fold(description or ""), session_12=False)


def merchant_keys(descriptions: Iterable[str]) -> list[str]:
    """:func:`merchant_key` for many descriptions, sharing the work between similar ones.

    "REWE 1234 REF 88-9" and "REWE 5678 REF 12-3" differ only in digits; the key is worked
    out once for "rewe 0000 ref 00-0" and reused whenever it kept no digit (when it kept
    one, that description gets its own key). Same result as calling merchant_key on each.
    """
    by_text: dict[str, str] = {}
    by_zeroed: dict[str, str] = {}
    out = []
    for d in descriptions:
        key = by_text.get(d)
        if key is None:
            folded = fold(d or "")
            zeroed = zero_digits(folded)
            key = by_zeroed.get(zeroed)
            if key is None:
                key = by_zeroed[zeroed] = _key_of_folded(zeroed)
            if "0" in key:
                key = _key_of_folded(folded)
            by_text[d] = key
        out.append(key)
    return out


def fast_fold(value: str) -> str:
    """:func:`budgetwise.text.fold`, with a fast path for plain ASCII text."""
    if value.isascii():
        return " ".join(value.casefold().split())
    return fold(value)


def tokens_form(folded: str) -> str:
    """Punctuation-insensitive form: the words of a folded text joined by single spaces."""
    return " ".join(_TOKEN.findall(folded))


def _with_services(words: list[str], boilerplate: frozenset[str] | set[str]) -> list[str]:
    """The key's words where a payment service directly followed by a transfer word is the payee."""
    return [w for i, w in enumerate(words) if len(w) > 1 and w not in _MONTHS and not _HAS_DIGIT.search(w) and (
        w not in boilerplate or (w in _SERVICES and i + 1 < len(words) and words[i + 1] in _TRANSFER_WORDS))]


def _without_flags(words: list[str]) -> list[str]:
    """The words without a debit / credit flag that follows a number (the card's) or a payment rail and comes
    before another word: "4835 1234 df pak n save" -> "4835 1234 pak n save"; "dr smith dental" keeps "dr"."""
    return [w for i, w in enumerate(words) if not (
        w in _FLAGS and 0 < i < len(words) - 1 and (words[i - 1] in _RAILS or _HAS_DIGIT.search(words[i - 1])))]


def _channel_at(words: list[str], i: int) -> bool:
    w, last = words[i], len(words) - 1
    if w in _GLUED_CHANNELS or w == "online":
        return True
    if w in _BANKING_DEVICES and i < last and words[i + 1] == "banking":
        return True
    if w == "banking":
        return i > 0 and words[i - 1] in _BANKING_DEVICES
    if w != "internet":
        return False
    if i > 0:
        return words[i - 1] in _CHANNEL_BY or words[i - 1] in _BOILERPLATE
    return i < last and (words[1] in _BOILERPLATE or words[1] in _TRANSFER_WORDS)


def _without_channels(words: list[str]) -> list[str]:
    """The words without a payment's channel (see :data:`_GLUED_CHANNELS`): "pagamento via internet padaria sol" ->
    "pagamento padaria sol"; "internet banking transfer" -> "transfer"; "via rail", "acme internet" stay."""
    drop = [False] * len(words)
    for i in range(len(words)):
        if _channel_at(words, i):
            drop[i] = True
            if i > 0 and words[i - 1] in _CHANNEL_BY:
                drop[i - 1] = True
    return [w for w, d in zip(words, drop, strict=True) if not d]


def _rail_at(words: list[str], i: int) -> bool:
    w = words[i]
    if w == "pix":
        return True
    if w not in _BR_RAILS:
        return False
    around = words[i - 1:i] + words[i + 1:i + 2]
    return any(v in _BR_RAILS or v in _RAIL_WORDS for v in around) or (
        i + 1 < len(words) and bool(_HAS_DIGIT.search(words[i + 1])))


def _without_rails(words: list[str]) -> list[str]:
    """The words without a Brazilian rail and the direction / account words next to it (:data:`_BR_RAILS`):
    "pix enviado dif tit aline souza" -> "aline souza"; "ted 237 0001 acme" -> "237 0001 acme"; "ted baker" stays."""
    drop = [False] * len(words)
    for i in range(len(words)):
        if _rail_at(words, i):
            drop[i] = True
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(words) and (words[j] in _RAIL_WORDS or words[j] in _BR_RAILS):
                    drop[j] = True
                    j += step
    return [w for w, d in zip(words, drop, strict=True) if not d]


def _beside_payment_word(words: list[str], i: int) -> bool:
    """Whether the word before or after ``words[i]`` is a payment word ("pay bill", "bill payment")."""
    return (i > 0 and words[i - 1] in _PAYMENT_WORDS) or (i + 1 < len(words) and words[i + 1] in _PAYMENT_WORDS)


def _card_channel_at(words: list[str], drop: list[bool]) -> None:
    n = len(words)
    for i, w in enumerate(words):
        if w in _CARD_WORDS or (w in ("bill", "merchant") and _beside_payment_word(words, i)):
            drop[i] = True
        elif w == "buy" and i + 1 < n and words[i + 1] == "goods":
            drop[i] = drop[i + 1] = True
        elif (w == "pesa" and i > 0 and words[i - 1] == "m") or (
                w in _ACCOUNT_ABBREVIATIONS and i + 1 < n and _HAS_DIGIT.search(words[i + 1])):
            drop[i] = True


def _without_card_channel(words: list[str]) -> list[str]:
    """The words without a card's or a mobile wallet's channel words (:data:`_CARD_WORDS`): "compra cartao deb mc 11
    10 graal" -> "compra 11 10 graal"; "pay bill online to 123 cheza win acc 555" -> "pay online to 123 cheza win 555";
    "mc donalds", "bill s diner" stay."""
    drop = [False] * len(words)
    _card_channel_at(words, drop)
    card = [w in _CARD_ANCHORS for w in words]
    changed = True
    while changed:  # an abbreviation next to a card word, or next to one dropped beside a card word ("cartao cred elo")
        changed = False
        for i, w in enumerate(words):
            if w in _CARD_ABBREVIATIONS and not card[i] and (
                    (i > 0 and card[i - 1]) or (i + 1 < len(words) and card[i + 1])):
                card[i] = drop[i] = changed = True
    for i, w in enumerate(words[:-1]):
        if w in _CARD_PREPOSITIONS and card[i + 1]:
            drop[i] = True
    return [w for w, d in zip(words, drop, strict=True) if not d]


# A one-letter name's letter: a consonant (a vowel or "y" alone is an article or a conjunction in the main EU languages:
# "A CASA", "O AMIGAO", "MAR E VIDA", "PAGAMENTO A FORNECEDORES"); a bank's two-letter abbreviations written with a
# slash ("W/D" withdrawal, "D/D" direct debit, "S/O" standing order, "A/C" account, "B/P" bill payment, "C/O").
_NAME_LETTERS = frozenset("bcdfghjklmnpqrstvwxz")
_BANK_PAIRS = frozenset({("w", "d"), ("d", "d"), ("s", "o"), ("a", "c"), ("b", "p"), ("c", "o")})


def _with_leading_letter(words: list[str], kept: list[str]) -> list[str]:
    """``kept`` with a one-letter word put back where it is the name's first word ("Z ENERGY WELLINGTON" -> "z energy
    wellington", "Z WELLINGTON" -> "z wellington", not "wellington": a rule on the city's name; since session 15):
    the consonant right before the first word kept, after nothing but dropped words, alone or after a bank's
    two-letter abbreviation (:data:`_BANK_PAIRS`: "POS W/D Z ENERGY" keeps "z"); not the second letter of such an
    abbreviation nor a letter of a longer run ("POS W/D PAK N SAVE": "w d" is the bank's; "R & M MEATS", "G T S
    PARK" keep their keys; "n" is within the name and stays dropped)."""
    if words[0] == kept[0]:  # the common case: the first word is kept
        return kept
    j = words.index(kept[0])
    if words[j - 1] not in _NAME_LETTERS:
        return kept
    if j == 1 or not _one_char(words[j - 2]):
        return [words[j - 1], *kept]
    if (j == 3 or (j > 3 and not _one_char(words[j - 4]))) and (words[j - 3], words[j - 2]) in _BANK_PAIRS:
        return [words[j - 1], *kept]
    return kept


def _one_char(word: str) -> bool:
    """A word of one character other than a digit (a digit run of any length is a number: "0/B ABO" as "10/B ABO")."""
    return len(word) == 1 and not word.isdigit()


# A name glued to an account abbreviation with its period (since session 23): "E-CITIZENAcc. 123", "ACME LTDAcct."
# (a wallet's fixed-width field) read as the spaced "E-CITIZEN Acc. 123": "citizen acc 123" -> "citizen", not
# "citizenacc". Read on the folded text (case-blind, as every key): the period says the abbreviation ends there.
_GLUED_ACCOUNT = re.compile(r"(?<![^\W_])([^\W\d_]{2,})(acc|acct|accnt)\.")


def _without_glued_account(words: list[str], folded: str) -> list[str]:
    """``words`` with each word :data:`_GLUED_ACCOUNT` finds glued in ``folded`` parted from its abbreviation."""
    parts = {a + b: (a, b) for a, b in _GLUED_ACCOUNT.findall(folded)}
    if not parts:
        return words
    return [p for w in words for p in parts.get(w, (w,))]


def _key_from_tokens(tokens: str, *, session_12: bool = True, session_14: bool = True,
                     session_15: bool = True, session_16: bool = True, session_17: bool = True,
                     session_23: bool = True, session_24: bool = True, session_25: bool = True,
                     session_26: bool = True, folded: str = "") -> str:
    """The learning key of a text's tokens form; ``folded``: the folded text the tokens came from (its "*" marks a
    facilitator's code, :data:`_PROCESSOR_CODE`, its "." an account abbreviation glued to a name,
    :data:`_GLUED_ACCOUNT`; without it neither is read)."""
    words = tokens.split()
    if _GLUE_HINT.search(tokens):
        words = [_unglued(w, session_12) for w in words]
    if session_23 and "acc" in folded:
        words = _without_glued_account(words, folded)
    # a bill's reference stays out when only the card pass is undone (session 25: "Pay Bill to 222 - KE Acc. NHIFM",
    # whose payee is too short for a key, gave "bill ke acc nhifm": one merchant per reference; now "bill ke")
    if session_24 and (session_16 or session_25) and not _ACCOUNT_ABBREVIATIONS.isdisjoint(words):
        words = _without_bill_reference(words)
    if session_17 and words and words[0] in _P2P_WORDS:
        words = _without_p2p(words)
    if session_16 and _card_hint(words):
        words = _without_card_channel(words)
    if session_14 and not _CHANNEL_HINT.isdisjoint(words):
        words = _without_channels(words)
    if session_15 and not _BR_RAILS.isdisjoint(words):
        words = _without_rails(words)
    boilerplate: frozenset[str] | set[str] = _BOILERPLATE
    if not session_12:
        boilerplate = _BOILERPLATE_BEFORE_12
    elif not _FLAGS.isdisjoint(words):
        words = _without_flags(words)
    if _SERVICES.isdisjoint(words):
        kept = [w for w in words if len(w) > 1 and w not in _MONTHS and w not in boilerplate
                and (w.isalpha() or not _HAS_DIGIT.search(w))]  # isalpha: the common case, without a regex
    else:
        kept = _with_services(words, boilerplate)
    if session_26 and kept and LEGAL_FORMS.issuperset(kept):  # a legal form alone names no one (session 26)
        kept = [w for w in words if w in kept or (w in boilerplate and len(w) > 1 and w.isalpha())]
    if session_17 and kept and "*" in folded and (len(kept[0]) < 4 or kept[0] in _SERVICES) and \
            kept[0] in _PROCESSOR_CODE.findall(folded):  # a facilitator's code before the seller ("pag*padaria sol")
        kept = kept[1:]
    if session_15 and kept:
        kept = _with_leading_letter(words, kept)
    key = " ".join(kept)
    if len(key) >= 3:
        return key[:200]
    if session_17 and words != tokens.split() and tokens.split()[0] in _P2P_WORDS:  # nothing left but the phrase
        return _key_from_tokens(tokens, session_12=session_12, session_14=session_14, session_15=session_15,
                                session_16=session_16, session_17=False, session_25=session_25,
                                session_26=session_26)
    if session_16 and _card_hint(tokens.split()):  # nothing left but the card's words: as before
        return _key_from_tokens(tokens, session_12=session_12, session_14=session_14, session_15=session_15,
                                session_16=False, session_17=False, session_25=session_25,
                                session_26=session_26)
    if session_15 and not _BR_RAILS.isdisjoint(tokens.split()):  # nothing left but the rail: as before
        return _key_from_tokens(tokens, session_12=session_12, session_14=session_14, session_15=False,
                                session_16=False, session_17=False, session_25=session_25,
                                session_26=session_26)
    if session_14 and not _CHANNEL_HINT.isdisjoint(tokens.split()):  # nothing left but the channel: as before
        return _key_from_tokens(tokens, session_12=session_12, session_14=False, session_15=session_15,
                                session_16=False, session_17=False, session_25=session_25,
                                session_26=session_26)
    plain = " ".join(w for w in tokens.split() if not _HAS_DIGIT.search(w))
    return (plain or tokens)[:200]


def payee_key(key: str, tokens: str, shared: frozenset[str] | set[str]) -> str:
    """``key`` (the learning key of a text whose tokens form is ``tokens``), or, where it holds only words the text
    of every description shares (``shared``: :func:`shared_words` of the user's and the batch's keys), the payee's
    own words the key dropped (since session 20): "PayPal - Omitted due to Privacy Reasons" -> "paypal", "H&M - …" ->
    "h&m" (one-character words in a run are one name), "C1000 - …" -> "c1000" (a word with a digit only where no
    other word is left); numbers, month names and boilerplate other than a payment service stay out. Where no such
    word is left the key stays as it is."""
    if not shared or not key or any(w not in shared for w in key.split()):
        return key
    own = [w for w in tokens.split() if w not in shared and not w.isdigit() and w not in _MONTHS
           and (w not in _BOILERPLATE or w in _SERVICES)]
    plain = [w for w in own if not _HAS_DIGIT.search(w)]
    words: list[str] = []
    run = False  # the last word is a run of one-character words
    for w in plain if any(len(w) > 1 for w in plain) else own:
        if run and len(w) == 1:
            words[-1] += w
        else:
            words.append(w)
            run = len(w) == 1
    return " ".join(words)[:200] or key


def learn_key(description: str, shared: frozenset[str] | set[str] = frozenset()) -> str:
    """The merchant a correction is remembered for: the description's words minus boilerplate.

    Dates, numbers and any word containing a digit (card, reference fragments), month
    names, single letters and payment boilerplate ("POS purchase", "card payment",
    "Lastschrift", ...) are dropped: "POS Purchase 4th Avenue Coffee R  * 24 Oct" and
    "POS Purchase 4th Avenue Coffee R * 01 Nov" both give "avenue coffee". When nothing specific is
    left, the words without digits (or all words) are used. ``shared``: the words the user's and the batch's
    descriptions share (:func:`shared_words`); a key of those words only falls back to the payee's own words
    (:func:`payee_key`, since session 20). A name glued to an account abbreviation with its period ("E-CITIZENAcc.
    55") reads as the spaced form ("E-CITIZEN Acc. 55" -> "citizen"; since session 23, :data:`_GLUED_ACCOUNT`). A key of
    legal forms only keeps the payee's payment words beside them ("Direct Pay Limited" -> "direct pay limited", not
    "limited", every company whose other words are a payment's; since session 26).
    """
    folded = fast_fold(clean_text(description)[:MAX_TEXT])
    tokens = tokens_form(folded)
    key = _key_from_tokens(tokens, folded=folded)
    return payee_key(key, tokens, shared) if shared else key


def __getattr__(name: str):
    """The frozen keys (``learn_key_before_session_N``) live in :mod:`budgetwise.textkeys` since session 26; read here as
    before (imported on first use: that module reads this one)."""
    if name.startswith("learn_key_before_session_"):
        from budgetwise import textkeys

        return getattr(textkeys, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _fold_pattern(pattern: str) -> str:
    return fold(clean_text(pattern))


def _strip_accents(value: str) -> str:
    if value.isascii():
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
