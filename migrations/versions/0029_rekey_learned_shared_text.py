"""Learned rules re-keyed to session 20's learning key: a key of the words every description shares falls back to
the payee's own words (issue #16).

An export whose every description ends "… - Omitted due to Privacy Reasons" gave payees whose own words the key drops
(a payment service "PayPal", "C1000", "H&M") one key, "omitted due privacy reasons"; a correction of one of them
learned a rule on that key and filed them all. The key now reads the words the user's descriptions share
(``knowledge.shared_text``) and falls back to the payee's own words ("paypal", "c1000", "h&m";
``textforms.payee_key``). A rule learned on the earlier key takes the keys its rows give now
(``services/categorize/rekey.py``, as 0016 … 0027 did), narrowed to the keys of the rows the user filed by hand under
its category where the old key now falls under several (the PayPal row corrected: "paypal" only; without such a row,
one rule per key, each with the rule's category). Hand-written rules, other users' rules and every transaction's
category are left alone. The downgrade runs the rules back to the earlier key (rules that then hold one key merged).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Session 20's key (learn_key with the user's shared words) is frozen as learn_key_before_session_23, which migration
# 0033 re-keys on from: so 0029 keeps replaying what it did (until session 23 this read learn_key).
# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(forward: bool) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user
    from budgetwise.textforms import learn_key_before_session_20, learn_key_before_session_23

    def keys(shared: frozenset[str]):
        now = functools.partial(learn_key_before_session_23, shared=shared)
        return (learn_key_before_session_20, now) if forward else (now, learn_key_before_session_20)

    rekey_every_user(op.get_bind(), per_user=keys, planner=26)


def upgrade() -> None:
    _rules(True)


def downgrade() -> None:
    _rules(False)
