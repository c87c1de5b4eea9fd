"""The user's choice of default account (issue #19, session 25): the account transactions added and files imported
without an account go to, and the one an import's preview measures against ("Your default account … is in CZK, so …").

Until session 25 the default was always the first open account by id, and nothing could change it: the first file a
EUR user imported (a Czech bank's CSV in CZK, with an account column) took the starter's place and stayed the default
for good. Now the user can make any open account the default (``accounts.is_default``, migration 0041); without a
choice (or once the chosen one is archived) it is the first open account, as before
(:func:`budgetwise.services.accounts.default_account_id`).

Rows without an account (a bulk path that predates accounts) count in the default account: they are given to the
current default first, so changing it moves no balance.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.models import Account
from budgetwise.names import quoted
from budgetwise.services.accounts import AccountView, _locked, _view, attach_unassigned
from budgetwise.services.versions import touch_data


def set_default_account(session: Session, *, user_id: int, account_id: int) -> AccountView:
    """Make the user's open account ``account_id`` their default (another user's id: NotFoundError, as an id that
    does not exist); an archived account is refused. Under the user's lock, read after it (as archiving is), so two
    choices at once leave one, and an account archived in another tab meanwhile is refused, not flagged (session 26).
    The lock is the one order of account edits (:mod:`.account_lock`, session 27: the row read anew under it)."""
    row = _locked(session, user_id, int(account_id))
    if row.is_archived:
        raise ValidationError(
            f"The account {quoted(row.name)} is archived; restore it before making it your default account.",
            field="account",
        )
    attach_unassigned(session, user_id=user_id)  # to the current default: their balance stays where it is
    session.execute(
        update(Account).where(Account.user_id == user_id, Account.id != row.id, Account.is_default.is_(True))
        .values(is_default=False).execution_options(synchronize_session="fetch")
    )
    row.is_default = True
    session.flush()
    touch_data(session, user_id)
    return _view(row)
