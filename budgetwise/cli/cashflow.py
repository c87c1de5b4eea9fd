"""``budgetwise cashflow``: the projected daily balance of a user's accounts as CSV (issue #19).

    budgetwise cashflow --user EMAIL --horizon N [--account NAME | --spending-only] --output OUT.csv [--threshold AMOUNT]

The output has the columns ``date,balance,lower,upper`` (base currency, major units), one row per
day from tomorrow to N months ahead; the answers (lowest balance and its date, the chance of going
below the threshold before the next income, safe to spend per day) are printed. ``--account NAME``
projects one account (any case; an unknown name is refused with the user's account names), with its
confirmed transfers to and from the user's other accounts (recurring ones on their schedule).
Without it all accounts are projected together (net worth); ``--spending-only`` projects the
spending accounts (checking, credit card, cash) as the Cash flow page does by default, and prints
which accounts that is.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from budgetwise.cli._common import cli_session, principal_by_email
from budgetwise.errors import NotFoundError
from budgetwise.money import format_money, from_minor
from budgetwise.services import accounts, cashflow, cashflow_scope


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "cashflow", help="project a user's daily balance N months ahead and write date,balance,lower,upper",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--user", required=True, metavar="EMAIL")
    p.add_argument("--horizon", type=int, required=True, metavar="N", help="months ahead (1-12)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--account", metavar="NAME", help="project this account only (default: all accounts together)")
    which.add_argument("--spending-only", action="store_true",
                       help="project the spending accounts (checking, credit card, cash), as the Cash flow page does")
    p.add_argument("--output", required=True, metavar="OUT.csv")
    p.add_argument("--threshold", metavar="AMOUNT", help="warn below this balance (default 0)")
    p.set_defaults(handler=cmd_cashflow)


def cmd_cashflow(args: argparse.Namespace) -> int:
    with cli_session() as session:
        principal = principal_by_email(session, args.user)
        account_id = None
        if args.account is not None:
            try:
                account_id = accounts.find_account(session, user_id=principal.user_id, name=args.account).id
            except NotFoundError as exc:
                names = ", ".join(a.name for a in accounts.list_accounts(session, user_id=principal.user_id,
                                                                         include_archived=True))
                raise NotFoundError(f"{exc.message} Your accounts: {names or 'none'}.", field="account") from None
        result = cashflow.cashflow_user(session, user_id=principal.user_id, horizon_months=args.horizon,
                                        threshold=args.threshold, account_id=account_id,
                                        scope=cashflow_scope.SPENDING if args.spending_only else cashflow_scope.ALL)
    cur = result.currency
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["date", "balance", "lower", "upper"])
        for d in result.days:
            writer.writerow([d.date.isoformat(), from_minor(d.balance_minor, cur), from_minor(d.lower_minor, cur),
                             from_minor(d.upper_minor, cur)])
    if args.spending_only:
        print(result.accounts_text)
    # an old balance: no chance and no "safe to spend", as on the page (out_of_date_text ends with the stale note)
    print(result.out_of_date_text() or result.summary(lambda m: format_money(m, cur, principal.locale)))
    for note in result.notes:
        if note != result.stale_note:
            print(f"note: {note}")
    print(f"Wrote {len(result.days)} days to {out}.")
    return 0
