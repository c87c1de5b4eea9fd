"""What an import changed in its account's balance, and putting it back on undo (issue #19, session 25, known25).

An import whose file states a balance can change its account beyond the rows: it confirms the account's balance on
the statement's day when the account reconciles with it (``reconcile.after_import``: ``accounts.balance_confirmed_on``),
or sets the account's opening balance so that it does (``reconcile.set_opening_from_statement``: the Import page's box,
``budgetwise import --set-opening-balance``; the confirmed day with it). Before session 25 undoing the import deleted
the rows and left both: a confirmed day for a balance that, without the rows, no longer matched anything, and the
Cash flow page current on the strength of it. Now each such change records on the import batch
(``import_batches.balance_undo_json``, migration 0040) the account's (opening balance, opening date, confirmed day)
before the import's first change and after its last, and :func:`restore` puts "before" back when the import is undone,
so the account is as it was before the import (the previous confirmed day, if any; the opening balance it had).

Only while the account still holds what the import left ("after"): a balance the user set since, or a later import
that reconciled the account again, is a newer fact and stays (the undo's message says so). One account per import:
the statement's (a file whose rows go to several accounts is not reconciled at all).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.models import Account, ImportBatch
from budgetwise.services.accounts import _owned
from budgetwise.services.versions import touch_data

State = tuple[int, dt.date | None, dt.date | None]  # (opening balance in minor units, opening date, confirmed day)


def state(session: Session, *, user_id: int, account_id: int) -> State:
    """The account's balance state now; NotFoundError for an account that is not the user's."""
    return _of(_owned(session, user_id, account_id))


def _of(row: Account) -> State:
    return int(row.opening_balance_minor), row.opening_date, row.balance_confirmed_on


def _dump(value: State) -> list[Any]:
    return [value[0], *(None if d is None else d.isoformat() for d in value[1:])]


def _load(value: list[Any]) -> State:
    return int(value[0]), *(None if d is None else dt.date.fromisoformat(d) for d in value[1:])  # type: ignore[return-value]


def batch_of(session: Session, *, user_id: int, batch_id: int) -> ImportBatch:
    """The user's import ``batch_id`` (NotFoundError otherwise, as for one that does not exist): checked before an
    import's balance change is written, so another user's batch id changes nothing."""
    batch = session.scalar(select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.user_id == user_id))
    if batch is None:
        raise NotFoundError(f"Import {batch_id} does not exist.")
    return batch


def remember(session: Session, *, user_id: int, batch_id: int, account_id: int, before: State) -> None:
    """Record that import ``batch_id`` changed the account from ``before`` to its state now (nothing when it did not
    change). A second change by the same import keeps the first "before". NotFoundError for another user's batch or
    account."""
    batch = batch_of(session, user_id=user_id, batch_id=batch_id)
    after = state(session, user_id=user_id, account_id=account_id)
    if after == before:
        return
    got = json.loads(batch.balance_undo_json) if batch.balance_undo_json else {}
    if got.get("account_id") != account_id:
        got = {"account_id": account_id, "before": _dump(before)}
    got["after"] = _dump(after)
    batch.balance_undo_json = json.dumps(got)
    session.flush()


def restore(session: Session, *, user_id: int, batch: ImportBatch) -> tuple[str, str] | None:
    """Put back the balance state the account had before import ``batch`` (while it still holds what the import
    left). (account name, what was done) for the undo's message, or None when the import changed no balance or the
    account is gone."""
    if not batch.balance_undo_json:
        return None
    got = json.loads(batch.balance_undo_json)
    # locked (PostgreSQL: not against an insert's key-share lock), the latest row: a balance another tab set meanwhile
    # is read as a newer fact, not overwritten (session 26, sec26)
    row = session.scalar(select(Account).where(Account.id == int(got["account_id"]), Account.user_id == user_id)
                         .with_for_update(key_share=True).execution_options(populate_existing=True))
    if row is None:
        return None
    if _of(row) != _load(got["after"]):
        return (row.name, "kept")
    row.opening_balance_minor, row.opening_date, row.balance_confirmed_on = _load(got["before"])
    session.flush()
    touch_data(session, user_id)
    return (row.name, "restored")
