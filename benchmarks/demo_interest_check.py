"""The demo's figures, printed (session 16, demoacct): what `budgetwise demo` seeds and what the dashboard's
"Load demo data" seeds for a registered user, on one fixed day.

For each: the accounts and their balances, net worth, confirmed transfers and the transfers offered (likely and
weaker), the income by category of the last 12 months, the all-time summary, the goals (progress of a linked
goal) and the cash-flow answers (3 months: all accounts, the spending accounts, then each account). Run it before and after a change
to the demo and compare the two outputs.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/demo_interest_check.py``. Not a test: it prints.
"""

from __future__ import annotations

import datetime as dt

from benchmarks._common import PASSWORD, scratch_database
from budgetwise.dates import add_months
from budgetwise.db import session_scope
from budgetwise.errors import BudgetwiseError
from budgetwise.services import accounts, cashflow, demo, goals, transfers
from budgetwise.services import reports as R

TODAY = dt.date(2026, 12, 5)


def show(s, uid: int, label: str) -> None:
    print(f"== {label}")
    snap = accounts.balances(s, user_id=uid, as_of=TODAY)
    for b in snap.accounts:
        print(f"   account {b.account.name} ({b.account.kind}): {b.balance_minor} minor, {b.transactions} rows")
    print(f"   net worth {snap.total_minor}")
    print(f"   confirmed transfers {len(transfers.list_transfers(s, user_id=uid, limit=10_000))}")
    for c in transfers.find_candidates(s, user_id=uid):
        print(f"   offer {c.level}: {c.out_date} {c.out_account} -> {c.in_date} {c.in_account} {c.amount_minor} "
              f"{c.out_description!r}/{c.in_description!r} points {c.points:.2f}")
    last = TODAY.replace(day=1) - dt.timedelta(days=1)
    year = R.ReportFilter(add_months(TODAY.replace(day=1), -12), last)
    income = R.by_category(s, user_id=uid, filters=year, kind="income")
    print("   income by category, 12 months:", dict(zip(income["category"], income["amount_minor"], strict=True)))
    summ = R.summary(s, user_id=uid)
    print(f"   summary all time: income {summ.income_minor}, spending {summ.expense_minor}")
    for g in goals.list_goals(s, user_id=uid, today=TODAY):
        print(f"   goal {g.name}: target {g.target_minor} by {g.target_date}, saved {g.saved_minor}, "
              f"account {g.account_name}, note {g.account_note}")
    targets = [("all accounts", None, "all"), ("spending accounts", None, "spending")] + [
        (b.account.name, b.account.id, "all") for b in snap.accounts]
    for name, aid, scope in targets:
        try:
            p = cashflow.cashflow_user(s, user_id=uid, horizon_months=3, today=TODAY, account_id=aid, scope=scope)
        except BudgetwiseError as exc:
            print(f"   cash flow {name}: {exc}")
            continue
        print(f"   cash flow {name}: start {p.start_balance_minor}, lowest {p.lowest_minor} on {p.lowest_date}, "
              f"next income {p.next_income_date}, chance below {p.chance_below:.3f}, safe/day {p.safe_per_day_minor}, "
              f"end {p.days[-1].balance_minor}, items {len(p.items)}")


def main() -> None:
    with scratch_database("demoint") as db:
        with session_scope(db.factory) as s:
            cli, count = demo.create_demo_account(s, settings=db.settings, email="cli@example.com",
                                                  password=PASSWORD, today=TODAY)
        print(f"budgetwise demo: {count} rows")
        dash = db.new_user("dash@example.com", "Dash")
        with session_scope(db.factory) as s:
            if hasattr(demo, "load_demo_data"):
                loaded = demo.load_demo_data(s, user_id=dash.user_id, today=TODAY)
                print(f"Load demo data: {loaded}")
            else:  # the dashboard's button before session 16
                print("Load demo data:", demo.seed_transactions(s, user_id=dash.user_id, rows=demo.generate(end=TODAY)))
        with session_scope(db.factory) as s:
            show(s, cli.user_id, "budgetwise demo")
            show(s, dash.user_id, "dashboard: Load demo data")


if __name__ == "__main__":
    main()
