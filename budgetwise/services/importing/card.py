"""Importing: a card statement goes to the user's credit-card account (session 22, newuser22b).

A CSV/Excel export with a column naming the card each payment was made with (Capital One's "Card No.", PC
Mastercard's "Card Used For Transaction", Amex's "Card Member": :data:`budgetwise.importing.headers.CARD_HEADERS`)
is a card statement. With nothing else deciding (no account chosen or remembered with the mapping, no account
column, no OFX account id), its rows go to the user's first open credit-card account, not the default (checking)
account; a user with none (or none in the rows' currency) is told so and offered the Import page's "New account…". A checking file has no such
column, or has a running balance beside it (Erste's "Kártyaszám" export), so it keeps the default account. OFX statements name their own
account type (CREDITCARD) and are not read here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from budgetwise.importing import ParsedFile
from budgetwise.importing.headers import card_column, card_digits, is_card_number
from budgetwise.importing.words import CHOOSE_ACCOUNT, NEW_CARD_ACCOUNT
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.text import and_list, plural_word

CARD_KIND = "credit_card"


def card_header(parsed: ParsedFile) -> str | None:
    """The header that makes the file a card statement ("Card No."), or None: never an OFX statement, nor a file
    with a running balance (a bank account's: Erste's checking export carries a card number column and a balance)."""
    if parsed.file_format == "ofx" or parsed.statement_balance is not None:
        return None
    return card_column(parsed.columns)


def number_column(parsed: ParsedFile) -> bool:
    """Whether the file's account column is its card number column ("Card No." holding "1234"; session 27): its rows
    go to the account for that card (:func:`.account_numbers.by_card`), not to a card account for its type alone."""
    i = parsed.mapping.account
    if parsed.file_format == "ofx" or i is None or i >= len(parsed.columns) or not is_card_number(parsed.columns[i]):
        return False
    values = parsed.rows["account"].dropna().astype(str) if "account" in parsed.rows else []
    return all(card_digits(v) for v in values if v.strip())


def card_accounts(session: Session, *, user_id: int) -> list[accounts.AccountView]:
    """The user's open credit-card accounts, in account order (the first in the rows' currency is proposed:
    :func:`budgetwise.services.importing.by_currency.plan`)."""
    return [a for a in accounts.list_accounts(session, user_id=user_id) if a.kind == CARD_KIND]


def card_account_note(header: str, name: str) -> str:
    """Why a card statement's rows go to a credit-card account and not the default one."""
    return f"{_looks_like_card(header)}, so its rows go to your credit-card account {quoted(name)}. " + CHOOSE_ACCOUNT.cli


def no_card_account_note(header: str | None, cards: Sequence[accounts.AccountView],
                         defaults: Mapping[str, accounts.NamedAccount]) -> str:
    """What a card statement's preview says when its rows (``defaults``: {currency: the account they go to}) do not
    go to a credit-card account ("" otherwise): the user has none, or none in the rows' currency (session 23: dollar
    rows went to the default checking account without a word when the only card account was in euros)."""
    if header is None:
        return ""
    card_ids = {c.id for c in cards}
    left = {code: t for code, t in defaults.items() if t.account_id not in card_ids}
    if not left:
        return ""
    where = and_list(dict.fromkeys(quoted(t.name) for t in left.values()))
    if not cards:
        return (f"{_looks_like_card(header)}, and you have no credit-card account: its rows go to {where}. "
                + NEW_CARD_ACCOUNT.cli)
    held = and_list(f"{quoted(c.name)} ({c.currency})" for c in cards)
    return (f"{_looks_like_card(header)}, but its rows are in {and_list(left)} and your credit-card "
            f"{plural_word(len(cards), 'account')} {held} {'is' if len(cards) == 1 else 'are'} not: they go to "
            f"{where}. " + NEW_CARD_ACCOUNT.cli)


def _looks_like_card(header: str) -> str:
    """The start of both card-statement notes: the column that makes the file one."""
    return f"This file looks like a credit-card statement (its {quoted(header)} column)"
