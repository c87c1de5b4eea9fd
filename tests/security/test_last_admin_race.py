"""The last active administrator, under two requests at once (session 23, sec23).

``admin.users._refuse_last_admin`` locked the active administrators' rows, then counted them with a plain read; the
Profile page's "Delete my account" (``profile.delete_account``) counted without any lock. Two administrators
demoting each other, or deleting their own accounts, at the same moment could each see the other still active and
both go through: an instance with no administrator (only ``budgetwise create-admin`` on the server helps then). On
MariaDB a plain read after the lock also reads the transaction's older snapshot (REPEATABLE READ). The count is now
the locked read itself (``profile.lock_active_admins``), taken by both paths.

Real commits are needed: SQLite in a file; PostgreSQL/MariaDB in a scratch database beside the one of
BUDGETWISE_TEST_*_URL (dropped afterwards).
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import PermissionDenied, ValidationError
from budgetwise.models import ROLE_ADMIN, User
from budgetwise.services import admin, auth, profile
from tests.conftest import STRONG_PASSWORD, create_user, make_settings
from tests.security.helpers import run_two, scratch_database


@contextlib.contextmanager
def _database(backend: str, tmp_path, sqlite_template) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp_path / "admins.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    with scratch_database(backend, beside=True) as url:  # its commits never meet another test's rows
        upgrade_database(url)
        yield url


def _race(url: str, settings, action: str) -> tuple[int, list[str]]:
    """Two administrators (and one member) act at once, each held after its last-admin check until the other has
    checked too (or 3 s, when it waits for the other's lock). Returns (active administrators left of the two,
    refusals)."""
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    tag = uuid.uuid4().hex[:8]
    emails = [f"race-{tag}-{who}@example.com" for who in ("a", "b", "member")]
    try:
        with session_scope(factory) as s:
            others = s.scalar(select(func.count()).select_from(User).where(User.role == ROLE_ADMIN,
                                                                              User.is_active.is_(True)))
            assert not others, "the race needs a database with no other active administrator"
            users = [create_user(s, settings, e, e.split("@")[0]) for e in emails]
            for p in users[:2]:
                s.get(User, p.user_id).role = ROLE_ADMIN
            s.flush()
            principals = [auth.principal_for(s.get(User, p.user_id)) for p in users]
        barrier = threading.Barrier(2)
        refusals: list[str] = []
        errors: list[str] = []

        def request(n: int) -> None:
            me, other = principals[n], principals[1 - n]
            try:
                with session_scope(factory) as s:
                    def hold(*_args) -> None:  # after the check, before the write
                        try:
                            barrier.wait(timeout=3)
                        except threading.BrokenBarrierError:
                            pass
                    event.listen(s, "before_flush", hold)
                    if action == "demote each other":
                        admin.demote_user(s, principal=me, user_id=other.user_id)
                    else:
                        profile.delete_account(s, user_id=me.user_id, password=STRONG_PASSWORD,
                                               confirm_email=me.email, settings=settings)
            except (ValidationError, PermissionDenied) as exc:  # the one demoted first is no administrator now
                refusals.append(exc.message)
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            left = s.scalar(select(func.count()).select_from(User).where(
                User.email.in_(emails), User.role == ROLE_ADMIN, User.is_active.is_(True))) or 0
        return left, refusals
    finally:
        engine.dispose()


@pytest.mark.parametrize("action", ["demote each other", "each delete their own account"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_administrators_at_once_leave_one(tmp_path, sqlite_template, backend, action):
    settings = make_settings(tmp_path / "data")
    with _database(backend, tmp_path, sqlite_template) as url:
        left, refusals = _race(url, settings, action)
    assert left == 1
    assert len(refusals) == 1
    assert "last active administrator" in refusals[0] or refusals[0] == "This needs an administrator account."
