"""Services that write with Core statements keep the one lock order too (issue #19, session 28).

Session 27 made the user's lock the first lock of every account edit (``services/account_lock.py``) and of every ORM
flush (``db._lock_owner_rows_first``). Services that write rows with Core ``UPDATE``/``DELETE`` statements and then
bump the user's data version (``versions.touch_data``) still locked the rows first and the user's row last: the
"Re-apply" action (``categorize.reapply_categories``) and deleting a user with all their data
(``profile.delete_user_data``: an administrator's delete, a demo visitor's logout or expiry). Against a request that
holds the user's lock and then wants one of those rows (an import's undo deleting its rows, an edit of one row), each
held what the other wanted: PostgreSQL and MariaDB failed one of the two with a deadlock.

Each request here holds after its first lock until the other has taken its own (as
``test_account_lock_order.py``); the delete holds after its first lock of the user's transactions or user row (its
first statement deletes the transfer links, which lock nothing the other request wants).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from budgetwise.db import session_scope
from budgetwise.errors import NotFoundError
from budgetwise.importing import ImportOptions
from budgetwise.models import ImportBatch, Transaction, User
from budgetwise.principal import Principal
from budgetwise.services import accounts, categories, categorize
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx
from budgetwise.services.profile import delete_user_data
from tests.conftest import create_user, make_settings
from tests.security.helpers import hold_after_first_lock, race_factory, run_two
from tests.security.test_account_lock_order import CSV, LOCKING, _url

# the delete's first statement deletes the user's transfer links (none here): it holds at its next lock instead
ERASE_LOCKING = re.compile(r"^\s*DELETE FROM transactions\b|\bFOR (NO KEY )?UPDATE\b", re.IGNORECASE)

Request = Callable[[Session, Principal, int], object]

REQUESTS: dict[str, Request] = {
    "reapply": lambda s, p, batch: categorize.reapply_categories(s, user_id=p.user_id),
    "erase": lambda s, p, batch: delete_user_data(s, p.user_id),
    "undo": lambda s, p, batch: svc.undo_import(s, user_id=p.user_id, batch_id=batch),
    "edit_row": lambda s, p, batch: tx.update_transaction(
        s, user_id=p.user_id, transaction_id=_row_of(s, batch), notes="checked"),
}


def _row_of(session: Session, batch: int) -> int:
    return int(session.scalar(select(Transaction.id).where(Transaction.import_batch_id == batch,
                                                           Transaction.description == "Grocer")) or 0)


# (a request that locked rows before the user's lock, one that takes the user's lock first): each deadlocked before
PAIRS = [("reapply", "undo"), ("reapply", "edit_row"), ("erase", "undo"), ("erase", "edit_row")]


def _setup(session: Session, tmp_path) -> tuple[Principal, int]:
    principal = create_user(session, make_settings(tmp_path / "data"), "raw@example.com", "Raw")
    acct = accounts.create_account(session, user_id=principal.user_id, name="Savings", kind="savings").id
    batch = svc.commit_import(session, user_id=principal.user_id, data=CSV, filename="a.csv",
                              options=ImportOptions(account_id=acct)).batch_id
    assert batch is not None
    # a rule made after the import, not applied: "Re-apply" moves the imported Grocer row into its category
    food = categories.create_category(session, user_id=principal.user_id, name="Corner shop", kind="expense")
    categorize.save_rule_and_apply(session, user_id=principal.user_id, apply=False,
                                   spec=categorize.RuleSpec(category_id=food.id, pattern="Grocer", name="Grocer"))
    return principal, batch


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_a_core_writer_and_a_lock_first_writer_at_once_both_finish(tmp_path, sqlite_template, backend, pair):
    with contextlib.ExitStack() as stack:
        factory = race_factory(stack, _url(tmp_path, sqlite_template, backend, stack))
        with session_scope(factory) as s:
            principal, batch = _setup(s, tmp_path)
        local = hold_after_first_lock(factory.kw["bind"], threading.Barrier(2))
        errors: list[str] = []

        def request(n: int) -> None:
            local.pattern = ERASE_LOCKING if pair[n] == "erase" else LOCKING
            try:
                with session_scope(factory) as s:
                    REQUESTS[pair[n]](s, principal, batch)
            except NotFoundError as exc:  # the user deleted first: the other request finds nothing of theirs
                assert "erase" in pair and pair[n] != "erase", exc
            except Exception as exc:  # noqa: BLE001 - a deadlock (or any database error) is the failure
                errors.append(f"{pair[n]}: {exc!r}"[:400])

        run_two(request)
        assert not errors, errors  # before (PostgreSQL, MariaDB): one of the two failed with a deadlock
        with session_scope(factory) as s:
            user_left = s.get(User, principal.user_id) is not None
            status = s.scalar(select(ImportBatch.status).where(ImportBatch.id == batch))
            row = s.get(Transaction, _row_of(s, batch)) if user_left else None
            done = {"erase": not user_left, "undo": status in ("undone", None),
                    "edit_row": row is None or row.notes == "checked" or status == "undone", "reapply": True}
            assert done[pair[0]] and done[pair[1]], (pair, user_left, status)


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_the_users_lock_is_taken_once_a_transaction_and_only_for_a_real_write(tmp_path, sqlite_template, backend):
    """Session 28: ``versions.lock_user_for_import`` and the flush's lock (``db._lock_owner_rows_first``) share one
    record, so the user's row is locked once per transaction (main took it at the call and again at the flush); a
    savepoint's end forgets it (PostgreSQL releases a lock taken in a savepoint rolled back to); an object set to its
    own value is no write and takes no lock (sec28)."""
    from budgetwise.services.versions import lock_user_for_import

    with contextlib.ExitStack() as stack:
        factory = race_factory(stack, _url(tmp_path, sqlite_template, backend, stack))
        with session_scope(factory) as s:
            principal, batch = _setup(s, tmp_path)
        seen: list[str] = []
        event.listen(factory.kw["bind"], "before_cursor_execute", lambda _c, _cur, statement, *_a: seen.append(
            statement) if re.search(r"FROM users\b.*FOR UPDATE", statement, re.S) else None)
        with session_scope(factory) as s:
            row = s.get(Transaction, _row_of(s, batch))
            assert row is not None
            row.notes = row.notes  # its own value: nothing to write
            s.flush()
            assert seen == []
            lock_user_for_import(s, principal.user_id)
            row.notes = "checked"
            s.flush()
            lock_user_for_import(s, principal.user_id)
            assert len(seen) == 1
            with s.begin_nested():
                row.notes = "again"
            lock_user_for_import(s, principal.user_id)
            assert len(seen) == 2
