"""Goals linked to a savings account (issue #19).

A goal can follow one of the user's savings accounts (``goals.account_id``, migration 0011): its
progress is then that account's balance today, in the goal's currency, instead of the amounts
recorded on the goal. The balance comes from :func:`budgetwise.services.accounts.balances` (SQL
aggregates); an account in another currency is converted with :class:`rates.Converter` at today's
rate (the user's own rates first, as everywhere). Without a rate the balance is not guessed (never
1.0): the goal keeps the amounts recorded on it and says which rate is missing.

Both the goal and the account must be the caller's: another user's id is answered exactly like an id
that does not exist (NotFoundError).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.dates import day_text
from budgetwise.errors import ValidationError
from budgetwise.models import Goal
from budgetwise.services import accounts, profile, rates

LINKABLE_KINDS = ("savings",)


@dataclass(frozen=True)
class LinkedBalance:
    account_id: int
    account_name: str
    balance_minor: int | None  # in the goal's currency; None when no rate converts it
    note: str = ""  # names the missing rate


def linkable_accounts(session: Session, *, user_id: int) -> list[accounts.AccountView]:
    """The user's open savings accounts (what the Goals page offers)."""
    return [a for a in accounts.list_accounts(session, user_id=user_id) if a.kind in LINKABLE_KINDS]


def link_account(session: Session, *, user_id: int, goal_id: int, account_id: int | None) -> int | None:
    """Link the goal to the user's savings account ``account_id`` (None: unlink). Returns the link."""
    goal = session.scalar(select(Goal).where(Goal.id == goal_id, Goal.user_id == user_id))
    if goal is None:
        from budgetwise.errors import NotFoundError

        raise NotFoundError("That goal does not exist.", field="goal")
    if account_id is None:
        goal.account_id = None
    else:
        # locked (account_lock): a type changed in another tab at the same moment is seen, not linked past
        account = accounts.locked_account(session, user_id=user_id, account_id=int(account_id))
        if account.kind not in LINKABLE_KINDS:
            raise ValidationError(
                f"“{account.name}” is a {account.kind_label.lower()} account: a goal follows a savings account. "
                "Choose a savings account (or change this account's type on the Accounts page).",
                field="account",
            )
        if account.is_archived:
            raise ValidationError(
                f"“{account.name}” is archived: restore it on the Accounts page or choose another account.",
                field="account",
            )
        goal.account_id = account.id
    session.flush()
    return goal.account_id


def linked_balances(
    session: Session, *, user_id: int, links: Iterable[tuple[int, int, str]], today: dt.date | None = None
) -> dict[int, LinkedBalance]:
    """{goal_id: the linked account's balance in the goal's currency} for ``(goal_id, account_id,
    goal_currency)`` triples; accounts that are not the user's are left out."""
    wanted = [(g, a, c) for g, a, c in links if a is not None]
    if not wanted:
        return {}
    day = today or dt.date.today()
    snapshot = accounts.balances(session, user_id=user_id, as_of=day)
    by_account = {b.account.id: b for b in snapshot.accounts}
    converters: dict[str, rates.Converter] = {}
    out: dict[int, LinkedBalance] = {}
    formats: tuple[str, str] | None = None  # the user's (locale, date format), read once a note needs them
    for goal_id, account_id, currency in wanted:
        found = by_account.get(account_id)
        if found is None:
            continue
        name = found.account.name
        if currency == snapshot.base_currency:
            value = found.base_minor
            missing = [m for m in snapshot.missing_rates if m.currency == found.account.currency] or list(
                snapshot.missing_rates)
        else:
            conv = converters.setdefault(currency, rates.Converter(session, currency, user_id=user_id))
            conv.prepare([(found.account.currency, day)])
            value = conv.convert_minor(found.balance_minor, found.account.currency, day)
            missing = [rates.MissingRate(found.account.currency, currency, (day,), 0, found.balance_minor,
                                         balances=1)]
        note = ""
        if value is None:
            locale, date_format = formats = formats or profile.user_formats(session, user_id)
            names = "; ".join(sorted({f"{m.currency} → {m.target} on "
                                      f"{m.dates_text(date_format=date_format, locale=locale)}" for m in missing})) or \
                f"{found.account.currency} → {currency} on {day_text(day, date_format, locale)}"
            note = (f"No exchange rate {names}: the balance of “{name}” cannot be shown in {currency}, so the "
                    "progress shows the amounts recorded on the goal (add the rate under Profile → Exchange rates).")
        out[goal_id] = LinkedBalance(account_id, name, value, note)
    return out


def linked_for_goals(session: Session, *, user_id: int, goals: Iterable[Goal], today: dt.date) -> dict[int, LinkedBalance]:
    """:func:`linked_balances` for goal rows (the goals service's reads call it)."""
    links = [(g.id, g.account_id, g.currency) for g in goals if g.account_id is not None]
    return linked_balances(session, user_id=user_id, links=links, today=today) if links else {}
