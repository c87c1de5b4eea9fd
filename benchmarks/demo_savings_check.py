"""The demo's Savings account changes no income or spending figure (session 15, demoacct).

Two demo users from the same seed and day in one database: one seeded as before the Savings account
(the generated history all in Checking; since session 16 seeded with ``seed_transactions`` directly, as
switching ``seed_savings`` off now also drops the savings interest, which it seeds), one as now. Prints every Dashboard / Reports / Forecast figure of both
(kpis of the last full month and of the year, all-time summary, monthly income and spending, spending by
category, the spending forecast), the differences, and the same after the offered transfer is confirmed
through the transfer service (which must make every figure identical). The cash-flow projection is shown
too: its start balance is net worth, which now includes the Savings account.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/demo_savings_check.py``. Not a test: it prints.
"""

from __future__ import annotations

import datetime as dt

from benchmarks._common import PASSWORD, register_user, scratch_database
from budgetwise.dates import add_months
from budgetwise.db import session_scope
from budgetwise.services import cashflow, demo, transfers
from budgetwise.services import reports as R
from budgetwise.services.forecast import SERIES_EXPENSES, SERIES_INCOME, forecast_user

TODAY = dt.date(2026, 12, 5)


def figures(s, uid: int) -> dict[str, object]:
    last = TODAY.replace(day=1) - dt.timedelta(days=1)
    month = R.ReportFilter(last.replace(day=1), last)
    year = R.ReportFilter(add_months(TODAY.replace(day=1), -12), last)
    out: dict[str, object] = {
        "kpis last month": R.kpis(s, user_id=uid, filters=month),
        "kpis 12 months": R.kpis(s, user_id=uid, filters=year),
        "summary all time": R.summary(s, user_id=uid),
        "bundle 12 months summary": R.report_bundle(s, user_id=uid, filters=year, today=TODAY).summary,
    }
    for kind in ("income", "expense"):
        out[f"monthly {kind}"] = R.monthly_totals(s, user_id=uid, kind=kind).to_dict("records")
        out[f"by category {kind}"] = R.by_category(s, user_id=uid, filters=year, kind=kind)[
            ["category", "amount_minor", "count"]].to_dict("records")
    for series in (SERIES_EXPENSES, SERIES_INCOME):
        fc = forecast_user(s, user_id=uid, series=series, horizon=3, freq="month", as_of=TODAY)
        out[f"forecast {series}"] = (fc.method, fc.history.to_dict("records"), fc.forecast.to_dict("records"))
    return out


def flow(s, uid: int):
    p = cashflow.cashflow_user(s, user_id=uid, horizon_months=3, today=TODAY, scope="all")  # net worth
    return p.start_balance_minor, [d.balance_minor - p.start_balance_minor for d in p.days], p.lowest_minor


def compare(a: dict, b: dict) -> list[str]:
    return [k for k in a if a[k] != b[k]]


def main() -> None:
    with scratch_database("demoacct") as db:
        old = register_user(db.factory, db.settings, "old@example.com")
        with session_scope(db.factory) as s:
            n_old = demo.seed_transactions(s, user_id=old.user_id, rows=demo.generate(end=TODAY))
            new, n_new = demo.create_demo_account(s, settings=db.settings, email="new@example.com",
                                                  password=PASSWORD, today=TODAY)
        print(f"rows: before {n_old}, now {n_new} (+{n_new - n_old} Savings credits)")
        with session_scope(db.factory) as s:
            before, after = figures(s, old.user_id), figures(s, new.user_id)
            offers = transfers.find_candidates(s, user_id=new.user_id)
            print(f"confirmed transfers: {len(transfers.list_transfers(s, user_id=new.user_id))}; offered: "
                  + "; ".join(f"{c.out_date} {c.out_account}→{c.in_account} {c.amount_minor} ({c.level})" for c in offers))
            differ = compare(before, after)
            print("figures that differ while the offer is pending:", differ or "none")
            for k in differ:
                if k.startswith("monthly") or k.startswith("by category"):
                    d = [(x, y) for x, y in zip(before[k], after[k], strict=False) if x != y]
                    print(f"   {k}: {d[:4]} (rows {len(before[k])} vs {len(after[k])})")
                else:
                    print(f"   {k}: {before[k]}\n   {' ' * len(k)}  {after[k]}")
            fb, fa = flow(s, old.user_id), flow(s, new.user_id)
            print(f"cash flow, start balance (net worth): before {fb[0]}, now {fa[0]} (diff {fa[0] - fb[0]}); "
                  f"change over 3 months: before {fb[1][-1]}, now {fa[1][-1]}; lowest {fb[2]} vs {fa[2]}")
            for c in offers:
                transfers.confirm_transfer(s, user_id=new.user_id, out_transaction_id=c.out_transaction_id,
                                           in_transaction_id=c.in_transaction_id)
        with session_scope(db.factory) as s:
            confirmed = figures(s, new.user_id)
            print("figures that differ after the offer is confirmed:", compare(before, confirmed) or "none",
                  f"({len(before)} figure groups compared)")
            fc = flow(s, new.user_id)
            print(f"cash flow after the confirmation: start {fc[0]} (diff {fc[0] - fb[0]}); change over 3 months "
                  f"{fc[1][-1]} (before {fb[1][-1]}); daily changes identical to before: {fc[1] == fb[1]}")
            print("spending forecast:", before[f"forecast {SERIES_EXPENSES}"][2])


if __name__ == "__main__":
    main()
