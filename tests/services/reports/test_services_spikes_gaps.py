"""Spending spikes judge a month only against months that hold data (session 23, trial23).

A new user imported three short statements years apart (a Singapore account in April 2018, a Swiss one in
February–April 2019, a Payoneer one in May 2021). Every month between them had no transaction at all and was read
as a month without spending, so Reports → Unusual listed each statement's month as a spike "up from a usual 0,00 Ft"
(score 2,998,000). A month without a single transaction is a gap in the data, not zero spending.
"""

from __future__ import annotations

import datetime as dt

from budgetwise.services import reports as R
from tests.helpers_reports import add_rows, monthly

D = dt.date


def test_statements_years_apart_raise_no_spike(session, alice):
    add_rows(session, alice.user_id, [
        (D(2018, 4, 13), 666, "expense", "DEBIT PURCHASE UBER", "Transport"),
        (D(2018, 4, 17), 6666, "expense", "CASH WITHDRAWAL ATM", "Other"),
        (D(2019, 2, 28), 24000, "income", "VIREMENT POSTAL", "Salary"),
        (D(2019, 3, 31), 1000, "expense", "SOLDE PRIX PRESTATIONS", "Fees"),
        (D(2019, 4, 27), 20000, "expense", "ORDRE E-BANKING", "Other"),
        (D(2021, 5, 3), 10000, "expense", "TRANSACTION DESCRIPTION", "Other"),
    ])
    spikes = R.spending_spikes(session, user_id=alice.user_id, filters=R.ReportFilter(D(2018, 4, 1), D(2021, 5, 31)),
                               today=D(2026, 12, 6))
    assert spikes == []


def test_a_month_with_only_income_still_counts_as_nothing_spent(session, alice):
    """A month with a payslip and no spending is data (zero spending), so the jump after it is judged."""
    rows = [(d, 300000, "income", "ACME PAYROLL", "Salary") for d in monthly(D(2024, 1, 25), 13, day=25)]
    rows += [(d, 30000, "expense", "SHOP", "Shopping") for d in monthly(D(2024, 1, 10), 6, day=10)]
    rows += [(D(2025, 1, 20), 200000, "expense", "TV", "Shopping")]
    add_rows(session, alice.user_id, rows)
    spikes = R.spending_spikes(session, user_id=alice.user_id, filters=R.ReportFilter(D(2025, 1, 1), D(2025, 1, 31)),
                               today=D(2025, 2, 1))
    shopping = [s for s in spikes if s.category_name == "Shopping"]
    assert len(shopping) == 1 and shopping[0].history_months == 12 and shopping[0].typical_minor == 15000


def test_another_users_months_are_not_this_users_data(session, alice, bob):
    """Bob's transactions in the gap do not make Alice's empty months count as months without spending."""
    add_rows(session, alice.user_id, [(D(2019, 4, 27), 20000, "expense", "ORDRE E-BANKING", "Other"),
                                      (D(2021, 5, 3), 10000, "expense", "TRANSACTION DESCRIPTION", "Other")])
    add_rows(session, bob.user_id, [(d, 5000, "expense", "BOB SHOP", None) for d in monthly(D(2020, 5, 10), 12, day=10)])
    assert R.spending_spikes(session, user_id=alice.user_id,
                             filters=R.ReportFilter(D(2021, 5, 1), D(2021, 5, 31)), today=D(2026, 12, 6)) == []
    assert R.months_with_data(session, user_id=alice.user_id, months=[D(2020, 5, 1), D(2021, 5, 1)]) == [D(2021, 5, 1)]
