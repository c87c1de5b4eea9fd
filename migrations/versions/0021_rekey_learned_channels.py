"""Learned rules re-keyed to session 14's learning key: a payment's channel is not the merchant (issue #16).

The learning key drops the channel a payment went through ("PAGAMENTO VIA INTERNET PADARIA ESTRELA" gave "via
internet padaria estrela", now "padaria estrela"; "Internetbanking Stadtwerke" gave "internetbanking stadtwerke",
now "stadtwerke"; "pago por internet …", "ONLINE BANKING …", "MOBILE BANKING …"): a correction of one internet
payment taught "via internet", a stem every internet payment fell under. A learned rule on the earlier key takes
the key its rows give now (``services/categorize/rekey.py``, as migrations 0016 and 0019 did: merged per user, the
latest correction's category; hand-written rules, other users' rules and every transaction's category left alone).
The stored merchant (``transactions.merchant``) keeps its boilerplate and is not changed. The downgrade runs the
rules back to the earlier key.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(before, after) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user

    rekey_every_user(op.get_bind(), before=before, after=after, planner=26)


# Session 14's key, frozen (``learn_key_before_session_15``): migration 0022 re-keys on from it, so this migration
# replays the history it was whatever ``learn_key`` is today.
def upgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_14, learn_key_before_session_15

    _rules(learn_key_before_session_14, learn_key_before_session_15)


def downgrade() -> None:
    from budgetwise.textforms import learn_key_before_session_14, learn_key_before_session_15

    _rules(learn_key_before_session_15, learn_key_before_session_14)
