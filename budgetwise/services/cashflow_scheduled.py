"""Items the user schedules by hand for the cash-flow projection (issue #19): "rent 1,200 on the 1st", "insurance
600 every March". Listed, added, edited (session 19) and removed here, one check of their fields for adding and
editing (:func:`_checked`); :mod:`.cashflow` counts them in a projection (``_scheduled_known``) and re-exports these
names. An item may belong to one of the user's accounts (migration 0028): that account's projection counts it
(:meth:`ScheduledView.counted`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from budgetwise.dates import day_text, parse_date
from budgetwise.errors import ValidationError
from budgetwise.names import clean_name, quoted

# A household's bills and incomes are a few dozen. Each weekly item is 52 dates of a year's projection, computed in
# the one process every user's pages share: 11,000 items took 4.8 s of CPU a Cash flow run (session 21).
MAX_NAME = 100
MAX_SCHEDULED_PER_USER = 1_000


@dataclass(frozen=True)
class ScheduledView:
    id: int
    name: str
    kind: str
    amount_minor: int
    currency: str
    cadence: str | None
    next_date: dt.date
    account_id: int | None = None  # the account it is paid from or into; None: no particular account
    account: str = ""  # that account's name
    account_archived: bool = False  # its account is archived: kept, but in no projection until it is restored

    def counted(self, account_ids: Collection[int] | None, single: bool = False) -> bool:
        """Whether a projection of ``account_ids`` (None: every account) counts it: an item of no particular account
        in every projection of several accounts (not in one account's, ``single``), an account's item where its
        account is counted (an item of Savings is not in the spending accounts' answers), none of an archived
        account's."""
        if self.account_archived:
            return False
        if self.account_id is None:
            return not single
        return account_ids is None or self.account_id in account_ids


def _scheduled_view(row, account: str | None = None, archived: bool | None = None) -> ScheduledView:
    return ScheduledView(row.id, row.name, row.kind, int(row.amount_minor), row.currency, row.cadence, row.next_date,
                         row.account_id, account or "", bool(archived))


def list_scheduled(session, *, user_id: int) -> list[ScheduledView]:
    from sqlalchemy import and_, select

    from budgetwise.models import Account, ScheduledItem

    rows = session.execute(
        select(ScheduledItem, Account.name, Account.is_archived)
        .outerjoin(Account, and_(Account.id == ScheduledItem.account_id, Account.user_id == ScheduledItem.user_id))
        .where(ScheduledItem.user_id == user_id).order_by(ScheduledItem.next_date, ScheduledItem.id))
    return [_scheduled_view(r, name, archived) for r, name, archived in rows]


def _schedule_account(session, user_id: int, account_id: int | None):
    """The account a new item is scheduled for: the user's own (NotFoundError otherwise, as for an id that does not
    exist) and open; None for no particular account."""
    from budgetwise.services import accounts

    if account_id is None:
        return None
    view = accounts.get_account(session, user_id=user_id, account_id=int(account_id))
    if view.is_archived:
        raise ValidationError(f"The account {quoted(view.name)} is archived: nothing new can be scheduled for it. Restore "
                              "it on the Accounts page, or choose another account (or no particular account).",
                              field="account")
    return view


def archived_items_note(session, *, user_id: int, account_id: int, archived: bool = True) -> str | None:
    """What archiving an account does to the items scheduled for it, in words (None when it has none): they stay,
    out of every projection while it is archived (a closed account's payments do not happen from it; moving them to
    no particular account would count a savings account's items in the spending answers); restoring brings them
    back (``archived`` False: what restoring does). The Accounts page and ``budgetwise accounts archive`` say it."""
    names = [i.name for i in list_scheduled(session, user_id=user_id) if i.account_id == account_id]
    if not names:
        return None
    from budgetwise.services.cashflow_scope import names_text

    one = len(names) == 1
    items = f"Its scheduled {'item' if one else 'items'} {names_text(f'“{n}”' for n in names)}"
    if not archived:
        return f"{items} {'is' if one else 'are'} projected again."
    return (f"{items} {'stays' if one else 'stay'} on the Cash flow page but {'is' if one else 'are'} not projected "
            f"while it is archived; restoring the account brings {'it' if one else 'them'} back.")


@dataclass(frozen=True)
class _Checked:
    """A scheduled item's fields as given, checked: what :func:`add_scheduled` writes and :func:`update_scheduled`
    writes over an item, all or nothing."""
    name: str
    kind: str
    amount_minor: int
    currency: str
    cadence: str | None
    next_date: dt.date
    account: Any  # accounts.AccountView or None (no particular account)


def _checked(session, user_id: int, *, name: str, amount: object, kind: str, next_date: object, cadence: str | None,
             currency: str | None, today: dt.date | None, account_id: int | None) -> _Checked:
    """The one check of a scheduled item's fields, for adding and editing alike (the same messages): a name, income
    or expense, the user's own open account or none (another user's: as an unknown id; an archived one refused), a
    positive, sane amount in ``currency`` or the account's or the user's currency, a next date from today up to
    two years on, a cadence or once."""
    from budgetwise.money import parse_positive_amount, validate_currency
    from budgetwise.services import rates
    from budgetwise.services.cashflow import scheduled_date_limits
    from budgetwise.services.cashflow_whatif import cadence_choice
    from budgetwise.services.profile import user_decimal_separator, user_formats

    today = today or dt.date.today()
    clean = clean_name(name, what="scheduled item", limit=MAX_NAME,
                       missing="Give the scheduled item a name (for example “Rent”).")
    if kind not in ("income", "expense"):
        raise ValidationError("A scheduled item is income or an expense.", field="kind")
    account = _schedule_account(session, user_id, account_id)
    cur = validate_currency(currency) if currency else account.currency if account else rates.user_currency(session,
                                                                                                          user_id)
    minor = parse_positive_amount(str(amount), cur, field="amount", decimal_hint=user_decimal_separator(session, user_id))
    next_date = parse_date(next_date, field="next_date", missing_message="Give the next date it is due.")
    earliest, latest = scheduled_date_limits(today)
    if not earliest <= next_date <= latest:
        locale, fmt = user_formats(session, user_id)
        raise ValidationError(
            f"The date {day_text(next_date, fmt, locale)} is in the past; give the next time it is due (today or "
            f"later, up to {day_text(latest, fmt, locale)})." if next_date < earliest else
            f"The next date {day_text(next_date, fmt, locale)} is more than two years away (the latest is "
            f"{day_text(latest, fmt, locale)}).",
            field="next_date",
        )
    return _Checked(clean, kind, minor, cur, cadence_choice(cadence), next_date, account)


def add_scheduled(
    session, *, user_id: int, name: str, amount: object, kind: str, next_date: object,
    cadence: str | None = None, currency: str | None = None, today: dt.date | None = None,
    account_id: int | None = None,
) -> ScheduledView:
    """"rent 1,200 on the 1st": name, amount, kind, the next date (today or later) and a cadence; ``account_id``: the
    user's open account it is paid from or into (its currency is then the amount's unless ``currency`` says),
    None for no particular account."""
    from sqlalchemy import func, select

    from budgetwise.models import ScheduledItem
    from budgetwise.services.versions import count_under_user_lock, touch_data

    c = _checked(session, user_id, name=name, amount=amount, kind=kind, next_date=next_date, cadence=cadence,
                 currency=currency, today=today, account_id=account_id)
    held = count_under_user_lock(  # under the user's lock: requests at once queue
        session, user_id,
        select(func.count()).select_from(ScheduledItem).where(ScheduledItem.user_id == user_id)
    )
    if held >= MAX_SCHEDULED_PER_USER:
        raise ValidationError(f"You have {held:,} scheduled items; the limit is {MAX_SCHEDULED_PER_USER:,}. Delete the "
                              "ones that no longer happen first.", field="name")
    row = ScheduledItem(user_id=user_id, name=c.name, kind=c.kind, amount_minor=c.amount_minor, currency=c.currency,
                        cadence=c.cadence, next_date=c.next_date, account_id=c.account.id if c.account else None)
    session.add(row)
    session.flush()
    touch_data(session, user_id)
    return _scheduled_view(row, c.account.name if c.account else None)


def update_scheduled(
    session, *, user_id: int, item_id: int, name: str, amount: object, kind: str, next_date: object,
    cadence: str | None = None, currency: str | None = None, today: dt.date | None = None,
    account_id: int | None = None,
) -> ScheduledView:
    """An item scheduled by hand, edited (session 19; it was remove and add again): every field as
    :func:`add_scheduled` takes it, checked by the same rules with the same messages, written only when all hold
    (nothing half-written). Another user's item is refused as one that does not exist; so is another user's
    account. Its account must be open, the one it had too (an archived account's item can be moved to another
    account or to none, or its account restored)."""
    from sqlalchemy import select

    from budgetwise.errors import NotFoundError
    from budgetwise.models import ScheduledItem
    from budgetwise.services.versions import lock_user_for_import, touch_data

    lock_user_for_import(session, user_id)  # the user's lock first (session 29): a delete at once is waited for
    row = session.scalar(select(ScheduledItem).where(ScheduledItem.id == item_id, ScheduledItem.user_id == user_id))
    if row is None:
        raise NotFoundError("This scheduled item does not exist.")
    c = _checked(session, user_id, name=name, amount=amount, kind=kind, next_date=next_date, cadence=cadence,
                 currency=currency, today=today, account_id=account_id)
    row.name, row.kind, row.amount_minor, row.currency = c.name, c.kind, c.amount_minor, c.currency
    row.cadence, row.next_date, row.account_id = c.cadence, c.next_date, c.account.id if c.account else None
    session.flush()
    touch_data(session, user_id)
    return _scheduled_view(row, c.account.name if c.account else None)


def delete_scheduled(session, *, user_id: int, item_id: int) -> None:
    """Delete one of the user's scheduled items. The user's lock first (session 29): the item's row was locked first
    and the user's last (``touch_data``), against the order of an edit of the item (a deadlock)."""
    from sqlalchemy import delete

    from budgetwise.errors import NotFoundError
    from budgetwise.models import ScheduledItem
    from budgetwise.services.versions import lock_user_for_import, touch_data

    lock_user_for_import(session, user_id)
    result = session.execute(delete(ScheduledItem).where(ScheduledItem.id == item_id, ScheduledItem.user_id == user_id))
    if not result.rowcount:
        raise NotFoundError("This scheduled item does not exist.")
    touch_data(session, user_id)
