"""Opening-balance rows in an exported history (session 28, fix28; trial28).

Budgeting and money-manager apps export an account's balance at its start as a row of its own: Bluecoins'
"(New Account)", YNAB's and Quicken's "Starting Balance", "Opening balance", "Saldo inicial", "Anfangssaldo", "Solde
initial". Read as a transaction it is income (or spending) that never happened (trial28: a 5 231 € "income" for a
broker's balance). Such a row is recognised by its words alone (in the description, the file's category or the bank's
type: the whole cell, brackets aside) when it is the first row of its account in the file (no older row of that
account): a later "Opening balance" is a note on an ordinary row. The services keep it out of income and spending
(the user's transfer category, ``services.importing.categorizing``; an opening balance
where the account has none, ``services.importing.opening_balance``); nothing is dropped.
"""

from __future__ import annotations

import re

import pandas as pd

from budgetwise.names import quoted
from budgetwise.text import and_list, fold, plural, plural_word

OPENING_WORDS = re.compile(
    r"(new account|starting balance|start balance|opening balance|initial balance|beginning balance|balance forward|"
    r"saldo inicial|saldo de abertura|saldo de apertura|saldo iniziale|saldo di apertura|anfangssaldo|"
    r"anfangsbestand|eroffnungssaldo|startsaldo|beginsaldo|openingssaldo|solde initial|solde d ouverture|"
    r"solde de depart|saldo poczatkowe)")


# the words of :func:`opening_note` that the commit's opening balance makes untrue (the preview then leaves the note out:
# ``services.importing.opening_balance.layout_without_note``)
KEPT_AS_TRANSFERS = "kept in the category of transfers"


def _opening_words(cell: object) -> bool:
    text = " ".join(re.sub(r"[()\[\]*:'’._-]", " ", fold(str(cell or ""))).split())
    return bool(text) and OPENING_WORDS.fullmatch(text) is not None


def opening_rows(rows: pd.DataFrame) -> pd.Series:
    """Per row of the importer's row frame (``ParsedFile.rows``), whether it is its account's opening balance: words
    of :data:`OPENING_WORDS` in its description, label or bank type, on the earliest date of its account's rows (the
    file's single account when it names none), the first such row of the account in the file."""
    worded = pd.Series(False, index=rows.index, dtype=bool)
    if rows.empty:
        return worded
    account = rows["account"].astype(str) if "account" in rows else pd.Series("", index=rows.index)
    on_first = (rows["date"] == rows["date"].groupby(account).transform("min")).to_numpy(dtype=bool)
    # the words are read only on each account's earliest date (no other row can be an opening row): an import of
    # 100,000 rows reads a few cells, not 300,000 (0.3 s of CPU per call, and the import asks up to three times)
    first = rows[on_first]
    for column in ("description", "label", "bank_type"):
        if column in first:
            worded[on_first] |= first[column].map(_opening_words).astype(bool).to_numpy()
    if not worded.any():
        return worded
    return worded & ~account.where(worded).duplicated(keep="first").where(worded, False).astype(bool)


def opening_note(rows: pd.DataFrame, opening: pd.Series) -> str:
    """The preview's line on the file's opening-balance rows (:func:`opening_rows`), "" without any."""
    n = int(opening.sum())
    if not n:
        return ""
    picked = rows[opening]
    names = sorted({str(a) for a in picked["account"] if str(a)}) if "account" in rows else []
    where = f" of {and_list(quoted(a) for a in names)}" if names else " of the account"
    words = sorted({str(d) for d in picked["label"] if _opening_words(d)} | {
        str(d) for d in picked["description"] if _opening_words(d)}) or ["an opening balance"]
    return (f"{plural(n, 'row')} {plural_word(n, 'is', 'are')} the opening {plural_word(n, 'balance')}{where} "
            f"({and_list(quoted(w) for w in words)}, the first row of {plural_word(n, 'its', 'their')} "
            f"{plural_word(n, 'account')}): {plural_word(n, 'it is', 'they are')} {KEPT_AS_TRANSFERS}, "
            "in the balance but never income or spending.")
