"""What BudgetWise creates is private on a shared machine (session 14, privacy): the data directory 0700,
the SQLite database and the -wal/-shm files SQLite makes next to it 0600, backups 0600 in a 0700
directory; a directory or database the admin created keeps the permissions they chose."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from budgetwise.cli import main
from budgetwise.config import DB_FILE_NAME, SECRET_FILE_NAME, Settings
from budgetwise.db import make_engine, upgrade_database
from budgetwise.private_files import create_private_file, ensure_private_dir
from tests.conftest import TEST_SECRET

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are only enforced on POSIX systems")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    old = os.umask(0o022)  # the common default that made the database 0644
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, usual_umask) -> Path:
    for key in ("BUDGETWISE_DATABASE_URL", "BUDGETWISE_SECRET_KEY"):
        monkeypatch.delenv(key, raising=False)
    data = tmp_path / "home" / "budgetwise" / "data"
    monkeypatch.setenv("BUDGETWISE_DATA_DIR", str(data))
    monkeypatch.setenv("BUDGETWISE_BCRYPT_ROUNDS", "4")
    monkeypatch.chdir(tmp_path)
    return data


def test_init_on_a_fresh_data_dir_makes_everything_private(cli_env: Path) -> None:
    assert main(["init"]) == 0
    assert _mode(cli_env) == 0o700
    assert _mode(cli_env.parent) == 0o700  # the missing parents BudgetWise made too
    assert _mode(cli_env / DB_FILE_NAME) == 0o600
    assert _mode(cli_env / SECRET_FILE_NAME) == 0o600
    assert _mode(cli_env / ".migrate.lock") == 0o600  # empty, but nothing in the directory is left 0644
    engine = make_engine(f"sqlite:///{cli_env / DB_FILE_NAME}")
    try:
        with engine.begin() as conn:  # a writer: SQLite makes the -wal and -shm files now
            conn.execute(text("CREATE TABLE probe (x INTEGER)"))
            for suffix in ("-wal", "-shm"):
                assert _mode(cli_env / f"{DB_FILE_NAME}{suffix}") == 0o600, suffix
    finally:
        engine.dispose()


def test_the_app_start_up_makes_the_database_private(tmp_path: Path, usual_umask) -> None:
    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path / "data"), "BUDGETWISE_SECRET_KEY": TEST_SECRET})
    upgrade_database(settings.database_url, data_dir=settings.data_dir)  # as budgetwise/ui/context.py does
    assert _mode(settings.data_dir) == 0o700
    assert _mode(settings.data_dir / DB_FILE_NAME) == 0o600


def test_demo_on_a_fresh_data_dir_is_private(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["demo", "--months", "1", "--email", "demo@example.com"]) == 0
    assert _mode(cli_env) == 0o700
    for name in (DB_FILE_NAME, f"{DB_FILE_NAME}-wal", f"{DB_FILE_NAME}-shm"):
        if (cli_env / name).exists():
            assert _mode(cli_env / name) == 0o600, name


def test_what_the_admin_created_keeps_its_permissions(tmp_path: Path, usual_umask) -> None:
    data = tmp_path / "shared"
    data.mkdir(mode=0o750)
    os.chmod(data, 0o750)  # group access on purpose, e.g. for a backup user
    database = data / DB_FILE_NAME
    sqlite3.connect(database).close()
    os.chmod(database, 0o640)
    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(data), "BUDGETWISE_SECRET_KEY": TEST_SECRET})
    upgrade_database(settings.database_url, data_dir=settings.data_dir)
    assert _mode(data) == 0o750
    assert _mode(database) == 0o640


def test_backup_and_restore_outputs_are_private(cli_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["init"]) == 0
    out = tmp_path / "backups" / "nightly" / "bw.db"
    assert main(["backup", "--output", str(out)]) == 0
    assert _mode(out) == 0o600
    assert _mode(out.parent) == 0o700 and _mode(out.parent.parent) == 0o700
    zipped = tmp_path / "backups" / "bw.zip"
    assert main(["backup", "--output", str(zipped)]) == 0
    assert _mode(zipped) == 0o600
    target = tmp_path / "restored" / "bw.db"  # a restore into a database that does not exist yet
    monkeypatch.setenv("BUDGETWISE_DATABASE_URL", f"sqlite:///{target}")
    assert main(["restore", str(zipped)]) == 0
    assert _mode(target) == 0o600 and _mode(target.parent) == 0o700


def test_the_helpers(tmp_path: Path, usual_umask) -> None:
    before = _mode(tmp_path)
    ensure_private_dir(tmp_path / "a" / "b")
    assert _mode(tmp_path / "a") == 0o700 and _mode(tmp_path / "a" / "b") == 0o700
    assert _mode(tmp_path) == before  # an existing directory is not touched
    assert create_private_file(tmp_path / "f") is True
    assert _mode(tmp_path / "f") == 0o600
    os.chmod(tmp_path / "f", 0o644)
    assert create_private_file(tmp_path / "f") is False  # it exists: left as it is
    assert _mode(tmp_path / "f") == 0o644
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        ensure_private_dir(tmp_path / "file")
