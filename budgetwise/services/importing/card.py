"""Importing: a card statement goes to the user's credit-card account (session 22, newuser22b).

A CSV/Excel export with a column naming the card each payment was made with (Capital One's "Card No.", PC
Mastercard's "Card Used For Transaction", Amex's "Card Member": :data:`budgetwise.importing.headers.CARD_HEADERS`)
is a card statement. With nothing else deciding (no account chosen or remembered with the mapping, no account
column, no OFX account id), its rows go to the user's first open credit-card account, not the default (checking)
account; a user with none is told so and offered the Import page's "New account…". A checking file has no such
column, or has a running balance beside it (Erste's "Kártyaszám" export), so it keeps the default account. OFX statements name their own
account type (CREDITCARD) and are not read here.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from budgetwise.importing import ParsedFile
from budgetwise.importing.headers import card_column
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.services.importing.words import CHOOSE_ACCOUNT

CARD_KIND = "credit_card"


def card_header(parsed: ParsedFile) -> str | None:
    """The header that makes the file a card statement ("Card No."), or None: never an OFX statement, nor a file
    with a running balance (a bank account's: Erste's checking export carries a card number column and a balance)."""
    if parsed.file_format == "ofx" or parsed.statement_balance is not None:
        return None
    return card_column(parsed.columns)


def card_accounts(session: Session, *, user_id: int) -> list[accounts.AccountView]:
    """The user's open credit-card accounts, in account order (the first in the rows' currency is proposed:
    :func:`budgetwise.services.importing.by_currency.plan`)."""
    return [a for a in accounts.list_accounts(session, user_id=user_id) if a.kind == CARD_KIND]


def card_account_note(header: str, name: str) -> str:
    """Why a card statement's rows go to a credit-card account and not the default one."""
    return f"{_looks_like_card(header)}, so its rows go to your credit-card account {quoted(name)}. " + CHOOSE_ACCOUNT.cli


def no_card_account_note(header: str | None, has_card_account: bool) -> str:
    """What the page says of a card statement when the user has no credit-card account ("" otherwise)."""
    if header is None or has_card_account:
        return ""
    return (f"{_looks_like_card(header)}, and you have no credit-card account: choose “New account…” above, with the "
            "type Credit card, to keep its rows apart from your bank account.")


def _looks_like_card(header: str) -> str:
    """The start of both card-statement notes: the column that makes the file one."""
    return f"This file looks like a credit-card statement (its {quoted(header)} column)"
