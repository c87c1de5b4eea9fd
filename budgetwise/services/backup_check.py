"""Checking a backup completely before a restore writes anything (issue #13: restore trusted
the backup; ``abc`` in an amount column or a table named ``../../etc/passwd`` restored).

The models are the one description of what a valid row is; every rule here is read from
them, nothing is listed twice:

* known tables only, known columns only (a dump's manifest, a SQLite file's tables);
* every value of every column: its type (integer, text within the column's length, boolean,
  date, UTC timestamp, exact decimal), NOT NULL, the CHECK constraints declared on the model
  (``kind in (...)``, ``amount_minor > 0``, ``week_start >= 0 and week_start <= 6``), ISO 4217
  codes in currency columns, integers within the column's range;
* foreign keys: every non-null reference names a row of the parent table in the backup, and a
  user's row refers only to a row of the same user or of nobody (a global category or rule):
  session 21, a hand-edited or merged dump put Bob's account or category under Alice's rows;
* SQLite backups: no trigger, view or index the schema does not have (a trigger would run
  inside the restored database).

The first problem is raised as an ImportFileError naming the table, the row (1-based, in
the backup's order), the column and why.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Table, Text
from sqlalchemy.schema import CheckConstraint

from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.models import Base, DecimalText, UTCDateTime
from budgetwise.money import validate_currency

RowSource = Callable[[Table], Iterator[dict]]
_INT32 = 2**31
_INT64 = 2**63
_IN = re.compile(r"^\s*(\w+)\s+in\s+\(([^)]*)\)\s*$", re.I)
_CMP = re.compile(r"^\s*(\w+)\s*(>=|>|<=|<)\s*(-?\d+)\s*$")
_CURRENCY_COLUMNS = {"currency", "base", "quote"}  # ISO 4217 codes (exchange rates: base and quote)
_SQLITE_OWN = {"alembic_version", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}


def known_tables() -> dict[str, Table]:
    return {t.name: t for t in Base.metadata.sorted_tables}


def _problem(table: str, row: int | None, column: str | None, why: str) -> ImportFileError:
    where = f"table {table!r}"
    if row is not None:
        where += f", row {row:,}"
    if column is not None:
        where += f", column {column!r}"
    return ImportFileError(f"The backup is not valid and nothing was restored: {where}: {why}")


# --------------------------------------------------------------------------- names
def check_manifest(manifest: dict, members: Iterable[str]) -> None:
    """A dump's manifest: known tables (once each) with known columns, and their files present."""
    tables = known_tables()
    entries = manifest.get("tables")
    if not isinstance(entries, list):
        raise ImportFileError("The backup is not valid and nothing was restored: its manifest lists no tables.")
    present = set(members)
    seen: set[str] = set()
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name not in tables:
            raise ImportFileError(
                f"The backup is not valid and nothing was restored: its manifest lists a table {name!r}, "
                "which is not one of BudgetWise's tables."
            )
        if name in seen:
            raise _problem(name, None, None, "the manifest lists this table twice.")
        seen.add(name)
        columns = entry.get("columns")
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns) or len(set(columns)) != len(columns):
            raise _problem(name, None, None, "the manifest's column list is not a list of distinct names.")
        if f"tables/{name}.jsonl" not in present:
            raise _problem(name, None, None, f"the file tables/{name}.jsonl is missing from the dump.")


def check_manifest_columns(manifest: dict) -> None:
    """At the code's schema revision: every listed column exists (older dumps are upgraded first)."""
    tables = known_tables()
    for entry in manifest["tables"]:
        table = tables[entry["name"]]
        for c in entry["columns"]:
            if c not in table.c:
                raise _problem(table.name, None, c, "this column does not exist in BudgetWise's schema.")


def check_sqlite_file(path: Path) -> None:
    """A SQLite backup: its tables are known and it has no trigger, view or index of its own.

    Run on the copy before Alembic or SQLAlchemy open it (a trigger would run during the
    upgrade). Indexes are compared by name with the models' (naming convention) indexes.
    """
    tables = known_tables()
    allowed_indexes = {i.name for t in tables.values() for i in t.indexes} | {
        c.name for t in tables.values() for c in t.constraints if c.name
    }
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ImportFileError(f"The backup is not a readable SQLite database ({exc}); nothing was restored.") from None
    for kind, name, tbl, sql in objects:
        if kind == "table" and name not in tables and name not in _SQLITE_OWN:
            raise ImportFileError(
                f"The backup is not valid and nothing was restored: it holds a table {name!r}, "
                "which is not one of BudgetWise's tables."
            )
        if kind in ("trigger", "view"):
            raise ImportFileError(
                f"The backup is not valid and nothing was restored: it holds a {kind} {name!r} (on {tbl!r}), "
                f"which BudgetWise's schema does not have."
            )
        if kind == "index" and sql is not None and name not in allowed_indexes:
            raise ImportFileError(
                f"The backup is not valid and nothing was restored: it holds an index {name!r} on {tbl!r}, "
                "which BudgetWise's schema does not have."
            )


# --------------------------------------------------------------------------- values
def _checks(table: Table) -> list[Callable[[dict], str | None]]:
    """The model's CHECK constraints this module can read, as row -> reason-or-None."""
    out: list[Callable[[dict], str | None]] = []
    for c in table.constraints:
        if not isinstance(c, CheckConstraint):
            continue
        for part in re.split(r"\s+and\s+", str(c.sqltext), flags=re.I):
            m = _IN.match(part)
            if m:
                col, allowed = m.group(1), tuple(x.strip().strip("'") for x in m.group(2).split(","))
                out.append(lambda row, col=col, allowed=allowed: (
                    None if row.get(col) is None or row.get(col) in allowed
                    else f"{col} {row.get(col)!r} is not one of {', '.join(allowed)}."
                ))
                continue
            m = _CMP.match(part)
            if m:
                col, op, bound = m.group(1), m.group(2), int(m.group(3))
                test = {">": lambda v, b: v > b, ">=": lambda v, b: v >= b,
                        "<": lambda v, b: v < b, "<=": lambda v, b: v <= b}[op]
                out.append(lambda row, col=col, op=op, bound=bound, test=test: (
                    None if not isinstance(row.get(col), int) or test(row[col], bound)
                    else f"{col} is {row[col]}; it must be {op} {bound}."
                ))
    return out


def _value_reason(column, value: object) -> str | None:
    """Why ``value`` cannot be stored in ``column`` (None when it can)."""
    kind = column.type
    if value is None:
        if not column.nullable and not column.primary_key:
            return "it is empty (NULL), but the column requires a value."
        return None
    if isinstance(kind, UTCDateTime):
        if not isinstance(value, dt.datetime):
            return f"{value!r} is not a date and time."
        return None if value.tzinfo is not None else f"{value.isoformat()} has no time zone (UTC expected)."
    if isinstance(kind, DateTime):
        return None if isinstance(value, dt.datetime) else f"{value!r} is not a date and time."
    if isinstance(kind, Date):
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return None if ok else f"{value!r} is not a date."
    if isinstance(kind, DecimalText):
        return None if isinstance(value, Decimal) and value.is_finite() else f"{value!r} is not an exact decimal number."
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else f"{value!r} is not true or false."
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{value!r} is not a whole number."
        limit = _INT64 if isinstance(kind, BigInteger) else _INT32
        return None if -limit <= value < limit else f"{value} is out of the column's range."
    if isinstance(kind, (String, Text)):
        if not isinstance(value, str):
            return f"{value!r} is not text."
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            return f"the text is {len(value):,} characters long; the column holds at most {length:,}."
        if "\x00" in value:
            return "the text contains a NUL character."
        if column.name in _CURRENCY_COLUMNS or column.name.endswith("_currency"):
            try:
                validate_currency(value)
            except ValidationError:
                return f"{value!r} is not an ISO 4217 currency code."
            if value != value.upper():
                return f"{value!r} is not an upper-case currency code."
        return None
    return None


def decoded(decode: Callable[[object], object], value: object) -> object:
    """A dump value through its column decoder; a value the decoder cannot read stays as it is
    (so the check below names it instead of a ValueError escaping)."""
    try:
        return decode(value)
    except (ValueError, TypeError, ArithmeticError):
        return value


def check_rows(rows: RowSource, *, tables: Iterable[Table] | None = None) -> dict[str, int]:
    """Read every row of every table once; raise on the first problem; return the row counts."""
    ordered = list(tables) if tables is not None else list(known_tables().values())  # parents first
    keys: dict[str, set] = {}
    owners: dict[str, dict] = {}  # "table.id" -> {id: user_id} for tables whose rows belong to a user
    counts: dict[str, int] = {}
    for table in ordered:
        checks = _checks(table)
        columns = list(table.c)
        fks = [
            (fk.parent.name, fk.column.table.name, fk.column.name)
            for fk in table.foreign_keys
        ]
        needed_here = {c.name for c in table.c if any(fk.column is c for t2 in ordered for fk in t2.foreign_keys)}
        own: dict[str, set] = {name: set() for name in needed_here}
        owned = "user_id" in table.c and "id" in needed_here
        own_owner: dict = {}
        same_owner = [(col, f"{parent}.{pcol}") for col, parent, pcol in fks
                      if "user_id" in table.c and col != "user_id" and "user_id" in known_tables()[parent].c]
        n = 0
        try:
            for n, row in enumerate(rows(table), start=1):
                for column in columns:
                    reason = _value_reason(column, row.get(column.name))
                    if reason:
                        raise _problem(table.name, n, column.name, reason)
                for check in checks:
                    reason = check(row)
                    if reason:
                        raise _problem(table.name, n, reason.split(" ", 1)[0], reason)
                for col, parent, pcol in fks:
                    value = row.get(col)
                    if value is not None and value not in keys.get(f"{parent}.{pcol}", set()) and not (
                        parent == table.name and value in own.get(pcol, set())
                    ):
                        raise _problem(table.name, n, col, f"it refers to {parent} {pcol}={value}, which is not in the backup.")
                for col, parent_key in same_owner:
                    value = row.get(col)
                    theirs = owners.get(parent_key, {}).get(value)
                    if value is not None and theirs is not None and theirs != row.get("user_id"):
                        mine = row.get("user_id")
                        whose = "is shared (belongs to no user)" if mine is None else f"is user {mine}'s"
                        raise _problem(table.name, n, col, f"it refers to {parent_key.split('.')[0]} id={value} of user "
                                                           f"{theirs}; this row {whose}.")
                for name in needed_here:
                    own[name].add(row.get(name))
                if owned:
                    own_owner[row.get("id")] = row.get("user_id")
        except ImportFileError:
            raise
        except (ValueError, TypeError, KeyError, ArithmeticError) as exc:  # a row the reader itself cannot decode
            raise _problem(table.name, n + 1, None, f"the row cannot be read ({exc}).") from None
        for name, values in own.items():
            keys[f"{table.name}.{name}"] = values
        if owned:
            owners[f"{table.name}.id"] = own_owner
        counts[table.name] = n
    return counts
