"""Importing: a file that names neither its account nor its currency is not guessed into an account (session 27).

Until session 26 such a CSV/Excel file (no account column, no account in a preamble, no currency column, no code in an
amount header, none chosen) was stored in the user's currency, in the default account or the first one in that
currency, with only a note that the currency was assumed. For a user whose accounts are all in one currency that is the
right guess, and stays the smooth path. For a user whose accounts are in two or more currencies (or whose accounts are
in another currency than the one the rows would be stored in) the guess is not safe: a UK file went into a Canadian
history (trial26). Then the preview asks (:func:`question`): nothing is imported until an account is chosen for the
file (the Account box; ``--account``) or its currency (``--currency``, which sends its rows to an account in it). A file
whose rows were imported before is not asked about: the account holding them decides (:mod:`.by_currency`).

Session 28 (cards28): a card statement numbering one card that none of the user's accounts keeps, for a user with
exactly one credit-card account that keeps no number and holds no rows (a "Visa" made by hand before the first import),
is asked about too (:func:`suggestion`): since route27 its rows went to a new "Card …1234" beside that account, while the
user who made "Visa" expects the statement there. Putting them there unasked would be route27's bug again (an unrelated
card account taken for its type alone: the user's "Visa" may be another card); making a second card account unasked
is what the user did not expect. So the import asks, with that account suggested; chosen, it keeps the card's digits
(:func:`.account_numbers.keep_number`) and the next statement goes there by itself. With two or more such accounts, or
one holding rows or keeping a number (then it is another card's), the statement makes its own "Card …1234" as before.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.importing.headers import card_digits
from budgetwise.models import Transaction
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.services.account_numbers import card_clash, ofx_card
from budgetwise.services.importing import card, routing
from budgetwise.services.importing.duplicates import accounts_holding
from budgetwise.services.importing.file_currency import FileCurrency
from budgetwise.text import and_list, plural_word

# what the command line prints after the question (the page shows PAGE_ANSWER: its Account box and currency picker)
CLI_ANSWER = ("Pass --account NAME (the account the file belongs to) or --currency CODE (its rows go to your account in "
              "that currency).")
PAGE_ANSWER = ("Choose the account it belongs to in the “Account” box below (or “New account…”), or its currency in "
               "“Currency of this file” (or confirm the one shown with the button below): nothing is imported until you "
               "do.")
CARD_ASKS = "Which account is this card statement's?"  # how a card question (:func:`suggestion`) begins
CARD_CLI_ANSWER = ("Pass --account NAME: the account suggested (it then keeps the card's number, so the card's next "
                   "statement goes there by itself), or another one (`budgetwise accounts add` makes a new one).")
CARD_PAGE_ANSWER = ("Choose it in the “Account” box below (it then keeps the card's number, so the card's next statement "
                    "goes there by itself), another account, or “New account…”: nothing is imported until you do.")
CLASH_ASKS = "Which card is this statement's?"  # how a card clash question (:func:`clash_question`) begins
CLASH_CLI_ANSWER = "Pass --account NAME: the account of this card (its next statement is asked about again)."
CLASH_PAGE_ANSWER = ("Choose the card's account in the “Account” box below, or “New account…”: nothing is imported until "
                     "you do (the card's next statement is asked about again).")


def suggestion(session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions) -> accounts.AccountView | None:
    """The user's one credit-card account keeping no number and holding no rows, when the file is a card statement
    numbering one card that none of the user's accounts stands for (its rows would go to a new "Card …1234"): the
    account the import asks about (see the module's docstring); None otherwise (another user's accounts never count)."""
    if options.account_id is not None or not card.number_column(parsed) or not routing.applies(parsed, options):
        return None
    if len({d[-4:] for v in routing.file_values(parsed.rows) if (d := card_digits(v))}) != 1:
        return None
    empty = [a for a in card.card_accounts(session, user_id=user_id) if not a.external_id]
    if len(empty) != 1 or any(a.account_id is not None for a in routing.lookup(session, user_id, parsed, options).values()):
        return None
    used = session.scalar(select(Transaction.id).where(Transaction.user_id == user_id,
                                                       Transaction.account_id == empty[0].id).limit(1))
    return empty[0] if used is None else None


def card_question(parsed: ParsedFile, empty: accounts.AccountView) -> str:
    """The question a card statement asks (:func:`suggestion`): the card and the account suggested."""
    shown = next((d[-4:] for v in routing.file_values(parsed.rows) if (d := card_digits(v))), "")
    return (f"{CARD_ASKS} It numbers the card …{shown}, which none of your accounts keeps, and your credit-card "
            f"account {quoted(empty.name)} has no number and no transactions yet: is it this card's?")


def clash_question(session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions) -> str:
    """The question a card statement asks when its card cannot be told apart (session 29, sec29: two cards ending in
    the same 4 digits went into one account, the first that kept them): two of the user's accounts keep its last
    digits, or the file numbers two different cards ending so (:func:`.account_numbers.card_clash`); "" otherwise,
    and once an account is chosen for the file."""
    if options.account_id is not None:
        return ""
    if parsed.file_format == "ofx":
        card_id = ofx_card(parsed.account, parsed.account_type)
        values = [card_id] if card_id else []
    else:
        values = routing.file_values(parsed.rows) if card.number_column(parsed) and routing.applies(parsed, options) else []
    clash = card_clash(session, user_id=user_id, values=values) if values else None
    if clash is None:
        return ""
    end, names = clash
    if not names:
        return (f"{CLASH_ASKS} It numbers two different cards ending in …{end}, and a card is kept by its last 4 "
                "digits only, so they cannot go to two accounts: choose the one account for the file.")
    return (f"{CLASH_ASKS} It numbers the card …{end}, and your accounts {and_list([quoted(n) for n in names])} "
            f"{'both' if len(names) == 2 else 'all'} keep those last digits, so it is put in none of them unasked.")


def currency_answers(text: str) -> bool:
    """Whether choosing the file's currency answers :func:`question`'s ``text`` (not a card's question)."""
    return bool(text) and not text.startswith((CARD_ASKS, CLASH_ASKS))


def page_answer(text: str) -> str:
    """How the Import page says :func:`question`'s ``text`` is answered."""
    if text.startswith(CLASH_ASKS):
        return CLASH_PAGE_ANSWER
    return CARD_PAGE_ANSWER if text.startswith(CARD_ASKS) else PAGE_ANSWER


def question(session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions,
             currency: FileCurrency | None, fps: pd.Series | None = None) -> str:
    """Why this file's account must be chosen before it is imported, or "" when the import may place it: a CSV/Excel
    file, no account chosen (nor remembered with its mapping), no account column values nor a preamble's account, its
    rows' currency only assumed (``currency.source`` "default"), none of its rows stored before, and the user's open
    accounts with that currency span two or more currencies. A card statement: :func:`card_question`."""
    clash = clash_question(session, user_id=user_id, parsed=parsed, options=options)
    if clash:
        return clash
    empty = suggestion(session, user_id=user_id, parsed=parsed, options=options)
    if empty is not None:
        return card_question(parsed, empty)
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
        answer = CLASH_CLI_ANSWER if text.startswith(CLASH_ASKS) else CARD_CLI_ANSWER if text.startswith(CARD_ASKS) \
            else CLI_ANSWER
        raise ValidationError(f"{text} {answer}", field="account")
