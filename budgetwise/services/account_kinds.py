"""An account's type as its name suggests it (issue #19): the first guess for the accounts an import creates.

Moved out of :mod:`budgetwise.services.accounts` (session 24, which re-exports :func:`guess_kind`).
"""

from __future__ import annotations

import re

from budgetwise.text import fold

# type words in an account's name (en de fr es nl it), a first guess; they beat a card network ("Visa Debit", "Amex Savings")
_KIND_WORDS = (
    ("checking", re.compile(r"\b(bank|atm|cash|ec|giro|check|cheque) ?cards?\b|\bgirokarte\b|\bdebit\b")),
    ("credit_card", re.compile(r"\b(credit ?cards?|kreditkarte\w*|carte de credit|tarjeta de credito|creditcard)\b")),
    ("savings", re.compile(r"\b(savings?|sparkonto|sparbuch|tagesgeld\w*|spar\w*konto|epargne|livret\w*|ahorros?|"
                           r"spaarrekening|spaar\w*|risparmio|rainy day|emergency fund)\b")),
    ("credit_card", re.compile(r"\b(visa|mastercard|amex|american express|discover|diners|cards?)\b")),  # a card lends
    ("cash", re.compile(r"\b(cash|bargeld|especes|efectivo|contanti|wallet|portemonnaie|geldborse)\b")),
    ("loan", re.compile(r"\b(loan|mortgage|darlehen|hypothek\w*|prestamo|hipoteca|lening|hypotheek|mutuo)\b")),
)


def guess_kind(name: str) -> str:
    """An account's type as its name suggests it ("Savings" → savings, "Visa" → credit card), else
    checking: a suggestion for the accounts an import creates (the user can change it)."""
    text = " ".join(fold(str(name or "")).replace("-", " ").replace("_", " ").split())
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return "checking"
