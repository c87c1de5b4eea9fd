"""Exchange rates: ``budgetwise rates import FILE``, ``rates fetch``, ``rates list``, ``rates missing``.

``import`` reads a CSV with the columns date, base, quote, rate (1 base = rate
quote on date; any order, comma/semicolon/tab separated). Every line is checked
and nothing is stored unless all are valid; each problem is printed with its
line number. Without ``--user`` the rates are stored *shared* (used by every
user's conversions: the command line acts as an administrator, like the other
administration commands); with ``--user EMAIL`` they become that user's own
rates, which change nobody else's figures. Rates already stored with another
value (for the same owner) are kept unless ``--replace`` is given. Changes are
audited as ``cli@localhost``.

``fetch`` downloads the European Central Bank's reference rates (the last 90
days, or the whole history since 1999 with ``--period history``) with a timeout;
without network it fails with a plain message instead of hanging.

``list`` prints stored rates as CSV in the import format (plus the source), so
the output of one instance can be imported into another: the shared rates, or
with ``--user EMAIL`` the rates that user's figures use (shared + own), with a
last column ``whose``: ``own`` (the user's own rates) or ``shared`` (the ECB's and
any stored for every user). The import ignores both extra columns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from budgetwise.cli._common import cli_session, load_settings, principal_by_email
from budgetwise.errors import ValidationError
from budgetwise.names import quoted
from budgetwise.services import exports, rates
from budgetwise.services.admin import cli_principal


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "rates", help="exchange rates: import a CSV, fetch the ECB reference rates, list, show missing",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="rates_command", metavar="ACTION")
    sub.required = True

    imp = sub.add_parser("import", help="import a rates CSV (columns date, base, quote, rate); all lines or none")
    imp.add_argument("file", metavar="FILE", help="the CSV file ('-' for standard input)")
    imp.add_argument("--replace", action="store_true", help="replace stored rates that have another value")
    imp.add_argument("--confirm", action="store_true",
                     help=f"import rates more than {rates.IMPLAUSIBLE_FACTOR} times off the known rate of their pair "
                          "(refused otherwise, each line named)")
    imp.add_argument("--user", metavar="EMAIL",
                     help="store the rates as this user's own (they change only this user's figures); "
                          "default: shared by every user")
    imp.set_defaults(handler=cmd_import)

    fetch = sub.add_parser("fetch", help="download the European Central Bank reference rates")
    fetch.add_argument("--period", choices=["90d", "history"], default=None,
                       help="the last 90 days or the whole history since 1999 (default: history the first time, then 90d)")
    fetch.add_argument("--url", help="another address serving the ECB files (a mirror)")
    fetch.add_argument("--timeout", type=float, default=rates.FETCH_TIMEOUT, metavar="SECONDS",
                       help=f"for connecting and each read (default {rates.FETCH_TIMEOUT:g})")
    fetch.set_defaults(handler=cmd_fetch)

    lst = sub.add_parser("list", help="print stored rates as CSV (date, base, quote, rate, source), newest first")
    lst.add_argument("--base", metavar="B", help="only rates of this base currency")
    lst.add_argument("--quote", metavar="Q", help="only rates into this currency")
    lst.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first date")
    lst.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last date")
    lst.add_argument("--source", choices=rates.SOURCES, help="only rates from this source")
    lst.add_argument("--limit", type=int, default=100_000, metavar="N", help="at most N rates (default 100000)")
    lst.add_argument("--user", metavar="EMAIL", help="the rates this user's figures use (shared + own, marked in "
                                                      "the column 'whose'); default: shared")
    lst.set_defaults(handler=cmd_list)

    missing = sub.add_parser("missing", help="which of a user's transactions have no rate to their base currency")
    missing.add_argument("--user", required=True, metavar="EMAIL")
    missing.set_defaults(handler=cmd_missing)


def _day(text: str | None, field: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{quoted(text)} is not a date (expected YYYY-MM-DD).", field=field) from None


def _summary(change: rates.RatesChange, what: str) -> str:
    span = f" ({change.first_date} to {change.last_date})" if change.first_date else ""
    return (
        f"{what}: {change.added} added, {change.replaced} replaced, {change.unchanged} already stored{span}"
        + (f", {change.skipped} skipped" if change.skipped else "")
        + "."
    )


def cmd_import(args: argparse.Namespace) -> int:
    data = sys.stdin.buffer.read() if args.file == "-" else _read(args.file)
    try:
        with cli_session(load_settings()) as session:
            owner = principal_by_email(session, args.user).user_id if getattr(args, "user", None) else None
            change = rates.import_rates_csv(
                session, principal=cli_principal(), data=data, replace=args.replace, user_id=owner,
                confirm=args.confirm,
            )
    except rates.RatesFileError as exc:
        if not exc.problems:
            raise
        why = ("look wrong (run again with --confirm if they are right)" if isinstance(exc, rates.ImplausibleRates)
               else "cannot be used")
        print(f"error: {args.file}: nothing was imported; {len(exc.problems)} line(s) {why}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    print(_summary(change, args.file))
    return 0


def _read(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise ValidationError(f"{name}: no such file.", field="file")
    if path.stat().st_size > rates.MAX_CSV_BYTES:
        raise ValidationError(f"{name} is larger than {rates.MAX_CSV_BYTES // (1024 * 1024)} MB.", field="file")
    return path.read_bytes()


def cmd_fetch(args: argparse.Namespace) -> int:
    with cli_session(load_settings()) as session:
        period = args.period or rates.ecb_period_needed(session, user_id=None)
        print(f"Fetching the ECB reference rates ({'last 90 days' if period == '90d' else 'history since 1999'})…",
              file=sys.stderr)
        change = rates.fetch_ecb(session, principal=cli_principal(), period=period, url=args.url, timeout=args.timeout)
    print(_summary(change, "ECB reference rates"))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with cli_session(load_settings()) as session:
        owner = principal_by_email(session, args.user).user_id if getattr(args, "user", None) else None
        rows, total = rates.list_rates(
            session, base=args.base, quote=args.quote, date_from=_day(args.date_from, "from"),
            date_to=_day(args.date_to, "to"), source=args.source, limit=max(1, args.limit), user_id=owner,
        )
    mark = owner is not None  # whose each rate is: the user's own or shared (session 13)
    frame = pd.DataFrame(rates.rates_frame_rows(rows, whose=mark), columns=rates.rates_columns(whose=mark))
    sys.stdout.write(exports.to_csv_bytes(frame).decode("utf-8"))
    if total > len(rows):
        print(f"(the newest {len(rows)} of {total} rates; use --limit for more)", file=sys.stderr)
    return 0


def cmd_missing(args: argparse.Namespace) -> int:
    with cli_session(load_settings()) as session:
        principal = principal_by_email(session, args.user)
        missing = rates.missing_rates(session, user_id=principal.user_id)
    if not missing:
        print(f"Every transaction of {principal.email} can be converted to {principal.currency}.")
        return 0
    for item in missing:
        print(item.describe(principal.locale))
    return 1
