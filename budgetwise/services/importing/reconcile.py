"""Statement reconciliation (issue #19): does the account's computed balance match the statement?

A file that states a balance (OFX ``LEDGERBAL``; a running balance column, see
``importing/statement.py``) is checked against the account its rows go to: the account's
balance at the end of the statement's day (opening balance and every transaction up to that
day, other currencies converted as ``accounts.balances`` does) plus, before the import, this
file's rows that will be imported. A difference is shown, never corrected silently; setting the
account's opening balance so the account matches the statement is an explicit choice
(:func:`set_opening_from_statement`), written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from sqlalchemy.orm import Session

from budgetwise.dates import day_text
from budgetwise.errors import ValidationError
from budgetwise.importing import statement as statement_reader
from budgetwise.importing.model import ImportOptions, ParsedFile, StatementBalance
from budgetwise.money import format_money, from_minor
from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services import accounts
from budgetwise.services.account_numbers import by_ofx
from budgetwise.services.audit import record
from budgetwise.services.balance_known import statement_day
from budgetwise.services.importing import balance_undo, routing
from budgetwise.services.profile import user_date_format, user_locale


@dataclass(frozen=True)
class Target:
    """The account an import's rows go to; ``account_id`` None: the import creates it (an OFX
    account id seen for the first time) or the user has no open account yet."""

    account_id: int | None
    name: str
    currency: str


@dataclass(frozen=True)
class Reconciliation:
    statement: StatementBalance
    account_id: int | None
    account_name: str
    account_currency: str
    computed_minor: int | None  # the account at the end of the statement's day (None: cannot be compared)
    difference_minor: int | None  # statement minus computed
    message: str
    # True when the offer to set the opening balance was taken away because the import chose an account that shares
    # none of the file's rows (:func:`.unshared.withhold`, session 26): the command line refuses --set-opening-balance
    withheld: bool = False

    @property
    def reconciles(self) -> bool:
        return self.difference_minor == 0

    def as_dict(self) -> dict:
        """For ``--json``: amounts as exact decimal strings."""
        def money(minor: int | None, currency: str) -> str | None:
            return None if minor is None else format(from_minor(minor, currency), "f")

        return {
            "account": self.account_name, "account_currency": self.account_currency,
            "statement_balance": money(self.statement.amount_minor, self.statement.currency),
            "statement_currency": self.statement.currency, "statement_date": self.statement.date.isoformat(),
            "source": self.statement.source,
            "computed_balance": money(self.computed_minor, self.account_currency),
            "difference": money(self.difference_minor, self.account_currency),
            "reconciles": self.reconciles, "message": self.message,
        }


def statement_balance(parsed: ParsedFile, data: bytes) -> StatementBalance | None:
    """The balance the file states: its running balance column, or an OFX statement's LEDGERBAL."""
    if parsed.statement_balance is not None:
        return parsed.statement_balance
    if parsed.file_format == "ofx":
        currency = str(parsed.rows["currency"].iloc[0]) if not parsed.rows.empty else None
        return statement_reader.ledger_balance(data, currency)
    return None


def import_target(
    session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions, routes: routing.Routes | None = None,
) -> Target:
    """Where the rows go, as ``accounts.account_for_import`` decides, without creating anything: a
    file whose account column names one account (and no row lacks it) goes there (:mod:`.routing`).
    ``routes``: the file's account column as the caller resolved it (the preview: once for all)."""
    if routes is None:
        routes = routing.resolve(session, user_id, parsed, options)
    named = routing.destinations(routes)
    if named is not None and len(named) == 1:
        return Target(named[0].account_id, named[0].name, named[0].currency)
    if options.account_id is not None:
        view = accounts.get_account(session, user_id=user_id, account_id=options.account_id)
        return Target(view.id, view.name, view.currency)
    if parsed.file_format == "ofx" and parsed.account:
        ext = parsed.account.strip()[:100]
        found = by_ofx(session, user_id=user_id, account=ext, account_type=parsed.account_type)  # a card: last 4
        if found is not None:
            return Target(found.id, found.name, found.currency)
        currency = str(parsed.rows["currency"].iloc[0]) if not parsed.rows.empty else ""
        name = accounts.name_for_external_id(session, user_id=user_id, external_id=ext, account_type=parsed.account_type)
        return Target(None, name, currency or accounts.rates.user_currency(session, user_id))
    open_accounts = accounts.list_accounts(session, user_id=user_id)
    if open_accounts:
        return Target(open_accounts[0].id, open_accounts[0].name, open_accounts[0].currency)
    return Target(None, accounts.DEFAULT_ACCOUNT_NAME, accounts.rates.user_currency(session, user_id))


def _account_balance(session: Session, user_id: int, account_id: int | None, day: dt.date) -> int:
    if account_id is None:
        return 0
    found = accounts.balances(session, user_id=user_id, as_of=day)
    return next((b.balance_minor for b in found.accounts if b.account.id == account_id), 0)


def _opening_joining(session: Session, user_id: int, account_id: int | None, day: dt.date, due: pd.DataFrame) -> int:
    """The opening balance the import brings into the day's balance: an undated opening balance counts
    from the account's first transaction (``accounts.opening_start``), and the file's rows can be earlier."""
    if account_id is None or due.empty:
        return 0
    first_pending = min(due["date"])
    before = accounts.opening_start(session, user_id=user_id, account_id=account_id)
    after = accounts.opening_start(session, user_id=user_id, account_id=account_id, pending_first=first_pending)
    if before <= day or after > day:
        return 0
    return accounts.get_account(session, user_id=user_id, account_id=account_id).opening_balance_minor


def reconcile(
    session: Session, *, user_id: int, balance: StatementBalance, target: Target, locale: str = "en_US",
    pending: pd.DataFrame | None = None,
) -> Reconciliation:
    """Compare the statement's balance with the target account at the end of the statement's day.

    ``pending``: rows not stored yet that the import will add (``date``, ``amount_minor``,
    ``kind``, ``currency``), for a preview; None after the import.
    """
    name, cur = target.name, target.currency
    said = format_money(balance.amount_minor, balance.currency, locale)
    on = day_text(balance.date, user_date_format(session, user_id))  # the statement's day as the user writes dates
    if balance.currency != cur:
        return Reconciliation(
            balance, target.account_id, name, cur, None, None,
            f"The statement's balance ({said} on {on}, {balance.source}) is in "
            f"{balance.currency} but the account {quoted(name)} is in {cur}: it cannot be compared with the account, "
            f"nor set its opening balance. Import into an account in {balance.currency}, or set the opening "
            "balance by hand.",
        )
    computed = _account_balance(session, user_id, target.account_id, balance.date)
    if pending is not None and not pending.empty:
        due = pending[pending["date"] <= balance.date]
        if (due["currency"] != cur).any():
            return Reconciliation(
                balance, target.account_id, name, cur, None, None,
                f"The statement's balance ({said} on {on}) cannot be checked: some of the "
                f"file's rows are in another currency than the account {quoted(name)} ({cur}).",
            )
        signed = due["amount_minor"].astype("int64").where(due["kind"] == "income", -due["amount_minor"].astype("int64"))
        computed += int(signed.sum())
        computed += _opening_joining(session, user_id, target.account_id, balance.date, due)
    difference = balance.amount_minor - computed
    # "after this import" only when the import adds rows: a file already imported changes nothing (QA)
    adds = pending is not None and not pending.empty
    when = "will be at" if adds else "is at"
    if difference == 0:
        message = (f"The statement's balance on {on}, {said} ({balance.source}), matches the "
                   f"account {quoted(name)}{' after this import' if adds else ''}.")
    else:
        message = (
            f"The statement says {said} on {on} ({balance.source}), but the account {quoted(name)} "
            f"{when} {format_money(computed, cur, locale)} on that day{' after this import' if adds else ''}: "
            f"a difference of {format_money(difference, cur, locale, signed=True)}. Transactions missing before "
            "the statement, or an opening balance not set, explain it; the account's opening balance can be set "
            "so that it matches the statement."
        )
    return Reconciliation(balance, target.account_id, name, cur, computed, difference, message)


def _confirmed_day(day: dt.date) -> dt.date:
    """The day a statement's balance confirms the account's (``accounts.balance_confirmed_on``): the one rule,
    :func:`.balance_known.statement_day` (never after today; session 25), on the server's day."""
    return statement_day(day, dt.date.today())


def set_opening_from_statement(
    session: Session, *, principal: Principal, account_id: int, balance: StatementBalance, batch_id: int | None = None,
) -> accounts.AccountView:
    """Set the account's opening balance so that its balance at the end of the statement's day is
    the statement's (the user's explicit choice; audited). Refused with a specific message when the
    statement is in another currency or the account's opening date is after the statement's day.
    ``batch_id``: the import whose file stated the balance: undoing it puts the account back
    (:mod:`.balance_undo`)."""
    user_id = principal.user_id
    # read under the one lock order of account edits (account_lock): the figures it works from are the latest
    view = accounts.locked_account(session, user_id=user_id, account_id=account_id)
    if batch_id is not None:  # another user's import: refused before anything is written
        balance_undo.batch_of(session, user_id=user_id, batch_id=batch_id)
    if balance.currency != view.currency:
        raise ValidationError(
            f"The statement's balance is in {balance.currency} but the account {quoted(view.name)} is in {view.currency}: "
            "it cannot set the account's opening balance. Set it by hand in the account's currency.",
            field="opening_balance",
        )
    if view.opening_date is not None and view.opening_date > balance.date:
        raise ValidationError(
            f"The account {quoted(view.name)} opens on {day_text(view.opening_date, principal.date_format, principal.locale)}, "
            f"after the statement's date {day_text(balance.date, principal.date_format, principal.locale)}: change its "
            "opening date first.",
            field="opening_date",
        )
    computed = _account_balance(session, user_id, account_id, balance.date)
    new_minor = view.opening_balance_minor + balance.amount_minor - computed
    before = (view.opening_balance_minor, view.opening_date, view.balance_confirmed_on)
    # an opening balance that does not change leaves every later day as it was: a newer day matched before still holds
    # (session 25: an old statement that agreed moved the confirmed day back, and a current history became "old")
    confirmed = balance.date if new_minor != view.opening_balance_minor or view.balance_confirmed_on is None \
        else max(balance.date, view.balance_confirmed_on)
    updated = accounts.set_opening_balance(
        session, user_id=user_id, account_id=account_id, amount=from_minor(new_minor, view.currency),
        opening_date=view.opening_date, currency=view.currency, confirmed_on=_confirmed_day(confirmed),
    )
    if batch_id is not None:
        balance_undo.remember(session, user_id=user_id, batch_id=batch_id, account_id=account_id, before=before)
    record(
        session, principal, "account.opening_from_statement", target_user_id=user_id,
        target=f"account {account_id} ({view.name})",
        details=(f"opening balance {from_minor(view.opening_balance_minor, view.currency)} -> "
                 f"{from_minor(new_minor, view.currency)} {view.currency}; statement "
                 f"{from_minor(balance.amount_minor, balance.currency)} on {balance.date.isoformat()} ({balance.source})"),
    )
    return updated


def _several(routes: routing.Routes, balance: StatementBalance) -> Reconciliation | None:
    """A file whose rows go to several accounts (its account column) states one running balance for
    all of them: it is not checked against any one account (a note says so), nor can it set one's
    opening balance. None when the rows go to one account."""
    named = routing.destinations(routes)
    if named is None or len(named) < 2:
        return None
    names = ", ".join(sorted(quoted(a.name) if a.name else "your default account" for a in named))
    return Reconciliation(
        balance, None, "", "", None, None,
        f"The file's rows go to several accounts ({names}), but its balance column is one running balance "
        "for the whole file: it was not checked against any account. Import one account's rows at a time "
        "(or choose one account for the file) to reconcile.",
    )


def for_preview(
    session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions, data: bytes,
    new_rows: pd.Series, routes: routing.Routes | None = None,
) -> Reconciliation | None:
    """The preview's reconciliation: the account now plus the rows the import will add
    (``new_rows``: a mask over ``parsed.rows``). None when the file states no balance.
    ``routes``: as for :func:`import_target`."""
    balance = statement_balance(parsed, data)
    if balance is None:
        return None
    if routes is None:
        routes = routing.resolve(session, user_id, parsed, options)
    several = _several(routes, balance)
    if several is not None:
        return several
    target = import_target(session, user_id=user_id, parsed=parsed, options=options, routes=routes)
    pending = parsed.rows[new_rows.to_numpy(dtype=bool)] if len(parsed.rows) else parsed.rows
    return reconcile(session, user_id=user_id, balance=balance, target=target, locale=user_locale(session, user_id),
                     pending=pending)


def after_import(
    session: Session, *, user_id: int, parsed: ParsedFile, options: ImportOptions, data: bytes,
    batch_id: int | None = None,
) -> Reconciliation | None:
    """The reconciliation once the rows are stored (the command line's result). An account that matches the
    statement has its balance confirmed on the statement's day (``accounts.confirm_balance``, session 24);
    ``batch_id``: the import just committed, whose undo puts the confirmed day back (:mod:`.balance_undo`)."""
    if batch_id is not None:  # another user's import: refused before anything is written
        balance_undo.batch_of(session, user_id=user_id, batch_id=batch_id)
    balance = statement_balance(parsed, data)
    if balance is None:
        return None
    routes = routing.resolve(session, user_id, parsed, options)
    several = _several(routes, balance)
    if several is not None:
        return several
    target = import_target(session, user_id=user_id, parsed=parsed, options=options, routes=routes)
    result = reconcile(session, user_id=user_id, balance=balance, target=target, locale=user_locale(session, user_id))
    if result.reconciles and result.account_id is not None:
        before = balance_undo.state(session, user_id=user_id, account_id=result.account_id)
        accounts.confirm_balance(session, user_id=user_id, account_id=result.account_id, day=_confirmed_day(balance.date))
        if batch_id is not None:
            balance_undo.remember(session, user_id=user_id, batch_id=batch_id, account_id=result.account_id,
                                  before=before)
    return result


def after_preview(session: Session, *, user_id: int, preview: object, data: bytes,
                  batch_id: int | None = None) -> Reconciliation | None:
    """:func:`after_import` for the file and options of ``preview`` (an ``ImportPreview`` just committed as
    ``batch_id``)."""
    a = cast(Any, preview).analysis
    if a is None:
        return None
    return after_import(session, user_id=user_id, parsed=a.parsed, options=a.options, data=data, batch_id=batch_id)
