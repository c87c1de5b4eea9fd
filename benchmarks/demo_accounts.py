"""Demo mode: the cost of one "Explore the demo account" click, and of the clean-up.

    .venv/bin/python benchmarks/demo_accounts.py [--clicks 5] [--cap 200] [--url URL]

Builds a throw-away database (SQLite in a temporary directory unless --url is given), fills
it with ``--cap`` live demo accounts, then times ``--clicks`` visitor accounts made with the
default bcrypt cost (each click also purges: at the cap it deletes the oldest account), and
one start-up purge of the whole lot once expired. Prints wall and CPU time (process time).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

from sqlalchemy import func, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import timed  # noqa: E402
from budgetwise.config import Settings  # noqa: E402
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database  # noqa: E402
from budgetwise.models import Transaction, User  # noqa: E402
from budgetwise.services import demo  # noqa: E402


def _timed(fn):
    result, t = timed(fn)
    return result, t.wall, t.cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=5)
    parser.add_argument("--cap", type=int, default=200)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="demobox-bench-") as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = dataclasses.replace(
            Settings.load(environ={"BUDGETWISE_DATA_DIR": tmp, "BUDGETWISE_SECRET_KEY": "bench-" + "s" * 40}),
            database_url=url, demo=True, demo_max_accounts=args.cap,
        )
        upgrade_database(url)
        factory = make_session_factory(make_engine(url))
        fill = dataclasses.replace(settings, bcrypt_rounds=4)  # filling is not what is measured
        _, wall, cpu = _timed(lambda: [_click(factory, fill) for _ in range(args.cap)])
        print(f"filled {args.cap} demo accounts in {wall:.1f} s wall, {cpu:.1f} s CPU")
        with session_scope(factory) as s:  # their visitors left: each click at the cap recycles an idle one (demo27)
            idle = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=demo.DEMO_ACTIVE_MINUTES + 1)
            s.execute(update(User).values(updated_at=idle))
        walls, cpus = [], []
        for _ in range(args.clicks):
            _, wall, cpu = _timed(lambda: _click(factory, settings))
            walls.append(wall)
            cpus.append(cpu)
        with session_scope(factory) as s:
            rows = s.scalar(select(func.count()).select_from(Transaction)) or 0
            users = s.scalar(select(func.count()).select_from(User)) or 0
        print(f"one click at the cap (bcrypt {settings.bcrypt_rounds} rounds, {len(demo.generate())} rows): "
              f"median {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
              f"(min {min(walls):.2f} / max {max(walls):.2f} s wall); {users} users, {rows} rows now")
        with session_scope(factory) as s:
            old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=settings.demo_hours + 1)
            s.execute(update(User).values(created_at=old))
        with session_scope(factory) as s:
            cleanup, wall, cpu = _timed(lambda: demo.purge_demo_accounts(s, settings=settings))
        print(f"start-up purge of {cleanup.expired} expired accounts: {wall:.1f} s wall, {cpu:.1f} s CPU")
    return 0


def _click(factory, settings: Settings) -> None:
    with session_scope(factory) as s:
        demo.create_visitor_account(s, settings=settings)


if __name__ == "__main__":
    raise SystemExit(main())
