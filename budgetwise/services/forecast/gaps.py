"""Gap months: calendar months in which a user's history holds no income or expense row at all (issue #17, session 27).

A month of a household's imports that was skipped, or a history that stops and resumes, is not a month of no
spending, no income and no saving: read as zeros it drags every mean and every backtest down. With :data:`FILL` on,
the forecast reads such a month as *missing*:

* leading gap months (before the first complete month with data) are left out of the history (:func:`first_day`);
* every other gap month is filled, per category and per recurring merchant, at the daily rate of the up to
  :data:`FILL_MONTHS` months with data before it (after it only when there is none before), so the model's weekly
  blocks, the period totals and the candidates' averages read the months with data (:func:`fill_rates`);
* the backtest scores no target in a gap month (its "actual" would be the fill), and its naive guesses read the
  months with data (``mean3``: the last 3 of them; ``last_year``: none when last year's month was a gap);
* the forecast's history keeps the months as they are in the data (0: ``goal_stats.months_with_data``'s rule still
  finds them) and a note names them (:func:`gap_note`).

A category with no row in a month where the user has other rows is a genuine zero and stays one: a gap is a month of
the whole user, every kind and category (``goal_stats.months_with_data`` owns "a month with data"; here it is applied
to the month's gross activity, the sum of every row's amount, which is 0 exactly when there is no row).

Off (``FILL = False``, the default since its test failed): every month is read as it is in the data, gaps as zeros
(the behaviour before session 27); the forecast then names no gap month (``ForecastResult.gap_months`` is empty).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref

import numpy as np
import pandas as pd

from budgetwise.dates import add_months, month_end, month_text
from budgetwise.text import and_list, plural

# OFF: failed its pre-registered test on fresh seeds 2811-2870 (benchmarks/forecast_gap_check.py, session 27: pooled
# MAPE 17.47% -> 17.66%, G1 and G3 failed; 80% coverage 85.2% -> 79.9%); docs/history/forecasting.md. True: gap
# months read as missing, as described above
FILL = False
FILL_MONTHS = 3  # a gap month is filled at the daily rate of this many months with data next to it


# session 29 (gap29): a month without any row is a gap month (missing data) only when the months with data hold on
# average at least this many days with a row: with r days of activity a month, a month of the same activity holds
# none with a chance of about e^-r (under 1% from 5 on); in a sparser history (a salary and a bill or two a month) an
# empty month is a quiet month, and a series missing there has stopped or skipped (:func:`dense`)
GAP_MIN_DAYS = 5

# id(daily) -> the frame, its months with data, its days with a row per month
_KEPT: dict[int, tuple[weakref.ref, frozenset[dt.date], dict[dt.date, int]]] = {}
_KEPT_LOCK = threading.Lock()


def data_months(daily: pd.DataFrame) -> frozenset[dt.date]:
    """The first days of the calendar months that hold a row of ``daily`` (any kind, any category) with an amount:
    ``goal_stats.months_with_data`` on each month's gross activity. Kept while the frame lives (a history's frames
    are never changed; every category's run asks again)."""
    return _kept(daily)[0]


def month_days(daily: pd.DataFrame) -> dict[dt.date, int]:
    """Per month with data (:func:`data_months`, first days), how many days hold a row with an amount."""
    return _kept(daily)[1]


def _kept(daily: pd.DataFrame) -> tuple[frozenset[dt.date], dict[dt.date, int]]:
    with _KEPT_LOCK:
        kept = _KEPT.get(id(daily))
        if kept is not None and kept[0]() is daily:
            return kept[1], kept[2]
    from budgetwise.services.goal_stats import months_with_data  # (goal_stats imports this package)

    if daily.empty:
        return frozenset(), {}
    dates = pd.to_datetime(daily["date"])
    months = dates.dt.to_period("M")
    gross = daily["amount_minor"].abs().groupby(months).sum()
    keep = months_with_data(gross.to_numpy(dtype=float))
    days = dates[daily["amount_minor"].to_numpy() != 0].groupby(months).nunique()
    out = {p.start_time.date(): int(days.get(p, 0)) for p in gross.index[keep]}
    have = frozenset(out)
    with _KEPT_LOCK:
        for key in [k for k, v in _KEPT.items() if v[0]() is None]:
            del _KEPT[key]
        _KEPT[id(daily)] = (weakref.ref(daily), have, out)
    return have, out


def dense(days: dict[dt.date, int], start: dt.date, as_of: dt.date) -> bool:
    """Whether the months with data from the month of ``start`` on, whole by ``as_of`` (``days``: per month with
    data, its days with a row), hold on average at least :data:`GAP_MIN_DAYS` days with a row: only then is a month
    without any row a gap month (session 29, gap29). Always with ``analysis.recurring.CALENDAR_GAPS`` off."""
    from budgetwise.analysis import recurring

    if not recurring.CALENDAR_GAPS:
        return True
    first = start.replace(day=1)
    counts = [n for m, n in days.items() if m >= first and month_end(m) <= as_of]
    return bool(counts) and sum(counts) >= GAP_MIN_DAYS * len(counts)


def gap_months(daily: pd.DataFrame, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The first days of the whole calendar months within ``first``..``last`` without any row (empty when
    :data:`FILL` is off)."""
    if not FILL or last < first:
        return ()
    have = data_months(daily)
    out = []
    m = first.replace(day=1)
    if m < first:
        m = add_months(m, 1)
    while month_end(m) <= last:
        if m not in have:
            out.append(m)
        m = add_months(m, 1)
    return tuple(out)


def empty_months(daily: pd.DataFrame, months: list) -> tuple[dt.date, ...]:
    """Which of ``months`` (first days of calendar months) hold no row of ``daily`` at all (:func:`data_months`),
    whatever :data:`FILL` says: the goal's one-off shortfalls skip them (``goal_stats.net_one_offs``, session 27)."""
    have = data_months(daily)
    return tuple(m for m in (pd.Timestamp(d).date() for d in months) if m not in have)


def empty_spans(daily: pd.DataFrame, as_of: dt.date) -> tuple[tuple[int, int], ...]:
    """The whole calendar months after the first month with data and up to ``as_of`` without any row of ``daily``
    (:func:`data_months`), as (first, last) day ordinals, whatever :data:`FILL` says: the days the recurring detector
    skips when it is told to know gap months (``analysis.recurring.detect``'s ``skip``; session 28, flows28). Empty
    when the history is sparse (:func:`dense`, session 29)."""
    have = month_days(daily)
    if not have or not dense(have, min(have), as_of):
        return ()
    return spans_of(m for m in span_months(min(have), as_of) if m not in have)


def span_months(first: dt.date, as_of: dt.date) -> list[dt.date]:
    """The first days of the whole calendar months after the month of ``first`` (the first day with data) up to
    ``as_of``: the months :func:`empty_spans` asks about (the Reports' list asks the database which of them hold a
    row, ``reports.months_with_data``; session 28, rec28)."""
    out = []
    m = add_months(first.replace(day=1), 1)
    while month_end(m) <= as_of:
        out.append(m)
        m = add_months(m, 1)
    return out


def spans_of(months) -> tuple[tuple[int, int], ...]:
    """Gap months (first days, increasing) as the detector's (first, last) day ordinals."""
    return tuple((m.toordinal(), month_end(m).toordinal()) for m in months)


def first_day(daily: pd.DataFrame, start: dt.date, last: dt.date) -> dt.date:
    """``start``, or the first day of the first whole month with data after it when the whole months from ``start``
    on begin with gap months (a history whose first complete months hold nothing starts where the data does)."""
    gaps = set(gap_months(daily, start, last))
    m = start.replace(day=1)
    if m < start:
        m = add_months(m, 1)
    moved = False
    while m in gaps:
        m = add_months(m, 1)
        moved = True
    return m if moved else start


def gap_spans(gaps: tuple[dt.date, ...], start: dt.date, n_obs: int) -> list[tuple[int, int]]:
    """Each gap month as (first, last) day index from ``start`` (clipped to 0..n_obs-1)."""
    out = []
    for m in gaps:
        a, b = (m - start).days, (month_end(m) - start).days
        a, b = max(a, 0), min(b, n_obs - 1)
        if a <= b:
            out.append((a, b))
    return out


def reference_days(spans: list[tuple[int, int]], start: dt.date, n_obs: int, months: int | None = None,
                   ) -> list[np.ndarray]:
    """Per gap span, the day indices of the up to ``months`` whole months with data before it (after it when
    there is none before): what its fill rate is read from. Empty: no month with data at all. ``months``:
    :data:`FILL_MONTHS` by default."""
    months = FILL_MONTHS if months is None else months
    gap_days = np.zeros(n_obs, dtype=bool)
    for a, b in spans:
        gap_days[a : b + 1] = True
    # the whole months within the index range that are not gaps
    whole = []
    m = start.replace(day=1)
    if m < start:
        m = add_months(m, 1)
    while (month_end(m) - start).days < n_obs:
        a, b = (m - start).days, (month_end(m) - start).days
        if not gap_days[a]:
            whole.append((a, b))
        m = add_months(m, 1)
    out = []
    for a, _ in spans:
        before = [w for w in whole if w[1] < a][-months:]
        chosen = before or [w for w in whole if w[0] > a][:months]
        out.append(np.concatenate([np.arange(x, y + 1) for x, y in chosen]) if chosen else np.zeros(0, dtype=np.int64))
    return out


def fill_rows(Y: np.ndarray, spans: list[tuple[int, int]], refs: list[np.ndarray]) -> None:
    """Fill each gap span of the rows of ``Y`` (categories x days) with each row's mean daily amount over its
    reference days, in place (a span without reference days stays 0)."""
    for (a, b), ref in zip(spans, refs):
        if len(ref):
            Y[:, a : b + 1] = Y[:, ref].mean(axis=1, keepdims=True)


def fill_events(cats: np.ndarray, days: np.ndarray, amounts: np.ndarray, n_cats: int, spans: list[tuple[int, int]],
                refs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One recurring merchant's rows (category index, day index, amount) with its gap days filled the way
    :func:`fill_rows` fills the day totals (so the variable part of a gap month is the filled total less the
    filled recurring payments)."""
    extra_c, extra_d, extra_a = [cats], [days], [amounts]
    for (a, b), ref in zip(spans, refs):
        if not len(ref):
            continue
        inside = np.isin(days, ref)
        if not inside.any():
            continue
        rate = np.bincount(cats[inside], weights=amounts[inside], minlength=n_cats) / len(ref)
        for c in np.flatnonzero(rate > 0):
            span = np.arange(a, b + 1)
            extra_c.append(np.full(len(span), c, dtype=np.int64))
            extra_d.append(span)
            extra_a.append(np.full(len(span), rate[c]))
    return np.concatenate(extra_c), np.concatenate(extra_d), np.concatenate(extra_a)


def period_is_gap(first: dt.date, last: dt.date, gaps: tuple[dt.date, ...]) -> bool:
    """Whether the period ``first``..``last`` has a day in a gap month (its total is partly a fill)."""
    return any(m <= last and month_end(m) >= first for m in gaps)


def gap_note(gaps: tuple[dt.date, ...], locale: str = "en_US", *, kind: str = "income or spending") -> str:
    """The forecast's note naming the gap months (empty without any)."""
    if not gaps:
        return ""
    names = and_list([month_text(m, locale) for m in gaps])
    one = len(gaps) == 1
    return (f"Your data holds no transactions at all in {names}. The forecast reads "
            f"{'that month' if one else 'those ' + plural(len(gaps), 'month')} as missing, not as "
            f"{'a month' if one else 'months'} without {kind}: {'it is' if one else 'they are'} estimated from the "
            f"months with data next to {'it' if one else 'them'}, and the backtest does not score "
            f"{'it' if one else 'them'}. Import the missing {'month' if one else 'months'} for a better forecast.")
