"""Import preview of a large file with an account column: time, and how often the accounts are looked up.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/import_preview_accounts.py [--rows 100000] [--repeat 5]

Generates a CSV (date, description, amount, account column naming four accounts, some rows without
one, a running balance so the preview reconciles), on a fresh SQLite database whose user already
holds earlier rows of two of those accounts (so the lookup also searches the recent rows), then runs
``importing.preview_import`` ``--repeat`` times after one warm-up run. Prints the best and median
wall and CPU (process) time, and the number of ``routing.lookup`` calls per preview and their time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACCOUNTS = ["Checking", " checking ", "Visa", "Savings", "Joint account", ""]


def generate(rows: int, seed: int = 11) -> bytes:
    rnd = random.Random(seed)
    lines = ["Date,Description,Amount,Account,Balance"]
    balance = 5000.0
    for i in range(rows):
        amount = round(rnd.uniform(-120, 60), 2)
        balance += amount
        day = f"2024-{1 + (i * 12 // rows):02d}-{1 + i % 28:02d}"
        lines.append(f"{day},Shop {rnd.randint(1, 400)} ref {rnd.randint(10**5, 10**6)},{amount:.2f},"
                     f"{rnd.choice(ACCOUNTS)},{balance:.2f}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from benchmarks._common import scratch_database
    from budgetwise.db import session_scope
    from budgetwise.services import accounts, importing
    from budgetwise.services.importing import routing

    calls: list[float] = []
    original = routing.lookup

    def counted(*a, **k):
        t0 = time.process_time()
        try:
            return original(*a, **k)
        finally:
            calls.append(time.process_time() - t0)

    routing.lookup = counted  # type: ignore[assignment]
    try:
        with scratch_database("preview-accounts") as db:
            factory = db.factory
            uid = db.new_user("bench@example.com", "Bench").user_id
            with session_scope(factory) as s:
                accounts.create_account(s, user_id=uid, name="Savings")
                earlier = b"Date,Description,Amount,Account\n" + b"".join(
                    f"2023-0{1 + i % 9}-1{i % 10},Earlier {i},-{i % 50 + 1}.00,{'Visa' if i % 2 else 'Joint account'}\n".encode()
                    for i in range(2000))
                importing.commit_import(s, user_id=uid, data=earlier, filename="earlier.csv", max_bytes=10**9)
            data = generate(args.rows)
            wall, cpu, per_run = [], [], []
            for i in range(args.repeat + 1):
                calls.clear()
                with session_scope(factory) as s:
                    w0, c0 = time.perf_counter(), time.process_time()
                    preview = importing.preview_import(s, user_id=uid, data=data, filename="big.csv", max_bytes=10**9)
                    w, c = time.perf_counter() - w0, time.process_time() - c0
                if i:  # the first run warms caches and imports
                    wall.append(w)
                    cpu.append(c)
                    per_run.append((len(calls), sum(calls)))
            shares = ", ".join(f"{a.name} {a.rows}" for a in preview.accounts)
            print(f"rows {args.rows:,} ({len(data) / 1e6:.1f} MB), shares: {shares}; reconciliation: "
                  f"{'yes' if preview.reconciliation else 'no'}")
            print(f"preview wall  best {min(wall):.3f} s  median {statistics.median(wall):.3f} s  runs {[round(x, 2) for x in wall]}")
            print(f"preview CPU   best {min(cpu):.3f} s  median {statistics.median(cpu):.3f} s  runs {[round(x, 2) for x in cpu]}")
            print(f"routing.lookup calls per preview {per_run[0][0]}, their CPU "
                  f"{statistics.median(t for _, t in per_run) * 1000:.1f} ms (median)")
    finally:
        routing.lookup = original  # type: ignore[assignment]


if __name__ == "__main__":
    main()
