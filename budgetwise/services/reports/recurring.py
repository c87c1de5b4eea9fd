"""Recurring payments (same merchant, similar amount, regular cadence) and what is due next.

The rule is :mod:`budgetwise.analysis.recurring` (shared with the forecast); this module reads
the candidate series with SQL and describes what the detector found.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Float, cast, func, select
from sqlalchemy.orm import Session

from budgetwise.analysis import recurring as rec
from budgetwise.dates import add_months, month_end
from budgetwise.db import chunked
from budgetwise.models import Transaction
from budgetwise.services.reports.scope import (
    ReportFilter,
    _as_date,
    _merchant_window,
    _plain_rows,
    _run,
    _Scope,
    _scope,
    _where,
)


@dataclass(frozen=True)
class RecurringPayment:
    merchant: str
    description: str
    category_id: int | None
    category_name: str | None
    kind: str
    cadence: str  # weekly / biweekly / monthly / quarterly / yearly
    interval_days: float
    typical_amount_minor: int
    currency: str
    occurrences: int
    first_date: dt.date
    last_date: dt.date
    next_date: dt.date
    yearly_cost_minor: int
    price_increase: bool
    previous_amount_minor: int | None
    # the yearly cost in the user's currency at the rate of the last payment (None: no rate)
    yearly_cost_base_minor: int | None = None
    paid_share: float = 1.0  # the detector's share of its expected payments of the last year that came (session 19)


@dataclass(frozen=True)
class RecurringTotals:
    """The recurring expenses among detected payments, and what they cost per year."""

    expenses: tuple[RecurringPayment, ...]
    yearly_base_minor: int  # in the user's currency, of the expenses that have a rate
    price_increases: int
    unpriced_currencies: tuple[str, ...]  # currencies of expenses left out of the total (no rate)


def recurring_totals(items: Iterable[RecurringPayment]) -> RecurringTotals:
    """Totals over the recurring *expenses* (income is left out): the yearly cost in the user's
    currency (payments in other currencies at the rate of their last payment; those without a
    rate are left out and their currencies named), and how many went up in price."""
    expenses = tuple(r for r in items if r.kind == "expense")
    yearly = [r.yearly_cost_base_minor for r in expenses if r.yearly_cost_base_minor is not None]
    unpriced = tuple(sorted({r.currency for r in expenses if r.yearly_cost_base_minor is None}))
    return RecurringTotals(expenses, sum(yearly), sum(r.price_increase for r in expenses), unpriced)


# The detection rule lives in budgetwise.analysis.recurring (shared with the forecast);
# these names stay for callers of the former module.
CADENCES = rec.CADENCES
RECURRING_LOOKBACK_DAYS = rec.LOOKBACK_DAYS  # three yearly payments, the last one not yet stale
SHORT_LOOKBACK_DAYS = 400  # enough history for weekly to monthly payments (12+ occurrences)
AMOUNT_TOLERANCE = rec.AMOUNT_TOLERANCE
REGULARITY = rec.REGULARITY
CANDIDATE_MAX_CV = 0.5  # SQL pre-filter: amounts of a recurring payment vary much less than this


def _detect_one(
    merchant: str, kind: str, currency: str, rows: list[tuple[dt.date, int, int, int | None]], as_of: dt.date,
    skip: tuple[tuple[int, int], ...] = (),
) -> rec.Recurrence | None:
    """rows: (date, amount, id of the day's last transaction, category_id) sorted by date, one per day; ``skip``:
    the gap months' days (:func:`gap_spans`)."""
    return rec.detect([r[0].toordinal() for r in rows], [r[1] for r in rows], as_of, kind, skip=skip)


# session 28 (rec28): the Reports list (and the dashboard's outlook and alerts, which read it) skips gap months as the
# cash flow's detector does (cashflow_gaps.KNOW_GAPS). OFF: on, it drops a yearly payment whose years between hold
# few rows (every month without a row is a gap, so three yearly payments read as monthly ones; the tests
# test_detect_recurring_subscriptions_bills_and_price_increase and tests/analysis/test_recurring_one_rule.py), which
# the cash flow's detector does too: gap months need a rule for sparse histories first (docs/history/accounts.md).
# Session 29 (gap29): that rule is ``analysis.recurring.CALENDAR_GAPS`` (with it on, these tests pass with this flag
# on, on the three backends); it failed its pre-registered cash-flow test, so both stay off
KNOW_GAPS = False


def knows_gaps(know_gaps: bool | None) -> bool:
    """``know_gaps`` as asked; None: :data:`KNOW_GAPS` with the cash flow's ``cashflow_gaps.KNOW_GAPS``."""
    if know_gaps is None:
        from budgetwise.services import cashflow_gaps

        return KNOW_GAPS and cashflow_gaps.KNOW_GAPS
    return know_gaps


def gap_months_until(session: Session, user_id: int, last: dt.date) -> tuple[tuple[tuple[dt.date, ...], int], ...]:
    """The user's gap months up to ``last`` (the whole calendar months after the first month with data without any
    transaction: ``forecast.gaps.span_months``, the one owner of which months; ``totals.months_with_data``'s one
    index seek per month asks which hold a row; no row is loaded), in runs of consecutive months, each with the
    ordinal of the first day with data after it when the silence is long enough to start a history (else 0): :func:`gap_spans` starts where the forecast's
    history does (after its last silence of ``HISTORY_GAP_DAYS``). Session 28 (rec28)."""
    from budgetwise.services.forecast.gaps import span_months  # (the forecast package imports the reports)
    from budgetwise.services.reports.totals import data_range, months_with_data

    first, _ = data_range(session, user_id=user_id)
    if first is None:
        return ()
    months = span_months(_as_date(first), last)
    gaps = sorted(set(months) - set(months_with_data(session, user_id=user_id, months=months)))
    runs: list[list[dt.date]] = []
    for m in gaps:
        if runs and add_months(runs[-1][-1], 1) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    out = []
    for run in runs:
        before = _run(session, select(func.max(Transaction.date)).where(
            Transaction.user_id == user_id, Transaction.date < run[0])).scalar()
        after = _run(session, select(func.min(Transaction.date)).where(
            Transaction.user_id == user_id, Transaction.date >= add_months(run[-1], 1))).scalar()
        # a silence this long starts the forecast's history (the first day after it); a shorter one is gap months
        long = after is not None and (_as_date(after) - _as_date(before)).days >= _history_gap_days()
        out.append((tuple(run), _as_date(after).toordinal() if long else 0))
    return tuple(out)


def _history_gap_days() -> int:
    from budgetwise.services.forecast.history import HISTORY_GAP_DAYS

    return HISTORY_GAP_DAYS


def month_days(session: Session, user_id: int, last: dt.date) -> dict[dt.date, int]:
    """Per month with a transaction up to ``last`` (first days), how many days hold one: one scan of the distinct
    dates on the (user_id, date) index (``forecast.gaps.month_days`` on the database; session 29, gap29)."""
    out: dict[dt.date, int] = defaultdict(int)
    stmt = select(Transaction.date).where(Transaction.user_id == user_id, Transaction.date <= last).distinct()
    for raw in _run(session, stmt).scalars():
        out[_as_date(raw).replace(day=1)] += 1
    return dict(out)


def gap_spans(runs: tuple[tuple[tuple[dt.date, ...], int], ...], as_of: dt.date,
              days: dict[dt.date, int]) -> tuple[tuple[int, int], ...]:
    """The gap months whole by ``as_of`` as the detector's ``skip``, after the last silence seen by ``as_of`` long
    enough to start the forecast's history (``forecast.history._after_last_gap``): ``forecast.gaps.empty_spans`` on
    the history the cash flow reads. Empty when the months with data from that start on are sparse (``days``:
    :func:`month_days`; ``forecast.gaps.dense``, session 29)."""
    from budgetwise.services.forecast.gaps import dense, spans_of

    day = as_of.toordinal()
    starts = [i for i, (_, after) in enumerate(runs) if 0 < after <= day]  # a silence that starts a history
    kept = runs[starts[-1] + 1:] if starts else runs
    start = dt.date.fromordinal(runs[starts[-1]][1]) if starts else min(days, default=as_of)
    if not kept or not dense(days, start, as_of):
        return ()
    return spans_of(m for run, _ in kept for m in run if month_end(m) <= as_of)


def user_gaps(session: Session, user_id: int, last: dt.date) -> tuple[tuple, dict[dt.date, int]]:
    """(:func:`gap_months_until`, :func:`month_days`) up to ``last``: what :func:`gap_spans` reads (the days only
    with ``analysis.recurring.CALENDAR_GAPS``, the one reader)."""
    runs = gap_months_until(session, user_id, last)
    return runs, (month_days(session, user_id, last) if runs and rec.CALENDAR_GAPS else {})


def detect_recurring(
    session: Session, *, user_id: int, as_of: dt.date | None = None, filters: ReportFilter | None = None,
    know_gaps: bool | None = None,
) -> list[RecurringPayment]:
    """Subscriptions, bills and regular income: same merchant, similar amount, regular interval.

    Looks at the ``RECURRING_LOOKBACK_DAYS`` before ``as_of`` (default today),
    transfers excluded. A series is recurring when the median interval matches a
    cadence (weekly, biweekly, monthly, quarterly, yearly), at least 75% of the
    intervals are within the cadence's tolerance (a skipped payment is allowed),
    the amounts' median absolute deviation is at most 25% of their median, it has
    enough occurrences (3, yearly included; 4 weekly), and it has not stopped (the last
    payment is at most 1.5 steps old). A fixed price that went up is flagged
    (``price_increase``, with ``previous_amount_minor``); variable bills are not.
    Sorted by yearly cost, largest first. ``filters`` may narrow the categories,
    type and text (its dates are ignored: the lookback window is fixed). ``know_gaps`` (None: :func:`knows_gaps`,
    off): the detector skips the user's gap months (:func:`gap_months_until`), so a salary missing only in a month
    without any transaction has not stopped (session 28, rec28); the spending forecast asks without (False).
    """
    scope = _scope(session, user_id)
    as_of = as_of or dt.date.today()
    base = filters or ReportFilter()
    flt = base.with_dates(as_of - dt.timedelta(days=RECURRING_LOOKBACK_DAYS), as_of)
    # The plain merchant column (every writer stores merchant_key(description)); rows
    # without a merchant name cannot be matched to a payee and are skipped. Grouping by
    # the column (not an expression) lets ix_transactions_user_id_merchant serve the
    # GROUP BY in index order, from the index alone.
    where = [*_where(scope, flt, currency=False, dates=False), Transaction.merchant != "", *_merchant_window(scope, flt)]
    candidates, frequent = _candidates(session, scope, where, as_of)
    if not candidates:
        return []
    series = _series(session, scope, where, candidates, frequent, as_of)
    skip: tuple[tuple[int, int], ...] = ()
    if knows_gaps(know_gaps):
        runs, days = user_gaps(session, user_id, as_of)
        skip = gap_spans(runs, as_of, days)
    detected = []
    for (m, kind, cur), rows in series.items():
        rows.sort(key=lambda r: r[0])
        found = _detect_one(m, kind, cur, rows, as_of, skip)
        if found is not None:
            detected.append(((m, kind, cur), rows, found))
    out = _describe(session, scope, detected)
    out.sort(key=lambda r: (-r.yearly_cost_minor, r.merchant))
    return out


def _candidates(
    session: Session, scope: _Scope, where: list, as_of: dt.date
) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """(merchant, kind, currency) series worth reading, and those paid about monthly or more often.

    Per series, not per merchant: a series' window (and so whether it is found) never depends on the
    merchant's other kinds, so the list filtered by kind is the unfiltered list's rows of that kind
    (:func:`upcoming_from` relies on it)."""
    merchant = Transaction.merchant
    # Candidates, pruned here from one grouped scan: on average at most one payment
    # every 4 days (daily coffee is not a subscription) and at least one every 400,
    # amounts that vary little overall (coefficient of variation <= CANDIDATE_MAX_CV, computed
    # from SUM(x) and SUM(x*x) in floating point: a statistic, never money), and a
    # last payment recent enough to still be running.
    amount_f = cast(Transaction.amount_minor, Float)
    candidates_stmt = (
        select(
            merchant, Transaction.kind, Transaction.currency, func.count(), func.min(Transaction.date),
            func.max(Transaction.date), func.sum(Transaction.amount_minor), func.sum(amount_f * amount_f),
            func.count(func.distinct(Transaction.date)),
        )
        .where(*where)
        .group_by(merchant, Transaction.kind, Transaction.currency)
        .having(func.count() >= 2)
    )
    candidates: set[tuple[str, str, str]] = set()
    frequent: set[tuple[str, str, str]] = set()  # about monthly or more often: the last SHORT_LOOKBACK_DAYS suffice
    for m, kind, cur, cnt, first, last, total, total_sq, days in _run(session, candidates_stmt).all():
        found = _candidate(m, (last - first).days, int(days), int(cnt), total, total_sq, (as_of - last).days)
        if found is not None:
            candidates.add((m, kind, cur))
            if found:
                frequent.add((m, kind, cur))
    return candidates, frequent


def _candidate(m: str | None, span: int, days: int, cnt: int, total, total_sq, age: int) -> bool | None:
    """Whether a series (its window's count, first-to-last ``span`` and distinct ``days``, amount sum and sum of
    squares, days since its last payment) is worth reading: None when not, else whether it is about monthly or
    more often (:func:`_candidates`' SQL statistics; :mod:`.recurring_at` computes the same ones itself)."""
    if not m or span < 5 or days < 2:
        return None
    mean, mean_sq = float(total or 0) / cnt, float(total_sq or 0) / cnt
    avg_interval = span / (days - 1)
    cv = math.sqrt(max(0.0, mean_sq - mean * mean)) / mean if mean > 0 else math.inf
    if days <= 3:
        # One or two intervals: their median is their mean, so it must already match a
        # cadence that allows that few occurrences (exact, not a heuristic).
        if not any(
            abs(avg_interval - c.nominal_days) <= c.tolerance_days and days >= c.min_occurrences
            for c in CADENCES.values()
        ):
            return None
    if 4 <= avg_interval <= 400 and cv <= CANDIDATE_MAX_CV and age <= 3 * avg_interval + 30:
        return avg_interval <= 45
    return None


def _series(
    session: Session, scope: _Scope, where: list, candidates: set[tuple[str, str, str]],
    frequent: set[tuple[str, str, str]], as_of: dt.date
) -> dict[tuple[str, str, str], list]:
    """The candidates' payments, one row (date, amount, last id, category id) per day.

    Several payments on a day are one occurrence.
    """
    series: dict[tuple[str, str, str], list] = defaultdict(list)
    # Weekly to monthly candidates only use the last SHORT_LOOKBACK_DAYS; one scan reads all.
    short_start = as_of - dt.timedelta(days=SHORT_LOOKBACK_DAYS)
    # Index seeks per candidate merchant: the frequent ones over the last SHORT_LOOKBACK_DAYS
    # only, the others over the whole lookback. The description (not in the index) is read
    # only for the last payment of each series found. Plain rows: the dates as the driver
    # gives them, each distinct one converted once.
    days_seen: dict[object, dt.date] = {}
    short = ReportFilter(date_from=short_start, date_to=as_of)
    by_pair: dict[tuple[bool, str, str], list[str]] = defaultdict(list)
    for m, kind, cur in sorted(candidates):
        by_pair[((m, kind, cur) in frequent, kind, cur)].append(m)
    for (is_frequent, kind, cur), group in by_pair.items():
        # (merchant, kind, currency) is the index's prefix after user_id: exact seeks
        window = _merchant_window(scope, short) if is_frequent else []
        for part in chunked(group, 500):
            stmt = (
                select(
                    Transaction.merchant, Transaction.date, func.sum(Transaction.amount_minor),
                    func.max(Transaction.id), func.max(Transaction.category_id),
                )
                .where(*where, *window, Transaction.kind == kind, Transaction.currency == cur,
                       Transaction.merchant.in_(part))
                .group_by(Transaction.merchant, Transaction.date)
            )
            for m, raw_day, amount, last_id, cid in _plain_rows(session, stmt):
                day = days_seen.get(raw_day)
                if day is None:
                    day = days_seen[raw_day] = _as_date(raw_day)
                series[(m, kind, cur)].append((day, int(amount), int(last_id), cid))
    return series


def _descriptions(session: Session, scope: _Scope, ids: list[int]) -> dict[int, str]:
    """{transaction id: description} of the user's transactions ``ids`` (the series' last payments)."""
    found: dict[int, str] = {}
    for part in chunked(ids, 500):
        found.update(_run(session, select(Transaction.id, Transaction.description).where(
            Transaction.user_id == scope.user_id, Transaction.id.in_(part))).all())
    return found


def _describe(
    session: Session, scope: _Scope, detected: list, descriptions: dict[int, str] | None = None
) -> list[RecurringPayment]:
    """RecurringPayment rows for the series the detector accepted (descriptions read, unless the caller read
    them: ``descriptions`` maps each series' last transaction id to its description, :func:`_descriptions`)."""
    if descriptions is None:
        descriptions = _descriptions(session, scope, [rows[-1][2] for _, rows, _ in detected])
    out: list[RecurringPayment] = []
    for (m, kind, cur), rows, found in detected:
        cadence, interval, typical, per_year = found.cadence, found.interval_days, found.amount_minor, found.per_year
        increase, previous, next_date = found.price_increase, found.previous_amount_minor, found.next_date
        cid = rows[-1][3]
        yearly = int(typical) * per_year
        yearly_base = scope.fx.convert_minor(yearly, cur, rows[-1][0])
        if yearly_base is None:
            scope.fx.note_missing(cur, rows[-1][0], int(rows[-1][1]), 1)
        out.append(
            RecurringPayment(
                merchant=m,
                description=descriptions.get(rows[-1][2]) or m,
                category_id=cid,
                category_name=None if cid is None else scope.category_name(cid),
                kind=kind,
                cadence=cadence,
                interval_days=round(interval, 1),
                typical_amount_minor=int(typical),
                currency=cur,
                occurrences=found.occurrences,
                first_date=rows[0][0],
                last_date=found.last_date,
                next_date=next_date,
                yearly_cost_minor=yearly,
                price_increase=bool(increase),
                previous_amount_minor=None if previous is None else int(previous),
                yearly_cost_base_minor=yearly_base,
                paid_share=found.paid_share,
            )
        )
    return out


def upcoming_recurring(
    session: Session, *, user_id: int, as_of: dt.date | None = None, days: int = 14, kind: str | None = "expense"
) -> list[RecurringPayment]:
    """Recurring payments expected in the next ``days`` days (or due in the last three), soonest first."""
    as_of = as_of or dt.date.today()
    found = detect_recurring(session, user_id=user_id, as_of=as_of, filters=ReportFilter(kind=kind))
    return upcoming_from(found, as_of=as_of, days=days, kind=kind)


def upcoming_from(
    items: Iterable[RecurringPayment], *, as_of: dt.date, days: int = 14, kind: str | None = "expense"
) -> list[RecurringPayment]:
    """:func:`upcoming_recurring` from a list :func:`detect_recurring` already made on ``as_of`` (pure): the
    dashboard detects once and gives the list to both its upcoming payments and its balance outlook."""
    out = [
        r
        for r in items
        if (kind is None or r.kind == kind) and as_of - dt.timedelta(days=3) <= r.next_date <= as_of + dt.timedelta(days=days)
    ]
    out.sort(key=lambda r: (r.next_date, -r.typical_amount_minor))
    return out
