"""Online, consistent backups and restores of the whole database (``budgetwise backup`` /
``budgetwise restore``).

Two formats:

* **SQLite file** (SQLite databases only): a copy made with SQLite's online backup API
  (``sqlite3.Connection.backup``) in one step, i.e. inside one read transaction: a
  consistent snapshot while the app keeps reading and writing (WAL). The copy is
  integrity-checked, switched to a single-file journal, then moved into place atomically.
* **Portable dump** (any backend, a ``.zip``): ``manifest.json`` (format, Alembic
  revision, row counts, tables in dependency order) and ``tables/<table>.jsonl`` (one JSON
  array per row, columns as listed in the manifest). All tables are read in one
  transaction at REPEATABLE READ (PostgreSQL, MariaDB/MySQL) or one deferred read
  transaction (SQLite, WAL): a consistent snapshot without stopping the app.

A restore first checks the backup completely (:mod:`budgetwise.services.backup_check`:
known tables and columns only, every value against its column's type and constraints,
foreign keys, no foreign triggers or views in a SQLite file) and refuses it with the first
problem named before anything is written. It then writes in **one transaction**, and ends
every session and "stay signed in" cookie (token versions are bumped) and every cached result (data versions too). It refuses a database that already
holds data unless ``force`` (then everything in it is replaced), inserts table by table in dependency order, and moves
PostgreSQL's id sequences past the restored ids. A backup made at an older schema
revision is first upgraded in a temporary SQLite database (Alembic), so backups stay
restorable after upgrades. A restore across backends (SQLite file into PostgreSQL and
back) works the same way.

Backups contain password hashes and two-factor secrets: files are written with mode 0600.

This is an operator tool for the CLI: it takes an Engine (not a user's Session) and
needs no principal; it is not reachable from the web app.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Boolean, Date, DateTime, Engine, Table, delete, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, StatementError

from budgetwise.db import (
    alembic_config,
    database_revision,
    make_engine,
    snapshot_options,
    start_snapshot,
    upgrade_database,
)
from budgetwise.errors import ConflictError, ImportFileError, ValidationError
from budgetwise.models import Base, DecimalText, UTCDateTime
from budgetwise.names import quoted
from budgetwise.private_files import ensure_private_dir, make_private
from budgetwise.services import backup_audit
from budgetwise.services.backup_check import (
    check_manifest,
    check_manifest_columns,
    check_rows,
    check_sqlite_file,
    decoded,
)
from budgetwise.text import plural

DUMP_FORMAT = "budgetwise-dump"
DUMP_VERSION = 1
CHUNK = 2_000
SQLITE_MAGIC = b"SQLite format 3\x00"
# A crafted dump must not exhaust memory before it is refused (session 21): its manifest and each row's line
# are read whole, so each has a ceiling far above any real one (a manifest is a few KB; a row's longest text is
# its notes or an audit entry's details).
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_ROW_BYTES = 16 * 1024 * 1024
# Rows the migrations themselves create (default categories and rules): a database holding
# only these counts as empty.
_SEEDED = {"categories", "rules"}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    format: str  # "sqlite" or "dump"
    revision: str | None
    tables: dict[str, int]
    bytes: int

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass(frozen=True)
class RestoreResult:
    revision: str | None
    tables: dict[str, int]
    replaced: bool  # the target held data and --force replaced it
    audit_kept: int = 0  # audit entries of the replaced database the backup did not hold, written back

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before children


# --------------------------------------------------------------------------- value coding
def _encode(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise ValidationError("Binary columns are not supported by the dump format.")  # pragma: no cover
    return value


def _decoder(column) -> Callable[[object], object]:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    if isinstance(kind, DecimalText):
        return lambda v: None if v is None else Decimal(str(v))
    if isinstance(kind, Boolean):  # true/false (or 1/0); anything else stays as it is for the check to name
        return lambda v: bool(v) if isinstance(v, int) and v in (0, 1) else v
    if isinstance(kind, DateTime):  # a reflected (older-schema) column: naive UTC, as UTCDateTime stores it
        return lambda v: None if v is None else _naive_utc(dt.datetime.fromisoformat(v))
    return lambda v: v


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


# --------------------------------------------------------------------------- helpers
def _sqlite_path(engine: Engine) -> Path:
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        raise ValidationError("An in-memory SQLite database cannot be backed up to a file.")
    return Path(database)


@contextmanager
def _snapshot(engine: Engine):
    """A connection inside one read transaction that sees a consistent snapshot (``db.snapshot_options``: the one
    rule, shared with "Download all my data")."""
    conn = engine.connect().execution_options(**snapshot_options(engine.dialect.name))
    try:
        with conn.begin():
            start_snapshot(conn)
            yield conn
    finally:
        conn.close()


def _count_rows(conn, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


# --------------------------------------------------------------------------- backup
@contextmanager
def _written_whole(output: Path, suffix: str) -> Iterator[Path]:
    """A private temporary file beside ``output`` for the caller to write; when the block ends without an
    error it is synced to disk and renamed over ``output`` (0600) in one step, else it is removed: a backup
    file is whole or absent, never half written."""
    ensure_private_dir(output.parent)  # 0700 if the backup makes it
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=suffix, dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        make_private(tmp)
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, output)
        make_private(output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def backup_sqlite(engine: Engine, output: Path) -> BackupResult:
    """Copy a live SQLite database with the online backup API (one consistent step)."""
    if engine.dialect.name != "sqlite":
        raise ValidationError("The SQLite file format is only for SQLite databases: write a .zip dump instead.")
    source_path = _sqlite_path(engine)
    if not source_path.exists():
        raise ValidationError(f"The database file {source_path} does not exist.")
    output = Path(output)
    with _written_whole(output, ".db") as tmp:
        source = sqlite3.connect(str(source_path), timeout=30)
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                source.backup(dest)  # pages=-1: the whole database in one step (one read transaction)
                dest.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
                check = dest.execute("PRAGMA integrity_check").fetchone()[0]
                if check != "ok":  # pragma: no cover - would mean a corrupt source
                    raise ImportFileError(f"The backup copy failed its integrity check: {check}")
                dest.commit()
            finally:
                dest.close()
        finally:
            source.close()
        copy = make_engine(f"sqlite:///{tmp}")
        try:
            revision = database_revision(copy)
            with copy.connect() as conn:
                present = set(conn.dialect.get_table_names(conn))
                counts = {t.name: _count_rows(conn, t) for t in _tables() if t.name in present}
        finally:
            copy.dispose()
    return BackupResult(path=output, format="sqlite", revision=revision, tables=counts, bytes=output.stat().st_size)


def dump(engine: Engine, output: Path, *, progress: Progress | None = None) -> BackupResult:
    """A portable, consistent logical dump of every table (any backend) to a zip file."""
    output = Path(output)
    revision = database_revision(engine)
    counts: dict[str, int] = {}
    with _written_whole(output, ".zip") as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf, _snapshot(engine) as conn:
            # Only the tables and columns the database has: one at an older revision (not yet
            # migrated) is dumped as it is, and the manifest says which columns each file holds.
            inspector = inspect(conn)
            present = {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}
            dumped: dict[str, list[str]] = {}
            for table in _tables():
                if table.name not in present:
                    continue
                cols = [c for c in table.c if c.name in present[table.name]]
                dumped[table.name] = [c.name for c in cols]
                pk = [c for c in table.primary_key.columns if c.name in present[table.name]] or cols
                n = 0
                with zf.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as handle:
                    result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(
                        select(*cols).order_by(*pk)
                    )
                    for row in result:
                        handle.write(json.dumps([_encode(v) for v in row], ensure_ascii=False).encode("utf-8") + b"\n")
                        n += 1
                counts[table.name] = n
                if progress:
                    progress(f"{table.name}: {plural(n, 'row')}")
            manifest = {
                "format": DUMP_FORMAT,
                "version": DUMP_VERSION,
                "alembic_revision": revision,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "source_backend": engine.dialect.name,
                "tables": [
                    {"name": t.name, "rows": counts[t.name], "columns": dumped[t.name]}
                    for t in _tables() if t.name in dumped
                ],
            }
            zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    return BackupResult(path=output, format="dump", revision=revision, tables=counts, bytes=output.stat().st_size)


SQLITE_SUFFIXES = frozenset({".db", ".sqlite", ".sqlite3"})  # what a reader takes for a SQLite file
_BACKEND_NAMES = {"postgresql": "PostgreSQL", "mysql": "MariaDB/MySQL"}


def backup(engine: Engine, output: Path, *, fmt: str = "auto", progress: Progress | None = None) -> BackupResult:
    """``fmt``: "sqlite" (file copy; SQLite only), "dump" (portable zip) or "auto"
    (a SQLite file for SQLite unless the output ends in .zip; a dump otherwise)."""
    if fmt not in {"auto", "sqlite", "dump"}:
        raise ValidationError("The backup format must be auto, sqlite or dump.", field="format")
    suffix = Path(output).suffix.lower()
    if fmt == "auto" and engine.dialect.name != "sqlite" and suffix in SQLITE_SUFFIXES:
        # session 14 (hosting): README's `--output backup.db` on PostgreSQL wrote a zip named .db
        raise ValidationError(
            f"{quoted(Path(output).name)} names a SQLite database file, but this database is {_BACKEND_NAMES.get(engine.dialect.name, engine.dialect.name)}: "
            "its backup is a portable .zip dump. Write it to a .zip file (budgetwise backup --output backup.zip), "
            "or add --format dump to keep this name.",
            field="output",
        )
    if fmt == "auto":
        fmt = "sqlite" if engine.dialect.name == "sqlite" and suffix != ".zip" else "dump"
    return backup_sqlite(engine, Path(output)) if fmt == "sqlite" else dump(engine, Path(output), progress=progress)


# --------------------------------------------------------------------------- reading a backup
RowSource = Callable[[Table], Iterator[dict]]


def _detect(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head == SQLITE_MAGIC:
        return "sqlite"
    if zipfile.is_zipfile(path):
        return "dump"
    raise ImportFileError(f"{path} is neither a BudgetWise dump (.zip) nor a SQLite database file.")


def _manifest(zf: zipfile.ZipFile) -> dict:
    not_a_dump = ImportFileError("This zip file is not a BudgetWise dump (no valid manifest.json).")
    try:
        size = zf.getinfo("manifest.json").file_size  # what zipfile will inflate it to, at most
        if size > MAX_MANIFEST_BYTES:
            raise ImportFileError(f"The backup is not valid and nothing was restored: its manifest.json inflates "
                                  f"to {size:,} bytes (a dump's is a few KB; at most {MAX_MANIFEST_BYTES:,}).")
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, ValueError, RecursionError):  # RecursionError: "[[[[…" nested past the parser's depth
        raise not_a_dump from None
    if not isinstance(manifest, dict):
        raise not_a_dump
    if manifest.get("format") != DUMP_FORMAT or manifest.get("version") != DUMP_VERSION:
        raise ImportFileError(
            f"Unsupported dump format {manifest.get('format')!r} version {manifest.get('version')!r}."
        )
    return manifest


def _zip_rows(zf: zipfile.ZipFile, manifest: dict) -> RowSource:
    columns = {t["name"]: t["columns"] for t in manifest["tables"]}

    def rows(table: Table) -> Iterator[dict]:
        names = columns.get(table.name)
        if names is None:
            return
        decoders = [_decoder(table.c[n]) for n in names]
        with zf.open(f"tables/{table.name}.jsonl") as handle:
            for n, line in enumerate(_lines(handle, table.name), start=1):
                values = _row_values(table.name, n, line, len(names))
                yield {c: decoded(d, v) for c, d, v in zip(names, decoders, values)}

    return rows


def _lines(handle, table: str) -> Iterator[bytes]:
    """The lines of a dump's table file, each read with a ceiling (:data:`MAX_ROW_BYTES`): a line inflated from
    a zip bomb is refused, never held in memory whole."""
    for n in itertools.count(1):
        line = handle.readline(MAX_ROW_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_ROW_BYTES:
            raise ImportFileError(f"The backup is not valid and nothing was restored: table {table!r}, row {n:,}: the "
                                  f"line is longer than {MAX_ROW_BYTES:,} bytes (no row of BudgetWise's is).")
        yield line


def _row_values(table: str, n: int, line: bytes, width: int) -> list:
    try:
        values = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested past the parser's depth
        raise ImportFileError(
            f"The backup is not valid and nothing was restored: table {table!r}, row {n:,}: the line is not JSON."
        ) from None
    if not isinstance(values, list) or len(values) != width:
        raise ImportFileError(
            f"The backup is not valid and nothing was restored: table {table!r}, row {n:,}: expected a list of "
            f"{width} values (one per column of the manifest)."
        )
    return values


def _engine_rows(conn) -> RowSource:
    def rows(table: Table) -> Iterator[dict]:
        pk = list(table.primary_key.columns) or list(table.c)
        result = conn.execution_options(stream_results=True, yield_per=CHUNK).execute(select(table).order_by(*pk))
        for row in result:
            yield dict(row._mapping)

    return rows


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


@contextmanager
def open_backup(path: Path) -> Iterator[tuple[str | None, RowSource]]:
    """(schema revision, row source at the code's head revision) for a backup file."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"{path} does not exist.")
    kind = _detect(path)
    with tempfile.TemporaryDirectory(prefix="budgetwise-restore-") as tmpdir:
        work = Path(tmpdir) / "backup.db"
        if kind == "sqlite":
            shutil.copyfile(path, work)  # in blocks: a backup of many GB is not read into memory (session 21)
            check_sqlite_file(work)  # before Alembic or SQLAlchemy run anything in it
            revision = _upgraded(work)
        else:
            with zipfile.ZipFile(path) as zf:
                manifest = _manifest(zf)
                check_manifest(manifest, zf.namelist())
                revision = manifest.get("alembic_revision")
                if revision == _head_revision():
                    check_manifest_columns(manifest)
                    yield revision, _zip_rows(zf, manifest)
                    return
                # An older schema: load it at its own revision, let Alembic upgrade it, read that.
                _load_at_revision(work, revision, zf, manifest)
                _upgraded(work)
        engine = make_engine(f"sqlite:///{work}")
        try:
            with engine.connect() as conn:
                yield revision, _engine_rows(conn)
        finally:
            engine.dispose()


def _upgraded(path: Path) -> str | None:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        before = database_revision(engine)
    finally:
        engine.dispose()
    if before is None:
        raise ImportFileError("This SQLite file is not a BudgetWise database (no schema revision).")
    upgrade_database(url)
    return before


def _load_at_revision(path: Path, revision: str | None, zf: zipfile.ZipFile, manifest: dict) -> None:
    """Create a SQLite database at ``revision`` and insert the dump's rows as they are."""
    from alembic import command

    if revision is None:
        raise ImportFileError("The dump does not say which schema revision it was made with.")
    url = f"sqlite:///{path}"
    try:
        command.upgrade(alembic_config(url), revision)
    except Exception as exc:  # noqa: BLE001 - an unknown revision (a newer BudgetWise made it)
        raise ImportFileError(
            f"This dump was made with schema revision {revision}, which this version of BudgetWise does not know: "
            f"restore it with the version that made it (or a newer one). ({exc})"
        ) from None
    engine = make_engine(url)
    try:
        from sqlalchemy import MetaData

        meta = MetaData()
        meta.reflect(bind=engine)
        with engine.begin() as conn:
            for name in (t.name for t in _tables()):
                if name in meta.tables:
                    conn.execute(delete(meta.tables[name]))
            for entry in manifest["tables"]:
                table = meta.tables.get(entry["name"])
                if table is None:
                    continue
                names = entry["columns"]
                unknown = [n for n in names if n not in table.c]
                if unknown:
                    raise ImportFileError(
                        f"The backup is not valid and nothing was restored: table {table.name!r} has no column "
                        f"{unknown[0]!r} at schema revision {revision}."
                    )
                decoders = [_decoder(table.c[n]) for n in names]
                batch = []
                try:
                    with zf.open(f"tables/{entry['name']}.jsonl") as handle:
                        for i, line in enumerate(_lines(handle, table.name), start=1):
                            values = _row_values(table.name, i, line, len(names))
                            batch.append({n: decoded(d, v) for n, d, v in zip(names, decoders, values)})
                            if len(batch) >= CHUNK:
                                conn.execute(table.insert(), batch)
                                batch = []
                    if batch:
                        conn.execute(table.insert(), batch)
                except (DBAPIError, StatementError) as exc:
                    raise ImportFileError(
                        f"The backup is not valid and nothing was restored: table {table.name!r} holds a row its "
                        f"schema refuses ({getattr(exc, 'orig', exc)})."
                    ) from None
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- restore
def holds_data(conn) -> bool:
    """True when the database has anything beyond the rows its migrations create."""
    for table in _tables():
        stmt = select(func.count()).select_from(table)
        if table.name in _SEEDED:
            stmt = stmt.where(table.c.user_id.is_not(None))
        if conn.execute(stmt).scalar():
            return True
    return False


def _insert_all(conn, rows: Iterable[dict], table: Table) -> int:
    n = 0
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            conn.execute(table.insert(), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
        n += len(batch)
    return n


def _reset_sequences(conn) -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite uses max(rowid)+1; InnoDB moves AUTO_INCREMENT past explicit ids itself
    for table in _tables():
        if "id" not in table.c:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )


# Tables of server-side session records (issue #13's revocable "stay signed in" cookies, added
# by migration 0006 on another branch): a restore empties them, so a cookie revoked after the
# backup was taken cannot come back with the backup's copy of its record.
_SERVER_SESSION_TABLES = ("remember_tokens",)


def _user_versions(conn) -> dict[int, tuple[int, int]]:
    """(token version, data version) by user id."""
    users = Base.metadata.tables["users"]
    return {int(i): (int(t), int(d)) for i, t, d in conn.execute(
        select(users.c.id, users.c.token_version, users.c.data_version))}


def _end_sessions(conn, before: dict[int, tuple[int, int]]) -> None:
    """Sessions and "stay signed in" cookies issued before the restore die (issue #13), and every
    user's cached results are read afresh.

    Server-side session records (_SERVER_SESSION_TABLES) restored from the backup are deleted.

    Every user's token version moves past both the backup's and the one the database held
    until now (``before``, by user id): a token revoked after the backup was taken (its
    version lower than the database's) is not valid again, and neither is one issued since.
    The data version, which keys the app's per-user caches with the account's identifier
    (``versions.cache_version``), moves the same way: a running app may hold results cached for
    every version up to the database's, and the backup's older version counting up again would
    land on them (figures of the data the restore replaced; session 19).
    """
    users = Base.metadata.tables["users"]
    for name in _SERVER_SESSION_TABLES:  # server-side "stay signed in" records from the backup
        if name in Base.metadata.tables:
            conn.execute(delete(Base.metadata.tables[name]))
    # updated_at kept as restored (the column's onupdate would stamp "now")
    conn.execute(users.update().values(token_version=users.c.token_version + 1,
                                       data_version=users.c.data_version + 1, updated_at=users.c.updated_at))
    for uid, (token, data) in _user_versions(conn).items():
        old_token, old_data = before.get(uid, (0, 0))
        moved = {}
        if old_token >= token:
            moved["token_version"] = old_token + 1
        if old_data >= data:
            moved["data_version"] = old_data + 1
        if moved:
            conn.execute(users.update().where(users.c.id == uid).values(**moved, updated_at=users.c.updated_at))


def restore(engine: Engine, path: Path, *, force: bool = False, progress: Progress | None = None) -> RestoreResult:
    """Replace the database's content with the backup's, in one transaction.

    The target must already be at the code's schema revision (the CLI migrates it first).
    Without ``force`` a database that holds data is refused (ConflictError).
    """
    target_revision = database_revision(engine)
    head = _head_revision()
    if target_revision != head:
        raise ValidationError(
            f"The target database is at schema revision {target_revision}, not {head}: run 'budgetwise init' first."
        )
    counts: dict[str, int] = {}
    with open_backup(path) as (revision, rows):
        check_rows(rows)  # every table, row and column, before anything is written
        with engine.begin() as conn:
            replaced = holds_data(conn)
            if replaced and not force:
                raise ConflictError(
                    "The target database already holds data. Restoring replaces ALL of it: "
                    "use --force if that is what you want."
                )
            versions_before = _user_versions(conn)
            audit_before = backup_audit.snapshot(conn)  # written back after the restored rows (session 19)
            for table in reversed(_tables()):
                conn.execute(delete(table))
            for table in _tables():
                counts[table.name] = _insert_all(conn, rows(table), table)
                if progress:
                    progress(f"{table.name}: {plural(counts[table.name], 'row')}")
            _reset_sequences(conn)
            _end_sessions(conn, versions_before)
            kept = backup_audit.carry_over(conn, audit_before, source=path.name,
                                           restored_rows=sum(counts.values()))
    return RestoreResult(revision=revision, tables=counts, replaced=replaced, audit_kept=kept)
