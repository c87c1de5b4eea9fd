"""Confirming many transfers at once (the Accounts page's "Confirm all likely", issue #19): CPU, wall and SQL
statements for ``transfers.confirm_transfers`` on N pairs, next to ``confirm_transfer`` called once a pair
(what N clicks cost the database), plus the matching that finds them and the bulk undo.

    .venv/bin/python benchmarks/transfer_confirm_bench.py [--pairs 1000] [--url DATABASE_URL]

Without ``--url``: a scratch SQLite database (benchmarks._common). With it: an existing PostgreSQL or MariaDB
database (migrated here; a new user each run, left there: use a scratch database, never the one the tests use —
the tests expect their first user to be the first account). The user has Checking, a credit card and Savings; N card
payments / savings transfers, each a distinct amount (so every offer is clear-cut), spread over two years.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from benchmarks._common import register_user, scratch_database  # noqa: E402
from budgetwise.config import Settings  # noqa: E402
from budgetwise.db import make_engine, make_session_factory, session_scope, upgrade_database  # noqa: E402
from budgetwise.models import Transaction  # noqa: E402
from budgetwise.services import accounts, transfers  # noqa: E402

START = dt.date(2024, 1, 1)


@contextmanager
def measured(engine, label: str):
    count = [0]

    def on_exec(*_a):
        count[0] += 1

    event.listen(engine, "before_cursor_execute", on_exec)
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        yield
    finally:
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        event.remove(engine, "before_cursor_execute", on_exec)
        print(f"  {label:<52} CPU {cpu:7.3f} s  wall {wall:7.3f} s  {count[0]:6d} statements")


def _history(factory, user_id: int, n: int, tag: str) -> list[tuple[int, int]]:
    with session_scope(factory) as s:
        chk = accounts.create_account(s, user_id=user_id, name="Checking")
        card = accounts.create_account(s, user_id=user_id, name="Visa Card", kind="credit_card")
        sav = accounts.create_account(s, user_id=user_id, name="Savings", kind="savings")
        rows = []
        for k in range(n):
            into, texts = (card, ("CREDIT CARD PAYMENT", "PAYMENT THANK YOU")) if k % 2 else \
                (sav, ("TRANSFER TO SAVINGS", "TRANSFER FROM CHECKING"))
            day = START + dt.timedelta(days=(k * 730) // n)
            amount = 10_000 + 137 * k  # distinct: every offer is clear-cut
            rows += [Transaction(user_id=user_id, date=day, amount_minor=amount, currency="USD", kind="expense",
                                 description=texts[0], account_id=chk.id, fingerprint=f"{tag}-{k}-o"),
                     Transaction(user_id=user_id, date=day + dt.timedelta(days=k % 3), amount_minor=amount,
                                 currency="USD", kind="income", description=texts[1], account_id=into.id,
                                 fingerprint=f"{tag}-{k}-i")]
        s.add_all(rows)
        s.flush()
        return [(rows[2 * k].id, rows[2 * k + 1].id) for k in range(n)]


def run(engine, factory, settings, n: int) -> None:
    tag = f"xfer{time.time_ns()}"
    user = register_user(factory, settings, f"{tag}@example.com").user_id
    pairs = _history(factory, user, n, tag)
    print(f"{engine.dialect.name}: {n} pairs ({2 * n} rows)")
    with measured(engine, "find_candidates + likely_unambiguous (the page)"), session_scope(factory) as s:
        offers = transfers.likely_unambiguous(transfers.find_candidates(s, user_id=user))
    print(f"  offered at once: {len(offers)} (find_candidates lists at most {transfers.MAX_CANDIDATES})")
    with measured(engine, f"confirm_transfers, {n} pairs in one call"), session_scope(factory) as s:
        transfers.confirm_transfers(s, user_id=user, pairs=pairs)
    with measured(engine, f"undo_links_of, {n} transfers"), session_scope(factory) as s:
        transfers.undo_links_of(s, user_id=user, transaction_ids=[o for o, _ in pairs])
    with measured(engine, f"confirm_transfer once a pair, {n} calls (before)"), session_scope(factory) as s:
        for o, i in pairs:
            transfers.confirm_transfer(s, user_id=user, out_transaction_id=o, in_transaction_id=i)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--url", help="a PostgreSQL/MariaDB database URL (default: scratch SQLite)")
    args = ap.parse_args()
    if args.url:
        settings = Settings.load(environ={"BUDGETWISE_DATABASE_URL": args.url, "BUDGETWISE_DATA_DIR": tempfile.mkdtemp(), "BUDGETWISE_SECRET_KEY": "transfer-confirm-bench-" + "q7" * 20,
                                          "BUDGETWISE_BCRYPT_ROUNDS": "4"})
        upgrade_database(args.url)
        engine = make_engine(args.url)
        try:
            run(engine, make_session_factory(engine), settings, args.pairs)
        finally:
            engine.dispose()
        return
    with scratch_database("xferall") as db:
        run(db.engine, db.factory, db.settings, args.pairs)


if __name__ == "__main__":
    main()
