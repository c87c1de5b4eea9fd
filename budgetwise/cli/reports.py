"""``budgetwise report --user EMAIL --period 2025-01..2025-06 --format csv|json``.

Prints the same summaries as the Reports page for a period: summary, income
and expenses by month, spending by category, average monthly spending, top
merchants, month-over-month / year-over-year changes (for the last month of
the period), recurring payments, unusual transactions, spending spikes and
likely duplicates. Amounts are exact decimals in the user's currency
(transfers excluded; amounts in other currencies converted at each day's exchange
rate; what has no rate is left out and listed under ``missing_rates`` in JSON and
on standard error).

``--period`` takes months (``2025-01..2025-06``), one month (``2025-03``), a year
(``2025``) or days (``2025-01-15..2025-02-10``).

CSV output is one table per section, each preceded by a ``# section`` line and
separated by a blank line; with ``--section NAME`` only that table, as plain
CSV. Text cells are neutralized against spreadsheet formula injection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import sys
from decimal import Decimal

import pandas as pd

from budgetwise.cli._common import cli_session, load_settings, principal_by_email
from budgetwise.errors import ValidationError
from budgetwise.money import from_minor
from budgetwise.names import quoted
from budgetwise.services import categories as categories_service
from budgetwise.services import exports
from budgetwise.services import reports as R


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report",
        help="print a user's report summaries for a period as CSV or JSON",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--user", required=True, metavar="EMAIL", help="whose report")
    p.add_argument("--period", required=True, metavar="FROM..TO", help="e.g. 2025-01..2025-06, 2025-03, 2025")
    p.add_argument("--format", choices=["csv", "json"], default="csv", help="output format (default csv)")
    p.add_argument("--section", choices=R.REPORT_SECTIONS, help="print only this table")
    p.add_argument("--category", action="append", default=[], metavar="NAME", help="only these categories (repeatable)")
    p.add_argument("--type", choices=["income", "expense"], help="only income or only expenses")
    p.add_argument("--text", default="", help="only transactions whose description, merchant or notes contain this")
    p.set_defaults(handler=cmd_report)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 2)
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    if value is None or value is pd.NA:
        return None
    return value


def _records(df) -> list[dict]:
    return [{k: _json_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def cmd_report(args: argparse.Namespace) -> int:
    date_from, date_to = R.parse_period(args.period)
    settings = load_settings()
    with cli_session(settings) as session:
        principal = principal_by_email(session, args.user)
        ids: list[int] = []
        for name in args.category:
            cat = categories_service.find_category_by_name(session, user_id=principal.user_id, name=name)
            if cat is None:
                raise ValidationError(f"{principal.email} has no category named {quoted(name)}.", field="category")
            ids.append(cat.id)
        flt = R.ReportFilter(date_from=date_from, date_to=date_to, category_ids=tuple(ids), kind=args.type, text=args.text)
        today = min(dt.date.today(), date_to)
        bundle = R.report_bundle(session, user_id=principal.user_id, filters=flt, today=today)
    for missing in bundle.missing_rates:
        print(f"warning: {missing.describe()}", file=sys.stderr)
    sections = [args.section] if args.section else list(R.REPORT_SECTIONS)
    tables = {name: R.for_export(bundle.tables[name], bundle.currency) for name in sections}
    out = sys.stdout
    if args.format == "json":
        s = bundle.summary
        payload = {
            "user": principal.email,
            "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
            "currency": bundle.currency,
            "other_currencies": list(s.other_currencies),
            "missing_rates": [
                {
                    "currency": m.currency, "to": m.target, "dates": [d.isoformat() for d in m.dates],
                    "transactions": m.count, "amount": format(from_minor(m.amount_minor, m.currency), "f"),
                }
                for m in s.missing_rates
            ],
            "totals": {
                "income": format(from_minor(s.income_minor, bundle.currency), "f"),
                "expenses": format(from_minor(s.expense_minor, bundle.currency), "f"),
                "net_savings": format(from_minor(s.net_minor, bundle.currency), "f"),
                "savings_rate": None if s.savings_rate is None else round(s.savings_rate, 2),
                "transactions": s.count,
            },
        }
        payload.update({name: _records(df) for name, df in tables.items()})
        return _write(out, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    buffer = io.StringIO()
    for i, (name, df) in enumerate(tables.items()):
        if not args.section:
            if i:
                buffer.write("\n")
            buffer.write(f"# {name}\n")
        buffer.write(exports.to_csv_bytes(df).decode("utf-8"))
    return _write(out, buffer.getvalue())


def _write(out, text: str) -> int:
    out.write(text)
    out.flush()  # piped into `head`: the closed pipe ends quietly in cli.main (the one place)
    return 0
