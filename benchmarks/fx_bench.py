"""What converting to the base currency costs the report services (prints figures; no assertions).

    .venv/bin/python benchmarks/fx_bench.py [--dir /tmp/budgetwise-report-bench] [--repeat 5]

Uses the database that ``benchmarks/report_bench.py`` builds (1,000,000 transactions;
the heavy user has 100,000 over five years, 1% of them in EUR). Inside one
transaction that is rolled back at the end (the file is left as it was) it:

1. stores a daily EUR->USD rate for every business day of those five years
   (about 1,300 rates, source ``manual``), so the EUR rows are converted;
2. times the services for the heavy user as he is (base USD, 1% foreign);
3. switches his base currency to EUR (the worst case: 99% of his rows are now
   foreign and are grouped per (currency, day) and converted) and times again;
4. times the plain baseline: one raw SQL ``GROUP BY`` summing the base
   currency only (what the services did before conversion existed).

Figures: wall and CPU milliseconds, median of ``--repeat`` runs after a warm-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, text, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.orm import Session  # noqa: E402

from budgetwise.db import make_engine  # noqa: E402
from budgetwise.models import ExchangeRate, User, utcnow  # noqa: E402
from budgetwise.services import budgets as B  # noqa: E402
from budgetwise.services import rates  # noqa: E402
from budgetwise.services import reports as R  # noqa: E402
from budgetwise.services import transactions as tx  # noqa: E402

HEAVY_EMAIL = "heavy@example.com"
TODAY = dt.date.today()


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def calls(session: Session, uid: int) -> list[tuple[str, object]]:
    year = R.ReportFilter(TODAY.replace(day=1).replace(year=TODAY.year - 1), TODAY)
    month = R.ReportFilter(*R.preset_range("this_month", today=TODAY))
    return [
        ("summary, last 12 months", lambda: R.summary(session, user_id=uid, filters=year)),
        ("kpis, this month", lambda: R.kpis(session, user_id=uid, filters=month)),
        ("by_category, 12 months", lambda: R.by_category(session, user_id=uid, filters=year)),
        ("by_period month, 12 months", lambda: R.by_period(session, user_id=uid, filters=year)),
        ("monthly_totals, all history", lambda: R.monthly_totals(session, user_id=uid)),
        ("top_merchants, 12 months", lambda: R.top_merchants(session, user_id=uid, filters=year)),
        ("unusual_transactions, 30 days", lambda: R.unusual_transactions(
            session, user_id=uid, filters=R.ReportFilter(TODAY - dt.timedelta(days=29), TODAY), today=TODAY)),
        ("budget_report, this month", lambda: B.budget_report(session, user_id=uid, month=TODAY, today=TODAY)),
        ("period_summary, this month", lambda: tx.period_summary(
            session, user_id=uid, date_from=month.date_from, date_to=month.date_to)),
        ("missing_rates, all history", lambda: rates.missing_rates(session, user_id=uid)),
    ]


def baseline(session: Session, uid: int, currency: str):
    year_from = TODAY.replace(day=1).replace(year=TODAY.year - 1)
    return session.execute(
        text(
            "SELECT kind, SUM(amount_minor), COUNT(*) FROM transactions "
            "WHERE user_id = :u AND currency = :c AND date >= :a AND date <= :b GROUP BY kind"
        ),
        {"u": uid, "c": currency, "a": year_from, "b": TODAY},
    ).all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default="/tmp/budgetwise-report-bench")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = Path(args.dir) / "budgetwise.db"
    if not path.exists():
        print(f"{path} does not exist: build it first with benchmarks/report_bench.py", file=sys.stderr)
        return 1
    engine = make_engine(f"sqlite:///{path}")
    print(f"Database: {path}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; median of {args.repeat}")
    with Session(engine) as session:
        uid = session.scalar(select(User.id).where(User.email == HEAVY_EMAIL))
        first = session.scalar(text("SELECT MIN(date) FROM transactions WHERE user_id = :u"), {"u": uid})
        first = dt.date.fromisoformat(str(first))
        days = [first + dt.timedelta(days=k) for k in range((TODAY - first).days + 1)]
        business = [d for d in days if d.weekday() < 5]
        now = utcnow()
        session.execute(
            insert(ExchangeRate),
            [
                {"date": d, "base": "EUR", "quote": "USD", "rate": Decimal("1.05") + Decimal(k % 200) / 1000,
                 "source": "manual", "created_at": now}
                for k, d in enumerate(business)
            ],
        )
        foreign_rows = session.scalar(
            text("SELECT COUNT(*) FROM transactions WHERE user_id = :u AND currency != 'USD'"), {"u": uid}
        )
        print(f"Heavy user #{uid}: {foreign_rows:,} EUR rows; {len(business):,} EUR->USD rates stored for the run\n")
        results: dict[str, dict[str, tuple[float, float]]] = {}
        for label, currency in (("base USD (1% foreign)", "USD"), ("base EUR (99% foreign)", "EUR")):
            session.execute(update(User).where(User.id == uid).values(currency=currency))
            results[label] = {name: timed(fn, args.repeat) for name, fn in calls(session, uid)}
            results[label]["raw SQL sum, base currency only (12 months)"] = timed(
                lambda c=currency: baseline(session, uid, c), args.repeat
            )
            missing = rates.missing_rates(session, user_id=uid)
            print(f"{label}: missing rates afterwards: {[(m.currency, len(m.dates)) for m in missing] or 'none'}")
        session.rollback()
    print()
    labels = list(results)
    print(f"{'call':40s}" + "".join(f"{label:>30s}" for label in labels))
    print(f"{'':40s}" + "".join(f"{'wall ms / CPU ms':>30s}" for _ in labels))
    for name in results[labels[0]]:
        cells = "".join(f"{results[label][name][0]:>18.1f} / {results[label][name][1]:>8.1f}" for label in labels)
        print(f"{name:40s}{cells}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
