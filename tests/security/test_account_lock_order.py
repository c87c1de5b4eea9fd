"""Two edits of one account at the same moment (issue #19, session 27): one lock order, no deadlock.

Until session 27 PostgreSQL saw two orders: renaming, archiving and choosing the default took the user's lock and
then wrote the account; an opening balance, a confirmed day, a type, a balance set for a day and an import's undo
wrote (or locked) the account first and took the user's row when they bumped its data version. Each request here
holds after its first lock (its first locking statement) until the other has taken its own: before, PostgreSQL
failed one of each pair with a deadlock (nothing written); now both take the user's lock first
(:mod:`budgetwise.services.account_lock`), the second waits for the first, and both edits are kept. MariaDB took the
user's row first at every flush already; SQLite has one writer (both pass there before and after).

An undo and an edit (or delete) of one of its rows: the undo now takes the user's lock first, so the row's writers do
too (``db._lock_owner_rows_first`` on PostgreSQL as on MariaDB; ``transactions.update_transaction`` and
``delete_transactions`` lock before they read): before, MariaDB failed the edit with a StaleDataError (the row deleted
under it) and the delete with a deadlock; the edit of a deleted row is now "does not exist".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.db import session_scope, upgrade_database
from budgetwise.errors import NotFoundError
from budgetwise.importing import ImportOptions
from budgetwise.models import Transaction
from budgetwise.principal import Principal
from budgetwise.services import account_balance, accounts
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx
from budgetwise.services.default_account import set_default_account
from tests.conftest import create_user, make_settings
from tests.security.helpers import hold_after_first_lock, race_factory, run_two, scratch_database

LOCKING = re.compile(r"^\s*(UPDATE|INSERT|DELETE)\b|\bFOR (NO KEY )?UPDATE\b", re.IGNORECASE)
CSV = b"Date,Description,Amount\n2024-03-01,Grocer,-12.50\n2024-03-02,Salary,1000.00\n"


def _url(tmp_path, sqlite_template, backend, stack) -> str:
    if backend == "sqlite":
        path = tmp_path / "race.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = stack.enter_context(scratch_database(backend))
    upgrade_database(url)
    return url


Edit = Callable[[Session, Principal, int, int], object]

EDITS: dict[str, Edit] = {
    "rename": lambda s, p, acct, batch: accounts.rename_account(s, user_id=p.user_id, account_id=acct, name="Rainy day"),
    "archive": lambda s, p, acct, batch: accounts.archive_account(s, user_id=p.user_id, account_id=acct),
    "default": lambda s, p, acct, batch: set_default_account(s, user_id=p.user_id, account_id=acct),
    "opening": lambda s, p, acct, batch: accounts.set_opening_balance(s, user_id=p.user_id, account_id=acct,
                                                                      amount="250.00"),
    "confirm": lambda s, p, acct, batch: accounts.confirm_balance(s, user_id=p.user_id, account_id=acct,
                                                                  day=dt.date(2024, 3, 2)),
    "kind": lambda s, p, acct, batch: accounts.set_account_kind(s, user_id=p.user_id, account_id=acct, kind="cash"),
    "balance": lambda s, p, acct, batch: account_balance.set_balance_on(s, principal=p, account_id=acct,
                                                                       amount="1500.00", day=dt.date(2024, 3, 5)),
    "undo": lambda s, p, acct, batch: svc.undo_import(s, user_id=p.user_id, batch_id=batch),
    "edit_row": lambda s, p, acct, batch: tx.update_transaction(
        s, user_id=p.user_id, transaction_id=_row_of(s, batch), notes="checked"),
    "delete_row": lambda s, p, acct, batch: tx.delete_transactions(s, user_id=p.user_id,
                                                                   transaction_ids=[_row_of(s, batch)]),
}


def _row_of(session: Session, batch: int) -> int:
    return int(session.scalar(select(Transaction.id).where(Transaction.import_batch_id == batch).limit(1)) or 0)


# (a request of the first order, one of the second): each deadlocked on PostgreSQL before
PAIRS = [("rename", "opening"), ("archive", "confirm"), ("default", "kind"), ("archive", "balance"),
         ("rename", "undo"), ("default", "undo"), ("undo", "edit_row"), ("undo", "delete_row")]


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_edits_of_one_account_at_once_both_succeed(tmp_path, sqlite_template, backend, pair):
    with contextlib.ExitStack() as stack:
        factory = race_factory(stack, _url(tmp_path, sqlite_template, backend, stack))
        with session_scope(factory) as s:
            principal = create_user(s, make_settings(tmp_path / "data"), "racer@example.com", "Racer")
            accounts.default_account_id(s, user_id=principal.user_id)
            acct = accounts.create_account(s, user_id=principal.user_id, name="Savings", kind="savings").id
            batch = svc.commit_import(s, user_id=principal.user_id, data=CSV, filename="a.csv",
                                      options=ImportOptions(account_id=acct)).batch_id
            assert batch is not None
        local = hold_after_first_lock(factory.kw["bind"], threading.Barrier(2))
        errors: list[str] = []

        def request(n: int) -> None:
            local.pattern = LOCKING  # each request holds once, having taken its first lock
            try:
                with session_scope(factory) as s:
                    EDITS[pair[n]](s, principal, acct, batch)
            except NotFoundError as exc:  # a row the undo deleted first: refused as one that does not exist
                assert pair[n] in ("edit_row", "delete_row"), exc
            except Exception as exc:  # noqa: BLE001 - a deadlock (or any database error) is the failure
                errors.append(f"{pair[n]}: {exc!r}"[:400])

        run_two(request)
        assert not errors, errors  # before (PostgreSQL): one of the two failed with DeadlockDetected
        with session_scope(factory) as s:
            view = accounts.get_account(s, user_id=principal.user_id, account_id=acct)
            done = {
                "rename": view.name == "Rainy day", "archive": view.is_archived,
                "default": view.is_default or view.is_archived,  # archived after: no longer the default
                "opening": view.opening_balance_minor == 25000, "confirm": view.balance_confirmed_on is not None,
                "kind": view.kind == "cash", "undo": svc.get_import_batch(s, user_id=principal.user_id,
                                                                         batch_id=batch).status == "undone",
                "balance": view.balance_confirmed_on == dt.date(2024, 3, 5), "edit_row": True, "delete_row": True,
            }
            assert done[pair[0]] and done[pair[1]], (pair, view)
