"""Admin · System: user and data totals, sign-ins per day, failed sign-ins, locked accounts, database."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from budgetwise.config import Settings
from budgetwise.importing import limits
from budgetwise.principal import Principal
from budgetwise.services import admin, password_reset
from budgetwise.ui import read_session
from budgetwise.ui.admin.common import table
from budgetwise.ui.admin.users import visitors_line
from budgetwise.ui.charts import count_axis, date_axis, plotly_config
from budgetwise.ui.format import count_text, md, when
from budgetwise.ui.widgets import kpi


def limits_lines(settings: Settings) -> list[str]:
    """The limits in effect and how backups are made: what an administrator of a household or a class needs to
    know before a sign-up evening, each with the setting that changes it (README, Settings)."""
    proxy = ("the last `X-Forwarded-For` hop" if settings.trust_forwarded_for
             else "the address the server sees (behind a reverse proxy every client looks the same unless "
                  "`BUDGETWISE_TRUST_FORWARDED_FOR` is set)")
    return [
        f"**New accounts** from one client address: at most {settings.registrations_per_client} a day on "
        "\"Create account\" (`BUDGETWISE_REGISTRATIONS_PER_CLIENT`). A class or an office behind one address "
        "needs it raised, or you create the accounts on the Users tab (not limited); a browser that signed in to an "
        "account older than a day counts apart, with as many of its own. Client address: " + proxy + ".",
        f"**Failed sign-ins:** {settings.lockout_threshold} in a row lock an account for "
        f"{settings.lockout_minutes} minutes (`BUDGETWISE_LOCKOUT_THRESHOLD`, `BUDGETWISE_LOCKOUT_MINUTES`); "
        f"{settings.client_failure_limit} from one address make that address wait (`BUDGETWISE_CLIENT_FAILURE_LIMIT`).",
        f"**One-time codes:** a password reset code works for {password_reset.lifetime_text(settings)}; the code "
        f"of an account created on the Users tab for {password_reset.lifetime_text(settings, new_account=True)}. "
        "Issue a fresh one on the Users tab when one has expired.",
        f"**Uploads:** at most {settings.max_upload_mb} MB a file (`BUDGETWISE_MAX_UPLOAD_MB`); **storage:** at most "
        f"{limits.MAX_TRANSACTIONS_PER_USER:,} transactions per user (about 260 MB of SQLite; fixed, see "
        "docs/reliability.md).",
        "**Backups** are made on the server, not from this page: `budgetwise backup --output backup.zip` "
        "(safe while the app runs; the file holds password hashes), `budgetwise restore backup.zip` into an empty "
        "database (`--force` replaces all data). See docs/admin.md.",
    ]


def render(principal: Principal, settings: Settings) -> None:
    with read_session() as s:
        health = admin.system_health(s, principal=principal)
        chart = admin.logins_per_day(s, principal=principal, days=30)
    t = health.totals
    row1 = st.columns(5)
    with row1[0]:
        kpi("Users", count_text(principal, t.users), help=f"Real users (demo accounts apart): {t.active_users} active, "
            f"{t.disabled_users} disabled, {t.admins} admins")
    with row1[1]:
        kpi("Active in 7 days", str(t.active_7d), help="Users who signed in during the last 7 days")
    with row1[2]:
        kpi("Active in 30 days", str(t.active_30d))
    with row1[3]:
        kpi("Transactions", count_text(principal, t.transactions))
    with row1[4]:
        kpi("Imports", count_text(principal, t.imports))
    if t.demo_accounts:
        st.caption(f"Users counts real users only. Besides them: {visitors_line(t.demo_accounts, settings, principal.locale)}")
    st.subheader("Sign-ins per day (last 30 days, UTC)")
    figure = px.bar(
        chart, x="day", y=["successful", "failed", "refused sign-ups"], barmode="group",
        color_discrete_map={"successful": "#2e7d32", "failed": "#c62828", "refused sign-ups": "#ef6c00"},
        labels={"day": "", "value": "sign-ins", "variable": ""},
    )
    figure.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    count_axis(date_axis(figure, principal.locale, principal.date_format),
               float(chart[["successful", "failed", "refused sign-ups"]].to_numpy().max()) if len(chart) else 0.0)
    st.plotly_chart(figure, key="adm_login_chart", config=plotly_config(principal.locale))
    left, right = st.columns(2)
    with left:
        st.markdown("**Recent failed sign-ins and refused sign-ups**")
        table(
            [{"When (UTC)": when(f.created_at), "Email": f.email, "Attempt": "sign-up" if f.sign_up else "sign-in",
              "Reason": f.reason.replace("_", " ")}
             for f in health.recent_failures],
            key="adm_failures_table", empty="No failed sign-ins.",
        )
    with right:
        st.markdown(f"**Locked accounts** ({t.locked_now})")
        if health.locked_accounts:
            table(
                [{"Email": a.email, "Locked until (UTC)": when(a.locked_until)} for a in health.locked_accounts],
                key="adm_locked_table",
            )
            st.caption("Unlock them on the Users tab.")
        else:
            st.caption("None.")
    db_info = health.database
    size = "unknown" if db_info.size_bytes is None else f"{db_info.size_bytes / 1_048_576:,.1f} MB"
    st.markdown(
        f"**Database:** {md(db_info.backend)} {md(db_info.server_version)} · {size} · "
        f"schema revision {md(db_info.schema_revision or '—')}  \n"
        f"**Location:** `{db_info.location}`  \n"
        f"**BudgetWise version:** {md(health.app_version)} · "
        f"e-mail {'configured' if password_reset.smtp_configured(settings) else 'not configured'} · "
        f"{t.pending_reset_requests} pending password reset requests"
    )
    st.markdown("**Limits and backups**")
    st.markdown("\n".join(f"- {line}" for line in limits_lines(settings)))
