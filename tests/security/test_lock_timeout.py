"""A write that waits too long for the user's lock gives up, nothing written, with words a person reads (session 28).

PostgreSQL waited for a lock without limit: one stuck request of a user (holding its transaction) held every later
write of that user, each queued behind the user's lock. ``db.make_engine`` now sets each connection's limit
(``BUDGETWISE_LOCK_TIMEOUT_SECONDS``: PostgreSQL ``lock_timeout``, MariaDB ``innodb_lock_wait_timeout``) and
``db.session_scope`` rolls the whole unit of work back and raises ``LockTimeout`` (MariaDB undoes only the statement
that waited; the rollback of the whole unit keeps nothing of the rest). The pages show it where they show every
refusal (``ui.actions._attempt``).
"""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from budgetwise.config import Settings, configured_lock_timeout_seconds
from budgetwise.db import LOCK_TIMEOUT_MESSAGE, make_engine, session_scope, upgrade_database
from budgetwise.errors import ConfigurationError, LockTimeout
from budgetwise.models import Transaction, User
from budgetwise.services import transactions as tx
from tests.conftest import create_user, make_settings
from tests.security.helpers import scratch_database


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_a_write_behind_a_stuck_request_gives_up_and_keeps_nothing(tmp_path, backend):
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(scratch_database(backend))
        upgrade_database(url)
        engine = make_engine(url, lock_timeout_seconds=1)
        stack.callback(engine.dispose)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with session_scope(factory) as s:
            principal = create_user(s, make_settings(tmp_path / "data"), "stuck@example.com", "Stuck")
            first = tx.add_transaction(s, user_id=principal.user_id, date=dt.date(2024, 3, 1), amount="5",
                                       kind="expense", description="Bakery").id
        uid = principal.user_id
        stuck = factory()  # another request of the user, holding the user's lock and never ending
        stack.callback(stuck.close)
        stuck.execute(select(User.id).where(User.id == uid).with_for_update())
        with pytest.raises(LockTimeout) as caught, session_scope(factory) as s:
            # a Core write that takes no user lock, then a write that waits for the user's lock
            s.execute(update(Transaction).where(Transaction.id == first).values(notes="half-written"))
            tx.add_transaction(s, user_id=uid, date=dt.date(2024, 3, 2), amount="7", kind="expense",
                               description="Grocer")
        assert caught.value.message == LOCK_TIMEOUT_MESSAGE
        assert "Another change to your data is still running" in str(caught.value)
        stuck.rollback()
        with session_scope(factory) as s:
            assert s.scalar(select(Transaction.notes).where(Transaction.id == first)) in (None, "")
            assert s.scalars(select(Transaction.description).where(Transaction.user_id == uid)).all() == ["Bakery"]
            # the next write, once nothing holds the lock, goes through on the same pool
            tx.add_transaction(s, user_id=uid, date=dt.date(2024, 3, 2), amount="7", kind="expense",
                               description="Grocer")


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_the_limit_is_each_connections_setting(backend):
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(scratch_database(backend))
        sql = "SHOW lock_timeout" if backend == "postgresql" else "SELECT @@SESSION.innodb_lock_wait_timeout"
        limited = make_engine(url, lock_timeout_seconds=7)
        stack.callback(limited.dispose)
        with limited.connect() as conn:
            assert str(conn.exec_driver_sql(sql).scalar()) in ("7s", "7")
            conn.rollback()
            assert str(conn.exec_driver_sql(sql).scalar()) in ("7s", "7")  # a rollback keeps it
        server = make_engine(url, lock_timeout_seconds=0)  # the server's own (migrations)
        stack.callback(server.dispose)
        with server.connect() as conn:
            assert str(conn.exec_driver_sql(sql).scalar()) in ("0", "50")


class _Orig(Exception):
    def __init__(self, *args, sqlstate: str | None = None) -> None:
        super().__init__(*args)
        self.sqlstate = sqlstate


@pytest.mark.parametrize("orig", [_Orig("canceling statement due to lock timeout", sqlstate="55P03"),
                                  _Orig(1205, "Lock wait timeout exceeded; try restarting transaction")])
def test_session_scope_turns_a_lock_timeout_into_words_and_rolls_back(tmp_path, orig):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    factory = sessionmaker(bind=engine)
    with pytest.raises(LockTimeout) as caught, session_scope(factory):
        raise OperationalError("UPDATE users ...", {}, orig)
    assert isinstance(caught.value.__cause__, OperationalError)
    with pytest.raises(OperationalError), session_scope(factory):  # any other database error is left as it is
        raise OperationalError("UPDATE users ...", {}, _Orig(1213, "Deadlock found"))
    engine.dispose()


def test_the_setting_is_read_from_the_environment_and_secrets(tmp_path):
    assert configured_lock_timeout_seconds({}) == 60
    assert configured_lock_timeout_seconds({"BUDGETWISE_LOCK_TIMEOUT_SECONDS": "0"}) == 0
    with pytest.raises(ConfigurationError, match="BUDGETWISE_LOCK_TIMEOUT_SECONDS must be a whole number"):
        configured_lock_timeout_seconds({"BUDGETWISE_LOCK_TIMEOUT_SECONDS": "soon"})
    env = {"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_SECRET_KEY": "k" * 20 + "-random-enough-0123456789"}
    assert Settings.load(env).lock_timeout_seconds == 60
    assert Settings.load(env, {"BUDGETWISE_LOCK_TIMEOUT_SECONDS": "15"}).lock_timeout_seconds == 15
    assert Settings.load({**env, "BUDGETWISE_LOCK_TIMEOUT_SECONDS": "5"}).lock_timeout_seconds == 5
