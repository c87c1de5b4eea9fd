"""The day a statement's balance holds at, from a file (session 25, sec25).

An OFX statement's ``DTASOF`` was read whatever its year, and the account's confirmed day (session 24's
``balance_confirmed_on``, which the cash flow's out-of-date rule reads like a transaction's day) took it: a file's
"99991231" or "20991231" made the Cash flow page and the dashboard call a 2024 history current for ever, and
"00010102" was written "1-01-02". A ledger day no transaction may have (``dates.transaction_date_limits``) is no
statement balance; a day after today (a running balance whose newest row is dated ahead) confirms today at most."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.importing import statement as st
from budgetwise.services import cashflow
from budgetwise.services import importing as svc
from tests.services.importing.test_services_reconcile import _ofx

TODAY = dt.date.today()


@pytest.mark.parametrize("day", ["99991231", "20991231", "00010102", "18991231"])
def test_a_ledger_day_no_row_may_have_is_no_statement_balance(day):
    assert st.ledger_balance(_ofx(f"<LEDGERBAL><BALAMT>500.00<DTASOF>{day}</LEDGERBAL>")) is None
    kept = st.ledger_balance(_ofx("<LEDGERBAL><BALAMT>500.00<DTASOF>20240131</LEDGERBAL>"))
    assert kept is not None and kept.date == dt.date(2024, 1, 31)


def test_a_file_dated_far_ahead_confirms_nothing_and_the_old_history_stays_out_of_date(session, alice):
    data = _ofx("<LEDGERBAL><BALAMT>500.00<DTASOF>20991231</LEDGERBAL>", curdef="USD")
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.ofx")
    assert preview.reconciliation is None
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="a.ofx", preview=preview)
    assert svc.after_preview(session, user_id=alice.user_id, preview=preview, data=data) is None
    projection = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=2, today=TODAY)
    assert projection.out_of_date  # the rows are from 2024-01-05


def test_a_statement_dated_after_today_confirms_today_at_most(session, alice):
    ahead = TODAY + dt.timedelta(days=60)
    data = _ofx(f"<LEDGERBAL><BALAMT>500.00<DTASOF>{ahead:%Y%m%d}</LEDGERBAL>", curdef="USD")
    preview = svc.preview_import(session, user_id=alice.user_id, data=data, filename="a.ofx")
    svc.commit_import(session, user_id=alice.user_id, data=data, filename="a.ofx", preview=preview)
    after = svc.after_preview(session, user_id=alice.user_id, preview=preview, data=data)
    view = svc.set_opening_from_statement(session, principal=alice, account_id=after.account_id, balance=after.statement)
    assert view.balance_confirmed_on == TODAY  # not 60 days ahead
    again = svc.after_preview(session, user_id=alice.user_id, preview=preview, data=data)
    assert again.reconciles
    later = TODAY + dt.timedelta(days=50)
    assert cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=1, today=later).out_of_date
