"""The audit writer: one ``AuditLog`` row per administrative change, in the caller's transaction.

Who (the principal; the command line is recorded as ``cli@localhost`` with no actor id), what
(an action such as ``rule.create``), on whom or what, details, when. Nothing here edits or
deletes audit rows: there is no function for it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from budgetwise.models import AuditLog, utcnow
from budgetwise.principal import Principal

CLI_ACTOR_EMAIL = "cli@localhost"


def is_cli(principal: Principal) -> bool:
    """The command line acts as an administrator without an account (``user_id`` 0)."""
    return principal.user_id <= 0


def record(
    session: Session,
    principal: Principal,
    action: str,
    *,
    target_user_id: int | None = None,
    target: str = "",
    details: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Add one audit row for ``principal``'s ``action`` (flushed with the caller's change)."""
    session.add(
        AuditLog(
            actor_id=None if is_cli(principal) else principal.user_id,
            actor_email=CLI_ACTOR_EMAIL if is_cli(principal) else principal.email,
            action=action,
            target_user_id=target_user_id,
            target=target[:300],
            details=details,
            created_at=now or utcnow(),
        )
    )
