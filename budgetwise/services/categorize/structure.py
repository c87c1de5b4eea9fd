"""Answers from the shape of a household's rows, not their words (issue #16, cold; pure: no database).

Where nothing else answers a row (no user rule, no history, no default rule, no brand; a
fallback guess at most), the rows of the same batch may still say what it is:

* **recurring income** (the one detector, :func:`budgetwise.analysis.recurring.detect`: the
  same merchant, a similar amount, a weekly to monthly cadence) -> Salary;
* **recurring expense** -> Rent when its amount is a large share of the batch's monthly
  spending (``RENT_SHARE``), else Utilities when the amount varies (a metered bill), else
  Subscriptions (a fixed price);
* **refund**: a credit of exactly the amount of an earlier debit at the same merchant (within
  ``REFUND_DAYS``) -> Refunds;
* **odd-amount credit**: a credit nothing else knows whose amount is not a whole number of
  currency units (``ODD_UNIT`` minor units: it has cents) -> Refunds: money paid back by a shop
  carries the price's cents, where a person's transfer, a deposit or a gift is usually a round sum
  (income with cents, a salary or interest, is a recurring series or a default rule's first);
* **small purchase**: an expense nothing else knows, under ``SMALL_SHARE`` times the batch's
  median expense -> Dining (food and drink are the most common small unknown merchants). Needs
  no date, so it answers in a batch of ``SMALL_MIN_ROWS`` expenses or more, dated or not.

(Tried and not adopted: a debit and a credit of the same amount in two accounts within the
transfer matcher's window -> Transfers; see docs/categorization.md.)

Each answer belongs to a calibration group (``GROUP_PREFIX`` + signal) whose confidence
``tools/calibrate_default_rules.py`` fits on the labelled data sets like the default rules'
and the brands' (leave-one-data-set-out in the benchmark); under the review threshold the
answer is listed for review.

Rows are (text, amount_minor, kind, account) as the engine holds them; ``open_rows`` are the
indexes that may be answered (only they are grouped, so the cost is that of the unanswered rows).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence

from budgetwise.analysis import recurring as rec
from budgetwise.textforms import merchant_keys

GROUP_PREFIX = "Structure: "  # the calibration group of an answer is GROUP_PREFIX + its signal

SIGNALS: dict[str, str] = {  # signal -> default category it sets
    "recurring income": "Salary",
    "recurring large expense": "Rent",
    "recurring variable expense": "Utilities",
    "recurring fixed expense": "Subscriptions",
    "refund": "Refunds",
    "odd-amount credit": "Refunds",
    "small purchase": "Dining",
}
RECURRING = frozenset(s for s in SIGNALS if s.startswith("recurring"))
# "recurring variable expense" (-> Utilities) is not adopted: no answer on the tuning data sets, 0 of 7
# right on the held-out ones (docs/categorization.md, "Structure: tried, not adopted")
ENABLED: frozenset[str] = frozenset(SIGNALS) - {"recurring variable expense"}
INCOME_CADENCES = frozenset({"weekly", "biweekly", "monthly"})
EXPENSE_CADENCES = frozenset({"monthly", "quarterly", "yearly"})
RENT_SHARE = 0.25  # a recurring payment of at least this share of the month's spending is housing
REFUND_DAYS = 90
SMALL_SHARE = 2.0  # an unknown purchase under this multiple of the batch's median expense is "small"
SMALL_MIN_ROWS = 20  # expenses a batch needs before its median means anything
ODD_UNIT = 100  # a credit whose minor units are not a multiple of this has cents ("odd-amount credit")


def _day(d) -> int | None:
    if isinstance(d, dt.date):  # a datetime (or pandas Timestamp) is a date too
        return d.toordinal() if not isinstance(d, dt.datetime) else d.date().toordinal()
    return None


def monthly_spending(rows: Sequence[tuple], first_day: int, last_day: int) -> float:
    """The batch's expenses per month (minor units, a statistic): their sum over the months from
    ``first_day`` to ``last_day`` (ordinals; the span of the rows asked about)."""
    spent = sum(r[1] for r in rows if r[2] == "expense")
    return spent / max(1.0, (last_day - first_day + 1) / 30.44)


def structural_signals(rows: Sequence[tuple], dates: Sequence | None, open_rows: Sequence[int], *,
                       enabled: frozenset[str] | None = None,
                       spending: Callable[[int], bool] | None = None) -> dict[int, str]:
    """{row index: signal} for the ``open_rows`` the batch's structure answers (see the module).

    ``dates`` (optional, one per row: a date, a datetime or None) are needed by the recurring and
    refund signals; without them only the small-purchase signal answers. ``spending`` (optional):
    whether row i's merchant is known as one people spend at (a brand, a spending rule); such a
    credit is never "recurring income" (Salary): money back from a shop or a subscription is a
    refund (the refund and odd-amount signals may still answer it) or nothing (session 11).
    """
    enabled = ENABLED if enabled is None else enabled
    out: dict[int, str] = {}
    if not open_rows:
        return out
    dated = dates is not None and bool(enabled & (RECURRING | {"refund"}))
    if dated:
        assert dates is not None
        days = {i: d for i in open_rows if (d := _day(dates[i])) is not None}
        if days:
            key_of = dict(zip(days, merchant_keys([rows[i][0] for i in days])))
            if enabled & RECURRING:
                _recurring(rows, days, key_of, out, enabled, spending)
            if "refund" in enabled:
                _refunds(rows, days, key_of, out)
    if "odd-amount credit" in enabled:
        for i in open_rows:
            if rows[i][2] == "income" and rows[i][1] % ODD_UNIT and i not in out:
                out[i] = "odd-amount credit"
    if "small purchase" in enabled:
        _small(rows, open_rows, out)
    return out


def _small(rows, open_rows: Sequence[int], out: dict[int, str]) -> None:
    """Unknown purchases of a small amount for this household (under SMALL_SHARE x its median
    expense in the batch): most often food and drink."""
    spent = [r[1] for r in rows if r[2] == "expense"]
    if len(spent) < SMALL_MIN_ROWS:
        return
    limit = SMALL_SHARE * statistics.median(spent)
    for i in open_rows:
        if rows[i][2] == "expense" and rows[i][1] < limit and i not in out:
            out[i] = "small purchase"


def _recurring(rows, days: dict[int, int], key_of: dict[int, str], out: dict[int, str],
               enabled: frozenset[str], spending: Callable[[int], bool] | None = None) -> None:
    """Series of one merchant and direction that :func:`budgetwise.analysis.recurring.detect` finds
    regular, as of their own last payment (categorizing history, not forecasting)."""
    series: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, key in key_of.items():
        if key:
            series[(key, rows[i][2])].append(i)
    month = None
    for (_, kind), members in series.items():
        if len(members) < rec.MIN_OCCURRENCES:
            continue
        totals: dict[int, int] = {}
        for i in members:
            totals[days[i]] = totals.get(days[i], 0) + rows[i][1]
        if len(totals) < rec.MIN_OCCURRENCES:
            continue
        ords = sorted(totals)
        if ords[-1] - ords[0] < (rec.MIN_OCCURRENCES - 1) * 5:
            continue  # a cadence's step is at least 5 days (weekly 7 +- 2)
        amounts = [totals[o] for o in ords]
        found = rec.detect(ords, amounts, dt.date.fromordinal(ords[-1]))
        if found is None:
            continue
        if kind == "income":
            signal = "recurring income" if found.cadence in INCOME_CADENCES else None
        elif found.cadence not in EXPENSE_CADENCES:
            signal = None
        else:
            if month is None:
                month = monthly_spending(rows, min(days.values()), max(days.values()))
            fixed = amounts.count(amounts[-1]) >= 2 or found.previous_amount_minor is not None
            per_month = found.amount_minor * found.per_year / 12
            if month and per_month >= RENT_SHARE * month:
                signal = "recurring large expense"
            else:
                signal = "recurring fixed expense" if fixed else "recurring variable expense"
        if signal is not None and signal in enabled:
            for i in members:
                if not (kind == "income" and spending is not None and spending(i)):
                    out[i] = signal


def _refunds(rows, days: dict[int, int], key_of: dict[int, str], out: dict[int, str]) -> None:
    """Credits of exactly the amount of a debit at the same merchant up to REFUND_DAYS before."""
    credits = {(key, rows[i][1]) for i, key in key_of.items() if key and rows[i][2] == "income" and i not in out}
    if not credits:
        return
    debits: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, key in key_of.items():
        if rows[i][2] == "expense" and (key, rows[i][1]) in credits:
            debits[(key, rows[i][1])].append(days[i])
    if not debits:
        return
    for i, key in key_of.items():
        if rows[i][2] != "income" or i in out:
            continue
        seen = debits.get((key, rows[i][1]))
        if seen and any(0 <= days[i] - d <= REFUND_DAYS for d in seen):
            out[i] = "refund"


def structure_confidence(signal: str) -> float:
    """The calibrated confidence of a structural answer (``tools/calibrate_default_rules.py`` fits it
    with the default rules' groups, as group ``GROUP_PREFIX + signal``)."""
    from budgetwise.services.default_rule_confidence import GROUP_CONFIDENCE, PRIOR

    return GROUP_CONFIDENCE.get(GROUP_PREFIX + signal, GROUP_CONFIDENCE.get(GROUP_PREFIX.strip(), PRIOR))
