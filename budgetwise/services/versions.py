"""Users' data versions: the one place that bumps them.

``users.data_version`` keys every per-user cache (``st.cache_data``): a write to a user's data
bumps that user's version (:func:`touch_data`); a change that shows up in every user's data
(global categories and rules, exchange rates) bumps everyone's (:func:`touch_all_data`).
The bump runs in the caller's transaction, so a rolled-back write leaves the version as it was.

Goals and their contributions do not bump it (session 11): no cached result reads them (the Goals page
reads them on every run), and a goal written bumped the version that keys the 24-month net-savings
forecast, so every goal created or contribution added re-ran it (≈ 3.4 s CPU on the sample file) and
threw away the Forecast, Dashboard and Cash flow caches. A cached result that starts to read goals must
bring the bump back.

Kept apart from the auth service so that loading data code (reports, forecast, imports) does
not load the password and token stack (bcrypt, PyJWT).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from budgetwise.models import User


def touch_data(session: Session, user_id: int) -> None:
    """Bump the user's data version (invalidates their cached results)."""
    session.execute(update(User).where(User.id == user_id).values(data_version=User.data_version + 1))


def touch_all_data(session: Session) -> None:
    """Bump every user's data version: for changes every user's data depends on."""
    session.execute(update(User).values(data_version=User.data_version + 1))


def data_version(session: Session, *, user_id: int) -> int:
    """The user's current data version (0 for an unknown user)."""
    return int(session.scalar(select(User.data_version).where(User.id == user_id)) or 0)


def cache_version(session: Session, *, user_id: int) -> str:
    """The key of a user's cached results: the account's random identifier and its data version.

    The data version alone restarts at 1 for a new account, and an id can come back (a
    database created before migration 0006, a restored backup): with the identifier in the
    key, a new account never sees what was cached for a deleted one (issue 13).
    """
    row = session.execute(select(User.account_uid, User.data_version).where(User.id == user_id)).first()
    return f"{row[0]}.{row[1]}" if row is not None else "-"
