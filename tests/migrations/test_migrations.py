"""All migrations apply to an empty database and leave no drift from the models."""

import os

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from budgetwise.db import alembic_config, make_engine, upgrade_database
from budgetwise.models import Base
from tests.conftest import BACKEND_ENV


def _check(url: str) -> None:
    upgrade_database(url)
    command.check(alembic_config(url))  # raises if models and migrations differ
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from categories where user_id is null")).scalar() >= 22
    finally:
        engine.dispose()


def test_single_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads


def test_sqlite_empty_database_upgrades_without_drift(tmp_path):
    _check(f"sqlite:///{tmp_path / 'm.db'}")


def test_sqlite_downgrade_to_base_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url)
    command.downgrade(alembic_config(url), "base")
    _check(url)


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_server_backends_without_drift(backend):
    url = os.environ.get(BACKEND_ENV[backend])
    if not url:
        pytest.skip(f"{backend}: set {BACKEND_ENV[backend]} to check migrations on {backend}")
    _check(url)


# --------------------------------------------------------------------------- the start-up shortcut
def test_the_head_read_from_the_scripts_is_alembics():
    from budgetwise.db import migration_head

    assert migration_head() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_a_database_at_head_is_not_migrated_again_and_one_behind_is(tmp_path, monkeypatch):
    from budgetwise import db

    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade_database(url)
    assert db.database_at_head(url)
    calls: list[str] = []
    monkeypatch.setattr(command, "upgrade", lambda cfg, rev: calls.append(rev))
    upgrade_database(url, data_dir=tmp_path)
    assert calls == []  # nothing loaded, nothing locked, nothing run
    monkeypatch.undo()
    command.downgrade(alembic_config(url), "-1")
    assert not db.database_at_head(url)
    upgrade_database(url)
    assert db.database_at_head(url)
    assert not db.database_at_head(f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()  # the check creates nothing


def test_when_the_scripts_are_unclear_alembic_decides(tmp_path, monkeypatch):
    import shutil

    from budgetwise import db

    versions = tmp_path / "migrations" / "versions"
    shutil.copytree(db.MIGRATIONS_DIR / "versions", versions, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(db, "MIGRATIONS_DIR", tmp_path / "migrations")
    head = db.migration_head()
    assert head is not None
    # a new script after the head: the head moves, so a database at the old head is behind
    (versions / "9999_next.py").write_text(f'revision: str = "9999"\ndown_revision: str | None = "{head}"\n'
                                           "branch_labels = None\ndepends_on = None\n")
    assert db.migration_head() == "9999"
    # a revision that is not a plain literal, a second head, a branch label: unsure
    for script in ('revision = make_id()\ndown_revision = "9999"\nbranch_labels = None\ndepends_on = None\n',
                 f'revision = "x1"\ndown_revision = "{head}"\nbranch_labels = None\ndepends_on = None\n',
                 'revision = "x1"\ndown_revision = "9999"\nbranch_labels = ("b",)\ndepends_on = None\n'):
        (versions / "x1.py").write_text(script)
        assert db.migration_head() is None, script


def test_an_unreachable_server_database_is_a_readable_configuration_error(tmp_path):
    """QA 2026-12-05: a PostgreSQL database that does not exist (or a server that is down) gave the app
    Streamlit's redacted error page and `budgetwise init` a psycopg traceback. Now a ConfigurationError
    names the address without its password, the server's reason and what to do."""
    pytest.importorskip("psycopg")
    from budgetwise.errors import ConfigurationError

    url = "postgresql+psycopg://bw:changeme@127.0.0.1:1/nowhere?connect_timeout=2"  # port 1: refused at once
    with pytest.raises(ConfigurationError) as err:
        upgrade_database(url, data_dir=tmp_path)
    text = str(err.value)
    assert "cannot connect to the database postgresql+psycopg://bw:***@127.0.0.1:1/nowhere" in text
    assert "changeme" not in text and "BUDGETWISE_DATABASE_URL" in text and "must exist" in text
