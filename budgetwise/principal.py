"""The authenticated caller that every service receives."""

from __future__ import annotations

from dataclasses import dataclass

from budgetwise.errors import PermissionDenied
from budgetwise.models import ROLE_ADMIN


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    name: str
    role: str
    currency: str = "USD"
    locale: str = "en_US"
    date_format: str = "%Y-%m-%d"
    week_start: int = 0
    account_uid: str = ""  # random, never reused (ids can be): part of every per-user cache key

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN


def require_admin(principal: Principal | None) -> Principal:
    """Services call this themselves: navigation hiding is not authorization."""
    if principal is None or not principal.is_admin:
        raise PermissionDenied("This needs an administrator account.")
    return principal
