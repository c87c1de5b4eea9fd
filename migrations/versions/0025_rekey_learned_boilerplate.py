"""Learned rules re-keyed to session 16's learning key: a card's and a mobile wallet's channel words dropped (issue #16).

The learning key drops the card words of more languages and a mobile wallet's bill-pay channel before the payee
("COMPRA CARTAO DEB MC 11/10 GRAAL" gave "cartao deb mc graal", and a correction taught the stem "cartao deb", every
debit-card purchase; now "graal"; "Pay Bill Online to 322889 - ACME Acc. 55" gave "bill acme acc", now "acme";
``textforms._without_card_channel``). A learned rule on the earlier key takes the key its rows give now
(``services/categorize/rekey.py``, as migrations 0016, 0019, 0021 and 0022 did: merged per user and direction, the
latest correction's category; hand-written rules, other users' rules and every transaction's category left alone).
The stored merchant (``transactions.merchant``) is not changed. The downgrade runs the rules back to the earlier key.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(before, after) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user

    rekey_every_user(op.get_bind(), before=before, after=after, planner=26)


# The key this migration re-keys to is the session-16 key, frozen (learn_key changed in session 17: a facilitator's code
# before a "*", mobile money's person-to-person phrases), so that 0025 replays what it was.
def upgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_16, learn_key_before_session_17

    _rules(learn_key_before_session_16, learn_key_before_session_17)


def downgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_16, learn_key_before_session_17

    _rules(learn_key_before_session_17, learn_key_before_session_16)
