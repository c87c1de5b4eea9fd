"""Admin · Users: pending reset requests, create, list, manage (enable/disable, roles, unlock,
reset codes, two-step sign-in) and delete a user."""

from __future__ import annotations

import streamlit as st

from budgetwise.config import Settings
from budgetwise.principal import Principal
from budgetwise.services import admin, password_reset
from budgetwise.ui import read_session
from budgetwise.ui.actions import ask, confirm, run_action
from budgetwise.ui.admin.common import CONFIRM, ISSUED, PAGE_SIZE, pager, table, who
from budgetwise.ui.format import count_text, day_time, plural, when

_QUESTIONS = {
    "disable": "Disable {email}? They cannot sign in any more and their open sessions end at their next click.",
    "demote": "Make {email} a regular user? They lose access to this page.",
    "reset_2fa": "Turn off two-step sign-in for {email}? Their authenticator and recovery codes stop working, every "
    "session of theirs ends, and they sign in with the password alone (they can set it up again on their profile).",
}
# the services refuse these for one's own account (docs/admin.md): not offered, said why
_OWN_ACCOUNT = ("This is your own account: it cannot be disabled or deleted from the admin page "
                "(Profile → Delete account deletes it).")
_VERBS = {"disable": "disable", "demote": "demote", "reset_2fa": "turn off 2FA"}
_DONE = {
    "disable": (admin.disable_user, "was disabled."),
    "demote": (admin.demote_user, "was made a regular user."),
    "reset_2fa": (admin.reset_two_factor, "signs in with the password alone now (two-step sign-in off)."),
}


def _keep_code(code: object) -> None:
    st.session_state[ISSUED] = code


def _show_created(created) -> None:
    """After "Create user": its code, and the list narrowed to the new user, picked under "Manage a user"
    (to promote them or issue a fresh code without hunting through the pages)."""
    row, code = created
    _keep_code(code)
    st.session_state["adm_user_search"] = row.email
    st.session_state["adm_users_page"] = 1
    st.session_state["adm_user_pick"] = row.id


def _issued_code(principal: Principal, settings: Settings) -> None:
    issued = st.session_state.get(ISSUED)
    if issued is None:
        return
    lifetime = password_reset.lifetime_text(settings, new_account=issued.new_account)
    with st.container(border=True):
        if issued.emailed:
            st.success(f"A one-time reset code was e-mailed to {who(issued.email)}.")
        else:
            st.success(
                f"One-time code for **{who(issued.email)}**: give it to them through a channel you trust. "
                f"It works once, for {lifetime}: until {day_time(principal, issued.expires_at)}, on the sign-in "
                "page under \"Have a reset code?\"; it is not shown again."
            )
        st.code(issued.code, language=None)
        if issued.link:
            st.caption("Or send this link:")
            st.code(issued.link, language=None)
        if st.button("I have passed it on: hide the code", key="adm_hide_code"):
            st.session_state.pop(ISSUED, None)
            st.rerun()


def _pending(principal: Principal, settings: Settings) -> None:
    with read_session() as s:
        pending = admin.pending_reset_requests(s, principal=principal)
    if not pending:
        return
    how = (
        "They were e-mailed a code; issue a fresh one if it did not arrive."
        if password_reset.smtp_configured(settings)
        else "E-mail is not configured, so they cannot get a code by themselves: "
        "choose the user below and issue a reset code."
    )
    st.warning(f"**{plural(len(pending), 'password reset request', locale=principal.locale)} waiting.** {how}")
    table(
        [{"Email": p.email, "Name": p.name, "Requested (UTC)": when(p.requested_at),
          "Expires (UTC)": when(p.expires_at)} for p in pending],
        key="adm_pending_table",
    )


def _create(principal: Principal, settings: Settings) -> None:
    with st.expander("Create a user", icon=":material/person_add:"), st.form("adm_create_user", clear_on_submit=True):
        c1, c2, c3 = st.columns([2, 2, 1])
        new_name = c1.text_input("Name", key="adm_new_name", max_chars=100)
        new_email = c2.text_input("Email", key="adm_new_email")
        new_role = c3.selectbox("Role", ["user", "admin"], key="adm_new_role")
        st.caption(
            "The new user gets a one-time code to choose their own password: "
            "administrators never set or see passwords."
        )
        if st.form_submit_button("Create user", type="primary"):
            run_action(
                lambda s: admin.create_user(
                    s, principal=principal, email=new_email, name=new_name, role=new_role, settings=settings,
                ),
                lambda created: f"Created {created[0].role} {who(created[0].email)}.",
                then=_show_created,
                markdown=True,  # the address as inline code, not a mailto: link
            )


def visitors_line(count: int, settings: Settings, locale: str = "en_US") -> str:
    """One line for demo mode's temporary accounts, which the list leaves out by default."""
    expiry = (f"deleted after {settings.demo_hours} hours" if settings.demo
              else "left from demo mode, deleted when it runs again")
    return f"{plural(count, 'temporary demo account', locale=locale)}, {expiry}."


def _listing(principal: Principal, settings: Settings) -> admin.Page:
    f1, f2, f3 = st.columns([3, 1, 1])
    search = f1.text_input("Search by name or email", key="adm_user_search")
    role_filter = f2.selectbox("Role", ["all", "user", "admin"], key="adm_user_role", format_func=str.capitalize)
    status_filter = f3.selectbox("Status", ["all", "active", "disabled"], key="adm_user_status",
                                 format_func=str.capitalize)
    with read_session() as s:
        visitors = admin.visitor_count(s, principal=principal)
    include_visitors = False
    if visitors:
        v1, v2 = st.columns([3, 2])
        v1.caption(visitors_line(visitors, settings, principal.locale))
        include_visitors = v2.toggle("Show demo accounts", key="adm_user_visitors")
    with read_session() as s:
        users = admin.list_users(
            s, principal=principal, search=search, role=None if role_filter == "all" else role_filter,
            active={"all": None, "active": True, "disabled": False}[status_filter],
            page=st.session_state.get("adm_users_page", 1), page_size=PAGE_SIZE,
            include_visitors=include_visitors,
        )
    table(
        [
            {
                "ID": r.id, "Name": r.name, "Email": r.email, "Role": r.role,
                "Active": r.is_active, "Locked": r.is_locked, "Created (UTC)": when(r.created_at),
                "Last login (UTC)": when(r.last_login_at),
                # in the admin's locale as the caption under the table says it ("2,286", "2.286" in de_DE)
                "Transactions": count_text(principal, r.transaction_count),
            }
            for r in users.rows
        ],
        key="adm_users_table",
    )
    pager("adm_users_page", users, "user", locale=principal.locale)
    return users


def _buttons(principal: Principal, settings: Settings, row) -> None:
    b1, b2, b3, b4, b5 = st.columns(5)
    yourself = row.id == principal.user_id
    if row.is_active:
        if b1.button("Disable", key="adm_disable", icon=":material/block:", disabled=yourself,
                     help=_OWN_ACCOUNT if yourself else None):
            ask(CONFIRM, ("disable", row.id, row.email))
    elif b1.button("Enable", key="adm_enable", icon=":material/check_circle:"):
        run_action(lambda s: admin.enable_user(s, principal=principal, user_id=row.id), f"{who(row.email)} was enabled.",
                   markdown=True)
    if row.is_admin:
        if b2.button("Demote to user", key="adm_demote", icon=":material/arrow_downward:"):
            ask(CONFIRM, ("demote", row.id, row.email))
    elif b2.button("Promote to admin", key="adm_promote", icon=":material/arrow_upward:"):
        run_action(lambda s: admin.promote_user(s, principal=principal, user_id=row.id),
                   f"{who(row.email)} is now an administrator.", markdown=True)
    if b3.button("Unlock", key="adm_unlock", icon=":material/lock_open:",
                 disabled=not (row.is_locked or row.failed_logins)):
        run_action(lambda s: admin.unlock_user(s, principal=principal, user_id=row.id), f"{who(row.email)} was unlocked.",
                   markdown=True)
    if b4.button("Issue reset code", key="adm_reset", icon=":material/key:", disabled=not row.is_active):
        run_action(
            lambda s: admin.issue_reset_code(
                s, principal=principal, user_id=row.id, settings=settings,
                send_email=bool(st.session_state.get("adm_reset_email")),
            ),
            f"Issued a one-time reset code for {who(row.email)}; any earlier code no longer works.",
            then=_keep_code, markdown=True,
        )
    if b5.button("Turn off 2FA", key="adm_reset_2fa", icon=":material/phonelink_erase:",
                 disabled=not row.two_factor,
                 help=("Turn off two-step sign-in for a user who lost the authenticator device and the "
                       "recovery codes." if row.two_factor else "This user has not set up two-step sign-in.")):
        ask(CONFIRM, ("reset_2fa", row.id, row.email))
    if password_reset.smtp_configured(settings):
        st.checkbox("E-mail reset codes to the user as well", key="adm_reset_email")


def _delete(principal: Principal, row) -> None:
    if row.id == principal.user_id:
        st.caption(_OWN_ACCOUNT)
        return
    with st.expander(f"Delete {who(row.email)}"):
        with read_session() as s:
            preview = admin.deletion_preview(s, principal=principal, user_id=row.id)
        st.warning(
            f"This deletes **{who(preview.email)}** and all their data for good: "
            f"{plural(preview.transactions, 'transaction', locale=principal.locale)}, "
            f"{plural(preview.imports, 'import', locale=principal.locale)}, their categories, rules, budgets and goals."
        )
        with st.form(f"adm_delete_{row.id}", clear_on_submit=True):
            typed = st.text_input("Type the user's email to confirm", key=f"adm_delete_confirm_{row.id}")
            if st.form_submit_button("Delete user and all their data", type="primary"):
                run_action(
                    lambda s: admin.delete_user(s, principal=principal, user_id=row.id, confirm_email=typed),
                    f"Deleted {who(row.email)} and all their data.", markdown=True,
                )


def _manage(principal: Principal, settings: Settings, users: admin.Page) -> None:
    st.subheader("Manage a user")
    by_id = {r.id: r for r in users.rows}
    if st.session_state.get("adm_user_pick") not in by_id:
        st.session_state.pop("adm_user_pick", None)  # picked on another page or filter: start from the first row
    picked = st.selectbox(
        "User", list(by_id), key="adm_user_pick", format_func=lambda i: f"{by_id[i].email} ({by_id[i].name})"
    )
    row = by_id[picked]
    facts = [row.role, "active" if row.is_active else "disabled", plural(row.transaction_count, "transaction", locale=principal.locale)]
    if row.is_locked:
        facts.append(f"locked until {day_time(principal, row.locked_until)}")
    elif row.failed_logins:
        facts.append(f"{row.failed_logins} failed sign-ins in a row")
    if row.two_factor:
        facts.append("two-step sign-in on")
    st.caption(f"**{who(row.email)}** · " + " · ".join(facts))

    pending = st.session_state.get(CONFIRM)
    if pending and pending[1] == row.id and pending[0] in _QUESTIONS:
        action = pending[0]
        if confirm(CONFIRM, pending, _QUESTIONS[action].format(email=who(row.email)),
                   yes=f"Yes, {_VERBS[action]}", yes_key="adm_confirm_yes", no_key="adm_confirm_no"):
            fn, done = _DONE[action]
            run_action(lambda s: fn(s, principal=principal, user_id=row.id), f"{who(row.email)} {done}", markdown=True)
    else:
        _buttons(principal, settings, row)
    _delete(principal, row)


def render(principal: Principal, settings: Settings) -> None:
    _issued_code(principal, settings)
    _pending(principal, settings)
    _create(principal, settings)
    users = _listing(principal, settings)
    if users.rows:
        _manage(principal, settings, users)
