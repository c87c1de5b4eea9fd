"""Monthly budgets: an overall budget and per-category budgets, with optional rollover.

Storage (``Budget`` rows): a row is effective from its ``month`` until a later
row for the same category, so a budget set once is copied forward month to
month until changed; changing it from a month on inserts (or updates) the row
for that month and leaves earlier months as they were. ``category_id`` NULL is
the overall budget. A row with amount 0 means "no budget from this month on":
it ends an earlier budget without rewriting history.

Rollover (per row): unspent budget, or overspending, carries into the next
month for as long as the category's budget has rollover switched on.

Budget vs actual uses the same SQL aggregations as the reports (transfers never
count; spending in other currencies is converted to the user's base currency at
each day's rate, see :mod:`budgetwise.services.rates`). A budget stored in an
earlier base currency (the user changed it later) is converted at the rate of the
first day of the month it applies to; stored amounts are never rewritten.
Amounts that cannot be converted are left out and listed in ``missing_rates``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from budgetwise.dates import add_months, month_end, month_start, month_text
from budgetwise.errors import NotFoundError, ValidationError
from budgetwise.models import Budget, Transaction
from budgetwise.money import format_money, locale_separators
from budgetwise.names import quoted
from budgetwise.periods import MONTH
from budgetwise.services import categories as categories_service
from budgetwise.services import rates
from budgetwise.services.budget_input import amount_minor as _amount_minor
from budgetwise.services.budget_input import month as _month
from budgetwise.services.budget_text import budget_warnings, projection_note
from budgetwise.services.reports import (
    ReportFilter,
    _converted,
    _round_div,
    _scope,
    _where,
    covered_months,
    data_range,
    months_between,
    months_with_data,
)
from budgetwise.services.versions import lock_user_for_import, touch_data
from budgetwise.text import plural_word

OVERALL = "Overall"
PROJECTION_HISTORY_MONTHS = 3  # months of the same days used to project the rest of this month
EDITOR_AVERAGE_MONTHS = 3  # complete months behind the editor's "Avg" column
EDITOR_AVERAGE_LOOKBACK = 12  # how far back (months) it looks for them past months without any transaction


# --------------------------------------------------------------------------- views
@dataclass(frozen=True)
class BudgetSetting:
    """The budget in effect for a category in a month (and since when)."""

    category_id: int | None  # None = the overall monthly budget
    category_name: str
    amount_minor: int
    currency: str
    rollover: bool
    since: dt.date  # the month this amount was set for


@dataclass(frozen=True)
class BudgetInput:
    """One row of a bulk edit: ``amount`` in major units as text or Decimal; empty/None = no budget."""

    category_id: int | None
    amount: object
    rollover: bool = False
    keep_amount: bool = False  # only rollover changed: the amount (and currency) in effect stay, ``amount`` unread


@dataclass(frozen=True)
class BudgetLine:
    category_id: int | None
    category_name: str
    color: str
    budget_minor: int  # this month's budget
    carryover_minor: int  # rolled over from earlier months (negative = overspent)
    spent_minor: int
    projected_minor: int  # expected spending by month end (= spent for past months)
    rollover: bool
    since: dt.date

    @property
    def available_minor(self) -> int:
        return self.budget_minor + self.carryover_minor

    @property
    def remaining_minor(self) -> int:
        """Variance in money: positive = under budget, negative = over."""
        return self.available_minor - self.spent_minor

    @property
    def variance_pct(self) -> float | None:
        """Variance as a percentage of what was available (None when nothing was)."""
        if self.available_minor <= 0:
            return None
        return self.remaining_minor / self.available_minor * 100.0

    @property
    def used_pct(self) -> float | None:
        if self.available_minor <= 0:
            return None if self.spent_minor == 0 else float("inf")
        return self.spent_minor / self.available_minor * 100.0

    @property
    def over_budget(self) -> bool:
        return self.spent_minor > self.available_minor

    @property
    def projected_over(self) -> bool:
        """Not over yet, but spending so far projects past the budget by month end."""
        return not self.over_budget and self.projected_minor > self.available_minor


@dataclass(frozen=True)
class BudgetReport:
    month: dt.date
    currency: str
    today: dt.date
    overall: BudgetLine | None
    lines: tuple[BudgetLine, ...]  # per category, largest budget first
    unbudgeted: tuple[tuple[int | None, str, int], ...]  # (category_id, name, spent) without a budget
    spent_total_minor: int
    other_currencies: tuple[str, ...] = ()  # currencies of this month's transactions besides ``currency``
    missing_rates: tuple[rates.MissingRate, ...] = ()  # amounts left out: no exchange rate
    # the newest transaction's date when it is before this (current) month: the projection is then
    # the whole month expected from earlier months, not "nothing spent so far"
    data_through: dt.date | None = None
    # how many earlier months the projection of this (current) month expects the rest of it from; 0: none
    # (no history, or the data stopped over a year before), so "Projected" is the month's spending so far
    projection_months: int = 0
    # the data is older than this (current) month but none of it is from the months the projection would learn
    # from (it stopped long ago and restarted this month): "Projected" is only what is spent so far, and says so
    projection_gap: bool = False
    # budgets of this month left out for want of a rate: (category, amount, the currency it was set in)
    unconverted: tuple[tuple[str, int, str], ...] = ()

    @property
    def is_current(self) -> bool:
        return month_start(self.today) == self.month

    @property
    def days_in_month(self) -> int:
        return calendar.monthrange(self.month.year, self.month.month)[1]

    @property
    def days_elapsed(self) -> int:
        if self.today < self.month:
            return 0
        if self.today > month_end(self.month):
            return self.days_in_month
        return self.today.day

    @property
    def category_budget_total_minor(self) -> int:
        return sum(line.available_minor for line in self.lines)

    @property
    def budgeted_minor(self) -> int:
        """The headline budget: the overall one (with any rollover), else the sum of the category budgets."""
        return self.overall.available_minor if self.overall else self.category_budget_total_minor

    @property
    def budgeted_spent_minor(self) -> int:
        """What the headline budget is measured against: all spending under an overall budget, else the
        spending of the budgeted categories only. With a $50 Groceries budget and nothing else, the month's
        rent is not "over budget" (QA session 13: "Remaining -$2,209.37, over budget" for $80 over)."""
        return self.overall.spent_minor if self.overall else sum(line.spent_minor for line in self.lines)

    @property
    def over_budget(self) -> list[BudgetLine]:
        items = [line for line in self.lines if line.over_budget]
        if self.overall is not None and self.overall.over_budget:
            items.insert(0, self.overall)
        return items

    @property
    def projected_over(self) -> list[BudgetLine]:
        items = [line for line in self.lines if line.projected_over]
        if self.overall is not None and self.overall.projected_over:
            items.insert(0, self.overall)
        return items

    @property
    def is_empty(self) -> bool:
        return self.overall is None and not self.lines

    def left_out_note(self, locale: str = "en_US") -> str:
        """The budgets of this month left out for want of an exchange rate (set under an earlier base
        currency), in a sentence; "" when none was. Session 14: the Dashboard's card said "No budgets yet"
        beside a €300 budget a GBP user had set while in EUR."""
        if not self.unconverted:
            return ""
        named = ", ".join(f"{name} ({format_money(amount, currency, locale)})" for name, amount, currency in self.unconverted)
        codes = sorted({currency for _, _, currency in self.unconverted})
        return (f"Your {plural_word(len(self.unconverted), 'budget')} for {named} cannot be shown in {self.currency}: "
                f"no {' or '.join(codes)} → {self.currency} rate for {month_text(self.month, locale)}. Add the rate under "
                "Profile → Exchange rates.")


# --------------------------------------------------------------------------- validation
def _category_label(session: Session, user_id: int, category_id: int | None) -> str:
    if category_id is None:
        return OVERALL
    cat = categories_service.get_category(session, user_id=user_id, category_id=category_id)
    if cat.kind != "expense":
        raise ValidationError(
            f"{cat.name} is a{'n' if cat.kind == 'income' else ''} {cat.kind} category: budgets are for spending categories.",
            field="category",
        )
    return cat.name


# --------------------------------------------------------------------------- reading
def _rows_until(session: Session, user_id: int, month: dt.date) -> list[Budget]:
    return list(
        session.scalars(
            select(Budget)
            .where(Budget.user_id == user_id, Budget.month <= month)
            .order_by(Budget.category_id, Budget.month)
        )
    )


def _effective(rows: Iterable[Budget], month: dt.date) -> dict[int | None, Budget]:
    """The row in effect for each category in ``month`` (the latest row at or before it)."""
    out: dict[int | None, Budget] = {}
    for row in rows:
        if row.month <= month and (row.category_id not in out or out[row.category_id].month < row.month):
            out[row.category_id] = row
    return out


def effective_budgets(session: Session, *, user_id: int, month: object) -> list[BudgetSetting]:
    """The budgets in effect for a month (copied forward from the month they were set), overall first.

    Ended budgets (amount 0) are left out.
    """
    target = _month(month)
    scope = _scope(session, user_id)
    effective = _effective(_rows_until(session, user_id, target), target)
    out = [
        BudgetSetting(
            category_id=cid,
            category_name=OVERALL if cid is None else scope.category_name(cid),
            amount_minor=int(row.amount_minor),
            currency=row.currency,
            rollover=bool(row.rollover),
            since=row.month,
        )
        for cid, row in effective.items()
        if row.amount_minor > 0
    ]
    out.sort(key=lambda b: (b.category_id is not None, -b.amount_minor, b.category_name))
    return out


def has_budgets(session: Session, *, user_id: int) -> bool:
    return session.scalar(select(Budget.id).where(Budget.user_id == user_id).limit(1)) is not None


# --------------------------------------------------------------------------- writing
def set_budget(
    session: Session,
    *,
    user_id: int,
    month: object,
    amount: object,
    category_id: int | None = None,
    rollover: bool = False,
    keep_amount: bool = False,
) -> BudgetSetting | None:
    """Set a budget from ``month`` on (copied forward until changed again).

    ``amount`` is in major units (text such as "450.00" or a Decimal); 0 or empty
    ends the budget from this month on. ``category_id`` None is the overall budget.
    Setting the amount already in effect changes nothing. Returns the setting now
    in effect (None when ended). ``keep_amount``: only ``rollover`` is set, on the amount and currency in
    effect (a budget in a currency with no rate to the user's, shown as set: its cell is no amount to read).

    The month's rows are read under the user's lock (session 29): two requests at once setting one month's budget
    both found no row and both inserted (two overall budgets, whose NULL category no unique constraint holds apart;
    a category's second insert failed on the constraint).
    """
    target = _month(month)
    lock_user_for_import(session, user_id)
    label = _category_label(session, user_id, category_id)
    scope = _scope(session, user_id)
    rows = [r for r in _rows_until(session, user_id, target) if r.category_id == category_id]
    at_target = next((r for r in rows if r.month == target), None)
    earlier = _effective([r for r in rows if r.month < target], target).get(category_id)
    currency = scope.currency
    if keep_amount:
        kept = at_target if at_target is not None else earlier
        minor, currency = (kept.amount_minor, kept.currency or currency) if kept is not None else (0, currency)
    elif amount is None or (isinstance(amount, str) and not amount.strip()):
        minor = 0
    else:
        minor = _amount_minor(amount, scope.currency, label=label, decimal_hint=locale_separators(scope.locale)[0])
    # (amount, rollover, currency): a budget set under another base currency differs even at the same number
    earlier_state = (
        (earlier.amount_minor, bool(earlier.rollover), earlier.currency)
        if earlier and earlier.amount_minor > 0 else (0, False, None)
    )
    wanted = (minor, bool(rollover) if minor > 0 else False, currency if minor > 0 else None)
    changed = False
    if wanted == earlier_state:
        # What the earlier months already copy forward: a row for this month is redundant.
        if at_target is not None:
            session.delete(at_target)
            changed = True
        since = earlier.month if earlier is not None else target
    else:
        if at_target is None:
            session.add(
                Budget(
                    user_id=user_id, category_id=category_id, month=target, amount_minor=minor,
                    currency=currency, rollover=wanted[1],
                )
            )
            changed = True
        elif (at_target.amount_minor, bool(at_target.rollover), at_target.currency if at_target.amount_minor else None) != wanted:
            at_target.amount_minor = minor
            at_target.rollover = wanted[1]
            at_target.currency = currency
            changed = True
        since = target
    if changed:
        session.flush()
        touch_data(session, user_id)
    if minor == 0:
        return None
    return BudgetSetting(category_id, label, minor, currency, wanted[1], since)


def save_budgets(session: Session, *, user_id: int, month: object, items: Iterable[BudgetInput]) -> int:
    """Apply a bulk edit for one month (all or nothing). Returns how many budgets changed."""
    target = _month(month)
    lock_user_for_import(session, user_id)  # "before" is what set_budget then changes (session 29)
    before = {
        b.category_id: (b.amount_minor, b.rollover, b.currency)
        for b in effective_budgets(session, user_id=user_id, month=target)
    }
    changed = 0
    seen: set[int | None] = set()
    for item in items:
        if item.category_id in seen:
            raise ValidationError("The same category appears twice in the budget list.", field="category")
        seen.add(item.category_id)
        if not item.keep_amount:
            _refuse_typed_zero(session, user_id, item)
        set_budget(session, user_id=user_id, month=target, amount=item.amount, category_id=item.category_id,
                   rollover=item.rollover, keep_amount=item.keep_amount)
    after = {
        b.category_id: (b.amount_minor, b.rollover, b.currency)
        for b in effective_budgets(session, user_id=user_id, month=target)
    }
    for cid in set(before) | set(after):
        if before.get(cid) != after.get(cid):
            changed += 1
    return changed


def _refuse_typed_zero(session: Session, user_id: int, item: BudgetInput) -> None:
    """A typed "0" / "00" / "0.00" in the editor: refused, naming the category.

    An empty cell is how the editor says "no budget"; a typed zero was either a slip ("00" for
    "100") or meant "no budget", and was silently dropped while the toast counted the save.
    """
    if not isinstance(item.amount, str) or not item.amount.strip():
        return
    scope = _scope(session, user_id)
    label = _category_label(session, user_id, item.category_id)
    minor = _amount_minor(item.amount, scope.currency, label=label, decimal_hint=locale_separators(scope.locale)[0])
    if minor == 0:
        raise ValidationError(
            f"The budget for {label} is {quoted(item.amount.strip())}, which is zero: nothing was saved. "
            "Enter the amount you want to spend at most, or leave the cell empty for no budget.",
            field="amount",
        )


def end_budget(session: Session, *, user_id: int, month: object, category_id: int | None) -> None:
    """Stop a budget from ``month`` on (earlier months keep theirs)."""
    set_budget(session, user_id=user_id, month=month, amount="0", category_id=category_id)


def delete_budget_history(session: Session, *, user_id: int, category_id: int | None) -> int:
    """Remove every budget row of a category, in all months (the budget never existed). The user's lock first
    (session 29: the rows were locked first, against the order of a request setting one of them)."""
    lock_user_for_import(session, user_id)
    if category_id is not None:
        _category_label(session, user_id, category_id)
    clause = Budget.category_id.is_(None) if category_id is None else Budget.category_id == category_id
    result = session.execute(delete(Budget).where(Budget.user_id == user_id, clause))
    touch_data(session, user_id)
    return int(result.rowcount or 0)


# --------------------------------------------------------------------------- budget vs actual
def _spent_by_month(session, scope, date_from: dt.date, date_to: dt.date) -> dict[tuple[int | None, dt.date], int]:
    """{(category, month): spending in the user's currency} (other currencies converted per day)."""
    flt = ReportFilter(date_from=date_from, date_to=date_to)
    sums = _converted(
        session, scope, _where(scope, flt, kind="expense", currency=False), [Transaction.category_id], time="month"
    )
    return {(cid, month): total for (cid, month), (total, _) in sums.items()}


def _budget_minor(scope, row: Budget, month: dt.date) -> int | None:
    """A stored budget amount in the user's currency (a budget set under an earlier base currency is
    converted at the rate of the month's first day); None when that rate is missing (noted)."""
    if row.currency == scope.currency or row.amount_minor == 0:
        return int(row.amount_minor)
    value = scope.fx.convert_minor(int(row.amount_minor), row.currency, month)
    if value is None:
        scope.fx.note_missing(row.currency, month, int(row.amount_minor), 0)
    return value


def _expected_rest(
    session, scope, month: dt.date, day: int, first_data: dt.date | None, last_data: dt.date | None = None
) -> tuple[dict[int | None, int], int]:
    """Average spending per category after day ``day`` of the previous months (same days); only
    months the data covers to their end count (a month after ``last_data``'s is skipped).

    A month with no transaction at all is not in the data either (a history that stopped long ago and
    restarted this month): counted as nothing spent, its zeros made "Projected" the spending so far (session 20).

    Returns ({category: expected rest of month}, how many months it is based on).
    """
    ranges = []
    covered = covered_months(month, first_data, last_data, PROJECTION_HISTORY_MONTHS)
    for m in months_with_data(session, user_id=scope.user_id, months=covered):
        last = month_end(m)
        start = min(m + dt.timedelta(days=day), last + dt.timedelta(days=1))
        ranges.append((start, last))
    if not ranges:
        return {}, 0
    clauses = [and_(Transaction.date >= a, Transaction.date <= b) for a, b in ranges if a <= b]
    if not clauses:
        return {}, len(ranges)
    sums = _converted(
        session, scope, [*_where(scope, ReportFilter(), kind="expense", currency=False), or_(*clauses)],
        [Transaction.category_id],
    )
    n = len(ranges)
    return {cid: total // n for (cid,), (total, _) in sums.items()}, n


@dataclass(frozen=True)
class _Spent:
    """Spending in the user's currency per (category, month); category None sums every category."""

    by_month: dict[tuple[int | None, dt.date], int]

    def of(self, cid: int | None, month: dt.date) -> int:
        if cid is None:
            return sum(v for (c, m), v in self.by_month.items() if m == month)
        return self.by_month.get((cid, month), 0)


def _carryover(scope, rows: list[Budget], cid: int | None, target: dt.date, spent: _Spent, gaps=frozenset()) -> int:
    """What a rolling budget carries into ``target``: from the category's first budget row up to
    last month, each month's budget minus its spending; a month without a rolling budget starts over; a month
    in ``gaps`` (missing from the data: :func:`reports.months_with_data`) leaves it as it was (session 27)."""
    cat_rows = [r for r in rows if r.category_id == cid]
    if not cat_rows:
        return 0
    carry = 0
    for m in MONTH.range(cat_rows[0].month, add_months(target, -1)) if cat_rows[0].month < target else []:
        row = _effective(cat_rows, m).get(cid)
        if row is None or not row.rollover or row.amount_minor == 0:
            carry = 0
        elif m not in gaps:
            carry = (_budget_minor(scope, row, m) or 0) + carry - spent.of(cid, m)
    return carry


@dataclass(frozen=True)
class _Projection:
    """Spending by the month's end. While the month runs: spending so far plus the category's average
    spending in the rest of the month over the previous months (``expected``), or linear without
    history. A past month (or its last day) projects its actual spending."""

    running: tuple[int, int] | None  # (today's day, days in the month) while the month runs
    expected: dict[int | None, int]
    history_months: int
    data_through: dt.date | None = None  # set when the newest transaction is before this month
    # older data, none in the months before this one: only the spending so far, and the note says it cannot
    # project (run on at this month's pace, a rent paid on the 1st projected five rents on the 6th: session 20)
    gap: bool = False

    def of(self, cid: int | None, spent_now: int) -> int:
        if self.running is None or self.gap:
            return spent_now
        if self.history_months:
            rest = sum(self.expected.values()) if cid is None else self.expected.get(cid, 0)
            return spent_now + rest
        day, days_in_month = self.running
        return spent_now * days_in_month // max(1, day)


def _projection(session: Session, scope, user_id: int, target: dt.date, today: dt.date) -> _Projection:
    days_in_month = MONTH.end(target).day
    if MONTH.start(today) != target or today.day >= days_in_month:
        return _Projection(None, {}, 0)
    first_data, last_data = data_range(session, user_id=user_id)
    if last_data is not None and last_data < target:
        # Nothing of this month is in the data yet (the newest transaction is older): its days so
        # far are unknown, not zero, so the whole month is expected from the months the data covers.
        expected, history_months = _expected_rest(session, scope, target, 0, first_data, last_data)
        return _Projection((today.day, days_in_month), expected, history_months, last_data)
    expected, history_months = _expected_rest(session, scope, target, today.day, first_data)
    gap = not history_months and first_data is not None and first_data < target
    return _Projection((today.day, days_in_month), expected, history_months, gap=gap)


def _other_currencies(session: Session, user_id: int, scope, target: dt.date) -> tuple[str, ...]:
    """The currencies other than the user's among the month's transactions."""
    others = session.scalars(
        select(Transaction.currency)
        .where(
            Transaction.user_id == user_id,
            Transaction.date >= target,
            Transaction.date <= MONTH.end(target),
            Transaction.currency != scope.currency,
        )
        .distinct()
    ).all()
    return tuple(sorted(others))


def budget_report(session: Session, *, user_id: int, month: object, today: dt.date | None = None) -> BudgetReport:
    """Budget vs actual for a month: per category and overall, with carry-over and projection.

    For the current month the projection is spending so far plus what the same
    category spent, on average, in the rest of the month over the previous
    three months (so rent paid on the 1st does not project to 30 rents); with no
    history it extrapolates linearly. Past months project their actual spending.
    """
    target = _month(month)
    today = today or dt.date.today()
    scope = _scope(session, user_id)
    rows = _rows_until(session, user_id, target)
    effective = {cid: row for cid, row in _effective(rows, target).items() if row.amount_minor > 0}
    amounts = {cid: _budget_minor(scope, row, target) for cid, row in effective.items()}
    unconverted = tuple((OVERALL if cid is None else scope.category_name(cid), int(row.amount_minor), row.currency)
                        for cid, row in effective.items() if amounts[cid] is None)
    effective = {cid: row for cid, row in effective.items() if amounts[cid] is not None}  # no rate: noted

    # Rollover chains: from the first budget row of a rolling category up to last month.
    rolling = [cid for cid, row in effective.items() if row.rollover]
    chain_start = min(r.month for r in rows if r.category_id in rolling) if rolling else None
    spend_from = min(chain_start, target) if chain_start else target
    spent = _Spent(_spent_by_month(session, scope, spend_from, MONTH.end(target)))
    chain = MONTH.range(chain_start, add_months(target, -1)) if chain_start and chain_start < target else []
    gaps = frozenset(chain) - set(months_with_data(session, user_id=scope.user_id, months=chain))  # not zero spent
    projection = _projection(session, scope, user_id, target, today)

    def line(cid: int | None, row: Budget) -> BudgetLine:
        spent_now = spent.of(cid, target)
        return BudgetLine(
            category_id=cid,
            category_name=OVERALL if cid is None else scope.category_name(cid),
            color="#607d8b" if cid is None else scope.category_color(cid),
            budget_minor=int(amounts[cid]),
            carryover_minor=_carryover(scope, rows, cid, target, spent, gaps) if row.rollover else 0,
            spent_minor=spent_now,
            projected_minor=projection.of(cid, spent_now),
            rollover=bool(row.rollover),
            since=row.month,
        )

    overall = line(None, effective[None]) if None in effective else None
    lines = [line(cid, row) for cid, row in effective.items() if cid is not None]
    lines.sort(key=lambda item: (-item.available_minor, item.category_name))
    budgeted = {line_.category_id for line_ in lines}
    unbudgeted = sorted(
        (
            (cid, scope.category_name(cid), amount)
            for (cid, m), amount in spent.by_month.items()
            if m == target and cid not in budgeted and amount > 0
        ),
        key=lambda t: -t[2],
    )
    return BudgetReport(
        month=target,
        currency=scope.currency,
        today=today,
        overall=overall,
        lines=tuple(lines),
        unbudgeted=tuple(unbudgeted),
        spent_total_minor=spent.of(None, target),
        other_currencies=_other_currencies(session, user_id, scope, target),
        missing_rates=scope.missing_rates,
        data_through=projection.data_through,
        projection_months=projection.history_months,
        projection_gap=projection.gap,
        unconverted=unconverted,
    )


def report_frame(report: BudgetReport) -> pd.DataFrame:
    """The budget lines as a table (overall first) for display and export."""
    items = ([report.overall] if report.overall else []) + list(report.lines)
    records = [
        {
            "category_id": b.category_id,
            "category": b.category_name,
            "budget_minor": b.budget_minor,
            "carryover_minor": b.carryover_minor,
            "available_minor": b.available_minor,
            "spent_minor": b.spent_minor,
            "remaining_minor": b.remaining_minor,
            "variance_pct": float("nan") if b.variance_pct is None else b.variance_pct,
            "used_pct": float("nan") if b.used_pct is None else b.used_pct,
            "projected_minor": b.projected_minor,
            "over_budget": b.over_budget,
            "projected_over": b.projected_over,
            "rollover": b.rollover,
            "since": b.since,
        }
        for b in items
    ]
    columns = [
        "category_id", "category", "budget_minor", "carryover_minor", "available_minor", "spent_minor",
        "remaining_minor", "variance_pct", "used_pct", "projected_minor", "over_budget", "projected_over",
        "rollover", "since",
    ]
    df = pd.DataFrame.from_records(records, columns=columns)
    for column in columns:
        if column.endswith("_minor"):
            df[column] = df[column].astype("int64")
    df["category_id"] = df["category_id"].astype(object)
    return df


def budget_history(session: Session, *, user_id: int, months: int = 6, today: dt.date | None = None) -> pd.DataFrame:
    """Overall budget vs spending for the last ``months`` months (for a chart).

    Columns: month, budget_minor (the overall budget, or the sum of category
    budgets when there is no overall one; 0 without budgets), spent_minor (all
    spending under an overall budget or without budgets; else the spending of the
    budgeted categories, what their sum is compared with).
    """
    today = today or dt.date.today()
    last = month_start(today)
    first = add_months(last, -(max(1, int(months)) - 1))
    scope = _scope(session, user_id)
    rows = _rows_until(session, user_id, last)
    spent = _spent_by_month(session, scope, first, month_end(last))
    records = []
    for m in months_between(first, last):
        eff = {cid: r for cid, r in _effective(rows, m).items() if r.amount_minor > 0}
        if None in eff:
            budget = _budget_minor(scope, eff[None], m) or 0
            spent_m = sum(v for (c, mm), v in spent.items() if mm == m)
        else:  # category budgets only: measured against those categories' spending, not the whole month's
            budget = sum(_budget_minor(scope, r, m) or 0 for r in eff.values())
            spent_m = sum(v for (c, mm), v in spent.items() if mm == m and (not eff or c in eff))
        records.append({"month": m, "budget_minor": int(budget), "spent_minor": int(spent_m)})
    df = pd.DataFrame.from_records(records, columns=["month", "budget_minor", "spent_minor"])
    df["budget_minor"] = df["budget_minor"].astype("int64")
    df["spent_minor"] = df["spent_minor"].astype("int64")
    df.attrs["missing_rates"] = scope.missing_rates
    return df


def editor_rows(session: Session, *, user_id: int, month: object, today: dt.date | None = None) -> pd.DataFrame:
    """Every spending category with its budget in effect for ``month``, for a bulk editor.

    Columns: category_id, category, amount_minor (nullable: no budget, or none that can be shown), left_out
    ((amount_minor, currency) as set, for a budget with no rate to the user's currency; else None), rollover,
    since, average_minor (average monthly spending over the last three months
    before ``month`` that the data covers to their end, :func:`reports.covered_months`:
    a month the data stops inside is left out, its rest is not yet imported, and so is
    a month without any transaction of the user's (a gap in the data, not a month of
    nothing spent), at most a year back from the data's last month; fewer when the data is younger, 0 without any; ``df.attrs["average_months"]`` names them), spent_minor (spent in ``month``). The overall budget is the first
    row (category_id None).
    """
    target = _month(month)
    scope = _scope(session, user_id)
    effective = {b.category_id: b for b in effective_budgets(session, user_id=user_id, month=target)}
    cats = sorted(
        ((cid, info[0]) for cid, info in scope.categories.items() if info[2] == "expense"),
        key=lambda c: c[1].casefold(),
    )
    # hide archived categories unless they carry a budget
    visible = {c.id for c in categories_service.list_categories(session, user_id=user_id)}
    cats = [c for c in cats if c[0] in visible or c[0] in effective]
    first_data, last_data = data_range(session, user_id=user_id)
    # a complete month without a single transaction of the user's (a gap: the data stopped, then resumed) is not a
    # month of nothing spent: the average is of the newest months that hold some, at most a year back (session 21)
    # an old export: its last complete months, named in the heading, not no figure (session 29)
    before = target if last_data is None else min(target, add_months(month_start(last_data), 1))
    covered = covered_months(before, first_data, last_data, EDITOR_AVERAGE_LOOKBACK)
    basis = months_with_data(session, user_id=scope.user_id, months=covered)[
        :EDITOR_AVERAGE_MONTHS]
    spent = _spent_by_month(session, scope, basis[-1] if basis else target, month_end(target))
    records = []
    for cid, name in [(None, OVERALL), *cats]:
        setting = effective.get(cid)
        history = [
            sum(v for (c, m), v in spent.items() if m == earlier and (cid is None or c == cid)) for earlier in basis
        ]
        amount = _setting_minor(scope, setting, target) if setting else None
        records.append(
            {
                "category_id": cid,
                "category": name,
                "amount_minor": amount,
                # a budget in effect that cannot be shown in the user's currency (no rate): as it was set, so the
                # editor shows it rather than an empty cell, which reads (and saves) as "no budget" (session 15)
                "left_out": (setting.amount_minor, setting.currency) if setting and amount is None else None,
                "rollover": bool(setting.rollover) if setting else False,
                "since": setting.since if setting else None,
                "average_minor": _round_div(sum(history), len(basis)),  # Reports' rounding (session 22: it cut the cents)
                "spent_minor": sum(v for (c, m), v in spent.items() if m == target and (cid is None or c == cid)),
            }
        )
    df = pd.DataFrame.from_records(
        records, columns=["category_id", "category", "amount_minor", "left_out", "rollover", "since", "average_minor",
                          "spent_minor"]
    )
    df["amount_minor"] = df["amount_minor"].astype("Int64")
    df["category_id"] = df["category_id"].astype(object)
    for column in ("average_minor", "spent_minor"):
        df[column] = df[column].astype("int64")
    df.attrs["missing_rates"] = scope.missing_rates
    df.attrs["average_months"] = tuple(reversed(basis))  # oldest first; () without a complete month in the data
    return df


def _setting_minor(scope, setting: BudgetSetting, month: dt.date) -> int | None:
    """A budget in effect, in the user's currency (converted when it was set under another one)."""
    if setting.currency == scope.currency:
        return setting.amount_minor
    value = scope.fx.convert_minor(setting.amount_minor, setting.currency, month)
    if value is None:
        scope.fx.note_missing(setting.currency, month, setting.amount_minor, 0)
    return value


def get_budget(session: Session, *, user_id: int, month: object, category_id: int | None) -> BudgetSetting:
    """The budget in effect for one category (NotFoundError when there is none)."""
    for setting in effective_budgets(session, user_id=user_id, month=month):
        if setting.category_id == category_id:
            return setting
    raise NotFoundError("There is no budget for that category in this month.", field="category")


__all__ = [
    "OVERALL", "BudgetInput", "BudgetLine", "BudgetReport", "BudgetSetting", "budget_history", "budget_report",
    "budget_warnings", "delete_budget_history", "effective_budgets", "end_budget", "get_budget", "has_budgets",
    "editor_rows", "projection_note", "report_frame", "save_budgets", "set_budget",
]
