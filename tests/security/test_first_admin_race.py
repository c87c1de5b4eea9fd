"""The first account becomes the administrator: two registrations at once on a new instance (session 25, sec25).

``auth.register`` counted the people's accounts (``no_account_yet``), hashed the password (bcrypt, about a quarter of a
second at cost 12) and then inserted: two people registering at the same moment on a new instance (PostgreSQL,
MariaDB; SQLite has one writer at a time) both found no account yet and both became administrators. On a public
instance the owner's first registration and a stranger's, a moment apart, gave the stranger the administrator's
pages. The count is now taken under a lock every registration of a first account takes (``auth._lock_first_account``).

Real commits are needed: SQLite in a file; PostgreSQL/MariaDB in a scratch database (dropped afterwards).
"""

from __future__ import annotations

import shutil
import threading

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.models import ROLE_ADMIN, User
from budgetwise.services import auth
from tests.conftest import STRONG_PASSWORD, make_settings
from tests.security.helpers import run_two, scratch_database


def _race(url: str, settings) -> list[tuple[str, str]]:
    """Two registrations on an empty instance, each held before its write until the other has counted too (or 3 s,
    when it waits for the other's lock). The (email, role) of every account after both."""
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        barrier = threading.Barrier(2)
        errors: list[str] = []

        def request(n: int) -> None:
            try:
                with session_scope(factory) as s:
                    def hold(*_args) -> None:  # after the count, before the write
                        try:
                            barrier.wait(timeout=3)
                        except threading.BrokenBarrierError:
                            pass
                    event.listen(s, "before_flush", hold)
                    auth.register(s, name=f"Person {n}", email=f"person{n}@example.com", password=STRONG_PASSWORD,
                                  settings=settings)
            except Exception as exc:  # noqa: BLE001 - any error is a failure: both registrations are valid
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            return [(u.email, u.role) for u in s.scalars(select(User).order_by(User.id))]
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_registrations_at_once_on_a_new_instance_make_one_administrator(tmp_path, sqlite_template, backend):
    settings = make_settings(tmp_path / "data")
    if backend == "sqlite":
        path = tmp_path / "first.db"
        shutil.copyfile(sqlite_template, path)
        accounts = _race(f"sqlite:///{path}", settings)
    else:
        with scratch_database(backend) as url:
            upgrade_database(url)
            accounts = _race(url, settings)
    assert len(accounts) == 2, accounts
    assert [role for _, role in accounts].count(ROLE_ADMIN) == 1, accounts
