"""One error hierarchy. The message of every BudgetwiseError is what the user reads."""

from __future__ import annotations


class BudgetwiseError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ValidationError(BudgetwiseError):
    """Input that a person or a file gave is not acceptable."""


class NotFoundError(BudgetwiseError):
    """The object does not exist *for this user* (also used to refuse other users' ids)."""


class PermissionDenied(BudgetwiseError):
    """The principal may not do this (e.g. a regular user calling an admin service)."""


class AuthenticationError(BudgetwiseError):
    """Login failed or a session token is not valid any more."""


class AccountLocked(AuthenticationError):
    """Too many failed logins in a row."""


class ConflictError(BudgetwiseError):
    """The change conflicts with existing data (e.g. an email already in use)."""


class Busy(ConflictError):
    """A shared capacity is full for now (every demo account in use): the message says to try again later."""


class LockTimeout(ConflictError):
    """A write waited longer than BUDGETWISE_LOCK_TIMEOUT_SECONDS for a row another request of the same data holds
    (PostgreSQL/MariaDB): the whole unit of work was rolled back (``db.session_scope``), so try again."""


class ImportFileError(BudgetwiseError):
    """A file could not be read or imported at all."""


class ConfigurationError(BudgetwiseError):
    """The app is misconfigured (bad database URL, unreadable secret file, ...)."""
