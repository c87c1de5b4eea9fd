"""Exchange rates checked for plausibility before they are stored: the one check of a rate typed by hand
(:func:`budgetwise.services.rates.add_rate`) and of every row of a rates CSV
(:func:`budgetwise.services.rates.import_rates_csv`).

A rate more than :data:`IMPLAUSIBLE_FACTOR` times above or below the known rate of its pair nearest in date
(either way round; the rates the owner's figures may use: the shared ones and their own) is named with what it
was compared with, and nothing is stored unless the caller confirms (session 18: 1 EUR = 1,000,000 USD was stored
without a word; a typing slip, a missing decimal point or the pair the wrong way round). A pair with no known
rate is not checked.

The European Central Bank's reference rates (:func:`budgetwise.services.rates.fetch_ecb`) are not checked: they
are the official source the check compares with, fetched from the ECB's own host, and a user's own typing slip
must never hold back the shared rates of every user (session 19, docs/currencies.md).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.errors import ValidationError
from budgetwise.models import ExchangeRate
from budgetwise.services.rates.convert import _rank, visible_to
from budgetwise.services.rates.types import RatesFileError
from budgetwise.text import plural, plural_word

IMPLAUSIBLE_FACTOR = 10  # a rate this many times above or below the nearest known one asks for a confirmation


class ImplausibleRate(ValidationError):
    """A typed rate far off the known rate of its pair (:func:`add_rate` with ``confirm`` saves it anyway)."""


class ImplausibleRates(RatesFileError):
    """Rows of a rates file far off the known rates of their pairs (``problems``: one per row); nothing was
    stored (:func:`import_rates_csv` with ``confirm`` stores them anyway)."""


Item = tuple[str, dt.date, str, str, Decimal]  # (label, date, base, quote, rate), as the writers take them


def _known(session: Session, owner: int | None, base: str, quote: str, lo: dt.date, hi: dt.date
           ) -> list[tuple[dt.date, Decimal]]:
    """The known ``base``/``quote`` rates (either way round, as 1 base = x quote) from ``lo`` to ``hi`` and the
    nearest one on each side, one per date (the one conversion would prefer), sorted by date: six queries."""
    cols = (ExchangeRate.date, ExchangeRate.rate, ExchangeRate.source, ExchangeRate.user_id)
    best: dict[dt.date, tuple[int, Decimal]] = {}
    for b, q, inverse in ((base, quote, False), (quote, base, True)):
        pair = (ExchangeRate.base == b, ExchangeRate.quote == q, ExchangeRate.rate > 0, visible_to(owner))
        rows = list(session.execute(select(*cols).where(*pair, ExchangeRate.date >= lo, ExchangeRate.date <= hi)))
        for when, order in ((ExchangeRate.date < lo, ExchangeRate.date.desc()), (ExchangeRate.date > hi, ExchangeRate.date)):
            edge = session.execute(select(ExchangeRate.date).where(*pair, when).order_by(order).limit(1)).scalar()
            if edge is not None:
                rows += list(session.execute(select(*cols).where(*pair, ExchangeRate.date == edge)))
        for day, rate, source, user_id in rows:
            rank = _rank(source, user_id) + (100 if inverse else 0)  # the direct rate before the inverse
            value = 1 / Decimal(rate) if inverse else Decimal(rate)
            if day not in best or rank < best[day][0]:
                best[day] = (rank, value)
    return sorted((day, value) for day, (_, value) in best.items())


def _nearest(known: list[tuple[dt.date, Decimal]], days: list[dt.date], day: dt.date) -> tuple[dt.date, Decimal]:
    i = bisect.bisect_left(days, day)
    around = [known[j] for j in (i - 1, i) if 0 <= j < len(known)]
    return min(around, key=lambda k: (abs((k[0] - day).days), k[0] > day))  # a tie: the earlier one


def implausible(session: Session, *, owner: int | None, items: Sequence[Item]) -> list[tuple[str, str]]:
    """``(label, reason)`` of each item far off the known rate of its pair nearest in date, in the items' order
    (empty: none is). The reason names the pair, the item's value and the rate and date it was compared with."""
    by_pair: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        by_pair[(item[2], item[3])].append(item)
    low, high = 1 / Decimal(IMPLAUSIBLE_FACTOR), Decimal(IMPLAUSIBLE_FACTOR)
    found: list[tuple[int, str, str]] = []
    order = {id(item): i for i, item in enumerate(items)}
    for (base, quote), rows in by_pair.items():
        known = _known(session, owner, base, quote, min(r[1] for r in rows), max(r[1] for r in rows))
        if not known:
            continue
        days = [d for d, _ in known]
        for item in rows:
            label, day, _, _, rate = item
            when, value = _nearest(known, days, day)
            ratio = rate / value
            if low <= ratio <= high:
                continue
            shown = format(Decimal(f"{value:.6g}"), "f")
            how = f"more than {IMPLAUSIBLE_FACTOR} times" if ratio > 1 else f"less than 1/{IMPLAUSIBLE_FACTOR} of"
            found.append((order[id(item)], label, f"1 {base} = {format(rate, 'f')} {quote} is {how} the known "
                                                    f"rate of {base}/{quote} ({shown} on {when.isoformat()})"))
    return [(label, text) for _, label, text in sorted(found)]


def file_refusal(found: Sequence[tuple[str, str]], limit: int = 10) -> ImplausibleRates:
    """The refusal of a rates file with rows far off the known rates (nothing was stored)."""
    reasons = [f"{label}: {text}." for label, text in found]
    n = len(reasons)
    head = " ".join(reasons[:limit]) + (f" (And {n - limit} more.)" if n > limit else "")
    return ImplausibleRates(f"Nothing was imported: {plural(n, 'rate')} of the file {plural_word(n, 'looks', 'look')} "
            f"wrong. {head} Check the file (a missing decimal point, or the currencies the wrong way round?); "
            "if the rates are right, import it again confirming them.", reasons)
