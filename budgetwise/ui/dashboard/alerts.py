"""Dashboard: alerts (budgets over or at risk, unusual transactions, possible duplicates, upcoming payments)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import reports as R
from budgetwise.services.budgets import budget_warnings
from budgetwise.ui.dashboard.common import DUPLICATE, OVER, RISK, UNUSUAL, UPCOMING
from budgetwise.ui.format import day, md, money
from budgetwise.ui.reporting import Loader


def collect(principal: Principal, data: Loader, report, today: dt.date) -> list[tuple[str, str, str]]:
    """(icon, headline, detail) of every alert, in the order they are shown."""
    alerts: list[tuple[str, str, str]] = []
    for text in budget_warnings(report, money=lambda minor: money(principal, minor),
                                date_format=principal.date_format, locale=principal.locale):
        over = "over budget" in text
        alerts.append((OVER if over else RISK, "Over budget" if over else "Budget at risk", text))
    recent_window = R.ReportFilter(today - dt.timedelta(days=29), today)
    for u in data.call(R.unusual_transactions, filters=recent_window, today=today, limit=5):
        alerts.append((UNUSUAL, "Unusual", f"{day(principal, u.date)} {u.description or '(no description)'}. {u.reason}"))
    for g in data.call(R.likely_duplicates, filters=recent_window, today=today, limit=3):
        alerts.append((DUPLICATE, "Possible duplicate", f"{g.description or '(no description)'}. {g.reason}"))
    # from the one detection on today that the balance outlook reuses (outlook.recurring_loader)
    for r in R.upcoming_from(data.call(R.detect_recurring, as_of=today), as_of=today, days=14):
        when = "due now" if r.next_date <= today else f"expected {day(principal, r.next_date)}"
        extra = (
            f" (up from {money(principal, r.previous_amount_minor, r.currency)})"
            if r.price_increase and r.previous_amount_minor else ""
        )
        alerts.append(
            (UPCOMING, "Upcoming",
             f"{r.description} · {money(principal, r.typical_amount_minor, r.currency)}{extra} · {r.cadence}, {when}.")
        )
    return alerts


def render(alerts: list[tuple[str, str, str]]) -> None:
    if not alerts:
        return
    with st.expander(f"Alerts ({len(alerts)})", expanded=True, icon=":material/notifications:"):
        for icon, headline, text in alerts:
            st.markdown(f"{icon} **{headline}:** {md(text)}")
