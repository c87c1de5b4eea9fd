"""Issue #19 (session 28, rec28): the Reports' recurring list (``reports.detect_recurring`` and
``detect_recurring_at``) knows the user's gap months (whole calendar months without any transaction) as the cash
flow's detector does (flows28: ``analysis.recurring.detect``'s ``skip``, ``cashflow_gaps.KNOW_GAPS``): a salary
missing only in a gap month just before today has not stopped, on Reports → Recurring, in the Dashboard's outlook
and on the Cash flow page alike. The gap months are asked with one index seek per month (no row loaded). The
spending forecast asks without (``known_flows_from_db``'s ``know_gaps`` False). Without a gap month: identical.
Behind ``reports.recurring.KNOW_GAPS``, off (a sparse history's yearly payments read as monthly with it on: see
that flag); these tests turn it on (fixture ``on``)."""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.services import cashflow
from budgetwise.services import cashflow_gaps as G
from budgetwise.services import reports as R
from budgetwise.services.forecast import from_db
from budgetwise.services.reports import recurring as rec_mod
from tests.helpers_reports import add_rows, monthly

D = dt.date
TODAY = D(2026, 12, 1)  # November 2026 is the gap month
GAP = D(2026, 11, 1)


def _rows(gap: dt.date | None = GAP) -> list[tuple]:
    """A monthly salary paid on the 2nd, rent on the 3rd, groceries every few days, Jan 2025 - Nov 2026; every row
    of the month ``gap`` left out."""
    rows: list[tuple] = []
    for i, day in enumerate(monthly(D(2025, 1, 1), 23)):
        rows.append((day.replace(day=2), 300_000, "income", "ACME PAYROLL", "Salary"))
        rows.append((day.replace(day=3), 120_000, "expense", "LANDLORD LLC", "Rent"))
        for d in (6, 13, 20, 27):
            rows.append((day.replace(day=d), 8_000 + 37 * ((i * 7 + d) % 11), "expense", "CORNER MARKET", "Groceries"))
    return [r for r in rows if gap is None or (r[0].year, r[0].month) != (gap.year, gap.month)]


@pytest.fixture
def on(monkeypatch):
    monkeypatch.setattr(rec_mod, "KNOW_GAPS", True)
    monkeypatch.setattr(G, "KNOW_GAPS", True)


def _salary(items):
    return next((r for r in items if r.merchant == "acme payroll"), None)


def test_a_salary_missing_in_a_gap_month_just_before_today_is_kept_next_date_right(session, alice, monkeypatch, on):
    add_rows(session, alice.user_id, _rows())
    assert rec_mod.gap_months_until(session, alice.user_id, TODAY) == (((GAP,), 0),)
    known = R.detect_recurring(session, user_id=alice.user_id, as_of=TODAY)
    salary = _salary(known)
    assert salary is not None and salary.kind == "income" and salary.cadence == "monthly"
    assert (salary.typical_amount_minor, salary.last_date, salary.next_date) == (300_000, D(2026, 10, 2), D(2026, 12, 2))
    # without knowing gaps (as before session 28, and the spending forecast) the salary read as stopped
    assert _salary(R.detect_recurring(session, user_id=alice.user_id, as_of=TODAY, know_gaps=False)) is None
    monkeypatch.setattr(G, "KNOW_GAPS", False)  # the cash flow's flag is honoured
    assert _salary(R.detect_recurring(session, user_id=alice.user_id, as_of=TODAY)) is None
    monkeypatch.setattr(G, "KNOW_GAPS", True)
    monkeypatch.setattr(rec_mod, "KNOW_GAPS", False)  # and the Reports' own (off: as before session 28)
    assert _salary(R.detect_recurring(session, user_id=alice.user_id, as_of=TODAY)) is None
    monkeypatch.setattr(rec_mod, "KNOW_GAPS", True)
    # the backtest's several dates: each date's list is detect_recurring's on it
    dates = [D(2026, 10, 15), GAP, D(2026, 11, 30), TODAY]
    many = R.detect_recurring_at(session, user_id=alice.user_id, dates=dates)
    assert many == {d: R.detect_recurring(session, user_id=alice.user_id, as_of=d) for d in dates}
    assert _salary(many[TODAY]) == salary


@pytest.mark.parametrize("flag", [True, False])
def test_the_dashboard_outlook_and_the_cash_flow_page_agree(session, alice, monkeypatch, flag):
    monkeypatch.setattr(rec_mod, "KNOW_GAPS", flag)
    add_rows(session, alice.user_id, _rows())
    found = R.detect_recurring(session, user_id=alice.user_id, as_of=TODAY)  # the dashboard's one detection
    dashboard = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=3, today=TODAY, recurring=found)
    page = cashflow.cashflow_user(session, user_id=alice.user_id, horizon_months=3, today=TODAY)
    assert (dashboard.lowest_minor, dashboard.lowest_date) == (page.lowest_minor, page.lowest_date)
    assert dashboard == page
    if not flag:  # off: both without the salary, as before session 28
        assert not any("ACME" in i.label.upper() for i in page.items)
        return
    assert any(i.amount_minor > 0 and "ACME" in i.label.upper() for i in page.items)  # the salary is projected
    # the cash flow's own detector (the per-account path, the model's provider) finds the same salary
    from budgetwise.services import forecast as F

    history = F.history_from_db(session, user_id=alice.user_id)
    flow = next(f for f in F.detect_known_flows(history, as_of=TODAY, know_gaps=G.KNOW_GAPS) if f.key == "acme payroll")
    salary = _salary(found)
    assert (flow.amount_minor, flow.last_date, flow.next_date) == (
        salary.typical_amount_minor, salary.last_date, salary.next_date)


def test_the_spending_forecast_asks_without_gaps(session, alice, on):
    add_rows(session, alice.user_id, _rows())
    from budgetwise.services import forecast as F

    history = F.history_from_db(session, user_id=alice.user_id)
    flows = from_db.known_flows_from_db(session, user_id=alice.user_id, history=history, dates=[TODAY])[TODAY]
    assert not any(f.key == "acme payroll" for f in flows)
    known = from_db.known_flows_from_db(session, user_id=alice.user_id, history=history, dates=[TODAY],
                                        know_gaps=True)[TODAY]
    assert any(f.key == "acme payroll" for f in known)


@pytest.mark.parametrize("as_of", [D(2026, 11, 30), D(2026, 12, 1)])
def test_without_a_gap_month_the_lists_are_identical(session, alice, as_of, on):
    add_rows(session, alice.user_id, _rows(gap=None))
    assert rec_mod.gap_months_until(session, alice.user_id, as_of) == ()
    assert R.detect_recurring(session, user_id=alice.user_id, as_of=as_of) == R.detect_recurring(
        session, user_id=alice.user_id, as_of=as_of, know_gaps=False)


def test_the_demo_household_lists_are_identical(session, db, on):
    from budgetwise.services import demo

    principal, _ = demo.create_demo_account(session, settings=db.settings, months=18)
    today = dt.date.today()
    uid = principal.user_id
    assert rec_mod.gap_months_until(session, uid, today) == ()
    known = R.detect_recurring(session, user_id=uid, as_of=today)
    assert known and known == R.detect_recurring(session, user_id=uid, as_of=today, know_gaps=False)


def test_a_silence_that_starts_the_forecasts_history_is_not_gap_months(session, alice, on, monkeypatch):
    """Half a year or more without a transaction starts the forecast's history (``HISTORY_GAP_DAYS``): the months
    before it and in it are not gap months, as in the cash flow's ``empty_spans`` on that history. Three yearly
    payments alone stay yearly."""
    rows = [(D(y, 3, 1), 9900, "expense", "CLOUD BACKUP", "Subscriptions") for y in (2023, 2024, 2025)]
    add_rows(session, alice.user_id, rows)
    runs = rec_mod.gap_months_until(session, alice.user_id, D(2025, 6, 20))
    assert [r[1] for r in runs] == [D(2024, 3, 1).toordinal(), D(2025, 3, 1).toordinal(), 0]
    # after the last such silence: April and May 2025 (whole by the day), as the cash flow's history reads them ...
    dense = {D(2025, 3, 1): 5}
    assert rec_mod.gap_spans(runs, D(2025, 6, 20), dense) == (
        (D(2025, 4, 1).toordinal(), D(2025, 4, 30).toordinal()), (D(2025, 5, 1).toordinal(), D(2025, 5, 31).toordinal()))
    # ... when its months with data are dense; here one day a month: no gap months (session 29, gap29, with
    # CALENDAR_GAPS; off, every empty month is one), as the cash flow's history reads them
    from budgetwise.analysis import recurring as rec

    monkeypatch.setattr(rec, "CALENDAR_GAPS", True)
    days = rec_mod.month_days(session, alice.user_id, D(2025, 6, 20))
    assert days == {D(2023, 3, 1): 1, D(2024, 3, 1): 1, D(2025, 3, 1): 1}
    assert rec_mod.gap_spans(runs, D(2025, 6, 20), days) == ()
    from budgetwise.services import forecast as F
    from budgetwise.services.forecast.gaps import empty_spans

    history = F.history_from_db(session, user_id=alice.user_id, as_of=D(2025, 6, 20))
    assert empty_spans(history.daily, D(2025, 6, 20)) == ()
    found = {r.merchant: r for r in R.detect_recurring(session, user_id=alice.user_id, as_of=D(2025, 6, 20))}
    assert found["cloud backup"].cadence == "yearly"
    monkeypatch.setattr(rec, "CALENDAR_GAPS", False)  # as shipped: April and May are gap months (flows28)
    assert rec_mod.gap_spans(runs, D(2025, 6, 20), days) == rec_mod.gap_spans(runs, D(2025, 6, 20), dense)
    assert empty_spans(history.daily, D(2025, 6, 20)) == rec_mod.gap_spans(runs, D(2025, 6, 20), days)
