"""An opening-balance row becomes its account's opening balance (issue #19, session 28, open28; several accounts in
one file since session 29, open29).

fix28 kept a file's opening-balance row ("Starting Balance", "(New Account)", …: :mod:`budgetwise.importing.opening`)
as a transfer row. Now each opening row of the file (one per account: the first row of its account) is decided on
for its own account: when that account has **no opening balance** (zero, no opening date), **no row before the
row's day**, the row's currency and no other opening row of the file, the commit writes the row's amount and day as
the account's opening balance (:func:`accounts.set_opening_balance`, the accounts locked in the one order of
:mod:`.account_lock`, inside the import's savepoint: a failure writes none) and does not store the row: the balance
counts it once, the same balance as with fix28's row. Each change is recorded on the import
(:func:`.balance_undo.remember`: one entry per account), so undoing the import puts every previous opening balance
back. A re-import of the same file finds each account's opening balance equal to its row (amount and day): the row
is counted as already imported (the preview too: :attr:`OpeningPreview.already`), nothing is written twice.
Otherwise (an opening balance set by the user, earlier rows, another currency) the row stays a transfer row as in
fix28, and the line says why. One line says it all (:func:`_said`): the preview's, the result's, the command line's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.importing.opening import KEPT_AS_TRANSFERS, opening_rows
from budgetwise.models import KIND_EXPENSE, Account, Transaction
from budgetwise.money import format_money, from_minor
from budgetwise.names import name_key, quoted
from budgetwise.services import accounts
from budgetwise.services.account_lock import lock_accounts
from budgetwise.services.importing import balance_undo
from budgetwise.services.importing.categorizing import _Categories
from budgetwise.services.preferences import user_formats
from budgetwise.text import and_list, plural

if TYPE_CHECKING:
    from budgetwise.services.importing.commit import PreparedImport


SET, ALREADY, STAYS = "set", "already", "stays"


@dataclass(frozen=True)
class OpeningTaken:
    """What :func:`take` decided: ``keep`` per new row (False: not stored), ``set_on`` (account id, its opening row's
    position in the new rows) per account whose opening balance the import writes, ``said``: the line for the result
    ("" without an opening row)."""

    keep: np.ndarray
    set_on: tuple[tuple[int, int], ...]
    said: str
    already: int = 0  # opening rows not stored because the account's opening balance already is them (a re-import)


@dataclass(frozen=True)
class _Decided:
    """One opening row and what becomes of it (:data:`SET`, :data:`ALREADY` or :data:`STAYS`, ``why`` in words)."""

    i: int  # its position in the frame
    account_id: int | None  # None: a new account (the preview)
    name: str  # its account's name
    outcome: str
    why: str = ""


def _signed(new: pd.DataFrame, i: int) -> int:
    """The row's amount as a balance: stored amounts are positive, the kind gives the sign."""
    amount = int(new["amount_minor"].iloc[i])
    return -amount if new["kind"].iloc[i] == KIND_EXPENSE else amount


def _accounts(session: Session, user_id: int, ids: set[int], lock: bool) -> dict[int, Account]:
    """The user's accounts ``ids``, locked in the one order for the commit (:mod:`.account_lock`), read only for the
    preview; NotFoundError when one is not the user's (as one that does not exist)."""
    found = lock_accounts(session, user_id=user_id, account_ids=ids) if lock else list(session.scalars(
        select(Account).where(Account.user_id == user_id, Account.id.in_(ids or {0}))))
    if len(found) != len(ids):
        raise NotFoundError("This account does not exist.")
    return {r.id: r for r in found}


def _first_days(session: Session, user_id: int, ids: set[int]) -> dict[int, object]:
    """Each account's earliest stored row's day (one query)."""
    if not ids:
        return {}
    return dict(session.execute(select(Transaction.account_id, func.min(Transaction.date)).where(
        Transaction.user_id == user_id, Transaction.account_id.in_(ids)).group_by(Transaction.account_id)).all())


def _decide(session: Session, user_id: int, new: pd.DataFrame, ids: list[int | None], names: list[str] | None,
            lock: bool) -> list[_Decided]:
    """Each opening row of ``new`` (``new["opening"]``) and its account (``ids``; None with a name in ``names``: a new
    account, the preview's): already its account's opening balance (amount and day: a re-import); set when its account
    has no opening balance (zero, no date), no row before its day, its currency, and no other opening row of the file;
    else it stays a transfer row, and why."""
    at = [int(i) for i in np.flatnonzero(new["opening"].to_numpy(dtype=bool))]
    known = {int(ids[i]) for i in at if ids[i] is not None}
    rows, first = _accounts(session, user_id, known, lock), _first_days(session, user_id, known)
    out: list[_Decided] = []
    for i in at:
        row = rows.get(ids[i]) if ids[i] is not None else None
        name = row.name if row is not None else (names[i] if names is not None else "")
        day, amount = new["date"].iloc[i], _signed(new, i)
        if row is not None and (int(row.opening_balance_minor), row.opening_date) == (amount, day):
            out.append(_Decided(i, row.id, name, ALREADY))
        elif row is None:  # a new account has no balance and no rows (in the commit every row has its account)
            out.append(_Decided(i, None, name, SET if names is not None else STAYS))
        else:
            why = ("it has an opening balance" if row.opening_balance_minor or row.opening_date is not None else
                   "it has earlier rows" if first.get(row.id) is not None and first[row.id] < day else
                   "it is in another currency" if new["currency"].iloc[i] != row.currency else "")
            out.append(_Decided(i, row.id, name, STAYS if why else SET, why))
    targets = Counter(d.account_id if d.account_id is not None else name_key(d.name) for d in out if d.outcome == SET)
    return [replace(d, outcome=STAYS, why="the file has another opening row for it")
            if d.outcome == SET and targets[d.account_id if d.account_id is not None else name_key(d.name)] > 1 else d
            for d in out]


def _said(new: pd.DataFrame, decided: list[_Decided], locale: str) -> str:
    """The line on the file's opening rows: those that become (or already are) their accounts' opening balances, with
    amount and day, and those that stay transfer rows, with why."""
    def what(d: _Decided) -> str:
        money = format_money(_signed(new, d.i), str(new["currency"].iloc[d.i]), locale)
        return f"{money} on {new['date'].iloc[d.i].isoformat()}"

    def text(d: _Decided) -> str:
        return quoted(str(new["description"].iloc[d.i]))

    decided = sorted(decided, key=lambda d: (new["date"].iloc[d.i], name_key(d.name)))  # the file's order or the commit's
    sets, already, stays = ([d for d in decided if d.outcome == o and (o != STAYS or d.why)] for o in (SET, ALREADY, STAYS))
    parts = []
    if len(sets) == 1:
        parts.append(f"{text(sets[0])} {what(sets[0])} becomes {quoted(sets[0].name)}'s opening balance.")
    elif sets:
        parts.append(f"{plural(len(sets), 'opening-balance row')} become their accounts' opening balances: "
                     f"{and_list(f'{quoted(d.name)} {what(d)}' for d in sets)}.")
    if len(already) == 1:
        parts.append(f"{text(already[0])} {what(already[0])} is already {quoted(already[0].name)}'s opening balance: "
                     "nothing new.")
    elif already:
        parts.append(f"{plural(len(already), 'opening-balance row')} are already their accounts' opening balances "
                     f"({and_list(quoted(d.name) for d in already)}): nothing new.")
    if len(stays) == 1:
        parts.append(f"{text(stays[0])} stays a transfer row of {quoted(stays[0].name)}: {stays[0].why}.")
    elif stays:
        parts.append(f"{plural(len(stays), 'opening-balance row')} stay transfer rows: "
                     f"{and_list(f'{quoted(d.name)} ({d.why})' for d in stays)}.")
    return " ".join(parts)


def _account_ids(n: int, account_id: int | None | list[int | None]) -> list[int | None]:
    return list(account_id) if isinstance(account_id, list) else [account_id] * n


def take(session: Session, user_id: int, new: pd.DataFrame, account_id: int | None | list[int | None],
         *, locale: str = "en_US", lock: bool = True) -> OpeningTaken:
    """Decide on the new rows' opening rows (``new["opening"]``, :func:`.commit.with_openings`), the accounts
    known (:func:`.routing.assign`): each account's own (session 29: several accounts in one file). Reads and locks
    only; :func:`apply` writes."""
    keep = np.ones(len(new), dtype=bool)
    if new.empty or "opening" not in new or not new["opening"].any():
        return OpeningTaken(keep, (), "")
    decided = _decide(session, user_id, new, _account_ids(len(new), account_id), None, lock)
    for d in decided:
        keep[d.i] = d.outcome == STAYS
    return OpeningTaken(keep, tuple((int(d.account_id), d.i) for d in decided
                                    if d.outcome == SET), _said(new, decided, locale),
                        sum(d.outcome == ALREADY for d in decided))


def apply(session: Session, user_id: int, batch_id: int, new: pd.DataFrame, taken: OpeningTaken) -> None:
    """Write the opening balances :func:`take` decided on, each recorded on import ``batch_id`` for its undo (the
    caller's savepoint: a failure writes none of them)."""
    if not taken.set_on:
        return
    balance_undo.batch_of(session, user_id=user_id, batch_id=batch_id)  # the user's import, before anything is written
    rows = lock_accounts(session, user_id=user_id, account_ids=[a for a, _ in taken.set_on])
    if len(rows) != len({a for a, _ in taken.set_on}):
        raise NotFoundError("This account does not exist.")
    by_id = {r.id: r for r in rows}
    for account_id, i in taken.set_on:
        before = balance_undo.state(session, user_id=user_id, account_id=account_id)
        row = by_id[account_id]
        accounts.set_opening_balance(session, user_id=user_id, account_id=account_id,
                                     amount=from_minor(_signed(new, i), row.currency),
                                     opening_date=new["date"].iloc[i], confirmed_on=row.balance_confirmed_on)
        balance_undo.remember(session, user_id=user_id, batch_id=batch_id, account_id=account_id, before=before)


def without(ready: PreparedImport, taken: OpeningTaken,
            account_id: int | None | list[int | None]) -> tuple[PreparedImport, int | None | list[int | None]]:
    """The prepared import without the rows :func:`take` does not store (counted as duplicates when the account's
    opening balance already is them), and the rows' accounts to match."""
    if taken.keep.all():
        return ready, account_id
    keep, plan, cats = taken.keep, ready.plan, ready.categories
    picked = [int(i) for i in np.flatnonzero(keep)]
    new_plan = replace(plan, new=plan.new.iloc[picked].reset_index(drop=True), fps=[plan.fps[i] for i in picked],
                       duplicates=plan.duplicates + taken.already)
    new_cats = _Categories(*([col[i] for i in picked] for col in (
        cats.category_id, cats.category_source, cats.category_confidence, cats.rule_id, cats.category_manual,
        cats.category_signal)))
    ids = [account_id[i] for i in picked] if isinstance(account_id, list) else account_id
    return replace(ready, plan=new_plan, categories=new_cats, merchants=[ready.merchants[i] for i in picked]), ids


def decide(session: Session, user_id: int, ready: PreparedImport, account_id: int | None | list[int | None]
           ) -> tuple[PreparedImport, int | None | list[int | None], OpeningTaken]:
    """:func:`take` and :func:`without`: the commit's rows and accounts without the opening row not stored."""
    taken = take(session, user_id, ready.plan.new, account_id, locale=user_formats(session, user_id)[0])
    return *without(ready, taken, account_id), taken


@dataclass(frozen=True)
class OpeningPreview:
    """The preview's word on the file's opening rows (:func:`preview_line`): ``line`` ("" without one); ``sets``: one
    of them becomes its account's opening balance, so fix28's transfers note is left out (:func:`layout_without_note`);
    ``already``: the positions (in the file's rows) of those that are their accounts' opening balances already (a
    re-import: not new rows)."""

    line: str = ""
    sets: bool = False
    already: tuple[int, ...] = ()
    set_count: int = 0  # how many become their accounts' opening balances (not stored as transactions: imp29)


def preview_line(session: Session, user_id: int, rows: pd.DataFrame, new_rows: pd.Series,
                 accounts_of: int | None | Callable[[pd.DataFrame], list[tuple[int | None, str]]],
                 name: str = "") -> OpeningPreview:
    """What the commit does with the file's opening-balance rows (:func:`take`'s rules, nothing locked): the accounts
    they go to are ``accounts_of`` (one account id, None: a new account called ``name``; or the (id, name) of each of
    the rows it is given, as routing places them: :func:`.routing.row_accounts`)."""
    if rows.empty:
        return OpeningPreview()
    flags = (opening_rows(rows) & new_rows.astype(bool)).to_numpy(dtype=bool)
    at = [int(i) for i in np.flatnonzero(flags)]
    if not at:
        return OpeningPreview()
    some = rows.iloc[at]
    placed = accounts_of(some) if callable(accounts_of) else [(accounts_of, name)] * len(at)
    some = some.assign(opening=True).reset_index(drop=True)
    with session.no_autoflush:
        decided = _decide(session, user_id, some, [p[0] for p in placed], [p[1] for p in placed], lock=False)
    n_set = sum(d.outcome == SET for d in decided)
    return OpeningPreview(_said(some, decided, user_formats(session, user_id)[0]), bool(n_set),
                          tuple(at[d.i] for d in decided if d.outcome == ALREADY), n_set)


def layout_without_note(layout: dict, opening: OpeningPreview) -> dict:
    """The parsed layout for the preview: fix28's note ("kept in the category of transfers") left out when an opening
    row becomes an opening balance instead (:attr:`OpeningPreview.sets`; the line says which stay rows), so the
    preview does not say both."""
    if not opening.sets:
        return layout
    return {**layout, "warnings": type(layout["warnings"])(
        w for w in layout["warnings"] if KEPT_AS_TRANSFERS not in w)}
