"""``budgetwise backup --output FILE`` and ``budgetwise restore FILE [--force]``.

Backups are online and consistent: run them while the app is serving users. See
budgetwise/services/backup.py for the formats and docs/reliability.md for the figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetwise.cli._common import load_settings
from budgetwise.db import make_engine, upgrade_database
from budgetwise.services import backup as backup_service
from budgetwise.services.backup_audit import entries_text
from budgetwise.text import plural


def register(subparsers: argparse._SubParsersAction) -> None:
    b = subparsers.add_parser(
        "backup",
        help="write an online, consistent backup of the whole database to a file",
        description=(
            "Back up every table while the app keeps running. SQLite: a database file made with SQLite's "
            "online backup API (or a portable .zip dump when FILE ends in .zip). PostgreSQL, MariaDB/MySQL: "
            "a portable .zip dump (JSON lines per table, with the schema revision) read in one consistent "
            "snapshot. The file holds password hashes: it is written with mode 0600; keep it safe."
        ),
    )
    b.add_argument("--output", "-o", required=True, metavar="FILE", help="where to write the backup")
    b.add_argument("--format", choices=["auto", "sqlite", "dump"], default="auto",
                   help="auto (default): a SQLite file for SQLite unless FILE ends in .zip, else a dump "
                        "(PostgreSQL/MariaDB refuse a FILE ending in .db/.sqlite/.sqlite3 unless --format dump)")
    b.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    b.set_defaults(handler=cmd_backup)

    r = subparsers.add_parser(
        "restore",
        help="restore a backup (SQLite file or .zip dump) into the configured database, in one transaction",
        description=(
            "Restore a file written by 'budgetwise backup' into the database BUDGETWISE_DATABASE_URL (or the "
            "data directory's SQLite file) points to, in one transaction. Refuses a database that already "
            "holds data unless --force, which replaces ALL of it. Works across backends (e.g. a SQLite backup "
            "into PostgreSQL)."
        ),
    )
    r.add_argument("file", metavar="FILE", help="a backup file")
    r.add_argument("--force", action="store_true", help="replace a database that already holds data")
    r.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    r.set_defaults(handler=cmd_restore)


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(message)


def cmd_backup(args: argparse.Namespace) -> int:
    settings = load_settings()
    engine = make_engine(settings.database_url, lock_timeout_seconds=settings.lock_timeout_seconds)
    try:
        result = backup_service.backup(engine, Path(args.output), fmt=args.format,
                                       progress=None if args.quiet else (lambda m: print(f"  {m}", file=sys.stderr)))
    finally:
        engine.dispose()
    _say(args, f"Backed up {plural(result.rows, 'row')} ({plural(len(result.tables), 'table')}, "
               f"schema revision {result.revision}) "
               f"to {result.path} as a {'SQLite database file' if result.format == 'sqlite' else 'portable dump'} "
               f"({result.bytes / 1024:,.0f} KiB).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    settings = load_settings()
    upgrade_database(settings.database_url, data_dir=settings.data_dir)
    engine = make_engine(settings.database_url, lock_timeout_seconds=settings.lock_timeout_seconds)
    try:
        result = backup_service.restore(engine, Path(args.file), force=args.force,
                                        progress=None if args.quiet else (lambda m: print(f"  {m}", file=sys.stderr)))
    finally:
        engine.dispose()
    users = result.tables.get("users", 0)
    txns = result.tables.get("transactions", 0)
    _say(args, f"Restored {plural(result.rows, 'row')} ({plural(users, 'user')}, {plural(txns, 'transaction')}; "
               f"backup schema revision "
               f"{result.revision}){' replacing the previous content' if result.replaced else ''}.")
    if result.audit_kept:
        _say(args, f"Kept {entries_text(result.audit_kept)} of the replaced database that the backup does not hold "
                   "(the audit log is never cut short); the restore itself is logged too.")
    return 0
