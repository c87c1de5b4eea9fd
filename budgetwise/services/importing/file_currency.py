"""Importing: where the currency of a file's rows comes from, for the preview (session 10).

The Import page's "Currency of this file" showed the user's currency even when a currency column
gave each row its own (QA 2026-12-05): the picker only fills rows that carry no currency. This
says which source decides (the order the parser applies: a currency column per row; else an
OFX statement's ``CURDEF``; else the currency the user chose; else a code in an amount column's
header, ``Betrag (EUR)``; else the user's currency), which currencies the rows have, and what the
picker stands for.

Session 13: the lowest tier is the currency of the account the rows go to when one is known before
the parse (the Account box, ``--account``, the account saved with the column mapping, an OFX
statement's known account): a file without a currency imported into "GBP card" is in GBP
(:func:`rows_default`). Before, its rows were stored in the user's currency, so a statement's
balance could not set the account's opening balance. Only then the user's currency.

Session 14 (newuser): the account the rows land in decides for a file's account column too. A CSV
whose "Account" column named the user's GBP account, with no currency anywhere, stored its rows in
the user's EUR inside that GBP account, and the preview said nothing. Now the rows its column puts
into an account the user already has take that account's currency (:func:`adopt_account_currencies`),
below every tier the file or the user gives. Rows with no account of their own (a new account the
import creates, or none named) keep the user's currency, and go to an account in it
(:mod:`.by_currency`): with no account chosen that is the account they land in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.importing import ImportOptions, ParsedFile
from budgetwise.importing.headers import header_currency
from budgetwise.importing.iban import CHANGEOVER, country_name, iban_country, iban_currency
from budgetwise.models import Account
from budgetwise.money import minor_digits
from budgetwise.services import accounts, preferences
from budgetwise.services.account_numbers import by_ofx
from budgetwise.text import plural, plural_word

_CURDEF = re.compile(rb"<\s*CURDEF\s*>\s*([A-Za-z]{3})", re.IGNORECASE)


@dataclass(frozen=True)
class AccountCurrency:
    """Rows a file's account column puts into an account of the user's, stored in its currency
    (:func:`adopt_account_currencies`): ``rows`` of them; ``kept`` more keep the file's currency because
    their amounts have more decimals than the account's currency has (EUR 12.50 into a JPY account)."""

    account: str
    currency: str
    rows: int
    kept: int = 0
    country: str = ""  # a new account the column names by an IBAN: the IBAN's country, whose currency it is


@dataclass(frozen=True)
class RowsDefault:
    """The currency of rows the file gives none (the last tier): the account's (``account`` its name)
    when the rows' account is known before the parse, else the user's (``account`` "").
    ``by_account``: the rows the file's account column puts into accounts in another currency, which
    take that account's (after the parse)."""

    currency: str
    account: str = ""
    by_account: tuple[AccountCurrency, ...] = field(default=(), compare=False)


def rows_default(session: Session, user_id: int, options: ImportOptions, *, saved: bool = False) -> RowsDefault:
    """The account chosen for the file (``options.account_id``: the Account box, ``--account``; or,
    ``saved``, the one remembered with the column mapping) gives its currency; else the user's.
    An account chosen that is not the user's is refused (NotFoundError), as the import refuses it;
    a remembered one that no longer exists is passed over (the user's currency)."""
    if options.account_id is not None:
        try:
            view = accounts.get_account(session, user_id=user_id, account_id=int(options.account_id))
        except NotFoundError:
            if not saved:
                raise
        else:
            return RowsDefault(view.currency, view.name)
    return RowsDefault(preferences.user_currency(session, user_id))


def statement_default(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions,
                      data: bytes) -> RowsDefault | None:
    """An OFX statement without ``CURDEF`` whose bank account id is already one of the user's accounts
    (and no account or currency chosen): that account's currency, as if it had been chosen. So too for a CSV/Excel
    statement whose preamble names its account by number (:func:`_preamble_default`)."""
    if parsed.file_format != "ofx":
        return _preamble_default(session, user_id, parsed, options)
    if not parsed.account or options.account_id is not None or options.currency or _CURDEF.search(data):
        return None
    found = by_ofx(session, user_id=user_id, account=parsed.account.strip()[:100], account_type=parsed.account_type)
    return RowsDefault(found.currency, found.name) if found is not None else None


def _preamble_default(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions) -> RowsDefault | None:
    """A statement's preamble naming an account number (no account or currency chosen; rows with a currency of their
    own keep it): the currency of the user's account keeping that number (where :mod:`.by_currency` puts the rows),
    else of the IBAN's country, the new account's (sec27: it made a second account of that number in the user's
    currency, "DE…3000 (2)" in USD beside "DE…3000" in EUR)."""
    from budgetwise.services.account_numbers import masked, number_of
    from budgetwise.services.importing import routing  # the account column, when it names accounts, places the rows

    number = number_of(parsed.statement_account)
    if number is None or options.account_id is not None or options.currency or routing.applies(parsed, options):
        return None
    found = session.execute(select(Account.name, Account.currency).where(
        Account.user_id == user_id, Account.external_id == number).order_by(Account.is_archived, Account.id)).first()
    if found is not None:
        return RowsDefault(str(found[1]), str(found[0]))
    days = list(parsed.rows["date"]) if len(parsed.rows) else []  # Croatia, Bulgaria: by the rows' days (session 27)
    first, last = (iban_currency(str(parsed.statement_account), on=d) for d in (min(days, default=None), max(days, default=None)))
    code = first if first == last else None  # a statement across the changeover: no one currency for its rows
    return RowsDefault(code, masked(parsed.statement_account)) if code else None


def adopt_account_currencies(session: Session, user_id: int, parsed: ParsedFile, options: ImportOptions,
                             data: bytes, default: RowsDefault,
                             ) -> tuple[ParsedFile, RowsDefault, dict[str, accounts.NamedAccount] | None]:
    """The rows of a file that names no currency (none chosen either: :func:`file_currency` says
    "default") whose account column puts them into an account the user already has in another
    currency: stored in that account's currency, their amounts moved to its minor units. A row whose
    amount cannot be written in it (more decimals than it has) keeps ``default``'s currency and is
    counted as ``kept``. Returns the parse (unchanged when no row moves), ``default`` carrying
    ``by_account`` for the preview's words, and the accounts the column names when it looked them up
    (:func:`.routing.lookup`; the preview's routing reuses them: one lookup per preview).

    Session 26 (trial26): so are the rows of a new account the column names by an IBAN, in the currency of the
    IBAN's country (:func:`budgetwise.importing.iban.iban_currency`), and the account is created in it: a bunq
    export ("NL26BUNQ…", no currency) of a CAD user became CAD rows in a new CAD account."""
    from budgetwise.services.importing import routing  # routing reads accounts and by_currency only

    rows = parsed.rows
    if rows.empty or not routing.applies(parsed, options) or file_currency(parsed, options, data, default).source != "default":
        return parsed, default, None
    looked_up = routing.lookup(session, user_id, parsed, options)
    found = {k: a for k, a in looked_up.items()
             if a.account_id is not None and not a.archived and a.currency != default.currency}
    countries: dict[str, str] = {}
    keys = routing.row_keys(rows)
    by_day: dict[str, pd.Series] = {}  # a changeover country's IBAN (session 27): each row's currency by its date
    for key, named in list(looked_up.items()):
        number = named.external_id or named.name  # the full IBAN (a new account's name masks it: session 26, bal26)
        if named.account_id is not None:
            continue
        dates = rows["date"][(keys == key).to_numpy(dtype=bool)]
        code = iban_currency(number, on=max(dates) if len(dates) else None)  # the account's: its latest row's
        if code and iban_country(number) in CHANGEOVER:
            by_day[key] = dates.map(lambda d, n=number: iban_currency(n, on=d))
        if code and (code != default.currency or (key in by_day and (by_day[key] != default.currency).any())):
            found[key] = looked_up[key] = replace(named, currency=code)  # created in it (the preview's routing)
            countries[key] = iban_country(number) or ""
    if not found:
        return parsed, default, looked_up
    currency, amount = rows["currency"].copy(), rows["amount_minor"].copy()
    moved: list[AccountCurrency] = []
    for key, target, mask in _parts(found, keys, by_day):
        shift = minor_digits(target.currency) - minor_digits(default.currency)
        scaled = [int(a) * 10**shift if shift >= 0 else (int(a) // 10**-shift if int(a) % 10**-shift == 0 else None)
                  for a in amount[mask]]
        fits = [s is not None for s in scaled]
        index = amount.index[mask][fits]
        amount.loc[index] = [s for s in scaled if s is not None]
        currency.loc[index] = target.currency
        moved.append(AccountCurrency(target.name, target.currency, len(index), len(fits) - len(index),
                                     countries.get(key, "")))
    if not moved:
        return parsed, default, looked_up
    rows = rows.assign(currency=currency, amount_minor=amount)
    return replace(parsed, rows=rows), replace(default, by_account=tuple(moved)), looked_up


def _parts(found: dict[str, accounts.NamedAccount], keys: pd.Series, by_day: dict[str, pd.Series],
           ) -> list[tuple[str, accounts.NamedAccount, np.ndarray]]:
    """(key, the account in the currency its rows take, which rows) for :func:`adopt_account_currencies`: one part per
    account, or per currency of a changeover country's IBAN (its rows before the day in the old currency: session 27)."""
    out = []
    for key, target in found.items():
        mask = (keys == key).to_numpy(dtype=bool)
        if key not in by_day:
            if mask.any():
                out.append((key, target, mask))
            continue
        day = pd.Series(None, index=keys.index, dtype=object)
        day.loc[by_day[key].index] = by_day[key]
        for code in dict.fromkeys(by_day[key].tolist()):
            out.append((key, replace(target, currency=code), mask & (day == code).to_numpy(dtype=bool)))
    return out


@dataclass(frozen=True)
class FileCurrency:
    """``source``: "column" (a currency column, per row), "statement" (OFX CURDEF), "chosen" (the
    user's choice), "header" (a code in an amount header), "account" (the currency of the account
    the rows go to, ``account`` its name), "accounts" (the currencies of the accounts the file's
    account column names, ``by_account``; the user's for the other rows) or "default" (the user's currency).
    ``fallback``: the currency of rows without one of their own (what the picker shows);
    ``automatic``: the fallback when the user chooses nothing; ``found``: (code, rows), most first."""

    source: str
    fallback: str
    automatic: str
    found: tuple[tuple[str, int], ...]
    column: str = ""  # the currency column's or the amount header's name
    account: str = ""  # the account whose currency rows without one get ("" : the user's currency)
    by_account: tuple[AccountCurrency, ...] = ()  # "accounts": the rows stored in their account's currency
    missing: int = 0  # "column": the rows with an empty currency cell (they take ``fallback``)

    @property
    def asks(self) -> bool:
        """Whether a currency for rows without one of their own is wanted: not for a statement that names its
        currency, nor where a currency column gives every row one (session 23: the picker showed anyway)."""
        return self.source != "statement" and not (self.source == "column" and not self.missing)

    @property
    def from_file(self) -> bool:
        """The file itself decides the rows' currency (the picker only fills rows without one, or nothing)."""
        return self.source in ("column", "statement")

    @property
    def note(self) -> str:
        """The currency in words, for the preview ("" when it is simply the one the picker shows)."""
        found = ", ".join(f"{c} ({plural(n, 'row')})" for c, n in self.found)
        if self.source == "column":
            return (f"Each row's currency comes from the file's “{self.column}” column: {found or 'no readable row'}."
                    + (f" {plural(self.missing, 'row')} with an empty currency cell {plural_word(self.missing, 'is', 'are')}"
                       f" stored in {self.fallback}." if self.missing else ""))
        if self.source == "statement":
            return f"The statement names its currency: {self.fallback}."
        if self.source == "header":
            return f"The column “{self.column}” names the currency: {self.fallback}."
        if self.source == "account":
            return (f"The file names no currency, so its rows are stored in {self.fallback}, "
                    f"the currency of the account “{self.account}”.")
        if self.source == "accounts":
            return self._accounts_note()
        if self.source == "default":  # said, not assumed silently (session 29, trial29: a Dutch file as "$")
            return (f"The file names no currency, so its amounts are taken as {self.fallback}, your currency "
                    "(stored as they are, not converted). If the file is in another, choose it before importing (Currency of "
                    "this file; --currency).")
        return ""

    def _accounts_note(self) -> str:
        parts, moved = [], 0
        for a in self.by_account:
            moved += a.rows
            new = f", a new account: an IBAN of {country_name(a.country)}" if a.country else ""
            part = f"“{a.account}” in {a.currency} ({plural(a.rows, 'row')}{new})"
            if a.kept:
                part += (f"; {a.kept:,} more {plural_word(a.kept, 'keeps', 'keep')} {self.fallback}: "
                         f"{'its amount has' if a.kept == 1 else 'their amounts have'} more decimals than "
                         f"{a.currency} allows")
            parts.append(part)
        others = sum(n for _, n in self.found) - moved
        into = ("an account are stored in its currency" if any(a.country for a in self.by_account)
                else "your accounts are stored in each account's currency")
        return (f"The file names no currency, so the rows its Account column puts into {into}: " + "; ".join(parts) + "."
                + (f" The other {'row' if others == 1 else plural(others, 'row')} {plural_word(others, 'is', 'are')} "
                   f"stored in {self.fallback}." if others else "")  # "The other 1 row" (session 26)
                + " Choose a currency for the file (Currency of this file; --currency) to store every row in it instead.")


def file_currency(parsed: ParsedFile, options: ImportOptions, data: bytes, default: RowsDefault | str) -> FileCurrency:
    """Where the currency of ``parsed``'s rows comes from (see the module's docstring); ``default``:
    the last tier (:func:`rows_default`; a plain code: the user's currency)."""
    if isinstance(default, str):
        default = RowsDefault(default)
    user_currency, last = default.currency, ("account" if default.account else "default")
    rows = parsed.rows
    found = tuple((str(k), int(v)) for k, v in rows["currency"].value_counts().items()) if not rows.empty else ()
    chosen = (options.currency or "").upper()
    header_name, header_code = "", None
    mapping = parsed.mapping
    if parsed.file_format != "ofx" and mapping is not None and parsed.header_row:
        for col in (mapping.amount, mapping.debit, mapping.credit):
            if col is not None and col < len(parsed.columns):
                code = header_currency(str(parsed.columns[col]))
                if code:
                    header_name, header_code = str(parsed.columns[col]), code
                    break
    automatic = header_code or user_currency
    fallback = chosen or automatic
    if parsed.file_format == "ofx":
        curdef = _CURDEF.search(data)
        if curdef:
            code = curdef.group(1).decode("ascii").upper()
            return FileCurrency("statement", code, code, found)
        return FileCurrency("chosen" if chosen else last, fallback, user_currency, found, account=default.account)
    if mapping is not None and mapping.currency is not None:
        column = str(parsed.columns[mapping.currency]) if mapping.currency < len(parsed.columns) else "Currency"
        return FileCurrency("column", fallback, automatic, found, column, account=default.account,
                            missing=parsed.currency_missing)
    if chosen:
        return FileCurrency("chosen", fallback, automatic, found)
    if header_code:
        return FileCurrency("header", fallback, automatic, found, header_name)
    if default.by_account:
        return FileCurrency("accounts", fallback, automatic, found, by_account=default.by_account)
    return FileCurrency(last, fallback, automatic, found, account=default.account)
