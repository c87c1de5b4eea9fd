"""Core commands: init, demo. (The ``users`` commands live in cli/admin.py.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetwise.cli._common import cli_session, load_settings, read_password
from budgetwise.db import database_revision, make_engine, upgrade_database
from budgetwise.services import auth, demo


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("init", help="create the database or upgrade it to the latest schema")
    p.set_defaults(handler=cmd_init)

    d = subparsers.add_parser("demo", help="create a demo account with about two years of generated transactions")
    d.add_argument("--email", default=demo.DEMO_EMAIL)
    d.add_argument("--name", default=demo.DEMO_NAME)
    d.add_argument("--months", type=int, default=24)
    d.add_argument("--seed", type=int, default=42)
    d.add_argument("--reset", action="store_true", help="delete an existing account with that email first")
    d.add_argument("--password-stdin", action="store_true", help="read the demo account's password from stdin")
    d.add_argument("--csv", metavar="FILE", help="only write the generated transactions (both accounts, column account) to a CSV file")
    d.set_defaults(handler=cmd_demo)


def cmd_init(args: argparse.Namespace) -> int:
    settings = load_settings()
    upgrade_database(settings.database_url, data_dir=settings.data_dir)
    engine = make_engine(settings.database_url, lock_timeout_seconds=settings.lock_timeout_seconds)
    try:
        revision = database_revision(engine)
    finally:
        engine.dispose()
    print(f"Database ready at {engine.url.render_as_string(hide_password=True)} (schema revision {revision}).")
    print(f"Data directory: {settings.data_dir}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if not 1 <= args.months <= 120:
        print("error: --months must be between 1 and 120", file=sys.stderr)
        return 2
    if args.csv:
        frame = demo.to_frame(demo.demo_rows(months=args.months, seed=args.seed))
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.csv, index=False)
        names = " and ".join(dict.fromkeys(frame["account"]))
        print(f"Wrote {len(frame)} generated transactions ({names}) to {args.csv}. A CSV carries no opening "
              f"balance ({demo.SAVINGS} starts at {demo.SAVINGS_OPENING:,} in `budgetwise demo`) and no confirmed "
              "transfer pair: imported, both sides of each transfer are in Transfers (neither income nor spending) and "
              "each pair is offered to confirm under Accounts → Transfers between your accounts.")
        return 0
    settings = load_settings()
    password = read_password(confirm=False) if args.password_stdin else None
    with cli_session(settings) as session:
        if args.reset:
            existing = auth.get_user_by_email(session, args.email)
            if existing is not None:
                from budgetwise.services.profile import delete_user_data

                delete_user_data(session, existing.id)
        principal, count = demo.create_demo_account(
            session, settings=settings, email=args.email, name=args.name, password=password,
            months=args.months, seed=args.seed,
        )
    print(f"Created demo account {principal.email} with {count} transactions over {args.months} months.")
    if password is None:
        # (demo mode's "Explore the demo account" no longer signs in here: each visitor gets their own account)
        print("Its password is random: run again with --reset --password-stdin to choose one.")
    return 0
