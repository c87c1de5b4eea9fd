"""Dates in bank files, parsed column-at-a-time (vectorized).

Shapes: ISO ``2018-02-25`` (also with a time and an offset: the date as written
is kept, never shifted to UTC), ``2019.04.19.``, ``20180225``, numeric
day/month triplets ``28/02/2018``, ``02.03.18``, ``6/12/15``, and month names
``12-Dec-2019``, ``27 Feb 2018``, ``Feb 27, 2018``, ``27. Februar 2018`` in
several languages (names from Babel's CLDR data).

Day-first or month-first is decided once per file from all its rows
(:func:`decide_order`); the user can override it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from babel.dates import get_month_names

from budgetwise.text import fold

ORDERS = ("dmy", "mdy")

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\.?\s*$|[T\s,].*$|\.\s.*$)")
_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4,6}(?:\.\d+)?)?(?:\[.*\])?\s*$")
_TRIPLET = re.compile(r"^\s*(\d{1,2})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{4}|\d{2})\.?(?:\s*$|[T\s,].*$)")
_DAY_MONTHNAME = re.compile(r"^\s*(\d{1,2})(?:st|nd|rd|th)?\.?[\s\-/.]*([^\W\d_]{3,})\.?[\s\-/.,]*(\d{4}|\d{2})\b.*$")
_MONTHNAME_DAY = re.compile(r"^\s*([^\W\d_]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b.*$")


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Folded month names and abbreviations -> month number (en, de, fr, nl, es, it, pt)."""
    names: dict[str, int] = {}
    for loc in ("en", "de", "fr", "nl", "es", "it", "pt"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, loc).items():
                    key = fold(name).strip(". ")
                    if key and key not in names:
                        names[key] = number
    names.setdefault("sept", 9)
    names.setdefault("mrz", 3)
    return names


def _year(series: pd.Series) -> pd.Series:
    """Four-digit years as they are; two-digit years in a window ending ten years from now."""
    years = pd.to_numeric(series, errors="coerce")
    short = series.str.len() == 2
    if short.any():
        pivot = (dt.date.today().year + 10) % 100
        century = np.where(years <= pivot, 2000, 1900)
        years = years.where(~short, years + century)
    return years


@dataclass(frozen=True)
class DateEvidence:
    """What the values of one column say about day/month order."""

    ambiguous_pairs: int
    first_over_12: int
    second_over_12: int
    uses_dot: bool
    dates_dmy: tuple[dt.date, ...]
    dates_mdy: tuple[dt.date, ...]


@dataclass
class ParsedDates:
    """Per row: year/month/day numbers (NaN when not parsed) and what shape was seen."""

    year: pd.Series
    first: pd.Series  # for triplets: the first number; otherwise the day
    second: pd.Series  # for triplets: the second number; otherwise the month
    is_triplet: pd.Series
    uses_dot: bool
    # for triplets: their shape, separator and year length ("/4" for 08/05/2022, "-2" for 13-05-24);
    # "" otherwise. A file that mixes shapes may write each in its own day/month order.
    shape: pd.Series | None = None

    def shapes(self) -> list[str]:
        """The triplet shapes present, most frequent first."""
        if self.shape is None:
            return []
        counts = self.shape[self.is_triplet & self.year.notna()].value_counts()
        return [str(k) for k in counts.index if k]

    def evidence(self, shape: str | None = None) -> DateEvidence:
        """What the triplets say about day/month order (only those of ``shape`` when given)."""
        trip = self.is_triplet & self.year.notna()
        if shape is not None and self.shape is not None:
            trip &= self.shape == shape
        a = self.first[trip]
        b = self.second[trip]
        y = self.year[trip]
        both_small = (a <= 12) & (b <= 12)
        sample = pd.DataFrame({"y": y, "a": a, "b": b}).drop_duplicates().head(2000)
        return DateEvidence(
            ambiguous_pairs=int(both_small.sum()),
            first_over_12=int(((a > 12) & (a <= 31)).sum()),
            second_over_12=int(((b > 12) & (b <= 31)).sum()),
            uses_dot=self.uses_dot,
            dates_dmy=tuple(_safe_dates(sample["y"], sample["b"], sample["a"])),
            dates_mdy=tuple(_safe_dates(sample["y"], sample["a"], sample["b"])),
        )

    def components(self, order: str) -> tuple[pd.Series, pd.Series, pd.Series]:
        """(year, month, day) numbers under ``order`` (NaN where nothing was recognised)."""
        if order == "mdy":
            month = self.first.where(self.is_triplet, self.second)
            day = self.second.where(self.is_triplet, self.first)
        else:
            month, day = self.second, self.first
        return self.year, month, day

    def row_orders(self, order: str, by_shape: dict[str, str] | None = None) -> pd.Series:
        """The order each row is read in: ``by_shape`` for its triplet shape, else ``order``."""
        orders = pd.Series(order, index=self.year.index, dtype=object)
        if by_shape and self.shape is not None:
            for shape, o in by_shape.items():
                orders[self.shape == shape] = o
        return orders

    def components_by_row(self, orders: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
        """(year, month, day) numbers with each row read in its own order (``row_orders``)."""
        _, month_d, day_d = self.components("dmy")
        _, month_m, day_m = self.components("mdy")
        mdy = orders == "mdy"
        return self.year, month_m.where(mdy, month_d), day_m.where(mdy, day_d)

    def to_dates(self, order: str, by_shape: dict[str, str] | None = None) -> pd.Series:
        """datetime64 series; NaT where the text is not a real calendar date or the year is
        outside 1900-2200 (those rows are judged one by one by the caller). ``by_shape``
        overrides ``order`` for the triplets of a given shape."""
        if by_shape:
            year, month, day = self.components_by_row(self.row_orders(order, by_shape))
        else:
            year, month, day = self.components(order)
        frame = pd.DataFrame({"year": year, "month": month, "day": day})
        bad = (
            frame.isna().any(axis=1)
            | (frame["month"] < 1) | (frame["month"] > 12)
            | (frame["day"] < 1) | (frame["day"] > 31)
            | (frame["year"] < 1900) | (frame["year"] > 2200)
        )
        frame = frame.where(~bad, other=pd.DataFrame({"year": 2000, "month": 1, "day": 1}, index=frame.index))
        out = pd.to_datetime(frame.astype("int64"), errors="coerce")
        out[bad] = pd.NaT
        return out


def _safe_dates(years: pd.Series, months: pd.Series, days: pd.Series) -> list[dt.date]:
    result = []
    for y, m, d in zip(years, months, days):
        try:
            result.append(dt.date(int(y), int(m), int(d)))
        except (ValueError, TypeError, OverflowError):
            continue
    return result


def parse_column(values: pd.Series) -> ParsedDates:
    """Recognize the date shapes of a column of strings (vectorized, no order decided yet).

    Bank files repeat the same dates many times: the work is done once per distinct text.
    """
    codes, uniques = pd.factorize(values.astype(object).where(values.notna(), ""), sort=False)
    part = _parse_unique(pd.Series(uniques, dtype=object))

    def expand(series: pd.Series) -> pd.Series:
        return pd.Series(series.to_numpy()[codes], index=values.index)

    return ParsedDates(
        year=expand(part.year).astype("float64"),
        first=expand(part.first).astype("float64"),
        second=expand(part.second).astype("float64"),
        is_triplet=expand(part.is_triplet).astype(bool),
        uses_dot=part.uses_dot,
        shape=expand(part.shape).astype(object) if part.shape is not None else None,
    )


def _parse_unique(values: pd.Series) -> ParsedDates:
    s = values.astype(object).fillna("").astype(str).str.strip()
    n = len(s)
    year = pd.Series(np.nan, index=s.index)
    first = pd.Series(np.nan, index=s.index)
    second = pd.Series(np.nan, index=s.index)
    is_triplet = pd.Series(False, index=s.index)
    shape = pd.Series("", index=s.index, dtype=object)
    todo = s != ""

    def take(mask_idx, y, mo, d, triplet=False):
        year.loc[mask_idx] = y
        first.loc[mask_idx] = d
        second.loc[mask_idx] = mo
        if triplet:
            is_triplet.loc[mask_idx] = True

    if n:
        iso = s[todo].str.extract(_ISO)
        ok = iso[0].notna()
        if ok.any():
            idx = iso.index[ok]
            take(idx, pd.to_numeric(iso.loc[ok, 0]), pd.to_numeric(iso.loc[ok, 1]), pd.to_numeric(iso.loc[ok, 2]))
            todo.loc[idx] = False
        if todo.any():
            comp = s[todo].str.extract(_COMPACT)
            ok = comp[0].notna()
            if ok.any():
                idx = comp.index[ok]
                take(idx, pd.to_numeric(comp.loc[ok, 0]), pd.to_numeric(comp.loc[ok, 1]), pd.to_numeric(comp.loc[ok, 2]))
                todo.loc[idx] = False
        uses_dot = False
        if todo.any():
            trip = s[todo].str.extract(_TRIPLET)
            ok = trip[0].notna()
            if ok.any():
                idx = trip.index[ok]
                take(idx, _year(trip.loc[ok, 2].astype("string")), pd.to_numeric(trip.loc[ok, 1]),
                     pd.to_numeric(trip.loc[ok, 0]), triplet=True)
                sep = s[idx].str.extract(r"^\s*\d{1,2}\s?([-/.])", expand=False).fillna("?")
                shape.loc[idx] = (sep + trip.loc[ok, 2].str.len().astype(str)).astype(object)
                todo.loc[idx] = False
                uses_dot = bool(s[idx].str.contains(r"^\s*\d{1,2}\.\d{1,2}\.", regex=True).mean() > 0.5)
        if todo.any():
            names = month_names()
            for pattern, order in ((_DAY_MONTHNAME, "dmy"), (_MONTHNAME_DAY, "mdy")):
                if not todo.any():
                    break
                part = s[todo].str.extract(pattern)
                ok = part[0].notna()
                if not ok.any():
                    continue
                if order == "dmy":
                    d, name, y = part.loc[ok, 0], part.loc[ok, 1], part.loc[ok, 2]
                else:
                    name, d, y = part.loc[ok, 0], part.loc[ok, 1], part.loc[ok, 2]
                month = name.map(lambda t: names.get(fold(str(t)).strip(". ")))
                known = month.notna()
                idx = month.index[known]
                if len(idx):
                    take(idx, _year(y[known].astype("string")), pd.to_numeric(month[known]), pd.to_numeric(d[known]))
                    todo.loc[idx] = False
    else:
        uses_dot = False
    return ParsedDates(year=year, first=first, second=second, is_triplet=is_triplet, uses_dot=uses_dot, shape=shape)


def looks_like_date(text: str) -> bool:
    """Whether one cell has a date shape (used on samples to recognise date columns)."""
    t = text.strip()
    if not t or not any(ch.isdigit() for ch in t):
        return False
    if _ISO.match(t) or _COMPACT.match(t) or _TRIPLET.match(t):
        return True
    names = month_names()
    m = _DAY_MONTHNAME.match(t)
    if m and fold(m.group(2)).strip(". ") in names:
        return True
    m = _MONTHNAME_DAY.match(t)
    return bool(m and fold(m.group(1)).strip(". ") in names)


def parse_ratio(values: pd.Series) -> float:
    """Share of non-empty values (of the first 200) that have a date shape."""
    sample = [str(v) for v in values.head(400).tolist() if v is not None and str(v).strip()][:200]
    if not sample:
        return 0.0
    return sum(1 for v in sample if looks_like_date(v)) / len(sample)


def _monotonic_share(dates: list[dt.date]) -> float:
    if len(dates) < 3:
        return 0.0
    ups = sum(1 for a, b in zip(dates, dates[1:]) if b >= a)
    downs = sum(1 for a, b in zip(dates, dates[1:]) if b <= a)
    return max(ups, downs) / (len(dates) - 1)


NO_DAY_MONTH = "no date in the file is written day/month or month/day, so there is no order to decide"


def has_day_month(evidences: list[DateEvidence]) -> bool:
    """Whether any date is written as a day/month triplet, i.e. whether there is an order to decide."""
    return any(e.first_over_12 or e.second_over_12 or e.ambiguous_pairs for e in evidences)


def shape_label(shape: str) -> str:
    """'/4' -> 'NN/NN/YYYY', '-2' -> 'NN-NN-YY' (how a shape is named to the user)."""
    sep, digits = shape[:1], shape[1:]
    return f"NN{sep}NN{sep}{'YYYY' if digits == '4' else 'YY'}"


def decide_by_shape(parsed: ParsedDates) -> dict[str, str]:
    """Day/month order per triplet shape, for shapes whose own dates settle it.

    A file assembled from several sources (``08/05/2022`` beside ``13-05-24``) can write
    each shape in its own order; a shape whose numbers never go above 12 gets no entry
    (the file-wide decision applies to it).
    """
    shapes = parsed.shapes()
    if len(shapes) < 2:
        return {}
    out = {}
    for shape in shapes:
        e = parsed.evidence(shape)
        if e.first_over_12 and not e.second_over_12:
            out[shape] = "dmy"
        elif e.second_over_12 and not e.first_over_12:
            out[shape] = "mdy"
        elif e.first_over_12 and e.second_over_12:
            # mostly one way: a few typos do not make the other order right
            if e.first_over_12 >= 20 * e.second_over_12:
                out[shape] = "dmy"
            elif e.second_over_12 >= 20 * e.first_over_12:
                out[shape] = "mdy"
    return out


def decide_order(
    evidences: list[DateEvidence], *, hints: list[tuple[str, str]] | None = None, default: str = "dmy"
) -> tuple[str, str, bool]:
    """(order, reason, certain) for a whole file.

    Evidence in order of strength: a first number above 12 somewhere (day-first)
    or a second number above 12 (month-first); the reading under which the rows
    are in date order and span a short period; dots as separators (European);
    hints from the file (currency, symbols, decimal comma, language); the default.
    """
    first = sum(e.first_over_12 for e in evidences)
    second = sum(e.second_over_12 for e in evidences)
    if first and not second:
        return "dmy", "some dates have a first number above 12, so the day comes first", True
    if second and not first:
        return "mdy", "some dates have a second number above 12, so the month comes first", True
    if first and second:
        order = "dmy" if first >= second else "mdy"
        return order, "the dates disagree (both readings have numbers above 12); the majority reading is used", False
    if not has_day_month(evidences):
        return default, NO_DAY_MONTH, True
    for e in evidences:
        dmy, mdy = list(e.dates_dmy), list(e.dates_mdy)
        if len(set(dmy)) >= 3 and len(dmy) == len(mdy):
            mono_d, mono_m = _monotonic_share(dmy), _monotonic_share(mdy)
            if mono_d == 1.0 and mono_m < 0.9:
                return "dmy", "the rows are in date order only when read day-first", False
            if mono_m == 1.0 and mono_d < 0.9:
                return "mdy", "the rows are in date order only when read month-first", False
        if len(set(dmy)) >= 2 and len(dmy) == len(mdy):
            span_d = (max(dmy) - min(dmy)).days
            span_m = (max(mdy) - min(mdy)).days
            if span_d * 4 < span_m:
                return "dmy", "read day-first the dates span a much shorter period", False
            if span_m * 4 < span_d:
                return "mdy", "read month-first the dates span a much shorter period", False
    if any(e.uses_dot for e in evidences):
        return "dmy", "dates written with dots (31.12.2024) are day-first", False
    for order, reason in hints or []:
        return order, reason, False
    label = "day-first" if default == "dmy" else "month-first"
    return default, f"every date could be read either way; {label} was assumed (change it if that is wrong)", False
