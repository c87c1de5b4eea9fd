"""The one recurring-payment detector, without a database."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from budgetwise.analysis import recurring as rec

D = dt.date


def _monthly(first: dt.date, n: int) -> list[dt.date]:
    return [first + relativedelta(months=k) for k in range(n)]


def test_price_change_projects_the_latest_amount():
    found = rec.detect_dates(_monthly(D(2025, 1, 5), 3), [1000, 1000, 1200], D(2025, 3, 20))
    assert found is not None and found.cadence == "monthly"
    assert (found.amount_minor, found.price_increase, found.previous_amount_minor) == (1200, True, 1000)
    assert found.next_date == D(2025, 4, 5)


def test_variable_bill_projects_the_median_of_the_last_six():
    amounts = [6000, 6700, 7400, 8100, 6000, 6700, 7300]
    found = rec.detect_dates(_monthly(D(2024, 9, 5), 7), amounts, D(2025, 3, 20))
    assert found is not None and not found.price_increase and found.previous_amount_minor is None
    assert found.amount_minor == 7000


def test_three_occurrences_for_every_cadence_yearly_included():
    yearly = [D(2023, 3, 1), D(2024, 3, 1), D(2025, 3, 1)]
    assert rec.detect_dates(yearly[1:], [9900, 9900], D(2025, 3, 20)) is None
    found = rec.detect_dates(yearly, [9900, 9900, 9900], D(2025, 3, 20))
    assert found is not None and found.cadence == "yearly" and found.occurrences == 3
    assert rec.detect_dates(_monthly(D(2025, 1, 5), 2), [500, 500], D(2025, 2, 20)) is None
    weekly = [D(2025, 3, 3) + dt.timedelta(days=7 * k) for k in range(4)]
    assert rec.detect_dates(weekly[:3], [100] * 3, D(2025, 3, 20)) is None  # weekly asks for four
    assert rec.detect_dates(weekly, [100] * 4, D(2025, 3, 25)) is not None


def test_a_stopped_series_and_irregular_amounts_are_not_recurring():
    days = _monthly(D(2024, 1, 9), 8)
    assert rec.detect_dates(days, [899] * 8, D(2025, 3, 20)) is None  # last payment long ago
    assert rec.detect_dates(days, [1000, 9000, 2500, 12000, 400, 7000, 3000, 15000], D(2024, 9, 1)) is None


def test_the_lookback_sees_three_yearly_payments_with_the_last_one_not_yet_stale():
    yearly = rec.CADENCES["yearly"]
    assert 2 * (yearly.nominal_days + yearly.tolerance_days) + yearly.stale_after_days <= rec.LOOKBACK_DAYS
    assert str(rec.MIN_OCCURRENCES) in rec.RULE_TEXT and str(rec.WEEKLY_MIN_OCCURRENCES) in rec.RULE_TEXT


def test_the_detectors_median_is_numpys():
    """``_median`` (no numpy overhead: the backtest asks the detector ~8,000 times) is ``np.median`` exactly."""
    import numpy as np

    from budgetwise.analysis.recurring import _median

    rng = np.random.default_rng(0)
    for n in range(1, 40):
        for values in (rng.normal(30, 5, n), rng.integers(1, 10_000, n).astype(float), np.full(n, 7.0)):
            assert _median(values) == float(np.median(values))
            assert _median(list(values)) == float(np.median(values))


# Issue #19 (session 15): a salary that stopped, then one small payment from the same payer months later
# (JerBouma NL: about 2,575 a month, then 21 after seven months) must not keep the salary alive.
SALARY = 250_000


def test_a_stopped_salary_stays_stopped_after_one_small_payment_from_the_same_payer():
    days = [*_monthly(D(2024, 1, 25), 12), D(2025, 7, 25)]
    assert rec.detect_dates(days, [SALARY] * 12 + [2_100], D(2025, 8, 10)) is None
    # a small final settlement right after the last salary does not either
    days = [*_monthly(D(2024, 1, 25), 12), D(2025, 1, 21), D(2025, 7, 25)]
    assert rec.detect_dates(days, [SALARY] * 12 + [4_300, 2_100], D(2025, 8, 10)) is None


def test_a_small_correction_neither_sets_the_amount_nor_the_last_date_of_a_running_salary():
    days = [*_monthly(D(2024, 7, 25), 12), D(2025, 7, 2)]
    found = rec.detect_dates(days, [SALARY] * 12 + [2_100], D(2025, 7, 10))
    assert found is not None and found.amount_minor == SALARY
    assert (found.last_date, found.next_date, found.occurrences) == (D(2025, 6, 25), D(2025, 7, 25), 12)


def test_a_salary_with_a_raise_a_bonus_or_a_late_payment_is_still_projected():
    days = _monthly(D(2024, 7, 25), 12)
    raised = rec.detect_dates(days, [SALARY] * 9 + [270_000] * 3, D(2025, 7, 5))
    assert raised is not None and raised.amount_minor == 270_000
    bonus = [SALARY] * 5 + [420_000] + [SALARY] * 6  # a December bonus is of the usual size (under 3x)
    found = rec.detect_dates(days, bonus, D(2025, 7, 5))
    assert found is not None and found.amount_minor == SALARY and found.last_date == D(2025, 6, 25)
    # the July salary is late: 46 days after the last one (a monthly one stops after 52)
    late = rec.detect_dates(days, [SALARY] * 12, D(2025, 8, 10))
    assert late is not None and late.amount_minor == SALARY
    assert rec.detect_dates(days, [SALARY] * 12, D(2025, 8, 18)) is None  # 54 days: stopped


def test_a_bill_whose_price_changes_is_still_projected_at_its_new_price():
    days = _monthly(D(2024, 9, 5), 8)
    up = rec.detect_dates(days, [1_000] * 6 + [1_299] * 2, D(2025, 4, 20))
    assert up is not None and (up.amount_minor, up.price_increase, up.previous_amount_minor) == (1_299, True, 1_000)
    down = rec.detect_dates(days, [1_000] * 6 + [700] * 2, D(2025, 4, 20))
    assert down is not None and down.amount_minor == 700 and not down.price_increase


def test_leaving_off_size_payments_out_never_makes_a_series_recurring():
    """Off-size amounts are left out only to judge a series that recurs with them: a shop paid 50.00 monthly
    and 5.00 in between is not a monthly payment (as before)."""
    big = _monthly(D(2024, 10, 5), 9)
    small = [d + dt.timedelta(days=12) for d in big[:8]]
    days = sorted(big + small)
    amounts = [5_000 if d in big else 500 for d in days]
    assert rec.detect_dates(days, amounts, D(2025, 6, 10)) is None


def test_overdue_bills_stop_only_with_the_option_and_never_income(monkeypatch):
    """Session 18 (cfstop): ``OVERDUE_BILLS_STOP`` stops a bill once its next date passed by more than the
    cadence's tolerance (a monthly one after 36.4 days); off (shipped), every series stops after 1.5 steps."""
    days = _monthly(D(2025, 1, 5), 8)  # the last payment 2025-08-05
    for kind in (None, "income", "expense"):
        assert rec.detect_dates(days, [4000] * 8, D(2025, 9, 14), kind) is not None  # 40 days: running
    monkeypatch.setattr(rec, "OVERDUE_BILLS_STOP", True)
    assert rec.detect_dates(days, [4000] * 8, D(2025, 9, 10), "expense") is not None  # 36 days: within tolerance
    assert rec.detect_dates(days, [4000] * 8, D(2025, 9, 14), "expense") is None  # 40 days: overdue, stopped
    assert rec.detect_dates(days, [4000] * 8, D(2025, 9, 14), "income") is not None  # income: 1.5 steps
    assert rec.detect_dates(days, [4000] * 8, D(2025, 9, 14)) is not None  # no kind: as before
    assert rec.stopped_after_days(rec.CADENCES["monthly"], "expense") == rec.CADENCES["monthly"].overdue_after_days


def test_paid_share_is_one_for_a_regular_series_and_the_share_of_expected_payments_otherwise():
    """Session 19 (cfpayee): the share of a series' expected payments over the last year that came; whether it
    recurs and its amount do not depend on it."""
    regular = rec.detect_dates(_monthly(D(2024, 1, 21), 24), [2199] * 24, D(2025, 12, 31))
    assert regular is not None and regular.paid_share == 1.0
    one_missing = [d for d in _monthly(D(2024, 1, 21), 24) if d != D(2025, 6, 21)]
    found = rec.detect_dates(one_missing, [2199] * 23, D(2025, 12, 31))
    assert found is not None and found.paid_share == 1.0  # at most PAID_SHARE_SLACK missing: fully paid
    # paid in alternate months over the last year (a bill paid under two names in turn): about half
    every_other = [d for d in _monthly(D(2024, 1, 21), 24) if d.year == 2024 or d.month % 2 == 0]
    found = rec.detect_dates(every_other, [2199] * len(every_other), D(2025, 12, 31))
    assert found is not None and found.cadence == "monthly" and found.amount_minor == 2199
    assert abs(found.paid_share - 6 / 12) < 0.01
    assert rec.paid_share(rec.np.asarray([d.toordinal() for d in every_other]), rec.CADENCES["monthly"],
                          D(2025, 12, 31)) == found.paid_share
    # a young series is judged over its own life; a yearly one is always 1
    young = rec.detect_dates(_monthly(D(2025, 9, 21), 4), [500] * 4, D(2025, 12, 31))
    assert young is not None and young.paid_share == 1.0
    yearly = rec.detect_dates([D(2022, 3, 1), D(2023, 3, 1), D(2024, 3, 1), D(2025, 3, 1)], [9000] * 4, D(2025, 12, 31))
    assert yearly is not None and yearly.cadence == "yearly" and yearly.paid_share == 1.0


def test_the_next_date_is_never_before_the_day_the_detection_is_made_on():
    """Session 22 (newuser22b): a payment due a few days before the data ended and not seen (a skip the cadence
    tolerates) was the "Next date" on the Reports page, before the data's end; it is the next step on or after it."""
    found = rec.detect_dates(_monthly(D(2025, 1, 5), 4), [1000] * 4, D(2025, 5, 12))
    assert found is not None and found.last_date == D(2025, 4, 5)
    assert found.next_date == D(2025, 6, 5)
    due_today = rec.detect_dates(_monthly(D(2025, 1, 5), 4), [1000] * 4, D(2025, 5, 5))
    assert due_today is not None and due_today.next_date == D(2025, 5, 5)  # due on the day: still that day
    month_ends = rec.detect_dates(_monthly(D(2025, 1, 31), 4), [1000] * 4, D(2025, 6, 2))
    assert month_ends is not None and month_ends.next_date == D(2025, 6, 30)  # stepped from the last date, no drift
