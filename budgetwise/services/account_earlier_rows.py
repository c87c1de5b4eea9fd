"""An import's account value found by the rows stored with it (issue #19): the open account holding the user's recent
rows that carry the value (a bank file imported into another account before stays with it). Split out of
:func:`budgetwise.services.accounts.accounts_for_names` (session 27, route27: accounts.py reached its size limit)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budgetwise.models import Account, Transaction
from budgetwise.services.account_numbers import number_of, row_text, same_number
from budgetwise.services.accounts import EARLIER_ROWS, NamedAccount, import_account_key


def held_by_earlier_rows(session: Session, user_id: int, names: Mapping[str, str], missing: list[str],
                         out: dict[str, NamedAccount]) -> None:
    """Into ``out``: for each key in ``missing``, the open account holding the user's recent rows that carry its value
    (the newest EARLIER_ROWS; a bank file imported into another account before stays with it)."""
    if not missing:
        return
    # a row keeps its value as an import stores it (numbers masked since session 27: row_text), or as written
    asked = {v: import_account_key(v) for v in names if import_account_key(v) in missing}
    stored = {**{row_text(v) or v: k for v, k in asked.items()}, **asked}
    # the newest rows only (the (user_id, date) index, not a scan of the user's history)
    recent = (
        select(Transaction.account.label("value"), Transaction.account_id.label("account_id"))
        .where(Transaction.user_id == user_id, Transaction.account.is_not(None))
        .order_by(Transaction.date.desc()).limit(EARLIER_ROWS).subquery()
    )
    # a masked text ("DE…3000") is shared by every number ending so: an account keeping another number is not the
    # one (sec28: a second IBAN ending in 3000 went into the first one's account); the same number in another form
    # (an OFX ACCTID ending the IBAN) is (review28: same_number)
    numbers = {k: n for v, k in asked.items() if (n := number_of(v))}
    earlier = session.execute(
        select(recent.c.value, Account.id, Account.name, Account.currency, Account.external_id, func.count())
        .join(Account, Account.id == recent.c.account_id)
        .where(Account.is_archived.is_(False),
               recent.c.value.in_(list(stored)))
        .group_by(recent.c.value, Account.id, Account.name, Account.currency, Account.external_id)
        .order_by(func.count().desc(), Account.id)
    ).all()
    for held_value, account_id, held_by, held_currency, kept, _count in earlier:
        key = stored.get(held_value) or import_account_key(held_value or "")  # MariaDB: any case matched
        if kept and numbers.get(key) and not same_number(str(kept), numbers[key]):
            continue
        out.setdefault(key, NamedAccount(held_by, int(account_id), held_currency))

