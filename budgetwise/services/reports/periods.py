"""Report periods: presets, the previous period, parsing a typed period, months of a range (pure)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from budgetwise.dates import add_months, day_text, month_end, month_start
from budgetwise.errors import ValidationError
from budgetwise.names import quoted
from budgetwise.periods import MONTH

PERIOD_PRESETS: dict[str, str] = {
    "this_month": "This month",
    "last_month": "Last month",
    "last_3_months": "Last 3 months",
    "last_6_months": "Last 6 months",
    "last_12_months": "Last 12 months",
    "year_to_date": "Year to date",
    "last_3_years": "Last 3 years",
    "all_time": "All time",
    "data_span": "Span of your data",
    "data_latest_6_months": "Latest 6 months of data",
    "custom": "Custom",
}
# need the dates of the user's first and last transactions
DATA_PRESETS = ("all_time", "data_span", "data_latest_6_months")


def preset_range(
    preset: str,
    *,
    today: dt.date | None = None,
    custom_from: dt.date | None = None,
    custom_to: dt.date | None = None,
    data_from: dt.date | None = None,
    data_to: dt.date | None = None,
    date_format: str | None = None,
    locale: str | None = None,
) -> tuple[dt.date, dt.date]:
    """The inclusive date range of a period preset.

    "Last N months" is the current month so far plus the N-1 months before it,
    so it always includes today and starts on the first of a month; "last 3 years" is
    the 36 months so far. "All time" runs from the first transaction (``data_from``) to
    today (or to the last transaction when that is later); "span of your data" from the
    first transaction to the last (``data_to``); "latest 6 months of data" the month of the last
    transaction and the 5 before it, up to that transaction. Without transactions all three are this month.
    :func:`budgetwise.services.reports.period_range` looks the data's dates up. A refused custom
    period writes its dates in the user's ``date_format`` and ``locale`` (ISO by default).
    """
    today = today or dt.date.today()
    if preset in DATA_PRESETS:
        if data_from is None or data_to is None:
            return month_start(today), today
        if preset == "data_latest_6_months":
            return max(data_from, add_months(data_to, -5)), data_to
        return (data_from, max(today, data_to)) if preset == "all_time" else (data_from, data_to)
    if preset == "last_3_years":
        return add_months(today, -35), today
    if preset == "this_month":
        return month_start(today), today
    if preset == "last_month":
        first = add_months(today, -1)
        return first, month_end(first)
    if preset in ("last_3_months", "last_6_months", "last_12_months"):
        months = int(preset.split("_")[1])
        return add_months(today, -(months - 1)), today
    if preset == "year_to_date":
        return dt.date(today.year, 1, 1), today
    if preset == "custom":
        if custom_from is None or custom_to is None:
            raise ValidationError("Choose both a start and an end date for a custom period.", field="period")
        if custom_from > custom_to:
            raise ValidationError(
                f"The period starts ({day_text(custom_from, date_format, locale)}) after it ends "
                f"({day_text(custom_to, date_format, locale)}).",
                field="period",
            )
        return custom_from, custom_to
    raise ValidationError(f"Unknown period {quoted(preset)}.", field="period")


def default_preset(preferred: str, *, today: dt.date, data_from: dt.date | None, data_to: dt.date | None) -> str:
    """The period a report opens on: ``preferred`` unless it holds none of the user's transactions
    while they have some, e.g. a history that ends two years ago (session 21: the Reports page then
    opened on an empty period, without its tabs); then "latest 6 months of data", labelled so."""
    if data_from is None or data_to is None:
        return preferred
    start, end = preset_range(preferred, today=today, data_from=data_from, data_to=data_to)
    return preferred if start <= data_to and data_from <= end else "data_latest_6_months"


def period_label(preset: str, date_from: dt.date, date_to: dt.date, *, date_format: str | None = None,
                 locale: str | None = None) -> str:
    """How a chosen period reads on a page: the preset's name, with its dates (in the user's
    ``date_format`` and ``locale``, ISO by default) where they depend on the data."""
    span = f"{day_text(date_from, date_format, locale)} – {day_text(date_to, date_format, locale)}"
    if preset == "custom":
        return span
    name = PERIOD_PRESETS.get(preset, preset)
    return f"{name} ({span})" if preset in DATA_PRESETS else name


def period_in_sentence(label: str) -> str:
    """A :func:`period_label` inside a sentence ("… not included in the figures for span of your data (01 Apr
    2009 – 16 Jan 2025)"): the preset's name in lower case, its dates as written. The Dashboard lower-cased the
    whole label, dates too ("01 apr 2009 – 16 jan 2025" beside "01 Apr 2009"; German "dez"; session 26's trial). A
    custom period's label is its dates alone and stays as it is."""
    for preset, name in PERIOD_PRESETS.items():
        if preset != "custom" and (label == name or label.startswith(name + " (")):
            return name[:1].lower() + name[1:] + label[len(name):]
    return label


def previous_period(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The period just before, of the same shape.

    A period from 1 January within one year (year to date) is compared with the same dates
    a year earlier. Another period starting on the first of a month is compared with the same number of
    calendar months before it, up to the same day of the month (this month so far
    vs last month up to the same day); any other period with the same number of
    days just before it.
    """
    if date_from > date_to:
        raise ValidationError("The period starts after it ends.", field="period")
    if (date_from.month, date_from.day) == (1, 1) and date_to.year == date_from.year:
        # year to date (or any part of a year from 1 January): the same dates a year earlier
        return date_from - relativedelta(years=1), date_to - relativedelta(years=1)
    if date_from.day == 1:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        prev_from = add_months(date_from, -months)
        prev_to = date_to - relativedelta(months=months)
        if date_to == month_end(date_to):
            prev_to = month_end(prev_to)
        return prev_from, prev_to
    days = (date_to - date_from).days + 1
    return date_from - dt.timedelta(days=days), date_from - dt.timedelta(days=1)


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """Parse ``2025-01..2025-06`` (months), ``2025-01`` (one month), ``2025`` (a year) or
    ``2025-01-15..2025-02-10`` (days) into an inclusive date range."""

    def one(part: str, *, end: bool) -> dt.date:
        part = part.strip()
        try:
            if len(part) == 4 and part.isdigit():
                return dt.date(int(part), 12, 31) if end else dt.date(int(part), 1, 1)
            if len(part) == 7:
                first = dt.date.fromisoformat(part + "-01")
                return month_end(first) if end else first
            return dt.date.fromisoformat(part)
        except ValueError:
            raise ValidationError(
                f"{quoted(part)} is not a month (YYYY-MM), a day (YYYY-MM-DD) or a year (YYYY).", field="period"
            ) from None

    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Give a period such as 2025-01..2025-06.", field="period")
    if ".." in raw:
        left, _, right = raw.partition("..")
        start, end = one(left, end=False), one(right, end=True)
    else:
        start, end = one(raw, end=False), one(raw, end=True)
    if start > end:
        raise ValidationError(f"The period {quoted(raw)} starts after it ends.", field="period")
    return start, end


def months_between(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """First days of every month touched by the inclusive range."""
    return MONTH.range(date_from, date_to)


def report_months(first: dt.date | None, last: dt.date | None, today: dt.date) -> list[dt.date]:
    """The months a monthly report can be made for, newest first: from the month of the first
    transaction to that of the last one, never past today's (none without transactions)."""
    if first is None:
        return []
    return months_between(first, min(max(last or first, first), today))[::-1]


def covered_months(
    before: dt.date, first_data: dt.date | None, last_data: dt.date | None, count: int, *, max_skip: int = 12
) -> list[dt.date]:
    """The ``count`` newest months before ``before``'s month that the data covers to their end, newest first.

    One owner of "the complete months in the data" (the budget projection, the budget editor's average, the
    goals' saving pace): a month the data stops inside (``last_data`` before its last day, e.g. a file that
    ends on 21 November) is not complete, its rest is unknown, not zero, so it and the months after it are
    skipped, at most ``max_skip`` of them (none is returned when the data stopped longer ago). Months before
    ``first_data``'s month are not in the data, nor is the month it starts inside after its first day (session 28,
    as Reports' average per month: :func:`whole_months`): fewer than ``count`` then, none without data.
    """
    out: list[dt.date] = []
    if first_data is None:
        return out
    m, skipped = add_months(month_start(before), -1), 0
    while last_data is not None and month_end(m) > last_data:
        if skipped == max_skip:
            return out
        m, skipped = add_months(m, -1), skipped + 1
    while len(out) < count and m >= first_data:  # nor the month it starts inside (session 28: :func:`whole_months`)
        out.append(m)
        m = add_months(m, -1)
    return out


def whole_months(first: dt.date, last: dt.date, data_first: dt.date | None,
                 data_last: dt.date | None) -> tuple[list[dt.date], list[dt.date]]:
    """(the months from ``first`` to ``last`` that both the span and the data cover from their first day to their
    last, the others: those the data (or the span) starts or ends inside), first days, oldest first.

    A month the data ends inside (a file ending on 3 December) is partly in the data, its rest unknown, not zero, as
    one it starts inside: an average per month over it would take it for a whole month of nothing spent (session 28,
    trial28). The partial months are always at the span's ends; :func:`covered_months` is the same rule for the
    complete months before a given one."""
    start = max(first, data_first) if data_first is not None else first
    end = min(last, data_last) if data_last is not None else last
    whole: list[dt.date] = []
    partial: list[dt.date] = []
    for m in months_between(first, last):
        (whole if start <= m and month_end(m) <= end else partial).append(m)
    return whole, partial
