"""Archiving an account while another tab archives or makes it the default (session 26, sec26).

``default_account.set_default_account`` read that the account was open, then took the user's lock and flagged it;
``accounts.archive_account`` took no lock of the user's. Two tabs at once (PostgreSQL, MariaDB; SQLite has one
writer) left the account archived *and* flagged as the default: the tab said "“Savings” is now your default
account" for an archived account, and restoring it later made it the default again, silently (archiving clears the
flag so that a restored account does not come back as the default); on PostgreSQL one order deadlocked. Both now
read the account under the user's lock; an account archived meanwhile is refused as one archived before.

The same lock keeps "the last open account cannot be archived": two tabs archiving the last two open accounts at
once each counted the other open and both archived, leaving none open.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time

import pytest
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import ValidationError
from budgetwise.services import accounts
from budgetwise.services.default_account import set_default_account
from tests.conftest import create_user, make_settings
from tests.security.helpers import run_two, scratch_database


@pytest.mark.parametrize("first", ["archive", "default"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_an_account_archived_while_it_is_made_the_default_does_not_come_back_as_the_default(
        tmp_path, sqlite_template, backend, first):
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            path = tmp_path / "race.db"
            shutil.copyfile(sqlite_template, path)
            url = f"sqlite:///{path}"
        else:
            url = stack.enter_context(scratch_database(backend))
            upgrade_database(url)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with session_scope(factory) as s:
            uid = create_user(s, make_settings(tmp_path / "data"), "racer@example.com", "Racer").user_id
            main = accounts.default_account_id(s, user_id=uid)
            savings = accounts.create_account(s, user_id=uid, name="Savings", kind="savings").id
        barrier = threading.Barrier(2)
        errors: list[str] = []
        refusals: list[str] = []

        def request(n: int) -> None:
            what = ("archive", "default")[n]
            try:
                with session_scope(factory) as s:
                    def hold(*_args) -> None:  # both have read the account, neither has written
                        try:
                            barrier.wait(timeout=3)
                        except threading.BrokenBarrierError:
                            pass
                        if what != first:
                            time.sleep(0.5)
                    event.listen(s, "before_flush", hold)
                    if what == "archive":
                        accounts.archive_account(s, user_id=uid, account_id=savings)
                    else:
                        set_default_account(s, user_id=uid, account_id=savings)
            except ValidationError as exc:
                refusals.append(exc.message)
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            view = accounts.get_account(s, user_id=uid, account_id=savings)
            assert view.is_archived
            assert accounts.default_account_id(s, user_id=uid) == main
            accounts.archive_account(s, user_id=uid, account_id=savings, archived=False)
        with session_scope(factory) as s:
            # before: "Savings" again (PostgreSQL, MariaDB), the choice the user never saw succeed
            assert accounts.default_account_id(s, user_id=uid) == main
        assert refusals in ([], ["The account “Savings” is archived; restore it before making it your default account."])


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_tabs_archiving_the_last_two_open_accounts_leave_one_open(tmp_path, sqlite_template, backend):
    """The same lock keeps "the last open account cannot be archived": each tab counted the other account open."""
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            path = tmp_path / "race.db"
            shutil.copyfile(sqlite_template, path)
            url = f"sqlite:///{path}"
        else:
            url = stack.enter_context(scratch_database(backend))
            upgrade_database(url)
        engine = make_engine(url)
        stack.callback(engine.dispose)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with session_scope(factory) as s:
            uid = create_user(s, make_settings(tmp_path / "data"), "racer@example.com", "Racer").user_id
            ids = [accounts.default_account_id(s, user_id=uid),
                   accounts.create_account(s, user_id=uid, name="Savings", kind="savings").id]
        barrier = threading.Barrier(2)
        errors: list[str] = []
        refusals: list[str] = []

        def request(n: int) -> None:
            try:
                with session_scope(factory) as s:
                    def hold(*_args) -> None:
                        try:
                            barrier.wait(timeout=3)
                        except threading.BrokenBarrierError:
                            pass
                    event.listen(s, "before_flush", hold)
                    accounts.archive_account(s, user_id=uid, account_id=ids[n])
            except ValidationError as exc:
                refusals.append(exc.message)
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            open_ = [a.name for a in accounts.list_accounts(s, user_id=uid)]
        assert len(open_) == 1, open_  # before: [] on PostgreSQL and MariaDB
        assert len(refusals) == 1 and "is your only open account" in refusals[0], refusals
