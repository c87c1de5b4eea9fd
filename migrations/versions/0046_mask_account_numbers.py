"""Account numbers masked in the account text of rows, imports and rules (issue #19, session 27).

Every imported row kept the file's account value as written ("DE89370400440532013000", "123456789/0800"): the full
IBAN or account number stood in ``transactions.account`` on each of its rows, on the Transactions and Admin pages, in
CSV exports and the data export. Since session 27 an import stores the masked form ("DE…3000", "Account …0800":
``services/account_numbers.masked``); the full number is kept once, as the account's ``external_id``, by which a later
file carrying it finds the account (``account_numbers.by_number``). This migration does the same for what is stored:

1. an account whose rows carry exactly one account number, that keeps no ``external_id`` and whose number no other
   account of the user keeps, keeps it now (so a later file of that number still goes to it, as the rows' text
   found it before);
2. ``transactions.account``, ``import_batches.account`` and ``rules.account`` values that carry a number of more than
   four digits are masked.

The mask is a frozen copy of ``account_numbers.masked`` as of this revision (a later change there does not change what
this migration did). The downgrade cannot bring the numbers back into the rows' text (they are kept on the accounts
of step 1): it changes nothing.

Revision ID: 0046
Revises: 0044
Create Date: 2026-12-07
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046"
down_revision: str | None = "0045"  # written on 0042 as the brief said; re-chained at merge onto 0044, then 0045 (NFKC name keys)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NUMBER = re.compile(r"\d[\d \-/.]*\d")
MAX = 100


def _clean(value: str) -> str:
    text = "".join(ch for ch in str(value) if unicodedata.category(ch)[0] != "C" or ch in "\t\n\r")
    return " ".join(text.split())[:MAX]


def masked(value: str) -> str:
    """Frozen ``account_numbers.masked`` (session 26): each number of more than 4 digits as "…" and its last 4."""
    def one(m: re.Match) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return f"…{digits[-4:]}" if len(digits) > 4 else m.group(0)

    name = " ".join(_NUMBER.sub(one, _clean(value)).split())
    if name and not any(ch.isalpha() for ch in name):
        name = f"Account {name}"
    return name[:MAX]


def number_of(value: str) -> str | None:
    """Frozen ``account_numbers.number_of``: the full number a value carries (white space dropped, upper case)."""
    clean = _clean(value)
    if not clean or masked(clean) == clean:
        return None
    return "".join(clean.split()).upper()[:MAX]


def _has_long_number(value: str) -> bool:
    return any(len(re.sub(r"\D", "", m.group(0))) > 4 for m in _NUMBER.finditer(str(value)))


def _keep_numbers(conn: sa.Connection) -> None:
    numbers: dict[tuple[int, int], set[str]] = {}
    for user_id, account_id, value in conn.execute(sa.text(
        "SELECT DISTINCT user_id, account_id, account FROM transactions "
        "WHERE account IS NOT NULL AND account_id IS NOT NULL"
    )):
        if _has_long_number(value) and (number := number_of(value)):
            numbers.setdefault((int(user_id), int(account_id)), set()).add(number)
    kept: dict[int, set[str]] = {}
    free: set[int] = set()
    for user_id, account_id, external_id in conn.execute(sa.text("SELECT user_id, id, external_id FROM accounts")):
        if external_id:
            kept.setdefault(int(user_id), set()).add(str(external_id))
        else:
            free.add(int(account_id))
    for (user_id, account_id), found in sorted(numbers.items()):
        if len(found) != 1 or account_id not in free:
            continue
        (number,) = found
        if number in kept.setdefault(user_id, set()):
            continue
        conn.execute(sa.text("UPDATE accounts SET external_id = :n WHERE id = :a AND external_id IS NULL"),
                     {"n": number, "a": account_id})
        kept[user_id].add(number)


def _mask(conn: sa.Connection, table: str) -> None:
    for user_id, value in conn.execute(sa.text(
        f"SELECT DISTINCT user_id, account FROM {table} WHERE account IS NOT NULL"  # noqa: S608 (a fixed name)
    )).all():
        if not _has_long_number(value):
            continue
        where = "user_id IS NULL" if user_id is None else "user_id = :u"
        conn.execute(sa.text(f"UPDATE {table} SET account = :m WHERE {where} AND account = :v"),  # noqa: S608
                     {"m": masked(value), "u": user_id, "v": value})


def upgrade() -> None:
    conn = op.get_bind()
    _keep_numbers(conn)
    for table in ("transactions", "import_batches", "rules"):
        _mask(conn, table)


def downgrade() -> None:
    """Nothing to undo that can be undone: the masked texts stay (the numbers are on the accounts, step 1)."""
