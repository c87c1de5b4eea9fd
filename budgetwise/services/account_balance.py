"""An account's balance on a day, as the bank shows it: the opening balance that makes it so (session 23).

A new user's account that an import created without a statement balance (the Erste export, whose running
balance did not follow its amounts) read "940,00 Ft" where the bank said otherwise, and no page could change
an existing account's opening balance: "Add an account" sets one for a new account, the Import page's
checkbox only from a file's statement. What people know is what their bank shows on a day, not what the
account held before their history starts, so the Accounts page asks for that ("on 2019-04-19 it held
2 345,56 Ft") and :func:`set_balance_on` works out the opening balance:

* a day from the account's opening on (its opening date; without one its first transaction or its creation,
  ``accounts.opening_start``): the statement rule of the Import page (``importing.set_opening_from_statement``:
  opening balance plus the difference at the end of that day), audited the same way;
* a day before it: the account opens that day with that balance (less the rows dated that day, before its old
  opening date, which count from then on: session 25).

Either way the day is recorded as the account's confirmed day (``accounts.balance_confirmed_on``, session 24): the
balance there is a fact, like a transaction on that day, so a balance set for today makes the Cash flow page and the
dashboard's outlook current again (``cashflow.stale_notes``).

The amount is text read in the user's number format (a Decimal's "." is its decimal point; a float or an int is
refused) and in the account's currency ("€500" for a HUF account is refused, as for an opening balance); the day is
from 1900 to today. Another user's account is not found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from budgetwise.dates import day_text, parse_date
from budgetwise.errors import ValidationError
from budgetwise.importing.model import StatementBalance
from budgetwise.money import currencies_named_in, from_minor, parse_decimal, to_minor
from budgetwise.names import quoted
from budgetwise.principal import Principal
from budgetwise.services import accounts
from budgetwise.services.audit import record
from budgetwise.services.preferences import user_decimal_separator

SOURCE = "the balance you entered"  # StatementBalance.source: the audit log's words for where it came from


@dataclass(frozen=True)
class BalanceSet:
    """What :func:`set_balance_on` did: ``account`` as it is now, at ``balance_minor`` on ``day``."""

    account: accounts.AccountView
    balance_minor: int
    day: dt.date
    previous_opening_minor: int
    previous_opening_date: dt.date | None


def _amount(text: object, view: accounts.AccountView, decimal_hint: str) -> int:
    if isinstance(text, (int, float)):  # 5 or 5.5: neither says its minor units nor is money (bool is an int too)
        raise ValidationError("Give the balance as text or a Decimal in major units.", field="balance")
    if isinstance(text, Decimal):  # a machine value: its "." is the decimal point (Decimal("1.234") is not 1 234)
        text, decimal_hint = format(text, "f"), "."
    named = currencies_named_in(text)
    if named is not None and view.currency not in named:  # "€500" for a HUF account is not 500 HUF
        raise ValidationError(
            f"The balance {quoted(str(text).strip())} is in {'/'.join(sorted(named))} but the account {quoted(view.name)} "
            f"is in {view.currency}; give the balance in {view.currency}.", field="balance",
        )
    value = parse_decimal(str(text) if text is not None else "", decimal_hint=decimal_hint, field="balance",
                          label="The balance")
    minor = to_minor(value, view.currency, typed=str(text), field="balance", label="The balance")
    if abs(minor) > accounts.MAX_ABS_MINOR:
        raise ValidationError("The balance is implausibly large; check the amount.", field="balance")
    return minor


def _day(principal: Principal, value: object, today: dt.date | None) -> dt.date:
    if value in (None, ""):
        raise ValidationError("Choose the day of the balance (the day your bank showed it).", field="balance_date")
    when = parse_date(value, field="balance_date", missing_message="Give the day of the balance as YYYY-MM-DD.")
    earliest, latest = accounts.opening_date_limits(today)
    if not earliest <= when <= latest:
        said = day_text(when, principal.date_format, principal.locale)
        why = "is in the future; use today or an earlier day" if when > latest else "is before 1900"
        raise ValidationError(f"The balance's day {said} {why}.", field="balance_date")
    return when


def set_balance_on(
    session: Session, *, principal: Principal, account_id: int, amount: object, day: object,
    today: dt.date | None = None,
) -> BalanceSet:
    """Make ``account_id``'s balance at the end of ``day`` equal ``amount`` (text in the user's number format,
    or a Decimal) by setting its opening balance (and, for a day before the account's opening, its opening
    date). ``today``: the user's day (the browser's), the server's without it. Nothing is written on a refusal."""
    user_id = principal.user_id
    # another user's: not found; under the one lock order of account edits (account_lock): the latest figures
    view = accounts.locked_account(session, user_id=user_id, account_id=account_id)
    minor = _amount(amount, view, user_decimal_separator(session, user_id))
    when = _day(principal, day, today)
    start = accounts.opening_start(session, user_id=user_id, account_id=account_id)
    if when >= start:
        # the importing package (and the categorizer it loads) only when a balance is set: the Accounts page imported
        # it on every first open for this one call (session 24, acct24: ~0.3 s CPU, ~1 s wall under load)
        from budgetwise.services.importing.reconcile import set_opening_from_statement

        updated = set_opening_from_statement(session, principal=principal, account_id=account_id,
                                             balance=StatementBalance(minor, view.currency, when, SOURCE))
    else:  # nothing counts yet on that day (no opening balance, no transaction counted): the account opens there
        def opens_with(opening: int) -> accounts.AccountView:
            return accounts.set_opening_balance(session, user_id=user_id, account_id=account_id,
                                                amount=from_minor(opening, view.currency), opening_date=when,
                                                currency=view.currency, today=today, confirmed_on=when)

        updated, opening = opens_with(minor), minor
        # a day before the opening date can hold rows (imported after the opening balance was given): they count once
        # the account opens that day, so the opening balance is the day's balance less them and the day ends at the
        # balance given (session 25: it ended at that balance plus them)
        held = next(b.balance_minor for b in accounts.balances(session, user_id=user_id, as_of=when).accounts
                    if b.account.id == account_id)
        if held != minor:
            updated, opening = opens_with(2 * minor - held), 2 * minor - held
        record(session, principal, "account.opening_balance", target_user_id=user_id,
               target=f"account {account_id} ({view.name})",
               details=(f"opening balance {from_minor(view.opening_balance_minor, view.currency)} -> "
                        f"{from_minor(opening, view.currency)} {view.currency} on {when.isoformat()} ({SOURCE})"))
    return BalanceSet(updated, minor, when, view.opening_balance_minor, view.opening_date)

