"""The date column: the day/month order (decided per file, or per date shape), the dates, bad dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from budgetwise.dates import MIN_TRANSACTION_DATE, max_transaction_date, validate_transaction_date
from budgetwise.errors import ValidationError
from budgetwise.importing import dates as dts
from budgetwise.importing.table.context import Table
from budgetwise.names import quoted

_US_DOLLAR_ONLY = {"USD"}
_DAY_FIRST_CURRENCIES = {
    "EUR", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "HRK", "ISK", "TRY", "RUB",
    "UAH", "INR", "AUD", "NZD", "SGD", "HKD", "MYR", "IDR", "THB", "VND", "BRL", "ARS", "CLP", "COP", "MXN",
    "PEN", "UYU", "ZAR", "NGN", "KES", "EGP", "MAD", "ILS", "AED", "SAR", "QAR", "PKR", "BDT", "LKR",
}


def date_hints(currencies: set[str], decimal: str | None, symbols: str) -> list[tuple[str, str]]:
    """What the rest of the file says about the day/month order: (order, why) pairs."""
    hints: list[tuple[str, str]] = []
    if currencies and currencies <= _US_DOLLAR_ONLY:
        hints.append(("mdy", "the file is in US dollars, where dates are written month-first"))
    elif currencies & _DAY_FIRST_CURRENCIES:
        code = sorted(currencies & _DAY_FIRST_CURRENCIES)[0]
        hints.append(("dmy", f"the file is in {code}, where dates are written day-first"))
    if decimal == ",":
        hints.append(("dmy", "amounts use a decimal comma, which goes with day-first dates"))
    if "£" in symbols or "€" in symbols:
        hints.append(("dmy", "amounts are in pounds or euros, where dates are written day-first"))
    elif "$" in symbols and not currencies:
        hints.append(("mdy", "amounts are in dollars, so US month-first dates were assumed"))
    return hints


@dataclass(frozen=True)
class Dates:
    raw: pd.Series  # the date cells as written
    parsed: dts.ParsedDates
    order: str  # the order dates are read in (the most common one when shapes differ)
    by_shape: dict[str, str]  # an order per date shape, when the file mixes them
    reason: str  # why that order
    shown_order: str | None  # the order to report (None when there was nothing to decide)
    dates: pd.Series  # datetime64 per row (NaT where it is not a real date)


def read_dates(t: Table, raw: pd.Series, amount_text: pd.Series, currencies: set[str], decimal: str | None) -> Dates:
    """The date column read in the order the file's dates (and its amounts and currencies) point to."""
    parsed = dts.parse_column(raw)
    evidences = [parsed.evidence()]
    for p in t.profiles:
        if p.index != t.mapping.date and p.scores.get("date", 0) >= 45 and p.date_ratio >= 0.6:
            evidences.append(dts.parse_column(t.text(p.index)).evidence())
    if t.options.date_order:
        order, reason = t.options.date_order, "chosen by you"
        by_shape: dict[str, str] = {}
    else:
        symbols = "".join(sorted(set("".join(amount_text.head(200).astype(str)) ) & set("$€£¥")))
        order, reason, _certain = dts.decide_order(evidences, hints=date_hints(currencies, decimal, symbols))
        order, reason, by_shape = _mixed_shapes(t, parsed, order, reason)
    # ISO dates, month names, OFX: there was nothing to decide, so none is reported (the preview
    # said "Dates: day first" next to "no day/month dates in the file"); a choice of the user's stays
    shown_order = order if (t.options.date_order or dts.has_day_month(evidences)) else None
    return Dates(raw=raw, parsed=parsed, order=order, by_shape=by_shape, reason=reason, shown_order=shown_order,
                 dates=parsed.to_dates(order, by_shape))


def _mixed_shapes(t: Table, parsed: dts.ParsedDates, order: str, reason: str) -> tuple[str, str, dict[str, str]]:
    """(order, reason, order per shape): several date shapes, each settled by its own numbers, in
    different orders, are each read their own way; otherwise the file's order stands."""
    by_shape = dts.decide_by_shape(parsed)
    if len(set(by_shape.values())) <= 1:
        return order, reason, {}
    assert parsed.shape is not None  # shapes were told apart, so each row has one
    counts = parsed.shape.value_counts()
    weight = {o: sum(int(counts.get(k, 0)) for k, v in by_shape.items() if v == o) for o in dts.ORDERS}
    order = max(dts.ORDERS, key=lambda o: weight[o])
    reason = "each date shape is read in its own order: " + ", ".join(
        f"{dts.shape_label(k)} {'day' if v == 'dmy' else 'month'} first" for k, v in sorted(by_shape.items())
    )
    t.warnings.append(
        "The file mixes date shapes written in different day/month orders; "
        + reason.split(": ", 1)[1] + " (each shape has dates that can only be read that way)."
    )
    return order, reason, by_shape


def reject_bad_dates(t: Table, d: Dates) -> pd.Series:
    """Reject rows whose date is empty, not a date, not a real day or out of range; the rest (True)."""
    index, date_raw = t.index, d.raw
    empty_date = date_raw == ""
    if empty_date.any():
        t.reject(index[empty_date], "date", "The date is empty.", date_raw[empty_date])
    unparsed = ~empty_date & d.parsed.year.isna()
    if unparsed.any():
        t.reject(
            index[unparsed], "date",
            [f"{quoted(v)} is not a date (expected for example 2024-03-31, 31/03/2024, 03/31/2024 or 31 Mar 2024)."
             for v in date_raw[unparsed]],
            date_raw[unparsed],
        )
    shaped = ~empty_date & ~unparsed
    nat = shaped & d.dates.isna()
    if nat.any():
        t.reject(index[nat], "date", _unreal_reasons(d, index[nat]), date_raw[nat])
    in_range = shaped & ~nat
    lo = pd.Timestamp(MIN_TRANSACTION_DATE)
    hi = pd.Timestamp(max_transaction_date())
    out_of_range = in_range & ((d.dates < lo) | (d.dates > hi))
    if out_of_range.any():
        reasons = []
        for idx in index[out_of_range]:
            try:
                validate_transaction_date(d.dates[idx].date())
                reasons.append("The date is out of range.")
            except ValidationError as exc:
                reasons.append(exc.message)
        t.reject(index[out_of_range], "date", reasons, date_raw[out_of_range])
    return in_range & ~out_of_range


def _unreal_reasons(d: Dates, rows: pd.Index) -> list[str]:
    """Why each date of the right shape is still no date (31/02, or outside the accepted years)."""
    row_orders = d.parsed.row_orders(d.order, d.by_shape)
    years, months, days = d.parsed.components_by_row(row_orders)
    reasons = []
    for idx in rows:
        # the day/month order is worth naming only for a 01/02/2025-like date, not a year-first one
        label = (" (read day first)" if row_orders[idx] == "dmy" else " (read month first)") \
            if bool(d.parsed.is_triplet[idx]) else ""
        try:
            day = dt.date(int(years[idx]), int(months[idx]), int(days[idx]))
        except (ValueError, TypeError, OverflowError):
            reasons.append(f"{quoted(d.raw[idx])} is not a real calendar date{label}.")
            continue
        try:
            validate_transaction_date(day)
            reasons.append(f"{quoted(d.raw[idx])} could not be read as a date.")
        except ValidationError as exc:
            reasons.append(exc.message)
    return reasons
