"""Text forms of a description used by matching and learning (pure).

``fast_fold`` is :func:`budgetwise.text.fold` for the common ASCII case; ``tokens_form`` joins
the words; :func:`learn_key` is the merchant key without payment boilerplate (month names,
"POS purchase", "card payment", ...), the key a learned rule is written on.
"""

from __future__ import annotations

import re
import unicodedata

from budgetwise.services.categorize.types import MAX_TEXT
from budgetwise.text import clean_text, fold

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
    # payment rails of India, Australia / New Zealand, the US (how, not to whom)
    "upi", "neft", "imps", "rtgs", "nach", "eftpos", "ecom", "bpay", "osko", "payid", "ach",
}
_TOKEN = re.compile(r"[^\W_]+|&")
_HAS_DIGIT = re.compile(r"\d")


def fast_fold(value: str) -> str:
    """:func:`budgetwise.text.fold`, with a fast path for plain ASCII text."""
    if value.isascii():
        return " ".join(value.casefold().split())
    return fold(value)


def tokens_form(folded: str) -> str:
    """Punctuation-insensitive form: the words of a folded text joined by single spaces."""
    return " ".join(_TOKEN.findall(folded))


def _key_from_tokens(tokens: str) -> str:
    words = tokens.split()
    kept = [w for w in words if len(w) > 1 and w not in _MONTHS and w not in _BOILERPLATE and not _HAS_DIGIT.search(w)]
    key = " ".join(kept)
    if len(key) >= 3:
        return key[:200]
    plain = " ".join(w for w in words if not _HAS_DIGIT.search(w))
    return (plain or tokens)[:200]


def learn_key(description: str) -> str:
    """The merchant a correction is remembered for: the description's words minus boilerplate.

    Dates, numbers and any word containing a digit (card, reference fragments), month
    names, single letters and payment boilerplate ("POS purchase", "card payment",
    "Lastschrift", ...) are dropped: "POS Purchase 4th Avenue Coffee R  * 24 Oct" and
    "POS Purchase 4th Avenue Coffee R * 01 Nov" both give "avenue coffee". When nothing specific is
    left, the words without digits (or all words) are used.
    """
    return _key_from_tokens(tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])))


def _fold_pattern(pattern: str) -> str:
    return fold(clean_text(pattern))


def _strip_accents(value: str) -> str:
    if value.isascii():
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
