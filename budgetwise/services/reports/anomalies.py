"""Unusual transactions (robust z-scores per category and merchant) and spending spikes."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import String, and_, case, cast, func, literal_column, or_, select
from sqlalchemy.orm import Session

from budgetwise.dates import add_months, month_start
from budgetwise.db import chunked
from budgetwise.models import Transaction
from budgetwise.money import format_money
from budgetwise.services.reports.by_category import _category_months
from budgetwise.services.reports.periods import months_between
from budgetwise.services.reports.scope import (
    _LITERAL_CHUNK,
    ReportFilter,
    _as_date,
    _currency_literal,
    _int_table,
    _literal_ints,
    _merchant_window,
    _parse_ints,
    _plain_rows,
    _run,
    _Scope,
    _scope,
    _text_clause,
    _where,
)
from budgetwise.services.reports.stats import (
    category_limits,
    floored_scale,
    merchant_limits_coded,
    robust_center_scale,
)
from budgetwise.services.reports.totals import data_range, months_with_data


@dataclass(frozen=True)
class UnusualTransaction:
    transaction_id: int
    date: dt.date
    description: str
    category_id: int | None
    category_name: str
    amount_minor: int
    currency: str
    typical_minor: int  # median of the category's recent expenses
    threshold_minor: int  # amounts at or above this were flagged
    history_count: int  # how many expenses the typical value is based on
    score: float  # robust z-score (how many robust standard deviations above typical)
    reason: str
    original_minor: int | None = None  # the amount as entered, when in another currency
    original_currency: str | None = None


def _default_window(flt: ReportFilter, today: dt.date | None, days: int) -> tuple[dt.date, dt.date]:
    end = flt.date_to or today or dt.date.today()
    start = flt.date_from or (end - dt.timedelta(days=days - 1))
    return start, end


def unusual_transactions(
    session: Session,
    *,
    user_id: int,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
    baseline_days: int = 365,
    min_history: int = 8,
    threshold: float = 3.5,
    limit: int = 100,
) -> list[UnusualTransaction]:
    """Expenses that are outliers for their category.

    For each category the baseline is its expenses in the ``baseline_days``
    before the end of the period: median and a MAD-based robust scale. A
    category needs ``min_history`` expenses before anything in it is judged. An
    expense is unusual when it is more than ``threshold`` robust standard
    deviations above the median (the scale is floored at 10% of the median so a
    category of near-identical amounts does not flag cents). The period defaults
    to the last 90 days.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    start, end = _default_window(flt, today, 90)
    base_from = min(start, end - dt.timedelta(days=baseline_days))
    base_flt = ReportFilter(date_from=base_from, date_to=end, category_ids=flt.category_ids,
                            uncategorized=flt.uncategorized)
    base = _baseline_expenses(session, scope, base_flt, (base_from, start, end))
    if not len(base.amounts):
        return []
    stats = category_limits(base.cids, base.amounts, np.ones(len(base.amounts), dtype=np.int64),
                            min_history=min_history, threshold=threshold)
    if not stats:
        return []
    if _text_clause(flt.text) is None:  # the baseline read the period's rows already: their ids say which to read
        found = _candidates(session, scope, base, stats, start)
    else:  # a text filter narrows the period, not the baseline
        found = _above_limits(session, scope, flt.with_dates(start, end), stats,
                              foreign_in_period=any(row[4] >= start for row in base.foreign))
    ranked = []
    for row in found:
        cid, amount = row[3], row[4]
        if cid in stats:
            median, scale = stats[cid][0], stats[cid][1]
            ranked.append((-round((int(amount) - median) / scale, 2), row[1], int(row[0]), row))  # as _unusual scores
    ranked.sort(key=lambda k: k[:3])
    # An amount that is normal for its merchant is not unusual (a gym membership among
    # cheap streaming subscriptions, a winter electricity bill among flat-rate bills):
    # with at least MERCHANT_MIN_HISTORY baseline expenses at the merchant, the amount
    # must be an outlier for the merchant as well. The merchants' amounts are read for the
    # best-ranked candidates, a batch at a time, until the list is full.
    limit = max(1, int(limit))
    limits: dict[str, float] = {}
    seen: set[str] = set()
    kept: list[tuple] = []
    for ranked_part in chunked(ranked, _MERCHANT_BATCH):
        batch = [k[3] for k in ranked_part]
        wanted = {row[5] for row in batch if row[5] and row[5] not in seen}
        if wanted:
            seen |= wanted
            limits.update(_merchant_limits(session, scope, base_flt, base.converted, wanted, threshold))
        kept += [row for row in batch if not (row[5] in limits and row[4] < limits[row[5]])]
        if len(kept) >= limit:
            break
    # the sentences (money formatting is slow) only for the transactions listed
    return [_unusual(scope, stats[cid], tid, day, desc, cid, amount, original, original_cur, baseline_days)
            for tid, day, desc, cid, amount, _, original, original_cur in kept[:limit]]


@dataclass(frozen=True)
class _Baseline:
    """The baseline's expenses: every (category, amount), the period's with their ids."""

    cids: np.ndarray  # category ids (-1: uncategorized), converted ones included
    amounts: np.ndarray  # float (whole minor units), converted ones included
    period: np.ndarray  # (id, category id, amount) of the own-currency expenses in the period
    foreign: list[tuple]  # (id, category id, merchant, amount, date, currency) as read, other currencies
    converted: list[tuple]  # (category id, merchant, amount) of those with a rate, in the user's currency


def _baseline_expenses(session: Session, scope: _Scope, base_flt: ReportFilter,
                       days: tuple[dt.date, dt.date, dt.date]) -> _Baseline:
    """Every expense of the baseline, read once from the covering index (no table lookups).

    The categories' statistics need every amount: integers only (category, amount), read as
    one text where the database can (:func:`_int_table`). Rows of the period itself (from
    ``start``) come with their ids, so the candidates above their category's limit are found
    here and only they are read again (:func:`_candidates`). The merchants' amounts are read
    later, for the candidates' merchants only (:func:`_merchant_limits`). Not grouped in SQL:
    amounts rarely repeat, and grouping would sort every row for nothing. Expenses in other
    currencies (flagged in the same read; the period's read again by id, with their dates) join
    the baseline at their converted amounts (each at its day's rate). ``days``: the baseline's
    first day, the period's first day and the last day of both.
    """
    first, start, last = days
    cid = func.coalesce(Transaction.category_id, -1)
    other = case((Transaction.currency == _currency_literal(scope), 0), else_=1)  # 1: another currency
    columns = [Transaction.id, cid, Transaction.amount_minor, other]
    every = _where(scope, base_flt, kind="expense", text=False, dates=False, currency=False)
    before_to = min(start - dt.timedelta(days=1), last)
    before = (_int_table(session, scope, columns[1:], [*every, Transaction.date >= first, Transaction.date <= before_to])
              if first <= before_to else np.zeros((0, 3), dtype=np.int64))
    period = _int_table(session, scope, columns, [*every, Transaction.date >= max(start, first), Transaction.date <= last])
    foreign = []
    if before[:, 2].any() or period[:, 3].any():  # the few in other currencies: read again with their dates
        where = [*every, Transaction.currency != _currency_literal(scope)]
        wanted = period[period[:, 3] == 1, 0].tolist()
        stmt = select(Transaction.id, Transaction.category_id, Transaction.merchant, Transaction.amount_minor,
                      Transaction.date, Transaction.currency)
        rows = (_plain_rows(session, stmt.where(*where, Transaction.date >= first, Transaction.date <= before_to))
                if before[:, 2].any() else [])
        for part in chunked(wanted, _LITERAL_CHUNK):
            rows += _plain_rows(session, stmt.where(*where, Transaction.id.in_(_literal_ints(part))))
        foreign = sorted((int(tid), c, m, int(amount), _as_date(day), cur) for tid, c, m, amount, day, cur in rows)
    before, period = before[before[:, 2] == 0], period[period[:, 3] == 0, :3]
    scope.fx.prepare((cur, day) for *_, day, cur in foreign)
    converted = []
    for _, c, m, amount, day, cur in foreign:
        value = scope.fx.convert_minor(amount, cur, day)
        if value is None:
            scope.fx.note_missing(cur, day, amount, 1)
        elif value > 0:
            converted.append((-1 if c is None else c, m, value))
    return _Baseline(
        cids=np.concatenate([before[:, 0], period[:, 1], np.asarray([c for c, _, _ in converted], dtype=np.int64)]),
        amounts=np.concatenate([before[:, 1], period[:, 2], np.asarray([v for _, _, v in converted], dtype=np.int64)]
                               ).astype(float),
        period=period, foreign=foreign, converted=converted)


def _merchant_limits(session: Session, scope: _Scope, base_flt: ReportFilter, converted: list[tuple],
                     wanted: set[str], threshold: float) -> dict[str, float]:
    """The amount from which an expense is unusual at each ``wanted`` merchant with enough history.

    The merchants' baseline expenses are read from the merchant index (seeks, no sort), on
    SQLite and PostgreSQL as one text of amounts per merchant; converted ones are added.
    """
    names = sorted(wanted)
    code = {m: i for i, m in enumerate(names)}
    codes: list[np.ndarray] = []
    amounts: list[np.ndarray] = []
    where = [*_where(scope, base_flt, kind="expense", text=False, dates=False), *_merchant_window(scope, base_flt)]
    texts = scope.dialect in ("sqlite", "postgresql")  # MySQL's group_concat truncates: plain rows
    for part in chunked(names, 500):
        chosen = Transaction.merchant.in_(part)
        if texts:
            agg = func.group_concat if scope.dialect == "sqlite" else func.string_agg
            stmt = (select(Transaction.merchant, agg(cast(Transaction.amount_minor, String), literal_column("','")))
                    .where(*where, chosen).group_by(Transaction.merchant))
            rows = [(m, _parse_ints(text)) for m, text in _plain_rows(session, stmt)]
        else:
            rows = [(m, np.asarray([a], dtype=np.int64))
                    for m, a in _plain_rows(session, select(Transaction.merchant, Transaction.amount_minor).where(*where, chosen))]
        for m, values in rows:
            codes.append(np.full(len(values), code.get(m, -1), dtype=np.int64))  # -1: another spelling (MySQL)
            amounts.append(values)
    extra = [(code[m], value) for _, m, value in converted if m in code]
    codes.append(np.asarray([c for c, _ in extra], dtype=np.int64))
    amounts.append(np.asarray([v for _, v in extra], dtype=np.int64))
    values = np.concatenate(amounts).astype(float)
    return merchant_limits_coded(np.concatenate(codes), names, values, np.ones(len(values), dtype=np.int64), wanted,
                                 threshold=threshold)


_MERCHANT_BATCH = 200  # candidates whose merchants' amounts are read at a time
_MAX_CANDIDATES = 1000  # the highest amounts above their limits; ranked by score after
_MAX_FOREIGN = 20000  # the period's latest expenses in other currencies


def _candidates(session: Session, scope: _Scope, base: _Baseline, stats: dict, start: dt.date) -> list[tuple]:
    """:func:`_above_limits` from the baseline's period rows: the same rows, read by id."""
    keys = np.asarray(sorted(-1 if c is None else c for c in stats), dtype=np.int64)
    limits = np.asarray([stats[None if k == -1 else k][3] for k in keys.tolist()], dtype=np.int64)
    ids, cids, amounts = base.period[:, 0], base.period[:, 1], base.period[:, 2]
    at = np.minimum(np.searchsorted(keys, cids), len(keys) - 1)
    above = np.flatnonzero((keys[at] == cids) & (amounts >= limits[at]))
    top = above[np.lexsort((ids[above], -amounts[above]))][:_MAX_CANDIDATES]  # highest amounts first, then by id
    foreign = sorted((f for f in base.foreign if f[4] >= start), key=lambda f: (-f[4].toordinal(), f[0]))[:_MAX_FOREIGN]
    converted = {}
    for tid, cid, _, amount, day, cur in foreign:
        if cid in stats:
            value = scope.fx.convert_minor(amount, cur, day)
            if value is not None and value >= stats[cid][3]:
                converted[int(tid)] = (value, amount, cur)
    wanted = ids[top].tolist() + list(converted)
    rows: dict[int, tuple] = {}
    for part in chunked(wanted, _LITERAL_CHUNK):
        stmt = select(Transaction.id, Transaction.date, Transaction.description, Transaction.category_id,
                      Transaction.amount_minor, Transaction.merchant).where(
            Transaction.user_id == scope.user_id, Transaction.id.in_(_literal_ints(part)))
        rows.update((int(row[0]), tuple(row)) for row in _run(session, stmt).all())
    found = [(*rows[tid], None, None) for tid in ids[top].tolist()]
    for tid, (value, amount, cur) in converted.items():
        tid_, day, desc, cid, _, m = rows[tid]
        found.append((tid_, day, desc, cid, value, m, amount, cur))
    return found


def _above_limits(
    session: Session, scope: _Scope, period: ReportFilter, stats: dict, *, foreign_in_period: bool
) -> list[tuple]:
    """The period's expenses at or above their category's limit (converted ones included)."""
    merchant = Transaction.merchant
    other = _currency_literal(scope)
    candidates = []
    for cid, (_, _, _, limit_minor) in stats.items():
        cat_clause = Transaction.category_id.is_(None) if cid is None else Transaction.category_id == cid
        candidates.append(and_(cat_clause, Transaction.amount_minor >= limit_minor))
    stmt = (
        select(Transaction.id, Transaction.date, Transaction.description, Transaction.category_id,
               Transaction.amount_minor, merchant)
        .where(*_where(scope, period, kind="expense"), or_(*candidates))
        .order_by(Transaction.amount_minor.desc(), Transaction.id)
        .limit(_MAX_CANDIDATES)
    )
    found = [(*row, None, None) for row in _run(session, stmt).all()]
    if foreign_in_period:
        fstmt = (
            select(Transaction.id, Transaction.date, Transaction.description, Transaction.category_id,
                   Transaction.amount_minor, merchant, Transaction.currency)
            .where(*_where(scope, period, kind="expense", currency=False), Transaction.currency != other)
            .order_by(Transaction.date.desc(), Transaction.id)
            .limit(_MAX_FOREIGN)
        )
        for tid, day, desc, cid, amount, m, cur in _run(session, fstmt).all():
            if cid not in stats:
                continue
            value = scope.fx.convert_minor(int(amount), cur, day)
            if value is not None and value >= stats[cid][3]:
                found.append((tid, day, desc, cid, value, m, int(amount), cur))
    return found


def _unusual(scope: _Scope, stat: tuple, tid, day, desc, cid, amount, original, original_cur, baseline_days: int
             ) -> UnusualTransaction:
    """One unusual expense, with the sentence that explains it."""
    median, scale, n, limit_minor = stat
    typical = int(round(median))
    score = (int(amount) - median) / scale
    name = scope.category_name(cid)
    ratio = int(amount) / median if median else math.inf
    times = f"{ratio:.1f}× the typical" if math.isfinite(ratio) else "far above the typical"
    shown = scope.money(amount)
    if original_cur:
        shown += f" ({format_money(original, original_cur, scope.locale)})"
    reason = (
        f"{shown} is {times} {name} expense ({scope.money(typical)}, the median of "
        f"{n} expenses in the last {baseline_days} days); amounts from {scope.money(limit_minor)} are unusual."
    )
    return UnusualTransaction(
        transaction_id=int(tid), date=day, description=desc, category_id=cid, category_name=name,
        amount_minor=int(amount), currency=scope.currency, typical_minor=typical, threshold_minor=limit_minor,
        history_count=n, score=round(score, 2), reason=reason,
        original_minor=original, original_currency=original_cur,
    )


@dataclass(frozen=True)
class SpendingSpike:
    month: dt.date
    category_id: int | None  # None with is_total: all spending
    category_name: str
    amount_minor: int
    typical_minor: int  # median of the previous months
    history_months: int
    score: float
    is_total: bool
    reason: str


def spending_spikes(
    session: Session,
    *,
    user_id: int,
    filters: ReportFilter | None = None,
    today: dt.date | None = None,
    history_months: int = 12,
    min_history: int = 6,
    threshold: float = 3.5,
) -> list[SpendingSpike]:
    """Months in the period where a category's (or total) spending jumped.

    Each month is compared with the up to ``history_months`` months before it that hold
    data (a month without any transaction is a gap between statements, not one without
    spending: a category's zero counts only in a month with data); at least
    ``min_history`` such months are needed. A spike is more than ``threshold``
    robust standard deviations above the median, at least 1.5× the median, and at
    least 5% of the typical monthly total spending (so small categories do not
    raise noise). The period defaults to the last 3 months.
    """
    flt = filters or ReportFilter()
    scope = _scope(session, user_id)
    today = today or dt.date.today()
    if flt.date_from is None and flt.date_to is None:
        start, end = add_months(today, -2), today
    else:
        start, end = _default_window(flt, today, 90)
    first_data, _ = data_range(session, user_id=user_id)
    if first_data is None:
        return []
    window = ReportFilter(date_from=max(add_months(start, -history_months), month_start(first_data)), date_to=end,
                          category_ids=flt.category_ids, uncategorized=flt.uncategorized, text=flt.text)
    cells = _category_months(session, scope, window, "expense")
    months_all = months_between(window.date_from, end)
    totals = {m: 0 for m in months_all}
    by_cat: dict[int | None, dict[dt.date, int]] = defaultdict(dict)
    for (cid, m), amount in cells.items():
        by_cat[cid][m] = amount
        totals[m] = totals.get(m, 0) + amount
    with_data = set(months_with_data(session, user_id=user_id, months=months_all))  # the rest: gaps (session 23)
    out: list[SpendingSpike] = []
    targets = months_between(start, end)
    history_starts = [add_months(m, -history_months) for m in targets]

    def judge(series: dict[dt.date, int], name: str, cid: int | None, is_total: bool, materiality: float) -> None:
        for m, since in zip(targets, history_starts):
            history = [series.get(h, 0) for h in months_all if since <= h < m and h in with_data]
            if len(history) < min_history:
                continue
            amount = series.get(m, 0)
            median, scale = robust_center_scale(np.asarray(history, dtype=float))
            scale = floored_scale(median, scale)
            score = (amount - median) / scale
            if score <= threshold or amount < 1.5 * median or amount - median < materiality:
                continue
            typical = int(round(median))
            what = "Total spending" if is_total else f"{name} spending"
            ratio = f"{amount / median:.1f}× its usual" if median > 0 else "up from a usual"
            out.append(
                SpendingSpike(
                    month=m, category_id=cid, category_name=name, amount_minor=amount, typical_minor=typical,
                    history_months=len(history), score=round(score, 2), is_total=is_total,
                    reason=(
                        f"{what} in {m.strftime('%B %Y')} was {scope.money(amount)}, {ratio} "
                        f"{scope.money(typical)} (median of the previous {len(history)} months)."
                    ),
                )
            )

    hist_totals = [totals[m] for m in months_all if m < month_start(start) and m in with_data]
    typical_total = float(np.median(hist_totals)) if hist_totals else 0.0
    materiality = max(0.05 * typical_total, 1.0)
    judge(totals, "All spending", None, True, materiality)
    for cid, series in by_cat.items():
        judge(series, scope.category_name(cid), cid, False, materiality)
    out.sort(key=lambda s: (s.month, -s.score))
    return out
