"""What every admin service shares: the CLI principal, a page of rows, the audit writer.

:func:`_audit` writes one ``AuditLog`` row in the caller's transaction; nothing here edits or
deletes audit rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from budgetwise.models import ROLE_ADMIN
from budgetwise.paging import MAX_PAGE_SIZE, page_count  # noqa: F401 (MAX_PAGE_SIZE: admin's public name)
from budgetwise.principal import Principal
from budgetwise.services import audit
from budgetwise.services.versions import touch_all_data
from budgetwise.text import clean_text

T = TypeVar("T")

CLI_ACTOR_EMAIL = audit.CLI_ACTOR_EMAIL
MAX_EXPORT_ROWS = 1_000_000
MATCH_TYPES = ("contains", "starts_with", "exact", "regex")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOCKOUT_REASONS = ("locked", "locked_now")


def cli_principal() -> Principal:
    """The command line's identity: an administrator without an account (``user_id`` 0)."""
    return Principal(user_id=0, email=CLI_ACTOR_EMAIL, name="Command line", role=ROLE_ADMIN)


_is_cli = audit.is_cli


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)


def _like(value: str) -> str | None:
    """A case-insensitive LIKE pattern for a search box (wildcards in the text are literal)."""
    text_value = clean_text(value)[:100].lower()
    if not text_value:
        return None
    escaped = text_value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


_audit = audit.record  # the one audit writer (budgetwise.services.audit)


def _bump_all_data_versions(session: Session) -> None:
    """Global categories show up in every user's data: invalidate every user's caches."""
    touch_all_data(session)
