"""Report results as DataFrames for display and export (pure)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import pandas as pd

from budgetwise.money import from_minor
from budgetwise.services.reports.anomalies import SpendingSpike, UnusualTransaction
from budgetwise.services.reports.duplicates import DuplicateGroup
from budgetwise.services.reports.recurring import RecurringPayment
from budgetwise.services.reports.scope import UNCATEGORIZED
from budgetwise.services.reports.totals import Summary, _typed


def recurring_frame(items: Iterable[RecurringPayment]) -> pd.DataFrame:
    columns = [
        "merchant", "description", "category", "kind", "cadence", "typical_amount_minor", "currency",
        "occurrences", "last_date", "next_date", "yearly_cost_minor", "price_increase", "previous_amount_minor",
    ]
    records = [
        {
            "merchant": r.merchant, "description": r.description, "category": r.category_name or UNCATEGORIZED,
            "kind": r.kind, "cadence": r.cadence, "typical_amount_minor": r.typical_amount_minor,
            "currency": r.currency, "occurrences": r.occurrences, "last_date": r.last_date,
            "next_date": r.next_date, "yearly_cost_minor": r.yearly_cost_minor, "price_increase": r.price_increase,
            "previous_amount_minor": r.previous_amount_minor,
        }
        for r in items
    ]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["previous_amount_minor"] = df["previous_amount_minor"].astype("Int64")
    for col in ("typical_amount_minor", "yearly_cost_minor", "occurrences"):
        df[col] = df[col].astype("int64")
    return df


def unusual_frame(items: Iterable[UnusualTransaction]) -> pd.DataFrame:
    columns = ["transaction_id", "date", "description", "category", "amount_minor", "typical_minor", "score", "reason"]
    records = [
        {
            "transaction_id": u.transaction_id, "date": u.date, "description": u.description,
            "category": u.category_name, "amount_minor": u.amount_minor, "typical_minor": u.typical_minor,
            "score": u.score, "reason": u.reason,
        }
        for u in items
    ]
    return _typed(pd.DataFrame.from_records(records, columns=columns))


def spikes_frame(items: Iterable[SpendingSpike]) -> pd.DataFrame:
    columns = ["month", "category", "amount_minor", "typical_minor", "history", "score", "reason"]
    records = [
        {
            "month": s.month.strftime("%Y-%m"), "category": s.category_name, "amount_minor": s.amount_minor,
            "typical_minor": s.typical_minor, "history": s.history_months, "score": s.score, "reason": s.reason,
        }
        for s in items
    ]
    return _typed(pd.DataFrame.from_records(records, columns=columns))


def duplicates_frame(items: Iterable[DuplicateGroup]) -> pd.DataFrame:
    columns = ["dates", "description", "category", "kind", "amount_minor", "currency", "count", "transaction_ids", "reason"]
    records = [
        {
            "dates": ", ".join(d.isoformat() for d in g.dates), "description": g.description,
            "category": g.category_name, "kind": g.kind, "amount_minor": g.amount_minor, "currency": g.currency,
            "count": len(g.transaction_ids), "transaction_ids": ", ".join(map(str, g.transaction_ids)),
            "reason": g.reason,
        }
        for g in items
    ]
    return _typed(pd.DataFrame.from_records(records, columns=columns))


def summary_frame(s: Summary) -> pd.DataFrame:
    """The summary as a two-column table (metric, value_minor / rate)."""
    records = [
        {"metric": "Income", "amount_minor": s.income_minor},
        {"metric": "Expenses", "amount_minor": s.expense_minor},
        {"metric": "Net savings", "amount_minor": s.net_minor},
    ]
    df = pd.DataFrame.from_records(records, columns=["metric", "amount_minor"])
    df["amount_minor"] = df["amount_minor"].astype("int64")
    return df


_DROP_FOR_EXPORT = ("category_id", "color", "transaction_ids_internal")


def for_export(df: pd.DataFrame, currency: str) -> pd.DataFrame:
    """A copy for CSV/Excel/JSON: ``*_minor`` columns become exact Decimal major units
    (``amount_minor`` -> ``amount``), internal columns (ids, colours) are dropped,
    percentages are rounded to 0.1 and dates become ISO text."""
    # pandas deep-copies ``attrs`` into every column it hands out; the missing rates there can
    # list a thousand dates, and the export does not carry them: read from a copy without them
    df = df.copy(deep=False)
    df.attrs = {}
    out = pd.DataFrame(index=df.index)
    for column in df.columns:
        if column in _DROP_FOR_EXPORT:
            continue
        series = df[column]
        if column.endswith("_minor"):
            cur_col = df["currency"] if "currency" in df.columns else None
            values = []
            for i, value in enumerate(series.tolist()):
                if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
                    values.append(None)
                else:
                    values.append(from_minor(int(value), cur_col.iloc[i] if cur_col is not None else currency))
            out[column[: -len("_minor")]] = pd.Series(values, index=df.index, dtype=object)
        elif column in ("share", "savings_rate", "score") or column.endswith("_pct"):
            out[column] = series.astype("float64").round(1 if column != "score" else 2)
        elif len(series) and isinstance(series.iloc[0], dt.date):
            out[column] = series.map(lambda d: d.isoformat() if isinstance(d, dt.date) else d)
        else:
            out[column] = series
    return out
