"""A new database at a given revision without replaying the chain up to it in every test.

The default-rules tests start from an empty database brought to the revision before the step they check
(``command.upgrade(cfg, "0035")``), which replayed every earlier migration, seeding all the default rule sets, once per
test: up to 0.5 s of CPU each time on SQLite. On SQLite ``start_at`` copies a file brought to that revision once per
process instead (from the nearest earlier revision already cached); the step under test, its downgrade and the way
up to head still run for real. On PostgreSQL / MariaDB it is the upgrade itself. Starting from scratch is
tested on its own (test_migrations.py, ``test_a_new_database_gets_exactly_the_latest_default_rules``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from budgetwise.db import alembic_config

_files: dict[str, Path] = {}
_dir: Path | None = None


def start_at(url: str, revision: str) -> Config:
    """``command.upgrade(alembic_config(url), revision)`` on the new, empty database at ``url``; its config."""
    cfg = alembic_config(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        command.upgrade(cfg, revision)
        return cfg
    target = Path(parsed.database or "")
    assert not target.exists() or target.stat().st_size == 0, f"{target} is not a new database"
    shutil.copyfile(_file_at(revision), target)
    return cfg


def _file_at(revision: str) -> Path:
    global _dir
    if revision not in _files:
        if _dir is None:
            _dir = Path(tempfile.mkdtemp(prefix="budgetwise-test-revisions-"))
            atexit.register(shutil.rmtree, _dir, True)
        path = _dir / f"{revision}.db"
        # one chain (tests/migrations/test_migrations.py), not in the order of the numbers (0041 → 0043 → 0042)
        order = _chain()
        earlier = [r for r in _files if order.index(r) < order.index(revision)]
        if earlier:
            shutil.copyfile(_files[max(earlier, key=order.index)], path)
        command.upgrade(alembic_config(f"sqlite:///{path}"), revision)
        _files[revision] = path
    return _files[revision]


def _chain() -> list[str]:
    """The revisions from base to head."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
