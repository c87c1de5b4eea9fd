"""Whole card numbers reduced to their last 4 digits; what 0046's masking missed (issue #19, session 28, mask28).

1. **A card number kept whole** as an account's number (``accounts.external_id``): an import of a "Card No." /
   "Card Used For Transaction" column holding whole numbers ("4111 1111 1111 1234") kept the digits whole
   (``account_numbers.card_number`` before session 28), and so did 0046's step 1 for a card number written in an
   account column; "Download all my data" exported it. Routing needs only the last 4 (``account_numbers.by_card``
   matches an account keeping "1234" for any card value ending so), which is what an import keeps now.

   **The rule** (from how the import stored it): an ``external_id`` is a card number when it is 13 to 19 digits and
   nothing else (how ``card_number`` and 0046 stored one: spaces and dashes dropped; an IBAN has letters, an account
   number written with separators keeps them), passes the Luhn check (every card number does; 9 of 10 other numbers
   do not), on a credit-card account (a bank account number of that length — India's run to 18 digits — is kept by a
   checking or savings account, and stays whole: its next file is found by the whole number), that no OFX file
   named: an OFX ``ACCTID`` is found whole by the OFX import (``accounts.account_for_external_id``), so those stay
   (left: an OFX card statement's ACCTID is still kept whole). Two such accounts of a user ending in the same 4 digits
   both keep them: a card's next statement goes to the first (``by_card``), as for masked statements.
2. **Account texts spaced with no-break spaces** (U+00A0, U+202F: French-formatted exports): 0046 looked for a long
   number in the raw text, where such a space ends it, so "DE89\\u00a03704 …" stayed whole in ``transactions.account``,
   ``import_batches.account`` and ``rules.account`` (sec28 fixed ``account_numbers.row_text``). They are masked now,
   and the account holding the rows keeps the number first, as 0046's step 1 did.
3. **Import batches' file names** with runs of 9 or more digits ("NL91ABNA0417164300_01-01-2024_31-12-2024.csv":
   banks name exports after the IBAN) as "…" and the last 4, as ``account_numbers.file_name`` stores new ones (sec28).

The functions are frozen copies as of this revision (a later change there does not change what this migration did);
step 2 runs 0046's own steps (its frozen mask) with sec28's reading of white space.
Like 0046, the downgrade keeps the reduced and masked texts: a privacy change is not undone (the whole numbers are
gone); it only drops ``import_batches.gave_number_to``.

4. ``import_batches.gave_number_to`` (nullable): the account this import gave the file's number to (an account chosen
   for the file keeps it: ``account_numbers.keep_number``), so undoing the import takes the number off again.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CARD = re.compile(r"\d{13,19}")
_LONG_DIGITS = re.compile(r"\d{9,}")


def _migration_0046() -> ModuleType:
    """A private copy of migration 0046's module (its frozen mask and steps; migrations do not change)."""
    path = Path(__file__).with_name("0046_mask_account_numbers.py")
    spec = importlib.util.spec_from_file_location("_budgetwise_migration_0046_for_0048", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def has_number(value: str) -> bool:
    """Frozen ``account_numbers.has_number`` (sec28): white space, no-break spaces too, read as the masking reads it."""
    return any(len(re.sub(r"\D", "", m.group(0))) > 4
               for m in re.finditer(r"\d[\d \-/.]*\d", " ".join(str(value).split())))


def file_name(name: str) -> str:
    """Frozen ``account_numbers.file_name`` (sec28): each run of 9 or more digits as "…" and its last 4."""
    return _LONG_DIGITS.sub(lambda m: f"…{m.group(0)[-4:]}", name)


def is_card_number(number: str) -> bool:
    """13 to 19 digits and nothing else, passing the Luhn check (the rule of step 1)."""
    if not _CARD.fullmatch(number):
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _ofx_accounts(conn: sa.Connection) -> set[int]:
    return {int(a) for (a,) in conn.execute(sa.text(
        "SELECT DISTINCT t.account_id FROM transactions t JOIN import_batches b ON b.id = t.import_batch_id "
        "WHERE b.file_format = 'ofx' AND t.account_id IS NOT NULL "
        "UNION SELECT a.id FROM accounts a JOIN import_batches b ON b.id = a.created_by_import_id "
        "WHERE b.file_format = 'ofx'"))}


def _reduce_card_numbers(conn: sa.Connection) -> None:
    ofx = _ofx_accounts(conn)
    for account_id, number in conn.execute(sa.text(
        "SELECT id, external_id FROM accounts WHERE kind = 'credit_card' AND external_id IS NOT NULL"
    )).all():
        if int(account_id) not in ofx and is_card_number(str(number)):
            conn.execute(sa.text("UPDATE accounts SET external_id = :n WHERE id = :a"),
                         {"n": str(number)[-4:], "a": account_id})


def _mask_file_names(conn: sa.Connection) -> None:
    for batch_id, name in conn.execute(sa.text("SELECT id, filename FROM import_batches")).all():
        if _LONG_DIGITS.search(str(name)):
            conn.execute(sa.text("UPDATE import_batches SET filename = :f WHERE id = :i"),
                         {"f": file_name(str(name))[:255], "i": batch_id})


def upgrade() -> None:
    conn = op.get_bind()
    m0046 = _migration_0046()
    m0046._has_long_number = has_number  # 0046's two steps again, reading no-break spaces as spaces (step 2)
    m0046._keep_numbers(conn)
    _reduce_card_numbers(conn)
    for table in ("transactions", "import_batches", "rules"):
        m0046._mask(conn, table)
    _mask_file_names(conn)
    with op.batch_alter_table("import_batches") as batch:
        batch.add_column(sa.Column("gave_number_to", sa.Integer(), nullable=True))


def downgrade() -> None:
    """The reduced numbers and masked texts stay (a privacy change is not undone); the undo's column goes."""
    with op.batch_alter_table("import_batches") as batch:
        batch.drop_column("gave_number_to")
