"""Issue #19 (session 29, gap29): gap months in a sparse history.

Session 28 (flows28) taught the recurring detector gap months (whole calendar months without any row) by stopping its
clock there. Two histories then gave wrong answers (rec28): a yearly payment whose years between hold months without
a row read as paid every ~8 months and was dropped; a salary that stopped, before months without a row up to one
small payment, was still projected. The rule now: intervals are calendar intervals (a gap month never shortens one; an
interval whose missing payments fall only in gap months counts as that many steps), gap months count only for the
"missed / stopped" test and the paid share, and the months without a row are gap months only when the months with
data are dense enough that an empty one is missing data (``forecast.gaps.GAP_MIN_DAYS``), not a quiet month. Behind
``analysis.recurring.CALENDAR_GAPS``, off (benchmarks/cashflow_sparse29_check.py failed); turned on here.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

from budgetwise.analysis import recurring as rec
from budgetwise.services import cashflow_gaps as G
from budgetwise.services import forecast as F
from budgetwise.services.forecast.gaps import empty_spans, spans_of
from budgetwise.services.reports import recurring as RR

D = dt.date


def _frame(rows):
    return pd.DataFrame(rows, columns=["date", "amount_minor", "kind", "description", "category"])


def _flows(rows, as_of):
    history = F.history_from_frame(_frame(rows), as_of=as_of)
    return {f.key: f for f in F.detect_known_flows(history, as_of=as_of, know_gaps=True)}


@pytest.fixture(autouse=True)
def calendar_gaps(monkeypatch):
    """The rule is behind ``CALENDAR_GAPS``, off (its pre-registered test failed): these tests turn it on."""
    monkeypatch.setattr(rec, "CALENDAR_GAPS", True)


@pytest.fixture
def both_flags_on(monkeypatch):
    monkeypatch.setattr(G, "KNOW_GAPS", True)
    monkeypatch.setattr(RR, "KNOW_GAPS", True)


def test_a_yearly_payment_across_gap_months_is_yearly():
    """The detector told Sep-Dec 2023 are gap months: 2023-03-01 to 2024-03-01 is a year, not eight months."""
    days = [D(y, 3, 1).toordinal() for y in (2022, 2023, 2024)]
    skip = spans_of([D(2023, m, 1) for m in (9, 10, 11, 12)])
    found = rec.detect(days, [9900] * 3, D(2025, 3, 20), "expense", skip=skip)
    assert found is not None and found.cadence == "yearly" and found.next_date == D(2026, 3, 1)
    assert found == rec.detect(days, [9900] * 3, D(2025, 3, 20), "expense")  # as without the gap months


def test_a_monthly_payment_missing_in_three_gap_months_is_monthly():
    """Calendar intervals: the four months from January to May, February to April gap months, are four steps."""
    days = [d.toordinal() for d in (D(2026, 1, 2) + relativedelta(months=k) for k in range(5)) if d.month not in (2, 3, 4)]
    days = [D(2025, 11, 2).toordinal(), D(2025, 12, 2).toordinal(), *days]
    skip = spans_of([D(2026, m, 1) for m in (2, 3, 4)])
    assert rec.detect(days, [300_000] * len(days), D(2026, 5, 20), "income") is None  # a four-month silence
    found = rec.detect(days, [300_000] * len(days), D(2026, 5, 20), "income", skip=skip)
    assert found is not None and found.cadence == "monthly" and found.next_date == D(2026, 6, 2)


def test_a_payment_missing_in_a_month_with_data_is_not_explained_by_a_gap():
    """Nov 2, Dec 2, Jan 2, Apr 2 with only February a gap: March's payment is missing from a month with data, so
    January to April stays three steps (on the stopped clock it read as two, a tolerated skip)."""
    days = [D(2025, 11, 2), D(2025, 12, 2), D(2026, 1, 2), D(2026, 4, 2)]
    skip = spans_of([D(2026, 2, 1)])
    assert rec.detect([d.toordinal() for d in days], [300_000] * 4, D(2026, 4, 20), "income", skip=skip) is None
    both = spans_of([D(2026, 2, 1), D(2026, 3, 1)])  # both missing payments in gap months: four monthly steps
    found = rec.detect([d.toordinal() for d in days], [300_000] * 4, D(2026, 4, 20), "income", skip=both)
    assert found is not None and found.cadence == "monthly" and found.paid_share == 1.0


def _domain_household():
    """test_detect_recurring_subscriptions_bills_and_price_increase's history, as a frame (few rows a month)."""
    rows = []
    for i in range(15):
        day = D(2024, 1, 14) + relativedelta(months=i)
        rows.append((day, 1099 if i < 10 else 1199, "expense", "SPOTIFY USA", "Subscriptions"))
        rows.append((day.replace(day=5), 6000 + (i % 4) * 700, "expense", "CITY POWER BILL", "Utilities"))
        rows.append((day.replace(day=25), 300000, "income", "ACME PAYROLL", "Salary"))
    rows += [(D(y, 3, 1), 9900, "expense", "DOMAIN RENEWAL", "Fees") for y in (2022, 2023, 2024)]
    rows += [(D(2023, 1, 9) + relativedelta(months=k), 899, "expense", "OLD STREAMING", "Subscriptions")
             for k in range(8)]
    return rows


def test_the_cash_flows_detector_keeps_the_yearly_payment_with_empty_months_between():
    found = _flows(_domain_household(), D(2025, 3, 20))
    assert "domain renewal" in found and found["domain renewal"].next_date == D(2026, 3, 1)


def _stopped_salary():
    days = [D(2024, 1, 23) + relativedelta(months=k) for k in range(13)]  # to 2025-01-23
    rows = [(d, 257_500, "income", "ACME PAYROLL", "Salary") for d in days]
    return [*rows, (D(2025, 6, 10), 2_135, "income", "ACME PAYROLL", "Salary")]


def test_a_salary_that_stopped_before_empty_months_of_a_sparse_history_stays_stopped():
    """One row a month: a month without a row is a quiet month, not missing data."""
    as_of = D(2025, 6, 20)
    history = F.history_from_frame(_frame(_stopped_salary()), as_of=as_of)
    assert empty_spans(history.daily, as_of) == ()
    assert "acme payroll" not in _flows(_stopped_salary(), as_of)


def test_a_dense_history_still_has_gap_months():
    """Groceries every other day: a month without a row is missing data, and the salary missing there has not
    stopped (session 28, flows28)."""
    rows = _stopped_salary()[:-1]
    shopping = [D(2024, 1, 1) + dt.timedelta(days=2 * k) for k in range(220)]
    rows += [(d, 4_000, "expense", f"SHOP {k % 5}", "Groceries") for k, d in enumerate(shopping) if d < D(2025, 3, 20)]
    rows = [r for r in rows if not D(2025, 2, 1) <= r[0] <= D(2025, 2, 28)]  # February 2025: a gap month
    as_of = D(2025, 3, 20)
    history = F.history_from_frame(_frame(rows), as_of=as_of)
    assert empty_spans(history.daily, as_of) == spans_of([D(2025, 2, 1)])
    found = _flows(rows, as_of)
    assert "acme payroll" in found and found["acme payroll"].next_date == D(2025, 3, 23)


def test_the_reports_list_with_both_flags_on_keeps_the_yearly_payment(
        both_flags_on, session, alice):
    from tests.helpers_reports import add_rows

    add_rows(session, alice.user_id, _domain_household())
    found = {r.merchant for r in RR.detect_recurring(session, user_id=alice.user_id, as_of=D(2025, 3, 20))}
    assert "domain renewal" in found


def test_the_reports_list_with_both_flags_on_drops_the_stopped_salary(both_flags_on, session, alice):
    from tests.helpers_reports import add_rows

    add_rows(session, alice.user_id, _stopped_salary())
    assert RR.detect_recurring(session, user_id=alice.user_id, as_of=D(2025, 6, 20)) == []


def test_with_the_flag_off_the_rule_is_flows28s(monkeypatch):
    """``CALENDAR_GAPS`` off: every interval on the stopped clock and every empty month a gap (session 28)."""
    monkeypatch.setattr(rec, "CALENDAR_GAPS", False)
    days = [D(y, 3, 1).toordinal() for y in (2022, 2023, 2024)]
    skip = spans_of([D(2023, m, 1) for m in (9, 10, 11, 12)])
    assert rec.detect(days, [9900] * 3, D(2025, 3, 20), "expense", skip=skip) is None
    as_of = D(2025, 6, 20)
    history = F.history_from_frame(_frame(_stopped_salary()), as_of=as_of)
    assert empty_spans(history.daily, as_of) == spans_of([D(2025, m, 1) for m in (2, 3, 4, 5)])
    assert "acme payroll" in _flows(_stopped_salary(), as_of)
