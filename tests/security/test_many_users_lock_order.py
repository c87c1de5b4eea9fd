"""Writers of many users' rows keep the one lock order too (session 29, race29; locks28's "left").

* The administrator's merge of two global categories re-pointed every user's rows (``UPDATE transactions …``) and then
  bumped every user's data version (``touch_all_data``): it locked a user's row last, while a request of that user
  holds the user's lock and then wants one of those rows (an edit of a row in the merged category). A rename (or
  colour, archive) of a global category wrote the category's row first: on MariaDB a user's new row in that category
  takes a shared lock on it (the foreign-key check) after the user's lock. Now each takes every user's lock first, in
  ascending id (``versions.lock_users``).
* Two purges of demo accounts at once (two "Explore the demo" clicks, the page's cleanup) deleted accounts one by one
  in an order of their own: the expired ones first, then idle ones least recently used first, so a purge a few
  minutes later saw an account as expired that the first deleted as idle, and the orders differed. Now a purge
  locks all the accounts it deletes at once, in ascending id (``demo._delete_accounts``).

Each request holds after its first lock until the other has taken its own (``helpers.hold_after_first_lock``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.db import session_scope
from budgetwise.errors import BudgetwiseError
from budgetwise.models import Category, Transaction, User, utcnow
from budgetwise.services import admin, demo
from budgetwise.services import transactions as tx
from budgetwise.services.auth import DEMO_DOMAIN
from budgetwise.services.profile import delete_user_data
from tests.conftest import create_user, make_settings
from tests.security.helpers import hold_after_first_lock, race_factory, run_two, table_snapshot
from tests.security.test_account_lock_order import LOCKING, _url

ADMIN_REQUESTS = {
    "merge": lambda s, c: admin.merge_global_categories(s, principal=c["admin"], source_id=c["source"],
                                                        target_id=c["target"]),
    "rename": lambda s, c: admin.rename_global_category(s, principal=c["admin"], category_id=c["source"],
                                                        name="Hobbies and games"),
}
USER_REQUESTS = {
    "edit_row": lambda s, c: tx.update_transaction(s, user_id=c["user"], transaction_id=c["row"], notes="checked"),
    "add_row": lambda s, c: tx.add_transaction(s, user_id=c["user"], date=dt.date(2024, 3, 2), amount="5",
                                               kind="expense", description="Board game", category_id=c["source"]),
}
PAIRS = [("merge", "edit_row"), ("merge", "add_row"), ("rename", "add_row")]


def _admin_setup(session: Session, tmp_path) -> dict:
    settings = make_settings(tmp_path / "data")
    boss = create_user(session, settings, "admin@example.com", "Admin")  # the first account: the administrator
    user = create_user(session, settings, "user@example.com", "User").user_id
    source = admin.create_global_category(session, principal=boss, name="Hobbies", kind="expense").id
    target = admin.create_global_category(session, principal=boss, name="Leisure", kind="expense").id
    row = tx.add_transaction(session, user_id=user, date=dt.date(2024, 3, 1), amount="12.50", kind="expense",
                             description="Model trains", category_id=source, auto_categorize=False).id
    return {"admin": boss, "user": user, "source": source, "target": target, "row": row}


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_a_global_category_change_and_a_users_write_at_once_both_finish(tmp_path, sqlite_template, backend, pair):
    with contextlib.ExitStack() as stack:
        factory = race_factory(stack, _url(tmp_path, sqlite_template, backend, stack))
        with session_scope(factory) as s:
            ctx = _admin_setup(s, tmp_path)
        local = hold_after_first_lock(factory.kw["bind"], threading.Barrier(2))
        errors: list[str] = []
        refused: list[str] = []

        def request(n: int) -> None:
            local.pattern = LOCKING
            try:
                with session_scope(factory) as s:
                    (ADMIN_REQUESTS[pair[0]] if n == 0 else USER_REQUESTS[pair[1]])(s, ctx)
            except BudgetwiseError as exc:  # the merge went first: the new row's category no longer exists
                refused.append(f"{pair[n]}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a deadlock (or any error) is the failure
                errors.append(f"{pair[n]}: {exc!r}"[:400])

        run_two(request)
        assert not errors, errors  # before (PostgreSQL, MariaDB): one of the two failed with a deadlock
        assert refused in ([], ["add_row: That category does not exist."]), refused
        assert not refused or pair[0] == "merge"
        with session_scope(factory) as s:
            rows = s.scalars(select(Transaction).where(Transaction.user_id == ctx["user"])).all()
            if pair[0] == "merge":  # every row of the user in the target category, none left in the source
                assert s.get(Category, ctx["source"]) is None
                # before (PostgreSQL): a row added during the merge lost its category (the source's delete set it NULL)
                assert {r.category_id for r in rows} == {ctx["target"]}
            else:
                assert s.get(Category, ctx["source"]).name == "Hobbies and games"
            assert len(rows) == (2 if pair[1] == "add_row" and not refused else 1)
            if pair[1] == "edit_row":
                assert rows[0].notes == "checked"


def _visitor(session: Session, name: str, *, created_hours: float, active_hours: float, now: dt.datetime) -> int:
    user = User(email=f"visitor-{name}@{DEMO_DOMAIN}", name=name, password_hash="-", role="user")
    session.add(user)
    session.flush()
    user.created_at = now - dt.timedelta(hours=created_hours)
    user.updated_at = now - dt.timedelta(hours=active_hours)  # the last activity
    session.flush()
    return user.id


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_two_demo_purges_at_once_delete_in_one_order(tmp_path, sqlite_template, backend):
    """One demo account at most (the cap), three idle ones. The first purge deletes the two least recently used,
    x then y (y the newer used); the second, ten minutes later, finds y expired (made 23 h 57 min before the first)
    and deletes it first, then x as idle: y then x. Before, they deadlocked (PostgreSQL, MariaDB)."""
    now = utcnow()
    with contextlib.ExitStack() as stack:
        factory = race_factory(stack, _url(tmp_path, sqlite_template, backend, stack))
        with session_scope(factory) as s:
            create_user(s, make_settings(tmp_path / "data"), "host@example.com", "Host")  # a person, never deleted
            ids = {"z": _visitor(s, "z", created_hours=1, active_hours=1, now=now),
                   "y": _visitor(s, "y", created_hours=23.95, active_hours=2, now=now),
                   "x": _visitor(s, "x", created_hours=20, active_hours=5, now=now)}
        settings = dataclasses.replace(make_settings(tmp_path / "data"), demo=True, demo_hours=24, demo_max_accounts=1)
        local = hold_after_first_lock(factory.kw["bind"], threading.Barrier(2))
        errors: list[str] = []
        cleanups: list[demo.DemoCleanup] = []

        def request(n: int) -> None:
            local.pattern = re.compile(r"\bFOR UPDATE\b|^\s*UPDATE users\b", re.IGNORECASE)  # the first user lock
            try:
                with session_scope(factory) as s:
                    cleanups.append(demo.purge_demo_accounts(s, settings=settings,
                                                             now=now + dt.timedelta(minutes=10 * n)))
            except BudgetwiseError as exc:
                errors.append(f"{n}: refused {exc}")
            except Exception as exc:  # noqa: BLE001 - a deadlock (or any database error) is the failure
                errors.append(f"{n}: {exc!r}"[:400])

        run_two(request)
        assert not errors, errors
        assert len(cleanups) == 2
        with session_scope(factory) as s:
            left = set(s.scalars(select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))).all())
            assert left == {ids["z"]}
            assert s.scalar(select(User.id).where(User.email == "host@example.com")) is not None


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_a_merge_or_a_purge_failing_half_way_leaves_the_database_as_it_was(tmp_path, sqlite_template, backend,
                                                                          monkeypatch):
    """A failure after the merge re-pointed the rows and deleted the category, or after the purge deleted its first
    account: nothing of either is kept (one transaction, ``db.session_scope``)."""
    from budgetwise.services.admin import global_categories

    now = utcnow()
    with contextlib.ExitStack() as stack:
        factory = race_factory(stack, _url(tmp_path, sqlite_template, backend, stack))
        with session_scope(factory) as s:
            ctx = _admin_setup(s, tmp_path)
            for name, hours in (("x", 5), ("y", 2)):
                _visitor(s, name, created_hours=hours, active_hours=hours, now=now)
        with factory() as s:
            before = table_snapshot(s.connection())
        settings = dataclasses.replace(make_settings(tmp_path / "data"), demo=True, demo_max_accounts=0)
        calls: list[int] = []

        def fail_on_second(session, uid):
            calls.append(uid)
            if len(calls) == 2:
                raise RuntimeError("disk full")
            return delete_user_data(session, uid)

        def fail(*_a, **_k):
            raise RuntimeError("disk full")

        monkeypatch.setattr(global_categories, "_audit", fail)  # after the rows, rules and the category
        monkeypatch.setattr(demo, "delete_user_data", fail_on_second)
        for what in (ADMIN_REQUESTS["merge"], lambda s, c: demo.purge_demo_accounts(s, settings=settings, now=now)):
            with pytest.raises(RuntimeError), session_scope(factory) as s:
                what(s, ctx)
        assert len(calls) == 2
        with factory() as s:
            assert table_snapshot(s.connection()) == before
