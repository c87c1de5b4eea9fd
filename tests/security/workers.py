"""Child processes for the data-safety tests: ``python -m tests.security.workers KIND ...``.

They use the same service calls and the same unit of work (``session_scope``: one
transaction per user action) as the app's pages, so what they survive the app survives.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope
from budgetwise.importing import ImportOptions
from budgetwise.services import importing
from budgetwise.services import transactions as tx


def _factory(url: str):
    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


def slow_import(url: str, user_id: str, path: str, chunk: str, hold_at: str = "") -> None:
    """Import a big file in small chunks, announcing each chunk (the parent kills us mid-way).

    ``hold_at``: a progress fraction of the saving step at which the worker stops and waits to be
    killed, so that "killed with half of the rows in the open transaction" does not depend on how fast
    the parent reads the pipe (on a loaded machine the worker reached COMMIT before the kill arrived)."""
    importing.commit.INSERT_CHUNK = int(chunk)
    factory = _factory(url)
    hold = float(hold_at) if hold_at else None

    def progress(fraction: float, message: str) -> None:
        print(f"PROGRESS {fraction:.4f} {message}", flush=True)
        if hold is not None and "Saving rows" in message and fraction >= hold:
            time.sleep(120)  # the parent kills us here; never reached COMMIT
        time.sleep(0.03)

    with session_scope(factory) as s:
        importing.commit_import(
            s, user_id=int(user_id), data=Path(path).read_bytes(), filename="big.csv", options=ImportOptions(),
            progress=progress,
        )
        print("COMMITTING", flush=True)
    print("COMMITTED", flush=True)


def add_and_import(url: str, user_id: str, worker: str, count: str, path: str, start_file: str) -> None:
    """Add ``count`` transactions one action at a time and import a file half-way through."""
    factory = _factory(url)
    uid, n = int(user_id), int(count)
    errors: list[str] = []
    waits: list[float] = []
    imported = 0
    start = Path(start_file)
    print("ready", flush=True)
    while not start.exists():
        time.sleep(0.01)
    day = dt.date(2024, 1, 1)
    for i in range(n):
        if i == n // 2:
            t0 = time.perf_counter()
            try:
                with session_scope(factory) as s:
                    imported = importing.commit_import(
                        s, user_id=uid, data=Path(path).read_bytes(), filename=f"w{worker}.csv", options=ImportOptions()
                    ).rows_imported
            except OperationalError as exc:
                errors.append(f"import: {exc.orig!r}")
            waits.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        try:
            with session_scope(factory) as s:
                tx.add_transaction(
                    s, user_id=uid, date=day + dt.timedelta(days=i % 365), amount=f"{1 + i % 97}.{i % 100:02d}",
                    kind="expense", description=f"worker {worker} entry {i}",
                )
        except OperationalError as exc:
            errors.append(f"add {i}: {exc.orig!r}")
        waits.append(time.perf_counter() - t0)
    waits.sort()
    print(json.dumps({
        "worker": worker, "added": n - sum(1 for e in errors if e.startswith("add")), "imported": imported,
        "errors": errors[:5], "error_count": len(errors), "max_wait": waits[-1] if waits else 0.0,
        "p95_wait": waits[int(len(waits) * 0.95) - 1] if waits else 0.0,
    }), flush=True)


def import_once(url: str, user_id: str, path: str, start_file: str, preview: str = "1") -> None:
    """Import one file as ``budgetwise import`` does (preview, then commit, in one session),
    after the parent touches ``start_file``; print the result as JSON."""
    factory = _factory(url)
    data = Path(path).read_bytes()
    start = Path(start_file)
    print("ready", flush=True)
    while not start.exists():
        time.sleep(0.005)
    with session_scope(factory) as s:
        if preview == "1":
            importing.preview_import(s, user_id=int(user_id), data=data, filename="same.csv")
        r = importing.commit_import(s, user_id=int(user_id), data=data, filename="same.csv", options=ImportOptions())
    print(json.dumps({"imported": r.rows_imported, "duplicate": r.rows_duplicate}), flush=True)


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    {"slow_import": slow_import, "add_and_import": add_and_import, "import_once": import_once}[kind](*args)
