"""An OFX card statement's whole card number, kept as its account's number, reduced to its last 4 digits (issue #19,
session 28, ofx28).

An OFX credit-card statement names its account by ``<CCACCTFROM><ACCTID>``, often the whole card number; the OFX
import kept it whole as the account's ``external_id`` ("Download all my data" exported it in accounts.csv) and found
the account again by that exact id. Migration 0048 reduced the whole card numbers credit-card accounts kept to their
last 4 digits but left those an OFX file named (an account holding an OFX import's rows, or created by one): with the
import still matching the whole id, reducing them would have made the card's next OFX statement a second account.
Since ofx28 an OFX card statement is routed by its card's digits (``account_numbers.by_ofx`` -> ``by_card``: an
account keeping "1234" is found for any whole or masked number ending so, another card's last 4 never) and a new
account keeps the last 4 (``account_numbers.ofx_number``), so those can be reduced too.

**The rule**: 0048's, without its OFX exception: an ``external_id`` of 13 to 19 digits and nothing else, passing the
Luhn check (0048's own ``is_card_number``, loaded from its module: one rule), on a credit-card account (``kind =
'credit_card'``: what an OFX ``CREDITCARD`` or ``CREDITLINE`` statement creates, both routed by the card's digits now)
keeps its last 4. A checking or savings account's id stays whole (a bank statement's id is found by it exactly, and a
long bank account number is no card number). Left as 0048 left it: a card account the user retyped as checking keeps
its whole number (``by_card`` still finds it, by the equal number); two credit-card accounts of a user whose numbers
end alike both keep the same 4 digits (the next statement goes to the first).

The downgrade keeps the reduced numbers (as 0046 and 0048: a privacy change is not undone; the whole numbers are gone).

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _migration_0048() -> ModuleType:
    """A private copy of migration 0048's module (its frozen ``is_card_number``; migrations do not change)."""
    path = Path(__file__).with_name("0048_card_numbers_last_digits.py")
    spec = importlib.util.spec_from_file_location("_budgetwise_migration_0048_for_0049", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def upgrade() -> None:
    conn = op.get_bind()
    is_card_number = _migration_0048().is_card_number
    for account_id, number in conn.execute(sa.text(
        "SELECT id, external_id FROM accounts WHERE kind = 'credit_card' AND external_id IS NOT NULL"
    )).all():
        if is_card_number(str(number)):
            conn.execute(sa.text("UPDATE accounts SET external_id = :n WHERE id = :a"),
                         {"n": str(number)[-4:], "a": account_id})


def downgrade() -> None:
    """The reduced numbers stay (a privacy change is not undone)."""
