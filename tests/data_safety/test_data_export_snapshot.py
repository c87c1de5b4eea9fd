""""Download all my data" reads one consistent snapshot (session 26, data26).

The export reads about fifteen tables one query after another. On PostgreSQL (READ COMMITTED) and MariaDB (READ
COMMITTED since session 24) each query saw the rows committed before it, so a write from another tab in between gave
a zip whose files disagree: here an account and a transaction in it, added while the export runs, appear in
``accounts.csv`` (read late) but not in ``transactions.csv`` (read early). The export now reads in one transaction
with one snapshot (REPEATABLE READ, read only, on PostgreSQL; START TRANSACTION WITH CONSISTENT SNAPSHOT on MariaDB;
a deferred read transaction on SQLite, which never blocks the writer): either both rows or neither.
"""

from __future__ import annotations

import io
import shutil
import threading
import uuid
import zipfile

import pandas as pd
import pytest
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
from budgetwise.services import accounts, data_export
from budgetwise.services import transactions as tx
from tests.conftest import create_user, make_settings
from tests.security.helpers import run_two, scratch_database


def _files(data: bytes) -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: pd.read_csv(io.BytesIO(zf.read(n)), dtype=str, keep_default_na=False)
                for n in zf.namelist() if n.endswith(".csv")}


def _race(url: str, settings, monkeypatch, *, factory_kind: str) -> tuple[dict, dict]:
    engine = make_engine(url)
    writer = sessionmaker(bind=engine, expire_on_commit=False)
    # the page's read_session (deferred on SQLite), or a plain session (IMMEDIATE on SQLite: the CLI's kind)
    reader = make_session_factory(engine, readonly=True) if factory_kind == "readonly" else writer
    try:
        with session_scope(writer) as s:
            uid = create_user(s, settings, "snap@example.com", "Snap").user_id
            tx.add_transaction(s, user_id=uid, date="2024-05-01", amount="3.00", kind="expense", description="Early row")
        barrier = threading.Barrier(2)
        written = threading.Event()
        out: dict[str, object] = {}
        original = data_export._LOADERS["rules.csv"]  # after transactions.csv, before accounts.csv

        def held(session, user_id):
            barrier.wait(timeout=10)
            written.wait(timeout=20)  # the other tab's write is committed before the export reads on
            return original(session, user_id)

        monkeypatch.setitem(data_export._LOADERS, "rules.csv", held)

        def request(n: int) -> None:
            try:
                if n == 0:
                    with session_scope(reader) as s:
                        out["zip"] = data_export.export_zip(s, user_id=uid)
                else:
                    barrier.wait(timeout=10)
                    with session_scope(writer) as s:
                        acc = accounts.create_account(s, user_id=uid, name="Late savings", kind="savings")
                        tx.add_transaction(s, user_id=uid, date="2024-05-02", amount="4.00", kind="income",
                                           description="Late row", account_id=acc.id)
                    written.set()
            except Exception as exc:  # noqa: BLE001 - any failure is the defect
                out[f"error{n}"] = repr(exc)
                written.set()

        run_two(request)
        assert not [k for k in out if k.startswith("error")], out
        monkeypatch.setitem(data_export._LOADERS, "rules.csv", original)
        with session_scope(reader) as s:
            after = _files(data_export.export_zip(s, user_id=uid))
        return _files(out["zip"]), after  # type: ignore[arg-type]
    finally:
        engine.dispose()


@pytest.mark.parametrize("factory_kind", ["readonly", "plain"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_a_write_during_the_export_is_in_all_of_its_files_or_in_none(tmp_path, sqlite_template, monkeypatch,
                                                                    backend, factory_kind):
    settings = make_settings(tmp_path / "data")
    if backend == "sqlite":
        path = tmp_path / "snap.db"
        shutil.copyfile(sqlite_template, path)
        during, after = _race(f"sqlite:///{path}", settings, monkeypatch, factory_kind=factory_kind)
    else:
        with scratch_database(backend) as url:
            upgrade_database(url)
            during, after = _race(url, settings, monkeypatch, factory_kind=factory_kind)
    seen = ("Late savings" in set(during["accounts.csv"]["name"]), "Late row" in set(during["transactions.csv"]["description"]))
    assert seen == (False, False), f"the export's files disagree or are not of one moment: {seen}"
    assert "Early row" in set(during["transactions.csv"]["description"])
    # the write did happen: the next export has both
    assert "Late savings" in set(after["accounts.csv"]["name"]) and "Late row" in set(after["transactions.csv"]["description"])


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_the_snapshot_is_read_only_repeatable_and_leaves_the_pooled_connection_as_it_was(tmp_path, backend):
    """``db.begin_snapshot``: a fresh session's transaction becomes a read-only snapshot (PostgreSQL, MariaDB; SQLite's
    deferred read takes no write lock), the connection goes back to the pool at the engine's READ COMMITTED, and a
    session already in a transaction is left as the caller began it."""
    from sqlalchemy import text

    from budgetwise.db import begin_snapshot
    from tests.security.helpers import server_url

    url = f"sqlite:///{tmp_path / 'x.db'}" if backend == "sqlite" else server_url(backend)
    if url is None:
        pytest.skip(f"{backend}: no server URL configured")
    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    level = {"postgresql": "SHOW transaction_isolation", "mysql": "SELECT @@session.tx_isolation"}.get(backend)
    probe = f"snapshot_probe_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {probe} (a int)")
    try:
        with session_scope(factory) as s:
            assert begin_snapshot(s) is True
            if level:
                assert s.execute(text(level)).scalar().lower().replace("-", " ") == "repeatable read"
                with pytest.raises(Exception, match="(?i)read.only"):
                    s.execute(text(f"INSERT INTO {probe} (a) VALUES (1)"))
                s.rollback()
            else:  # no write lock held: another connection can write
                with engine.connect() as other, other.begin():
                    other.exec_driver_sql(f"INSERT INTO {probe} (a) VALUES (1)")
        with session_scope(factory) as s:
            s.execute(text("SELECT 1"))
            if level:
                assert s.execute(text(level)).scalar().lower().replace("-", " ") == "read committed"
            assert begin_snapshot(s) is False  # already in a transaction: left as it is
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE {probe}")
        engine.dispose()
