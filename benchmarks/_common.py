"""What benchmarks and tools share: a scratch database with a user in it.

``timed`` is the one owner of timing a call on both clocks (wall and this process's CPU, with its peak
resident memory) and ``load_text`` of the load average printed beside such figures: the machine is
shared, so CPU time is the figure compared and the load says how far the wall time can be trusted.

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

import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from budgetwise.config import Settings
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database
from budgetwise.principal import Principal

PASSWORD = "violet-harbor-lantern-42"  # long enough and not a common password (auth's checks)
T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # seconds of this process's CPU, user + system (``time.process_time``: every thread)
    peak_mb: float  # the process's peak resident memory during the call (see ``timed``)
    start_mb: float  # its resident memory when the call began
    peak_since_start: bool  # True where the peak could not be reset: then it is the peak since the process began

    def __str__(self) -> str:
        peak = f"peak RSS {self.peak_mb:4.0f} MB (+{self.peak_mb - self.start_mb:.0f})"
        return f"{self.cpu:7.2f} s CPU {self.wall:7.2f} s wall   {peak}{' since start' if self.peak_since_start else ''}"


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux: ``clear_refs`` 5); False where not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _status_mb(field: str) -> float | None:
    """A memory line of ``/proc/self/status`` (``VmRSS``, ``VmHWM``) in MB; None where there is none."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _peak_mb(reset: bool) -> float:
    peak = _status_mb("VmHWM") if reset else None
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def timed(fn: Callable[[], T]) -> tuple[T, Timing]:
    """``fn()`` and its wall time, CPU time and peak resident memory (the process's peak during the call:
    the kernel's mark is reset before it: a write and a read in /proc, nothing measurable)."""
    reset = _reset_peak()
    start = _status_mb("VmRSS") or 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return result, Timing(wall, cpu, _peak_mb(reset), start, not reset)


def load_text() -> str:
    """The load average as the benchmarks print it beside their figures."""
    return f"load {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"


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
