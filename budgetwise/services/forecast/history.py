"""A user's history as the forecast needs it (pure: built from a DataFrame).

``History`` holds per-day sums by kind and category and the merchant rows used to find
recurring payments; history before a gap of ``HISTORY_GAP_DAYS`` without transactions is
left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetwise.dates import ISO_DATE, day_text
from budgetwise.money import minor_digits
from budgetwise.services.forecast.csv_input import parse_transactions
from budgetwise.services.forecast.types import MIN_HISTORY, NotEnoughHistory
from budgetwise.textforms import merchant_key

HISTORY_GAP_DAYS = 183  # this long without a single transaction: what came before is another story


@dataclass(frozen=True)
class HistoryGap:
    """The last long silence in a history: ``older_first``..``older_last`` is left out, the
    forecast uses the transactions from ``start`` on."""

    older_first: dt.date
    older_last: dt.date
    start: dt.date
    months: int
    older_active_months: int = 0  # calendar months with a transaction in older_first..older_last (it may have gaps too)
    older_start: dt.date | None = None  # where the older history's own last stretch starts (after its last silence)
    # the days with a transaction in that stretch (older_start..older_last): a forecast from it is offered only
    # when enough of its complete periods have one (session 13: four sample statements of 2017-18, 3 of 6 months
    # empty, were offered as "6 complete months")
    older_days: tuple[dt.date, ...] = ()


def _after_last_gap(daily: pd.DataFrame, date_format: str = ISO_DATE, locale: str | None = None,
                    ) -> tuple[pd.DataFrame, str, HistoryGap | None]:
    """The history after its last silence of HISTORY_GAP_DAYS or more, a note saying so, and the gap.

    A few transactions from years ago (an old statement imported by mistake, a test entry)
    would otherwise turn every month in between into a month without income or spending.
    """
    days = daily["date"].drop_duplicates().sort_values()
    if len(days) < 2:
        return daily, "", None
    gaps = days.diff().dt.days.to_numpy()
    big = np.flatnonzero(gaps >= HISTORY_GAP_DAYS)
    if not len(big):
        return daily, "", None
    start = days.iloc[int(big[-1])]
    before = days.iloc[int(big[-1]) - 1]
    months = int(round(gaps[big[-1]] / 30.44))
    note = (f"Transactions up to {day_text(before.date(), date_format, locale)} are left out: none were recorded in the "
            f"{months} months after them, so they would read as months without income or spending. The forecast "
            f"starts from {day_text(start.date(), date_format, locale)}.")
    older_active = int(days[days < start].dt.to_period("M").nunique())
    older_start = days.iloc[int(big[-2])] if len(big) > 1 else days.iloc[0]  # after the older history's own last silence
    stretch = days[(days >= older_start) & (days < start)]
    gap = HistoryGap(days.iloc[0].date(), before.date(), start.date(), months, older_active, older_start.date(),
                     tuple(d.date() for d in stretch))
    return daily[daily["date"] >= start].reset_index(drop=True), note, gap


@dataclass(frozen=True)
class History:
    """Aggregated history of one user or one file: small frames, never raw rows.

    ``daily``: date (datetime64), kind, category, amount_minor (int64) summed per day.
    ``merchants``: the same, per merchant key, for merchants that occur on two days or
    more but at most about once every five days (recurring-payment candidates).
    """

    currency: str
    as_of: dt.date
    first_date: dt.date
    daily: pd.DataFrame
    merchants: pd.DataFrame
    category_kinds: Mapping[str, str]
    week_start: int = 0
    notes: tuple[str, ...] = ()
    gap: HistoryGap | None = None  # history before this gap was left out
    locale: str = "en_US"  # the user's number format: money in the forecast's texts is written in it
    date_format: str = ISO_DATE  # the user's date format: dates in the forecast's texts (dates.day_text)
    # transactions left out for a missing exchange rate (also in ``notes``): a "too little history"
    # message names them, else a history that is short only for want of rates reads as empty
    missing_rates: tuple[str, ...] = ()
    # the same, as rates.MissingRate, per kind of row ("expense", "income"; "" for all rows): a forecast names only
    # those of the rows it uses (session 25: the forecast of expenses read "2 transactions (HUF 1.640,00)", which
    # were 350 out and 1,290 in)
    left_out: tuple[tuple[str, tuple], ...] = ()
    # the newest day of a transaction left out for want of a rate, when it is after the history's last day:
    # the stale notes name both days ("newest transaction" read 2022 on one card and 2025 on the next)
    uncounted_until: dt.date | None = None

    def left_out_for(self, kind: str | None) -> tuple:
        """The rates.MissingRate of the rows a forecast of ``kind`` uses ("expense", "income"; None: both, the net)."""
        return dict(self.left_out).get(kind or "", ())

    @property
    def digits(self) -> int:
        return minor_digits(self.currency)

    def categories(self, kind: str = "expense") -> list[str]:
        return sorted(c for c, k in self.category_kinds.items() if k == kind)


_DAILY_COLUMNS = ["date", "kind", "category", "amount_minor"]
_MERCHANT_COLUMNS = ["key", "kind", "category", "date", "amount_minor", "description"]


def _candidate_keys(rows: pd.DataFrame) -> set[str]:
    """Merchants seen on >= 2 days, at most about one payment every 5 days (coffee is not a subscription)."""
    if rows.empty:
        return set()
    g = rows.groupby("key")["date"].agg(["nunique", "min", "max"])
    span = (g["max"] - g["min"]).dt.days
    ok = (g["nunique"] >= 2) & (span >= 5) & ((g["nunique"] - 1) <= span / 5 + 1)
    return {k for k in g.index[ok] if k}


def history_from_frame(
    df: pd.DataFrame, *, currency: str = "USD", as_of: dt.date | None = None, week_start: int = 0
) -> History:
    """History from a canonical transactions frame (see :func:`normalize_transactions`)."""
    tx = normalize_transactions(df, currency=currency)
    if as_of is not None:
        tx = tx[tx["date"] <= pd.Timestamp(as_of)]
    if tx.empty:
        raise NotEnoughHistory(
            "There are no income or expense transactions to forecast from.", have=0, need=MIN_HISTORY["month"], freq="month"
        )
    # Without an explicit as_of the data is taken to be complete up to its last day.
    as_of = as_of or tx["date"].max().date()
    daily = tx.groupby(["date", "kind", "category"], as_index=False, sort=True)["amount_minor"].sum()
    daily, gap_note, gap = _after_last_gap(daily)
    keys = _candidate_keys(tx[["key", "date"]])
    m = tx[tx["key"].isin(keys)]
    merchants = (
        m.groupby(["key", "kind", "category", "date"], as_index=False, sort=True)
        .agg(amount_minor=("amount_minor", "sum"), description=("description", "last"))
        .loc[:, _MERCHANT_COLUMNS]
    )
    kinds = _category_kinds_from_rows(tx)
    return History(
        currency=currency,
        as_of=as_of,
        first_date=daily["date"].min().date(),
        daily=daily[_DAILY_COLUMNS],
        merchants=merchants,
        category_kinds=kinds,
        week_start=week_start,
        notes=(gap_note,) if gap_note else (),
        gap=gap,
    )


def _category_kinds_from_rows(tx: pd.DataFrame) -> dict[str, str]:
    totals = tx.groupby(["category", "kind"])["amount_minor"].sum().unstack(fill_value=0)
    out = {}
    for cat, row in totals.iterrows():
        inc, exp = int(row.get("income", 0)), int(row.get("expense", 0))
        out[str(cat)] = "income" if inc > exp else "expense"
    return out


def normalize_transactions(df: pd.DataFrame, *, currency: str = "USD") -> pd.DataFrame:
    """A canonical frame: date, amount_minor (>0), kind, category, description, key.

    Accepts either that canonical frame or the plain one (date, amount, category,
    optional type and description) used by the CLI, the benchmark and uploads.
    Transfers (type ``transfer`` or a transfer category name) are dropped.
    """
    if {"date", "amount_minor", "kind", "category"}.issubset(df.columns):
        out = df.copy()
        out["date"] = pd.to_datetime(out["date"]).dt.normalize()
        if "description" not in out.columns:
            out["description"] = ""
        if "key" not in out.columns:
            out["key"] = [merchant_key(d) for d in out["description"]]
        out["amount_minor"] = out["amount_minor"].astype("int64")
        out["category"] = out["category"].astype(str)
        out = out[out["kind"].isin(("income", "expense")) & (out["amount_minor"] > 0)]
        return out[["date", "amount_minor", "kind", "category", "description", "key"]].reset_index(drop=True)
    return parse_transactions(df, currency=currency)
