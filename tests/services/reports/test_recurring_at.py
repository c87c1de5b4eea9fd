"""Recurring payments on several dates from one read (``reports.detect_recurring_at``, the forecast's
backtest origins): each date's list is exactly ``detect_recurring``'s on that date.

Run on SQLite always and on PostgreSQL / MariaDB when their URLs are set (``db`` fixture).
"""

from __future__ import annotations

import datetime as dt
import random

from budgetwise.services import reports as R
from budgetwise.services.reports import recurring_at
from tests.helpers_reports import add_rows, monthly, own_category

D = dt.date


def _rows(seed: int) -> list[tuple]:
    """Subscriptions with a price change, a variable bill, income, a transfer, two payments on one day,
    a yearly fee, a cancelled and a late-starting series, another currency, noise and rows without a category."""
    rng = random.Random(seed)
    rows: list[tuple] = []
    for i, day in enumerate(monthly(D(2022, 1, 1), 40, day=14)):
        rows.append((day, 1099 if i < 25 else 1199, "expense", "SPOTIFY USA", "Subscriptions"))
        rows.append((day.replace(day=5), 6000 + rng.randrange(0, 2800), "expense", "CITY POWER BILL", "Utilities"))
        rows.append((day.replace(day=25), 300000, "income", "ACME PAYROLL", "Salary"))
        rows.append((day.replace(day=26), 50000, "expense", "TRANSFER TO SAVINGS", "Transfers"))
        if i % 3 == 0:  # two payments on one day: one occurrence, their sum
            rows.append((day.replace(day=14), 500, "expense", "SPOTIFY USA", None))
        if i < 20:
            rows.append((day.replace(day=9), 899, "expense", "OLD STREAMING", "Subscriptions"))
        if i >= 30:
            rows.append((day.replace(day=2), 4500, "expense", "NEW GYM", "Health"))
        rows.append((day.replace(day=20), 1500, "expense", "UK NEWSPAPER", "Subscriptions", "GBP"))
    rows += [(D(y, 3, 1), 9900, "expense", "DOMAIN RENEWAL", None) for y in (2022, 2023, 2024, 2025)]
    for k in range(300):  # weekly-ish and irregular shopping
        day = D(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 1200))
        rows.append((day, rng.randrange(500, 9000), "expense", rng.choice(["CORNER MARKET", "YOGA CLASS", "CAFE"]),
                     "Groceries"))
    for k in range(60):
        rows.append((D(2023, 6, 5) + dt.timedelta(days=7 * k), 2500, "expense", "YOGA WEEKLY", "Health"))
    return rows


def test_every_date_sees_what_detect_recurring_sees_on_it(session, alice):
    own_category(session, alice.user_id, "Transfers", kind="transfer")
    add_rows(session, alice.user_id, _rows(3))
    dates = [D(2022, 1, 1) + dt.timedelta(days=d) for d in range(0, 1300, 11)] + [D(2025, 4, 30), D(2022, 2, 1)]
    many = R.detect_recurring_at(session, user_id=alice.user_id, dates=dates)
    assert list(many) == list(dict.fromkeys(dates))
    found = 0
    for day in dates:
        assert many[day] == R.detect_recurring(session, user_id=alice.user_id, as_of=day), day
        found += len(many[day])
    assert found > 300  # the comparison is not vacuous
    assert R.detect_recurring_at(session, user_id=alice.user_id, dates=[]) == {}


def test_huge_amounts_fall_back_to_one_query_per_date(session, alice, monkeypatch):
    """Sums of squares SQL adds up in floating point are exact below 2**53; above, each date asks SQL."""
    add_rows(session, alice.user_id, [(d, 10**8, "income", "BIG PAYER", "Salary") for d in monthly(D(2024, 1, 1), 12)])
    asked = []
    real = recurring_at.detect_recurring
    monkeypatch.setattr(recurring_at, "detect_recurring", lambda s, **kw: asked.append(kw["as_of"]) or real(s, **kw))
    dates = [D(2024, 9, 1), D(2024, 12, 20)]
    many = R.detect_recurring_at(session, user_id=alice.user_id, dates=dates)
    assert asked == dates
    assert [r.merchant for r in many[D(2024, 12, 20)]] == ["big payer"]


def test_the_forecast_takes_its_origins_lists_from_one_read(session, alice, monkeypatch):
    from budgetwise.services.forecast import from_db

    add_rows(session, alice.user_id, _rows(5))
    history = from_db.history_from_db(session, user_id=alice.user_id, as_of=D(2025, 4, 30))
    dates = from_db.flow_dates(history, freq="month", horizon=3)
    per_date = {d: from_db.known_flows_from_recurring(R.detect_recurring(session, user_id=alice.user_id, as_of=d),
                                                      history.currency) for d in dates}
    called = []
    monkeypatch.setattr(R, "detect_recurring", lambda *a, **k: called.append(k) or [])
    assert from_db.known_flows_from_db(session, user_id=alice.user_id, history=history, dates=dates) == per_date
    assert called == [] and len(dates) > 1 and any(per_date.values())
