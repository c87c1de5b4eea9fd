"""SQLite writers queue on the write lock (WAL, BEGIN IMMEDIATE, a busy timeout). Under heavy load
(8 writing processes at a load average of ~10, docs/reliability.md) one action waited more than the
30 s busy timeout behind imports and back-to-back writers, and "database is locked" reached a user. A
writer's BEGIN, where nothing is done yet, is now retried for a longer patience
(``db.SQLITE_WRITE_PATIENCE_S``); the busy timeout itself is shrunk here to keep the test fast."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from budgetwise import db


def _hold_write_lock(path, seconds: float, held: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def _write_while_locked(tmp_path, monkeypatch, hold_s: float, patience_s: float) -> float:
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(db, "SQLITE_WRITE_PATIENCE_S", patience_s)
    path = tmp_path / "busy.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(str(path), hold_s, held))
    holder.start()
    try:
        held.wait(5)
        t0 = time.perf_counter()
        with db.session_scope(db.make_session_factory(engine)) as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
        return time.perf_counter() - t0
    finally:
        holder.join()
        engine.dispose()


def test_a_writer_waits_past_the_busy_timeout_while_another_writer_holds_the_lock(tmp_path, monkeypatch):
    waited = _write_while_locked(tmp_path, monkeypatch, hold_s=1.0, patience_s=10)
    assert 0.5 < waited < 5  # five busy timeouts' worth, then in as soon as the lock was free


def test_past_its_patience_a_writer_still_gets_the_database_error(tmp_path, monkeypatch):
    with pytest.raises(OperationalError, match="locked"):
        _write_while_locked(tmp_path, monkeypatch, hold_s=2.0, patience_s=0.5)
