"""Archiving an account while another tab archives or makes it the default (session 26, sec26).

``accounts.archive_account`` took no lock of the user's: two tabs archiving the user's last two open accounts at once
each counted the other open and both archived (PostgreSQL, MariaDB; SQLite has one writer), leaving none open. It
now reads under the user's lock, as renaming and making an account the default do.
"""

from __future__ import annotations

import contextlib
import shutil
import threading

import pytest
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import ValidationError
from budgetwise.services import accounts
from tests.conftest import create_user, make_settings
from tests.security.helpers import run_two, scratch_database


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
