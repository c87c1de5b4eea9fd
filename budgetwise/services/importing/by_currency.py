"""Importing: the account for rows nothing else places, chosen by their currency (session 10).

Rows that no chosen account, OFX account id or account-column value places used to go to the
user's first open account whatever their currency: a EUR file landed in a USD account without a
word. Now such rows go, per currency, to:

0. the open account in that currency that holds most of the file's rows imported before (session 25: an
   updated export of one bank, without an account column, is that account's);
1. the default account (the one the user chose, else the first open one) when it is in that currency;
2. else the user's first open account in that currency that is not another bank account's (session 26: with three
   EUR accounts, an N26 file naming no account went into bunq's, the first; an account holding rows whose account
   column named an IBAN is that account's: :func:`other_banks`);
3. else a new checking account the import creates in that currency, named for it
   ("Euro account (EUR)"; made unique like every account name). A user with no open account at
   all gets "Main account" for rows in their own currency, as before.

The preview names the account (and says why when it is not the default); the user can still
choose any account for the file, and an account chosen in another currency than the rows is
allowed (balances convert) but said in the preview. Nothing here writes except :func:`create`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd
from babel.numbers import get_currency_name
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.importing.iban import iban_country
from budgetwise.importing.words import CHOOSE_ACCOUNT
from budgetwise.models import Transaction
from budgetwise.services import accounts
from budgetwise.services.account_numbers import masked


def currencies_of(rows: pd.DataFrame) -> list[str]:
    """The rows' currencies, most rows first."""
    if rows.empty:
        return []
    return [str(c) for c in rows["currency"].value_counts().index]


def account_name(code: str) -> str:
    """The name of the account an import creates for rows in ``code``: "Euro account (EUR)"."""
    try:
        name = get_currency_name(code, locale="en")
    except (ValueError, LookupError):  # pragma: no cover - codes are validated ISO codes
        name = code
    return f"{name} account ({code})" if name and name != code else f"{code} account"


def statement_account_name(text: str | None) -> str:
    """The name an account gets from the account a statement's preamble names (``ParsedFile.statement_account``),
    its long numbers masked as an OFX account's are (:func:`accounts.external_account_name`: "…" and the last 4
    digits): "FRANK Account 666-123456-789" -> "FRANK Account …6789", "12345678" -> "Account …5678"; "" for none.
    The one rule for an account column's values too (:func:`.account_numbers.masked`, session 26)."""
    return masked(text)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while accounts.import_account_key(candidate) in taken:
        candidate = f"{name[: accounts.MAX_NAME - 5]} ({n})"
        n += 1
    return candidate


_TAKEN_SUFFIX = re.compile(r" \(\d+\)$")  # what _unique adds to a taken name


def _named(open_: Sequence[accounts.AccountView], code: str, own: str,
           number: str | None = None) -> accounts.AccountView | None:
    """The open account in ``code`` that a statement naming ``own`` goes to: the one keeping its account number
    ``number`` (:func:`.account_numbers.number_of`; session 26), else the one of that name, else the one an earlier
    import of such a statement made under a taken name ("… (2)": that name was an archived account's, or an account's
    in another currency; without it each later statement made another account, session 24). An account keeping
    another number is never it (two accounts whose numbers end alike share a masked name)."""
    key = accounts.import_account_key(own)
    cut = accounts.import_account_key(own[: accounts.MAX_NAME - 5])  # _unique cuts the name before its " (n)"
    mine = [a for a in open_ if a.currency == code and (number is None or a.external_id in (None, number))]
    numbered = next((a for a in mine if number is not None and a.external_id == number), None)
    if numbered is not None:
        return numbered
    return (next((a for a in mine if accounts.import_account_key(a.name) == key), None)
            or next((a for a in mine if _TAKEN_SUFFIX.search(a.name)
                     and accounts.import_account_key(_TAKEN_SUFFIX.sub("", a.name)) in (key, cut)), None))


def other_banks(session: Session, user_id: int, candidates: Sequence[accounts.AccountView]) -> set[int]:
    """The ids among ``candidates`` (the user's accounts) that are another bank account's: their rows' account column
    named an IBAN (bunq's, Commerzbank's export; however the account is named). Rows of a file that names no account
    do not go into them by currency alone (session 26). An OFX statement's account (its ACCTID) still takes a CSV in its
    currency, as since session 10: the same bank's CSV export of that account is the likely file. Session 27: the rows'
    text keeps the number masked, so the account keeping an IBAN as its number (``external_id``) is one too (migration
    0046 gave it to the accounts whose rows named one)."""
    out: set[int] = {a.id for a in candidates if a.external_id and iban_country(a.external_id)}
    rest = [a.id for a in candidates if a.id not in out]
    if rest:
        for account_id, value in session.execute(
            select(Transaction.account_id, Transaction.account)
            .where(Transaction.user_id == user_id, Transaction.account_id.in_(rest), Transaction.account.is_not(None))
            .group_by(Transaction.account_id, Transaction.account)
        ):
            if iban_country(str(value)):
                out.add(int(account_id))
    return out


def plan(session: Session, user_id: int, currencies: Sequence[str], *, card: bool = False, named: str = "",
         holding: Mapping[str, int] | None = None, number: str | None = None) -> dict[str, accounts.NamedAccount]:
    """{currency: the account its rows go to} (``account_id`` None: the import creates it), nothing written.
    ``card``: the file is a card statement (:mod:`.card`): a credit-card account in that currency comes first.
    ``named``: the account the file's preamble names (:func:`statement_account_name`; session 23): the rows of its
    (first) currency go to the open account of that name in that currency, else to a new account of that name (a
    statement naming another account is not the user's first account in that currency); ``number``: the account
    number in the preamble (:func:`.account_numbers.number_of`), kept by the account created and found by first.
    ``holding``: {currency: the account that holds most of the file's rows stored before}
    (:func:`.duplicates.accounts_holding`; session 25): an open one in that currency comes before all of these."""
    if not currencies:
        return {}
    every = accounts.list_accounts(session, user_id=user_id, include_archived=True)
    default = accounts.default_of(every)
    open_ = sorted((a for a in every if not a.is_archived), key=lambda a: a.id != (default.id if default else None))
    taken = {accounts.import_account_key(a.name) for a in every}
    mine = accounts.rates.user_currency(session, user_id)
    out: dict[str, accounts.NamedAccount] = {}
    for i, code in enumerate(currencies):
        own = named if i == 0 else ""
        held = (holding or {}).get(code)  # where this file's rows imported before are (session 25)
        same = next((a for a in open_ if a.id == held and a.currency == code), None) if held is not None else None
        if same is None and own:
            same = _named(open_, code, own, number)
        elif same is None:  # a statement naming another account is not this one (session 23)
            same = next((a for a in open_ if a.currency == code and a.kind == "credit_card"), None) if card else None
            if same is None:  # the default one first (open_ puts it first), not another bank account's (session 26)
                mine_ = [a for a in open_ if a.currency == code]
                own_ids = {default.id} if default is not None else set()
                others = other_banks(session, user_id, [a for a in mine_ if a.id not in own_ids])
                same = next((a for a in mine_ if a.id not in others), None)
        if same is not None:
            out[code] = accounts.NamedAccount(same.name, same.id, code)
        elif not open_ and code == mine and not own:
            out[code] = accounts.NamedAccount(accounts.DEFAULT_ACCOUNT_NAME, None, code, kind="checking")
        else:
            name = _unique(own or account_name(code), taken)
            taken.add(accounts.import_account_key(name))
            out[code] = accounts.NamedAccount(name, None, code, kind="checking", external_id=number if own else None)
    return out


def create(session: Session, user_id: int, planned: Mapping[str, accounts.NamedAccount], *,
           keep_starter: bool) -> dict[str, int]:
    """The commit: each currency's account id, creating the planned new ones (in the caller's
    transaction). The untouched starter account gives its place to the first one created only when
    nothing in this import goes to it (``keep_starter`` False and no existing account planned), and only to one in its
    currency (session 25: a CZK file's account became a EUR user's default; as an account added by hand)."""
    keep = keep_starter or any(t.account_id is not None for t in planned.values())
    ids: dict[str, int] = {}
    for code, target in planned.items():
        if target.account_id is not None:
            ids[code] = int(target.account_id)
        elif target.name == accounts.DEFAULT_ACCOUNT_NAME:
            ids[code] = accounts.default_account_id(session, user_id=user_id)
        else:
            ids[code] = accounts.create_account(session, user_id=user_id, name=target.name, currency=code,
                                                kind="checking", external_id=target.external_id,
                                                replace_starter=False if keep else None).id
    return ids


def per_row(session: Session, user_id: int, rows: pd.DataFrame, *, keep_starter: bool = False,
            card: bool = False, named: str = "", holding: Mapping[str, int] | None = None,
            number: str | None = None) -> int | list[int]:
    """The commit: the account of each of ``rows`` by its currency (one id when they share one); ``card``,
    ``named``, ``holding`` and ``number``: as :func:`plan`'s."""
    ids = create(session, user_id, plan(session, user_id, currencies_of(rows), card=card, named=named, number=number,
                                         holding=holding), keep_starter=keep_starter)
    if len(set(ids.values())) == 1:
        return next(iter(ids.values()))
    return [ids[str(c)] for c in rows["currency"].tolist()]


def note(planned: Mapping[str, accounts.NamedAccount], default: accounts.AccountView | None,
         holding: Mapping[str, int] | None = None) -> str:
    """Why the rows do not go to the default account, or "" when they do: its currency, or
    (``holding``, as :func:`plan`'s) the account that holds the file's rows imported before."""
    moved = {c: t for c, t in planned.items() if default is None or t.account_id != default.id}
    if not moved or default is None:
        return ""
    held = {c: t for c, t in moved.items() if t.account_id is not None and (holding or {}).get(c) == t.account_id}
    parts = []
    for code, t in moved.items():
        if code in held:
            continue
        if t.account_id is None:
            parts.append(f"the {code} rows go to a new account “{t.name}” that this import creates")
        else:
            parts.append(f"the {code} rows go to your {code} account “{t.name}”")
    said = [f"Your default account “{default.name}” is in {default.currency}, so " + "; ".join(parts) + "."] if parts else []
    said += [f"The {code} rows go to “{t.name}”: it holds the rows of this file imported before." for code, t in held.items()]
    return " ".join([*said, CHOOSE_ACCOUNT.cli])


def mismatch_note(target_name: str, target_currency: str, currencies: Sequence[str]) -> str:
    """An account chosen for the file in another currency than its rows: allowed, said."""
    other = [c for c in currencies if c != target_currency]
    if not other or not target_currency:
        return ""
    return (f"The account “{target_name}” is in {target_currency} but {'some of ' if len(other) < len(currencies) else ''}"
            f"the file's rows are in {', '.join(other)}: they keep their currency in it (its balance converts them "
            "at each day's rate). Choose an account in that currency to keep them apart.")
