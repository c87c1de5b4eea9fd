"""Admin · Audit log and Login log: read-only, filtered and paged."""

from __future__ import annotations

import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import admin
from budgetwise.ui import read_session
from budgetwise.ui.admin.common import pager, table
from budgetwise.ui.format import date_input_format, when
from budgetwise.ui.widgets import select_or_none


def render_audit(principal: Principal) -> None:
    st.caption("Every administrative action, newest first. The log cannot be edited from the app.")
    with read_session() as s:
        actions = admin.audit_actions(s, principal=principal)
    a1, a2, a3, a4 = st.columns([3, 2, 1.4, 1.4])
    a_search = a1.text_input("Search actor, target or details", key="adm_audit_search")
    a_action = select_or_none(a2, "Action", actions, none="All actions", key="adm_audit_action")
    a_from = a3.date_input("From", value=None, key="adm_audit_from", format=date_input_format(principal))
    a_to = a4.date_input("To", value=None, key="adm_audit_to", format=date_input_format(principal))
    with read_session() as s:
        audit = admin.list_audit_log(
            s, principal=principal, search=a_search, action=a_action, date_from=a_from, date_to=a_to,
            page=st.session_state.get("adm_audit_page", 1), page_size=50,
        )
    table(
        [{"When (UTC)": when(r.created_at), "Actor": r.actor_email, "Action": r.action, "Target": r.target,
          "Details": r.details} for r in audit.rows],
        key="adm_audit_table",
    )
    pager("adm_audit_page", audit, "entry", "entries", locale=principal.locale)


def render_logins(principal: Principal) -> None:
    l1, l2, l3, l4 = st.columns([3, 2, 1.4, 1.4])
    l_email = l1.text_input("Email contains", key="adm_login_email")
    l_outcome = select_or_none(l2, "Outcome", ["success", "failure", "lockout"], none="All", format_func=str.capitalize,
                               key="adm_login_outcome")
    l_from = l3.date_input("From", value=None, key="adm_login_from", format=date_input_format(principal))
    l_to = l4.date_input("To", value=None, key="adm_login_to", format=date_input_format(principal))
    with read_session() as s:
        logins = admin.list_login_log(
            s, principal=principal, email=l_email, outcome=l_outcome, date_from=l_from, date_to=l_to,
            page=st.session_state.get("adm_login_page", 1), page_size=50,
        )
    table(
        [{"When (UTC)": when(r.created_at), "Email": r.email, "User ID": r.user_id,
          "Outcome": "success" if r.success else "failure", "Reason": r.reason.replace("_", " ")}
         for r in logins.rows],
        key="adm_login_table",
    )
    pager("adm_login_page", logins, "attempt", locale=principal.locale)
