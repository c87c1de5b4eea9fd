"""Engine, session factory and the schema bootstrap (Alembic ``upgrade head``)."""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from budgetwise.config import configured_lock_timeout_seconds
from budgetwise.errors import ConfigurationError, LockTimeout
from budgetwise.private_files import create_private_file, ensure_private_dir

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# How long a writer waits for SQLite's one write lock in all (its BEGIN IMMEDIATE retried after each
# busy timeout, :func:`_sqlite_begin`): 8 writing processes at a load average of ~10 waited past 30 s.
SQLITE_WRITE_PATIENCE_S = 180.0
# Values per ``IN (...)`` list of one statement (:func:`chunked`).
IN_LIST_CHUNK = 900

_T = TypeVar("_T")


def chunked(values: Sequence[_T], size: int = IN_LIST_CHUNK) -> Iterator[Sequence[_T]]:
    """``values`` in consecutive slices of at most ``size``, in order (none for an empty sequence).

    For ``column.in_(...)`` over a list of ids (or fingerprints, names) of any length: every
    value is one bound parameter, and SQLite refuses a statement with more than
    SQLITE_MAX_VARIABLE_NUMBER of them ("too many SQL variables"): 999 by default before SQLite
    3.32, 32,766 since, and a build may set it lower. 900 stays under the old limit with room for
    the statement's other parameters (the user id, dates). PostgreSQL and MariaDB take far more;
    the same chunks work there.
    Run one statement per chunk and combine the results: ``for ids_part in chunked(ids): ...``.
    Any other batching of a list goes through it too, with its own ``size`` (rows per bulk
    insert/update statement, literal-value lists, rows per categorizing step).
    """
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - exercised everywhere
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


DRIVER_REQUIREMENTS = {"postgresql": "psycopg[binary]>=3.1", "mysql": "pymysql>=1.1"}  # as pyproject's extras


def make_engine(url: str, *, echo: bool = False, lock_timeout_seconds: int | None = None) -> Engine:
    """Create an engine for any supported backend (SQLite, PostgreSQL, MariaDB/MySQL).

    ``lock_timeout_seconds`` (default: BUDGETWISE_LOCK_TIMEOUT_SECONDS, 60): on PostgreSQL and MariaDB each
    connection's statements wait at most this long for a lock another transaction holds (PostgreSQL
    ``lock_timeout``, MariaDB ``innodb_lock_wait_timeout``), then fail; :func:`session_scope` rolls the whole unit
    of work back and raises :class:`LockTimeout`. 0 leaves the server's own setting. Session 28: PostgreSQL waited
    without limit, so one stuck request of a user (a debugger, a hung client holding its transaction) held every
    later write of that user, each behind the user's lock, for good. SQLite has its own wait
    (:data:`SQLITE_WRITE_PATIENCE_S`)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"BUDGETWISE_DATABASE_URL is not a valid database URL: {exc}") from exc
    backend = parsed.get_backend_name()
    kwargs: dict = {"echo": echo, "future": True}
    private_file: Path | None = None
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not _sqlite_uri(parsed):
            # a directory and a database file BudgetWise creates are owner-only (budgetwise/private_files.py)
            private_file = Path(database).expanduser()
            ensure_private_dir(private_file.parent)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    elif backend in {"postgresql", "mysql", "mariadb"}:
        kwargs.update(pool_pre_ping=True, pool_recycle=1800)
        if backend in {"mysql", "mariadb"}:
            if "charset" not in parsed.query:
                kwargs["connect_args"] = {"charset": "utf8mb4"}  # emoji and every script in descriptions
            # READ COMMITTED, PostgreSQL's default: every statement reads the latest committed rows, so a count or a
            # duplicate check taken under the user's row lock never needs a locking range read. InnoDB's default
            # REPEATABLE READ made those reads lock index gaps, and two users' gap locks at the boundary of their
            # index ranges deadlocked their inserts (CI of sessions 23 and 24; see docs/reliability.md).
            kwargs["isolation_level"] = "READ COMMITTED"
    else:
        raise ConfigurationError(
            f"Unsupported database backend {backend!r}: use sqlite, postgresql+psycopg or mysql+pymysql."
        )
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        # the driver's own package: the project is not on PyPI (a `budgetwise[...]` from there is someone else's),
        # and Streamlit Community Cloud installs requirements.txt only, never the project's extras
        driver = DRIVER_REQUIREMENTS["postgresql" if backend == "postgresql" else "mysql"]
        raise ConfigurationError(
            f"The database driver for {backend} is not installed ({exc.name}): pip install '{driver}', or add "
            f"the line {driver} to requirements.txt (Streamlit Community Cloud installs only that file)."
        ) from exc
    seconds = configured_lock_timeout_seconds() if lock_timeout_seconds is None else int(lock_timeout_seconds)
    if backend != "sqlite" and seconds > 0:
        event.listen(engine, "connect", _lock_wait_limit(backend, seconds))
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not pysqlite, open transactions, so BEGIN IMMEDIATE works for writers.
        event.listen(engine, "connect", _sqlite_no_autobegin)
        event.listen(engine, "begin", _sqlite_begin)
    if private_file is not None:
        event.listen(engine, "do_connect", _private_sqlite_file(private_file))
    return engine


def _lock_wait_limit(backend: str, seconds: int):
    """A ``connect`` listener: the connection's longest wait for a lock, as a session setting (outside any
    transaction, so a rollback keeps it)."""
    if backend == "postgresql":
        sql = f"SET lock_timeout = {int(seconds) * 1000}"
    else:
        sql = f"SET SESSION innodb_lock_wait_timeout = {int(seconds)}"

    def on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - servers
        autocommit = dbapi_connection.autocommit
        if backend == "postgresql":
            dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql)
        finally:
            cursor.close()
        if backend == "postgresql":
            dbapi_connection.autocommit = autocommit

    return on_connect


LOCK_TIMEOUT_MESSAGE = ("Another change to your data is still running, so this one was not saved (nothing was "
                        "changed). Try again in a moment.")


def is_lock_timeout(exc: BaseException) -> bool:
    """A database error that says a lock wait ran out (:func:`make_engine`'s limit): PostgreSQL SQLSTATE 55P03
    (``lock_not_available``), MariaDB/MySQL error 1205 (``Lock wait timeout exceeded``)."""
    if not isinstance(exc, DBAPIError) or exc.orig is None:
        return False
    if getattr(exc.orig, "sqlstate", None) == "55P03":
        return True
    args: tuple = tuple(getattr(exc.orig, "args", ()))
    return len(args) > 0 and args[0] == 1205


def _sqlite_uri(parsed) -> bool:
    return str(parsed.query.get("uri", "")).lower() in {"true", "1"}


def _private_sqlite_file(path: Path):
    """Before each connect: create the database file 0600 if it does not exist yet (SQLite would
    create it with the umask's 0644). A file that exists, e.g. one the admin made, keeps its mode."""

    def before_connect(_dialect, _record, _cargs, _cparams) -> None:
        if not path.exists():
            create_private_file(path)

    return before_connect


def _sqlite_no_autobegin(dbapi_connection, _record) -> None:  # pragma: no cover
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn) -> None:
    # IMMEDIATE (the default) takes the write lock at BEGIN: two writers queue on the busy
    # timeout instead of failing with "database is locked" when a reader tries to upgrade.
    # Read-only factories pass sqlite_begin="DEFERRED" and never block writers (WAL).
    mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    if mode != "IMMEDIATE":
        conn.exec_driver_sql(f"BEGIN {mode}")
        return
    # A writer's BEGIN is where it queues for the one write lock, and nothing is done yet: a busy
    # timeout that runs out here (behind long imports, or writers that take the lock back-to-back
    # while it sleeps between its polls) is retried up to SQLITE_WRITE_PATIENCE_S. Later
    # statements of the transaction hold the lock already and never wait for it.
    deadline = time.monotonic() + SQLITE_WRITE_PATIENCE_S
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or time.monotonic() >= deadline:
                raise


_LOCKED_OWNERS = "budgetwise_locked_owner_ids"


@event.listens_for(Session, "before_flush")
def _lock_owner_rows_first(session: Session, _flush_context, _instances) -> None:  # pragma: no cover - servers
    """MariaDB/MySQL and PostgreSQL: take the owning users' row locks before writing rows that reference them.

    InnoDB's foreign-key check puts a *shared* lock on the parent ``users`` row; two writers
    of one user that both then bump ``users.data_version`` (an exclusive lock) deadlock, and
    one of them fails (found by tests/data_safety/test_data_safety_concurrency.py). Locking the row
    exclusively first makes such writers queue instead. SQLite has a single writer.

    PostgreSQL too since session 27: the one lock order of a user's writes is the user's lock first
    (``services/account_lock.py``). Its key-share locks do not conflict with the data-version bump, but a
    writer that changed a row and then took the user's row (``touch_data``) deadlocked with one holding the
    user's lock and waiting for that row (an import's undo deleting a row edited in another tab; before,
    the undo took the user's lock last and deadlocked with account edits instead).
    """
    bind = session.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb", "postgresql"):
        return
    owners: set[int] = set()
    # session.dirty holds every object an attribute was set on, also to its own value (sec28): only those the flush
    # will write (new, deleted, or changed) take the lock
    changed = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in list(session.new) + changed + list(session.deleted):
        uid = getattr(obj, "user_id", None)
        if isinstance(uid, int):
            owners.add(uid)
    done = session.info.setdefault(_LOCKED_OWNERS, {})
    todo = sorted(owners - set(done))  # one order for everyone: no lock-order deadlocks either
    if not todo:
        return
    from sqlalchemy import select

    from budgetwise.models import User

    # the Core connection: no autoflush while this flush is running
    session.connection().execute(select(User.id).where(User.id.in_(todo)).order_by(User.id).with_for_update())
    # held; whether the snapshot is older than the lock: never on PostgreSQL (READ COMMITTED, as
    # versions.lock_user_for_import answers there), not asked here on MariaDB
    done.update(dict.fromkeys(todo, False if bind.dialect.name == "postgresql" else None))


def owner_lock_held(session: Session, user_id: int) -> tuple[bool, bool | None]:
    """Whether this transaction holds the user's row lock already (taken by a flush, :func:`_lock_owner_rows_first`,
    or by ``versions.lock_user_for_import``), and what ``lock_user_for_import`` found about its snapshot then (None:
    not asked). Session 28: the lock was taken again at every call and at the next flush, one statement each."""
    done = session.info.get(_LOCKED_OWNERS, {})
    return (user_id in done, done.get(user_id))


def note_owner_lock(session: Session, user_id: int, stale: bool | None) -> None:
    """Record that this transaction holds the user's row lock (``versions.lock_user_for_import``)."""
    session.info.setdefault(_LOCKED_OWNERS, {})[user_id] = stale


@event.listens_for(Session, "after_transaction_end")
def _forget_owner_locks(session: Session, transaction) -> None:
    # a savepoint's end too: PostgreSQL releases the row locks taken inside a savepoint rolled back to (and which
    # ended how is not told here), so the next flush or lock takes them again
    if transaction.parent is None or transaction.nested:
        session.info.pop(_LOCKED_OWNERS, None)


def make_session_factory(engine: Engine, *, readonly: bool = False) -> sessionmaker[Session]:
    """Session factory; ``readonly=True`` uses deferred transactions on SQLite (for pure reads)."""
    bind = engine.execution_options(sqlite_begin="DEFERRED") if readonly else engine
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception.

    A lock wait that ran out (:func:`is_lock_timeout`) becomes :class:`LockTimeout`, whose message the pages show
    where they show every refusal (``ui.actions``), after the whole unit of work is rolled back (MariaDB undoes only
    the statement that waited: the rollback here is what keeps nothing of the rest).
    """
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        session.rollback()
        if is_lock_timeout(exc):
            raise LockTimeout(LOCK_TIMEOUT_MESSAGE) from exc
        raise
    finally:
        session.close()


# --------------------------------------------------------------------------- one consistent snapshot
# A reader of several tables that must agree (the admin's backup, a user's "Download all my data") reads them in one
# transaction that sees one moment of the database, without locking anyone out:
# - PostgreSQL: REPEATABLE READ, read only (the snapshot is taken at the transaction's first statement);
# - MariaDB/MySQL: REPEATABLE READ (the engine's default is READ COMMITTED, session 24), and START TRANSACTION WITH
#   CONSISTENT SNAPSHOT, READ ONLY as the first statement, so the snapshot is the transaction's start;
# - SQLite: a deferred read transaction (WAL: one snapshot from the first read on; writers are not blocked).


def snapshot_options(dialect: str) -> dict[str, object]:
    """Execution options of a connection whose next transaction is a consistent read-only snapshot
    (then call :func:`start_snapshot` first thing in it)."""
    if dialect == "sqlite":
        return {"sqlite_begin": "DEFERRED"}
    options: dict[str, object] = {"isolation_level": "REPEATABLE READ"}
    if dialect == "postgresql":
        options["postgresql_readonly"] = True
    return options


def start_snapshot(connection) -> None:
    """The first statement of a snapshot transaction on a connection with :func:`snapshot_options`: on MariaDB/MySQL
    START TRANSACTION WITH CONSISTENT SNAPSHOT (PyMySQL sends no BEGIN of its own: this begins the transaction); a
    no-op elsewhere."""
    if connection.dialect.name in ("mysql", "mariadb"):
        connection.exec_driver_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")


def begin_snapshot(session: Session) -> bool:
    """Make ``session``'s transaction one consistent read-only snapshot, when it has not begun yet (a fresh session
    on an engine: the pages' ``read_session``, the CLI's). True when it did; False for a session already in a
    transaction, or bound to a connection a caller began (tests): its reads then are that transaction's, which the
    caller chose (and which sees the caller's own writes)."""
    bind = session.get_bind()
    if session.in_transaction() or not isinstance(bind, Engine):
        return False
    start_snapshot(session.connection(execution_options=snapshot_options(bind.dialect.name)))
    return True


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


# `revision = "0012"`-style lines of a migration script (with or without a type annotation)
_SCRIPT_LINE = re.compile(
    r"^(revision|down_revision|branch_labels|depends_on)\b[^=\n]*=\s*(None|'[^'\n]*'|\"[^\"\n]*\")\s*(?:#.*)?$", re.M
)


def migration_head() -> str | None:
    """The one head revision of ``migrations/versions``, read from the scripts' text, or None
    when unsure (Alembic then decides). Every script must state its ``revision`` and
    ``down_revision`` as plain literals, without branch labels or dependencies, and the
    revisions must form one chain; ``tests/migrations`` checks the answer against Alembic's."""
    try:
        # the files Alembic reads: *.py except __init__.py and editors' ".#" lock files
        scripts = [p for p in (MIGRATIONS_DIR / "versions").iterdir()
                   if p.name.endswith(".py") and not p.name.startswith((".#", "__init__")) and p.is_file()]
    except OSError:
        return None
    parents: dict[str, str | None] = {}
    for path in scripts:
        try:
            found = [(m.group(1), ast.literal_eval(m.group(2))) for m in _SCRIPT_LINE.finditer(path.read_text("utf-8"))]
        except (OSError, UnicodeError, ValueError, SyntaxError):
            return None
        values = dict(found)
        if len(found) != 4 or len(values) != 4 or values["branch_labels"] is not None or values["depends_on"] is not None:
            return None
        revision, down = values["revision"], values["down_revision"]
        if not revision or revision in parents:
            return None
        parents[revision] = down
    roots = [r for r, down in parents.items() if down is None]
    if len(roots) != 1 or any(down is not None and down not in parents for down in parents.values()):
        return None
    heads = set(parents) - set(parents.values())
    return heads.pop() if len(heads) == 1 else None


def database_at_head(url: str) -> bool:
    """Whether the database exists and its Alembic revision is :func:`migration_head` (a read
    that takes no write lock). False whenever unsure: the caller then runs ``upgrade head``."""
    head = migration_head()
    if head is None:
        return False
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:" or parsed.query or not Path(database).expanduser().is_file():
            return False
    try:
        engine = make_engine(url)
    except ConfigurationError:
        return False
    try:
        with engine.execution_options(sqlite_begin="DEFERRED").connect() as conn:
            versions = [row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()
    return versions == [head]


def _check_reachable(url: str) -> None:
    """A PostgreSQL/MariaDB server that cannot be reached, or a database that does not exist there, is
    a :class:`ConfigurationError` naming the address (password hidden) and the server's own words,
    instead of a raw traceback (QA 2026-12-05: the app showed Streamlit's redacted error page and
    ``budgetwise init`` a psycopg traceback). SQLite creates its file, so it is not checked here."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[-1] if exc.orig is not None else str(exc)
        raise ConfigurationError(
            f"cannot connect to the database {parsed.render_as_string(hide_password=True)}: {reason}. "
            "Check BUDGETWISE_DATABASE_URL; a PostgreSQL or MariaDB database must exist before the first start "
            "(for example `createdb NAME` or `CREATE DATABASE name`), BudgetWise then creates its tables."
        ) from None
    finally:
        engine.dispose()


def upgrade_database(url: str, *, data_dir: Path | None = None) -> None:
    """Create the database if needed and apply every Alembic migration (``upgrade head``).

    A database already at the head revision is left alone without loading Alembic (a
    command line pays ~0.15 s for Alembic and its checks otherwise). A file lock in the data
    directory serialises start-up migrations of several app processes on one machine.
    """
    if database_at_head(url):
        return
    _check_reachable(url)
    from alembic import command
    from filelock import FileLock

    cfg = alembic_config(url)
    if data_dir is not None:
        create_private_file(Path(data_dir) / ".migrate.lock")  # empty, but as private as the rest of the directory
        with FileLock(str(Path(data_dir) / ".migrate.lock"), timeout=120):
            command.upgrade(cfg, "head")
    else:
        command.upgrade(cfg, "head")


def database_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
