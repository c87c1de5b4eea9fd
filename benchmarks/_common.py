"""What benchmarks and tools share: a scratch database with a user in it.

``scratch_database`` is the one owner of the set-up the categorization and forecast measurements
repeated (a temporary data directory, settings with the cheapest bcrypt, the migrated SQLite
database, its engine and session factory); ``register_user`` of the user they measure with. The
figures do not depend on any of it (the secret signs nothing measured; bcrypt's cost only makes
the sign-up slower), so every script gets the same one.

    from benchmarks._common import scratch_database

    with scratch_database("tune") as db:
        user = db.new_user("tune@example.com")
        with session_scope(db.factory) as s: ...
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
from budgetwise.principal import Principal

PASSWORD = "violet-harbor-lantern-42"  # long enough and not a common password (auth's checks)


def register_user(factory: sessionmaker[Session], settings: Settings, email: str, name: str = "Eval") -> Principal:
    """A new user of the scratch database, signed up as anyone would be (default categories and rules)."""
    from budgetwise.services import auth

    with session_scope(factory) as s:
        return auth.register(s, name=name, email=email, password=PASSWORD, settings=settings)


@dataclass(frozen=True)
class Scratch:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]

    def new_user(self, email: str, name: str = "Eval") -> Principal:
        return register_user(self.factory, self.settings, email, name)


@contextmanager
def scratch_database(tag: str) -> Iterator[Scratch]:
    """A migrated SQLite database in a fresh temporary data directory (removed afterwards, the engine
    disposed), with bcrypt at its cheapest: never a user's data. ``tag`` names the directory."""
    with tempfile.TemporaryDirectory(prefix=f"bw-{tag}-") as tmp:
        settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": tmp, "BUDGETWISE_SECRET_KEY": f"{tag}-" + "x" * 40,
                                          "BUDGETWISE_BCRYPT_ROUNDS": "4"})
        upgrade_database(settings.database_url)
        engine = make_engine(settings.database_url)
        try:
            yield Scratch(settings, engine, make_session_factory(engine))
        finally:
            engine.dispose()
