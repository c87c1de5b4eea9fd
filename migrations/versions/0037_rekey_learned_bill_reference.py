"""Learned rules re-keyed to session 24's learning key: a bill payment's account reference is no part of the payee
(issue #16).

A mobile wallet's or a bank's bill payment prints the payer's own customer or account number at the payee after an
account abbreviation: "Pay Bill to 222 - E-CITIZEN Acc. NHIFM123", "Pay Bill to 220 - ACME Acc.AIRT0733". A reference
of digits only was dropped already; one of letters stayed in the key ("citizen acc nhifm", "acme acc airt"), so each
reference was a new merchant for the memory, the labelling plan and a learned rule. The key now drops the account
abbreviation and every word after it in a bill payment (``textforms._without_bill_reference``). A rule learned on
the earlier key takes the key its rows give now (``services/categorize/rekey.py``, read with each user's shared
words as migration 0033 did; merged per user and direction, the latest correction's category; the rules it adds stop
at the user's rule limit, ``rules.rule_room``); hand-written rules, other users' rules and every transaction's
category are left alone. The downgrade runs the rules back to the earlier key.

Revision ID: 0037
Revises: 0034
Create Date: 2026-12-06
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from alembic import op

revision: str = "0037"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Re-keys to session 24's key, frozen as learn_key_before_session_25 when session 25 changed learn_key (migration 0039),
# so that 0037 keeps replaying what it did (until session 26, mig26, this read today's learn_key: a fresh database
# got session 26's key here, then 0039 re-keyed from session 24's).
# Replays session 26's re-key planner (``planner=26``, frozen in session 26 by mig26; a later one is a new version).
def _rules(forward: bool) -> None:
    from budgetwise.services.categorize.rekey import rekey_every_user
    from budgetwise.textkeys import learn_key_before_session_24, learn_key_before_session_25

    def keys(shared: frozenset[str]):
        now = functools.partial(learn_key_before_session_25, shared=shared)
        then = functools.partial(learn_key_before_session_24, shared=shared)
        return (then, now) if forward else (now, then)

    rekey_every_user(op.get_bind(), per_user=keys, planner=26)


def upgrade() -> None:
    _rules(True)


def downgrade() -> None:
    _rules(False)
