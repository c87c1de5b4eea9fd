"""Cash-flow forecast (issue #19): the projected daily balance of all of a user's accounts together.

* Start: today's total balance (net worth of the accounts, base currency, :mod:`.accounts`).
* Known items on their dates: the recurring income and bills of the one recurring detector
  (:mod:`budgetwise.analysis.recurring`, read through the forecast package's known flows), stepped
  forward with the detector's own cadences.
* Transfers between the user's own accounts: none for all accounts together (they net to zero); for some
  accounts (the spending ones, or one account), the confirmed ones whose other side is outside them, the
  recurring ones as known items on their schedule (:func:`split_transfers`), never in the variable spending.
* Variable spending: the spending forecast of :mod:`budgetwise.services.forecast` minus its known
  part, spread evenly over each month's days; its calibrated band widens the balance band
  (months added as if fully correlated: a conservative band).
* The answers: the lowest projected balance and its date, the chance of dipping below the threshold
  before the next income (a Student's t with 4 degrees of freedom through the band's lower edge,
  :func:`chance_below`; the largest single-day chance: a lower bound), and what can be spent per day
  on top of the usual until then without going below it.

:func:`project` is pure (no Session): tests and the what-if comparison call it directly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from budgetwise.analysis.recurring import CADENCES
from budgetwise.dates import ISO_DATE, day_text
from budgetwise.errors import ValidationError
from budgetwise.names import name_key, quoted
from budgetwise.ratios import Z80, percent_text
from budgetwise.services.cashflow_notes import (  # noqa: F401 (the cash-flow service's public names)
    model_notes,
    one_off_notes,
    spending_projected,
)
from budgetwise.services.cashflow_scheduled import (  # noqa: F401 (the cash-flow service's public names)
    ScheduledView,
    add_scheduled,
    archived_items_note,
    delete_scheduled,
    list_scheduled,
    update_scheduled,
)
from budgetwise.services.cashflow_scope import DEFAULT_SCOPE, AccountScope, no_rate_text
from budgetwise.services.cashflow_stale import (  # noqa: F401 (the one out-of-date rule, imported from here)
    STALE_AFTER_DAYS,
    STALE_NOTE,
    out_of_date_since,
    stale_notes,
)
from budgetwise.services.cashflow_threshold import (  # noqa: F401 (the cash-flow service's public names)
    get_threshold,
    parse_threshold,
    set_threshold,
)
from budgetwise.services.cashflow_whatif import (  # noqa: F401 (the cash-flow service's public names)
    MAX_WHAT_IFS,
    ONCE,
    cadence_choice,
    what_if_item,
)

MAX_HORIZON_MONTHS = 12
PROJECT_PAID_SHARE = False  # session 19 (cfpayee), candidate (b): a detected series paid only some months is projected
# at its amount x the detector's paid share (recurring.paid_share: an income paid 4 of the last 12 months at a third);
# off: its pre-registered test failed (no fresh seed 1341-1400 changed; benchmarks/cashflow_payee_check.py)


class NothingToProject(ValidationError):
    """The user has no transactions, no opening balance and nothing scheduled: no projection to
    show (the page shows an empty state, not a flat line of zeros)."""


@dataclass(frozen=True)
class KnownItem:
    date: dt.date
    amount_minor: int  # signed: + money in, - money out
    label: str
    cadence: str | None = None  # weekly / monthly / ... ; None = once
    transfer: bool = False  # money moved from or to another of the user's accounts: never "your next income"


@dataclass(frozen=True)
class VariableMonth:
    month: dt.date  # first day
    expected_minor: int  # variable spending expected in the month (positive)
    lower_minor: int
    upper_minor: int


@dataclass(frozen=True)
class DayPoint:
    date: dt.date
    balance_minor: int
    lower_minor: int
    upper_minor: int


@dataclass(frozen=True)
class Projection:
    currency: str
    start: dt.date
    start_balance_minor: int
    threshold_minor: int
    days: tuple[DayPoint, ...]
    items: tuple[KnownItem, ...]
    lowest_minor: int
    lowest_date: dt.date
    next_income_date: dt.date | None
    chance_below: float  # before the next income (or the horizon)
    safe_per_day_minor: int  # on top of the usual spending, until the next income
    notes: tuple[str, ...] = ()
    # whether the usual (variable) spending is in the projection: with too little history it is not, and
    # "safe to spend" is then all that is left above the threshold, not an amount on top of that spending
    spending_included: bool = True
    # whether the projection has spending beyond the known items: a history long enough whose every expense is a
    # known item (salary, rent, bills) has none, and "safe to spend" is then on top of the known items alone
    beyond_known: bool = True
    date_format: str = ISO_DATE  # the user's (cashflow_user fills it in): the dates of the sentences below
    locale: str = "en_US"  # the user's (cashflow_user fills it in): month names and percentages of the sentences
    # the accounts counted (cashflow_user fills it in; None: one account, or a projection made without a database)
    scope: AccountScope | None = None
    # the notes on what is left out for want of an exchange rate (account balances, scheduled items), also in
    # ``notes``: without them a start of $0.00 reads as an empty account (session 18: the dashboard said "today
    # €0.00"). Marked where they are written, from the rates' MissingRate and the converter (session 19: they
    # were picked out of ``notes`` by a regular expression over their wording, RATE_NOTE)
    rate_notes: tuple[str, ...] = ()
    # the balances among them (rates.MissingRate): a page lists them in one warning (ui.currency.missing_rates_warning;
    # session 25: five captions for five currencies) and shows the other notes through :attr:`unlisted_notes`
    missing_rates: tuple = ()

    def unlisted_notes(self, notes: Sequence[str]) -> tuple[str, ...]:
        """``notes`` (the projection's or its rate notes) less those of :attr:`missing_rates`."""
        listed = {m.describe(self.locale, self.date_format) for m in self.missing_rates}
        return tuple(n for n in notes if n not in listed)

    @property
    def accounts_text(self) -> str:
        """Which accounts the answers cover, in words (:attr:`.cashflow_scope.AccountScope.words`); "" when
        the projection does not say (one account: its note says so)."""
        return self.scope.words if self.scope is not None else ""

    def day(self, value: dt.date) -> str:
        """A date of the answers in the user's date format and locale (:func:`budgetwise.dates.day_text`:
        "24 Dez. 2026" for a de_DE user with the "31 Dec 2025" format)."""
        return day_text(value, self.date_format, self.locale)

    @property
    def chance_text(self) -> str:
        """The chance of going below the threshold in the locale's percent ("5 %" in de_DE), by
        :func:`budgetwise.ratios.percent_text`: the summary's and the page's card alike."""
        return percent_text(self.chance_below * 100, self.locale, digits=0)

    @property
    def until(self) -> str:
        """The span the chance and "safe to spend" cover, in words: up to the next income, or the whole
        horizon when no regular income is recognised in it (never "until then" with no "then"); income
        inside the usual net may still come, so the words do not say none is expected."""
        if self.next_income_date:
            return f"before your next income on {self.day(self.next_income_date)}"
        end = self.days[-1].date if self.days else self.start
        return f"up to {self.day(end)} (no regular income is recognised before then)"

    @property
    def stale_note(self) -> str | None:
        """The note saying the history stopped long ago (:func:`stale_notes`), if any."""
        from budgetwise.services.balance_known import BALANCE_NOTE

        return next((n for n in self.notes if n.startswith((STALE_NOTE, BALANCE_NOTE))), None)

    @property
    def out_of_date(self) -> bool:
        """Whether the projection starts from an out-of-date balance: :func:`stale_notes` (STALE_AFTER_DAYS) wrote
        its note, the one rule of what is out of date."""
        return self.stale_note is not None

    def alert(self, fmt, *, what_if: bool = False) -> str | None:
        """The Cash flow page's and the dashboard's alert: :meth:`below_threshold`, but none on an out-of-date
        balance (session 21, newuser21b: a red "below $0 … 100%" on a 23-month-old balance the same page called
        out of date); :meth:`out_of_date_text` says why instead."""
        return None if self.out_of_date else self.below_threshold(fmt, what_if=what_if)

    def out_of_date_text(self) -> str | None:
        """What an out-of-date projection is worth, in words (the stale note last): None when it is current."""
        if self.stale_note is None:
            return None
        return ("This projection starts from an old balance, so no alert is given on it: its lowest balance, its "
                "chance of going below and what is safe to spend are not about your money now. " + self.stale_note)

    @property
    def safe_scope(self) -> str:
        """What "safe to spend" covers: on top of the usual spending when the projection has it; else
        everything, the usual spending included (a new user's flat line has none of it); on top of the known
        items when the history is long enough but has no spending beyond them (:func:`spending_projected`). The one
        wording of the summary (:meth:`safe_to_spend`) and the page's help (:meth:`safe_to_spend_help`)."""
        if not self.spending_included:
            return ("for everything, your day-to-day spending included (it is not in the projection yet: "
                    "too little history)")
        if not self.beyond_known:  # session 21 (zfword): a 29-month history of bills alone read "too little history"
            return "on top of the known items (your history has no spending beyond them)"
        return "on top of your usual spending"

    def safe_to_spend(self, fmt) -> str:
        """"Safe to spend" in words (``fmt(minor)`` formats money)."""
        return f"Safe to spend {self.safe_scope}: {fmt(self.safe_per_day_minor)} a day {self.until}."

    def safe_to_spend_help(self) -> str:
        """The help of the "safe to spend per day" figure: what it covers, over which span."""
        scope = self.safe_scope
        return f"{scope[:1].upper()}{scope[1:]}, {self.until}, without going below the threshold."

    def below_threshold(self, fmt, *, what_if: bool = False) -> str | None:
        """The alert when the projected balance goes below the threshold (None when it does not); ``what_if``:
        the projection with a what-if, said so (QA session 13: a what-if down to $1,902 under a $4,000
        threshold drew its line below the threshold and not a word)."""
        if self.lowest_minor >= self.threshold_minor:
            return None
        if self.start_balance_minor < self.threshold_minor:  # not "goes below": it is below today already
            return (f"Your balance is already below {fmt(self.threshold_minor)} today: {fmt(self.start_balance_minor)}"
                    + ("." if self.lowest_minor >= self.start_balance_minor else  # never lower than today
                       f"; the projection's lowest is {fmt(self.lowest_minor)} "
                       f"on {self.day(self.lowest_date)}."))
        return (f"{'With the what-if, the' if what_if else 'The'} projection goes below {fmt(self.threshold_minor)}: "
                f"lowest {fmt(self.lowest_minor)} on {self.day(self.lowest_date)}.")

    def summary(self, fmt) -> str:
        """The answers in words; ``fmt(minor)`` formats money."""
        return (
            f"Lowest projected balance: {fmt(self.lowest_minor)} on {self.day(self.lowest_date)}. "
            # below it today already: "going below" read as if it were still above (session 21, zfword)
            f"Chance of {'being' if self.start_balance_minor < self.threshold_minor else 'going'} below "
            f"{fmt(self.threshold_minor)} {self.until}: about {self.chance_text}. "
            + self.safe_to_spend(fmt)
        )


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, n: int) -> dt.date:
    y, m = divmod(day.month - 1 + n, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def scheduled_date_limits(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest next date of a scheduled item (today to two years on); the page's
    picker help shows them and :func:`add_scheduled` refuses others."""
    today = today or dt.date.today()
    return today, _add_months(today, 24)


def horizon_end(start: dt.date, months: int) -> dt.date:
    if not 1 <= int(months) <= MAX_HORIZON_MONTHS:
        raise ValidationError(f"The horizon must be 1 to {MAX_HORIZON_MONTHS} months.", field="horizon")
    return _add_months(start, int(months))


def expand(items: Sequence[KnownItem], start: dt.date, end: dt.date) -> list[KnownItem]:
    """Each item's occurrences in (start, end]: recurring ones stepped by the detector's cadence."""
    out = []
    for item in items:
        step = CADENCES[item.cadence].step if item.cadence else None
        day = item.date
        guard = 0
        while day <= end and guard < 2000:
            if day > start:
                out.append(replace(item, date=day))
            if step is None:
                break
            day = day + step
            guard += 1
    return sorted(out, key=lambda i: (i.date, i.label))


T4_90 = 1.5332062740589440  # Student's t with 4 degrees of freedom: its 90% point


def _t4_cdf(x: float) -> float:
    """Student's t distribution function with 4 degrees of freedom (closed form)."""
    a = 1.0 + x * x / 4.0
    return min(1.0, max(0.0, 0.5 + 0.375 * x / math.sqrt(a) * (1.0 - x * x / (12.0 * a))))


def chance_below(threshold_minor: int, point_minor: int, lower_minor: int) -> float:
    """The chance that a balance projected at ``point_minor`` with the band's lower edge (its 10% point)
    at ``lower_minor`` ends below ``threshold_minor``: a Student's t with 4 degrees of freedom through the
    lower edge (real one-month errors have heavier tails than a normal; docs/accounts.md, session 10, cftail:
    the normal put 8.8% of real outcomes below its 5% point). 0.1 at the lower edge, 0.5 at the point,
    non-decreasing in the threshold; a band of zero width gives 0 or 1."""
    scale = (point_minor - lower_minor) / T4_90
    if scale <= 0:
        return 1.0 if point_minor < threshold_minor else 0.0
    return _t4_cdf((threshold_minor - point_minor) / scale)


def project(
    *,
    currency: str,
    start: dt.date,
    start_balance_minor: int,
    horizon_months: int,
    known: Sequence[KnownItem] = (),
    variable: Sequence[VariableMonth] = (),
    threshold_minor: int = 0,
    notes: Sequence[str] = (),
    extra_sigma_minor: int = 0,
    band: Sequence[tuple[int, int]] = (),
    spending_included: bool | None = None,
) -> Projection:
    """The daily projection from the day after ``start`` to the horizon (pure).

    ``spending_included``: whether the history was long enough for the usual spending to be projected
    (:func:`spending_projected`); None (a projection made by hand): whether ``variable`` has any.

    ``band``: the calibrated band of :mod:`.cashflow_model` as (lower, upper) offsets of the balance
    after 1, 2, ... months, interpolated between; without it the variable months' bands widen the
    band, plus ``extra_sigma_minor`` (a monthly spread) with the square root of the time elapsed."""
    end = horizon_end(start, horizon_months)
    items = expand(known, start, end)
    by_day: dict[dt.date, int] = {}
    for item in items:
        by_day[item.date] = by_day.get(item.date, 0) + int(item.amount_minor)
    months = {v.month: v for v in variable}
    exact = Decimal(start_balance_minor)
    low_dev = up_dev = Decimal(0)
    days = []
    day = start + dt.timedelta(days=1)
    while day <= end:
        v = months.get(_month_start(day))
        if v is not None:
            n = Decimal(calendar.monthrange(day.year, day.month)[1])
            exact -= Decimal(v.expected_minor) / n
            low_dev += Decimal(max(v.upper_minor - v.expected_minor, 0)) / n  # more spending -> lower balance
            up_dev += Decimal(max(v.expected_minor - v.lower_minor, 0)) / n
        exact += by_day.get(day, 0)
        bal = int(exact.to_integral_value())
        if band:
            lo, hi = _band_at(band, (day - start).days / 30.436875)
            days.append(DayPoint(day, bal, min(bal, bal + lo), max(bal, bal + hi)))
        else:
            extra = Decimal(Z80 * extra_sigma_minor * math.sqrt((day - start).days / 30.4)) if extra_sigma_minor else 0
            days.append(DayPoint(day, bal, int((exact - low_dev - extra).to_integral_value()),
                                 int((exact + up_dev + extra).to_integral_value())))
        day += dt.timedelta(days=1)
    if not days:  # pragma: no cover - horizon_end guarantees at least 28 days
        raise ValidationError("Nothing to project.", field="horizon")
    lowest = min(days, key=lambda p: (p.balance_minor, p.date))
    if start_balance_minor < lowest.balance_minor:  # today is the low point: not a "lowest" above today's balance
        lowest = DayPoint(start, int(start_balance_minor), int(start_balance_minor), int(start_balance_minor))
    next_income = next((i.date for i in items if i.amount_minor > 0 and not i.transfer), None)
    window = [p for p in days if next_income is None or p.date < next_income] or days[:1]
    chance = max(chance_below(threshold_minor, p.balance_minor, p.lower_minor) for p in window)
    headroom = min(p.balance_minor - threshold_minor for p in window)
    safe = max(0, headroom) // max(1, len(window))
    return Projection(
        currency=currency, start=start, start_balance_minor=int(start_balance_minor), threshold_minor=int(threshold_minor),
        days=tuple(days), items=tuple(items), lowest_minor=lowest.balance_minor, lowest_date=lowest.date,
        next_income_date=next_income, chance_below=round(chance, 4), safe_per_day_minor=int(safe), notes=tuple(notes),
        spending_included=any(v.expected_minor for v in variable) if spending_included is None else spending_included,
        beyond_known=any(v.expected_minor for v in variable),
    )


def _band_at(band: Sequence[tuple[int, int]], months: float) -> tuple[int, int]:
    """The band's offsets ``months`` after the start: linear between month ends, from 0 at the start;
    beyond the last one it widens with the square root of the time."""
    if months >= len(band):
        factor = math.sqrt(months / len(band))
        return int(band[-1][0] * factor), int(band[-1][1] * factor)
    k = int(months)
    frac = months - k
    a = (0, 0) if k == 0 else band[k - 1]
    b = band[k]
    return int(a[0] + frac * (b[0] - a[0])), int(a[1] + frac * (b[1] - a[1]))


# --------------------------------------------------------------------------- from a history (pure)
def other_months(model, start: dt.date, end: dt.date) -> list[VariableMonth]:
    """The model's "other" net as a month-by-month amount spread over each month's days (what
    :func:`project` subtracts: variable spending, less any irregular income)."""
    out, month = [], _month_start(start + dt.timedelta(days=1))  # the month the first projected day is in
    amounts = list(model.month_other)
    while month <= end:
        spend = -int(amounts.pop(0) if amounts else model.other_minor)
        out.append(VariableMonth(month, spend, spend, spend))
        month = _add_months(month, 1)
    return out


def flow_items(flows, today: dt.date, cancel: Sequence[str] = (), *, transfer: bool = False) -> list[KnownItem]:
    """Recurring flows (the detector's) as known items from their next date after ``today``; ``transfer``: they are
    transfers between the user's own accounts (:attr:`KnownItem.transfer`)."""
    cancelled = {c.casefold() for c in cancel}
    out = []
    for f in flows:
        if f.key.casefold() in cancelled or (f.description or "").casefold() in cancelled:
            continue
        first = f.next_date
        while first <= today:
            first = first + CADENCES[f.cadence].step
        amount = f.amount_minor
        if PROJECT_PAID_SHARE and getattr(f, "paid_share", 1.0) < 1.0:
            amount = int(round(amount * f.paid_share))
        out.append(KnownItem(first, amount if f.kind == "income" else -amount, f.description or f.key, f.cadence,
                             transfer))
    return out


def project_history(history, *, start_balance_minor: int, as_of: dt.date, horizon_months: int,
                    threshold_minor: int = 0, flows=None, **variant) -> Projection:
    """The projection from a history alone (no database): the detector's recurring items plus the
    model's "other" level, with its calibrated band (:mod:`.cashflow_model`). The backtest
    (benchmarks/cashflow_eval.py) uses it; ``flows`` overrides the known items; ``variant`` goes to
    :func:`.cashflow_model.fit` (the benchmark's held-out comparison)."""
    from budgetwise.services import cashflow_gaps as G
    from budgetwise.services import cashflow_model as M
    from budgetwise.services import forecast as F

    end = horizon_end(as_of, horizon_months)
    steps = (end.year - as_of.year) * 12 + end.month - as_of.month + 1
    flows = F.detect_known_flows(history, as_of=as_of, know_gaps=G.KNOW_GAPS) if flows is None else flows
    model = M.fit(history, as_of=as_of, steps=steps, flows=flows, **variant)
    known = flow_items(flows, as_of)
    return project(currency=history.currency, start=as_of, start_balance_minor=start_balance_minor,
                   horizon_months=horizon_months, known=known, variable=other_months(model, as_of, end),
                   threshold_minor=threshold_minor,
                   notes=model_notes(model, history.gap, history.date_format, history.locale, history.currency),
                   band=model.band, spending_included=spending_projected(model))


# --------------------------------------------------------------------------- the database edge
def cashflow_user(
    session,
    *,
    user_id: int,
    horizon_months: int = 3,
    threshold: object = None,
    what_if: Sequence[KnownItem] = (),
    cancel: Sequence[str] = (),
    today: dt.date | None = None,
    account_id: int | None = None,
    recurring: Sequence | None = None,
    scope: str = DEFAULT_SCOPE,
) -> Projection:
    """The projection of the user's accounts that ``scope`` counts (:mod:`.cashflow_scope`: "spending", the
    default, the checking, credit-card and cash accounts; "all": every account, net worth), in the base
    currency; with ``account_id``, of that account alone (its own rows' recurring items and spending, and the
    confirmed transfers to and from the user's other accounts, as the spending accounts' scope counts them; still
    in the base currency; ``scope`` unused). ``recurring``: ``reports.detect_recurring``'s list for this user on
    ``today``, when the caller has it already (the dashboard shows its upcoming payments from the same list):
    not detected again; it covers every account, so a projection of the spending accounts alone detects
    their own."""
    from budgetwise.services import accounts, card_credit, cashflow_scope, transfers
    from budgetwise.services.balance_known import last_known

    today = today or dt.date.today()
    end = horizon_end(today, horizon_months)
    balances = accounts.balances(session, user_id=user_id, as_of=today)
    currency = balances.base_currency
    from budgetwise.money import locale_separators
    from budgetwise.services.profile import user_formats

    locale, date_format = user_formats(session, user_id)
    thr = parse_threshold(threshold, currency, decimal_hint=locale_separators(locale)[0])  # typed in their format
    steps = (end.year - today.year) * 12 + end.month - today.month + 1
    chosen = None if account_id is not None else cashflow_scope.resolve(balances, scope)
    scheduled = list_scheduled(session, user_id=user_id)
    if chosen is None:
        start_minor, notes = _account_start(session, user_id, int(account_id or 0), balances, locale, date_format,
                                            tied=any(i.account_id is not None for i in scheduled))
    else:  # its notes are the missing rates' (rates.MissingRate.describe); one account's start refuses one instead
        start_minor, notes = cashflow_scope.start_balance(balances, chosen, locale, date_format)
    rate_notes = [] if chosen is None else list(notes)
    if credit := card_credit.projection_note(balances, (int(account_id or 0),) if chosen is None else chosen.account_ids,
                                             locale):
        notes.append(credit)  # a card's credit counted as money, said (session 29, trial29)
    missing = tuple(balances.missing_rates) if rate_notes else ()
    # one account is a set of one: its transfers to and from the others count (history_from_db's account_ids)
    ids = (int(account_id or 0),) if chosen is None else chosen.account_ids
    moved = frozenset() if ids is None else transfers.transfer_category_names(session, user_id=user_id)
    flows, between, model = _recurring_and_model(session, user_id, today, steps, notes, recurring, date_format, ids,
                                                 moved, known=last_known(session, user_id=user_id, today=today,
                                                                         account_ids=ids))
    if model is None and not flows and start_minor == 0 and account_id is None and not scheduled:
        if balances.missing_rates:  # not "import your transactions" to a user whose rows are all in another currency
            raise NothingToProject(no_rate_text(currency, balances.missing_rates, locale, date_format))
        raise NothingToProject(
            "Nothing to project yet: import or add your transactions (and your accounts' opening balances on "
            "the Accounts page), or schedule your rent and salary here, to see where your balance is heading."
        )
    cancelled = {name_key(c) for c in cancel}
    known = [*flow_items(flows, today, cancel), *flow_items(between, today, cancel, transfer=True)]
    known.extend(i for i in _scheduled_known(session, user_id, currency, today, notes, scheduled, ids, chosen is None,
                                             rate_notes=rate_notes)
                 if name_key(i.label) not in cancelled)
    return replace(project(currency=currency, start=today, start_balance_minor=start_minor,
                           horizon_months=horizon_months, known=[*known, *what_if],
                           variable=() if model is None else other_months(model, today, end),
                           threshold_minor=thr, notes=notes, band=() if model is None else model.band,
                           spending_included=spending_projected(model)),
                   date_format=date_format, locale=locale, scope=chosen, rate_notes=tuple(rate_notes),
                   missing_rates=missing)


def _account_start(session, user_id: int, account_id: int, balances, locale: str = "en_US",
                   date_format: str = ISO_DATE, tied: bool = False) -> tuple[int, list[str]]:
    """One account's balance today in the base currency (a missing rate is named, never 1.0); ``tied``: the user
    has items scheduled for an account (the note then says its own are in; without any, the words as before)."""
    from budgetwise.services import accounts

    view = accounts.get_account(session, user_id=user_id, account_id=account_id)  # NotFoundError: not the user's
    found = next(b for b in balances.accounts if b.account.id == view.id)
    if found.base_minor is None:
        missing = "; ".join(m.describe(locale, date_format) for m in balances.missing_rates)
        raise ValidationError(f"The balance of {quoted(view.name)} cannot be shown in {balances.base_currency}: {missing} "
                              "Add the rate under Profile → Exchange rates.", field="account")
    if tied:
        return found.base_minor, [
            f"Only {quoted(view.name)}: its own recurring items, spending and items scheduled for it, and the transfers to "
            "and from your other accounts. Items scheduled for no particular account are not in a single account's "
            "projection."]
    return found.base_minor, [
        f"Only {quoted(view.name)}: its own recurring items and spending, and the transfers to and from your other "
        "accounts. Items scheduled by hand (which belong to no account) are not in a single account's projection."]


def _recurring_and_model(session, user_id: int, today: dt.date, steps: int, notes: list[str],
                         recurring: Sequence | None = None, date_format: str = ISO_DATE,
                         account_ids: Sequence[int] | None = None, moved: Collection[str] = (),
                         known=None):
    """(recurring flows, recurring transfers, the "other" model) from the user's (or some accounts', one or more)
    history. For some accounts, the confirmed transfers to and from the others count (``forecast.history_from_db``):
    the one detector finds the recurring ones among those rows alone (rows in a category of ``moved``, the transfer
    categories), and they are known items on their schedule; none is in the model's variable spending or income
    (:func:`split_transfers`). An offered transfer not confirmed yet is income or spending, as everywhere.
    ``known``: what is known about the accounts' balances (``balance_known.last_known``)."""
    from budgetwise.services import cashflow_gaps as G
    from budgetwise.services import cashflow_model as M
    from budgetwise.services import forecast as F

    try:
        history = F.history_from_db(session, user_id=user_id, account_ids=account_ids)
    except F.NotEnoughHistory as exc:
        # no transaction to count, but an old opening or confirmed balance is still old (session 25)
        notes.extend(stale_notes(None, today, date_format, known=known))
        notes.append(f"No variable-spending forecast: {exc.message}")
        return (), (), None
    rest, between = split_transfers(history, moved)
    moving: Sequence = () if between is None else F.detect_known_flows(between, as_of=today, know_gaps=G.KNOW_GAPS)
    if account_ids is not None:
        # the reports' list is per user: one account's (or the spending accounts') rows go through the same detector
        flows: Sequence = F.detect_known_flows(rest, as_of=today, know_gaps=G.KNOW_GAPS)
    elif recurring is not None:  # the caller's list from reports.detect_recurring on today
        flows = F.known_flows_from_recurring(recurring, history.currency)
    else:  # the Reports page's list of recurring income and bills (the one detector)
        flows = F.known_flows_from_db(session, user_id=user_id, history=history, dates=[today],
                                      know_gaps=None).get(today, ())  # as the Reports list (the dashboard's)
    model = M.fit(rest, as_of=today, steps=steps, flows=flows)
    notes.extend(stale_notes(history, today, date_format, history.locale, known=known))
    notes.extend(model_notes(model, history.gap, date_format, history.locale, history.currency))
    return flows, moving, model


def split_transfers(history, moved: Collection[str]):
    """(``history`` without its rows in the categories ``moved``, the transfer categories; those rows alone, or
    None when there are none): money moved between the user's own accounts is never variable spending or income
    (issue #19). Both keep the history's span (first day, newest day)."""
    daily, merchants = history.daily, history.merchants
    if not moved or not daily["category"].isin(moved).any():
        return history, None
    in_daily, in_merchants = daily["category"].isin(moved), merchants["category"].isin(moved)
    return (replace(history, daily=daily[~in_daily].reset_index(drop=True),
                    merchants=merchants[~in_merchants].reset_index(drop=True)),
            replace(history, daily=daily[in_daily].reset_index(drop=True),
                    merchants=merchants[in_merchants].reset_index(drop=True)))


# --------------------------------------------------------------------------- scheduled items (by hand)
# listed, added, edited and removed in :mod:`.cashflow_scheduled` (re-exported above); counted here


def _scheduled_known(session, user_id: int, currency: str, today: dt.date, notes: list[str],
                     scheduled: Sequence[ScheduledView], account_ids: Collection[int] | None = None,
                     single: bool = False, *, rate_notes: list[str] | None = None) -> list[KnownItem]:
    """The ``scheduled`` items a projection of ``account_ids`` counts (:meth:`ScheduledView.counted`), as known items
    in ``currency``; the notes name the items of accounts it leaves out (none: no note, the words as before) and
    those without a rate (added to ``rate_notes`` too)."""
    from budgetwise.services import rates
    from budgetwise.services.cashflow_scope import names_text

    out = []
    conv = rates.Converter(session, currency, user_id=user_id)
    archived = [i for i in scheduled if i.account_archived and replace(i, account_archived=False).counted(account_ids,
                                                                                                         single)]
    if archived:
        notes.append(f"Not projected: {names_text(f'{quoted(i.name)} ({i.account})' for i in archived)}, scheduled for an "
                     "archived account (restore it on the Accounts page to count it again).")
    other = [i for i in scheduled if not single and i.account_id is not None and not i.account_archived
             and not i.counted(account_ids)]
    if other:
        notes.append(f"Scheduled for accounts not counted here, so left out: "
                     f"{names_text(f'{quoted(i.name)} ({i.account})' for i in other)}.")
    for item in (i for i in scheduled if i.counted(account_ids, single)):
        minor = item.amount_minor
        if item.currency != currency:
            conv.prepare([(item.currency, today)])
            converted = conv.convert_minor(minor, item.currency, today)
            if converted is None:
                note = f"No {item.currency} → {currency} rate: the scheduled item {quoted(item.name)} is left out."
                notes.append(note)
                if rate_notes is not None:
                    rate_notes.append(note)
                continue
            minor = converted
        out.append(KnownItem(item.next_date, minor if item.kind == "income" else -minor, item.name, item.cadence))
    return out


