"""The user's stored preferences, read one column at a time: base currency, locale (number and money
format), date format, decimal separator. The one owner of these lookups (``profile`` and ``rates``
re-export them). Kept apart from ``profile`` so that the forecast, reports and rates code that only
needs a user's currency or locale does not load the sign-in machinery (bcrypt, PyJWT) with it
(``tests/services/test_versions.py``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.dates import ISO_DATE
from budgetwise.errors import NotFoundError
from budgetwise.models import User
from budgetwise.money import locale_separators


def user_locale(session: Session, user_id: int) -> str:
    """The user's number and money format (a babel locale, "en_US" for a missing user): the one
    lookup services use to write amounts and counts in the user's language."""
    return session.scalar(select(User.locale).where(User.id == user_id)) or "en_US"


def user_date_format(session: Session, user_id: int) -> str:
    """The user's date format (``users.date_format``, ISO for a missing user): what services write the
    dates of their sentences with, through :func:`budgetwise.dates.day_text`."""
    return session.scalar(select(User.date_format).where(User.id == user_id)) or ISO_DATE


def user_formats(session: Session, user_id: int) -> tuple[str, str]:
    """The user's (locale, date format) in one query, "en_US" and ISO for a missing user: what a service
    that writes both amounts and dates reads (:func:`user_locale` and :func:`user_date_format` together)."""
    row = session.execute(select(User.locale, User.date_format).where(User.id == user_id)).first()
    return (row[0] or "en_US", row[1] or ISO_DATE) if row is not None else ("en_US", ISO_DATE)


def user_currency(session: Session, user_id: int) -> str:
    """The user's base currency (``users.currency``): what amounts default to and rates convert to. The one
    lookup (``profile`` and ``rates`` re-export it); a missing user is refused (NotFoundError), never defaulted."""
    currency = session.scalar(select(User.currency).where(User.id == user_id))
    if currency is None:
        raise NotFoundError("This account no longer exists.")
    return currency


def user_decimal_separator(session: Session, user_id: int) -> str:
    """The user's decimal separator, the hint for reading typed amounts: "1.250" is 1.25 in en_US
    and 1250 in de_DE."""
    return locale_separators(user_locale(session, user_id))[0]
