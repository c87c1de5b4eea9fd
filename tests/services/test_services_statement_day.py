"""One rule for "a statement day that can be trusted" (session 26, bal26): ``balance_known.statement_day`` (never after
today). The import writes a reconciled statement's day through it (``reconcile._confirmed_day``) and
``balance_known.last_known`` reads every stored confirmed day through it. Before, the read *dropped* a confirmed day
after the reader's today while the write *clamped*: a balance confirmed for the browser's day, which may be the
server's tomorrow, read as nothing confirmed to the server's day (the CLI, the dashboard's outlook). Runs on SQLite,
and PostgreSQL / MariaDB when their URLs are set."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts
from budgetwise.services.balance_known import KnownDay, last_known, statement_day
from budgetwise.services.importing.reconcile import _confirmed_day

TODAY = dt.date.today()


def test_a_day_after_today_is_known_as_today_and_earlier_days_as_themselves():
    assert statement_day(TODAY + dt.timedelta(days=3), TODAY) == TODAY
    assert statement_day(TODAY - dt.timedelta(days=3), TODAY) == TODAY - dt.timedelta(days=3)
    assert _confirmed_day(TODAY + dt.timedelta(days=60)) == TODAY  # the write is the same rule


def test_a_balance_confirmed_for_the_readers_tomorrow_counts_as_today(session, alice):
    """Old code: KnownDay() (the confirmed day after the reader's today was ignored: nothing known)."""
    account = accounts.default_account_id(session, user_id=alice.user_id)
    accounts.confirm_balance(session, user_id=alice.user_id, account_id=account, day=TODAY + dt.timedelta(days=1))
    assert last_known(session, user_id=alice.user_id, today=TODAY) == KnownDay(confirmed=TODAY)
    accounts.confirm_balance(session, user_id=alice.user_id, account_id=account, day=TODAY - dt.timedelta(days=9))
    later = TODAY + dt.timedelta(days=5)  # confirm_balance keeps the newer day: tomorrow, known as itself by then
    assert last_known(session, user_id=alice.user_id, today=later).confirmed == TODAY + dt.timedelta(days=1)
