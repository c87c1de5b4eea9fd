"""Learned rules re-keyed to session 12's learning key (issue #16).

The learning key drops a bank's debit / credit flag printed after the card number or the payment rail
("4835-****-1234 Df PAK N SAVE" gave "df pak save", now "pak save"; "UPI/DR/.../SWIGGY" gave "dr swiggy ...")
and the French "par" ("PAIEMENT PAR CARTE ..."). A learned rule on the earlier key ("df pak", a stem every
merchant of that card whose name starts "pak" fell under) takes the key its rows give now
(``services/categorize/rekey.py``, as migration 0016 did: merged per user, the latest correction's category;
hand-written rules, other users' rules and every transaction's category left alone). The stored merchant
(``transactions.merchant``) does not change. The downgrade re-keys back to the earlier key.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0019"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rules(before, after) -> None:
    from budgetwise.services.categorize.rekey import rekey_learned_rules

    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT DISTINCT user_id FROM rules WHERE origin = 'learned' "
                                 "AND user_id IS NOT NULL ORDER BY user_id")).scalars().all()
    session = Session(bind=bind)
    for user_id in users:
        rekey_learned_rules(session, user_id=int(user_id), before=before, after=after)
    session.flush()


def upgrade() -> None:
    from budgetwise.textforms import learn_key, learn_key_before_session_12

    _rules(learn_key_before_session_12, learn_key)


def downgrade() -> None:
    from budgetwise.textforms import learn_key, learn_key_before_session_12

    _rules(learn_key, learn_key_before_session_12)
