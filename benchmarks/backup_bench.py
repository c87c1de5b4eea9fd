"""Backup and restore timings on a database of realistic size.

Builds a SQLite database with ``--users`` users of demo transactions (about ``--rows`` in
total), then times ``budgetwise backup`` in both formats, restores of both into a fresh
SQLite database and (with ``--postgres``) the dump into a scratch PostgreSQL database,
and checks that every restore holds the same number of rows per table. Each step prints its CPU time (this
process: SQLite and the drivers run in it, a PostgreSQL server's own work does not count), wall time and peak resident memory (``_common.timed``), and the
load average (the machine is shared: CPU time is the figure to compare).

    .venv/bin/python benchmarks/backup_bench.py --rows 200000
    .venv/bin/python benchmarks/backup_bench.py --rows 200000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import shutil
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from benchmarks._common import load_text, timed  # noqa: E402
from budgetwise.config import Settings  # noqa: E402
from budgetwise.db import make_engine, session_scope, upgrade_database  # noqa: E402
from budgetwise.models import Base  # noqa: E402
from budgetwise.services import auth, demo  # noqa: E402
from budgetwise.services import backup as backup_service  # noqa: E402


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar()) for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def step(label: str, fn):
    result, timing = timed(fn)
    print(f"  {label:<52} {timing}   ({load_text()})", flush=True)
    return result, timing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--dir", default="/tmp/safety-backup-bench")
    ap.add_argument("--postgres", help="also restore into a scratch database on this server")
    args = ap.parse_args()
    work = Path(args.dir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    settings = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(work / "src"), "BUDGETWISE_SECRET_KEY": "backup-bench-" + "b" * 64,
                                      "BUDGETWISE_BCRYPT_ROUNDS": "4"})
    src = settings.database_url
    upgrade_database(src)
    engine = make_engine(src)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    rows = demo.generate(months=120, seed=3)
    per_user = args.rows // args.users
    print(f"building {args.users} users x {per_user:,} transactions ...", flush=True)
    for n in range(args.users):
        with session_scope(factory) as s:
            p = auth.register(s, name=f"User {n}", email=f"user{n}@example.com", password="violet-harbor-lantern-42",
                              settings=settings)
            batch = (rows * (per_user // len(rows) + 1))[:per_user]
            demo.seed_transactions(s, user_id=p.user_id, rows=batch)
    engine.dispose()
    before = counts(src)
    size = Path(make_url(src).database).stat().st_size
    print(f"database: {sum(before.values()):,} rows, {before['transactions']:,} transactions, {size / 1e6:.0f} MB\n")
    engine = make_engine(src)
    file_backup, _ = step("backup, SQLite online backup API (.db)", lambda: backup_service.backup(engine, work / "b.db"))
    dump, _ = step("backup, portable dump (.zip)", lambda: backup_service.backup(engine, work / "b.zip"))
    engine.dispose()
    print(f"  sizes: .db {file_backup.bytes / 1e6:.0f} MB, .zip {dump.bytes / 1e6:.0f} MB")
    ok = True
    for name, path in (("SQLite file", file_backup.path), ("dump", dump.path)):
        target_dir = work / f"restore-{path.suffix[1:]}"
        url = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(target_dir), "BUDGETWISE_SECRET_KEY": "backup-bench-" + "b" * 64}).database_url
        upgrade_database(url)
        target = make_engine(url)
        step(f"restore the {name} into a new SQLite database", lambda: backup_service.restore(target, path))
        target.dispose()
        same = counts(url) == before
        ok &= same
        print(f"  row counts identical: {same}")
    if args.postgres:
        base = make_url(args.postgres)
        db = f"bw_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {db}"))
        url = base.set(database=db).render_as_string(hide_password=False)
        try:
            upgrade_database(url)
            target = make_engine(url)
            step("restore the dump into PostgreSQL", lambda: backup_service.restore(target, dump.path))
            step("backup PostgreSQL (portable dump)", lambda: backup_service.backup(target, work / "pg.zip"))
            target.dispose()
            same = counts(url) == before
            ok &= same
            print(f"  row counts identical: {same}")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            admin.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
