"""The same file imported twice at once (issue #13): two processes start ``budgetwise import``
of one file for one user at the same moment. Duplicate detection is serialized per user (the
user's row is locked before the check, in the transaction that inserts), so the second import
finds every row a duplicate, on SQLite, PostgreSQL and MariaDB alike.

The issue's figure is a 20,000-row file; the suite uses fewer rows (same logic). Full size::

    BUDGETWISE_SAFETY_SAME_FILE_ROWS=20000 .venv/bin/python -m pytest tests/security/test_concurrent_import.py -s
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from budgetwise.db import make_engine, session_scope
from budgetwise.models import ImportBatch, Transaction
from tests.conftest import create_user
from tests.security.helpers import bank_csv, run_together, shared_database, start_worker

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
        start_worker("import_once", url, str(uid), str(csv), str(start), preview)
        for preview in ("1", "0")  # one as the CLI does it (preview first in the same session), one commit only
    ]
    results, elapsed = run_together(procs, start)
    with session_scope(factory) as s:
        total = s.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == uid))
        batches = sorted(s.execute(select(ImportBatch.rows_imported, ImportBatch.rows_duplicate)).all())
    engine.dispose()
    assert total == ROWS, f"{total} rows stored from two imports of one {ROWS}-row file"
    assert sorted((r["imported"], r["duplicate"]) for r in results) == [(0, ROWS), (ROWS, 0)], results
    assert [tuple(b) for b in batches] == [(ROWS, 0)]  # the second found nothing new: no empty batch (QA)
    print(f"\n{backend}: two imports of one {ROWS:,}-row file at once -> {total:,} rows, the second found "
          f"{ROWS:,} duplicates ({elapsed:.1f} s)")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_same_file_imported_twice_at_once_is_stored_once(tmp_path, settings, sqlite_template, backend):
    with shared_database(backend, tmp_path, sqlite_template) as url:
        _two_imports_at_once(url, tmp_path, settings, backend)
