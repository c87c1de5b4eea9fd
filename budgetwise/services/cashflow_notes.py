"""What the cash-flow projection says about its model (issue #19): whether the usual spending is projected, how
little history the band rests on, the one-off months that widened it. Split out of :mod:`.cashflow` (session 26);
re-exported there, its public names unchanged."""

from __future__ import annotations

from budgetwise.dates import ISO_DATE, day_text, month_text
from budgetwise.text import and_list, plural, plural_word


def spending_projected(model) -> bool:
    """Whether the usual (variable) spending is in the projection: the history has the complete months the model's
    level needs (:data:`.cashflow_model.MIN_LEVEL_MONTHS`, its one owner); ``model`` is None without a history.
    Not whether that spending is non-zero: a long history whose every expense is a known item has none
    (session 21, zfword: 29 months of salary, rent and bills read "too little history")."""
    from budgetwise.services.cashflow_model import MIN_LEVEL_MONTHS

    return model is not None and model.months >= MIN_LEVEL_MONTHS


def model_notes(model, gap=None, date_format: str = ISO_DATE, locale: str | None = None,
                currency: str | None = None) -> list[str]:
    """What the projection says about its model. ``gap``: the history's last long silence
    (``forecast.history.HistoryGap``), when the model saw only what came after it: a short recent stretch
    is then said to be that, not the user's whole history (Session 11 QA: "Only 1 complete month of
    history" for a file of 2009-2022)."""
    from budgetwise.services.cashflow_model import MIN_LEVEL_MONTHS

    if not spending_projected(model):
        months = plural(model.months, 'complete month')
        if gap is None:
            have = "No complete month" if model.months == 0 else f"Only {months}"
            return [f"{have} of history: your usual spending is not projected yet (it needs "
                    f"{plural(MIN_LEVEL_MONTHS, 'complete month')})."]
        have = "no complete month" if model.months == 0 else f"only {months}"
        older = (f", with transactions in {gap.older_active_months} "
                 f"{plural_word(gap.older_active_months, 'month')}") if gap.older_active_months else ""
        return [f"Your usual spending is not projected yet: it needs {plural(MIN_LEVEL_MONTHS, 'complete month')} in a "
                f"row, and since your "
                f"transactions resumed on {day_text(gap.start, date_format, locale)} there is {have}. Your older "
                f"history ({day_text(gap.older_first, date_format, locale)} to "
                f"{day_text(gap.older_last, date_format, locale)}{older}) is left out: {gap.months} months "
                "without a single transaction followed it, which would read as months without income or spending."]
    if model.how == "normal":
        from budgetwise.services.cashflow_model import YOUNG_ERRORS, YOUNG_ONE_OFFS
        lower = (" Its lower edge also allows for a large one-off expense, which a few months of history cannot show "
                 "yet.") if YOUNG_ONE_OFFS else ""
        return [f"The band is approximate: {model.errors} backtest comparisons (at least "
                f"{YOUNG_ERRORS} calibrate it).{lower}"]
    return [*short_history_notes(model), *one_off_notes(model, locale, currency)]


def short_history_notes(model) -> list[str]:
    """Session 26 (cf26): the band of a history of 9-13 complete months is measured on its own backtest one month
    ahead, but not several months ahead (``NetModel.young``: month 3's band does not rest on that month's own
    errors): beyond that its growth and its lower edge's allowance for a one-off are a rule's
    (:data:`.cashflow_model.BEYOND_GROWTH`, :data:`.cashflow_model.YOUNG_ONE_OFFS`), which the page says in plain
    words, as the note of the band of up to 8 months does. None for a longer history or with neither rule on."""
    from budgetwise.services.cashflow_model import BEYOND_GROWTH, YOUNG_ONE_OFFS

    if not getattr(model, "young", False) or model.how == "normal" or not (YOUNG_ONE_OFFS or BEYOND_GROWTH != "sqrt"):
        return []
    rules = and_list([*(["it widens more with each month"] if BEYOND_GROWTH != "sqrt" else []),
                      *(["its lower edge allows for a large one-off expense, which so short a history may not have "
                         "shown yet"] if YOUNG_ONE_OFFS else [])])
    return [f"The band rests on {plural(model.months, 'complete month')} of history: enough to measure how far this "
            "projection misses one month ahead, not several. Further ahead the band is an allowance rather than a "
            f"measurement: {rules}."]


def one_off_notes(model, locale: str | None = None, currency: str | None = None) -> list[str]:
    """Issue #19 (session 21, outlier): the months whose net fell far below the usual (``NetModel.one_offs``,
    ``goal_stats.one_off_shortfalls``), named with their net, and what they do to the band: it is calibrated on
    the history's own misses, theirs included, so it is wider both ways than the usual months make it."""
    found = getattr(model, "one_offs", ())
    if not found:
        return []
    from budgetwise.money import format_money

    # after a colon, not at the sentence's start: nl/de month names are lower case in running text (session 25:
    # "november 2020 (…) and april 2023 (…) and mei 2023 (…) were months …" began a sentence in lower case)
    named = and_list(month_text(end, locale) + (f" ({format_money(n, currency, locale or 'en_US')})" if currency
                                                else "") for end, n in found)
    one = len(found) == 1
    return [f"{'A month' if one else 'Months'} whose net fell far below your usual months "
            f"({'a one-off' if one else 'one-offs'}): {named}. The band comes from how far this projection missed on your "
            f"own history, {'that month' if one else 'those months'} included, so it is wider, upward as well as "
            "downward, than your usual months alone would make it."]

