"""``budgetwise import FILE --user EMAIL`` and ``budgetwise export --user EMAIL --output FILE.csv``.

Exit status of ``import``: 0 when the file was processed (even if some rows were
rejected: they are listed), 2 with a message when it cannot be read at all.

``--mapping`` names columns for files whose layout is not recognised (or that have
no header): ``ROLE=COLUMN`` pairs separated by commas, where COLUMN is a header
name or a 0-based column number; ``+`` joins several description columns::

    --mapping date=0,amount=3,description=2
    --mapping "date=Buchungstag,amount=Betrag,description=Auftraggeber+Verwendungszweck"
    --mapping '{"date": "Date", "debit": "Paid out", "credit": "Paid in"}'   # JSON form

Roles: date, amount, debit, credit, direction, description, currency, category,
subcategory, account. Roles you do not name keep what was detected.

``--account NAME`` puts the rows in that account of the user (any case; it must exist and be
open, as on the Import page: add one with ``budgetwise accounts add``). Without it an OFX
statement's rows go to the account of its bank account id (created the first time it is
seen), a CSV layout's to the account saved with its mapping; a file with an account column
(mapped to the role ``account``) puts each row into the account it names (any case; created
the first time, in the import's transaction); anything else goes to an account in their currency:
the first account when it is in that currency, else the user's first account in it (not one whose
rows name another IBAN), else a new
one named for it ("Euro account (EUR)"), as on the Import page (the ``Note:`` line says why).
The ``Currency:`` line says where the rows' currency comes from when the file decides it (a
currency column, an OFX statement's currency, a code in an amount header; ``currency`` in ``--json``)
or when it is the account's: a file without a currency imported into an account (``--account``, the
one saved with the mapping, an OFX statement's known account) is in that account's currency, so
"GBP card" gets GBP rows and ``--set-opening-balance`` can use the statement's balance.
An import mostly in another currency than the user's, with no rate for most of those rows, adds a
``Currency:`` line saying so and the fix: make that currency yours (Profile → Preferences) when nothing
else would then need a rate, else add rates with ``budgetwise rates`` (``currency_advice`` in ``--json``); ``--dry-run`` gives the
same advice from the rows it would import.
The output lists the accounts with their row counts (``accounts`` in ``--json``; ``account``
keeps the one with the most rows), and the type each new account gets, guessed from its name as on
the Import page ("New accounts: Visa (credit card account)"; ``new_accounts`` in ``--json``: name and
kind); choose another with ``--account-kind NAME=KIND`` (repeatable), or later on the Accounts page. ``--save-mapping`` remembers the chosen account with the layout.

A file that states a balance (OFX ``LEDGERBAL``, a running balance column) is reconciled: the
account's computed balance at the statement's date is compared with it and any difference is
printed (``reconciliation`` in ``--json``). ``--set-opening-balance`` then sets the account's
opening balance so that the account matches the statement (recorded in the audit log).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import replace
from pathlib import Path

from budgetwise.cli._common import cli_session, load_settings, principal_by_email
from budgetwise.errors import BudgetwiseError, ConflictError, ImportFileError, NotFoundError, ValidationError
from budgetwise.gc_pause import gc_paused
from budgetwise.importing import (
    DATE_ORDERS,
    SIGN_CONVENTIONS,
    ImportOptions,
    merge_mapping,
    parse_mapping_spec,
)
from budgetwise.kinds import ACCOUNT_KINDS
from budgetwise.names import quoted
from budgetwise.text import plural, plural_word

EXPORT_COLUMNS = ["date", "description", "amount", "type", "category", "currency"]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import",
        help="import a bank file (CSV/TSV, XLSX, OFX/QFX) into a user's transactions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", help="the bank export to import")
    p.add_argument("--user", required=True, metavar="EMAIL", help="the account to import into")
    p.add_argument("--dry-run", action="store_true", help="parse and check everything, write nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON (counts, rejections, mapping)")
    p.add_argument("--mapping", metavar="SPEC", help="columns by name or 0-based number, e.g. date=0,amount=3,description=2")
    p.add_argument("--date-order", choices=DATE_ORDERS, help="dmy = day first (31/12/2024), mdy = month first (12/31/2024)")
    p.add_argument("--decimal", choices=[".", ","], help="decimal separator of the amounts")
    p.add_argument("--sign", choices=SIGN_CONVENTIONS, default="auto",
                   help="how to read the sign of a single amount column (default: detect)")
    p.add_argument("--sheet", metavar="NAME", help="the worksheet of an .xlsx file (default: the first)")
    p.add_argument("--header-row", type=int, metavar="N", help="row number of the header (0 = the file has no header)")
    p.add_argument("--delimiter", metavar="CHAR", help="field delimiter (default: detect; use '\\t' for tab)")
    p.add_argument("--encoding", metavar="NAME", help="text encoding (default: detect)")
    p.add_argument("--currency", metavar="CODE",
                   help="currency of rows without one (default: a code in an amount header, else the currency of "
                        "the account chosen with --account or saved with the mapping, else the user's currency)")
    p.add_argument("--account", metavar="NAME",
                   help="the account the rows belong to (default: an OFX file's own account, the saved mapping's, "
                        "the file's account column, else an account in their currency, created when you have none)")
    p.add_argument("--account-kind", action="append", default=[], metavar="NAME=KIND",
                   help="the type of a new account the file's account column names, instead of the guess from its "
                        f"name (repeat for each; KIND: {', '.join(ACCOUNT_KINDS)}), e.g. --account-kind 'Degiro=investment'")
    p.add_argument("--max-size-mb", type=int, metavar="N",
                   help="refuse files larger than N MB (default: BUDGETWISE_MAX_UPLOAD_MB, 20 unless configured)")
    p.add_argument("--set-opening-balance", action="store_true",
                   help="after importing, set the account's opening balance so it matches the statement's balance")
    p.add_argument("--include-duplicates", action="store_true", help="also import rows already in the user's data")
    p.add_argument("--save-mapping", metavar="NAME", help="remember this column mapping for files with the same layout")
    p.add_argument(
        "--learn-categories", dest="learn_categories", action=argparse.BooleanOptionalAction, default=None,
        help="learn from the file's own category column (its categories count as set by hand and teach the "
             "categorizer); default: on for budgeting-app exports (Mint, YNAB, Outbank), off for bank files",
    )
    p.set_defaults(handler=cmd_import)

    e = subparsers.add_parser("export", help="write a user's transactions to a CSV file")
    e.add_argument("--user", required=True, metavar="EMAIL")
    e.add_argument("--output", required=True, metavar="FILE.csv", help="where to write the CSV ('-' for standard output)")
    e.set_defaults(handler=cmd_export)


def _rejection_dict(r) -> dict:
    return {"row": r.row, "field": r.field, "reason": r.reason, "value": r.value}


def _options(args: argparse.Namespace) -> ImportOptions:
    delimiter = args.delimiter
    if delimiter in ("\\t", "tab", "TAB"):
        delimiter = "\t"
    return ImportOptions(
        date_order=args.date_order, decimal=args.decimal, sign=args.sign, sheet=args.sheet,
        header_row=args.header_row, delimiter=delimiter, encoding=args.encoding,
        currency=args.currency, include_duplicates=args.include_duplicates,
        learn_from_labels=getattr(args, "learn_categories", None),
    )


def _fail(args: argparse.Namespace, message: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    else:
        print(f"error: {message}", file=sys.stderr)
    return 2


@gc_paused()  # one pause from the preview's parse to the commit (the parsed rows live in between)
def cmd_import(args: argparse.Namespace) -> int:
    from budgetwise.services import importing as svc
    from budgetwise.services.importing import ask, new_account_kinds

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(args, f"cannot read {args.file}: {exc.strerror or exc}")
    settings = load_settings()
    if args.max_size_mb is not None and args.max_size_mb < 1:
        return _fail(args, f"--max-size-mb must be at least 1, not {args.max_size_mb}.")
    max_bytes = args.max_size_mb * 1024 * 1024 if args.max_size_mb is not None else settings.max_upload_bytes
    try:
        options = _options(args)
        # Read, check and categorize in a read-only session (on SQLite no write lock is held while the
        # file is parsed and categorized); then a short write transaction stores what was prepared.
        with cli_session(settings, readonly=True) as session:
            principal = principal_by_email(session, args.user)
            uid = principal.user_id
            if args.account is not None:
                options = replace(options, account_id=_account_id(session, uid, args.account))
            # The preview's sample rows are not printed, and without --dry-run the preparation counts the
            # duplicates (and the commit checks them again under the lock): the preview does not.
            quick = {"preview_rows": 0, "check_duplicates": bool(args.dry_run)}
            preview = svc.preview_import(
                session, user_id=uid, data=data, filename=path.name, options=options,
                max_bytes=max_bytes, **quick,
            )
            if args.mapping:
                given = parse_mapping_spec(args.mapping)
                mapping = merge_mapping(preview.mapping, given, preview.columns)
                options = replace(options, mapping=mapping)
                preview = svc.preview_import(
                    session, user_id=uid, data=data, filename=path.name, options=options,
                    max_bytes=max_bytes, **quick,
                )
            _require_mapping(preview)
            # a file naming neither its account nor its currency, for a user with accounts in several (session 27)
            ask.refuse(preview.account_question)
            if args.set_opening_balance and not args.dry_run and options.account_id is None:
                _refuse_unshared(session, uid, data, path.name, options, max_bytes)
            kinds = _kind_choices(args.account_kind, preview)
            prepared = None if args.dry_run else svc.prepare_import(
                session, user_id=uid, data=data, filename=path.name, options=options, max_bytes=max_bytes,
                preview=preview,  # the file is parsed once
            )
            if kinds:  # the output lists the new accounts with the types they are created with
                preview = replace(preview, accounts=new_account_kinds.with_kinds(preview.accounts, kinds))
        with cli_session(settings, migrate=False, readonly=bool(args.dry_run)) as session:
            result = None
            if not args.dry_run:
                if args.account is not None:
                    _same_account(session, uid, args.account, options.account_id)
                # no ``preview``: ``prepared`` carries the parse, and this quick preview counted no duplicates, so
                # passing it made a plain second run read as "stored meanwhile by another tab or window"
                result = svc.commit_import(
                    session, user_id=uid, data=data, filename=path.name, options=options,
                    max_bytes=max_bytes, prepared=prepared, account_kinds=kinds,
                )
                if args.save_mapping and preview.header_signature:
                    svc.save_mapping(
                        session, user_id=uid, name=args.save_mapping, header_signature=preview.header_signature,
                        columns=preview.columns, mapping=preview.mapping, date_order=preview.date_order,
                        decimal=preview.decimal, sign=preview.sign, account_id=options.account_id,
                    )
            account, recon = _reconciliation(session, args, principal, data, preview, result)
            advice = _currency_advice(session, uid, preview, result)
            accounts = _accounts(session, uid, preview, result)
            if len(accounts) > 1 or preview.accounts_from_file:
                account = accounts[0]["name"] if accounts else account
    except (BudgetwiseError, ValidationError) as exc:
        return _fail(args, str(exc))
    _report(args, path, preview, result, account, recon, accounts, advice)
    return 0


def _require_mapping(preview) -> None:
    """Refuse a CSV/Excel file whose date, amount or description column could not be told, naming its columns by
    number for ``--mapping``."""
    if preview.file_format != "ofx" and not preview.mapping.complete:
        cols = ", ".join(f"{i}={quoted(c)}" for i, c in enumerate(preview.columns))
        notes = "".join(r.note + " " for r in preview.repeated_headers)  # the columns to name by number
        raise ImportFileError(
            f"{notes}Could not tell which column holds the {' and '.join(preview.mapping.missing())}. "
            f"Name them with --mapping, e.g. --mapping date=0,amount=3,description=2. Columns: {cols}"
        )


def _kind_choices(given: list[str], preview) -> dict[str, str]:
    """``--account-kind NAME=KIND`` as {name: kind}, each a new account of this file's account column and a known type
    (:mod:`budgetwise.services.importing.new_account_kinds`)."""
    from budgetwise.services.importing import new_account_kinds

    kinds: dict[str, str] = {}
    for spec in given or ():
        name, sep, kind = str(spec).rpartition("=")
        if not sep or not name.strip():
            raise ValidationError(f"--account-kind takes NAME=KIND, e.g. --account-kind 'Degiro=investment', not {quoted(spec)}.")
        kinds[name.strip()] = kind.strip().lower().replace(" ", "_").replace("-", "_")
    if not kinds:
        return kinds
    new_account_kinds.checked(kinds)
    unknown = new_account_kinds.unknown_names(preview.accounts, kinds)
    if unknown:
        new = [s.name for s in new_account_kinds.new_from_file(preview.accounts)]
        raise ValidationError(
            f"--account-kind: {', '.join(quoted(n) for n in unknown)} is not a new account this import creates from the "
            f"file's account column ({'its new accounts: ' + ', '.join(quoted(n) for n in new) if new else 'it creates none'}).")
    return kinds


def _currency_advice(session, user_id: int, preview, result):
    """Mostly another currency than the user's and no rate for it (session 19): the stored batch's rows,
    or on a dry run the rows the import would store (the same decision, ``rates.currency_advice``)."""
    from budgetwise.services import importing as svc
    from budgetwise.services import rates

    if result is None:
        return rates.currency_advice(session, user_id=user_id, rows=svc.rows_to_store(preview), stored=False)
    if result.batch_id is None:
        return None
    return rates.import_currency_advice(session, user_id=user_id, batch_id=result.batch_id)


def _new_accounts(preview, accounts: list[dict]) -> list[dict]:
    """The accounts the file's account column makes the import create, with the type each gets
    (``accounts.guess_kind`` from the name, as the Import page's preview shows it): [{"name", "kind"}]."""
    kinds = {s.name: s.kind for s in preview.accounts if s.new and s.from_file and s.kind}
    return [{"name": a["name"], "kind": kinds[a["name"]]} for a in accounts if a["new"] and a["name"] in kinds]


def _accounts(session, user_id: int, preview, result) -> list[dict]:
    """The accounts the rows go to (dry run: the preview's plan) or went to (the batch's rows), most
    rows first: [{"name", "rows", "new"}]."""
    from budgetwise.services import importing as svc

    if result is None:
        return [{"name": s.name, "rows": s.rows, "new": s.new} for s in preview.accounts]
    if result.batch_id is None:  # nothing new: no batch, no rows went anywhere
        return []
    planned_new = {s.name for s in preview.accounts if s.new}
    return [{"name": n, "rows": c, "new": n in planned_new}
            for n, c in svc.batch_accounts(session, user_id=user_id, batch_id=result.batch_id)]


def _refuse_unshared(session, user_id: int, data: bytes, filename: str, options, max_bytes) -> None:
    """--set-opening-balance for an account this import chose that shares none of the file's rows: refused before
    anything is written, with the preview's words (:mod:`budgetwise.services.importing.unshared`, session 26)."""
    from budgetwise.services import importing as svc
    from budgetwise.services.importing import unshared

    checked = svc.preview_import(session, user_id=user_id, data=data, filename=filename, options=options,
                                 max_bytes=max_bytes, preview_rows=0)
    recon = checked.reconciliation
    if unshared.withheld(recon):
        raise ValidationError("--set-opening-balance: " + getattr(recon, "message", "")
                              + " (--account NAME chooses it.)")


def _reconciliation(session, args: argparse.Namespace, principal, data: bytes, preview, result):
    """(the account's name, the statement's reconciliation or None), setting the opening balance when asked."""
    from budgetwise.services import importing as svc

    a = preview.analysis
    target = svc.import_target(session, user_id=principal.user_id, parsed=a.parsed, options=a.options)
    if result is None:
        if args.set_opening_balance:
            raise ValidationError("--set-opening-balance changes the account: run it without --dry-run.")
        return target.name, preview.reconciliation
    recon = svc.after_preview(session, user_id=principal.user_id, preview=preview, data=data, batch_id=result.batch_id)
    if args.set_opening_balance:
        if recon is None:
            raise ValidationError("--set-opening-balance: this file states no balance (no OFX LEDGERBAL, no "
                                  "running balance column), so there is nothing to set the opening balance from.")
        if recon.account_id is None and recon.difference_minor is None and not recon.account_name:
            raise ValidationError("--set-opening-balance: " + recon.message)  # several accounts: rolled back
        if recon.account_id is not None and not recon.reconciles:
            svc.set_opening_from_statement(session, principal=principal, account_id=recon.account_id,
                                           balance=recon.statement, batch_id=result.batch_id)
            recon = svc.after_preview(session, user_id=principal.user_id, preview=preview, data=data,
                                      batch_id=result.batch_id)
    return target.name, recon


def _account_id(session, user_id: int, name: str) -> int:
    """The user's open account called ``name``; otherwise a message naming the accounts there are."""
    from budgetwise.services import accounts

    try:
        found = accounts.find_account(session, user_id=user_id, name=name)
    except NotFoundError:
        names = ", ".join(quoted(a.name) for a in accounts.list_accounts(session, user_id=user_id))
        raise NotFoundError(
            f"--account: you have no account called {quoted(name.strip())}. Your open accounts: {names or 'none'}. "
            f"Add one with: budgetwise accounts add --user EMAIL --name {shlex.quote(name.strip())}"  # pasted into a shell
        ) from None
    return accounts.resolve_account_id(session, user_id=user_id, account_id=found.id)  # refuses an archived one


def _same_account(session, user_id: int, name: str, chosen: int | None) -> None:
    """--account NAME looked up again in the write transaction, under the user's lock the import then holds (session
    27): the name was read in the first session, and an account renamed, archived or given the name meanwhile (another
    window or process) must not receive the rows. Refused, nothing written."""
    from budgetwise.services import accounts

    meanwhile = "changed while the file was read (renamed or archived in another window or process)"
    try:
        found = accounts.locked_account(session, user_id=user_id, name=name)
    except NotFoundError:
        raise NotFoundError(f"--account: you no longer have an account called {quoted(name.strip())}: it {meanwhile}. "
                            "Nothing was imported.") from None
    if found.id != chosen:
        raise ConflictError(f"--account: {quoted(name.strip())} now names another account: your accounts {meanwhile}. "
                            "Nothing was imported; run the command again.")
    accounts.resolve_account_id(session, user_id=user_id, account_id=found.id)  # archived meanwhile: refused


def _mapping_names(preview) -> dict:
    if preview.file_format == "ofx":
        return {}
    return {k: v for k, v in preview.mapping.to_names(preview.columns).items() if v not in (None, [])}


def _report(args, path: Path, preview, result, account: str, recon, accounts: list[dict], advice=None) -> None:
    imported = result.rows_imported if result else 0
    # the opening rows that become their accounts' opening balances are no transactions: said apart (imp29)
    balances = result.opening_set if result else preview.opening_balances
    sets = f" and set {plural(balances, 'opening balance')}" if balances else ""
    duplicates = result.rows_duplicate if result else (0 if preview.rows_new == preview.rows_valid else preview.rows_duplicate)
    rejections = result.rejections if result else preview.rejections
    if args.json:
        payload = _payload(args, path, preview, result, account, recon, accounts, advice,
                           (imported, duplicates, balances), rejections)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    out = sys.stdout
    delim = {"\t": "tab", None: "-"}.get(preview.delimiter, quoted(preview.delimiter))
    print(f"File: {path.name} ({preview.file_format}, {preview.encoding or '-'}, delimiter {delim}, "
          f"header row {preview.header_row or 'none'})", file=out)
    names = _mapping_names(preview)
    if names:
        shown = {k: "+".join(map(str, v)) if isinstance(v, list) else v for k, v in names.items()}
        print("Columns: " + ", ".join(f"{k}={v}" for k, v in shown.items()), file=out)
    if preview.date_order and preview.file_format != "ofx":
        label = "day first" if preview.date_order == "dmy" else "month first"
        print(f"Dates: {label} ({preview.date_order_reason})", file=out)
    elif preview.date_order_reason and preview.file_format != "ofx":
        print(f"Dates: {preview.date_order_reason}", file=out)
    fc = preview.file_currency
    if fc is not None and fc.note:  # as the Import page: the file decides the rows' currency
        print(f"Currency: {fc.note}", file=out)
    for w in preview.warnings:
        print(f"Note: {w}", file=out)
    _print_accounts(args, preview, account, accounts, out, _opening(preview, result))
    print(f"Rows read: {preview.rows_read}", file=out)
    if args.dry_run:
        print(f"Would import: {preview.rows_new - preview.opening_balances}{sets} (dry run: nothing was written)", file=out)
        print(f"Duplicates already in your data: {preview.rows_duplicate}", file=out)
    else:
        print(f"Imported: {imported}{sets}", file=out)
        print(f"Duplicates skipped: {duplicates}", file=out)
    print(f"Rejected: {len(rejections)}", file=out)
    for r in rejections[:200]:
        print(f"  row {r.row}, {r.field}: {r.reason}", file=out)
    if len(rejections) > 200:
        print(f"  ... and {len(rejections) - 200} more (use --json for all)", file=out)
    if recon is not None:
        print(f"Statement: {recon.message}", file=out)
    if result and result.batch_id is None:
        print(result.message, file=out)  # as the page: names the import that holds the rows
    elif result:
        print(f"Import batch #{result.batch_id} (undo it on the Import page).", file=out)
    if advice is not None:
        _print_advice(args, advice, out)


def _payload(args, path: Path, preview, result, account: str, recon, accounts: list[dict], advice,
             counts: tuple[int, int, int], rejections) -> dict:
    """``--json``'s object; ``counts``: (imported, duplicates skipped, opening balances set)."""
    imported, duplicates, balances = counts
    return {
        "ok": True,
        "file": str(path),
        "dry_run": bool(args.dry_run),
        "format": preview.file_format,
        "encoding": preview.encoding,
        "delimiter": preview.delimiter,
        "header_row": preview.header_row,
        "sheet": preview.sheet,
        "mapping": _mapping_names(preview),
        "mapping_confident": preview.mapping_confident,
        "date_order": preview.date_order,
        "date_order_reason": preview.date_order_reason,
        "decimal": preview.decimal,
        "warnings": list(preview.warnings),
        "rows_read": preview.rows_read,
        "imported": imported,
        "would_import": preview.rows_new - preview.opening_balances if args.dry_run else None,
        "opening_balances_set": balances,
        "duplicates": duplicates if result else preview.rows_duplicate,
        "duplicates_skipped": duplicates,
        "rejected": len(rejections),
        "rejections": [_rejection_dict(r) for r in rejections],
        "batch_id": result.batch_id if result else None,
        "nothing_new": bool(result and result.batch_id is None),
        "stored_by": [{"batch_id": i, "filename": name} for i, name in result.stored_by] if result else [],
        "learn_categories": preview.learn_from_labels,
        "account": account,
        "accounts": accounts,
        "accounts_note": preview.accounts_note or None, "card_note": preview.card_note or None,
        "currency": _currency_dict(preview), "opening_balance": _opening(preview, result) or None,
        "new_accounts": _new_accounts(preview, accounts),
        "reconciliation": recon.as_dict() if recon is not None else None,
        "currency_advice": advice.as_dict() if advice is not None else None,
    }


def _print_advice(args, advice, out) -> None:
    """The import is mostly in another currency with no rate: the service's sentence and the commands."""
    print(f"Currency: {advice.message}", file=out)
    rates_cmd = f"budgetwise rates fetch (the ECB's rates) or budgetwise rates import FILE --user {args.user}"
    if advice.can_switch:
        print(f"  Make {advice.currency} your currency under Profile → Preferences, or add rates: {rates_cmd}", file=out)
    else:
        print(f"  Add them with: {rates_cmd}", file=out)


def _currency_dict(preview) -> dict | None:
    """Where the rows' currency comes from (``ImportPreview.file_currency``), for ``--json``."""
    fc = preview.file_currency
    if fc is None:
        return None
    return {"source": fc.source, "column": fc.column or None, "fallback": fc.fallback,
            "found": [{"currency": code, "rows": rows} for code, rows in fc.found]}


def _opening(preview, result) -> str:
    """What the import does (did) with the file's opening-balance row, as the page's preview says it (open28)."""
    return result.opening if result else preview.opening_line


def _print_accounts(args, preview, account: str, accounts: list[dict], out, opening: str = "") -> None:
    """The accounts lines: where the rows go (with their counts), the type of each new account, the note."""
    if len(accounts) > 1 or preview.accounts_from_file:
        verb = "Would go to" if args.dry_run else "Accounts"
        print(f"{verb}: " + ", ".join(f"{a['name']} ({plural(a['rows'], 'row')}{', new account' if a['new'] else ''})"
                                     for a in accounts) if accounts else f"{verb}: none (no new rows)", file=out)
    else:
        print(f"Account: {account}", file=out)
    created = _new_accounts(preview, accounts)
    if created:
        from budgetwise.services.accounts import kind_phrase

        print(f"New {plural_word(len(created), 'account')}: "
              + ", ".join(f"{a['name']} ({kind_phrase(a['kind'])})" for a in created), file=out)
    for note in (preview.accounts_note, preview.card_note):  # card_note: no credit-card account takes it (session 23)
        if note:
            print(f"Note: {note}", file=out)
    if opening:
        print(f"Opening balance: {opening}", file=out)


def cmd_export(args: argparse.Namespace) -> int:
    from budgetwise.services.exports import to_csv_bytes, transactions_export_frame

    settings = load_settings()
    try:
        with cli_session(settings) as session:
            principal = principal_by_email(session, args.user)
            frame = transactions_export_frame(session, user_id=principal.user_id)
    except BudgetwiseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    payload = to_csv_bytes(frame[EXPORT_COLUMNS])
    if args.output == "-":
        sys.stdout.write(payload.decode("utf-8"))
        return 0
    target = Path(args.output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Wrote {plural(len(frame), 'transaction')} to {target}.", file=sys.stderr if args.output == "-" else sys.stdout)
    return 0

