"""Goals in plain sentences: the chance in words and the explanation under "Will I make it?". Split from
``services/goals.py`` (its size limit, session 19), which re-exports ``chance_text``, ``likelihood_words`` and
``LIKELIHOOD_WORDS``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from budgetwise.dates import ISO_DATE, day_text, month_name, month_text
from budgetwise.money import format_money
from budgetwise.ratios import percent_text
from budgetwise.services import goal_gap, goal_stats
from budgetwise.services.forecast import gaps as _gaps
from budgetwise.text import and_list, plural

if TYPE_CHECKING:
    import pandas as pd

    from budgetwise.services.goals import GoalView

# probability thresholds -> words
LIKELIHOOD_WORDS = ((0.9, "very likely"), (0.7, "likely"), (0.4, "uncertain"), (0.1, "at risk"), (0.0, "unlikely"))


def chance_text(probability: float, locale: str = "en_US") -> str:
    """A probability as people read it, in the ``locale``'s percent pattern ("42%", "42 %" in de_DE,
    ``ratios.percent_text``): never a flat 0% or 100% for an uncertain future."""
    if probability >= 0.995:
        return "over " + percent_text(99, locale, digits=0)
    if probability <= 0.005:
        return "under " + percent_text(1, locale, digits=0)
    return percent_text(probability * 100, locale, digits=0)


def likelihood_words(probability: float) -> str:
    for threshold, words in LIKELIHOOD_WORDS:
        if probability >= threshold:
            return words
    return LIKELIHOOD_WORDS[-1][1]


def explain(
    goal: GoalView, p: float, projected: dt.date | None, monthly: float, share: float, words: str, unit: int,
    *, near: Sequence[tuple[dt.date, float]] = (), locale: str = "en_US", date_format: str = ISO_DATE,
    history_monthly: tuple[float, int, int] | None = None, one_offs: goal_stats.OneOffs = goal_stats.NO_ONE_OFFS,
    history: pd.DataFrame | None = None,
) -> str:
    monthly_text = format_money(int(round(monthly * unit)), goal.currency, locale)
    share_text = "all of it" if share >= 0.999 else f"{percent_text(share * 100, locale, digits=0)} of it"
    head = (
        f"Your forecast net savings are about {monthly_text} a month for this goal ({share_text} assumed to go here)."
        if monthly > 0
        # was "… so at this pace the goal is not funded" beside a "47% chance" (new-user trial, session 19): the
        # average adds nothing, yet the chance counts the months that may turn out better
        else "Your forecast net savings are not positive on average, so they add nothing to this goal: the expected "
             "path stays at what you have saved now."
        if monthly > -0.5 / unit
        else f"Your forecast net savings are negative on average (about {monthly_text} a month for this goal), so the "
             "expected path falls below what you have saved now."
    )
    if history_monthly is None and history is not None:  # the net-savings history's last complete months
        history_monthly = goal_stats.history_basis(history["y"], share=share)
    if history_monthly is not None and history_monthly[-1] > 0:
        head += _history_text(history_monthly, goal.currency, share, unit, locale)
        gap = goal_gap.history_gap(history, monthly, history_monthly[0], one_offs.when, share=share)
        head += _gap_text(gap, monthly, history_monthly[0], goal.currency, unit, locale) if gap else ""
    if projected is not None:
        head += f" On that path you reach {format_money(goal.target_minor, goal.currency, locale)} around {day_text(projected, date_format, locale)}."
        if len(near) == 2 and monthly > 0 and projected < near[1][0] + relativedelta(months=1) \
                and near[0][1] + near[1][1] > 2.5 * monthly:
            # reached within two months, faster than the average pace says: show why
            (m0, v0), (m1, v1) = near
            head += (
                f" That is sooner than the average pace: the forecast expects {format_money(int(round(v0 * unit)), goal.currency, locale)}"
                f" for the rest of {month_name(m0, locale)} and {format_money(int(round(v1 * unit)), goal.currency, locale)} in "
                f"{month_name(m1, locale)} (known payments such as salary included)."
            )
    elif monthly > 0:
        head += " On that path the goal is not reached within the next 50 years."
    if goal.overdue:
        return head + " The target date has passed: choose a new date to see the chance of making it."
    tail = f" Chance of reaching it by {day_text(goal.target_date, date_format, locale)}: {chance_text(p, locale)} ({words})."
    if monthly <= 0 and p >= LIKELIHOOD_WORDS[-2][0]:  # a chance with an average of nothing: where it comes from
        tail += (" That chance comes from how much your net savings vary from month to month: better months than the"
                 " average could still reach it, worse ones take it further away.")
    return head + tail + _one_off_text(goal, one_offs, share, unit, locale)


def summary(goal: GoalView, p: float, monthly: float, unit: int, *, locale: str = "en_US",
            one_offs: goal_stats.OneOffs | None = None, projected: dt.date | None = None) -> str:
    """The explanation in one or two plain sentences, shown first (session 26, trial26: the paragraph of
    :func:`explain` ran to 170 words; it stays, behind "How this is worked out"). The chance and the expected date
    are in the line above it on the page, so this says only what they stand on. The expected date is on the path of
    usual months, the chance also counts one-off months (goal_stats.chance): when they disagree (the date before the
    target date, the chance below even), it says so (trial29: "45% chance by 2027-12-07 · expected around
    2027-09-09" read as a contradiction; the reason was behind the expander)."""
    if goal.overdue:
        return "The target date has passed: choose a new date to see the chance of making it."
    money = format_money(int(round(abs(monthly) * unit)), goal.currency, locale)
    if monthly > 0:
        text = f"Based on your forecast savings of about {money} a month for this goal."
        if (one_offs is not None and one_offs.rate > 0 and projected is not None and projected <= goal.target_date
                and p < 0.5):
            seen = (f" (as in {and_list(month_text(m, locale) for m in one_offs.when)})"
                    if one_offs.when and len(one_offs.when) == len(one_offs.sizes) else "")
            text += (f" The expected date counts usual months only; the chance also allows for a month of a large"
                     f" one-off{seen} {_every(one_offs.rate)}, which can push the goal past its date.")
        return text
    if monthly > -0.5 / unit:
        text = "Your forecast savings add nothing to this goal on average, so it grows only if some months do better."
    else:
        text = f"Your forecast savings fall by about {money} a month on average, so this goal moves further away."
    if p >= LIKELIHOOD_WORDS[-2][0]:
        text += " The chance comes from how much your months vary."
    return text


def _history_text(basis: tuple[float, int, int], currency: str, share: float, unit: int, locale: str) -> str:
    """The history beside the forecast, so the figure can be checked against Reports: the last complete months (a
    month the data stops in, before its salary, is not one; Reports and the Dashboard count it as it stands),
    averaged over those with data (``goal_stats.history_basis``). Months without any (gaps) are named; when they are
    most of them, plainly: the forecast and the chance read them as months of no saving (session 25, fc25: "averaged
    €8.88" over a year of another bank's 10 rows after a history that ended); with ``forecast.gaps.FILL`` (session 27,
    off: it failed its test) the text says the forecast reads them as missing instead."""
    past, k, n = basis
    amount = format_money(int(round(past * unit)), currency, locale) + ("" if share >= 0.999 else " (the same share)")
    if k == n:
        return f" Your last {plural(n, 'complete month')} in your data averaged {amount}."
    missing = _gaps.FILL  # session 27 (fc27): the forecast reads a gap month as missing, not as no saving
    if 2 * k >= n:
        how = (f"the forecast reads the {n - k} without any as missing, not as months of no saving" if missing else
               f"the {n - k} without any count as months of no saving in the forecast")
        return (f" Of your last {plural(n, 'complete month')}, {k} hold income or expenses in your data; they averaged"
                f" {amount} ({how}).")
    gaps = (f" The other {n - k} are gaps" if k else " They are gaps") + (
        (" that the forecast fills in from the months with data before them (it reads them as missing, not as months of no"
         " saving), so it and this chance say little" if missing else
         " that the forecast and this chance read as months of no saving, so both say little")
        + " about what you really save: import the missing months (or the account they are in) for a chance that"
        " means something.")
    if not k:
        return f" None of your last {plural(n, 'complete month')} hold any income or expenses in your data.{gaps}"
    return (f" Only {k} of your last {plural(n, 'complete month')} hold any income or expenses in your data; those {k}"
            f" averaged {amount}.{gaps}")


def _gap_text(gap: goal_gap.HistoryGap, monthly: float, past: float, currency: str, unit: int, locale: str) -> str:
    """Why the forecast stands far from the average beside it (``goal_gap``; session 25 trial: "about € 708,74 a
    month" beside "averaged € 33,53", both of the same money): the months far below usual the average counts and
    the forecast leaves to the chance, and the last months, which the forecast takes in only in part."""
    def money(v: float) -> str:
        return format_money(int(round(v * unit)), currency, locale)

    text = f" Your forecast is {'above' if monthly > past else 'below'} that average:"
    if gap.usual is not None:
        text += (f" without {and_list([month_text(m, locale) for m in gap.left_out])} (far below usual: the chance"
                 f" allows for such months apart, see below) the other {gap.usual_k} averaged {money(gap.usual)};")
    which = "the last {k} of them" if gap.usual is not None else (
        "your last {k} months with data" if gap.gaps else "your last {k} complete months")
    text += f" {which.format(k=gap.recent_k)} averaged {money(gap.recent)}."
    if goal_gap.far_apart(gap.recent, monthly, gap.swing, goal_gap.FAR_RECENT):
        less = gap.recent < monthly
        text += (" The forecast blends your recent months with earlier ones, so a change in the last few months (a"
                 " new income, a new rent) shows in it only in part: if those months are what is usual now, you will"
                 f" save {'less' if less else 'more'} than it says and the chance is {'lower' if less else 'higher'}"
                 " than shown.")
    return text


def _every(rate: float) -> str:
    """How often an event at ``rate`` a month comes, as people say it: "about once every 9 years" (was
    "one every 106 months", new-user trial, session 21), "about once every 10 months"."""
    months = max(1, round(1 / rate))
    return f"about once every {plural(round(months / 12), 'year')}" if months >= 24 else \
        f"about once every {plural(months, 'month')}"


def _one_off_text(goal: GoalView, one_offs: goal_stats.OneOffs, share: float, unit: int, locale: str) -> str:
    """What the chance counts for one-off shortfalls (goal_stats.chance), with the figures it used: the months seen
    (session 19, named since session 21), and with the prior (session 20) the rate it assumes, also when none was
    seen (session 22: with one seen, at least the rate of households that show them). Session 21 (new-user trial):
    "a one-off purchase of $32,503" beside about $3,000 of spending a month read as a misreading; it is the prior's size, ``PRIOR_SIZE`` times the household's usual swing, so the text says so."""
    if not (one_offs.sizes or one_offs.assumed):
        return ""
    share = max(share, 1e-9)
    size = format_money(int(round(one_offs.mean_size / share * unit)), goal.currency, locale)
    if not one_offs.sizes:  # none counted: none seen, or a history too short to look (goal_stats.one_off_shortfalls)
        swing = format_money(int(round(one_offs.scale / share * unit)), goal.currency, locale)
        why = (f"Your last {one_offs.months} months show no month far below the others, but"
               if one_offs.months >= goal_stats.ONE_OFF_MIN_MONTHS else
               f"Your {one_offs.months} months of history are too few to tell a one-off from a usual month, and")
        return (f" {why} most households have a large one-off purchase now and then (a car, a move, a repair), so the"
                f" chance allows for one {_every(one_offs.rate)}, of about {size}: about {round(goal_stats.PRIOR_SIZE)}"
                f" times how far your net savings usually stray from month to month (about {swing}). The chart's"
                " range is of usual months.")
    n = len(one_offs.sizes)
    months = f" ({', '.join(month_text(m, locale) for m in one_offs.when)})" if len(one_offs.when) == n else ""
    rate = ", your own rate" if one_offs.rate <= one_offs.own_rate else (
        " (the usual rate of households whose months show such purchases; yours alone is lower)" if one_offs.seen_prior
        else " (your rate weighed with most households')")
    return (f" In {n} of your last {one_offs.months} months{months} you saved far less than usual, about {size}"
            f" less{' each' if n > 1 else ''}: a large one-off purchase, say. The chance allows for such a month"
            f" {_every(one_offs.rate)}{rate}; the chart's range is of usual months.")
