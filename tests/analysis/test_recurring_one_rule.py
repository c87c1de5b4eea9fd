"""One recurring-payment rule: the Reports page and every forecast path give the same answer.

Before there were two detectors (reports and forecast) that disagreed on the same series:
a monthly 10.00, 10.00, 12.00 was projected at 12.00 by one and 10.00 by the other, and a
yearly payment seen twice was refused by one and accepted by the other. Issue #14 item 8:
the page said three payments were needed while two yearly ones were listed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dateutil.relativedelta import relativedelta

from budgetwise.analysis import recurring as rec
from budgetwise.services import forecast as F
from budgetwise.services import reports as R
from tests.helpers_reports import add_rows

D = dt.date
AS_OF = D(2025, 6, 20)


def _frame(rows):
    return pd.DataFrame(
        [(d, minor, kind, desc, cat) for d, minor, kind, desc, cat in rows],
        columns=["date", "amount_minor", "kind", "description", "category"],
    )


def _all_answers(session, user_id, rows, merchant):
    """(reports, forecast from the database, forecast from a CSV frame) for one merchant."""
    add_rows(session, user_id, rows)
    report = {r.merchant: r for r in R.detect_recurring(session, user_id=user_id, as_of=AS_OF)}.get(merchant)
    history = F.history_from_db(session, user_id=user_id, as_of=AS_OF)
    db_flows = F.known_flows_from_db(session, user_id=user_id, history=history, dates=[AS_OF])[AS_OF]
    from_db = {f.key: f for f in db_flows}.get(merchant)
    frame_history = F.history_from_frame(_frame(rows), as_of=AS_OF)
    from_csv = {f.key: f for f in F.detect_known_flows(frame_history, as_of=AS_OF)}.get(merchant)
    return report, from_db, from_csv


def _monthly_rows(amounts, description="STREAMFLIX"):
    days = [D(2025, 3, 5), D(2025, 4, 5), D(2025, 5, 5), D(2025, 6, 5)][-len(amounts):]
    return [(d, a, "expense", description, "Subscriptions") for d, a in zip(days, amounts)]


def test_a_price_change_is_projected_at_the_new_price_everywhere(session, alice):
    report, from_db, from_csv = _all_answers(session, alice.user_id, _monthly_rows([1000, 1000, 1200]), "streamflix")
    assert report is not None and from_db is not None and from_csv is not None
    assert report.typical_amount_minor == 1200 and report.price_increase and report.previous_amount_minor == 1000
    assert from_db.amount_minor == 1200
    assert from_csv.amount_minor == 1200


def test_a_yearly_payment_seen_twice_is_not_recurring_anywhere(session, alice):
    rows = [(D(2024, 3, 1), 9000, "expense", "CLOUD BACKUP", "Subscriptions"),
            (D(2025, 3, 1), 9900, "expense", "CLOUD BACKUP", "Subscriptions")]
    report, from_db, from_csv = _all_answers(session, alice.user_id, rows, "cloud backup")
    assert (report, from_db, from_csv) == (None, None, None)


def test_a_yearly_payment_seen_three_times_is_recurring_everywhere(session, alice):
    rows = [(D(2023, 3, 1), 9000, "expense", "CLOUD BACKUP", "Subscriptions"),
            (D(2024, 3, 1), 9900, "expense", "CLOUD BACKUP", "Subscriptions"),
            (D(2025, 3, 1), 9900, "expense", "CLOUD BACKUP", "Subscriptions")]
    report, from_db, from_csv = _all_answers(session, alice.user_id, rows, "cloud backup")
    assert report is not None and report.cadence == "yearly" and report.typical_amount_minor == 9900
    assert report.next_date == D(2026, 3, 1) and report.occurrences == 3
    assert from_db is not None and from_db.amount_minor == 9900 and from_db.next_date == D(2026, 3, 1)
    assert from_csv is not None and from_csv.amount_minor == 9900 and from_csv.next_date == D(2026, 3, 1)


def test_the_reports_page_states_the_detectors_rule():
    assert str(rec.MIN_OCCURRENCES) in rec.RULE_TEXT
    assert rec.CADENCES["yearly"].min_occurrences == rec.MIN_OCCURRENCES == 3


def test_a_stopped_salary_is_not_projected_anywhere_after_one_small_payment_from_the_same_payer(session, alice):
    """Issue #19: a salary that stopped in January, then one payment of 21.35 from the employer in June."""
    days = [D(2024, 1, 23) + relativedelta(months=k) for k in range(13)]  # to 2025-01-23
    rows = [(d, 257_500, "income", "ACME PAYROLL", "Salary") for d in days]
    rows.append((D(2025, 6, 10), 2_135, "income", "ACME PAYROLL", "Salary"))
    assert _all_answers(session, alice.user_id, rows, "acme payroll") == (None, None, None)
