"""The one lock order of a user's accounts (issue #19, session 27): **the user's lock first, then the accounts' rows
by id ascending**, each read anew once locked.

Until session 27 PostgreSQL saw two orders. Renaming, archiving and choosing the default took the user's lock
(:func:`.versions.lock_user_for_import`) and then wrote the account; setting an opening balance or a confirmed day,
changing the type and undoing an import wrote (or locked) the account first and took the user's row when they bumped
its data version (:func:`.versions.touch_data`). Two such edits of one account at the same moment each held what
the other wanted: PostgreSQL broke the deadlock by failing one of them (an error, nothing written). MariaDB already
took the user's row first at every flush (``db._lock_owner_rows_first``), but not before a locking read (an undo's
``FOR UPDATE`` of its accounts). Every service that edits an account now calls :func:`lock_accounts` (or
:func:`lock_account`) before it reads what it decides on:

* the user's lock serializes the user's account edits (and imports, new accounts, ceilings: they take it first too);
* the rows are then locked in one order, ``FOR NO KEY UPDATE`` on PostgreSQL (an insert's foreign-key check takes a
  key-share lock on the account: rows typed into the account meanwhile do not wait for it) and ``FOR UPDATE``
  elsewhere (SQLite: a no-op; a writer holds the database);
* each row is read anew (``populate_existing``): an account an earlier read of the session loaded (the command
  line found it by its name) shows what another request committed before the lock, not what was loaded.

A name (the command line's ``--name``/``--account``) is looked up after the user's lock (``accounts._locked``), never
before it: an account renamed or archived meanwhile is not found, or refused, as the lock finds it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.errors import NotFoundError
from budgetwise.models import Account
from budgetwise.services.versions import lock_user_for_import


def lock_accounts(session: Session, *, user_id: int, account_ids: Iterable[int]) -> list[Account]:
    """The user's lock, then the user's accounts ``account_ids`` (another user's are left out) locked by id ascending
    and read anew, held until the caller's transaction ends; in id order."""
    lock_user_for_import(session, user_id)
    ids = sorted({int(i) for i in account_ids})
    if not ids:
        return []
    return list(session.scalars(
        select(Account).where(Account.user_id == user_id, Account.id.in_(ids)).order_by(Account.id)
        .with_for_update(key_share=True).execution_options(populate_existing=True)
    ))


def lock_account(session: Session, *, user_id: int, account_id: int) -> Account:
    """:func:`lock_accounts` for one account; NotFoundError for an id that is not the user's (as one that does not
    exist)."""
    found = lock_accounts(session, user_id=user_id, account_ids=(account_id,))
    if not found:
        raise NotFoundError("This account does not exist.")
    return found[0]
