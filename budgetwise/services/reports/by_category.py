"""Income or spending by category: totals, monthly trends and monthly averages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

import pandas as pd
from sqlalchemy.orm import Session

from budgetwise.dates import day_text, month_end, month_start, month_text
from budgetwise.services import rates
from budgetwise.services.reports.periods import months_between, whole_months
from budgetwise.services.reports.rollup import _sums
from budgetwise.services.reports.scope import (
    ReportFilter,
    _int,
    _round_div,
    _Scope,
    _scope,
    _validate_kind,
    _with_missing,
)
from budgetwise.services.reports.totals import _typed, data_range, months_with_data
from budgetwise.text import and_list, plural, plural_word


def by_category(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Totals and counts per category, largest first.

    Columns: category_id (None = uncategorized), category, color, amount_minor,
    count, average_minor (per transaction), share (percent of the total).

    ``df.attrs["total_minor"]``: the selection's total as the summary states it (its income or expenses).
    Converted amounts are rounded once per figure, so the categories' own figures may add up to a cent or
    so more or less (docs/currencies.md); the donut's "spent" showed €389,283.41 beside the expense card's
    €389,283.42 (session 20).
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    others: set[str] = set()
    sums = _sums(session, scope, flt, ("category_id",), kind=kind, currencies=others)
    # only with converted amounts (else the categories add up exactly); its own converter, as the summary's,
    # so that a missing rate is noted once
    exact = _sums(session, replace(scope, fx=rates.Converter(session, scope.currency, user_id=scope.user_id)),
                  flt, (), kind=kind) if others else None
    rows = [(cid, total, cnt) for (cid,), (total, cnt) in sums.items()]
    grand = sum(r[1] for r in rows)
    records = [
        {
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "amount_minor": total,
            "count": cnt,
            "average_minor": _round_div(total, cnt),
            "share": total / grand * 100.0 if grand else 0.0,
        }
        for cid, total, cnt in rows
    ]
    records.sort(key=lambda r: (-r["amount_minor"], r["category"]))
    columns = ["category_id", "category", "color", "amount_minor", "count", "average_minor", "share"]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    df = _with_missing(_typed(df), scope)
    df.attrs["total_minor"] = exact.get((), (grand, 0))[0] if exact is not None else grand
    return df


def _category_months(session: Session, scope: _Scope, flt: ReportFilter, kind: str) -> dict[tuple[int | None, dt.date], int]:
    sums = _sums(session, scope, flt, ("category_id",), kind=kind, time="month")
    return {(cid, month): total for (cid, month), (total, _) in sums.items()}


def category_trend(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Spending (or income) per category per month, long format with zero months filled.

    Columns: month, category_id, category, color, amount_minor. Categories are
    ordered by their total, largest first.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    cells = _category_months(session, scope, flt, kind)
    columns = ["month", "category_id", "category", "color", "amount_minor"]
    if not cells:
        return _with_missing(_typed(pd.DataFrame(columns=columns)), scope)
    months = months_between(flt.date_from or min(m for _, m in cells), flt.date_to or max(m for _, m in cells))
    totals: dict[int | None, int] = defaultdict(int)
    for (cid, _), amount in cells.items():
        totals[cid] += amount
    order = sorted(totals, key=lambda c: (-totals[c], scope.category_name(c)))
    records = [
        {
            "month": m,
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "amount_minor": cells.get((cid, m), 0),
        }
        for cid in order
        for m in months
    ]
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    return _with_missing(_typed(df), scope)


def trend_wide(trend: pd.DataFrame) -> pd.DataFrame:
    """:func:`category_trend` as one row per category and one ``YYYY-MM_minor`` column per month."""
    if trend.empty:
        return pd.DataFrame(columns=["category"])
    months = sorted(set(trend["month"]))
    order = list(dict.fromkeys(trend["category"]))
    cells = {(c, m): int(a) for c, m, a in zip(trend["category"], trend["month"], trend["amount_minor"])}
    records = [{"category": c, **{f"{m.strftime('%Y-%m')}_minor": cells.get((c, m), 0) for m in months}} for c in order]
    return pd.DataFrame.from_records(records)


def _averaged_months(session: Session, user_id: int, flt: ReportFilter) -> dict:
    """The months an average per month divides by (:func:`average_monthly_by_category`'s attrs): those the period and
    the data cover wholly (:func:`periods.whole_months`) that hold any transaction (:func:`totals.months_with_data`);
    the others left out and named. Without such a month, every month of the period, as before (``whole`` False)."""
    data_first, data_last = data_range(session, user_id=user_id)
    first, last = flt.date_from or data_first, flt.date_to or data_last
    if first is None or last is None or first > last:
        return {"averaged_months": (), "partial_months": (), "missing_months": (), "whole": False, "months": 0}
    whole, partial = whole_months(first, last, data_first, data_last)
    held = set(months_with_data(session, user_id=user_id, months=whole))
    averaged = tuple(m for m in whole if m in held)
    return {"averaged_months": averaged, "partial_months": tuple(partial) if averaged else (),
            "missing_months": tuple(m for m in whole if m not in held), "whole": bool(averaged),
            "months": len(averaged) if averaged else len(whole) + len(partial),
            "data_first": data_first, "data_last": data_last}


def average_note(df: pd.DataFrame, locale: str | None = None, date_format: str | None = None) -> str | None:
    """The sentence under Reports → Categories' "Average per month" naming the months left out of it (the attrs of
    :func:`average_monthly_by_category`; session 28, trial28), None when every month of the period is averaged."""
    months, partial, missing = df.attrs.get("months", 0), df.attrs.get("partial_months", ()), df.attrs.get("missing_months", ())
    if not df.attrs.get("whole", True):
        return (f"Your data covers no whole month in this period: the averages count {plural(months, 'month')} "
                "as whole (a day without data counts as nothing spent).") if months else None
    if not partial and not missing:
        return None
    first, last = df.attrs.get("data_first"), df.attrs.get("data_last")
    reasons = []
    for m in partial:
        if last is not None and month_start(last) == m and last < month_end(m):
            why = f"your data ends on {day_text(last, date_format, locale)}, inside it"
        elif first is not None and month_start(first) == m and first > m:
            why = f"your data starts on {day_text(first, date_format, locale)}, inside it"
        else:
            why = "the period covers only part of it"
        reasons.append(f"{month_text(m, locale)} is left out: {why} (its rest is not in your data, not nothing spent)")
    if missing:
        n = len(missing)
        reasons.append(f"{and_list(month_text(m, locale) for m in missing)} {plural_word(n, 'is', 'are')} left out: "
                       f"no transaction at all in your data (a gap), not {plural_word(n, 'a month', 'months')} of nothing spent")
    averaged = df.attrs.get("averaged_months", ())
    span = month_text(averaged[0], locale) if len(averaged) == 1 else \
        f"{month_text(averaged[0], locale)} – {month_text(averaged[-1], locale)}"
    said = [f"Averaged over {plural(months, 'whole month', locale=locale or 'en_US')} ({span})", *reasons]
    return ". ".join(s[:1].upper() + s[1:] for s in said) + "."  # "Dezembro de 2021 is left out" (pt_PT)


def average_monthly_by_category(
    session: Session, *, user_id: int, filters: ReportFilter | None = None, kind: str = "expense"
) -> pd.DataFrame:
    """Average monthly spending per category over the period (months without spending count as 0).

    Columns: category_id, category, color, total_minor, months, average_minor, share.

    A category's total is :func:`by_category`'s (one figure per category): added up from its months, each
    month's converted amounts rounded on their own, it differed by a cent from the table beside it
    (Uncategorized €153,261.25 here, €153,261.24 there; session 20).

    The average divides by the months the data covers wholly (session 28, trial28: a history ending on 3 December
    divided by 6 months for 5 months and 3 days): a month the data (or the period) starts or ends inside and a month
    without any transaction (a gap) are left out, their spending too; ``df.attrs``: :func:`_averaged_months`,
    said by :func:`average_note`. Without a whole month, every month of the period counts (``attrs["whole"]`` False).
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    kind = _validate_kind(kind) or "expense"
    totals = {cid: total for (cid,), (total, _) in _sums(session, scope, flt, ("category_id",), kind=kind).items()}
    columns = ["category_id", "category", "color", "total_minor", "months", "average_minor", "share"]
    if not totals:
        return _with_missing(_typed(pd.DataFrame(columns=columns)), scope)
    said = _averaged_months(session, user_id, flt)
    months, averaged = said["months"], said["averaged_months"]
    sums = totals
    if said["partial_months"]:  # the partial months are at the ends, a gap holds nothing: one span's sums
        span = flt.with_dates(averaged[0], month_end(averaged[-1]))
        sums = {cid: total for (cid,), (total, _) in _sums(session, scope, span, ("category_id",), kind=kind).items()}
    grand = sum(_int(t) for t in totals.values())
    records = [
        {
            "category_id": cid,
            "category": scope.category_name(cid),
            "color": scope.category_color(cid),
            "total_minor": _int(total),
            "months": months,
            "average_minor": _round_div(_int(sums.get(cid, 0)), months),
            "share": _int(total) / grand * 100.0 if grand else 0.0,
        }
        for cid, total in totals.items()
    ]
    records.sort(key=lambda r: (-r["total_minor"], r["category"]))
    df = pd.DataFrame.from_records(records, columns=columns)
    df["category_id"] = df["category_id"].astype(object)
    df = _with_missing(_typed(df), scope)
    df.attrs.update(said)
    return df
