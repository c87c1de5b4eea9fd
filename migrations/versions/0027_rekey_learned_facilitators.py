"""Learned rules re-keyed to session 17's learning key: a facilitator's code before a "*" and mobile money's
person-to-person phrases dropped (issue #16).

The learning key now drops a short payment facilitator's code written before a "*" ("PAG*PADARIA SOL" gave
"pag padaria sol", now "padaria sol"; "MP *LOJA DO ZE" gave "mp loja do ze", now "loja do ze") and a mobile-money
phrase before the payee ("Customer Transfer to - 07… PETER KAMAU" gave "customer transfer peter kamau", now
"peter kamau"). A rule learned on the earlier key no longer matched its own merchant's rows; it takes the key its
rows give now (``services/categorize/rekey.py``, as migrations 0016, 0019, 0021, 0022 and 0025 did: merged per user
and direction, the latest correction's category; hand-written rules, other users' rules and every transaction's
category left alone). The stored merchant (``transactions.merchant``) is not changed. The downgrade runs the rules
back to the earlier key.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(before, after) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user

    rekey_every_user(op.get_bind(), before=before, after=after, planner=26)


# Session 17's key (unchanged until session 20 read the shared words) is frozen as learn_key_before_session_20, which
# migration 0029 re-keys on from: so 0027 keeps replaying what it did (until session 23 this read learn_key).
def upgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_17, learn_key_before_session_20

    _rules(learn_key_before_session_17, learn_key_before_session_20)


def downgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_17, learn_key_before_session_20

    _rules(learn_key_before_session_20, learn_key_before_session_17)
