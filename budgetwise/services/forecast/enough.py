"""Whether a history is long enough for a forecast, and the message that says how much more it needs (pure)."""

from __future__ import annotations

import datetime as dt

from budgetwise.dates import day_text
from budgetwise.services.forecast.model import _Context
from budgetwise.services.forecast.periods import next_period, period_end, period_start
from budgetwise.services.forecast.types import MIN_HISTORY, NotEnoughHistory
from budgetwise.text import plural, plural_word


def _check_history(ctx: _Context, periods: list) -> None:
    need = MIN_HISTORY[ctx.freq]
    have = len(periods)
    if have >= need:
        return
    unit = "month" if ctx.freq == "month" else "week"

    def _day(value: dt.date) -> str:
        return day_text(value, ctx.history.date_format, ctx.history.locale)

    span = (
        f" (from {_day(periods[0][0])} to {_day(period_end(periods[-1][0], ctx.freq))})"
        if periods else ""
    )
    more = need - have
    gap = ctx.history.gap
    more_text = f"{more} more {plural_word(more, unit)}"
    if gap is None:
        cur, missing = ctx.history.currency, ctx.history.missing_rates
        if missing:  # short only for want of exchange rates: say so, not just "add more months"
            raise NotEnoughHistory(
                f"A {unit}ly forecast needs at least {need} complete {unit}s of history that can be counted in {cur}; "
                f"this history has {have}{span}. Add the rates on the Profile page (exchange rates), or {more_text} "
                f"of transactions in {cur}.",
                details=" ".join(missing), have=have, need=need, freq=ctx.freq,
            )
        # trial28: a file of 1-28 September read "this history has 0"; say which days it has instead
        held = (f"{have}{span}" if have else f"none yet: your transactions from {_day(ctx.history.first_date)} to "
                f"{_day(ctx.as_of)} do not fill a whole {unit}")
        raise NotEnoughHistory(
            f"A {unit}ly forecast needs at least {need} complete {unit}s of history; this history has {held}. "
            f"Add {more_text} of transactions (for example, import older statements) and the forecast will appear.",
            have=have, need=need, freq=ctx.freq,
        )
    # Issue #14 item 7: say what was used and why, and whether the older block could be used instead.
    # a forecast from the older history uses its own last stretch (after its own long silences), so that
    # stretch decides the offer (Session 11 QA: "89 complete months" of 2009-2016 with data in 18 of them,
    # offered as usable, and the click found 1 month after a silence inside it)
    older_start = gap.older_start or gap.older_first
    older = _complete_periods_between(older_start, gap.older_last, ctx.freq, ctx.history.week_start)
    used = (f"{have} complete {plural_word(have, unit)}{span}" if have
            else f"no complete {unit} yet (the latest transaction is from {_day(ctx.as_of)})")
    active = f"{older} complete {plural_word(older, unit)}"
    filled = _periods_with_data(gap.older_days, older_start, gap.older_last, ctx.freq, ctx.history.week_start)
    if filled < older:  # empty periods in it would read as periods without income or spending, as the gap's would
        active += f", {filled} of them with transactions"
    if older_start != gap.older_first:
        active = (f"with transactions in {plural(gap.older_active_months, 'month')}; "
                  f"after a long silence within it, only its part from {_day(older_start)} on would count, {active}")
    usable = filled >= need
    # trial27: the top says what is missing and what to do (~40 words); which history is used and why, below it
    since = str(have) if have else "none yet"
    summary = (
        f"A {unit}ly forecast needs at least {need} complete {unit}s after your last long gap; since "
        f"{_day(gap.start)} you have {since}. Add {more_text} of recent transactions"
        + (f", or forecast from your older history (up to {_day(gap.older_last)}) instead." if usable
           else " and the forecast will appear.")
    )
    details = (
        f"Only your transactions from {_day(gap.start)} on are used (income and spending; transfers between your "
        f"own accounts never count): that is {used}. Your history before the {gap.months}-month gap "
        f"({_day(gap.older_first)} to {_day(gap.older_last)}, {active}) is left out, "
        f"because the {unit}s in the gap would read as {unit}s without income or spending."
    )
    if usable:
        details += f" A forecast from that older history starts after {_day(gap.older_last)}, not today."
    raise NotEnoughHistory(summary, details=details, have=have, need=need, freq=ctx.freq,
                           older_until=gap.older_last if usable else None)


def _complete_periods_between(first: dt.date, last: dt.date, freq: str, week_start: int = 0) -> int:
    """How many whole periods lie within ``first``..``last``."""
    start = period_start(first, freq, week_start)
    if start < first:
        start = next_period(start, freq)
    count = 0
    while period_end(start, freq) <= last:
        count += 1
        start = next_period(start, freq)
    return count


def _periods_with_data(days: tuple[dt.date, ...], first: dt.date, last: dt.date, freq: str, week_start: int = 0) -> int:
    """How many of the whole periods within ``first``..``last`` hold one of ``days``."""
    start = period_start(first, freq, week_start)
    if start < first:
        start = next_period(start, freq)
    starts = {period_start(d, freq, week_start) for d in days if start <= d <= last}
    return sum(1 for p in starts if period_end(p, freq) <= last)
