"""Importing: which account each row goes to when the file has an account column (issue #19).

A CSV/Excel file whose column is mapped to the role ``account`` (a Mint/aggregator export, a
household history with "Checking", "Visa", "Savings") puts each row into the user's account of
that name (any case and spacing), or the account that already holds earlier rows with that value,
or a new account the commit creates in its own transaction (:func:`accounts.accounts_for_names`).
Rows without a value go to the import's default target. An account chosen for the import (the
page's "Account" box, ``--account``, or the one remembered with the saved mapping) wins: every
row goes there, and the preview says the column is not used. OFX statements map their bank
account id instead (:func:`accounts.account_for_import`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.orm import Session

from budgetwise.errors import ImportFileError
from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.importing.iban import CHANGEOVER, iban_country
from budgetwise.importing.words import NEW_ACCOUNT_KINDS
from budgetwise.names import quoted
from budgetwise.services import accounts
from budgetwise.services.account_numbers import number_of, row_text
from budgetwise.services.importing import by_currency, card
from budgetwise.services.importing.duplicates import accounts_holding
from budgetwise.text import plural_word


@dataclass(frozen=True)
class AccountShare:
    """One account the preview's rows go to, and how many (duplicates left out unless imported)."""

    name: str
    rows: int
    new: bool = False  # the import creates it
    from_file: bool = True  # False: the default target (rows without an account value, or every row)
    kind: str = ""  # a new account the file names: the type it gets, guessed from its name

    def as_dict(self) -> dict:
        return {"name": self.name, "rows": self.rows, "new": self.new, "from_file": self.from_file,
                "kind": self.kind}

    @property
    def new_label(self) -> str:
        """How the preview marks a new account: "new, savings account" ("new account" without a guess)."""
        return f"new, {accounts.kind_phrase(self.kind)}" if self.kind else "new account"


def row_keys(rows: pd.DataFrame) -> pd.Series:
    """Each row's account key ("" without a value): the name folded as account names are."""
    if rows.empty:
        return pd.Series([], dtype=object)
    codes, uniques = pd.factorize(rows["account"].fillna(""))
    folded = [accounts.import_account_key(str(u)) for u in uniques]
    return pd.Series([folded[c] if c >= 0 else "" for c in codes], index=rows.index, dtype=object)


def file_values(rows: pd.DataFrame) -> list[str]:
    """The account values the file's rows carry (first spelling of each), in order of appearance."""
    if rows.empty:
        return []
    seen: dict[str, str] = {}
    for v in rows["account"].dropna().unique():
        name = accounts.import_account_name(str(v))
        if name:
            seen.setdefault(accounts.import_account_key(name), name)
    return list(seen.values())


def applies(parsed: ParsedFile, options: ImportOptions) -> bool:
    """Rows go to the accounts their account column names: a CSV/Excel file with account values
    and no account chosen for the import."""
    return _applies(parsed, options, file_values(parsed.rows))


def _applies(parsed: ParsedFile, options: ImportOptions, values: list[str] | tuple[str, ...]) -> bool:
    return parsed.file_format != "ofx" and options.account_id is None and bool(values)


def _names(rows: pd.DataFrame, fallback_currency: str | None) -> dict[str, str]:
    """{file value: currency of its rows} (the rows' own when they agree, else the file's/user's)."""
    out: dict[str, str] = {}
    values = rows["account"].fillna("")
    for value, part in rows[values != ""].groupby(values[values != ""], sort=False):
        currencies = part["currency"].unique()
        if len(currencies) > 1 and iban_country(str(value)) in CHANGEOVER:  # kuna then euro rows: the euro account's
            out[str(value)] = str(max(zip(part["date"], part["currency"]))[1])  # (session 27)
            continue
        out[str(value)] = str(currencies[0]) if len(currencies) == 1 else (fallback_currency or "")
    return {v: c for v, c in out.items() if accounts.import_account_name(v)}


def _fallback(session: Session, user_id: int, options: ImportOptions) -> str:
    return options.currency or accounts.rates.user_currency(session, user_id)


def _refuse_archived(found: dict[str, accounts.NamedAccount]) -> None:
    archived = [a.name for a in found.values() if a.archived]
    if archived:
        raise ImportFileError(
            f"The file's rows name the archived {plural_word(len(archived), 'account')} "
            f"{', '.join(quoted(n) for n in archived)}: restore it on the Accounts page, or choose one account "
            "for the whole file."
        )


def lookup(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions) -> dict[str, accounts.NamedAccount]:
    """The accounts the file's values stand for, nothing created (the preview, reconciliation)."""
    return accounts.accounts_for_names(session, user_id=user_id, names=_names(parsed.rows, _fallback(
        session, user_id, options)), cards=card.number_column(parsed))


def one_card(parsed: ParsedFile, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with an empty card number given the file's card (a payment row of a card statement is that card's,
    not the first credit-card account's; session 27); with several cards (session 28: an authorised user's card
    beside the holder's), the card with the most rows (the first in the file on a tie), never another card account
    for its type alone; as they are otherwise."""
    if rows.empty or not card.number_column(parsed):
        return rows
    blank = rows["account"].fillna("").astype(str).str.strip() == ""
    if not blank.any():
        return rows
    named = parsed.rows["account"].fillna("").astype(str)
    named = named[named.str.strip() != ""]
    if named.empty:
        return rows
    keys = named.map(accounts.import_account_key)
    counts = keys.value_counts(sort=False)
    main = max(dict.fromkeys(keys), key=lambda k: counts[k])  # most rows; first seen on a tie
    out = rows.copy()
    out.loc[blank, "account"] = named[keys == main].iloc[0]
    return out


@dataclass(frozen=True, eq=False)
class Routes:
    """A file's account column resolved once (:func:`resolve`): whether it is used, the values it carries,
    the accounts they stand for (nothing created) and each row's key. The preview's target, its shares
    and its reconciliation all read one of these, so the accounts are looked up once per preview (they
    were looked up three times: import target, shares, the several-accounts check)."""

    applies: bool
    values: tuple[str, ...]  # the file's account values (first spelling of each), OFX or not
    found: dict[str, accounts.NamedAccount]  # by key; empty when the column is not used
    keys: pd.Series  # each row's key ("" without a value); empty when the column is not used
    # {currency: account} for the rows nothing else places (:mod:`.by_currency`); empty when an account
    # is chosen for the file or an OFX statement names its account
    defaults: dict[str, accounts.NamedAccount] = field(default_factory=dict)
    default_note: str = ""  # why those rows do not go to the default account ("" when they do)


def by_currency_applies(parsed: ParsedFile, options: ImportOptions) -> bool:
    """Rows nothing else places go to an account in their currency: no account chosen for the file
    (page box, --account, saved mapping) and no OFX account id."""
    return options.account_id is None and not (parsed.file_format == "ofx" and parsed.account)


def resolve(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions,
            found: dict[str, accounts.NamedAccount] | None = None, fps: pd.Series | None = None) -> Routes:
    """The file's :class:`Routes` as the database stands (nothing created); ``found``: the accounts the
    column names when the caller has looked them up already (:func:`lookup`); ``fps``: the rows' fingerprints when
    the caller has them (the account holding the file's rows imported before: :func:`.duplicates.accounts_holding`)."""
    values = tuple(file_values(parsed.rows))
    applies_ = _applies(parsed, options, values)
    keys = row_keys(one_card(parsed, parsed.rows)) if applies_ else pd.Series([], dtype=object)
    defaults: dict[str, accounts.NamedAccount] = {}
    why = ""
    if by_currency_applies(parsed, options):
        placed = parsed.rows[(keys == "").to_numpy(dtype=bool)] if applies_ and len(keys) else parsed.rows
        header = card.card_header(parsed)  # a card statement: the credit-card account (session 22)
        holding = accounts_holding(session, user_id, placed, fps)
        defaults = by_currency.plan(session, user_id, by_currency.currencies_of(placed), card=header is not None,
                                    named=by_currency.statement_account_name(parsed.statement_account),
                                    number=number_of(parsed.statement_account), holding=holding)
        open_ = accounts.list_accounts(session, user_id=user_id)
        cards = {a.id for a in open_ if a.kind == card.CARD_KIND}
        to_card = next((t for t in defaults.values() if t.account_id in cards), None)
        why = (card.card_account_note(header, to_card.name) if header and to_card is not None
               else by_currency.note(defaults, accounts.default_of(open_), holding))
    if not applies_:
        found = {}
    elif found is None:
        found = lookup(session, user_id, parsed, options)
    return Routes(applies_, values, found, keys, defaults, why)


def _default_share(routes: Routes, currency: str, default_name: str, default_new: bool) -> tuple[str, bool, bool, str]:
    t = routes.defaults.get(currency)
    if t is None:
        return (default_name, default_new, False, "")
    return (t.name, t.account_id is None, False, t.kind if t.account_id is None else "")


def row_accounts(routes: Routes, rows: pd.DataFrame, default_id: int | None, default_name: str
                 ) -> list[tuple[int | None, str]]:
    """The account (id, None for a new one; name) each of ``rows`` (indexed as the file's) goes to, as :func:`shares`
    counts them: the one its account value names, else the one in its currency, else the import's (``default_id``,
    ``default_name``)."""
    out: list[tuple[int | None, str]] = []
    for i, cur in zip(rows.index, rows["currency"].astype(str)):
        acct = routes.found.get(routes.keys.get(i, "")) if routes.applies else None
        acct = acct if acct is not None else routes.defaults.get(cur)
        out.append((acct.account_id, acct.name) if acct is not None else (default_id, default_name))
    return out


def row_names(routes: Routes, rows: pd.DataFrame, default_name: str) -> list[str]:
    """The name of the account each of ``rows`` (the preview's first rows, indexed as the file's) goes to, as
    :func:`shares` counts them (session 28: a file of several cards says which row goes where)."""
    return [name for _, name in row_accounts(routes, rows, None, default_name)]


def _counted(counts: dict[tuple[str, bool, bool, str], int]) -> tuple[AccountShare, ...]:
    return tuple(sorted((AccountShare(nm, c, new, ff, kind) for (nm, new, ff, kind), c in counts.items()),
                        key=lambda s: (-s.rows, s.name)))


def shares(
    parsed: ParsedFile, routes: Routes, new_rows: pd.Series, default_name: str, default_new: bool,
) -> tuple[tuple[AccountShare, ...], str]:
    """The preview: the accounts the importable rows go to with their counts (most rows first), and a
    note in words when the file's account column is not used, or when rows go to an account in their
    currency instead of the default account (:mod:`.by_currency`)."""
    mask = new_rows.to_numpy(dtype=bool)
    n = int(mask.sum())
    values = list(routes.values)
    currency = parsed.rows["currency"].astype(str) if len(parsed.rows) else pd.Series([], dtype=object)
    counts: dict[tuple[str, bool, bool, str], int] = {}
    if not routes.applies:
        note = ""
        if values and parsed.file_format != "ofx":
            # no numbers (sec27): as each row keeps its text (row_text, session 27)
            shown = ", ".join(dict.fromkeys(row_text(v) or v for v in values[:5])) + (", …" if len(values) > 5 else "")
            note = (f"The account chosen for this import, {default_name}, takes every row; the file's account "
                    f"column ({shown}) is kept only as each row's account text.")
        if routes.defaults and n:
            for cur in currency[mask]:
                share = _default_share(routes, cur, default_name, default_new)
                counts[share] = counts.get(share, 0) + 1
            return _counted(counts), routes.default_note
        return (AccountShare(default_name, n, default_new, False),), note
    found = routes.found
    for k, cur in zip(routes.keys[mask], currency[mask]):
        acct = found.get(k)
        share = (_default_share(routes, cur, default_name, default_new) if acct is None
                 else (acct.name, acct.account_id is None, True, acct.kind if acct.account_id is None else ""))
        counts[share] = counts.get(share, 0) + 1
    result = _counted(counts)
    archived = [a.name for a in found.values() if a.archived]
    created = [a.name for a in found.values() if a.account_id is None]
    if archived:
        note = (f"The file names archived {plural_word(len(archived), 'account')} {', '.join(archived)}: restore "
                "it on the Accounts page or choose one account for the whole file before importing.")
    elif len(created) > accounts.MAX_NEW_IMPORT_ACCOUNTS:
        note = accounts.too_many_new_accounts(created)
    elif any(s.new and s.from_file for s in result):
        note = NEW_ACCOUNT_KINDS.cli
    else:
        note = ""
    if routes.default_note and any(not s.from_file for s in result):
        note = (note + " Rows without an account in the file: " + routes.default_note[0].lower()
                + routes.default_note[1:]).strip()
    return result, note


def assign(
    session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions, new: pd.DataFrame,
    default_target: Callable[[], int | None], kinds: dict[str, str] | None = None,
) -> int | None | list[int | None]:
    """The commit: the account of each row to insert (one id for all, or one per row), creating the
    accounts the file names that the user does not have yet, and the accounts in the rows' currency
    that nothing else places (:mod:`.by_currency`), inside the caller's transaction. ``kinds``: {account key: type}
    the user chose for new accounts the file names (:mod:`.new_account_kinds`), instead of the guess."""
    by_cur = by_currency_applies(parsed, options)
    if not applies(parsed, options) or new.empty:
        if by_cur and not new.empty:
            return by_currency.per_row(session, user_id, new, card=card.card_header(parsed) is not None,  # type: ignore[return-value]
                                       named=by_currency.statement_account_name(parsed.statement_account),
                                       number=number_of(parsed.statement_account),
                                       holding=accounts_holding(session, user_id, parsed.rows))
        return default_target()
    new = one_card(parsed, new)
    keys = row_keys(new)
    blank = (keys == "").to_numpy(dtype=bool)
    default_ids: list[int | None] = []
    if blank.any():
        if by_cur:
            unnamed = parsed.rows[(row_keys(one_card(parsed, parsed.rows)) == "").to_numpy(dtype=bool)]  # the file's rows of no account
            placed = by_currency.per_row(session, user_id, new[blank], keep_starter=True,
                                         card=card.card_header(parsed) is not None,
                                         named=by_currency.statement_account_name(parsed.statement_account),
                                         number=number_of(parsed.statement_account),
                                         holding=accounts_holding(session, user_id, unnamed))
            default_ids = placed if isinstance(placed, list) else [placed] * int(blank.sum())  # type: ignore[assignment]
        else:
            default_ids = [default_target()] * int(blank.sum())
    found = accounts.accounts_for_names(
        session, user_id=user_id, names=_names(new, _fallback(session, user_id, options)), create=True,
        keep_starter=bool(blank.any()), kinds=kinds, cards=card.number_column(parsed),
    )
    _refuse_archived(found)
    ids = {k: a.account_id for k, a in found.items()}
    blanks = iter(default_ids)
    return [ids.get(k) if k else next(blanks) for k in keys]


def destinations(routes: Routes) -> list[accounts.NamedAccount] | None:
    """For reconciliation: None when neither the file's account column nor the rows' currency decides;
    else the accounts the file's rows go to (more than one: the statement's balance cannot be one
    account's)."""
    defaults: list[accounts.NamedAccount] = []
    for t in routes.defaults.values():
        if all((t.name, t.account_id) != (d.name, d.account_id) for d in defaults):
            defaults.append(t)
    if not routes.applies:
        return defaults or None
    found = routes.found
    keys = set(routes.keys)
    out = [found[k] for k in keys if k in found]
    if "" in keys and defaults:
        out.extend(defaults)
    elif "" in keys or any(k not in found for k in keys if k):
        out.append(accounts.NamedAccount("", None, ""))  # the default target's share
    return out
