"""The pure parts of the reports package, tested without a database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from budgetwise.services.reports import periods, stats


def test_robust_centre_and_scale_ignore_one_outlier():
    centre, scale = stats.robust_center_scale(np.array([10.0, 11.0, 9.0, 10.0, 12.0, 500.0]))
    assert centre == pytest.approx(10.5)
    assert 0 < scale < 5


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    start, end = periods.previous_period(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert end == dt.date(2025, 2, 28) and start <= end


def test_months_between_lists_month_starts():
    assert periods.months_between(dt.date(2025, 1, 15), dt.date(2025, 3, 2)) == [
        dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]


def test_category_limits_need_enough_history_and_floor_the_scale():
    cats = np.array([1] * 8 + [None] * 8 + [2] * 3, dtype=object)
    amounts = np.array([1000.0] * 8 + [500.0, 520, 480, 510, 490, 500, 505, 495] + [10.0, 20, 30])
    limits = stats.category_limits(cats, amounts, np.ones(len(amounts), dtype=np.int64), min_history=8, threshold=3.5)
    assert set(limits) == {1, None}  # category 2 has only three expenses
    median, scale, n, limit = limits[1]
    assert (median, n) == (1000.0, 8) and scale == 100.0 and limit == 1350  # identical amounts: 10% floor
    assert limits[None][2] == 8 and limits[None][3] > 500


def test_merchant_limits_only_for_wanted_merchants_with_enough_history():
    merchants = np.array(["gym"] * 4 + ["cafe"] * 3 + ["other"] * 5, dtype=object)
    amounts = np.array([5000.0] * 4 + [400.0] * 3 + [100.0] * 5)
    limits = stats.merchant_limits(merchants, amounts, np.ones(len(amounts), dtype=np.int64), {"gym", "cafe"},
                                   threshold=3.5)
    assert set(limits) == {"gym"} and limits["gym"] == pytest.approx(5000 + 3.5 * 500)


def test_clusters_within_cuts_runs_by_the_gap_between_neighbours():
    from budgetwise.services.reports.duplicates import clusters_within

    D = dt.date
    rows = [(1, D(2025, 3, 1)), (2, D(2025, 3, 3)), (3, D(2025, 3, 6)), (4, D(2025, 3, 20))]
    assert [[r[0] for r in c] for c in clusters_within(rows, 3)] == [[1, 2, 3], [4]]
    assert [[r[0] for r in c] for c in clusters_within(rows, 1)] == [[1], [2], [3], [4]]


def test_report_months_run_from_the_first_transaction_to_the_last_never_past_today():
    d = dt.date
    assert periods.report_months(None, None, d(2025, 5, 9)) == []
    assert periods.report_months(d(2025, 1, 20), d(2025, 3, 2), d(2025, 5, 9)) == [d(2025, 3, 1), d(2025, 2, 1), d(2025, 1, 1)]
    assert periods.report_months(d(2025, 1, 20), d(2025, 9, 2), d(2025, 2, 9)) == [d(2025, 2, 1), d(2025, 1, 1)]  # future-dated
    assert periods.report_months(d(2025, 1, 20), d(2024, 1, 1), d(2025, 2, 9)) == [d(2025, 1, 1)]  # last before first


def test_recurring_totals_count_expenses_and_name_the_currencies_without_a_rate():
    from budgetwise.services.reports.recurring import RecurringPayment, recurring_totals

    def pay(kind, currency, yearly_base, up=False):
        day = dt.date(2025, 1, 1)
        return RecurringPayment("m", "d", None, None, kind, "monthly", 30.0, 1000, currency, 6, day, day, day, 12000,
                                up, None, yearly_base)

    items = [pay("expense", "EUR", 12000, up=True), pay("income", "EUR", 300000), pay("expense", "USD", 11000),
             pay("expense", "JPY", None, up=True), pay("expense", "CHF", None)]
    t = recurring_totals(items)
    assert len(t.expenses) == 4 and t.yearly_base_minor == 23000 and t.price_increases == 2
    assert t.unpriced_currencies == ("CHF", "JPY")
    assert recurring_totals([]) == recurring_totals([pay("income", "EUR", 5)])
    assert recurring_totals([]).yearly_base_minor == 0 and recurring_totals([]).unpriced_currencies == ()


@pytest.mark.parametrize("n_groups", [12, 60])  # a mask per group / one sort for all
@pytest.mark.parametrize("kind", ["whole", "halves", "fractions", "huge"])
def test_grouped_center_scale_is_robust_center_scale_of_each_group(kind, n_groups):
    """All groups at once give exactly the figures of one robust_center_scale call per group
    (ties and zero-MAD groups included), whichever sort the values allow."""
    rng = np.random.default_rng(7)
    codes = rng.integers(-1, n_groups, 3000)
    codes[codes == 5] = 6  # an empty group
    values = rng.integers(-500, 5000, 3000).astype(float)
    if kind == "halves":
        values += 0.5 * (np.arange(3000) % 2)
    elif kind == "fractions":
        values *= 1.001
    elif kind == "huge":
        values[0] = 2.0**60
    values[codes == 7] = 1200.0  # all equal
    values[(codes == 8) & (np.arange(3000) % 3 > 0)] = 300.0  # more than half equal: zero MAD
    medians, scales, sizes = stats.grouped_center_scale(codes, values, n_groups)
    for g in range(n_groups):
        group = values[codes == g]
        assert sizes[g] == len(group)
        expected = stats.robust_center_scale(group) if len(group) else (0.0, 0.0)
        assert (medians[g], scales[g]) == expected, g
    assert sizes[5] == 0 and scales[8] > 0 and scales[7] == 0.0


def test_covered_months_skip_the_month_the_data_stops_inside():
    d = dt.date
    cm = periods.covered_months
    # today 5 Dec, data 1 Aug .. 21 Nov: November is not complete in the data (nor December)
    assert cm(d(2026, 12, 5), d(2026, 8, 1), d(2026, 11, 21), 3) == [d(2026, 10, 1), d(2026, 9, 1), d(2026, 8, 1)]
    # data reaching a month's last day covers it; this month never counts
    assert cm(d(2026, 12, 5), d(2026, 8, 1), d(2026, 11, 30), 3) == [d(2026, 11, 1), d(2026, 10, 1), d(2026, 9, 1)]
    assert cm(d(2026, 12, 5), d(2026, 8, 1), d(2026, 12, 3), 2) == [d(2026, 11, 1), d(2026, 10, 1)]
    # months before the data are not in it, nor the month it starts inside (session 28, as Reports' average per
    # month: periods.whole_months); no data, no months
    assert cm(d(2026, 12, 5), d(2026, 9, 20), d(2026, 11, 21), 3) == [d(2026, 10, 1)]
    assert cm(d(2026, 12, 5), d(2026, 9, 1), d(2026, 11, 21), 3) == [d(2026, 10, 1), d(2026, 9, 1)]
    assert periods.whole_months(d(2021, 7, 1), d(2021, 12, 3), d(2021, 6, 20), d(2021, 12, 3)) == (
        [d(2021, 7, 1), d(2021, 8, 1), d(2021, 9, 1), d(2021, 10, 1), d(2021, 11, 1)], [d(2021, 12, 1)])
    assert cm(d(2026, 12, 5), None, None, 3) == []
    # at most 12 months are skipped: data that stopped longer ago gives none
    assert cm(d(2026, 12, 5), d(2024, 1, 1), d(2025, 11, 30), 1) == [d(2025, 11, 1)]
    assert cm(d(2026, 12, 5), d(2024, 1, 1), d(2025, 11, 29), 1) == []
