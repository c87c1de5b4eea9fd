"""The only database edge of the forecast: a user's history and known flows read with SQL.

``history_from_db`` groups per-day sums in SQL (transfers excluded); ``forecast_user`` and
``forecast_user_categories`` run the pure API on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, aliased

from budgetwise.dates import ISO_DATE, day_text
from budgetwise.db import chunked
from budgetwise.errors import NotFoundError
from budgetwise.models import Category, Transaction, TransferLink, User
from budgetwise.services.cashflow import STALE_NOTE, out_of_date_since
from budgetwise.services.forecast.api import (
    CategoryForecasts,
    flow_dates,
    forecast_history,
    forecast_history_categories,
)
from budgetwise.services.forecast.flows import _LOOKBACK_DAYS, CADENCES, _frame_flow_provider
from budgetwise.services.forecast.history import (
    _MERCHANT_COLUMNS,
    History,
    _after_last_gap,
    _category_kinds_from_rows,
)
from budgetwise.services.forecast.model import category_series
from budgetwise.services.forecast.periods import _validate_freq, _validate_horizon, _validate_interval
from budgetwise.services.forecast.types import (
    DEFAULT_INTERVAL,
    MIN_HISTORY,
    SERIES_EXPENSES,
    SERIES_INCOME,
    SERIES_NET,
    UNCATEGORIZED,
    ForecastResult,
    KnownFlow,
    NotEnoughHistory,
)
from budgetwise.services.reports import merchant_expr


def _account_rows(session: Session, user_id: int, account_id: int | None) -> list:
    """One account's rows (issue #19; rows without an account are the default account's); all without an id."""
    from budgetwise.services.accounts import account_rows

    return [] if account_id is None else [account_rows(session, user_id=user_id, account_id=account_id)]


def _crossing_transfers(session: Session, user_id: int, account_ids: Collection[int]):
    """A clause for the rows of confirmed transfers (``TransferLink``) whose other side is in an account outside
    ``account_ids``: for those accounts the money really comes or goes (checking → savings is money leaving the
    spending accounts), while a transfer between two of them still nets out and stays left out."""
    from budgetwise.services.accounts import account_rows

    other = aliased(Transaction)
    # coalesce: a row without an account is the default account's, and "NULL IN (...)" is NULL, not false
    outside = ~func.coalesce(account_rows(session, user_id=user_id, account_id=account_ids, table=other), false())
    pairs = ((TransferLink.out_transaction_id, TransferLink.in_transaction_id),
             (TransferLink.in_transaction_id, TransferLink.out_transaction_id))
    return or_(*(Transaction.id.in_(select(mine).join(other, other.id == theirs)
                                    .where(TransferLink.user_id == user_id, outside)) for mine, theirs in pairs))


def history_from_db(
    session: Session, *, user_id: int, as_of: dt.date | None = None, account_id: int | None = None,
    account_ids: Collection[int] | None = None,
) -> History:
    """One user's aggregated history: per-day sums grouped in SQL (no transfers).

    Amounts in other currencies are converted to the user's currency at each day's rate;
    those without a rate are left out and named in ``notes``. ``account_id``: one account's rows;
    ``account_ids``: the rows of several accounts (the cash flow's spending accounts), where a
    confirmed transfer to or from an account outside them counts (:func:`_crossing_transfers`).
    """
    user = session.execute(select(User.currency, User.week_start, User.locale, User.date_format)
                           .where(User.id == user_id)).first()
    if user is None:
        raise NotFoundError("This account no longer exists.")
    currency, week_start, locale, date_format = user[0], int(user[1] or 0), user[2] or "en_US", user[3] or ISO_DATE
    today = dt.date.today()
    limit = min(as_of, today) if as_of else today
    visible = (Category.user_id.is_(None)) | (Category.user_id == user_id)
    cats = {cid: (name, kind) for cid, name, kind in session.execute(
        select(Category.id, Category.name, Category.kind).where(visible))}
    transfer_ids = [cid for cid, (_, kind) in cats.items() if kind == "transfer"]
    base = [Transaction.user_id == user_id, Transaction.date <= limit, *_account_rows(session, user_id, account_id)]
    if account_ids is not None:
        from budgetwise.services.accounts import account_rows

        base.append(account_rows(session, user_id=user_id, account_id=account_ids))
    if transfer_ids:
        kept = (Transaction.category_id.is_(None)) | (Transaction.category_id.not_in(transfer_ids))
        base.append(kept if account_ids is None else kept | _crossing_transfers(session, user_id, account_ids))

    def cat_name(cid):
        return UNCATEGORIZED if cid is None else cats.get(cid, (f"Category {cid}", "expense"))[0]

    notes: list[str] = []
    missing_days: list[dt.date] = []
    left_out: list[tuple[str, tuple]] = []
    daily = _daily_frame(session, base, currency, user_id, cat_name, notes, locale, date_format, missing_days, left_out)
    missing_rates = tuple(notes)  # so far only the transactions left out for want of a rate
    counted_until = daily["date"].max().date()
    uncounted = max(missing_days) if missing_days and max(missing_days) > counted_until else None
    daily, gap_note, gap = _after_last_gap(daily, date_format, locale)
    if gap_note:
        notes.append(gap_note)
    merchants = _merchant_frame(session, [*base, Transaction.currency == currency], limit, cat_name)
    notes = list(_stale_note(daily["date"].max().date(), today, date_format, locale,
                             uncounted=uncounted, currency=currency)) + notes
    return History(
        currency=currency,
        as_of=daily["date"].max().date(),
        first_date=daily["date"].min().date(),
        daily=daily,
        merchants=merchants,
        category_kinds=_category_kinds(cats, daily),
        week_start=week_start,
        notes=tuple(notes),
        locale=locale,
        date_format=date_format,
        gap=gap,
        missing_rates=missing_rates,
        left_out=tuple(left_out),
        uncounted_until=uncounted,
    )


def _daily_frame(
    session: Session, base: list, currency: str, user_id: int, cat_name, notes: list[str], locale: str = "en_US",
    date_format: str = ISO_DATE, missing_days: list[dt.date] | None = None, left_out: list | None = None,
) -> pd.DataFrame:
    """Per-day sums per kind and category (SQL ``GROUP BY``), other currencies converted at each
    day's rate (those without a rate are left out, named in ``notes``, their days added to
    ``missing_days`` and their rates.MissingRate, of all rows ("") and per kind, to ``left_out``)."""
    stmt = (
        select(
            Transaction.date, Transaction.kind, Transaction.category_id, Transaction.currency,
            func.sum(Transaction.amount_minor), func.count(),
        )
        .where(*base)
        .group_by(Transaction.date, Transaction.kind, Transaction.category_id, Transaction.currency)
    )
    grouped = session.execute(stmt).all()
    if any(r[3] != currency for r in grouped):
        from budgetwise.services import rates

        converter = rates.Converter(session, currency, user_id=user_id)
        sums = rates.sum_converted(converter, (((r[0], r[1], r[2]), r[3], r[0], int(r[4] or 0), int(r[5])) for r in grouped))
        rows = [(k[0], k[1], k[2], v[0]) for k, v in sums.items()]
        missing = converter.missing  # read once: it asks the database whether any rate is stored
        notes.extend(m.describe(locale, date_format) for m in missing)
        if missing_days is not None:
            missing_days.extend(d for m in missing for d in m.dates)
        if left_out is not None and missing:
            left_out.append(("", missing))
            left_out.extend((kind, converter.missing_of((r[3], r[0], int(r[4] or 0), int(r[5])) for r in grouped
                                                        if r[1] == kind)) for kind in sorted({r[1] for r in grouped}))
    else:
        rows = [(r[0], r[1], r[2], int(r[4] or 0)) for r in grouped]
    if not rows and notes:  # there are transactions, but none can be converted to the user's currency
        raise NotEnoughHistory(
            f"No transaction can be counted in {currency}: " + " ".join(notes)
            + " Add the rates on the Profile page (exchange rates) to see a forecast.",
            have=0, need=MIN_HISTORY["month"], freq="month",
        )
    if not rows:
        raise NotEnoughHistory(
            "There are no transactions yet: add or import at least "
            f"{MIN_HISTORY['month']} months of history to see a forecast.",
            have=0, need=MIN_HISTORY["month"], freq="month",
        )
    daily = pd.DataFrame(
        {
            "date": pd.to_datetime([r[0] for r in rows]),
            "kind": [r[1] for r in rows],
            "category": [cat_name(r[2]) for r in rows],
            "amount_minor": np.asarray([int(r[3] or 0) for r in rows], dtype="int64"),
        }
    )
    return daily.groupby(["date", "kind", "category"], as_index=False, sort=True)["amount_minor"].sum()


def _merchant_frame(session: Session, where: list, limit: dt.date, cat_name) -> pd.DataFrame:
    """Day rows of the recurring-payment candidates: merchants on >= 2 days, at most ~one payment every 5 days."""
    merchant = merchant_expr().label("m")
    lookback = limit - dt.timedelta(days=_LOOKBACK_DAYS + 400)
    cand_stmt = (
        select(merchant, func.count(func.distinct(Transaction.date)), func.min(Transaction.date), func.max(Transaction.date))
        .where(*where, Transaction.date >= lookback)
        .group_by(merchant)
        .having(func.count(func.distinct(Transaction.date)) >= 2)
    )
    keys = []
    for m, cnt, first, last in session.execute(cand_stmt):
        span = (last - first).days
        if m and span >= 5 and (int(cnt) - 1) <= span / 5 + 1:
            keys.append(m)
    mrows = []
    for chunk in chunked(keys, 500):
        stmt = (
            select(merchant, Transaction.kind, Transaction.category_id, Transaction.date,
                   func.sum(Transaction.amount_minor), func.max(Transaction.description))
            .where(*where, Transaction.date >= lookback, merchant_expr().in_(chunk))
            .group_by(merchant, Transaction.kind, Transaction.category_id, Transaction.date)
        )
        mrows.extend(session.execute(stmt).all())
    return pd.DataFrame(
        {
            "key": [r[0] for r in mrows],
            "kind": [r[1] for r in mrows],
            "category": [cat_name(r[2]) for r in mrows],
            "date": pd.to_datetime([r[3] for r in mrows]),
            "amount_minor": np.asarray([int(r[4] or 0) for r in mrows], dtype="int64"),
            "description": [r[5] or "" for r in mrows],
        },
        columns=_MERCHANT_COLUMNS,
    )


def _category_kinds(cats: dict, daily: pd.DataFrame) -> dict[str, str]:
    """Each category's kind: as stored, else as its rows say."""
    present = set(daily["category"])
    kinds: dict[str, str] = {}
    for _cid, (name, kind) in cats.items():
        if kind in ("income", "expense") and name in present:
            kinds.setdefault(name, kind)
    for name in present - set(kinds):
        kinds[name] = _category_kinds_from_rows(daily[daily["category"] == name])[name]
    return kinds


def known_flows_from_db(
    session: Session, *, user_id: int, history: History, dates: Sequence[dt.date], know_gaps: bool | None = False,
) -> dict[dt.date, tuple[KnownFlow, ...]]:
    """Recurring payments as known on each date: the one integration point with the reports.

    Uses ``budgetwise.services.reports.detect_recurring`` (the same list the Reports page
    shows) when it is available, else the detector of this module on ``history``. Several dates
    (the backtest's origins) take the same lists from one read (``reports.detect_recurring_at``:
    each date still sees only its own lookback window); one date (the cash flow) asks as the
    Reports page does. ``know_gaps``: the detector skips the gap months (None: as the Reports list,
    ``reports.recurring.knows_gaps``, what the cash flow asks; the spending forecast and the goals do not: False).
    """
    try:
        from budgetwise.services.reports import detect_recurring, detect_recurring_at
    except ImportError:  # pragma: no cover - reports not installed
        return _frame_flow_provider(history, bool(know_gaps))(dates)
    if len(set(dates)) > 1:
        found = detect_recurring_at(session, user_id=user_id, dates=dates, know_gaps=know_gaps)
        return {day: known_flows_from_recurring(found[day], history.currency) for day in dates}
    return {day: known_flows_from_recurring(detect_recurring(session, user_id=user_id, as_of=day, know_gaps=know_gaps),
                                            history.currency) for day in dates}


def known_flows_from_recurring(items, currency: str) -> tuple[KnownFlow, ...]:
    """The reports' recurring payments (``detect_recurring``'s list) as known flows in ``currency`` (pure):
    a caller that already has the list (the dashboard) passes it instead of detecting again."""
    return tuple(
        KnownFlow(
            key=r.merchant,
            kind=r.kind,
            category=r.category_name or UNCATEGORIZED,
            cadence=r.cadence,
            amount_minor=int(r.typical_amount_minor),
            last_date=r.last_date,
            next_date=r.next_date,
            description=r.description,
            paid_share=r.paid_share,
        )
        for r in items
        if r.currency == currency and r.kind in ("income", "expense") and r.cadence in CADENCES
    )


def forecast_user(
    session: Session,
    *,
    user_id: int,
    series: str = SERIES_EXPENSES,
    horizon: int = 3,
    freq: str = "month",
    interval: float = DEFAULT_INTERVAL,
    as_of: dt.date | None = None,
) -> ForecastResult:
    """Forecast one series of a user's history from the database.

    Pages cache it per ``(user_id, data_version, series, horizon, freq, interval)``
    (see :func:`cache_key`): the result only changes when the user's data does.
    """
    freq = _validate_freq(freq)
    horizon = _validate_horizon(horizon, freq)
    history = history_from_db(session, user_id=user_id, as_of=as_of)
    dates = flow_dates(history, freq=freq, horizon=horizon)
    flows_at = known_flows_from_db(session, user_id=user_id, history=history, dates=dates)
    return forecast_history(history, series=series, horizon=horizon, freq=freq, interval=interval, flows_at=flows_at)


def _stale_note(as_of: dt.date, today: dt.date, date_format: str = ISO_DATE, locale: str | None = None, *,
                uncounted: dt.date | None = None, currency: str = "") -> tuple[str, ...]:
    """The forecast's note of a history that ended long ago: the rule and the opening words are the Cash flow and
    Goals pages' (:func:`budgetwise.services.cashflow.out_of_date_since`; session 23: this page warned after 31 days,
    they after 45)."""
    if not out_of_date_since(as_of, today):
        return ()
    on = day_text(as_of, date_format, locale)
    if uncounted is not None:  # newer rows exist, in currencies without a rate (named in the notes below)
        return (
            f"{STALE_NOTE} {day_text(uncounted, date_format, locale)}, but the ones after {on} are "
            f"in currencies without an exchange rate to {currency} (named below): the forecast starts after {on}. "
            "Add the rates (Profile → Exchange rates), or import your recent transactions, for an up-to-date "
            "forecast.",
        )
    return (
        f"{STALE_NOTE} {on}: the forecast starts after it. "
        "Import your recent transactions for an up-to-date forecast.",
    )


def forecast_user_categories(
    session: Session,
    *,
    user_id: int,
    horizon: int = 3,
    freq: str = "month",
    interval: float = DEFAULT_INTERVAL,
    kind: str = "expense",
    workers: int = 1,  # in-process: 1.3 s of CPU for 16 categories; 2 workers only pay off on an idle machine
    as_of: dt.date | None = None,
) -> CategoryForecasts:
    """Forecast every expense (or income) category of a user, on ``workers`` processes."""
    freq = _validate_freq(freq)
    horizon = _validate_horizon(horizon, freq)
    history = history_from_db(session, user_id=user_id, as_of=as_of)
    dates = flow_dates(history, freq=freq, horizon=horizon)
    flows_at = known_flows_from_db(session, user_id=user_id, history=history, dates=dates)
    return forecast_history_categories(
        history, horizon=horizon, freq=freq, interval=interval, kind=kind, flows_at=flows_at, workers=workers
    )


def cache_key(
    *, user_id: int, data_version: int, series: str, horizon: int, freq: str, interval: float
) -> tuple[int, int, str, int, str, float]:
    """The key under which a forecast may be cached: it changes whenever the inputs or the data do."""
    return (int(user_id), int(data_version), str(series), int(horizon), _validate_freq(freq), _validate_interval(interval))


def series_options(history_or_categories: History | Iterable[str]) -> list[tuple[str, str]]:
    """(series key, label) choices: total expenses, each expense category, income, net savings."""
    names = (
        history_or_categories.categories("expense")
        if isinstance(history_or_categories, History)
        else sorted(history_or_categories)
    )
    return (
        [(SERIES_EXPENSES, "Total expenses")]
        + [(category_series(n), f"Category: {n}") for n in names]
        + [(SERIES_INCOME, "Income"), (SERIES_NET, "Net savings")]
    )


def expense_categories(session: Session, *, user_id: int) -> list[str]:
    """Names of the expense categories the user has spent in (for the series choice)."""
    stmt = (
        select(Category.name)
        .join(Transaction, Transaction.category_id == Category.id)
        .where(Transaction.user_id == user_id, Transaction.kind == "expense", Category.kind == "expense")
        .group_by(Category.name)
        .order_by(Category.name)
    )
    return [r[0] for r in session.execute(stmt)]
