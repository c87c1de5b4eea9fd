"""Learned rules re-keyed to session 25's learning key: a bill payment's account reference stays out of the key where
the payee's name is too short to be a key alone (issue #16).

"Pay Bill to 222 - KE Acc. NHIFM" left "ke" once the reference was dropped (session 24), under the three characters a
key needs; the fallback then read the text again with the card and wallet words kept and the reference back in:
"bill ke acc nhifm", one merchant per reference. The fallback now keeps the reference out: "bill ke" (the bill and its
payee). A rule learned on the earlier key takes the key its rows give now (``services/categorize/rekey.py``, read with
each user's shared words as migrations 0033 and 0037 did; merged per user and direction, the latest correction's
category; the rules it adds stop at the user's rule limit); hand-written rules, other users' rules and every
transaction's category are left alone. The downgrade runs the rules back to the earlier key.

Revision ID: 0039
Revises: 0035
Create Date: 2026-12-07
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from alembic import op

revision: str = "0039"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Replays to learn_key_before_session_26 (session 25's key, frozen when session 26 changed learn_key), so that 0039
# keeps replaying what it did.
# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(forward: bool) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user
    from budgetwise.textkeys import learn_key_before_session_25, learn_key_before_session_26

    def keys(shared: frozenset[str]):  # to session 25's key, frozen since session 26 (migration 0043)
        now = functools.partial(learn_key_before_session_26, shared=shared)
        then = functools.partial(learn_key_before_session_25, shared=shared)
        return (then, now) if forward else (now, then)

    rekey_every_user(op.get_bind(), per_user=keys, planner=26)


def upgrade() -> None:
    _rules(True)


def downgrade() -> None:
    _rules(False)
