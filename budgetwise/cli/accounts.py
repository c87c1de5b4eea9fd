"""``budgetwise accounts``: a user's accounts and their balances (issue #19).

    budgetwise accounts list    --user EMAIL [--archived] [--as-of YYYY-MM-DD]
    budgetwise accounts add     --user EMAIL --name NAME [--kind KIND] [--currency CUR]
                                [--opening-balance AMOUNT] [--opening-date YYYY-MM-DD]
    budgetwise accounts rename  --user EMAIL --name NAME --to NEW
    budgetwise accounts archive --user EMAIL --name NAME [--restore]
    budgetwise accounts default --user EMAIL --name NAME

``list`` prints CSV: name, kind, currency, balance (account currency), balance in the base
currency (empty without a rate), archived; a last line ``TOTAL`` holds the net worth, and every
missing exchange rate is named on standard error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys

from budgetwise.cli._common import cli_session, principal_by_email
from budgetwise.errors import ValidationError
from budgetwise.models import ACCOUNT_KINDS
from budgetwise.money import from_minor
from budgetwise.names import quoted
from budgetwise.services import accounts


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "accounts", help="list, add, rename or archive a user's accounts, or choose the default one (balances and net worth)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="accounts_command", metavar="ACTION")
    sub.required = True

    lst = sub.add_parser("list", help="print the accounts with their balances as CSV, then the total (net worth)")
    lst.add_argument("--user", required=True, metavar="EMAIL")
    lst.add_argument("--archived", action="store_true", help="include archived accounts")
    lst.add_argument("--as-of", metavar="YYYY-MM-DD", help="balances at the end of this day (default today)")
    lst.set_defaults(handler=cmd_list)

    add = sub.add_parser("add", help="add an account")
    add.add_argument("--user", required=True, metavar="EMAIL")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", default="checking", choices=ACCOUNT_KINDS)
    add.add_argument("--currency", metavar="CUR", help="ISO code (default: the user's currency)")
    add.add_argument("--opening-balance", metavar="AMOUNT", help="balance at the opening date (negative for a debt)")
    add.add_argument("--opening-date", metavar="YYYY-MM-DD", help="the day the opening balance holds at its start")
    add.set_defaults(handler=cmd_add)

    ren = sub.add_parser("rename", help="rename an account")
    ren.add_argument("--user", required=True, metavar="EMAIL")
    ren.add_argument("--name", required=True)
    ren.add_argument("--to", required=True, metavar="NEW")
    ren.set_defaults(handler=cmd_rename)

    arc = sub.add_parser("archive", help="archive an account (or --restore it)")
    arc.add_argument("--user", required=True, metavar="EMAIL")
    arc.add_argument("--name", required=True)
    arc.add_argument("--restore", action="store_true")
    arc.set_defaults(handler=cmd_archive)

    dfl = sub.add_parser("default", help="make an open account the default (where rows and files without an account go)")
    dfl.add_argument("--user", required=True, metavar="EMAIL")
    dfl.add_argument("--name", required=True)
    dfl.set_defaults(handler=cmd_default)


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"--as-of {quoted(text)} is not a date (use YYYY-MM-DD).", field="as_of") from None


def cmd_list(args: argparse.Namespace) -> int:
    from budgetwise.services.exports import neutralize

    with cli_session() as session:
        principal = principal_by_email(session, args.user)
        result = accounts.balances(session, user_id=principal.user_id, as_of=_day(args.as_of),
                                   include_archived=args.archived)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["name", "kind", "currency", "balance", f"balance_{result.base_currency}", "archived"])
    for item in result.accounts:
        a = item.account
        writer.writerow([
            # a name from a bank file's account column: no formula in a spreadsheet (session 19 audit)
            neutralize(a.name), a.kind, a.currency, from_minor(item.balance_minor, a.currency),
            "" if item.base_minor is None else from_minor(item.base_minor, result.base_currency),
            "yes" if a.is_archived else "no",
        ])
    writer.writerow(["TOTAL", "", result.base_currency, "", from_minor(result.total_minor, result.base_currency), ""])
    sys.stdout.flush()  # the table first, then the warnings (stderr), also when both go to one pipe
    for missing in result.missing_rates:
        print(f"warning: {missing.describe()}", file=sys.stderr)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    with cli_session() as session:
        principal = principal_by_email(session, args.user)
        view = accounts.create_account(
            session, user_id=principal.user_id, name=args.name, kind=args.kind, currency=args.currency,
            opening_balance=args.opening_balance, opening_date=args.opening_date,
        )
    print(f"Added the {view.kind_label.lower()} account {quoted(view.name)} ({view.currency}).")
    return 0


def cmd_rename(args: argparse.Namespace) -> int:
    with cli_session() as session:
        principal = principal_by_email(session, args.user)
        # found under the lock that the edit takes (session 27): a rename meanwhile is seen, not the row read before
        found = accounts.locked_account(session, user_id=principal.user_id, name=args.name)
        view = accounts.rename_account(session, user_id=principal.user_id, account_id=found.id, name=args.to)
    print(f"Renamed {quoted(found.name)} to {quoted(view.name)}.")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    with cli_session() as session:
        principal = principal_by_email(session, args.user)
        found = accounts.locked_account(session, user_id=principal.user_id, name=args.name)  # as rename
        view = accounts.archive_account(session, user_id=principal.user_id, account_id=found.id,
                                        archived=not args.restore)
        from budgetwise.services import cashflow

        note = cashflow.archived_items_note(session, user_id=principal.user_id, account_id=found.id,
                                            archived=not args.restore)
    print(f"{'Restored' if args.restore else 'Archived'} the account {quoted(view.name)}.")
    if note:
        print(note)
    return 0


def cmd_default(args: argparse.Namespace) -> int:
    """The Accounts page's "Make … the default account" (``default_account.set_default_account``, session 25)."""
    from budgetwise.services.default_account import set_default_account

    with cli_session() as session:
        principal = principal_by_email(session, args.user)
        found = accounts.locked_account(session, user_id=principal.user_id, name=args.name)  # as rename
        view = set_default_account(session, user_id=principal.user_id, account_id=found.id)
    print(f"{quoted(view.name)} is now your default account: transactions and files without an account go to it.")
    return 0
