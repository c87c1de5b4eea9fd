"""An opening-balance row becomes the account's opening balance (issue #19, session 28, open28; fix28's "left").

fix28 kept a file's opening-balance row ("Starting Balance", "(New Account)", …: :mod:`budgetwise.importing.opening`)
as a transfer row. When its account has **no opening balance** (zero, no opening date), **no row before the row's
day** and the file's opening rows all go to that one account, the commit writes the row's amount and day as the
account's opening balance (:func:`accounts.set_opening_balance`, the account locked in the one order of
:mod:`.account_lock`) and does not store the row: the balance counts it once, the same balance as with fix28's row.
The change is recorded on the import (:func:`.balance_undo.remember`), so undoing the import puts the previous
opening balance back. A re-import of the same file finds the account's opening balance equal to the row (amount and
day): the row is counted as already imported, nothing is written twice. Otherwise (an opening balance set by the
user, earlier rows, a file whose opening rows go to several accounts: one account's balance is recorded per import)
the row stays a transfer row as in fix28.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.importing.opening import KEPT_AS_TRANSFERS, opening_rows
from budgetwise.models import KIND_EXPENSE, Account, Transaction
from budgetwise.money import format_money, from_minor
from budgetwise.names import name_key, quoted
from budgetwise.services import accounts
from budgetwise.services.account_lock import lock_account
from budgetwise.services.importing import balance_undo
from budgetwise.services.importing.categorizing import _Categories
from budgetwise.services.preferences import user_formats

if TYPE_CHECKING:
    from budgetwise.services.importing.commit import PreparedImport


@dataclass(frozen=True)
class OpeningTaken:
    """What :func:`take` decided: ``keep`` per new row (False: not stored), ``set_on`` the account whose opening
    balance the import writes (None: none), ``said``: the line for the result ("" without an opening row)."""

    keep: np.ndarray
    set_on: int | None
    said: str
    already: int = 0  # opening rows not stored because the account's opening balance already is them (a re-import)


def _signed(new: pd.DataFrame, i: int) -> int:
    """The row's amount as a balance: stored amounts are positive, the kind gives the sign."""
    amount = int(new["amount_minor"].iloc[i])
    return -amount if new["kind"].iloc[i] == KIND_EXPENSE else amount


def _account(session: Session, user_id: int, account_id: int, lock: bool) -> Account:
    """The account, locked in the one order for the commit (:mod:`.account_lock`); read only for the preview."""
    return lock_account(session, user_id=user_id, account_id=account_id) if lock else accounts._owned(
        session, user_id, account_id)


def _account_ids(n: int, account_id: int | None | list[int | None]) -> list[int | None]:
    return list(account_id) if isinstance(account_id, list) else [account_id] * n


def take(session: Session, user_id: int, new: pd.DataFrame, account_id: int | None | list[int | None],
         *, locale: str = "en_US", lock: bool = True) -> OpeningTaken:
    """Decide on the new rows' opening rows (``new["opening"]``, :func:`.commit.with_openings`), the accounts
    known (:func:`.routing.assign`). Reads and locks only; :func:`apply` writes."""
    keep = np.ones(len(new), dtype=bool)
    if new.empty or "opening" not in new or not new["opening"].any():
        return OpeningTaken(keep, None, "")
    ids = _account_ids(len(new), account_id)
    at = [int(i) for i in np.flatnonzero(new["opening"].to_numpy(dtype=bool))]
    targets = {ids[i] for i in at}
    already = 0
    for i in at:  # a re-import: the account's opening balance already is this row
        if ids[i] is None:
            continue
        row = _account(session, user_id, int(ids[i]), lock)
        if (int(row.opening_balance_minor), row.opening_date) == (_signed(new, i), new["date"].iloc[i]):
            keep[i], already = False, already + 1
    left = [i for i in at if keep[i]]
    if len(left) != 1 or len(targets) != 1 or ids[left[0]] is None:
        return OpeningTaken(keep, None, _kept_line(len(left)) if left else "", already)
    i = left[0]
    row = _account(session, user_id, int(ids[i]), lock)
    day, amount, text = new["date"].iloc[i], _signed(new, i), str(new["description"].iloc[i])
    earlier = session.scalar(select(func.count()).select_from(Transaction).where(
        Transaction.user_id == user_id, Transaction.account_id == row.id, Transaction.date < day)) or 0
    if row.opening_balance_minor or row.opening_date is not None or earlier or new["currency"].iloc[i] != row.currency:
        why = "it has an opening balance" if row.opening_balance_minor or row.opening_date is not None else (
            "it has earlier rows" if earlier else "it is in another currency")
        return OpeningTaken(keep, None, f"{quoted(text)} stays a transfer row of {quoted(row.name)}: {why}.", already)
    keep[i] = False
    return OpeningTaken(keep, row.id, f"{quoted(text)} {format_money(amount, row.currency, locale)} on {day.isoformat()} "
                        f"becomes {quoted(row.name)}'s opening balance.", already)


def _kept_line(n: int) -> str:
    return ("The opening-balance rows stay transfer rows: they go to several accounts." if n > 1 else "")


def apply(session: Session, user_id: int, batch_id: int, new: pd.DataFrame, taken: OpeningTaken) -> None:
    """Write the opening balance :func:`take` decided on, recorded on import ``batch_id`` for its undo."""
    if taken.set_on is None:
        return
    balance_undo.batch_of(session, user_id=user_id, batch_id=batch_id)  # the user's import, before anything is written
    i = int(np.flatnonzero(new["opening"].to_numpy(dtype=bool) & ~taken.keep)[-1])
    before = balance_undo.state(session, user_id=user_id, account_id=taken.set_on)
    row = lock_account(session, user_id=user_id, account_id=taken.set_on)
    accounts.set_opening_balance(session, user_id=user_id, account_id=taken.set_on,
                                 amount=from_minor(_signed(new, i), row.currency),
                                 opening_date=new["date"].iloc[i], confirmed_on=row.balance_confirmed_on)
    balance_undo.remember(session, user_id=user_id, batch_id=batch_id, account_id=taken.set_on, before=before)


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


def preview_line(session: Session, user_id: int, rows: pd.DataFrame, new_rows: pd.Series,
                 target_id: int | None, from_file: bool) -> str:
    """The preview's line on what the commit does with the file's opening-balance row (:func:`take`'s rules), ""
    without one: the account it goes to is ``target_id`` (None: a new account), or, the file naming its accounts
    (``from_file``), the user's account of that name."""
    if rows.empty:
        return ""
    flags = (opening_rows(rows) & new_rows.astype(bool)).to_numpy(dtype=bool)
    at = [int(i) for i in np.flatnonzero(flags)]
    if len(at) > 1:
        return _kept_line(len(at))
    if not at:
        return ""
    i, locale = at[0], user_formats(session, user_id)[0]
    if from_file:
        key = name_key(str(rows["account"].iloc[i] or ""))
        target_id = next((r.id for r in session.scalars(select(Account).where(Account.user_id == user_id))
                          if name_key(r.name) == key), None)
    one = rows.iloc[[i]].assign(opening=True).reset_index(drop=True)
    if target_id is None:  # a new account: nothing set, no rows
        amount, day = _signed(one, 0), one["date"].iloc[0]
        whose = f"{quoted(str(rows['account'].iloc[i]))}'s" if from_file else "the new account's"
        return (f"{quoted(str(one['description'].iloc[0]))} {format_money(amount, str(one['currency'].iloc[0]), locale)} "
                f"on {day.isoformat()} becomes {whose} opening balance.")
    with session.no_autoflush:
        return take(session, user_id, one, int(target_id), locale=locale, lock=False).said


def layout_without_note(layout: dict, line: str) -> dict:
    """The parsed layout for the preview: fix28's note ("kept in the category of transfers") left out when the row
    becomes the opening balance instead (:func:`preview_line`), so the preview does not say both."""
    if " becomes " not in line:
        return layout
    return {**layout, "warnings": type(layout["warnings"])(
        w for w in layout["warnings"] if KEPT_AS_TRANSFERS not in w)}
