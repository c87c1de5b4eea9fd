"""The same file imported twice at once (issue #13): two processes start ``budgetwise import``
of one file for one user at the same moment. Duplicate detection is serialized per user (the
user's row is locked before the check, in the transaction that inserts), so the second import
finds every row a duplicate, on SQLite, PostgreSQL and MariaDB alike.

The issue's figure is a 20,000-row file; the suite uses fewer rows (same logic). Full size::

    BUDGETWISE_SAFETY_SAME_FILE_ROWS=20000 .venv/bin/python -m pytest tests/security/test_concurrent_import.py -s
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope, upgrade_database
from budgetwise.models import ImportBatch, Transaction
from tests.conftest import create_user
from tests.security.helpers import bank_csv, scratch_database

ROOT = Path(__file__).resolve().parents[2]
ROWS = int(os.environ.get("BUDGETWISE_SAFETY_SAME_FILE_ROWS", "1500"))


def _two_imports_at_once(url: str, tmp_path: Path, settings, backend: str) -> None:
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as s:
        uid = create_user(s, settings, "twice@example.com", "Twice").user_id
    csv = tmp_path / "same.csv"
    csv.write_bytes(bank_csv(ROWS, seed=3, prefix="Same"))
    start = tmp_path / "start"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.security.workers", "import_once", url, str(uid), str(csv), str(start), preview],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for preview in ("1", "0")  # one as the CLI does it (preview first in the same session), one commit only
    ]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()[-3000:]
        t0 = time.perf_counter()
        start.touch()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
        elapsed = time.perf_counter() - t0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    with session_scope(factory) as s:
        total = s.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == uid))
        batches = sorted(s.execute(select(ImportBatch.rows_imported, ImportBatch.rows_duplicate)).all())
    engine.dispose()
    assert total == ROWS, f"{total} rows stored from two imports of one {ROWS}-row file"
    assert sorted((r["imported"], r["duplicate"]) for r in results) == [(0, ROWS), (ROWS, 0)], results
    assert [tuple(b) for b in batches] == [(0, ROWS), (ROWS, 0)]
    print(f"\n{backend}: two imports of one {ROWS:,}-row file at once -> {total:,} rows, the second found "
          f"{ROWS:,} duplicates ({elapsed:.1f} s)")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_same_file_imported_twice_at_once_is_stored_once(tmp_path, settings, sqlite_template, backend):
    if backend == "sqlite":
        db = tmp_path / "shared.db"
        shutil.copyfile(sqlite_template, db)
        _two_imports_at_once(f"sqlite:///{db}", tmp_path, settings, backend)
        return
    with scratch_database(backend) as url:
        upgrade_database(url)
        _two_imports_at_once(url, tmp_path, settings, backend)
