"""Helpers shared by CLI commands: settings, database, user lookup, passwords."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from budgetwise.config import Settings, read_secrets_files
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services.auth import get_user_by_email, principal_for


def load_settings() -> Settings:
    """Environment variables, else the same keys in the Streamlit secrets files (as the app reads them)."""
    return Settings.load(secrets=read_secrets_files())


@contextmanager
def cli_session(settings: Settings | None = None, *, migrate: bool = True, readonly: bool = False) -> Iterator[Session]:
    """A unit of work on the configured database (migrated to head first). ``readonly``: a session that
    only reads (on SQLite a deferred transaction: it never holds or waits for the write lock)."""
    settings = settings or load_settings()
    if migrate:
        upgrade_database(settings.database_url, data_dir=settings.data_dir)
    engine = make_engine(settings.database_url, lock_timeout_seconds=settings.lock_timeout_seconds)
    try:
        with session_scope(make_session_factory(engine, readonly=readonly)) as session:
            yield session
    finally:
        engine.dispose()


def principal_by_email(session: Session, email: str) -> Principal:
    user = get_user_by_email(session, email)
    if user is None:
        raise NotFoundError(f"No user with the email {quoted(email.strip().lower())}.")
    return principal_for(user)


def read_password(prompt: str = "Password: ", *, confirm: bool = True) -> str:
    """From standard input when it is not a terminal (one line), otherwise prompted (twice)."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise ValidationError("No password on standard input.", field="password")
        return line.rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat the password: ") != first:
        raise ValidationError("The two passwords do not match.", field="password")
    return first
