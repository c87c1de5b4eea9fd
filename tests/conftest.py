"""Shared fixtures.

Service tests take the ``db`` fixture (or ``session`` / ``factory``), which runs
them on a fresh SQLite database and, when BUDGETWISE_TEST_POSTGRES_URL /
BUDGETWISE_TEST_MYSQL_URL are set, again on PostgreSQL and MariaDB/MySQL
(inside a transaction rolled back after the test). Without those variables the
extra runs are reported as skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import alembic.config  # noqa: F401  (see below)
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from budgetwise.config import Settings
from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.principal import Principal
from budgetwise.private_files import ensure_private_dir, make_private
from budgetwise.services import auth

# alembic.config is imported above, at start-up, because alembic's ``Config`` takes the sys.stdout
# of the moment it is first imported as its default output: first imported inside a test that
# captures output (a CLI test with capsys), a later ``command.check`` wrote to a closed stream.
ROOT = Path(__file__).resolve().parent.parent
# ../shared/data beside the checkout; BUDGETWISE_TEST_SHARED_DATA points elsewhere (a git worktree)
SHARED_DATA = Path(os.environ.get("BUDGETWISE_TEST_SHARED_DATA") or ROOT.parent / "shared" / "data")
TEST_SECRET = "test-secret-" + "x" * 40
STRONG_PASSWORD = "violet-harbor-lantern-42"

BACKEND_ENV = {
    "postgresql": "BUDGETWISE_TEST_POSTGRES_URL",
    "mysql": "BUDGETWISE_TEST_MYSQL_URL",
}


def use_local_environment(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    """The environment the CLI and the app read: SQLite in ``data_dir`` (no database URL), the
    test secret, cheap bcrypt."""
    monkeypatch.delenv("BUDGETWISE_DATABASE_URL", raising=False)
    monkeypatch.setenv("BUDGETWISE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BUDGETWISE_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("BUDGETWISE_BCRYPT_ROUNDS", "4")


def make_settings(data_dir: Path, **overrides: str) -> Settings:
    env = {
        "BUDGETWISE_DATA_DIR": str(data_dir),
        "BUDGETWISE_SECRET_KEY": TEST_SECRET,
        "BUDGETWISE_BCRYPT_ROUNDS": "4",  # fast in tests; the default (12) is asserted in test_config
    }
    env.update({f"BUDGETWISE_{k.upper()}": v for k, v in overrides.items()})
    return Settings.load(environ=env)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


def migrated_sqlite(template: Path, url: str) -> None:
    """The SQLite database at ``url`` as ``upgrade_database(url)`` leaves a new one (private, at the head
    revision), copied from the migrated ``sqlite_template``: migrating from scratch costs ~0.6 s of CPU, which
    a fixture paid for every page test. ``upgrade_database`` (the app's start-up, the CLI) then finds it at
    head and does nothing. Tests of the migrations themselves and of start-up migrating a new database keep
    calling ``upgrade_database``."""
    path = Path(make_url(url).database or "")
    ensure_private_dir(path.parent)
    shutil.copyfile(template, path)
    make_private(path)


@dataclass
class Db:
    backend: str
    engine: Engine
    factory: sessionmaker[Session]
    settings: Settings

    def session(self) -> Session:
        return self.factory()

    def scope(self):
        return session_scope(self.factory)


_migrated: set[str] = set()


def worker_url(url: str) -> str:
    """MariaDB/MySQL: one database per xdist worker.

    InnoDB gap locks make two workers' open test transactions that insert the same unique
    email deadlock (error 1213); PostgreSQL just waits, so it keeps the shared database.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    parsed = make_url(url)
    if not worker or parsed.get_backend_name() not in {"mysql", "mariadb"}:
        return url
    name = f"{parsed.database}_{worker}"
    server = create_engine(parsed.set(database=""))
    try:
        with server.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4")
    finally:
        server.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def reset_if_foreign_revision(url: str) -> None:
    """Empty a shared test database that another checkout migrated to a revision this one lacks.

    The PostgreSQL/MariaDB test databases outlive a checkout: a branch with a migration this
    checkout does not have leaves them at a revision Alembic cannot locate ("Can't locate
    revision"), and every backend test would fail on set-up. Such a database holds only test
    data, so it is emptied and migrated from scratch; a known revision is left alone.
    """
    from alembic.script import ScriptDirectory
    from sqlalchemy import MetaData, create_engine

    from budgetwise.db import alembic_config, database_revision

    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config(url)).walk_revisions()}
    engine = create_engine(url)
    try:
        current = database_revision(engine)
        if current is None or current in known:
            return
        meta = MetaData()
        meta.reflect(bind=engine)
        with engine.begin() as conn:
            if conn.dialect.name == "mysql":
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
            meta.drop_all(bind=conn)
            if conn.dialect.name == "mysql":
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
    finally:
        engine.dispose()


@contextlib.contextmanager
def _migration_lock(url: str) -> Iterator[None]:
    """One xdist worker at a time migrates a shared database: PostgreSQL keeps one database for
    every worker, and two workers creating its tables at once collide ("duplicate key value …
    pg_type_typname_nsp_index" on a fresh database)."""
    import fcntl
    import hashlib
    import tempfile

    name = hashlib.sha256(url.encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"budgetwise-test-migrate-{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Db]:
    backend = request.param
    settings = make_settings(tmp_path / "data")
    if backend == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        try:
            yield Db(backend, engine, sessionmaker(bind=engine, expire_on_commit=False), settings)
        finally:
            engine.dispose()
        return
    url = os.environ.get(BACKEND_ENV[backend])
    if not url:
        pytest.skip(f"{backend}: set {BACKEND_ENV[backend]} to run the service tests on {backend}")
    url = worker_url(url)
    if url not in _migrated:
        with _migration_lock(url):
            reset_if_foreign_revision(url)
            upgrade_database(url)
        _migrated.add(url)
    engine = make_engine(url)
    connection = engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    try:
        yield Db(backend, engine, factory, settings)
    finally:
        outer.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture
def session(db: Db) -> Iterator[Session]:
    s = db.session()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


def create_user(
    session: Session, settings: Settings, email: str = "alice@example.com", name: str = "Alice", password: str = STRONG_PASSWORD
) -> Principal:
    principal = auth.register(session, name=name, email=email, password=password, settings=settings)
    session.flush()
    return principal


@pytest.fixture
def alice(db: Db, session: Session) -> Principal:
    return create_user(session, db.settings, "alice@example.com", "Alice")


@pytest.fixture
def bob(db: Db, session: Session, alice: Principal) -> Principal:
    return create_user(session, db.settings, "bob@example.com", "Bob")


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}); it exists only in the development checkout")
    return SHARED_DATA
