"""``budgetwise categorize INPUT.csv --output OUT.csv [--user EMAIL] [--learn-from LABELED.csv]``.

Reads a CSV with a description and an amount column (and optionally a type /
debit-credit column), detected like the importer does, and writes it back with a
``category`` and a ``confidence`` column: the category the app itself would store for
that user (their rules with ``--user``, then their history -- the rows of ``--learn-from``,
same columns plus a ``category`` column holding BudgetWise category names -- through the
merchant memory and the per-user model, then the default rules). A confidence under 0.8
is a row the app would list for review. Nothing is saved in the database: the run
happens in a transaction that is rolled back (without ``--user``, in a throwaway database).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import insert

from budgetwise.cli._common import load_settings, principal_by_email
from budgetwise.db import chunked, make_engine, make_session_factory, upgrade_database
from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing.banktype import clean_bank_type
from budgetwise.models import Transaction, User
from budgetwise.money import parse_decimal, to_minor
from budgetwise.services import categories, categorize
from budgetwise.services.exports import neutralize
from budgetwise.text import fingerprint

MAX_BYTES = 200 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "categorize",
        help="add a category column to a CSV of transactions (default rules, a user's rules, learning)",
        description=__doc__.split("\n\n")[1],
    )
    p.add_argument("input", metavar="INPUT.csv", type=Path)
    p.add_argument("--output", metavar="OUT.csv", type=Path, required=True)
    p.add_argument("--user", metavar="EMAIL", help="also use this user's own and learned rules")
    p.add_argument("--learn-from", metavar="LABELED.csv", type=Path, dest="learn_from",
                   help="a CSV with the same columns plus 'category' (BudgetWise category names) to learn from")
    p.add_argument("--suggest", action="store_true",
                   help="fill rows no rule matches with the learned model's suggestion (when confident); with "
                        "--learn-from or --user the user's history already takes part as the app would store it")
    p.set_defaults(handler=cmd_categorize)


# --------------------------------------------------------------------------- reading files
@dataclass(frozen=True)
class _Table:
    header: list[str]
    records: list[list[str]]  # data rows as in the file
    items: list[categorize.CategorizeItem | None]  # one per data row (None: unreadable)
    category_col: int | None
    first_line: int = 2  # the file's line number of the first data row
    dates: list[dt.date | None] | None = None  # one per data row when the file has a date column
    # the bank's own type code per data row ("ATM", "FEE"; a "Type" column), evidence like the importer's
    bank_types: list[str | None] | None = None

    def line(self, i: int) -> int:
        return self.first_line + i


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    return data


def _best_column(header: list[str], role: str, taken: set[int]) -> int | None:
    from budgetwise.importing.headers import role_scores

    scored = [(role_scores(h).get(role, 0), i) for i, h in enumerate(header) if i not in taken]
    scored = [(s, i) for s, i in scored if s > 0]
    return max(scored)[1] if scored else None


def _amount(cell: str) -> Decimal | None:
    text = (cell or "").strip()
    if not text:
        return None
    try:
        return parse_decimal(text)
    except (ValidationError, InvalidOperation):
        return None


_CREDIT_WORDS = {"credit", "cr", "income", "in", "deposit", "haben", "credito", "crédit", "credit card", "inflow", "+"}
_DEBIT_WORDS = {"debit", "dr", "expense", "out", "withdrawal", "soll", "debito", "débit", "outflow", "-"}


def _read_table(path: Path, currency: str) -> _Table:
    """The file's rows plus, for each, what the categorizer needs (like the importer detects it)."""
    from budgetwise.importing import parse_file
    from budgetwise.importing.sniff import decode_text, detect_delimiter, read_records

    data = _read_bytes(path)
    text, _ = decode_text(data)
    records = [r for r in read_records(text, detect_delimiter(text)) if any(c.strip() for c in r)]
    if len(records) < 1:
        raise ImportFileError(f"{path} has no rows.")
    parsed = None
    try:
        parsed = parse_file(data, path.name, default_currency=currency)
    except ImportFileError:
        parsed = None
    header_index = (parsed.header_row - 1) if (parsed and parsed.header_row) else 0
    all_records = read_records(text, detect_delimiter(text))
    header = [c.strip() for c in all_records[header_index]]
    body = all_records[header_index + 1 :]
    lowered = [h.strip().lower() for h in header]
    category_col = lowered.index("category") if "category" in lowered else None
    items: list[categorize.CategorizeItem | None] = [None] * len(body)
    if parsed is not None and len(parsed.rows):
        # 'row' is the 1-based record number in the file
        dates: list[dt.date | None] = [None] * len(body)
        types: list[str | None] = [None] * len(body)
        for r in parsed.rows.itertuples(index=False):
            i = int(r.row) - header_index - 2
            if 0 <= i < len(body):
                items[i] = categorize.CategorizeItem(str(r.description), int(r.amount_minor), str(r.kind), r.account or None)
                dates[i] = r.date if isinstance(r.date, dt.date) else None
                types[i] = r.bank_type or None
        return _Table(header, body, items, category_col, header_index + 2, dates, types)
    # No date column (the importer needs one): description + amount (+ type, or debit/credit) only.
    taken: set[int] = set()
    desc = _best_column(header, "description", taken)
    if desc is None:
        desc = _best_column(header, "payee", taken)
    if desc is None:
        raise ImportFileError(f"{path}: no description column found in the header ({', '.join(header)}).")
    taken.add(desc)
    amount = _best_column(header, "amount", taken)
    debit = _best_column(header, "debit", taken | {amount} if amount is not None else taken)
    credit = _best_column(header, "credit", taken | {amount, debit} - {None})
    direction = _best_column(header, "direction", taken | {amount, debit, credit} - {None})
    type_col = _best_column(header, "bank_type", taken | {amount, debit, credit} - {None})  # may be the direction
    bank_types = [clean_bank_type(r[type_col]) or None if type_col is not None and type_col < len(r) else None
                  for r in body]
    if amount is None and debit is None and credit is None:
        raise ImportFileError(f"{path}: no amount column found in the header ({', '.join(header)}).")
    for i, rec in enumerate(body):
        cell = lambda j: rec[j] if j is not None and j < len(rec) else ""  # noqa: E731, B023 (called in this iteration)
        kind = "expense"
        value = _amount(cell(amount)) if amount is not None else None
        if value is None and (debit is not None or credit is not None):
            out, inc = _amount(cell(debit)), _amount(cell(credit))
            value, kind = (abs(inc), "income") if inc else ((abs(out), "expense") if out else (None, kind))
        elif value is not None:
            kind = "income" if value > 0 else "expense"
            word = cell(direction).strip().lower()
            if word in _CREDIT_WORDS:
                kind = "income"
            elif word in _DEBIT_WORDS:
                kind = "expense"
        if value is None or value == 0:
            continue
        try:
            minor = to_minor(abs(value), currency)
        except (ValidationError, InvalidOperation):
            continue
        items[i] = categorize.CategorizeItem(cell(desc).strip(), minor, kind)
    return _Table(header, body, items, category_col, header_index + 2, bank_types=bank_types)


# --------------------------------------------------------------------------- the command
MIN_LABELLED_SHARE = categorize.MIN_LABELLED_SHARE  # a learning file whose category column is mostly empty is refused


def _learn(session, user_id: int, path: Path, currency: str) -> tuple[int, int, list[str]]:
    """Learn from a labelled file; returns (rows learned, rules learned, unknown category names).

    Refused, with the rows named and nothing learned (:func:`categorize.check_labelled_rows`,
    the same check as the app's import): a category column that is mostly empty, rows with a
    category but no description, or a file whose categories are mostly names BudgetWise does
    not have. A few unknown names are skipped with a warning naming their rows.
    """
    table = _read_table(path, currency)
    if table.category_col is None:
        raise ImportFileError(f"{path}: the learning file needs a 'category' column with BudgetWise category names.")
    names: dict[str, int | None] = {}
    checked: list[categorize.LabelledRow] = []
    for i, (rec, item) in enumerate(zip(table.records, table.items)):
        label = rec[table.category_col].strip() if table.category_col < len(rec) else ""
        if label and label not in names:
            found = categories.find_category_by_name(session, user_id=user_id, name=label)
            names[label] = found.id if found else None
        checked.append(categorize.LabelledRow(table.line(i), None if item is None else item.description, label,
                                              names.get(label)))
    check = categorize.check_labelled_rows(checked, source=str(path))
    pairs: list[tuple[categorize.CategorizeItem, int]] = []
    for i in check.usable:
        item, cid = table.items[i], checked[i].category_id
        assert item is not None and cid is not None
        pairs.append((item, cid))
    rules = categorize.learn_from_labeled(session, user_id=user_id, rows=[(it.description, c, it.kind) for it, c in pairs])
    # the labelled rows also train the user's model (as hand-categorized transactions; rolled back later)
    today = dt.date.today()
    rows = [
        {"user_id": user_id, "date": today, "amount_minor": max(1, it.amount_minor), "currency": "USD",
         "kind": it.kind, "description": it.description[:500], "merchant": "", "notes": "", "category_id": c,
         "category_manual": True, "category_source": "import", "source": "import",
         "fingerprint": fingerprint(today.isoformat(), it.amount_minor, it.kind, it.description, "USD"),
         "created_at": dt.datetime.now(dt.UTC), "updated_at": dt.datetime.now(dt.UTC)}
        for it, c in pairs
    ]
    for part in chunked(rows, 5000):
        session.execute(insert(Transaction), part)
    return len(pairs), rules, list(check.warnings)


def cmd_categorize(args: argparse.Namespace) -> int:
    settings = load_settings()
    tmp = None
    if args.user:
        url = settings.database_url
        upgrade_database(url, data_dir=settings.data_dir)
    else:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{Path(tmp.name) / 'categorize.db'}"
        upgrade_database(url)
    engine = make_engine(url)
    session = make_session_factory(engine)()
    try:
        if args.user:
            principal = principal_by_email(session, args.user)
            user_id, currency = principal.user_id, principal.currency
        else:
            user = User(email="categorize@localhost", name="CLI", password_hash="!", role="user")
            session.add(user)
            session.flush()
            user_id, currency = user.id, "USD"
        if args.learn_from:
            learned_rows, learned_rules, unknown = _learn(session, user_id, args.learn_from, currency)
            print(f"Learned from {learned_rows} rows of {args.learn_from} ({learned_rules} merchant rules).")
            if unknown:
                shown = "; ".join(unknown[:8])
                print(f"warning: skipped rows with categories BudgetWise does not have: {shown}", file=sys.stderr)
        table = _read_table(args.input, currency)
        readable = [(i, it) for i, it in enumerate(table.items) if it is not None]
        # the dates let the rows' structure answer as in the importer (recurring payments, refunds)
        row_dates = [table.dates[i] for i, _ in readable] if table.dates is not None else None
        # what the app would store for this user (rules, the user's history where it is confident, the
        # model where nothing else answers); --suggest also lets the model fill gaps as suggestions do
        chosen = [it for _, it in readable]
        guesses = categorize.categorize_rows(
            session, user_id=user_id, descriptions=[it.description for it in chosen],
            amounts_minor=[it.amount_minor for it in chosen], kinds=[it.kind for it in chosen],
            accounts=[it.account for it in chosen], with_model=bool(args.suggest or args.learn_from or args.user),
            history_over_rules=True, dates=row_dates,
            bank_types=[table.bank_types[i] for i, _ in readable] if table.bank_types is not None else None,
        )
        names = [""] * len(table.records)
        confidence = [""] * len(table.records)
        for (i, _), g in zip(readable, guesses):
            names[i] = g.category_name or ""
            if g.category_id is not None and g.confidence is not None:
                confidence[i] = f"{g.confidence:.2f}"
        width = len(table.header)
        header = _unique(table.header)
        if table.category_col is not None:  # keep the file's own labels beside ours
            header[table.category_col] = f"{header[table.category_col]} (input)"
        rows = [(rec + [""] * width)[:width] + [name, conf] for rec, name, conf in zip(table.records, names, confidence)]
        args.output.parent.mkdir(parents=True, exist_ok=True)
        _write_csv(args.output, [*header, "category", "confidence"], rows)
        done = sum(1 for n in names if n)
        guess = [g.source == categorize.SOURCE_RULE and (g.confidence or 1) <= categorize.FALLBACK_CONFIDENCE
                 for g in guesses]
        guessed = sum(guess)
        uncertain = sum(1 for g, gs in zip(guesses, guess) if g.category_id is not None and not gs
                        and (g.confidence or 1) < categorize.LOW_CONFIDENCE)
        skipped = len(table.records) - len(readable)
        by_type = sum(1 for g in guesses if g.signal == categorize.BANK_TYPE_SIGNAL)
        print(f"Wrote {len(table.records)} rows to {args.output}: {done} categorized"
              + (f" ({guessed} of them only guessed from the kind of payment)" if guessed else "")
              + (f" ({uncertain} uncertain, confidence under {categorize.LOW_CONFIDENCE:.0%}: the app would list "
                 "them for review)" if uncertain else "")
              + (f" ({by_type} from the bank's transaction type column)" if by_type else "")
              + f", {len(table.records) - done} left blank" + (f" ({skipped} unreadable)" if skipped else "") + ".")
        return 0
    finally:
        session.rollback()  # a dry run: nothing learned here is kept
        session.close()
        engine.dispose()
        if tmp is not None:
            tmp.cleanup()


_NUMBER = re.compile(r"^[+-]?\s*[\d\s.,']*\d[\d\s.,']*$")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write rows as CSV; text a spreadsheet would run as a formula is neutralized, numbers stay numbers."""
    def safe(cell: str) -> str:
        return cell if _NUMBER.match(cell) else str(neutralize(cell))

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([safe(h) for h in header])
        for row in rows:
            writer.writerow([safe(c) for c in row])


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        name = h or "column"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out
