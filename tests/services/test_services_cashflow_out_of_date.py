"""A projection from an out-of-date balance (session 21's new-user trial: data 23 months old, and the Dashboard
and Cash flow page put a red "below $0 … 100%" alert on a balance the same page said was out of date): no
alert claims anything about it; the words say it starts from an old balance and ask for recent transactions.
The rule of what is out of date stays :func:`cashflow.stale_notes` (STALE_AFTER_DAYS)."""

from __future__ import annotations

import datetime as dt

from budgetwise.services import accounts, cashflow
from budgetwise.services import transactions as tx


def _user_with(session, uid: int, newest: dt.date) -> None:
    accounts.create_account(session, user_id=uid, name="Checking", opening_balance="100",
                            opening_date=newest - dt.timedelta(days=120))
    for n in range(4):
        tx.add_transaction(session, user_id=uid, date=newest - dt.timedelta(days=30 * n), amount="400",
                           kind="expense", description=f"Rent {n}")


def test_an_old_balance_below_the_threshold_gets_no_alert_but_says_it_is_old(session, alice):
    today = dt.date.today()
    _user_with(session, alice.user_id, today - dt.timedelta(days=700))  # 23 months
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=3, today=today)
    assert p.lowest_minor < 0 and p.below_threshold(str) is not None  # the projection itself is unchanged
    assert p.out_of_date and p.alert(str) is None and p.alert(str, what_if=True) is None
    words = p.out_of_date_text()
    assert words is not None and words.startswith("This projection starts from an old balance")
    assert words.endswith(p.stale_note) and "Import your recent transactions" in words


def test_a_current_balance_below_the_threshold_keeps_its_alert(session, alice):
    today = dt.date.today()
    _user_with(session, alice.user_id, today - dt.timedelta(days=3))
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=3, today=today)
    assert not p.out_of_date and p.out_of_date_text() is None
    assert p.alert(str) is not None and p.alert(str) == p.below_threshold(str)


def test_the_out_of_date_rule_is_the_stale_notes_one(session, alice):
    today = dt.date.today()
    _user_with(session, alice.user_id, today - dt.timedelta(days=cashflow.STALE_AFTER_DAYS - 1))
    assert not cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=today).out_of_date


def test_the_forecast_goals_and_cash_flow_read_one_out_of_date_rule_in_the_same_words(session, alice):
    """Session 23: the Forecast page warned after 31 days without new data, Goals and Cash flow after 45, each in its
    own words. Now all three read :func:`cashflow.out_of_date_since` and open with :data:`cashflow.STALE_NOTE`."""
    from budgetwise.services import forecast, goals

    today = dt.date.today()
    _user_with(session, alice.user_id, today - dt.timedelta(days=40))  # past the old 31, short of 45
    history = forecast.history_from_db(session, user_id=alice.user_id)
    assert not any(n.startswith((cashflow.STALE_NOTE, "The latest transaction is from")) for n in history.notes)
    assert not cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=today).out_of_date
    assert goals.out_of_date_note(today - dt.timedelta(days=40), today) == ""


def test_at_the_threshold_every_page_says_it_with_the_same_opening(session, alice):
    today = dt.date.today()
    newest = today - dt.timedelta(days=cashflow.STALE_AFTER_DAYS)
    _user_with(session, alice.user_id, newest)
    from budgetwise.services import forecast, goals

    opening = f"{cashflow.STALE_NOTE} {newest.isoformat()}:"
    assert forecast.history_from_db(session, user_id=alice.user_id).notes[0].startswith(opening)
    p = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=today)
    assert p.out_of_date and p.stale_note is not None and p.stale_note.startswith(opening)
    assert goals.out_of_date_note(newest, today).startswith(opening)
