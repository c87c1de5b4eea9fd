"""Budgets in plain sentences: the over-budget and projected-over warnings, and why "Projected" is what it is
when the data stops before this month. Split from ``services/budgets.py`` (its size limit), which re-exports
both names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from budgetwise.dates import add_months, day_text, month_end

if TYPE_CHECKING:
    from budgetwise.services.budgets import BudgetReport


def projection_note(report: BudgetReport, *, date_format: str, locale: str | None = None) -> str | None:
    """Why "Projected" is what it is: a whole typical month although nothing is spent yet (the newest transaction
    is from before this month), or only the spending so far (no transaction in the months before it, though
    older ones: ``projection_gap``); None otherwise."""
    if report.projection_gap:
        return ("None of your transactions is from the three months before this month, so no recent month shows "
                "what the rest of a month usually costs and BudgetWise cannot project this one: “Projected” is only "
                "what is spent so far. Import those months for a projection.")
    if report.data_through is None:
        return None
    if not report.projection_months and report.data_through >= add_months(report.month, -12):
        # recent data, but none of the complete months it covers before then holds a transaction (session 20)
        return (f"Your newest transaction is from {day_text(report.data_through, date_format, locale)}, so nothing of "
                "this month is in your data, and the months before that your data covers to their end hold no "
                "transaction that shows what a month usually costs: “Projected” is only what is spent so far. Import "
                "your recent transactions for a projection.")
    if not report.projection_months:  # the data stopped over a year before: no month to expect this one from
        return (f"Your newest transaction is from {day_text(report.data_through, date_format, locale)}, more than a "
                "year before this month, so nothing of this month is in your data and no recent month shows what it "
                "usually costs: “Projected” is only what is spent so far. Import your recent transactions for a "
                "projection.")
    return (f"Your newest transaction is from {day_text(report.data_through, date_format, locale)}, so nothing of "
            "this month is in your data yet: “Projected” is what each category spends in a whole month, on average "
            "over the last months your data covers to their end. Import your recent transactions for figures "
            "based on this month's spending.")


def budget_warnings(report: BudgetReport, *, money, date_format: str, locale: str | None = None) -> list[str]:
    """Plain sentences for the over-budget and projected-over lines (``money`` formats minor units; the
    month's end in the user's ``date_format`` and ``locale``, ``Principal.date_format`` / ``profile.user_formats``,
    as every date shown)."""
    out = []
    for item in report.over_budget:
        out.append(
            f"{item.category_name} is over budget: {money(item.spent_minor)} spent of "
            f"{money(item.available_minor)} ({money(-item.remaining_minor)} over)."
        )
    for item in report.projected_over:
        out.append(
            f"{item.category_name} is on course to exceed its budget: {money(item.spent_minor)} spent so far, "
            f"about {money(item.projected_minor)} expected by {day_text(month_end(report.month), date_format, locale)} "
            f"against {money(item.available_minor)}."
        )
    return out
