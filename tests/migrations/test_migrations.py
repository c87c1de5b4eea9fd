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
