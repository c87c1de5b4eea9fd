"""Importing: a file that names neither its account nor its currency is not guessed into an account (session 27).

Until session 26 such a CSV/Excel file (no account column, no account in a preamble, no currency column, no code in an
amount header, none chosen) was stored in the user's currency, in the default account or the first one in that
currency, with only a note that the currency was assumed. For a user whose accounts are all in one currency that is the
right guess, and stays the smooth path. For a user whose accounts are in two or more currencies (or whose accounts are
in another currency than the one the rows would be stored in) the guess is not safe: a UK file went into a Canadian
history (trial26). Then the preview asks (:func:`question`): nothing is imported until an account is chosen for the
file (the Account box; ``--account``) or its currency (``--currency``, which sends its rows to an account in it). A file
whose rows were imported before is not asked about: the account holding them decides (:mod:`.by_currency`).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.services.importing import routing
from budgetwise.services.importing.duplicates import accounts_holding
from budgetwise.services.importing.file_currency import FileCurrency
from budgetwise.text import and_list, plural_word

# what the command line prints after the question (the page shows PAGE_ANSWER: its Account box and currency picker)
CLI_ANSWER = ("Pass --account NAME (the account the file belongs to) or --currency CODE (its rows go to your account in "
              "that currency).")
PAGE_ANSWER = ("Choose the account it belongs to in the “Account” box below (or “New account…”), or its currency in "
               "“Currency of this file” (or confirm the one shown with the button below): nothing is imported until you "
               "do.")


def question(session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions,
             currency: FileCurrency | None, fps: pd.Series | None = None) -> str:
    """Why this file's account must be chosen before it is imported, or "" when the import may place it: a CSV/Excel
    file, no account chosen (nor remembered with its mapping), no account column values nor a preamble's account, its
    rows' currency only assumed (``currency.source`` "default"), none of its rows stored before, and the user's open
    accounts with that currency span two or more currencies."""
    if (parsed.file_format == "ofx" or options.account_id is not None or currency is None
            or currency.source != "default" or parsed.statement_account or routing.applies(parsed, options)
            or parsed.rows.empty):
        return ""
    open_ = accounts.list_accounts(session, user_id=user_id)
    kept = sorted({a.currency for a in open_})
    if not open_ or set(kept) <= {currency.fallback}:
        return ""
    if accounts_holding(session, user_id, parsed.rows, fps):  # an updated export: the account holding it decides
        return ""
    names = and_list([quoted(a.name) for a in open_[:6]]) + (", …" if len(open_) > 6 else "")
    in_ = (f"your accounts are in {and_list(kept)}" if len(kept) > 1
           else f"your {plural_word(len(open_), 'account')} {plural_word(len(open_), 'is', 'are')} in {kept[0]}")
    return (f"Which account is this file's? It names neither its account nor its currency, and {in_} ({names}), "
            f"so its rows would only be guessed to be in {currency.fallback}.")


def refuse(text: str) -> None:
    """The import's refusal while :func:`question` stands (nothing written): the question and how to answer it."""
    if text:
        raise ValidationError(f"{text} {CLI_ANSWER}", field="account")
