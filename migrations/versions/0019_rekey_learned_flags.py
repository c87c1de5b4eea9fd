"""Learned rules re-keyed to session 12's learning key (issue #16).

The learning key drops a bank's debit / credit flag printed after the card number or the payment rail
("4835-****-1234 Df PAK N SAVE" gave "df pak save", now "pak save"; "UPI/DR/.../SWIGGY" gave "dr swiggy ...")
and the French "par" ("PAIEMENT PAR CARTE ..."). A learned rule on the earlier key ("df pak", a stem every
merchant of that card whose name starts "pak" fell under) takes the key its rows give now
(``services/categorize/rekey.py``, as migration 0016 did: merged per user, the latest correction's category;
hand-written rules, other users' rules and every transaction's category left alone).

Both keys read an Indian NEFT / RTGS reference (UTR, "HDFCN52022105573") as a reference, no longer as a name glued
to its number ("hdfcn" was the payee of every NEFT line from that bank): the stored merchant
(``transactions.merchant``) of such rows is rewritten, as migration 0016 did. The downgrade runs both back.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_CHUNK = 5000


def _merchants(keys) -> None:
    """Rewrite ``transactions.merchant`` where ``keys`` gives another value, in id order, a chunk at a time."""
    bind = op.get_bind()
    t = sa.table("transactions", sa.column("id", sa.Integer), sa.column("description", sa.String),
                 sa.column("merchant", sa.String))
    last = 0
    while True:
        rows = bind.execute(sa.select(t.c.id, t.c.description, t.c.merchant).where(t.c.id > last)
                            .order_by(t.c.id).limit(_CHUNK)).all()
        if not rows:
            return
        last = rows[-1][0]
        new = keys([d for _, d, _ in rows])
        changes = [{"row_id": i, "m": m} for (i, _, old), m in zip(rows, new, strict=True) if m != old]
        if changes:
            bind.execute(t.update().where(t.c.id == sa.bindparam("row_id")).values(merchant=sa.bindparam("m")),
                         changes)


# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(before, after) -> None:
    from budgetwise.services.categorize.rekey import rekey_learned_rules

    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT DISTINCT user_id FROM rules WHERE origin = 'learned' "
                                 "AND user_id IS NOT NULL ORDER BY user_id")).scalars().all()
    session = Session(bind=bind)
    for user_id in users:
        rekey_learned_rules(session, user_id=int(user_id), before=before, after=after,
                            planner=26)
    session.flush()


def upgrade() -> None:
    # session 12's key is frozen as learn_key_before_session_14 (migration 0021 takes it on to the current one)
    from budgetwise.textforms import learn_key_before_session_12, learn_key_before_session_14, merchant_keys

    _rules(learn_key_before_session_12, learn_key_before_session_14)
    _merchants(merchant_keys)


def downgrade() -> None:
    from budgetwise.textforms import (
        learn_key_before_session_12,
        learn_key_before_session_14,
        merchant_key_before_session_12,
    )

    _merchants(lambda descriptions: [merchant_key_before_session_12(d) for d in descriptions])
    _rules(learn_key_before_session_14, learn_key_before_session_12)
