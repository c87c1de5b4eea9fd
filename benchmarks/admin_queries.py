"""Admin page queries on a hosted-size instance.

    .venv/bin/python benchmarks/admin_queries.py [--users 1000] [--rows 1000000] [--url URL]

Builds a throw-away database (SQLite in a temporary directory unless --url is given)
with ``--users`` users and ``--rows`` transactions spread over them and three years,
plus login attempts, then times each admin query a rerun of the admin page makes, next
to the plain baseline of one raw SQL statement doing the same aggregation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database  # noqa: E402
from budgetwise.models import Category, LoginAttempt, Transaction, User, utcnow  # noqa: E402
from budgetwise.services import admin  # noqa: E402

CHUNK = 20_000


def build(url: str, users: int, rows: int) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    rng = random.Random(7)
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {"email": f"user{i}@example.com", "name": f"User {i}", "password_hash": "x", "role": "admin" if i == 0 else "user",
                 "is_active": True, "token_version": 1, "data_version": 1, "failed_logins": 0, "currency": "USD",
                 "locale": "en_US", "date_format": "%Y-%m-%d", "week_start": 0, "totp_enabled": False,
                 "created_at": now, "updated_at": now,
                 "last_login_at": now - dt.timedelta(days=rng.randint(0, 90))}
                for i in range(users)
            ],
        )
        ids = [r[0] for r in conn.execute(select(User.id))]
        cats = [r[0] for r in conn.execute(select(Category.id).where(Category.user_id.is_(None)))]
        start = dt.date.today() - dt.timedelta(days=3 * 365)
        for offset in range(0, rows, CHUNK):
            batch = []
            for n in range(offset, min(rows, offset + CHUNK)):
                day = start + dt.timedelta(days=rng.randint(0, 3 * 365 - 1))
                batch.append({
                    "user_id": rng.choice(ids), "date": day, "amount_minor": rng.randint(100, 500_000),
                    "currency": "USD", "kind": "expense" if rng.random() < 0.9 else "income",
                    "description": f"MERCHANT {n % 5000}", "merchant": f"merchant {n % 5000}", "notes": "",
                    "category_id": rng.choice(cats) if rng.random() < 0.8 else None, "category_manual": False,
                    "source": "import", "fingerprint": f"{n:064d}", "created_at": now, "updated_at": now,
                })
            conn.execute(insert(Transaction), batch)
        conn.execute(
            insert(LoginAttempt),
            [{"user_id": rng.choice(ids), "email": "x@example.com", "success": rng.random() < 0.8, "reason": "ok",
              "created_at": now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 60))} for _ in range(50_000)],
        )
    engine.dispose()


def timed(label: str, fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    best = min(times)
    print(f"  {label:<58} {best * 1000:9.1f} ms (median {statistics.median(times) * 1000:.1f})")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--url", help="an empty database to fill (default: a temporary SQLite file)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    t0 = time.perf_counter()
    build(url, args.users, args.rows)
    print(f"Built {args.users} users, {args.rows:,} transactions, 50,000 login attempts in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")
    engine = make_engine(url)
    factory = make_session_factory(engine, readonly=True)
    cli = admin.cli_principal()
    with session_scope(factory) as s:
        some_user = s.scalar(select(User.id).where(User.email == "user5@example.com"))
        print("Users tab")
        timed("list_users (page 1 of 25, with transaction counts)", lambda: admin.list_users(s, principal=cli))
        timed("list_users search 'user9'", lambda: admin.list_users(s, principal=cli, search="user9"))
        timed("  baseline: raw COUNT GROUP BY user_id (all users)",
                     lambda: s.execute(text("select user_id, count(*) from transactions group by user_id")).all())
        print("Transactions tab")
        timed("list_all_transactions page 1, no filter (count + page)", lambda: admin.list_all_transactions(s, principal=cli))
        timed("  baseline: raw COUNT(*)", lambda: s.execute(text("select count(*) from transactions")).scalar())
        flt = admin.OversightFilter(user_id=some_user, date_from=dt.date.today() - dt.timedelta(days=365),
                                    min_amount=Decimal("100"))
        timed("list_all_transactions one user, last year, >= 100", lambda: admin.list_all_transactions(s, principal=cli, filters=flt))
        timed("list_all_transactions amount 100..200 (all users)", lambda: admin.list_all_transactions(
            s, principal=cli, filters=admin.OversightFilter(min_amount=Decimal("100"), max_amount=Decimal("200"))))
        print("Categories tab")
        timed("list_global_categories (transaction and rule counts)", lambda: admin.list_global_categories(s, principal=cli))
        timed("  baseline: raw COUNT GROUP BY category_id",
              lambda: s.execute(text("select category_id, count(*) from transactions group by category_id")).all())
        print("System tab")
        timed("system_health", lambda: admin.system_health(s, principal=cli))
        timed("logins_per_day (30 days)", lambda: admin.logins_per_day(s, principal=cli))
        print("Logs")
        timed("list_login_log page 1", lambda: admin.list_login_log(s, principal=cli))
        timed("list_audit_log page 1", lambda: admin.list_audit_log(s, principal=cli))
    write = make_session_factory(engine)
    with session_scope(write) as s:
        print("Export")
        timed("export_all_transactions_csv one user", lambda: admin.export_all_transactions_csv(
            s, principal=cli, filters=admin.OversightFilter(user_id=some_user)), repeat=1)
        s.rollback()
    engine.dispose()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
