"""``budgetwise backup`` / ``budgetwise restore``: round trips give identical data (SQLite file,
portable dump, across backends), restore refuses a database holding data unless --force,
files are private (0600), and a backup taken while writers commit is consistent."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import sessionmaker

from budgetwise.cli import main
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
from budgetwise.errors import ConflictError
from budgetwise.models import ImportBatch
from budgetwise.services import backup as backup_service
from tests.conftest import TEST_SECRET, create_user
from tests.security.helpers import populate, scratch_database, table_snapshot


def _fill(url: str, settings) -> None:
    engine = make_engine(url)
    try:
        with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
            for email, name in (("root@example.com", "Root"), ("alice@example.com", "Alice"), ("bob@example.com", "Bob")):
                p = create_user(s, settings, email, name)
                if name != "Root":
                    populate(s, settings, p, marker=name.upper())
    finally:
        engine.dispose()


def _one_user(url: str, settings, email: str) -> None:
    engine = make_engine(url)
    try:
        with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
            create_user(s, settings, email, email.split("@")[0].capitalize())
    finally:
        engine.dispose()


def _snapshot(url: str, *, restores: int = 0) -> dict:
    """Every row of every table; ``restores``: how many restores this database went through,
    each of which moves every user's token version (old sessions end, issue #13) and data version (cached
    results are read afresh, session 19) up by one, and logs itself in the audit log: the snapshot shows the
    versions as they were before and leaves the restore's own entries out, so the rest compares exactly."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            snap = table_snapshot(conn)
            if restores and snap.get("users"):
                names = sorted(c["name"] for c in inspect(conn).get_columns("users"))
                moved = {names.index("token_version"), names.index("data_version")}
                snap["users"] = [tuple(v - restores if i in moved else v for i, v in enumerate(r)) for r in snap["users"]]
            if restores:  # each restore logs itself (session 19)
                snap["audit_log"] = [r for r in snap.get("audit_log", []) if "database.restore" not in r]
            return snap
    finally:
        engine.dispose()


@pytest.fixture
def env(tmp_path, monkeypatch, settings, sqlite_template):
    """Point the CLI at a fresh, migrated SQLite data directory (a copy of the session's
    template); returns a function to switch databases."""
    def use(data_dir: Path, url: str | None = None) -> str:
        data_dir.mkdir(parents=True, exist_ok=True)
        if url is None and not (data_dir / "budgetwise.db").exists():
            shutil.copyfile(sqlite_template, data_dir / "budgetwise.db")
        monkeypatch.setenv("BUDGETWISE_DATA_DIR", str(data_dir))
        monkeypatch.setenv("BUDGETWISE_SECRET_KEY", TEST_SECRET)
        monkeypatch.setenv("BUDGETWISE_BCRYPT_ROUNDS", "4")
        if url:
            monkeypatch.setenv("BUDGETWISE_DATABASE_URL", url)
        else:
            monkeypatch.delenv("BUDGETWISE_DATABASE_URL", raising=False)
        return url or f"sqlite:///{data_dir / 'budgetwise.db'}"

    return use


def test_backup_and_restore_count_in_the_singular_for_one(tmp_path, env, settings, capsys):
    """Session 19 (trial): `budgetwise backup` printed "budgets: 1 rows"; the one plural helper now."""
    source = env(tmp_path / "src")
    _one_user(source, settings, "root@example.com")
    out = tmp_path / "one.zip"
    assert main(["backup", "--output", str(out)]) == 0
    said = capsys.readouterr()
    lines = [line.strip() for line in said.err.splitlines() if line.strip()]
    assert "users: 1 row" in lines and "transactions: 0 rows" in lines
    assert not [line for line in lines if line.endswith(": 1 rows")]
    assert "Backed up " in said.out and " 1 rows" not in said.out
    env(tmp_path / "dst")
    assert main(["restore", str(out)]) == 0
    said = capsys.readouterr()
    assert "users: 1 row" in [line.strip() for line in said.err.splitlines()]
    assert "(1 user, 0 transactions;" in said.out


@pytest.mark.parametrize("suffix", [".db", ".zip"])
def test_backup_restore_round_trip_sqlite(tmp_path, env, settings, suffix, capsys):
    source = env(tmp_path / "src")
    _fill(source, settings)
    out = tmp_path / f"backup{suffix}"
    assert main(["backup", "--output", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it holds password hashes
    with open(out, "rb") as fh:
        head = fh.read(16)
    assert (head == backup_service.SQLITE_MAGIC) == (suffix == ".db")
    target = env(tmp_path / "dst")
    assert main(["restore", str(out)]) == 0
    assert "Restored" in capsys.readouterr().out
    before, after = _snapshot(source), _snapshot(target, restores=1)
    assert before == after
    assert len(after["transactions"]) >= 2 * 7 and len(after["users"]) == 3
    # new rows after a restore get fresh ids (sequences moved past the restored ones)
    engine = make_engine(target)
    try:
        with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
            create_user(s, settings, "carol@example.com", "Carol")
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", ["backup.db", "backup.sqlite3"])
def test_a_sqlite_file_name_on_a_server_database_is_refused(db, tmp_path, env, monkeypatch, capsys, name):
    """Session 14 (hosting): README's ``budgetwise backup --output backup.db`` on PostgreSQL/MariaDB wrote
    a zip dump under a name every reader takes for a SQLite file. Now it says what to do and writes
    nothing; ``--format dump`` keeps the name on purpose. On SQLite the name still means the file copy."""
    from budgetwise.errors import ValidationError

    out = tmp_path / name
    if db.backend == "sqlite":
        result = backup_service.backup(db.engine, out)
        assert result.format == "sqlite" and out.read_bytes()[:16] == backup_service.SQLITE_MAGIC
        return
    backend = {"postgresql": "PostgreSQL", "mysql": "MariaDB/MySQL"}[db.backend]
    with pytest.raises(ValidationError, match=rf"“{name}” names a SQLite database file, but this database is {backend}"):
        backup_service.backup(db.engine, out)
    assert not out.exists()
    env(tmp_path / "cli", db.engine.url.render_as_string(hide_password=False))
    assert main(["backup", "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Write it to a .zip file (budgetwise backup --output backup.zip)" in err and "--format dump" in err
    assert not out.exists()
    assert main(["backup", "--output", str(out), "--format", "dump", "--quiet"]) == 0
    assert zipfile.is_zipfile(out)


def test_restore_refuses_a_database_with_data_unless_force(tmp_path, env, settings, capsys):
    source = env(tmp_path / "src")
    _fill(source, settings)
    out = tmp_path / "b.zip"
    assert main(["backup", "-q", "--output", str(out)]) == 0
    other = env(tmp_path / "other")
    _one_user(other, settings, "someone@example.com")
    assert main(["restore", str(out)]) == 2
    assert "already holds data" in capsys.readouterr().err
    assert [r for r in _snapshot(other)["users"] if "someone@example.com" in r]  # untouched
    assert main(["restore", "--force", str(out)]) == 0
    assert _snapshot(other, restores=1) == _snapshot(source)


def test_restore_is_one_transaction(tmp_path, env, settings, monkeypatch):
    """A failure half-way through a restore leaves the target exactly as it was."""
    source = env(tmp_path / "src")
    _fill(source, settings)
    out = tmp_path / "b.zip"
    engine = make_engine(source)
    backup_service.backup(engine, out)
    engine.dispose()
    target = env(tmp_path / "dst")
    before = _snapshot(target)
    real = backup_service._insert_all

    def failing(conn, rows, table):
        if table.name == "transactions":
            raise RuntimeError("disk full (simulated)")
        return real(conn, rows, table)

    monkeypatch.setattr(backup_service, "_insert_all", failing)
    engine = make_engine(target)
    try:
        with pytest.raises(RuntimeError, match="simulated"):
            backup_service.restore(engine, out)
    finally:
        engine.dispose()
    assert _snapshot(target) == before


def test_garbage_and_foreign_files_are_refused(tmp_path, env):
    env(tmp_path / "dst")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup")
    assert main(["restore", str(junk)]) == 2
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else"}))
    assert main(["restore", str(other_zip)]) == 2


WRITER = """
import sys, time
from pathlib import Path
from sqlalchemy.orm import sessionmaker
from budgetwise.db import make_engine, session_scope
from budgetwise.importing import ImportOptions
from budgetwise.services import importing
from tests.security.helpers import bank_csv

url, uid, seed, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
factory = sessionmaker(bind=make_engine(url), expire_on_commit=False)
i = 0
print("ready", flush=True)
while not stop.exists():
    with session_scope(factory) as s:
        importing.commit_import(s, user_id=uid, data=bank_csv(60, seed=seed * 1000 + i, prefix=f"w{seed}"),
                                filename=f"w{seed}-{i}.csv", options=ImportOptions())
    i += 1
    time.sleep(0.02)  # leave the machine's other cores some room (CI runs tests in parallel)
print(f"batches {i}", flush=True)
"""


def test_backup_while_writers_commit_is_consistent(tmp_path, env, settings):
    """Two writer processes (like two app processes) keep committing import batches during
    the backups: every backup holds each batch together with exactly its rows."""
    url = env(tmp_path / "live")
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as s:
        uid = create_user(s, settings).user_id
    stop = tmp_path / "stop"
    root = Path(__file__).resolve().parents[2]
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, str(uid), str(n), str(stop)], cwd=root,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(2)
    ]
    results = []
    try:
        for w in writers:
            assert w.stdout.readline().strip() == "ready", w.stderr.read()
        # Wait until both have committed something, reading only: a writer session (BEGIN
        # IMMEDIATE on SQLite) would hold the write lock through each sleep and starve the
        # writers past their 30 s busy timeout (it did, twice, under make test).
        with session_scope(make_session_factory(engine, readonly=True)) as s:
            deadline = time.time() + 60
            while s.scalar(select(func.count()).select_from(ImportBatch)) < 2 and time.time() < deadline:
                time.sleep(0.1)
                s.rollback()
        for name in ["a.db", "b.zip", "c.db"]:
            results.append(backup_service.backup(engine, tmp_path / name))
    finally:
        stop.touch()
        outputs = [w.communicate(timeout=60) for w in writers]
        engine.dispose()
    for w, (out, err) in zip(writers, outputs):
        assert w.returncode == 0, err
        assert int(out.split("batches")[1]) > 0
    batches_seen = 0
    for result in results:
        batches, per_batch = _batches_in(result.path)
        for batch_id, imported in batches.items():
            assert per_batch.get(batch_id, 0) == imported, f"batch {batch_id} is incomplete in {result.path.name}"
            batches_seen += 1
    assert batches_seen > 0


def _batches_in(path: Path) -> tuple[dict[int, int], dict[int, int]]:
    """({batch id: rows_imported}, {batch id: transactions present}) read straight from a backup file."""
    batches: dict[int, int] = {}
    per_batch: dict[int, int] = {}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            cols = {t["name"]: t["columns"] for t in manifest["tables"]}
            for line in zf.read("tables/import_batches.jsonl").splitlines():
                row = dict(zip(cols["import_batches"], json.loads(line)))
                batches[row["id"]] = row["rows_imported"]
            for line in zf.read("tables/transactions.jsonl").splitlines():
                bid = dict(zip(cols["transactions"], json.loads(line)))["import_batch_id"]
                per_batch[bid] = per_batch.get(bid, 0) + 1
        return batches, per_batch
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        batches = dict(conn.execute("SELECT id, rows_imported FROM import_batches").fetchall())
        per_batch = dict(conn.execute("SELECT import_batch_id, COUNT(*) FROM transactions GROUP BY import_batch_id").fetchall())
    finally:
        conn.close()
    return batches, per_batch


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_round_trip_across_backends(tmp_path, env, settings, backend):
    """SQLite -> {backend} -> SQLite through the portable dump: identical data both ways;
    the test ids carry the backend name so CI's server-database stage runs them."""
    source = env(tmp_path / "src")
    _fill(source, settings)
    first = tmp_path / "from-sqlite.zip"
    engine = make_engine(source)
    backup_service.backup(engine, first)
    engine.dispose()
    with scratch_database(backend) as server:
        upgrade_database(server)
        engine = make_engine(server)
        try:
            backup_service.restore(engine, first)
            with pytest.raises(ConflictError):  # it holds data now
                backup_service.restore(engine, first)
            assert _snapshot(server, restores=1) == _snapshot(source)
            second = tmp_path / "from-server.zip"
            backup_service.backup(engine, second)
            # ids continue after the restored ones on the server too
            with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as s:
                create_user(s, settings, "carol@example.com", "Carol")
        finally:
            engine.dispose()
    back = env(tmp_path / "back")
    engine = make_engine(back)
    try:
        backup_service.restore(engine, second)
    finally:
        engine.dispose()
    assert _snapshot(back, restores=2) == _snapshot(source)


def test_a_dump_from_an_older_schema_is_upgraded_on_restore(tmp_path, env, settings):
    """A dump made at revision 0001 restores into today's schema (Alembic upgrades it on the way)."""
    from alembic import command

    from budgetwise.db import alembic_config
    from budgetwise.models import Category

    old = tmp_path / "old.db"
    old_url = f"sqlite:///{old}"
    command.upgrade(alembic_config(old_url), "0001")
    engine = make_engine(old_url)
    try:
        # rows written as the 0001 schema has them (today's models have columns 0001 lacks)
        with engine.begin() as conn:
            conn.execute(text(
                "insert into users (email, name, password_hash, role, is_active, token_version, data_version,"
                " failed_logins, currency, locale, date_format, week_start, totp_enabled, created_at, updated_at)"
                " values ('alice@example.com', 'Alice', 'h', 'admin', 1, 1, 1, 0, 'USD', 'en_US', '%Y-%m-%d', 0, 0,"
                " '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            ))
            alice_id = conn.execute(text("select id from users")).scalar_one()
            conn.execute(text(
                "insert into categories (user_id, name, kind, color, is_archived, created_at, updated_at)"
                " values (:u, 'Old times', 'expense', '#8c8c8c', 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            ), {"u": alice_id})
        dump = backup_service.backup(engine, tmp_path / "old.zip")
    finally:
        engine.dispose()
    assert dump.revision == "0001"
    target = env(tmp_path / "dst")
    engine = make_engine(target)
    try:
        result = backup_service.restore(engine, dump.path)
        with engine.connect() as conn:
            names = set(conn.execute(select(Category.name).where(Category.user_id == alice_id)).scalars())
            defaults = conn.execute(select(func.count()).select_from(Category).where(Category.user_id.is_(None))).scalar()
    finally:
        engine.dispose()
    assert result.revision == "0001" and names == {"Old times"}
    assert defaults > 0  # migration 0002's default categories were added on the way


def test_a_restore_gives_every_user_cache_keys_never_used_before(tmp_path, settings, sqlite_template):
    """Session 19 (admin walk-through on PostgreSQL): a restore, run while the app kept serving, put back the
    backup's ``data_version``. The app's per-user caches are keyed by account id + data version, so the next
    write after the restore reused a version the running app had already cached for the data of *before* the
    restore (rows the restore removed, or another import): the pages showed the old figures. Every restored
    user's data version now moves past both the backup's and the one the database held."""
    from budgetwise.services import versions

    live = tmp_path / "live.db"
    shutil.copyfile(sqlite_template, live)
    engine = make_engine(f"sqlite:///{live}")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with session_scope(factory) as s:
            uid = create_user(s, settings, "carol@example.com", "Carol").user_id
        seen = set()

        def key() -> str:
            with session_scope(factory) as s:
                return versions.cache_version(s, user_id=uid)

        seen.add(key())
        backup_service.backup(engine, tmp_path / "old.zip")
        for _ in range(3):  # writes after the backup; the running app caches each version's figures
            with session_scope(factory) as s:
                versions.touch_data(s, uid)
            seen.add(key())
        backup_service.restore(engine, tmp_path / "old.zip", force=True)
        after = key()
        assert after not in seen, f"{after} was cached before the restore"
        for _ in range(3):  # the writes after the restore never land on a cached key either
            with session_scope(factory) as s:
                versions.touch_data(s, uid)
            assert key() not in seen
    finally:
        engine.dispose()


def test_a_restore_keeps_the_audit_entries_the_backup_does_not_hold_and_logs_itself(tmp_path, env, settings, capsys):
    """Session 19 (admin walk-through on PostgreSQL): a member deleted by mistake after the morning's backup, then
    that backup restored: the audit log said nothing of the deletion nor of the restore (the restore replaced the
    log with the backup's). The audit log is never cut short (docs/admin.md): the entries the backup does not
    hold are written back after the restored ones, and the restore is logged."""
    from budgetwise.models import AuditLog
    from budgetwise.services.backup_audit import RESTORE_ACTION

    url = env(tmp_path / "live")
    _fill(url, settings)
    out = tmp_path / "morning.zip"
    assert main(["backup", "-q", "--output", str(out)]) == 0
    assert main(["users", "delete", "bob@example.com", "--yes"]) == 0
    assert main(["restore", "--force", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Kept 1 audit entry of the replaced database" in said
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            log = conn.execute(select(AuditLog.action, AuditLog.target, AuditLog.target_user_id, AuditLog.actor_email)
                               .order_by(AuditLog.id)).all()
            bob = conn.execute(text("select id from users where email = 'bob@example.com'")).scalar()
    finally:
        engine.dispose()
    assert bob is not None  # the restore brought Bob back
    assert [a for a, *_ in log[-2:]] == ["user.delete", RESTORE_ACTION]
    deleted, restored = log[-2], log[-1]
    assert deleted.target == "bob@example.com" and deleted.target_user_id == bob  # the same Bob: id kept
    assert restored.target == "morning.zip" and restored.actor_email == "cli@localhost"
    # restoring the same backup again keeps the deletion and the first restore, and adds one entry
    assert main(["restore", "--force", "-q", str(out)]) == 0
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            actions = conn.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    finally:
        engine.dispose()
    assert actions[-3:] == ["user.delete", RESTORE_ACTION, RESTORE_ACTION]
