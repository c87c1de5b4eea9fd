"""Learned rules re-keyed to session 15's learning key: a one-letter name kept, Brazil's rails dropped (issue #16).

The learning key keeps a one-letter name's letter ("Z WELLINGTON" gave "wellington", a rule on the city's name; now
"z wellington"; "Z ENERGY PETONE" gave "energy petone", now "z energy petone") and drops Brazil's payment rails with
their direction and account words ("PIX ENVIADO ALINE SOUZA" gave "pix enviado aline souza", a stem every PIX
payment fell under; now "aline souza"; "TED 237 0001 ACME" gave "ted acme", now "acme"). A learned rule on the
earlier key takes the key its rows give now (``services/categorize/rekey.py``, as migrations 0016, 0019 and 0021
did: merged per user and direction, the latest correction's category; hand-written rules, other users' rules and
every transaction's category left alone). The stored merchant (``transactions.merchant``) is not changed. The
downgrade runs the rules back to the earlier key.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(before, after) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user

    rekey_every_user(op.get_bind(), before=before, after=after, planner=26)


# Session 15's key, frozen (``learn_key_before_session_16``; until session 16 this was ``learn_key``): migration 0025
# re-keys on from it, so this migration replays the history it was whatever ``learn_key`` is today.
def upgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_15, learn_key_before_session_16

    _rules(learn_key_before_session_15, learn_key_before_session_16)


def downgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_15, learn_key_before_session_16

    _rules(learn_key_before_session_16, learn_key_before_session_15)
