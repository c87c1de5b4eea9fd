"""The recurring detector's merchant index (forecast/flows._MerchantIndex): one grouped aggregation
split per (merchant, kind) gives the same series as grouping each merchant on its own."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from budgetwise.services.forecast.flows import _MerchantIndex, detect_known_flows
from budgetwise.services.forecast.history import _MERCHANT_COLUMNS


def _per_merchant(merchants: pd.DataFrame) -> list[tuple]:
    """The index built the plain way: each (merchant, kind) grouped by day on its own."""
    out = []
    m = merchants.sort_values(["key", "kind", "date"])
    for (key, kind), g in m.groupby(["key", "kind"], sort=False):
        per_day = g.groupby("date", sort=True).agg(
            amount_minor=("amount_minor", "sum"), category=("category", "last"), description=("description", "last"))
        out.append((str(key), str(kind), [d.toordinal() for d in per_day.index.date],
                    per_day["amount_minor"].tolist(), per_day["category"].tolist(), per_day["description"].tolist()))
    return out


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 600
    keys = rng.choice(["netflix", "rent", "cafe", "acme payroll", "gym"], n)
    start = dt.date(2023, 1, 1)
    return pd.DataFrame(
        {
            "key": keys,
            "kind": np.where(keys == "acme payroll", "income", rng.choice(["expense", "income"], n, p=[0.9, 0.1])),
            "category": rng.choice(["Subscriptions", "Dining", "Rent", "Other"], n),
            "date": pd.to_datetime([start + dt.timedelta(days=int(d)) for d in rng.integers(0, 700, n)]),
            "amount_minor": rng.integers(100, 50_000, n).astype("int64"),
            "description": [f"PAYMENT {i}" for i in range(n)],  # several rows a day: the last one's text is kept
        },
        columns=_MERCHANT_COLUMNS,
    )


def test_index_matches_grouping_each_merchant():
    for seed in (1, 2, 3):
        merchants = _frame(seed)
        got = [(k, kind, o.tolist(), a.tolist(), c.tolist(), d.tolist())
               for k, kind, o, a, c, d in _MerchantIndex(merchants).items]
        assert got == _per_merchant(merchants)
        assert all(o.dtype == np.int64 and a.dtype == np.int64 for _, _, o, a, _, _ in _MerchantIndex(merchants).items)


def test_index_of_no_rows_is_empty():
    assert _MerchantIndex(pd.DataFrame(columns=_MERCHANT_COLUMNS)).items == []


def test_monthly_bill_still_detected():
    days = pd.to_datetime([dt.date(2024, m, 3) for m in range(1, 13)])
    merchants = pd.DataFrame({"key": "netflix", "kind": "expense", "category": "Subscriptions", "date": days,
                              "amount_minor": np.full(12, 1549, dtype="int64"), "description": "NETFLIX.COM"},
                             columns=_MERCHANT_COLUMNS)
    history = type("H", (), {"merchants": merchants, "as_of": dt.date(2024, 12, 10)})()
    (flow,) = detect_known_flows(history)
    assert (flow.key, flow.cadence, flow.amount_minor, flow.next_date) == ("netflix", "monthly", 1549, dt.date(2025, 1, 3))


def test_a_flows_next_date_is_the_detectors_never_before_the_day_known():
    """Review22b: newuser22b made analysis.recurring's next date the first step on or after the day detected on
    (Reports), but the forecast's known flows still said last payment + one step: a gym paid on the 5th and late on
    20 July was "Next expected 5 July" on the Forecast page, 5 August on Reports. One rule now (the detector's)."""
    import datetime as dt

    import pandas as pd

    from budgetwise.analysis import recurring as rec
    from budgetwise.services.forecast.flows import _MerchantIndex

    dates = [dt.date(2025, m, 5) for m in range(7, 13)] + [dt.date(2026, m, 5) for m in range(1, 7)]
    m = pd.DataFrame({"key": "gym", "kind": "expense", "date": pd.to_datetime(dates), "amount_minor": 3000,
                      "category": "Fitness", "description": "Gym"})
    as_of = dt.date(2026, 7, 20)
    (flow,) = _MerchantIndex(m).detect(as_of)
    ords = [d.toordinal() for d in dates]
    assert flow.next_date == rec.detect(ords, [3000] * len(ords), as_of, "expense").next_date == dt.date(2026, 8, 5)
