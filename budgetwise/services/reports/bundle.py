"""Every section of a report for one period, for the CLI, exports and the PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from budgetwise.dates import add_months, month_start
from budgetwise.errors import ValidationError
from budgetwise.gc_pause import gc_paused
from budgetwise.services import rates
from budgetwise.services.reports.anomalies import spending_spikes, unusual_transactions
from budgetwise.services.reports.by_category import average_monthly_by_category, by_category
from budgetwise.services.reports.changes import changes
from budgetwise.services.reports.duplicates import likely_duplicates
from budgetwise.services.reports.frames import (
    duplicates_frame,
    recurring_frame,
    spikes_frame,
    summary_frame,
    unusual_frame,
)
from budgetwise.services.reports.merchants import top_merchants
from budgetwise.services.reports.recurring import detect_recurring
from budgetwise.services.reports.rollup import day_rollup
from budgetwise.services.reports.scope import ReportFilter, _scope
from budgetwise.services.reports.totals import Summary, _summary, by_period


@dataclass(frozen=True)
class ReportBundle:
    """Every summary of a period, for the CLI, exports and the PDF."""

    currency: str
    date_from: dt.date
    date_to: dt.date
    summary: Summary
    tables: dict = field(default_factory=dict)  # name -> DataFrame (minor units)

    @property
    def missing_rates(self) -> tuple[rates.MissingRate, ...]:
        """What the period's figures could not convert to the user's currency."""
        return self.summary.missing_rates


REPORT_SECTIONS = (
    "summary", "by_month", "by_category", "average_monthly", "top_merchants", "changes",
    "recurring", "unusual", "spikes", "duplicates",
)


def report_bundle(
    session: Session, *, user_id: int, filters: ReportFilter, today: dt.date | None = None
) -> ReportBundle:
    """All report tables for a bounded period (dates required)."""
    if filters.date_from is None or filters.date_to is None:
        raise ValidationError("Choose a period for the report.", field="period")
    scope = _scope(session, user_id)
    last_month = month_start(filters.date_to)
    # every sum by type/category/month below (the spikes' history and the changes' year-ago
    # month included) is served by one grouped read of the range and the twelve months before
    with gc_paused(), day_rollup(session, scope, filters.with_dates(add_months(month_start(filters.date_from), -12),
                                                                    filters.date_to)):
        s = _summary(session, scope, filters)
        tables = _tables(session, user_id, filters, s, last_month, today)
    return ReportBundle(currency=scope.currency, date_from=filters.date_from, date_to=filters.date_to, summary=s, tables=tables)


def _tables(
    session: Session, user_id: int, filters: ReportFilter, s: Summary, last_month: dt.date, today: dt.date | None
) -> dict:
    return {
        "summary": summary_frame(s),
        "by_month": by_period(session, user_id=user_id, filters=filters, freq="month"),
        "by_category": by_category(session, user_id=user_id, filters=filters),
        "average_monthly": average_monthly_by_category(session, user_id=user_id, filters=filters),
        "top_merchants": top_merchants(session, user_id=user_id, filters=filters, limit=20),
        "changes": changes(session, user_id=user_id, month=last_month, filters=filters, today=today),
        "recurring": recurring_frame(detect_recurring(session, user_id=user_id, as_of=filters.date_to)),
        "unusual": unusual_frame(unusual_transactions(session, user_id=user_id, filters=filters, today=today)),
        "spikes": spikes_frame(spending_spikes(session, user_id=user_id, filters=filters, today=today)),
        "duplicates": duplicates_frame(likely_duplicates(session, user_id=user_id, filters=filters, today=today)),
    }
