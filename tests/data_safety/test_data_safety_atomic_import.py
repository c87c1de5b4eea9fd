"""Atomic imports: a real process importing a large file is killed (SIGKILL) while it writes
and commits; the database then holds the whole batch or none of it, is intact, and takes
the next import at once."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope
from budgetwise.importing import ImportOptions
from budgetwise.models import ImportBatch, Transaction
from budgetwise.services import importing
from tests.conftest import create_user
from tests.security.helpers import bank_csv, shared_database, start_worker

ROWS = 2_000
CHUNK = 200  # 10 chunks: plenty of moments to be killed in


def _kill_during_import(url: str, uid: int, csv: Path, *, when, delay: float = 0.0, hold_at: str = "") -> list[str]:
    """Start the importer and SIGKILL it at the first output line for which ``when(line)`` holds
    (``hold_at``: the saving fraction at which the worker waits to be killed, see workers.slow_import)."""
    proc = start_worker("slow_import", url, str(uid), str(csv), str(CHUNK), hold_at)
    seen: list[str] = []
    try:
        for line in proc.stdout:
            seen.append(line.strip())
            if when(line.strip()):
                if delay:
                    time.sleep(delay)
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode != -signal.SIGKILL and "COMMITTED" not in seen:
        raise AssertionError(f"importer ended on its own ({proc.returncode}): {proc.stderr.read()[-2000:]}")
    return seen


HALF_SAVED = 0.6 + 0.35 * 0.5


def _half_saved(line: str) -> bool:
    """A progress report past the middle of the insert (at least half the rows are written): the rows
    are categorized first (progress up to 0.6), then saved (0.6 to 0.95)."""
    if not line.startswith("PROGRESS ") or "Saving rows" not in line:
        return False
    fraction = float(line.split()[1])
    return HALF_SAVED <= fraction < 0.95


def _state(factory, uid: int) -> tuple[int, int, list[tuple[int, int]]]:
    with session_scope(factory) as s:
        n_tx = s.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == uid, Transaction.source == "import"))
        batches = s.execute(select(ImportBatch.id, ImportBatch.rows_imported).where(ImportBatch.user_id == uid)).all()
        per_batch = dict(s.execute(
            select(Transaction.import_batch_id, func.count()).where(Transaction.user_id == uid).group_by(Transaction.import_batch_id)
        ).all())
    return int(n_tx), len(batches), [(int(b), int(n), int(per_batch.get(b, 0))) for b, n in batches]


def _run(url: str, tmp_path: Path, settings, backend: str) -> None:
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as s:
        uid = create_user(s, settings).user_id
    rng = random.Random(8)
    plans = [  # (kill at, delay, where the worker waits to be killed)
        (_half_saved, 0.0, str(HALF_SAVED)),                            # half of the rows in the open transaction
        (lambda line: line == "COMMITTING", rng.uniform(0.0, 0.004), ""),  # at the COMMIT itself: either outcome
        (lambda line: line == "COMMITTED", 0.0, ""),                    # after the commit: the batch must stay whole
    ]
    committed_rows = 0
    outcomes = []
    try:
        for n, (when, delay, hold_at) in enumerate(plans):
            csv = tmp_path / f"big{n}.csv"
            csv.write_bytes(bank_csv(ROWS, seed=100 + n, prefix=f"kill{n}"))
            seen = _kill_during_import(url, uid, csv, when=when, delay=delay, hold_at=hold_at)
            n_tx, n_batches, batches = _state(factory, uid)
            for batch_id, rows_imported, present in batches:  # each batch complete, never partial
                assert present == rows_imported == ROWS, (batch_id, rows_imported, present, seen[-3:])
            assert n_tx == ROWS * n_batches
            committed = n_tx - committed_rows
            assert committed in (0, ROWS), committed
            committed_rows = n_tx
            outcomes.append("whole batch" if committed else "nothing")
        if backend == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        # the database takes the next import at once (no stale lock, no half-written state)
        with session_scope(factory) as s:
            result = importing.commit_import(s, user_id=uid, data=bank_csv(50, seed=999, prefix="after"), filename="after.csv",
                                             options=ImportOptions())
        assert result.rows_imported == 50
        assert outcomes[0] == "nothing" and outcomes[2] == "whole batch"
        print(f"{backend}: kill outcomes {outcomes}")
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_killed_import_leaves_whole_batch_or_nothing(tmp_path, settings, sqlite_template, backend):
    with shared_database(backend, tmp_path, sqlite_template, "kill.db") as url:
        _run(url, tmp_path, settings, backend)
