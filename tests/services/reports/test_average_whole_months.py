"""Reports → Categories' "Average per month" averages the months the data covers wholly (session 28, fix28).

trial28: an imported history ending on 3 December 2021, "Latest 6 months of data" (1 July – 3 December): Rent
258,37 € a month for a rent of ~281 €, the total divided by 6 months though December held 3 days of data. The month
the data ends inside (or starts inside) is partly in the data, its rest unknown, not zero; a month without a single
transaction (a gap, :func:`reports.months_with_data`) is missing, not a month of nothing spent. Both are left out of
the average and said (:func:`reports.average_note`), as the budget editor's average leaves them out
(:func:`reports.covered_months`).
"""

from __future__ import annotations

import datetime as dt

from budgetwise.services import reports as R
from tests.helpers_reports import add_rows

D = dt.date


def _history(session, user_id: int, first: dt.date, months: int, *, last_day: int, skip: tuple[int, ...] = ()) -> None:
    """Rent 281,00 on the 1st and groceries 40,00 on the 2nd of each month from ``first``'s month, the last month
    through its ``last_day``; months ``skip`` (offsets) hold nothing at all."""
    rows = []
    for i in range(months):
        m = dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        if i in skip:
            continue
        rows += [(max(m, first), 28100, "expense", "LANDLORD", "Rent"), (max(m.replace(day=2), first), 4000, "expense", "MARKET", "Groceries")]
        if i == months - 1:
            rows.append((m.replace(day=last_day), 500, "expense", "KIOSK", "Groceries"))
    add_rows(session, user_id, rows)


def test_the_month_the_data_ends_inside_is_left_out_of_the_average_and_said(session, alice):
    _history(session, alice.user_id, D(2021, 7, 1), 6, last_day=3)  # July – 3 December 2021
    df = R.average_monthly_by_category(session, user_id=alice.user_id, filters=R.ReportFilter(D(2021, 7, 1), D(2021, 12, 3)))
    rent = df.set_index("category").loc["Rent"]
    assert (rent["total_minor"], rent["months"], rent["average_minor"]) == (6 * 28100, 5, 28100)  # was 6 months, 234,17
    assert df.set_index("category").loc["Groceries", "average_minor"] == 4000
    assert df.attrs["partial_months"] == (D(2021, 12, 1),)
    note = R.average_note(df, locale="en_US", date_format="%d/%m/%Y")
    assert "December 2021" in note and "03/12/2021" in note and "July 2021 – November 2021" in note
    # open-ended (no period chosen): the same months
    open_ended = R.average_monthly_by_category(session, user_id=alice.user_id).set_index("category")
    assert (open_ended.loc["Rent", "months"], open_ended.loc["Rent", "average_minor"]) == (5, 28100)


def test_the_month_the_data_starts_inside_and_a_gap_are_left_out(session, alice):
    _history(session, alice.user_id, D(2021, 1, 15), 6, last_day=30, skip=(3,))  # 15 January – 30 June, no April
    df = R.average_monthly_by_category(session, user_id=alice.user_id, filters=R.ReportFilter(D(2021, 1, 1), D(2021, 6, 30)))
    rent = df.set_index("category").loc["Rent"]
    assert (rent["months"], rent["average_minor"]) == (4, 28100)  # February, March, May, June
    assert df.attrs["partial_months"] == (D(2021, 1, 1),) and df.attrs["missing_months"] == (D(2021, 4, 1),)
    note = R.average_note(df, locale="en_US", date_format="%d/%m/%Y")
    assert "January 2021" in note and "15/01/2021" in note and "April 2021" in note


def test_without_a_whole_month_the_months_count_whole_and_the_note_says_so(session, alice):
    add_rows(session, alice.user_id, [(D(2021, 12, 1), 28100, "expense", "LANDLORD", "Rent"),
                                      (D(2021, 12, 3), 500, "expense", "KIOSK", "Groceries")])
    df = R.average_monthly_by_category(session, user_id=alice.user_id, filters=R.ReportFilter(D(2021, 12, 1), D(2021, 12, 31)))
    assert list(df["months"].unique()) == [1] and df.set_index("category").loc["Rent", "average_minor"] == 28100
    assert "no whole month" in R.average_note(df, locale="en_US")


def test_whole_months_only_say_nothing(session, alice):
    _history(session, alice.user_id, D(2021, 7, 1), 3, last_day=30)
    add_rows(session, alice.user_id, [(D(2021, 10, 1), 28100, "expense", "LANDLORD", "Rent")])
    df = R.average_monthly_by_category(session, user_id=alice.user_id, filters=R.ReportFilter(D(2021, 7, 1), D(2021, 9, 30)))
    assert df.set_index("category").loc["Rent", "months"] == 3 and R.average_note(df, locale="en_US") is None
