"""Importing: the type of each account a file's account column makes the import create (issue #19, session 24).

The preview guesses a type from each new account's name (:func:`budgetwise.services.account_kinds.guess_kind`:
general words in many languages, never a provider's brand) and the user can change it before importing: the
Import page offers a type box per new account, the command line ``--account-kind NAME=KIND``. An investment
account (a broker, a pension plan) is then left out of the cash-flow answers as every "investment (cash part)"
account is (:data:`budgetwise.kinds.SPENDING_ACCOUNT_KINDS`); a trial created a Bluecoins export's 21 accounts
as checking, so €4,096 at a broker counted as money to spend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from budgetwise.errors import ValidationError
from budgetwise.kinds import ACCOUNT_KINDS
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.services.importing.routing import AccountShare
from budgetwise.text import and_list


def new_from_file(shares: Iterable[AccountShare]) -> list[AccountShare]:
    """The new accounts the file's account column names (the ones whose type can be chosen), most rows first."""
    return [s for s in shares if s.new and s.from_file]


def checked(choices: Mapping[str, str] | None) -> dict[str, str]:
    """{account key: kind} from {account name as the preview shows it: kind}; an unknown type is refused
    before anything is written."""
    out: dict[str, str] = {}
    for name, kind in (choices or {}).items():
        if kind not in ACCOUNT_KINDS:
            raise ValidationError(
                f"{quoted(str(kind))} is not an account type: choose one of {and_list(list(ACCOUNT_KINDS), last='or')} "
                f"for the new account {quoted(str(name))}.", field="account_kind")
        key = accounts.import_account_key(str(name))
        if key:
            out[key] = str(kind)
    return out


def unknown_names(shares: Iterable[AccountShare], choices: Mapping[str, str]) -> list[str]:
    """The names in ``choices`` that are not new accounts of this file (a typo on the command line)."""
    new = {accounts.import_account_key(s.name) for s in new_from_file(shares)}
    return [n for n in choices if accounts.import_account_key(n) not in new]


def with_kinds(shares: Iterable[AccountShare], choices: Mapping[str, str] | None) -> tuple[AccountShare, ...]:
    """The preview's shares with the user's chosen types in place of the guesses (what the import will create)."""
    chosen = checked(choices)
    return tuple(replace(s, kind=chosen.get(accounts.import_account_key(s.name), s.kind)) if s.new and s.from_file
                 else s for s in shares)
