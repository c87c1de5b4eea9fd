"""Two requests of one user at once giving two accounts one name (session 25, sec25).

The unique key (user, name key) keeps the data right, but ``accounts.create_account`` checked the name before the
user's lock and ``rename_account`` took none: two tabs adding "Savings" (or renaming two accounts to it) at the same
moment both found it free, and the second failed at the unique key with "an unexpected problem" (IntegrityError on
PostgreSQL and MariaDB) instead of "You already have an account called “Savings”". The name is now checked under
the user's lock, as the goal names are (session 24)."""

from __future__ import annotations

import shutil
import threading

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import ConflictError
from budgetwise.models import Account
from budgetwise.services import accounts
from tests.conftest import create_user, make_settings
from tests.security.helpers import run_two, scratch_database


def _race(url: str, settings, what: str) -> tuple[list[str], list[str]]:
    """Two requests, each held before its write until the other has checked too (or 3 s, when it waits for the
    other's lock). The user's account names after both, and the refusals."""
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with session_scope(factory) as s:
            uid = create_user(s, settings, "racer@example.com", "Racer").user_id
            ids = [accounts.create_account(s, user_id=uid, name=n, kind="savings").id for n in ("One", "Two")]
        barrier = threading.Barrier(2)
        refusals: list[str] = []
        errors: list[str] = []

        def request(n: int) -> None:
            try:
                with session_scope(factory) as s:
                    def hold(*_args) -> None:  # after the name check, before the write
                        try:
                            barrier.wait(timeout=3)
                        except threading.BrokenBarrierError:
                            pass
                    event.listen(s, "before_flush", hold)
                    if what == "create":
                        accounts.create_account(s, user_id=uid, name="Savings", kind="savings")
                    else:
                        accounts.rename_account(s, user_id=uid, account_id=ids[n], name="Savings")
            except ConflictError as exc:
                refusals.append(exc.message)
            except Exception as exc:  # noqa: BLE001 - a database error is the defect
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            return sorted(s.scalars(select(Account.name).where(Account.user_id == uid))), refusals
    finally:
        engine.dispose()


@pytest.mark.parametrize("what", ["create", "rename"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_requests_at_once_get_the_name_check_not_a_database_error(tmp_path, sqlite_template, backend, what):
    settings = make_settings(tmp_path / "data")
    if backend == "sqlite":
        path = tmp_path / "race.db"
        shutil.copyfile(sqlite_template, path)
        names, refusals = _race(f"sqlite:///{path}", settings, what)
    else:
        with scratch_database(backend) as url:
            upgrade_database(url)
            names, refusals = _race(url, settings, what)
    assert names.count("Savings") == 1, names
    assert refusals == ["You already have an account called “Savings” (names ignore case)."]
