"""Credit cards whose computed balance is in credit: probably a missing opening balance (session 29, trial29).

An export that starts mid-history (the Kaggle file) holds card payments for charges made before it: the card's
computed balance is positive (+$12,143.62), and net worth and the Cash flow's lowest balance count it as money the
user has. A card that the user has not set to match the bank and that opens at zero is named, with what to do; nothing
is changed without the user (``account_balance.set_balance_on`` is theirs to call).
"""

from __future__ import annotations

from collections.abc import Collection

from budgetwise.money import format_money
from budgetwise.names import quoted
from budgetwise.services.accounts import AccountBalance, Balances
from budgetwise.text import and_list, plural_word


def cards_in_credit(balances: Balances) -> tuple[AccountBalance, ...]:
    """The open credit cards with a positive balance, no opening balance and no balance set to match the bank."""
    return tuple(b for b in balances.accounts
                 if b.account.kind == "credit_card" and not b.account.is_archived and b.balance_minor > 0
                 and b.account.opening_balance_minor == 0 and b.account.balance_confirmed_on is None)


def projection_note(balances: Balances, account_ids: Collection[int] | None, locale: str = "en_US") -> str | None:
    """The Cash flow's words when a card in credit is among the accounts it counts (``account_ids`` None: all)."""
    cards = [b for b in cards_in_credit(balances) if account_ids is None or b.account.id in account_ids]
    if not cards:
        return None
    named = and_list(f"{quoted(b.account.name)} is a credit card in credit "
                     f"({format_money(b.balance_minor, b.account.currency, locale, signed=True)})" for b in cards)
    one = len(cards) == 1
    return (f"{named}: {'its opening balance is' if one else 'their opening balances are'} probably missing (the "
            f"imported history starts after the {plural_word(len(cards), 'card')} had a balance), so the balance "
            "projected here counts that credit as money you have. Set what your bank shows on the Accounts page "
            "(“Set a balance to match your bank”); nothing is changed until you do.")
