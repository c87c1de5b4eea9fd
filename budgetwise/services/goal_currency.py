"""A goal in another currency than the user's base currency (session 19).

A goal keeps the currency it was made in (``goals.currency``): a goal "$4,000 for the trip to New York" stays in
dollars when the user's base currency becomes the euro, and its amounts, contributions and plan stay in dollars
(stored amounts never change). What the base currency changes:

* the Goals page names the goal's worth in the base currency, at today's rate (:class:`rates.Converter`: the
  latest rate of at most ``rates.MAX_STALENESS_DAYS`` days, the user's own first, direct, inverse or through the
  euro), with the rate and its date;
* the forecast of reaching the goal converts the net-savings forecast (in the base currency) into the goal's
  currency at that rate (:func:`budgetwise.services.goals.project_goal` ``rate``).

Without a rate nothing is guessed (never 1.0): the missing rate is named and the goal gets no forecast until the
rate is stored (Profile → Exchange rates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from budgetwise.dates import day_text
from budgetwise.models import ExchangeRate
from budgetwise.money import format_money
from budgetwise.services import preferences, rates


@dataclass(frozen=True)
class GoalRate:
    """How a goal in ``currency`` relates to the user's ``base`` currency today."""

    goal_id: int
    currency: str  # the goal's
    base: str  # the user's
    rate: Decimal | None  # 1 base = rate goal currency, today; None: no usable rate
    saved_base_minor: int | None  # the goal's saved and target amounts in the base currency (None: no rate)
    target_base_minor: int | None
    text: str  # the sentence the Goals page shows: the amounts in the base currency and the rate, or the missing rate


def _latest_stored(session: Session, user_id: int, a: str, b: str, today: dt.date) -> dt.date | None:
    """The latest date up to ``today`` of a stored rate between ``a`` and ``b`` (either way round) the user may use."""
    pair = ((ExchangeRate.base == a) & (ExchangeRate.quote == b)) | ((ExchangeRate.base == b) & (ExchangeRate.quote == a))
    return session.scalar(select(ExchangeRate.date).where(pair, ExchangeRate.date <= today, rates.visible_to(user_id))
                          .order_by(ExchangeRate.date.desc()).limit(1))


def goal_rates(session: Session, *, user_id: int, goals: Iterable, today: dt.date | None = None) -> dict[int, GoalRate]:
    """{goal id: :class:`GoalRate`} of the ``goals`` (``goals.GoalView``) whose currency is not the user's base
    currency (the others are not listed)."""
    today = today or dt.date.today()
    base = preferences.user_currency(session, user_id)
    foreign = [g for g in goals if g.currency != base]
    if not foreign:
        return {}
    locale, date_format = preferences.user_formats(session, user_id)
    out: dict[int, GoalRate] = {}
    to_base = rates.Converter(session, base, user_id=user_id)
    for goal in foreign:
        factor = to_base.factor(goal.currency, today)  # 1 goal currency = n/d base
        saved = to_base.convert_minor(goal.saved_minor, goal.currency, today)
        target = to_base.convert_minor(goal.target_minor, goal.currency, today)
        latest = _latest_stored(session, user_id, goal.currency, base, today)
        if factor is None or saved is None or target is None:
            known = (f"the latest stored is of {day_text(latest, date_format, locale)}; a rate counts for "
                     f"{rates.MAX_STALENESS_DAYS} days" if latest else f"no {goal.currency} → {base} rate is stored")
            text = (f"This goal is in {goal.currency}; your base currency is {base}. No {goal.currency} → {base} rate "
                    f"for {day_text(today, date_format, locale)} ({known}): the goal is shown in {goal.currency} "
                    "only and gets no forecast, which is of your net savings in "
                    f"{base}. Add the rate under Profile → Exchange rates.")
            out[goal.id] = GoalRate(goal.id, goal.currency, base, None, None, None, text)
            continue
        per_goal_unit = Decimal(factor[0]) / Decimal(factor[1])  # base units for 1 goal unit
        rate = Decimal(1) / per_goal_unit
        shown = format(Decimal(f"{per_goal_unit:.6g}"), "f")
        when = (f"the rate of {day_text(latest, date_format, locale)}"
                if latest is not None and (today - latest).days <= rates.MAX_STALENESS_DAYS else f"through the euro, on or shortly before {day_text(today, date_format, locale)}")
        text = (f"This goal is in {goal.currency}; your base currency is {base}: "
                f"{format_money(goal.saved_minor, goal.currency, locale)} of "
                f"{format_money(goal.target_minor, goal.currency, locale)} is "
                f"{format_money(saved, base, locale)} of {format_money(target, base, locale)} at 1 {goal.currency} = "
                f"{shown} {base} ({when}). The forecast converts your "
                "net savings at this rate.")
        out[goal.id] = GoalRate(goal.id, goal.currency, base, rate, saved, target, text)
    return out


NO_RATE_TEXT = ("Your net savings are forecast in your base currency and this goal is in another: without an exchange "
                "rate between them there is no forecast of reaching it (the missing rate is named above). Meanwhile "
                "the plan above shows what to save.")


def in_goal_currency(net, currency: str, rate: Decimal | None):
    """A net-savings forecast (``forecast.ForecastResult``, in the base currency) with its amounts in the goal's
    ``currency`` (1 of its own = ``rate``): for :func:`goals.project_goal`. None when they differ without a rate."""
    if getattr(net, "currency", currency) == currency:
        return net
    if rate is None or rate <= 0:
        return None
    k = float(rate)
    money = ["yhat", "yhat_lower", "yhat_upper", "known", "observed"]
    fc = net.forecast.copy()
    fc[[c for c in money if c in fc.columns]] *= k
    history = net.history.copy()
    history["y"] = history["y"] * k
    return replace(net, forecast=fc, history=history, currency=currency)


def pace_in_currency(session: Session, *, user_id: int, minor: int | None, currency: str | None,
                     today: dt.date) -> int | None:
    """A saving pace in the user's base currency (``minor``), in the goal's ``currency`` at ``today``'s rate
    (:func:`goals.date_alternatives`); None without a pace, or without a rate (never 1:1)."""
    if minor is None or not currency:
        return minor
    base = preferences.user_currency(session, user_id)
    if currency == base:
        return minor
    return rates.Converter(session, currency, user_id=user_id).convert_minor(minor, base, today)


def missing_pace_rate(session: Session, *, user_id: int, currency: str, today: dt.date) -> str:
    """Why :func:`pace_in_currency` gave no pace for a goal in ``currency`` although the net savings had one: the
    missing rate, named as the Goals page names it ("no USD → EUR rate for 2026-12-06"; session 19, the refusal of
    a past date said "no net savings" instead)."""
    base = preferences.user_currency(session, user_id)
    locale, date_format = preferences.user_formats(session, user_id)
    return f"no {currency} → {base} rate for {day_text(today, date_format, locale)}"
