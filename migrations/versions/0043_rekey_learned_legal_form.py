"""Learned rules re-keyed to session 26's learning key: a key of legal forms only keeps the payee's payment words
beside them (issue #16).

"Pay Bill Online to 409 - Direct Pay Limited 1" gave the key "limited" ("direct" and "pay" are a payment's words): a
learned rule on it answered for every company whose other words are a payment's. Such a key now keeps those words
("direct pay limited"); keys with a name beside the form ("safaricom limited", "acme" of "ACME GmbH") are as before. A
rule learned on the earlier key takes the key its rows give now (``services/categorize/rekey.py``, read with each
user's shared words as migrations 0033, 0037 and 0039 did; merged per user and direction, the latest correction's
category; the rules it adds stop at the user's rule limit); hand-written rules, other users' rules and every
transaction's category are left alone. The downgrade runs the rules back to the earlier key.

Revision ID: 0043
Revises: 0041
Create Date: 2026-12-07
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from alembic import op

revision: str = "0043"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# When learn_key changes again, freeze today's key (learn_key with the user's shared words) as
# learn_key_before_session_N (budgetwise/textkeys.py) and use it here, so that 0043 keeps replaying what it did.
# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(forward: bool) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user
    from budgetwise.textforms import learn_key
    from budgetwise.textkeys import learn_key_before_session_26

    def keys(shared: frozenset[str]):
        now = functools.partial(learn_key, shared=shared)
        then = functools.partial(learn_key_before_session_26, shared=shared)
        return (then, now) if forward else (now, then)

    rekey_every_user(op.get_bind(), per_user=keys, planner=26)


def upgrade() -> None:
    _rules(True)


def downgrade() -> None:
    _rules(False)
