"""Session 24 (sec24): two requests of one user at once cannot leave two open goals of one name.

A goal's name is checked against the user's open goals and no database constraint keeps them apart (archived
goals may share a name), so two tabs creating "Emergency fund", or restoring two archived "Emergency fund" goals,
at the same moment both passed the check and both wrote (PostgreSQL, MariaDB; SQLite has one writer at a time).
The check now runs under the user's lock (``versions.read_under_user_lock``), as the per-user ceilings do."""

from __future__ import annotations

import datetime as dt
import shutil
import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.errors import ConflictError
from budgetwise.models import Goal
from budgetwise.services import goals
from tests.conftest import create_user, make_settings
from tests.security.helpers import run_two, scratch_database

LATER = dt.date.today() + dt.timedelta(days=400)


def _race(url: str, settings, what: str) -> int:
    """Two requests of one user, each held before its write until the other has checked too (or 3 s, when the
    other waits for the user's lock). How many open goals called "Emergency fund" there are after both."""
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with session_scope(factory) as s:
            uid = create_user(s, settings, "racer@example.com", "Racer").user_id
            archived = []
            if what == "restore":
                for _ in range(2):
                    g = goals.create_goal(s, user_id=uid, name="Emergency fund", target="1000", target_date=LATER)
                    goals.update_goal(s, user_id=uid, goal_id=g.id, archived=True)
                    archived.append(g.id)
        barrier = threading.Barrier(2)
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
                    if what == "restore":
                        goals.update_goal(s, user_id=uid, goal_id=archived[n], archived=False)
                    else:
                        goals.create_goal(s, user_id=uid, name="Emergency fund", target="1000", target_date=LATER)
            except ConflictError:
                pass
            except Exception as exc:  # noqa: BLE001 - a database error is a failure
                errors.append(repr(exc))

        run_two(request)
        assert not errors, errors
        with session_scope(factory) as s:
            return s.scalar(select(func.count(Goal.id)).where(
                Goal.user_id == uid, Goal.is_archived.is_(False), Goal.name == "Emergency fund")) or 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("what", ["create", "restore"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_requests_at_once_cannot_both_take_a_goal_name(tmp_path, sqlite_template, backend, what):
    settings = make_settings(tmp_path / "data")
    if backend == "sqlite":
        path = tmp_path / "race.db"
        shutil.copyfile(sqlite_template, path)
        assert _race(f"sqlite:///{path}", settings, what) == 1
        return
    with scratch_database(backend) as url:
        upgrade_database(url)
        assert _race(url, settings, what) == 1
