"""Month-over-month and year-over-year changes by category."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from budgetwise.dates import add_months, month_end, month_start, month_text
from budgetwise.ratios import percent_change
from budgetwise.services.reports.rollup import _sums
from budgetwise.services.reports.scope import ReportFilter, _scope, _with_missing
from budgetwise.services.reports.totals import _typed, data_range, months_with_data
from budgetwise.text import and_list, plural_word


def _compared_days(session: Session, user_id: int, this: dt.date, today: dt.date) -> tuple[int | None, dt.date | None]:
    """(the last day of ``this`` month to compare, or None for whole months; the data's last day when that is why).

    The running month is compared through today; the month the user's newest transaction falls in before its last
    day through that day (the rest of it is not in the data: :func:`reports.covered_months`' rule)."""
    if this == month_start(today) and today < month_end(this):
        return today.day, None
    last_data = data_range(session, user_id=user_id)[1]
    if last_data is not None and month_start(last_data) == this and last_data < month_end(this):
        return last_data.day, last_data
    return None, None


def _missing(session: Session, user_id: int, months: tuple[dt.date, ...]) -> tuple[dt.date, ...]:
    """The compared ``months`` without a single transaction of the user's: missing from the data (a gap, or before
    it starts), not months of nothing spent; their $0.00 is nothing recorded (session 27, trial27)."""
    return tuple(m for m in months if not months_with_data(session, user_id=user_id, months=[m]))


def missing_note(months: Sequence[dt.date], locale: str | None = None) -> str:
    """The one sentence under a Changes table (Reports → Changes, the Monthly PDF) naming its compared ``months``
    missing from the data (``changes(...).attrs["missing_months"]``; session 27, trial27)."""
    n = len(months)
    return (f"{and_list(month_text(m, locale) for m in months)} {plural_word(n, 'has', 'have')} no transaction at all "
            f"in your data (before it starts, or a gap): the zeros in {plural_word(n, 'its', 'their')} "
            f"{plural_word(n, 'column')} are nothing recorded, not nothing spent, so the change against "
            f"{plural_word(n, 'it', 'them')} says nothing about your spending.")


def changes(
    session: Session,
    *,
    user_id: int,
    month: dt.date,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Month-over-month and year-over-year change for one month.

    Rows: Income, Expenses, Net savings, then each expense category (largest this
    month first). Columns: item, this_month_minor, previous_month_minor,
    mom_change_minor, mom_change_pct, last_year_minor, yoy_change_minor,
    yoy_change_pct (percent; NaN when the base is zero). The category, type and
    text filters apply; the dates come from ``month``.

    The month that is still running (``today`` falls in it) is compared like for like:
    its days so far with the same days of the month before and of the year before
    (1-21 November with 1-21 October). ``df.attrs["through_day"]`` is then that day of
    the month, else None. So is the month the data ends inside (:func:`_compared_days`; its day in
    ``df.attrs["data_ends"]``, else None), and ``df.attrs["missing_months"]``: :func:`_missing` (session 27).
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    today = today or dt.date.today()
    this = month_start(month)
    prev = add_months(this, -1)
    last_year = add_months(this, -12)
    through, data_ends = _compared_days(session, user_id, this, today)
    keys = ("kind", "category_id")
    if through is None:
        monthly = list(_sums(session, scope, flt.with_dates(last_year, month_end(this)), keys, time="month").items())
    else:  # the first ``through`` days of each of the three months
        monthly = []
        for m in (this, prev, last_year):
            days = flt.with_dates(m, min(m + dt.timedelta(days=through - 1), month_end(m)))
            monthly += [((kind, cid, m), value) for (kind, cid), value in
                        _sums(session, scope, days, keys).items()]
    kinds: dict[tuple[str, dt.date], int] = defaultdict(int)
    cats: dict[tuple[int | None, dt.date], int] = defaultdict(int)
    for (kind, cid, m), (total, _) in monthly:
        if m not in (this, prev, last_year):
            continue
        kinds[(kind, m)] += total
        if kind == "expense":
            cats[(cid, m)] += total

    def line(item: str, values: tuple[int, int, int]) -> dict:
        cur, before, year_ago = values
        mom, yoy = percent_change(cur, before), percent_change(cur, year_ago)
        return {
            "item": item,
            "this_month_minor": cur,
            "previous_month_minor": before,
            "mom_change_minor": cur - before,
            "mom_change_pct": math.nan if mom is None else mom,
            "last_year_minor": year_ago,
            "yoy_change_minor": cur - year_ago,
            "yoy_change_pct": math.nan if yoy is None else yoy,
        }

    def trio(getter) -> tuple[int, int, int]:
        return getter(this), getter(prev), getter(last_year)

    records = [
        line("Income", trio(lambda m: kinds[("income", m)])),
        line("Expenses", trio(lambda m: kinds[("expense", m)])),
        line("Net savings", trio(lambda m: kinds[("income", m)] - kinds[("expense", m)])),
    ]
    cat_ids = sorted({cid for cid, _ in cats}, key=lambda c: (-cats.get((c, this), 0), scope.category_name(c)))
    for cid in cat_ids:
        records.append(line(scope.category_name(cid), trio(lambda m, c=cid: cats.get((c, m), 0))))
    columns = [
        "item", "this_month_minor", "previous_month_minor", "mom_change_minor", "mom_change_pct",
        "last_year_minor", "yoy_change_minor", "yoy_change_pct",
    ]
    df = _with_missing(_typed(pd.DataFrame.from_records(records, columns=columns)), scope)
    df.attrs.update(through_day=through, data_ends=data_ends, missing_months=_missing(session, user_id, (prev, last_year)))
    return df
