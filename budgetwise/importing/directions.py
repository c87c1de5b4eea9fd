"""Words banks use to say which way money moved (indicator / sign columns)."""

from __future__ import annotations

import pandas as pd

from budgetwise.text import fold

INCOME = "income"
EXPENSE = "expense"

_INCOME_WORDS = {
    "credit", "cr", "crd", "cred", "haben", "gutschrift", "credito", "abono", "bij", "inflow", "income",
    "deposit", "incoming", "eingang", "eingehend", "einnahme", "bevetel", "received", "kredit", "entrata",
    "ingreso", "in", "money in", "paid in", "plus", "inbound", "receipt", "jovairas", "prijem", "prijmy",
    "entree", "encaissement", "credit transfer", "storting", "bijschrijving",
}
_EXPENSE_WORDS = {
    "debit", "dr", "dbt", "deb", "soll", "lastschrift", "debito", "cargo", "af", "outflow", "expense",
    "withdrawal", "outgoing", "ausgang", "ausgehend", "ausgabe", "kiadas", "debet", "uscita", "gasto",
    "belastung", "out", "money out", "paid out", "minus", "outbound", "terheles", "vydaj", "vydaje",
    "sortie", "decaissement", "debit transfer", "afschrijving", "opname",
}
# Single characters mean something only in a column whose header says so, or when both sides occur.
_INCOME_SHORT = {"c", "h", "i", "+", "k"}
_EXPENSE_SHORT = {"d", "s", "o", "-"}


def _norm(value: str) -> str:
    return fold(str(value)).strip(" .:")


def classify_values(values: pd.Series, *, allow_short: bool) -> pd.Series:
    """Per value: 'income', 'expense' or None (unknown/empty)."""
    uniques = pd.unique(values.astype("string").fillna(""))
    mapping: dict[str, str | None] = {}
    for raw in uniques:
        key = _norm(raw)
        if key in _INCOME_WORDS or (allow_short and key in _INCOME_SHORT):
            mapping[raw] = INCOME
        elif key in _EXPENSE_WORDS or (allow_short and key in _EXPENSE_SHORT):
            mapping[raw] = EXPENSE
        else:
            mapping[raw] = None
    return values.astype("string").fillna("").map(mapping)


def indicator_ratio(values: pd.Series, *, header_says_direction: bool) -> tuple[float, bool]:
    """(share of non-empty values that name a direction, whether both directions occur)."""
    s = values.astype("string").fillna("").str.strip()
    s = s[s != ""]
    if s.empty:
        return 0.0, False
    if s.nunique() > 12:
        return 0.0, False
    long_only = classify_values(s, allow_short=False)
    with_short = classify_values(s, allow_short=True)
    both = with_short.nunique(dropna=True) == 2
    chosen = with_short if (header_says_direction or both) else long_only
    return float(chosen.notna().mean()), bool(chosen.nunique(dropna=True) == 2)
