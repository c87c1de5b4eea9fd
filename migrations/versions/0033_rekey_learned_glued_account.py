"""Learned rules re-keyed to session 23's learning key: a name glued to an account abbreviation reads as the spaced
form (issue #16).

A mobile wallet prints the payee in a fixed-width field, so a long name runs into the account abbreviation after it:
"Pay Bill to 123 - E-CITIZENAcc. 55" gave the key "citizenacc" while the same payee spaced, "… - E-CITIZEN Acc. 55",
gave "citizen": two merchants in the labelling plan, in the memory and in a learned rule. The key now parts a word
glued to "acc" / "acct" / "accnt" with the abbreviation's period (``textforms._GLUED_ACCOUNT``; case-blind, as every
key). A rule learned on the earlier key takes the key its rows give now (``services/categorize/rekey.py``, read with
each user's shared words as migration 0029 did; merged per user and direction, the latest correction's category);
hand-written rules, other users' rules and every transaction's category are left alone. The downgrade runs the rules
back to the earlier key.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Re-keys to session 23's key, frozen as learn_key_before_session_24 when session 24 changed learn_key (a bill
# payment's account reference dropped, migration 0037), so that 0033 keeps replaying what it did.
# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(forward: bool) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user
    from budgetwise.textforms import learn_key_before_session_23, learn_key_before_session_24

    def keys(shared: frozenset[str]):
        now = functools.partial(learn_key_before_session_24, shared=shared)
        then = functools.partial(learn_key_before_session_23, shared=shared)
        return (then, now) if forward else (now, then)

    rekey_every_user(op.get_bind(), per_user=keys, planner=26)


def upgrade() -> None:
    _rules(True)


def downgrade() -> None:
    _rules(False)
