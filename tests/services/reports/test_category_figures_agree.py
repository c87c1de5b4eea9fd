"""Session 20 (newuser): a new user's 11 years in EUR and CAD, shown in EUR. Converted amounts are rounded once
per figure (docs/currencies.md), and two figures that state the same thing disagreed by a cent on one screen:

- the Reports' Categories tab: "Spending by category" said Uncategorized €153,261.24, "Average per month" beside
  it €153,261.25 (a category's months rounded one by one, then added up);
- the donut's "€389,283.41 spent" under the expense card's €389,283.42 (the categories added up).

A category's total is now one figure wherever it is shown, and the donut's middle is the period's total.
"""

from __future__ import annotations

import datetime as dt

import pytest

from budgetwise.services import rates
from budgetwise.services import reports as R
from tests.helpers_reports import add_rows

D = dt.date
TWO_MONTHS = R.ReportFilter(D(2024, 1, 1), D(2024, 2, 29))


@pytest.fixture
def cents(session, alice):
    """USD user; 0.05 EUR at 1.0921 is 0.054605 USD: 5 cents on its own, 11 cents for two of them."""
    for day in (D(2024, 1, 5), D(2024, 2, 5)):
        rates.add_rate(session, principal=alice, date=day, base="EUR", quote="USD", rate="1.0921")
    add_rows(session, alice.user_id, [
        (D(2024, 1, 5), 5, "expense", "HOTEL", "Travel", "EUR"),
        (D(2024, 2, 5), 5, "expense", "HOTEL", "Travel", "EUR"),
        (D(2024, 1, 5), 5, "expense", "CAFE", "Dining", "EUR"),
        (D(2024, 1, 10), 1000, "expense", "RENT", "Rent"),
    ])
    return alice


def test_a_categorys_total_is_the_same_in_both_tables(session, cents):
    by_cat = R.by_category(session, user_id=cents.user_id, filters=TWO_MONTHS).set_index("category")
    avg = R.average_monthly_by_category(session, user_id=cents.user_id, filters=TWO_MONTHS).set_index("category")
    assert by_cat.loc["Travel", "amount_minor"] == 11  # 0.10921, rounded once
    assert avg.loc["Travel", "total_minor"] == 11  # was 5 + 5, each month rounded on its own
    assert dict(avg["total_minor"]) == dict(by_cat["amount_minor"])
    assert list(avg["months"].unique()) == [2] and avg.loc["Travel", "average_minor"] == 6  # 5.5 half-even → 6


def test_the_open_ended_average_counts_the_months_with_spending(session, cents):
    avg = R.average_monthly_by_category(session, user_id=cents.user_id).set_index("category")
    assert avg.loc["Travel", "total_minor"] == 11 and avg.loc["Travel", "months"] == 2
    assert avg.attrs["missing_rates"] == ()


def test_the_donuts_total_is_the_summarys(session, cents):
    by_cat = R.by_category(session, user_id=cents.user_id, filters=TWO_MONTHS)
    expenses = R.summary(session, user_id=cents.user_id, filters=TWO_MONTHS).expense_minor
    assert expenses == 1000 + 16  # 0.15 EUR → 0.163815 USD, rounded once
    assert int(by_cat["amount_minor"].sum()) == 1000 + 11 + 5  # Travel 11, Dining 5: a cent more than the total
    assert by_cat.attrs["total_minor"] == expenses
    from budgetwise.ui import charts

    fig = charts.spending_donut(by_cat, currency="USD", total_minor=by_cat.attrs["total_minor"])
    assert fig.layout.annotations[0].text.startswith("<b>$10.16</b>")


def test_in_one_currency_the_total_is_the_categories_sum_with_no_second_query(session, alice):
    add_rows(session, alice.user_id, [(D(2024, 1, 10), 1000, "expense", "RENT", "Rent"),
                                      (D(2024, 1, 11), 250, "expense", "CAFE", "Dining")])
    by_cat = R.by_category(session, user_id=alice.user_id, filters=TWO_MONTHS)
    assert by_cat.attrs["total_minor"] == 1250


def test_a_missing_rate_is_named_once(session, cents):
    add_rows(session, cents.user_id, [(D(2024, 2, 20), 700, "expense", "BAR", "Dining", "EUR")])  # 15 days stale
    for df in (R.by_category(session, user_id=cents.user_id, filters=TWO_MONTHS),
               R.average_monthly_by_category(session, user_id=cents.user_id)):
        (missing,) = df.attrs["missing_rates"]
        assert (missing.count, missing.amount_minor) == (1, 700)
