"""Administration commands: ``budgetwise users ...``, ``budgetwise create-admin EMAIL`` and
``budgetwise reset-password EMAIL``.

Whoever can run these already holds the database, so the command line acts as an
administrator of its own (:func:`budgetwise.services.admin.cli_principal`); every
change is recorded in the audit log with the actor ``cli@localhost``.
"""

from __future__ import annotations

import argparse
import sys

from budgetwise.cli._common import cli_session, load_settings, read_password
from budgetwise.errors import ValidationError
from budgetwise.models import ROLE_ADMIN, ROLE_USER
from budgetwise.services import admin
from budgetwise.text import plural

CLI = admin.cli_principal()


def register(subparsers: argparse._SubParsersAction) -> None:
    users = subparsers.add_parser("users", help="manage user accounts")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION")
    users_sub.required = True

    lst = users_sub.add_parser("list", help="list users (name, email, role, active, created, last login, transactions)")
    lst.add_argument("--search", default="", help="only users whose name or email contains this text")
    lst.add_argument("--role", choices=[ROLE_USER, ROLE_ADMIN], help="only users with this role")
    lst.set_defaults(handler=cmd_users_list)

    create = users_sub.add_parser("create", help="create a user (password from stdin when not a terminal)")
    create.add_argument("email")
    create.add_argument("--name", required=True)
    create.add_argument("--admin", action="store_true", help="make the user an administrator")
    create.set_defaults(handler=cmd_users_create)

    for action, text in (
        ("disable", "disable an account and end its open sessions"),
        ("enable", "enable a disabled account"),
        ("promote", "make a user an administrator"),
        ("demote", "make an administrator a regular user (never the last active one)"),
        ("unlock", "lift a lockout after too many failed sign-ins"),
        ("reset-2fa", "turn off two-step sign-in for a user who lost the device and the recovery codes"),
    ):
        p = users_sub.add_parser(action, help=text)
        p.add_argument("email")
        p.set_defaults(handler=cmd_users_action, action=action)

    delete = users_sub.add_parser("delete", help="delete a user and all their data (asks you to type the email)")
    delete.add_argument("email")
    delete.add_argument("--yes", action="store_true", help="do not ask for the email again (scripts)")
    delete.set_defaults(handler=cmd_users_delete)

    # the name DESIGN.md gives the first administrator's command; the same as `users create EMAIL --admin`
    admin_cmd = subparsers.add_parser(
        "create-admin", help="create an administrator (the same as 'users create EMAIL --name N --admin')"
    )
    admin_cmd.add_argument("email")
    admin_cmd.add_argument("--name", required=True)
    admin_cmd.set_defaults(handler=cmd_users_create, admin=True)

    reset = subparsers.add_parser(
        "reset-password", help="print a one-time, expiring code with which the user sets a new password"
    )
    reset.add_argument("email")
    reset.set_defaults(handler=cmd_reset_password)


def _fmt_time(value) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")


def cmd_users_list(args: argparse.Namespace) -> int:
    header = ("ID", "EMAIL", "NAME", "ROLE", "ACTIVE", "CREATED", "LAST LOGIN", "TRANSACTIONS")
    lines: list[tuple[str, ...]] = []
    with cli_session(load_settings()) as session:
        page_no, pages = 1, 1
        while page_no <= pages:
            page = admin.list_users(
                session, principal=CLI, search=args.search, role=args.role, page=page_no, page_size=admin.MAX_PAGE_SIZE,
                include_visitors=True,  # the command line lists every account, as before
            )
            pages = page.pages
            page_no += 1
            for r in page.rows:
                active = ("yes" if r.is_active else "no") + (" (locked)" if r.is_locked else "")
                lines.append((str(r.id), r.email, r.name, r.role, active, _fmt_time(r.created_at),
                              _fmt_time(r.last_login_at), str(r.transaction_count)))
    if not lines:
        print("No users match." if args.search or args.role else "No users yet: create one with 'budgetwise users create'.")
        return 0
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    for row in [header, *lines]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def cmd_users_create(args: argparse.Namespace) -> int:
    settings = load_settings()
    password = read_password()
    with cli_session(settings) as session:
        row, _ = admin.create_user(
            session, principal=CLI, email=args.email, name=args.name, settings=settings,
            role=ROLE_ADMIN if args.admin else ROLE_USER, password=password,
        )
    print(f"Created {row.role} {row.email} (id {row.id}).")
    return 0


_DONE = {
    "disable": "Disabled {email}: it cannot sign in, and its open sessions end at their next action.",
    "enable": "Enabled {email}.",
    "promote": "{email} is now an administrator.",
    "demote": "{email} is now a regular user.",
    "unlock": "Unlocked {email}.",
    "reset-2fa": "Two-step sign-in is off for {email}: they sign in with the password and can set it up again "
                 "on their profile.",
}


def cmd_users_action(args: argparse.Namespace) -> int:
    functions = {
        "disable": admin.disable_user,
        "enable": admin.enable_user,
        "promote": admin.promote_user,
        "demote": admin.demote_user,
        "unlock": admin.unlock_user,
        "reset-2fa": admin.reset_two_factor,
    }
    with cli_session(load_settings()) as session:
        user = admin.find_user(session, principal=CLI, email=args.email)
        row = functions[args.action](session, principal=CLI, user_id=user.id)
    print(_DONE[args.action].format(email=row.email))
    return 0


def _read_confirmation(email: str) -> str:
    prompt = f"This deletes {email} and all their data. Type the email address to confirm: "
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise ValidationError("No confirmation on standard input: pass --yes or type the email address.")
        return line.strip()
    return input(prompt)


def cmd_users_delete(args: argparse.Namespace) -> int:
    with cli_session(load_settings()) as session:
        user = admin.find_user(session, principal=CLI, email=args.email)
        preview = admin.deletion_preview(session, principal=CLI, user_id=user.id)
        confirm = user.email if args.yes else None
    if confirm is None:
        print(f"{preview.email} has {plural(preview.transactions, 'transaction')} and {plural(preview.imports, 'import')}.",
              file=sys.stderr)
        confirm = _read_confirmation(preview.email)
    with cli_session(load_settings(), migrate=False) as session:
        summary = admin.delete_user(session, principal=CLI, user_id=preview.user_id, confirm_email=confirm)
    print(f"Deleted {summary.email} with {plural(summary.transactions, 'transaction')} and "
          f"{plural(summary.imports, 'import')}.")
    return 0


def cmd_reset_password(args: argparse.Namespace) -> int:
    settings = load_settings()
    with cli_session(settings) as session:
        user = admin.find_user(session, principal=CLI, email=args.email)
        code = admin.issue_reset_code(session, principal=CLI, user_id=user.id, settings=settings)
    print(f"One-time reset code for {code.email} (valid until {code.expires_at:%Y-%m-%d %H:%M} UTC):")
    print(code.code)
    if code.link:
        print(f"Link: {code.link}")
    print("The user enters it on the sign-in page under \"Have a reset code?\". Any earlier code no longer works.")
    return 0
