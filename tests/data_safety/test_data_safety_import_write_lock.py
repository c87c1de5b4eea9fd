"""An import does not hold SQLite's write lock while it parses and categorizes (session 10).

The page (and any caller) works an import out in a read-only session (``prepare_import``) and
then writes it in a short transaction (``commit_import(prepared=...)``): another user's write
during the parse/categorize phase goes through at once, even with a short busy timeout. The
write still re-checks duplicates under the user's lock, so the same file prepared twice (two
tabs) is stored once, and it still rolls back whole.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, make_session_factory, session_scope
from budgetwise.models import ImportBatch, Transaction
from budgetwise.services import importing as svc
from budgetwise.services import transactions as tx
from budgetwise.services.importing import commit as commit_module
from tests.conftest import create_user
from tests.security.helpers import bank_csv, shared_database

ROWS = 300


@pytest.fixture(params=["sqlite"])
def shared(request, tmp_path, settings, sqlite_template):
    with shared_database(request.param, tmp_path, sqlite_template, "lock.db") as url:
        engine = make_engine(url)
        writer = sessionmaker(bind=engine, expire_on_commit=False)
        reader = make_session_factory(engine, readonly=True)
        with session_scope(writer) as s:
            alice = create_user(s, settings).user_id
            bob = create_user(s, settings, "bob@example.com", "Bob").user_id
        try:
            yield Path(url.removeprefix("sqlite:///")), writer, reader, alice, bob
        finally:
            engine.dispose()


def _other_user_writes_during_categorization(monkeypatch, db: Path, bob: int) -> list[str]:
    """Make the categorize step write for ``bob`` from another connection (0.2 s busy timeout)."""
    outcomes: list[str] = []
    real = commit_module._categorize

    def categorize(*args, **kwargs):
        conn = sqlite3.connect(db, timeout=0.2, isolation_level=None)
        try:
            conn.execute("UPDATE users SET data_version = data_version + 1 WHERE id = ?", (bob,))
            outcomes.append("written")
        except sqlite3.OperationalError as exc:
            outcomes.append(str(exc))
        finally:
            conn.close()
        return real(*args, **kwargs)

    monkeypatch.setattr(commit_module, "_categorize", categorize)
    return outcomes


def _count(writer, uid: int) -> tuple[int, int]:
    with session_scope(writer) as s:
        rows = s.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == uid))
        batches = s.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.user_id == uid))
    return int(rows or 0), int(batches or 0)


def test_another_users_write_is_not_blocked_while_an_import_categorizes(shared, monkeypatch):
    db, writer, reader, alice, bob = shared
    monkeypatch.setattr(commit_module, "INSERT_CHUNK", 100)  # three chunks, three writes by bob
    outcomes = _other_user_writes_during_categorization(monkeypatch, db, bob)
    data = bank_csv(ROWS, seed=1)
    with session_scope(reader) as rs:
        prepared = svc.prepare_import(rs, user_id=alice, data=data, filename="big.csv")
    calls = len(outcomes)
    with session_scope(writer) as s:
        result = svc.commit_import(s, user_id=alice, data=data, filename="big.csv", prepared=prepared)
    assert outcomes == ["written"] * 3
    assert len(outcomes) == calls  # the write categorized nothing: it stored what was prepared
    assert result.rows_imported == ROWS and _count(writer, alice) == (ROWS, 1)


def test_without_a_prepared_import_the_write_lock_is_held_while_categorizing(shared, monkeypatch):
    """The contrast (and the fallback): everything worked out inside the write transaction blocks the
    other user's write; this is what the prepared path avoids."""
    db, writer, _reader, alice, bob = shared
    outcomes = _other_user_writes_during_categorization(monkeypatch, db, bob)
    with session_scope(writer) as s:
        svc.commit_import(s, user_id=alice, data=bank_csv(50, seed=2), filename="small.csv")
    assert outcomes and all("locked" in o for o in outcomes), outcomes


@pytest.mark.parametrize("shared", ["sqlite", "postgresql", "mysql"], indirect=True)
def test_the_same_file_prepared_twice_is_stored_once(shared):
    """Two tabs: both prepare before either writes; the second write finds the user's data changed,
    works the import out again under the lock and stores nothing new (no empty batch)."""
    _db, writer, reader, alice, _bob = shared
    data = bank_csv(ROWS, seed=3)
    prepared = []
    for _ in range(2):
        with session_scope(reader) as rs:
            prepared.append(svc.prepare_import(rs, user_id=alice, data=data, filename="same.csv"))
    results = []
    for p in prepared:
        with session_scope(writer) as s:
            results.append(svc.commit_import(s, user_id=alice, data=data, filename="same.csv", prepared=p))
    assert [(r.rows_imported, r.rows_duplicate) for r in results] == [(ROWS, 0), (0, ROWS)]
    assert results[1].nothing_new
    assert _count(writer, alice) == (ROWS, 1)


@pytest.mark.parametrize("shared", ["sqlite", "postgresql", "mysql"], indirect=True)
def test_a_write_of_the_users_own_between_prepare_and_commit_is_counted(shared):
    """A row of the file added by hand after the preparation: the commit sees the data version moved,
    counts duplicates again under the lock and leaves that row out."""
    _db, writer, reader, alice, _bob = shared
    data = b"Date,Description,Amount\n2024-03-01,Bakery,-3.20\n2024-03-02,Cinema,-12.00\n"
    with session_scope(reader) as rs:
        prepared = svc.prepare_import(rs, user_id=alice, data=data, filename="two.csv")
    with session_scope(writer) as s:
        tx.add_transaction(s, user_id=alice, date="2024-03-01", amount="3.20", kind="expense", description="Bakery")
    with session_scope(writer) as s:
        result = svc.commit_import(s, user_id=alice, data=data, filename="two.csv", prepared=prepared)
    assert (result.rows_imported, result.rows_duplicate) == (1, 1)
    assert _count(writer, alice) == (2, 1)


@pytest.mark.parametrize("shared", ["sqlite", "postgresql", "mysql"], indirect=True)
def test_a_failure_while_writing_a_prepared_import_leaves_nothing(shared, monkeypatch):
    _db, writer, reader, alice, _bob = shared
    monkeypatch.setattr(commit_module, "INSERT_CHUNK", 100)
    data = bank_csv(ROWS, seed=4)
    with session_scope(reader) as rs:
        prepared = svc.prepare_import(rs, user_id=alice, data=data, filename="fail.csv")
    real, calls = svc._Inserter.insert, []

    def failing(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(svc._Inserter, "insert", failing)
    with pytest.raises(RuntimeError), session_scope(writer) as s:
        svc.commit_import(s, user_id=alice, data=data, filename="fail.csv", prepared=prepared)
    assert _count(writer, alice) == (0, 0)
