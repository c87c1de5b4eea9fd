"""Savings goals: plans, contributions, and the forecast of reaching them.

A goal has a name, a target amount, a target date and an amount already saved when it was set up; contributions
(positive) and withdrawals (negative) are recorded over time. For each goal the service computes what is left, the
time left and the saving needed per day, week and month (rounded up to the minor unit, so saving that much does
reach the target).

The forecast of achievement (:func:`project_goal`) takes the user's net-savings forecast (income minus expenses,
from :mod:`budgetwise.services.forecast`) and its interval, assumes a share of the future net savings goes to the
goal, and gives the projected date, the probability of reaching the target by the target date (normal
approximation of the cumulative savings, with month-to-month errors partly persisting, mixed over past one-off
shortfalls) in words and as data for a chart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from statistics import NormalDist

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from budgetwise.dates import ISO_DATE, day_text, month_end, parse_date
from budgetwise.errors import ConflictError, NotFoundError, ValidationError
from budgetwise.models import Goal, GoalContribution
from budgetwise.money import MAX_AMOUNT, format_money, parse_decimal, to_minor
from budgetwise.names import clean_name, quoted, same_name
from budgetwise.services import goal_stats
from budgetwise.services.goal_accounts import linked_for_goals
from budgetwise.services.goal_contribution_input import contribution_input
from budgetwise.services.goal_contribution_input import refuse_machine_number as _refuse_machine_number
from budgetwise.services.goal_currency import NO_RATE_TEXT, in_goal_currency, missing_pace_rate, pace_in_currency
from budgetwise.services.goal_text import LIKELIHOOD_WORDS, chance_text, likelihood_words  # noqa: F401 (re-exported)
from budgetwise.services.goal_text import explain as _explain
from budgetwise.services.goal_text import summary as goal_summary
from budgetwise.services.profile import user_currency, user_decimal_separator, user_formats, user_locale
from budgetwise.services.versions import count_under_user_lock, lock_user_for_import, read_under_user_lock
from budgetwise.text import plural

DAYS_PER_MONTH = Decimal("30.436875")  # 365.2425 / 12: an average month, to turn a 90-day sum into a pace only
MAX_YEARS_AHEAD = 50
MIN_CONTRIBUTION_DATE = dt.date(1950, 1, 1)
MAX_NAME = 100
MAX_NOTE = 200
MAX_GOALS = 200  # one household's goals, archived ones included (session 21: none was the limit)
MAX_CONTRIBUTIONS = 20_000  # every goal's together: a weekly one for 50 years is 2,600
PACE_DAYS = 90  # the "current saving pace" looks at this many days
PACE_MONTHS = 3  # complete months in the data behind the net-savings pace
DEFAULT_ERROR_CORRELATION = goal_stats.DEFAULT_ERROR_CORRELATION
ALTERNATIVE_MONTHS = (6, 12, 24)


# --------------------------------------------------------------------------- views
@dataclass(frozen=True)
class GoalView:
    id: int
    name: str
    currency: str
    target_minor: int
    target_date: dt.date
    initial_saved_minor: int
    contributed_minor: int
    is_archived: bool
    today: dt.date
    # a linked savings account (issue #19, services/goal_accounts): progress is its balance (note: a missing rate)
    account_id: int | None = None
    account_name: str | None = None
    account_balance_minor: int | None = None
    account_note: str = ""

    @property
    def saved_minor(self) -> int:
        if self.account_id is not None and self.account_balance_minor is not None:
            return self.account_balance_minor
        return self.initial_saved_minor + self.contributed_minor

    @property
    def remaining_minor(self) -> int:
        return max(0, self.target_minor - self.saved_minor)

    @property
    def progress(self) -> float:
        """Share of the target saved, 0..1 (for a progress bar)."""
        return max(0.0, min(1.0, self.saved_minor / self.target_minor)) if self.target_minor else 0.0

    @property
    def progress_percent(self) -> int:
        """Whole percent of the target saved, 0..100, rounded down (exact, from minor units): a goal
        shows 100% only when it is reached. The one figure the table and the progress bar show
        (formatted by ``ui.format.percent``)."""
        if self.target_minor <= 0:
            return 100 if self.reached else 0
        return max(0, min(100, self.saved_minor * 100 // self.target_minor))

    @property
    def reached(self) -> bool:
        return self.saved_minor >= self.target_minor

    @property
    def days_left(self) -> int:
        return (self.target_date - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.reached and self.days_left <= 0

    def _calendar_months(self) -> tuple[int, int, int]:
        """(whole months, days after them, days of the next month) between today and the target date.

        Whole months count from today's day of the month (relativedelta: Jan 31 + 1 month = Feb 28);
        the remaining days are a fraction of the calendar month that follows them.
        """
        if self.days_left <= 0:
            return 0, 0, 1
        delta = relativedelta(self.target_date, self.today)
        whole = delta.years * 12 + delta.months
        anchor = self.today + relativedelta(months=whole)
        month_days = (self.today + relativedelta(months=whole + 1) - anchor).days
        return whole, (self.target_date - anchor).days, month_days

    @property
    def months_left(self) -> float:
        """Calendar months left: the whole months plus the remaining days as a fraction of the
        calendar month after them (exactly N for a target date N calendar months away)."""
        whole, days, month_days = self._calendar_months()
        return whole + days / month_days

    @property
    def whole_months_left(self) -> int:
        """Complete calendar months between today and the target date."""
        return self._calendar_months()[0]

    def _per(self, days: Decimal) -> int | None:
        if self.reached or self.days_left <= 0:
            return None
        return _ceil_div(Decimal(self.remaining_minor) * days, Decimal(self.days_left))

    @property
    def per_day_minor(self) -> int | None:
        return self._per(Decimal(1))

    @property
    def per_week_minor(self) -> int | None:
        return self._per(Decimal(7))

    @property
    def per_month_minor(self) -> int | None:
        """Remaining amount / ``months_left`` (calendar months), rounded UP to the minor unit, never
        down, so that saving it every month reaches the target: $1,765.44 in exactly 12 calendar
        months is $147.12 a month (an average 30.44-day month gave $147.22; QA 2026-12-04).
        Computed in integers (exact); None when reached or the date is not in the future."""
        if self.reached or self.days_left <= 0:
            return None
        whole, days, month_days = self._calendar_months()
        return -(-self.remaining_minor * month_days // (whole * month_days + days))


@dataclass(frozen=True)
class ContributionView:
    id: int
    goal_id: int
    date: dt.date
    amount_minor: int  # negative = withdrawal
    note: str


@dataclass(frozen=True)
class DateAlternatives:
    """What to suggest when a target date is not in the future."""

    remaining_minor: int
    pace_per_month_minor: int | None  # None: no positive saving pace
    pace_source: str  # "contributions" / "net savings" / ""
    reach_date: dt.date | None  # at the current pace
    options: tuple[tuple[dt.date, int], ...]  # (later date, monthly amount needed)
    pace_months: int = 0  # complete months in the data behind a "net savings" pace
    missing_rate: str = ""  # net savings had a pace but no rate into the goal's currency: the rate, named


def _ceil_div(numerator: Decimal, denominator: Decimal) -> int:
    return int((numerator / denominator).to_integral_value(rounding=ROUND_CEILING))


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


# --------------------------------------------------------------------------- validation
def _validate_name(session: Session, user_id: int, name: str, *, exclude_id: int | None = None) -> str:
    value = clean_name(name, what="goal", limit=MAX_NAME, missing="Give the goal a name (for example “Emergency fund”).")
    stmt = select(Goal.id, Goal.name).where(Goal.user_id == user_id, Goal.is_archived.is_(False))
    # under the user's lock: two requests at once (two tabs' "Restore", two new goals) cannot both find it free
    taken = same_name(value, [(i, n) for i, n in read_under_user_lock(session, user_id, stmt)],
                      exclude_id=exclude_id)
    if taken is not None:
        raise ConflictError(f"You already have a goal called {quoted(taken[1])}: choose another name.", field="name")
    return value


def _amount_minor(
    value: object, currency: str, *, field: str, allow_zero: bool = False, decimal_hint: str | None = None
) -> int:
    try:
        return _parse_amount(value, currency, field=field, allow_zero=allow_zero, decimal_hint=decimal_hint)
    except ValidationError as exc:
        if exc.field == field:
            raise
        raise ValidationError(exc.message, field=field) from None


def _parse_amount(value: object, currency: str, *, field: str, allow_zero: bool, decimal_hint: str | None = None) -> int:
    _refuse_machine_number(value, field)
    if isinstance(value, Decimal):
        value, decimal_hint = format(value, "f"), "."
    text = str(value if value is not None else "").strip()
    if allow_zero and text in ("", "0", "0.0", "0.00"):
        return 0
    if allow_zero:
        number = parse_decimal(text, field=field, decimal_hint=decimal_hint)
        if number < 0:
            raise ValidationError("The amount already saved cannot be negative.", field=field)
        if number > MAX_AMOUNT:
            raise ValidationError(f"The amount already saved {quoted(text)} is implausibly large.", field=field)
        return to_minor(number, currency, field=field)
    number = parse_decimal(text, field=field, decimal_hint=decimal_hint)  # in words of a target, not of a transaction (QA 13)
    if number <= 0:
        raise ValidationError("The target amount must be more than zero.", field=field)
    if number > MAX_AMOUNT:
        raise ValidationError(f"The target amount {quoted(text)} is implausibly large (at most {MAX_AMOUNT:,}).", field=field)
    return to_minor(number, currency, typed=text, field=field)


# --------------------------------------------------------------------------- pace & alternatives
def net_savings_pace(session: Session, *, user_id: int, today: dt.date | None = None) -> int | None:
    """Average monthly net savings (income - expenses, transfers excluded) of the last 3 complete months in
    the data (:func:`reports.covered_months`: a month the data stops inside, e.g. a file ending on 21
    November seen on 5 December, is left out, its salary may not be imported yet; fewer months when the data
    is younger). None without such a month or when the average is not positive.

    In the user's base currency: amounts in other currencies are converted at each day's rate
    (``transactions.period_summary``); those without a rate are left out.
    """
    return _net_savings_pace(session, user_id=user_id, today=today)[0]


def _net_savings_pace(session: Session, *, user_id: int, today: dt.date | None = None) -> tuple[int | None, int]:
    """(:func:`net_savings_pace`, how many months it averages)."""
    from budgetwise.services.reports import covered_months, data_range
    from budgetwise.services.transactions import period_summary

    first_data, last_data = data_range(session, user_id=user_id)
    months = covered_months(_today(today), first_data, last_data, PACE_MONTHS)
    if not months:
        return None, 0
    summary = period_summary(session, user_id=user_id, date_from=months[-1], date_to=month_end(months[0]))
    if summary.count == 0:
        return None, 0
    net = summary.net_minor
    return (_ceil_div(Decimal(net), Decimal(len(months))) if net > 0 else None), len(months)


def contribution_pace(session: Session, *, user_id: int, goal_id: int, today: dt.date | None = None) -> int | None:
    """Monthly pace of the goal's net contributions over the last 90 days (None when not positive)."""
    today = _today(today)
    total = session.scalar(
        select(func.sum(GoalContribution.amount_minor)).where(
            GoalContribution.user_id == user_id,
            GoalContribution.goal_id == goal_id,
            GoalContribution.date > today - dt.timedelta(days=PACE_DAYS),
            GoalContribution.date <= today,
        )
    )
    total = int(total or 0)
    if total <= 0:
        return None
    return int((Decimal(total) * DAYS_PER_MONTH / Decimal(PACE_DAYS)).to_integral_value(rounding=ROUND_CEILING))


def _reach_date(remaining: int, pace: int | None, today: dt.date) -> dt.date | None:
    """The first day by which ``pace`` a calendar month has saved ``remaining``: the whole months from
    today's day of the month, then the rest as a fraction of the calendar month after them, as
    ``GoalView.per_month_minor`` and the 6/12/24-month alternatives count months (so saving exactly an
    alternative's amount reaches it on that alternative's date; an average 30.44-day month said one
    day later for 12 months: 366 days, and 3 days later from a 4 February for one month)."""
    if remaining <= 0:
        return today
    if not pace or pace <= 0:
        return None
    whole, rest = divmod(remaining, pace)
    if whole > 12 * MAX_YEARS_AHEAD:
        return None
    anchor = today + relativedelta(months=whole)
    if rest:
        month_days = (today + relativedelta(months=whole + 1) - anchor).days
        anchor += dt.timedelta(days=-(-rest * month_days // pace))  # rounded up: the day it is reached
    return None if (anchor - today).days > 366 * MAX_YEARS_AHEAD else anchor


def date_alternatives(
    session: Session, *, user_id: int, remaining_minor: int, goal_id: int | None = None, today: dt.date | None = None,
    currency: str | None = None,
) -> DateAlternatives:
    """The date the goal is reached at the current pace, and monthly amounts for later dates (in ``currency``, the
    goal's; the net-savings pace is converted into it at today's rate: none without one, session 19)."""
    today = _today(today)
    pace, source, pace_months, missing_rate = None, "", 0, ""
    if goal_id is not None:
        pace = contribution_pace(session, user_id=user_id, goal_id=goal_id, today=today)
        source = "contributions" if pace else ""
    if pace is None:
        base_pace, pace_months = _net_savings_pace(session, user_id=user_id, today=today)
        pace = pace_in_currency(session, user_id=user_id, minor=base_pace, currency=currency, today=today)
        source = "net savings" if pace else ""
        if base_pace and pace is None and currency:
            missing_rate = missing_pace_rate(session, user_id=user_id, currency=currency, today=today)
    options = []
    for months in ALTERNATIVE_MONTHS:
        when = today + relativedelta(months=months)
        options.append((when, -(-remaining_minor // months)))  # N calendar months: as GoalView.per_month_minor
    return DateAlternatives(remaining_minor, pace, source, _reach_date(remaining_minor, pace, today), tuple(options),
                            pace_months, missing_rate)


def _past_date_error(
    session: Session, *, user_id: int, target_date: dt.date, remaining_minor: int, currency: str,
    goal_id: int | None, today: dt.date,
) -> ValidationError:
    alt = date_alternatives(session, user_id=user_id, remaining_minor=remaining_minor, goal_id=goal_id, today=today,
                            currency=currency)
    locale, fmt = user_formats(session, user_id)
    when = "today" if target_date == today else f"in the past ({day_text(target_date, fmt, locale)})"
    parts = [f"The target date is {when}: a goal needs a date after today ({day_text(today, fmt, locale)}) to plan "
             "the saving."]
    if remaining_minor <= 0:
        parts.append("You have already saved the whole amount, so any later date works.")
    elif alt.reach_date is not None and alt.pace_per_month_minor:
        n = alt.pace_months
        source = ("your contributions of the last three months" if alt.pace_source == "contributions" else
                  f"your net savings in your last {plural(n, 'complete month')} of data")
        parts.append(
            f"At your current saving pace ({format_money(alt.pace_per_month_minor, currency, locale)} a month, from {source}"
            f") you would reach it on {day_text(alt.reach_date, fmt, locale)}."
        )
    elif alt.missing_rate:  # the pace exists in the base currency: the rate is missing, not the savings
        parts.append(f"Your net savings are in your base currency and this goal is in {currency}: with {alt.missing_rate} "
                     "(add it under Profile → Exchange rates) the date they would reach it cannot be worked out.")
    else:
        parts.append("At your current pace (no net savings over the last three months) it would not be reached.")
    if remaining_minor > 0:
        options = "; ".join(f"by {day_text(d, fmt, locale)}: {format_money(m, currency, locale)} a month"
                            for d, m in alt.options)
        parts.append(f"Or choose a later date and save: {options}.")
    return ValidationError(" ".join(parts), field="target_date")


def latest_target_date(today: dt.date | None = None) -> dt.date:
    """The latest target date a goal may have (the page's date picker stops there too)."""
    return _today(today) + relativedelta(years=MAX_YEARS_AHEAD)


def contribution_date_limits(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest date of a contribution (1950 to today); the page's picker uses these."""
    return MIN_CONTRIBUTION_DATE, _today(today)


def _check_target_date(
    session: Session, *, user_id: int, target_date: dt.date, remaining_minor: int, currency: str,
    goal_id: int | None, today: dt.date,
) -> None:
    if target_date <= today:
        raise _past_date_error(
            session, user_id=user_id, target_date=target_date, remaining_minor=remaining_minor, currency=currency,
            goal_id=goal_id, today=today,
        )
    latest = latest_target_date(today)
    if target_date > latest:
        locale, fmt = user_formats(session, user_id)
        raise ValidationError(
            f"The target date {day_text(target_date, fmt, locale)} is more than {MAX_YEARS_AHEAD} years away: choose "
            f"a date from tomorrow to {day_text(latest, fmt, locale)}.", field="target_date"
        )


# --------------------------------------------------------------------------- reads
def _owned_goal(session: Session, user_id: int, goal_id: int) -> Goal:
    goal = session.scalar(select(Goal).where(Goal.id == goal_id, Goal.user_id == user_id))
    if goal is None:
        raise NotFoundError("That goal does not exist.", field="goal")
    return goal


def _contributed(session: Session, user_id: int, goal_ids: list[int]) -> dict[int, int]:
    if not goal_ids:
        return {}
    stmt = (
        select(GoalContribution.goal_id, func.sum(GoalContribution.amount_minor))
        .where(GoalContribution.user_id == user_id, GoalContribution.goal_id.in_(goal_ids))
        .group_by(GoalContribution.goal_id)
    )
    return {gid: int(total or 0) for gid, total in session.execute(stmt)}


def _view(goal: Goal, contributed: int, today: dt.date, linked=None) -> GoalView:
    link = {} if linked is None else {"account_id": linked.account_id, "account_name": linked.account_name,
                                      "account_balance_minor": linked.balance_minor, "account_note": linked.note}
    return GoalView(
        **link,
        id=goal.id,
        name=goal.name,
        currency=goal.currency,
        target_minor=int(goal.target_minor),
        target_date=goal.target_date,
        initial_saved_minor=int(goal.initial_saved_minor),
        contributed_minor=int(contributed),
        is_archived=bool(goal.is_archived),
        today=today,
    )


def list_goals(
    session: Session, *, user_id: int, include_archived: bool = False, today: dt.date | None = None
) -> list[GoalView]:
    """The user's goals, nearest target date first."""
    today = _today(today)
    stmt = select(Goal).where(Goal.user_id == user_id)
    if not include_archived:
        stmt = stmt.where(Goal.is_archived.is_(False))
    goals = list(session.scalars(stmt.order_by(Goal.target_date, Goal.id)))
    sums = _contributed(session, user_id, [g.id for g in goals])
    linked = linked_for_goals(session, user_id=user_id, goals=goals, today=today)
    return [_view(g, sums.get(g.id, 0), today, linked.get(g.id)) for g in goals]


def get_goal(session: Session, *, user_id: int, goal_id: int, today: dt.date | None = None) -> GoalView:
    goal = _owned_goal(session, user_id, goal_id)
    linked = linked_for_goals(session, user_id=user_id, goals=[goal], today=_today(today)).get(goal.id)
    return _view(goal, _contributed(session, user_id, [goal.id]).get(goal.id, 0), _today(today), linked)


def list_contributions(session: Session, *, user_id: int, goal_id: int) -> list[ContributionView]:
    """Contributions and withdrawals of one goal, newest first."""
    _owned_goal(session, user_id, goal_id)
    stmt = (
        select(GoalContribution)
        .where(GoalContribution.user_id == user_id, GoalContribution.goal_id == goal_id)
        .order_by(GoalContribution.date.desc(), GoalContribution.id.desc())
    )
    return [ContributionView(c.id, c.goal_id, c.date, int(c.amount_minor), c.note) for c in session.scalars(stmt)]


# --------------------------------------------------------------------------- writes
def create_goal(
    session: Session,
    *,
    user_id: int,
    name: str,
    target: object,
    target_date: object,
    already_saved: object = "0",
    today: dt.date | None = None,
) -> GoalView:
    """Create a goal. A target date today or earlier is refused with alternatives."""
    today = _today(today)
    currency = user_currency(session, user_id)
    clean_name = _validate_name(session, user_id, name)
    hint = user_decimal_separator(session, user_id)
    target_minor = _amount_minor(target, currency, field="target", decimal_hint=hint)
    saved_minor = _amount_minor(already_saved, currency, field="already_saved", allow_zero=True, decimal_hint=hint)
    day = parse_date(target_date, field="target_date", missing_message="Choose a date.")
    _check_target_date(
        session, user_id=user_id, target_date=day, remaining_minor=max(0, target_minor - saved_minor),
        currency=currency, goal_id=None, today=today,
    )
    held = count_under_user_lock(  # under the user's lock: requests at once queue
        session, user_id, select(func.count(Goal.id)).where(Goal.user_id == user_id)
    )
    if held >= MAX_GOALS:
        raise ValidationError(f"You have {held:,} goals (archived ones count); the most BudgetWise keeps is "
                              f"{MAX_GOALS:,}: delete finished ones first.", field="name")
    goal = Goal(
        user_id=user_id,
        name=clean_name,
        target_minor=target_minor,
        currency=currency,
        target_date=day,
        initial_saved_minor=saved_minor,
    )
    session.add(goal)
    session.flush()
    return _view(goal, 0, today)


def update_goal(
    session: Session,
    *,
    user_id: int,
    goal_id: int,
    name: str | None = None,
    target: object = None,
    target_date: object = None,
    already_saved: object = None,
    archived: bool | None = None,
    today: dt.date | None = None,
) -> GoalView:
    """Change a goal. A changed target date must be in the future (an unchanged past one may stay)."""
    today = _today(today)
    lock_user_for_import(session, user_id)  # what the goal holds is read under it (session 29)
    goal = _owned_goal(session, user_id, goal_id)
    contributed = _contributed(session, user_id, [goal.id]).get(goal.id, 0)
    if name is not None or (archived is False and goal.is_archived):
        # restoring an archived goal makes its name active again: the same check as a new name (session 23: restored
        # without a name, it became a second active goal of the same name)
        goal.name = _validate_name(session, user_id, goal.name if name is None else name, exclude_id=goal.id)
    hint = user_decimal_separator(session, user_id)
    if target is not None:
        goal.target_minor = _amount_minor(target, goal.currency, field="target", decimal_hint=hint)
    if already_saved is not None:
        goal.initial_saved_minor = _amount_minor(
            already_saved, goal.currency, field="already_saved", allow_zero=True, decimal_hint=hint
        )
        if goal.initial_saved_minor + contributed < 0:
            raise ValidationError(
                "With the withdrawals recorded, that would make the saved amount negative.", field="already_saved"
            )
    if target_date is not None:
        day = parse_date(target_date, field="target_date", missing_message="Choose a date.")
        if day != goal.target_date:
            remaining = max(0, int(goal.target_minor) - int(goal.initial_saved_minor) - contributed)
            _check_target_date(
                session, user_id=user_id, target_date=day, remaining_minor=remaining, currency=goal.currency,
                goal_id=goal.id, today=today,
            )
            goal.target_date = day
    if archived is not None:
        goal.is_archived = bool(archived)
    session.flush()
    return _view(goal, contributed, today)


def delete_goal(session: Session, *, user_id: int, goal_id: int) -> None:
    """Delete a goal and its contributions (the user's lock first, session 29: the contributions were locked first)."""
    lock_user_for_import(session, user_id)
    goal = _owned_goal(session, user_id, goal_id)
    session.execute(
        delete(GoalContribution).where(GoalContribution.goal_id == goal.id, GoalContribution.user_id == user_id)
    )
    session.delete(goal)
    session.flush()


def add_contribution(
    session: Session,
    *,
    user_id: int,
    goal_id: int,
    amount: object,
    date: object = None,
    note: str = "",
    today: dt.date | None = None,
) -> ContributionView:
    """Record money put towards a goal (a negative amount is a withdrawal). What the goal holds is read under the
    user's lock (session 29: two withdrawals at once both passed the check and left the goal below zero)."""
    today = _today(today)
    lock_user_for_import(session, user_id)
    goal = _owned_goal(session, user_id, goal_id)
    if goal.account_id is not None:
        raise ValidationError(f"“{goal.name}” follows a savings account: its progress is that account's balance. "
                              "Put the money in the account, or unlink it to record amounts here.", field="amount")
    minor, day, text = contribution_input(session, user_id, goal.currency, amount=amount, date=date, note=note,
                                          today=today, limits=contribution_date_limits(today), max_note=MAX_NOTE)
    saved = int(goal.initial_saved_minor) + _contributed(session, user_id, [goal.id]).get(goal.id, 0)
    if saved + minor < 0:
        raise ValidationError(
            f"You can withdraw at most {format_money(saved, goal.currency, user_locale(session, user_id))}: "
            "that is what this goal holds.", field="amount"
        )
    held = count_under_user_lock(  # under the user's lock: requests at once queue
        session, user_id,
        select(func.count(GoalContribution.id)).where(GoalContribution.user_id == user_id)
    )
    if held >= MAX_CONTRIBUTIONS:
        raise ValidationError(f"You have recorded {held:,} contributions, the most BudgetWise keeps: delete old "
                              "goals' contributions first.", field="amount")
    row = GoalContribution(goal_id=goal.id, user_id=user_id, date=day, amount_minor=minor, note=text)
    session.add(row)
    session.flush()
    return ContributionView(row.id, goal.id, day, minor, text)


def delete_contribution(session: Session, *, user_id: int, contribution_id: int) -> None:
    lock_user_for_import(session, user_id)  # before the check, as add_contribution (session 29)
    row = session.scalar(
        select(GoalContribution).where(GoalContribution.id == contribution_id, GoalContribution.user_id == user_id)
    )
    if row is None:
        raise NotFoundError("That contribution does not exist.", field="contribution")
    goal = _owned_goal(session, user_id, row.goal_id)
    saved = int(goal.initial_saved_minor) + _contributed(session, user_id, [goal.id]).get(goal.id, 0)
    if saved - int(row.amount_minor) < 0:
        raise ValidationError(
            "Deleting this contribution would make the saved amount negative: delete the withdrawals first.",
            field="contribution",
        )
    session.delete(row)
    session.flush()


# --------------------------------------------------------------------------- forecast of achievement
@dataclass(frozen=True)
class GoalProjection:
    goal_id: int
    status: str  # reached / forecast / no_forecast / overdue
    probability: float | None  # of reaching the target by the target date
    words: str  # "likely", "at risk", ...
    projected_date: dt.date | None  # when the expected path reaches the target (None: not at this pace)
    monthly_savings: float  # expected net savings per month going to the goal (major units)
    share: float
    explanation: str
    chart: pd.DataFrame  # ds, expected, lower, upper, target (major units; the target is constant)
    # the history ends long ago (cashflow.out_of_date_since, the one rule): what the chance is measured from, in words
    out_of_date_note: str = ""
    summary: str = ""  # the explanation in a sentence or two (goal_text.summary), shown before it (session 26)


def _error_correlation(net) -> float:
    """How much a month's forecast error persists into the next, from the net-savings backtest."""
    bt = getattr(net, "backtest", None)
    return goal_stats.error_correlation(None if bt is None else bt.table, DEFAULT_ERROR_CORRELATION)


def _accumulation(net) -> tuple[float, float]:
    """How the months' spreads add up (``goal_stats.accumulation``: rho and the scale), from the net backtest."""
    bt = getattr(net, "backtest", None)
    return goal_stats.accumulation(None if bt is None else bt.table, goal_stats.range_sd(net), net.interval,
                                   default=DEFAULT_ERROR_CORRELATION)


def project_goal(
    goal: GoalView,
    net,
    *,
    share: float = 1.0,
    minor_per_unit: int | None = None,
    extend_to: dt.date | None = None,
    locale: str = "en_US",
    date_format: str = ISO_DATE,
    rate: Decimal | None = None,  # a goal in another currency than ``net``'s: goal_currency.goal_rates (session 19)
    known=None,  # balance_known.last_known of the user's accounts: what is known besides the history (session 25)
) -> GoalProjection:
    """Forecast of reaching ``goal`` from a net-savings forecast (``forecast.ForecastResult`` or None).

    ``share`` is the part of future net savings assumed to go to this goal (0..1). Savings accrue evenly over each
    month; beyond the forecast horizon the average of its last year continues. The probability uses a normal
    approximation of the cumulative savings (mixed over past one-off shortfalls) whose monthly spread comes from the
    calibrated range (the statistics: :mod:`budgetwise.services.goal_stats`). Amounts in the texts are written in
    ``locale`` (``Principal.locale`` / ``profile.user_locale``), dates in ``date_format`` (``Principal.date_format``)."""
    share = float(max(0.0, min(1.0, share)))
    today = goal.today
    unit = minor_per_unit or 10 ** _digits(goal.currency)
    saved = goal.saved_minor / unit
    target = goal.target_minor / unit
    empty = pd.DataFrame({"ds": [], "expected": [], "lower": [], "upper": [], "target": []})
    if goal.reached:
        return GoalProjection(
            goal.id, "reached", 1.0, "reached", today, 0.0, share,
            f"Goal reached: {format_money(goal.saved_minor, goal.currency, locale)} saved of "
            f"{format_money(goal.target_minor, goal.currency, locale)}.",
            empty,
        )
    if net is None or net.forecast.empty:
        return GoalProjection(
            goal.id, "no_forecast", None, "no forecast yet", None, 0.0, share,
            "A forecast of reaching this goal needs a net-savings forecast, which needs at least 6 months of "
            "income and expense history. Meanwhile the plan above shows what to save.",
            empty,
        )
    if (net := in_goal_currency(net, goal.currency, rate)) is None:
        return GoalProjection(goal.id, "no_rate", None, "no exchange rate", None, 0.0, share, NO_RATE_TEXT, empty)
    z = NormalDist().inv_cdf(0.5 + net.interval / 2)
    fc = net.forecast
    months = list(fc["ds"])
    # What is still to come in each month (the running month: its remaining days), but never
    # more than the month's whole expected net savings: after a month's large spending so far,
    # the rest of that month first makes up for it (QA: "≈100%, in 9 days" after a -$5,095 month).
    remaining = np.nan_to_num((fc["yhat"] - fc["observed"]).to_numpy(dtype=float))
    whole = np.nan_to_num(fc["yhat"].to_numpy(dtype=float))
    mean = np.minimum(remaining, np.maximum(whole, 0.0)) * share
    sd = goal_stats.range_sd(net) * share
    horizon_end = months[-1] + relativedelta(months=1) - dt.timedelta(days=1)
    start = max(today, net.as_of) + dt.timedelta(days=1)
    blocks = goal_stats.month_blocks(
        months, mean, sd, start=start, last_needed=max(goal.target_date, extend_to or goal.target_date, horizon_end),
        today=today, saved=saved, target=target, max_years=MAX_YEARS_AHEAD,
    )
    path = goal_stats.savings_path(blocks, *_accumulation(net))
    need = target - saved
    mean_t, sd_t = path.at(goal.target_date)
    one_offs = goal_stats.net_one_offs(net, share)
    probability = 0.0 if goal.target_date <= today else goal_stats.chance(
        need, mean_t, sd_t, months=((goal.target_date - start).days + 1) / goal_stats.DAYS_PER_MONTH, one_offs=one_offs,
        steady=goal_stats.steady_run(net))
    projected = path.reaches(need)
    monthly = goal_stats.whole_month_average(mean, net.partly_observed)
    chart_end = max(goal.target_date, projected or goal.target_date)
    chart_end = min(chart_end + relativedelta(months=1), today + relativedelta(years=MAX_YEARS_AHEAD))
    chart = goal_stats.chart_frame(path, today=today, saved=saved, target=target, target_date=goal.target_date,
                                   chart_end=chart_end, z=z)
    words = "target date passed" if goal.overdue else likelihood_words(probability)
    explanation = _explain(goal, probability, projected, monthly, share, words, unit, locale=locale,
                           near=[(m, float(mu)) for m, mu in zip(months[:2], mean[:2])], date_format=date_format,
                           one_offs=one_offs, history=net.history)
    note = out_of_date_note(net.as_of, today, locale=locale, date_format=date_format, known=known)
    return GoalProjection(goal.id, "overdue" if goal.overdue else "forecast", probability, words, projected, monthly,
                          share, explanation, chart, note, goal_summary(goal, probability, monthly, unit, locale=locale,
                                                                        one_offs=one_offs, projected=projected))


def out_of_date_note(as_of: dt.date, today: dt.date, *, locale: str = "en_US", date_format: str = ISO_DATE,
                     known=None) -> str:
    """The note of a goal's chance and expected date measured from a history that ended long ago ("" when it is
    current): the Cash flow page's rule (:func:`budgetwise.services.cashflow.out_of_date_since`) and its opening words
    (session 22, newuser22b: a 61% chance from a history that ended ten months before, and no word of it). ``as_of``:
    the history's newest day; ``known``: what is known about the user's balances (``balance_known.last_known``, the
    one owner of the last known day, session 25: a balance confirmed today made Cash flow current but not this page)."""
    from budgetwise.services.balance_known import KnownDay

    facts = (known or KnownDay()).counting(as_of)
    if not facts.out_of_date(today):
        return ""
    upto = "that day" if facts.day == as_of else day_text(as_of, date_format, locale)
    return (f"{facts.says(date_format, locale)}: this chance and the expected date are measured from your history up "
            f"to {upto}, and nothing saved or spent since then is known. Import your recent transactions for an "
            "up-to-date outlook.")


def _digits(currency: str) -> int:
    from budgetwise.money import minor_digits

    return minor_digits(currency)


def default_shares(goals: list[GoalView]) -> dict[int, float]:
    """An equal share of net savings for each active goal that is not reached yet."""
    open_goals = [g for g in goals if not g.reached and not g.is_archived]
    if not open_goals:
        return {}
    return {g.id: 1.0 / len(open_goals) for g in open_goals}


def goals_frame(goals: list[GoalView]) -> pd.DataFrame:
    """A display/export table of goals (amounts as exact minor units)."""
    rows = [
        {
            "id": g.id, "name": g.name, "target_minor": g.target_minor, "saved_minor": g.saved_minor,
            "remaining_minor": g.remaining_minor, "currency": g.currency, "target_date": g.target_date,
            "days_left": g.days_left, "months_left": round(g.months_left, 1), "per_month_minor": g.per_month_minor,
            "progress": round(g.progress, 4),
        }
        for g in goals
    ]
    return pd.DataFrame.from_records(
        rows,
        columns=["id", "name", "target_minor", "saved_minor", "remaining_minor", "currency", "target_date",
                 "days_left", "months_left", "per_month_minor", "progress"],
    )
