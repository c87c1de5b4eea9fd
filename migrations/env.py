"""Alembic environment: one database URL, batch mode for SQLite."""

from __future__ import annotations

import logging.config

from alembic import context

from budgetwise.db import make_engine
from budgetwise.models import Base

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from budgetwise.config import Settings

    return Settings.load(ensure_secret=False).database_url


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # no lock-wait limit (BUDGETWISE_LOCK_TIMEOUT_SECONDS is the app's): a migration of a second process waits for
    # the first's, however long it runs, as before session 28
    engine = make_engine(_url(), lock_timeout_seconds=0)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _sqlite_foreign_keys(connection, on: bool) -> None:
    """Switch SQLite's foreign-key enforcement (only possible outside a transaction).

    Batch mode rebuilds a table (new table, copy, drop the old one, rename). With enforcement
    on, dropping the old ``users`` table would cascade-delete every row that refers to it
    (migration 0006); so enforcement is off during migrations and ``PRAGMA foreign_key_check``
    runs before the commit instead (alembic's batch documentation recommends the same).
    """
    if connection.in_transaction():  # pragma: no cover - a caller's connection mid-transaction
        return
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    if sqlite:
        _sqlite_foreign_keys(connection, False)
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"A migration left rows that break a foreign key: {broken[:5]}")
        if connection.in_transaction():
            connection.commit()
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, True)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
