"""The one rule of "the data is out of date" (issue #19; :func:`out_of_date_since`) and the cash-flow projection's
note when it is. Split out of :mod:`.cashflow` (session 26); re-exported there, so ``cashflow.out_of_date_since``,
``cashflow.STALE_NOTE`` and ``cashflow.STALE_AFTER_DAYS`` stay where every caller imports them from."""

from __future__ import annotations

import datetime as dt

from budgetwise.dates import ISO_DATE, day_text

# No transaction for this long: the data is out of date. 45 days, not 31 (session 23 made the Forecast page's 31 this
# one): a user who imports a monthly statement has a newest transaction up to a statement period (≤ 31 days) old the
# day before the next one comes in, plus the days the bank takes to issue it and the user to import it; at 31 that
# routine drew the warning every month, at 45 it takes a missed statement.
STALE_AFTER_DAYS = 45
STALE_NOTE = "Your newest transaction is from"  # the opening words of every page's out-of-date note


def out_of_date_since(last: dt.date, today: dt.date) -> bool:
    """Whether a history whose newest transaction (or confirmed balance, :func:`stale_notes`) is on ``last`` is out of
    date ``today`` (STALE_AFTER_DAYS): the one
    rule of "the data is old", for the cash-flow projection (:func:`stale_notes`), a goal's chance
    (:func:`budgetwise.services.goals.project_goal`, session 22) and the forecast's notes (``forecast.history_from_db``,
    session 23), on the pages and in the CLI alike."""
    return (today - last).days >= STALE_AFTER_DAYS


def stale_notes(history, today: dt.date, date_format: str = ISO_DATE, locale: str | None = None, *,
                known=None) -> list[str]:
    """A note when the balance is known only up to a day that is out of date (:func:`out_of_date_since`): today's
    balance and the projection are then only as current as that day (an import that stopped, an account not
    updated). ``history``: the counted rows (None: there are none); ``known``: what is known about the accounts'
    balances (``balance_known.last_known``, the one owner: a confirmed balance or an opening date is a fact about its
    day, like a transaction; session 24, a balance set for today still read "from an old balance"). Its newest
    transaction is the history's, the newest this projection can count (rows without a rate are not)."""
    from budgetwise.services.balance_known import KnownDay

    last = None if history is None or history.daily.empty else history.daily["date"].max().date()
    facts = (known or KnownDay()).counting(last)
    if not facts.out_of_date(today):
        return []
    if last is None or (facts.balance is not None and facts.balance > last):  # a balance newer than the rows, old too
        return [f"{facts.says(date_format, locale)}: nothing since then is known, so today's balance and the projection "
                "are only as current as that day. Import your recent transactions (or set today's balance on the "
                "Accounts page) for an up-to-date outlook."]
    on = day_text(last, date_format, locale)
    uncounted = getattr(history, "uncounted_until", None)
    if uncounted is not None:  # newer rows exist, in currencies without a rate (session 14: two "newest" days)
        return [f"{STALE_NOTE} {day_text(uncounted, date_format, locale)}, but the ones after {on} are in "
                f"currencies without an exchange rate to {history.currency}: nothing since {on} is counted, so "
                "today's balance and the projection are only as current as that day. Add the rates (Profile → "
                "Exchange rates), or import your recent transactions, for an up-to-date outlook."]
    return [f"{STALE_NOTE} {on}: nothing since then is known, so today's balance "
            "and the projection are only as current as that day. Import your recent transactions for an "
            "up-to-date outlook."]

