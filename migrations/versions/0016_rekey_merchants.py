"""Learned rules and stored merchants re-keyed to session 10's and 11's key functions (issue #16).

1. Learned rules written on the learning key before session 10 ("inst xfer" for "PAYPAL INST XFER",
   "atm08sep" for "ATM08SEP") take the key session 10's ``learn_key`` gave the rows they were learned on (frozen
   as ``learn_key_before_session_12`` since session 23);
   rules that end on one key are merged (``services/categorize/rekey.py`` says how). Hand-written rules,
   other users' rules and every transaction's category are left alone.
2. ``transactions.merchant`` (the reports' merchants, recurring payments) keeps the name of a word glued to
   a number ("ATM08SEP" was "", now "atm"; "DROGASIL1148" was "", now "drogasil"): the rows whose stored
   value changes are rewritten.

The downgrade runs both the other way: the merchant column as the earlier function gave it, and the
learned rules re-keyed from session 10's key to the earlier one (a rule merged on the way up is split again
where its rows' earlier keys differ, each part with the merged rule's category).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 5000


def _merchants(bind, keys: Callable[[list[str]], list[str]]) -> None:
    """Rewrite ``transactions.merchant`` where ``keys`` gives another value, in id order, a chunk at a time."""
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
def _rules(bind, before: Callable[[str], str], after: Callable[[str], str]) -> None:
    from budgetwise.services.categorize.rekey import rekey_learned_rules

    users = bind.execute(sa.text("SELECT DISTINCT user_id FROM rules WHERE origin = 'learned' "
                                 "AND user_id IS NOT NULL ORDER BY user_id")).scalars().all()
    session = Session(bind=bind)
    for user_id in users:
        rekey_learned_rules(session, user_id=int(user_id), before=before, after=after,
                            planner=26)
    session.flush()


# Session 10's key (unchanged in session 11) is frozen as learn_key_before_session_12, which migration 0019 re-keys on
# from: so 0016 replays what it did. Until session 23 this read today's learn_key: going down, a text changed in
# session 10 and again later ("Z DROGASIL1148 SOUZA") kept a key the code of 0015 never gives (tests/migrations/
# test_migration_rekey_replay.py).
def upgrade() -> None:
    from budgetwise.services.categorize.rekey import learn_key_before_session_10
    from budgetwise.textforms import learn_key_before_session_12, merchant_keys

    bind = op.get_bind()
    _rules(bind, learn_key_before_session_10, learn_key_before_session_12)
    _merchants(bind, merchant_keys)


def downgrade() -> None:
    from budgetwise.services.categorize.rekey import learn_key_before_session_10
    from budgetwise.textforms import learn_key_before_session_12, merchant_key_before_session_11

    bind = op.get_bind()
    _merchants(bind, lambda descriptions: [merchant_key_before_session_11(d) for d in descriptions])
    _rules(bind, learn_key_before_session_12, learn_key_before_session_10)
