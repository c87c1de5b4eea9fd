"""Process-wide resources (settings, engine, session factories) and the DB bootstrap."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database


def _secrets() -> dict[str, Any]:
    """st.secrets as a plain dict; empty when no secrets.toml exists."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # noqa: BLE001 - no secrets file is the normal local case
        return {}


def _env_key() -> tuple:
    # Keyed by the BUDGETWISE_* environment so tests with other settings get fresh resources.
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("BUDGETWISE_")))


# Shown while the process's first run applies the migrations: on an empty MariaDB that took 13.5 s
# (load 20), a white page meanwhile (session 14, hosting). Later runs hit the cache and show nothing.
STARTING_MESSAGE = "Preparing the database: a new database gets its tables first, which can take a minute…"


@st.cache_resource(show_spinner=STARTING_MESSAGE)
def _resources(env_key: tuple) -> tuple[Settings, Any, sessionmaker[Session], sessionmaker[Session]]:
    settings = Settings.load(secrets=_secrets())
    upgrade_database(settings.database_url, data_dir=settings.data_dir)
    engine = make_engine(settings.database_url, lock_timeout_seconds=settings.lock_timeout_seconds)
    from budgetwise.services import retention

    with session_scope(make_session_factory(engine)) as session:  # old sign-in records (also at each sign-in)
        retention.purge_old_sign_in_records(session, limit=retention.AT_START)
    if settings.demo:
        from budgetwise.services import demo

        with session_scope(make_session_factory(engine)) as session:  # each visitor gets their own account
            demo.purge_demo_accounts(session, settings=settings)
    return settings, engine, make_session_factory(engine), make_session_factory(engine, readonly=True)


def bootstrap() -> Settings:
    """Create the data directory and database, apply migrations (once per process)."""
    return _resources(_env_key())[0]


def get_settings() -> Settings:
    return _resources(_env_key())[0]


def get_engine():
    return _resources(_env_key())[1]


@contextmanager
def db_session() -> Iterator[Session]:
    """A read-write unit of work: commits on success, rolls back on error."""
    with session_scope(_resources(_env_key())[2]) as session:
        yield session


@contextmanager
def read_session() -> Iterator[Session]:
    """A read-only unit of work (deferred transaction on SQLite: never blocks writers)."""
    with session_scope(_resources(_env_key())[3]) as session:
        yield session
