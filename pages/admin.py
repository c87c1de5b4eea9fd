"""Admin: users, transactions oversight, global categories and rules, system health, audit and login logs."""

import datetime as dt

import plotly.express as px
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import parse_decimal
from budgetwise.services import admin, categorize, exports, password_reset
from budgetwise.ui import db_session, get_settings, read_session, require_admin
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.widgets import kpi, md, money, show_error

principal = require_admin()
settings = get_settings()

NOTICE = "adm_notice"  # (kind, message) shown once after a rerun
ISSUED = "adm_issued_code"  # the ResetCode just issued, shown until dismissed
CONFIRM = "adm_confirm"  # (action, user_id, email) waiting for a second click
TXN_FILTER = "adm_txn_filter"  # admin.OversightFilter
PAGE_SIZE = 25


def _notify(message: str, kind: str = "success") -> None:
    st.session_state[NOTICE] = (kind, message)


def _when(value: dt.datetime | None) -> str:
    return "—" if value is None else f"{value:%Y-%m-%d %H:%M}"


def _pager(key: str, page: admin.Page, noun: str) -> None:
    """Previous / next buttons over a service Page; the page number lives in a non-widget key."""
    left, middle, right = st.columns([1, 3, 1])
    if left.button("◀ Previous", key=f"{key}_prev", disabled=page.page <= 1):
        st.session_state[key] = page.page - 1
        st.rerun()
    middle.caption(f"Page {page.page} of {page.pages} · {page.total} {noun}")
    if right.button("Next ▶", key=f"{key}_next", disabled=page.page >= page.pages):
        st.session_state[key] = page.page + 1
        st.rerun()


def _table(rows: list[dict], *, key: str, empty: str = "Nothing matches.") -> None:
    if rows:
        st.dataframe(rows, hide_index=True, key=key)
    else:
        st.caption(empty)


def _act(call, message: str) -> None:
    """Run one admin action in its own unit of work; report the result after a rerun."""
    try:
        with db_session() as s:
            call(s)
    except BudgetwiseError as exc:
        show_error(exc)
    else:
        _notify(message)
        st.rerun()


st.title("Admin")
kind, message = st.session_state.pop(NOTICE, (None, None))
if message:
    {"success": st.success, "warning": st.warning, "error": st.error}.get(kind, st.info)(md(message))

users_tab, txn_tab, cat_tab, system_tab, audit_tab, login_tab = st.tabs(
    ["Users", "Transactions", "Categories & rules", "System", "Audit log", "Login log"],
    key="adm_tab", on_change="rerun",
)

# ============================================================================ users
with users_tab:
    if users_tab.open:
        issued = st.session_state.get(ISSUED)
        if issued is not None:
            with st.container(border=True):
                if issued.emailed:
                    st.success(f"A one-time reset code was e-mailed to {md(issued.email)}.")
                else:
                    st.success(
                        f"One-time code for **{md(issued.email)}**: give it to them through a channel you trust. "
                        f"It works once, until {_when(issued.expires_at)} UTC, on the sign-in page under "
                        "\"Have a reset code?\"; it is not shown again."
                    )
                st.code(issued.code, language=None)
                if issued.link:
                    st.caption("Or send this link:")
                    st.code(issued.link, language=None)
                if st.button("I have passed it on: hide the code", key="adm_hide_code"):
                    st.session_state.pop(ISSUED, None)
                    st.rerun()

        with read_session() as s:
            pending = admin.pending_reset_requests(s, principal=principal)
        if pending:
            how = (
                "They were e-mailed a code; issue a fresh one if it did not arrive."
                if password_reset.smtp_configured(settings)
                else "E-mail is not configured, so they cannot get a code by themselves: "
                "choose the user below and issue a reset code."
            )
            st.warning(f"**{len(pending)} password reset request{'s' if len(pending) != 1 else ''} waiting.** {how}")
            _table(
                [{"Email": p.email, "Name": p.name, "Requested (UTC)": _when(p.requested_at),
                  "Expires (UTC)": _when(p.expires_at)} for p in pending],
                key="adm_pending_table",
            )

        with st.expander("Create a user", icon=":material/person_add:"):
            with st.form("adm_create_user", clear_on_submit=True):
                c1, c2, c3 = st.columns([2, 2, 1])
                new_name = c1.text_input("Name", key="adm_new_name", max_chars=100)
                new_email = c2.text_input("Email", key="adm_new_email")
                new_role = c3.selectbox("Role", ["user", "admin"], key="adm_new_role")
                st.caption(
                    "The new user gets a one-time code to choose their own password: "
                    "administrators never set or see passwords."
                )
                if st.form_submit_button("Create user", type="primary"):
                    try:
                        with db_session() as s:
                            row, code = admin.create_user(
                                s, principal=principal, email=new_email, name=new_name, role=new_role,
                                settings=settings,
                            )
                    except BudgetwiseError as exc:
                        show_error(exc)
                    else:
                        st.session_state[ISSUED] = code
                        _notify(f"Created {row.role} {row.email}.")
                        st.rerun()

        f1, f2, f3 = st.columns([3, 1, 1])
        search = f1.text_input("Search by name or email", key="adm_user_search")
        role_filter = f2.selectbox("Role", ["all", "user", "admin"], key="adm_user_role", format_func=str.capitalize)
        status_filter = f3.selectbox("Status", ["all", "active", "disabled"], key="adm_user_status",
                                     format_func=str.capitalize)
        with read_session() as s:
            users = admin.list_users(
                s, principal=principal, search=search, role=None if role_filter == "all" else role_filter,
                active={"all": None, "active": True, "disabled": False}[status_filter],
                page=st.session_state.get("adm_users_page", 1), page_size=PAGE_SIZE,
            )
        _table(
            [
                {
                    "ID": r.id, "Name": r.name, "Email": r.email, "Role": r.role,
                    "Active": r.is_active, "Locked": r.is_locked, "Created (UTC)": _when(r.created_at),
                    "Last login (UTC)": _when(r.last_login_at), "Transactions": r.transaction_count,
                }
                for r in users.rows
            ],
            key="adm_users_table",
        )
        _pager("adm_users_page", users, "users")

        if users.rows:
            st.subheader("Manage a user")
            by_id = {r.id: r for r in users.rows}
            picked = st.selectbox(
                "User", list(by_id), key="adm_user_pick", format_func=lambda i: f"{by_id[i].email} ({by_id[i].name})"
            )
            row = by_id[picked]
            facts = [row.role, "active" if row.is_active else "disabled", f"{row.transaction_count} transactions"]
            if row.is_locked:
                facts.append(f"locked until {_when(row.locked_until)} UTC")
            elif row.failed_logins:
                facts.append(f"{row.failed_logins} failed sign-ins in a row")
            if row.two_factor:
                facts.append("two-step sign-in on")
            st.caption(f"**{md(row.email)}** · " + " · ".join(facts))

            confirm = st.session_state.get(CONFIRM)
            if confirm and confirm[1] == row.id:
                action = confirm[0]
                st.warning(
                    {
                        "disable": f"Disable {md(row.email)}? They cannot sign in any more and their open "
                        "sessions end at their next click.",
                        "demote": f"Make {md(row.email)} a regular user? They lose access to this page.",
                        "reset_2fa": f"Turn off two-step sign-in for {md(row.email)}? Their authenticator and recovery "
                        "codes stop working, every session of theirs ends, and they sign in with the password alone "
                        "(they can set it up again on their profile).",
                    }[action]
                )
                yes, no = st.columns(2)
                verb = {"disable": "disable", "demote": "demote", "reset_2fa": "turn off 2FA"}[action]
                if yes.button(f"Yes, {verb}", type="primary", key="adm_confirm_yes"):
                    st.session_state.pop(CONFIRM, None)
                    fn, done = {
                        "disable": (admin.disable_user, "was disabled."),
                        "demote": (admin.demote_user, "was made a regular user."),
                        "reset_2fa": (admin.reset_two_factor, "signs in with the password alone now (two-step sign-in off)."),
                    }[action]
                    _act(lambda s: fn(s, principal=principal, user_id=row.id), f"{row.email} {done}")
                if no.button("Cancel", key="adm_confirm_no"):
                    st.session_state.pop(CONFIRM, None)
                    st.rerun()
            else:
                b1, b2, b3, b4, b5 = st.columns(5)
                if row.is_active:
                    if b1.button("Disable", key="adm_disable", icon=":material/block:"):
                        st.session_state[CONFIRM] = ("disable", row.id, row.email)
                        st.rerun()
                elif b1.button("Enable", key="adm_enable", icon=":material/check_circle:"):
                    _act(lambda s: admin.enable_user(s, principal=principal, user_id=row.id), f"{row.email} was enabled.")
                if row.is_admin:
                    if b2.button("Demote to user", key="adm_demote", icon=":material/arrow_downward:"):
                        st.session_state[CONFIRM] = ("demote", row.id, row.email)
                        st.rerun()
                elif b2.button("Promote to admin", key="adm_promote", icon=":material/arrow_upward:"):
                    _act(lambda s: admin.promote_user(s, principal=principal, user_id=row.id),
                         f"{row.email} is now an administrator.")
                if b3.button("Unlock", key="adm_unlock", icon=":material/lock_open:",
                             disabled=not (row.is_locked or row.failed_logins)):
                    _act(lambda s: admin.unlock_user(s, principal=principal, user_id=row.id), f"{row.email} was unlocked.")
                if b4.button("Issue reset code", key="adm_reset", icon=":material/key:", disabled=not row.is_active):
                    try:
                        with db_session() as s:
                            code = admin.issue_reset_code(
                                s, principal=principal, user_id=row.id, settings=settings,
                                send_email=bool(st.session_state.get("adm_reset_email")),
                            )
                    except BudgetwiseError as exc:
                        show_error(exc)
                    else:
                        st.session_state[ISSUED] = code
                        _notify(f"Issued a one-time reset code for {row.email}; any earlier code no longer works.")
                        st.rerun()
                if b5.button("Turn off 2FA", key="adm_reset_2fa", icon=":material/phonelink_erase:",
                             disabled=not row.two_factor,
                             help=("Turn off two-step sign-in for a user who lost the authenticator device and the "
                                   "recovery codes." if row.two_factor else "This user has not set up two-step sign-in.")):
                    st.session_state[CONFIRM] = ("reset_2fa", row.id, row.email)
                    st.rerun()
                if password_reset.smtp_configured(settings):
                    st.checkbox("E-mail reset codes to the user as well", key="adm_reset_email")

            with st.expander(f"Delete {md(row.email)}"):
                with read_session() as s:
                    preview = admin.deletion_preview(s, principal=principal, user_id=row.id)
                st.warning(
                    f"This deletes **{md(preview.email)}** and all their data for good: {preview.transactions} "
                    f"transactions, {preview.imports} imports, their categories, rules, budgets and goals."
                )
                with st.form(f"adm_delete_{row.id}", clear_on_submit=True):
                    typed = st.text_input("Type the user's email to confirm", key=f"adm_delete_confirm_{row.id}")
                    if st.form_submit_button("Delete user and all their data", type="primary"):
                        _act(
                            lambda s: admin.delete_user(s, principal=principal, user_id=row.id, confirm_email=typed),
                            f"Deleted {row.email} and all their data.",
                        )

# ============================================================================ transactions oversight
with txn_tab:
    if txn_tab.open:
        flt: admin.OversightFilter = st.session_state.get(TXN_FILTER) or admin.OversightFilter()
        with read_session() as s:
            user_opts = dict(admin.user_choices(s, principal=principal))
            cat_opts = dict(admin.category_choices(s, principal=principal, user_id=flt.user_id))
        st.caption("Every user's transactions, read-only. Amounts compare in each transaction's own currency.")
        with st.form("adm_txn_filters"):
            c1, c2, c3, c4 = st.columns(4)
            f_user = c1.selectbox("User", [None, *user_opts], format_func=lambda i: "All users" if i is None else user_opts[i],
                                  key="adm_txn_user")
            f_kind = c2.selectbox("Type", [None, "expense", "income"], key="adm_txn_kind",
                                  format_func=lambda k: "Any" if k is None else k.capitalize())
            f_from = c3.date_input("From", value=None, key="adm_txn_from", format="YYYY-MM-DD")
            f_to = c4.date_input("To", value=None, key="adm_txn_to", format="YYYY-MM-DD")
            c5, c6, c7, c8 = st.columns(4)
            f_min = c5.text_input("Minimum amount", key="adm_txn_min", placeholder="e.g. 100")
            f_max = c6.text_input("Maximum amount", key="adm_txn_max")
            f_cat = c7.selectbox(
                "Category", [None, "none", *cat_opts], key="adm_txn_cat",
                format_func=lambda c: "Any" if c is None else "— uncategorized —" if c == "none" else cat_opts[c],
            )
            f_text = c8.text_input("Description contains", key="adm_txn_text")
            applied = st.form_submit_button("Apply filters", type="primary")
        if applied:
            try:
                new_filter = admin.OversightFilter(
                    user_id=f_user, kind=f_kind, date_from=f_from, date_to=f_to,
                    min_amount=parse_decimal(f_min, field="minimum amount") if f_min.strip() else None,
                    max_amount=parse_decimal(f_max, field="maximum amount") if f_max.strip() else None,
                    category_id=f_cat if isinstance(f_cat, int) else None, uncategorized=f_cat == "none",
                    text=f_text,
                )
                with read_session() as s:
                    admin.list_all_transactions(s, principal=principal, filters=new_filter, page_size=1)
            except BudgetwiseError as exc:
                show_error(exc)
            else:
                st.session_state[TXN_FILTER] = new_filter
                st.session_state["adm_txn_page"] = 1
                st.rerun()
        with read_session() as s:  # the stored filter was validated when it was applied
            txns = admin.list_all_transactions(
                s, principal=principal, filters=flt, page=st.session_state.get("adm_txn_page", 1), page_size=50
            )
        _table(
            [
                {
                    "Date": t.date, "User": t.user_email, "Description": t.description,
                    "Category": t.category_name or "—", "Type": t.kind.capitalize(),
                    "Amount": money(principal, t.signed_minor, t.currency), "Currency": t.currency,
                    "Account": t.account or "", "Source": t.source,
                }
                for t in txns.rows
            ],
            key="adm_txn_table",
        )
        _pager("adm_txn_page", txns, "transactions")

        def _export_csv(flt=flt) -> bytes:
            with db_session() as s:
                return admin.export_all_transactions_csv(s, principal=principal, filters=flt)

        st.download_button(
            "Download these transactions as CSV", data=_export_csv, file_name=exports.timestamped_name("all-transactions", "csv"),
            mime="text/csv", key="adm_txn_export", icon=":material/download:", disabled=txns.total == 0,
            help="All pages of the current filter (recorded in the audit log).",
        )

# ============================================================================ categories & rules
with cat_tab:
    if cat_tab.open:
        with read_session() as s:
            cats = admin.list_global_categories(s, principal=principal)
            rules = admin.list_global_rules(s, principal=principal)
        cat_by_id = {c.id: c for c in cats}

        def cat_label(cid: int) -> str:
            c = cat_by_id[cid]
            return f"{c.name} ({c.kind}{', archived' if c.is_archived else ''})"

        st.subheader("Default categories")
        st.caption(
            "Shared by every user. Changes apply to every user's transactions, rules and budgets at once; "
            "the counts cover every user."
        )
        _table(
            [{"Name": c.name, "Kind": c.kind, "Colour": c.color, "Archived": c.is_archived,
              "Transactions": c.transaction_count, "Rules": c.rule_count} for c in cats],
            key="adm_cat_table",
        )
        left, right = st.columns(2)
        with left.form("adm_cat_create", clear_on_submit=True):
            st.markdown("**New category**")
            n1, n2, n3 = st.columns([3, 2, 1])
            c_name = n1.text_input("Name", key="adm_cat_new_name", max_chars=60)
            c_kind = n2.selectbox("Kind", ["expense", "income", "transfer"], key="adm_cat_new_kind")
            c_color = n3.color_picker("Colour", value="#8c8c8c", key="adm_cat_new_color")
            if st.form_submit_button("Create category"):
                _act(lambda s: admin.create_global_category(s, principal=principal, name=c_name, kind=c_kind, color=c_color),
                     f"Created the category {c_name.strip()}.")
        with right.form("adm_cat_rename"):
            st.markdown("**Rename**")
            r1, r2 = st.columns(2)
            r_id = r1.selectbox("Category", list(cat_by_id), format_func=cat_label, key="adm_cat_rename_id")
            r_name = r2.text_input("New name", key="adm_cat_rename_name", max_chars=60)
            if st.form_submit_button("Rename"):
                _act(lambda s: admin.rename_global_category(s, principal=principal, category_id=r_id, name=r_name),
                     f"Renamed {cat_by_id[r_id].name} to {r_name.strip()}.")
        left, right = st.columns(2)
        mk = form_key("adm_cat_merge")  # new widgets after a merge: the deleted category's place is not taken
        with left.form(mk):  # by the next one in the list with the confirmation still ticked
            st.markdown("**Merge two categories**")
            m1, m2 = st.columns(2)
            m_source = m1.selectbox("Merge this one…", list(cat_by_id), format_func=cat_label, key=f"{mk}_source")
            m_target = m2.selectbox("…into this one", list(cat_by_id), index=min(1, len(cat_by_id) - 1),
                                    format_func=cat_label, key=f"{mk}_target")
            m_sure = st.checkbox(
                "I understand: every user's transactions, rules and budgets move to the second category, "
                "and the first one is deleted.", key=f"{mk}_sure",
            )
            if st.form_submit_button("Merge"):
                if not m_sure:
                    st.error("Tick the box to confirm the merge.")
                else:
                    try:
                        with db_session() as s:
                            merged = admin.merge_global_categories(
                                s, principal=principal, source_id=m_source, target_id=m_target
                            )
                    except BudgetwiseError as exc:
                        show_error(exc)
                    else:
                        reset_form("adm_cat_merge")
                        _notify(
                            f"Merged {merged.source_name} into {merged.target.name}: {merged.transactions} transactions, "
                            f"{merged.rules} rules and {merged.budgets_moved + merged.budgets_combined} budgets "
                            f"of {merged.users_affected} users."
                        )
                        st.rerun()
        with right.form("adm_cat_archive"):
            st.markdown("**Archive or restore**")
            a_id = st.selectbox("Category", list(cat_by_id), format_func=cat_label, key="adm_cat_archive_id")
            st.caption("Archived categories disappear from the pickers; existing transactions keep them.")
            if st.form_submit_button("Archive / restore"):
                archive = not cat_by_id[a_id].is_archived
                _act(lambda s: admin.archive_global_category(s, principal=principal, category_id=a_id, archived=archive),
                     f"{'Archived' if archive else 'Restored'} {cat_by_id[a_id].name}.")

        st.subheader("Default rules")
        st.caption("Applied to every user's new transactions after their own rules (lower priority runs first).")
        _table(
            [{"ID": r.id, "Priority": r.priority, "Match": r.match_type, "Pattern": r.pattern,
              "Category": r.category_name, "Type": r.kind or "any", "Active": r.is_active} for r in rules],
            key="adm_rule_table", empty="No default rules yet.",
        )
        active_cats = [c.id for c in cats if not c.is_archived]
        with st.expander("New default rule", icon=":material/add:"):
            with st.form("adm_rule_create", clear_on_submit=True):
                q1, q2, q3 = st.columns([2, 3, 2])
                q_match = q1.selectbox("Match", list(admin.MATCH_TYPES), key="adm_rule_new_match")
                q_pattern = q2.text_input("Description text or pattern", key="adm_rule_new_pattern", max_chars=500)
                q_cat = q3.selectbox("Category", active_cats, format_func=cat_label, key="adm_rule_new_cat")
                q4, q5 = st.columns(2)
                q_prio = q4.number_input("Priority", categorize.MIN_PRIORITY, categorize.MAX_PRIORITY, 100,
                                         key="adm_rule_new_prio")
                q_kind = q5.selectbox("Only for", ["any", "expense", "income"], key="adm_rule_new_kind")
                if st.form_submit_button("Add rule"):
                    _act(
                        lambda s: admin.create_global_rule(
                            s, principal=principal, category_id=q_cat, pattern=q_pattern, match_type=q_match,
                            priority=int(q_prio), kind=None if q_kind == "any" else q_kind,
                        ),
                        "Added the default rule.",
                    )
        if rules:
            rule_by_id = {r.id: r for r in rules}
            e_id = st.selectbox(
                "Edit a rule", list(rule_by_id), key="adm_rule_pick",
                format_func=lambda i: f"#{i}: {rule_by_id[i].match_type} “{rule_by_id[i].pattern}” → {rule_by_id[i].category_name}",
            )
            rule = rule_by_id[e_id]
            with st.form(f"adm_rule_edit_{rule.id}"):
                e1, e2, e3 = st.columns([2, 3, 2])
                e_match = e1.selectbox("Match", list(admin.MATCH_TYPES), index=admin.MATCH_TYPES.index(rule.match_type),
                                       key=f"adm_rule_match_{rule.id}")
                e_pattern = e2.text_input("Pattern", value=rule.pattern, key=f"adm_rule_pattern_{rule.id}")
                choices = sorted(set(active_cats) | {rule.category_id}, key=lambda i: cat_by_id[i].name)
                e_cat = e3.selectbox("Category", choices, index=choices.index(rule.category_id), format_func=cat_label,
                                     key=f"adm_rule_cat_{rule.id}")
                e4, e5, e6 = st.columns(3)
                e_prio = e4.number_input("Priority", categorize.MIN_PRIORITY, categorize.MAX_PRIORITY, rule.priority,
                                         key=f"adm_rule_prio_{rule.id}")
                kinds = ["any", "expense", "income"]
                e_kind = e5.selectbox("Only for", kinds, index=kinds.index(rule.kind or "any"), key=f"adm_rule_kind_{rule.id}")
                e_active = e6.checkbox("Active", value=rule.is_active, key=f"adm_rule_active_{rule.id}")
                s1, s2 = st.columns(2)
                save = s1.form_submit_button("Save rule", type="primary")
                remove = s2.form_submit_button("Delete rule")
            if save:
                _act(
                    lambda s: admin.update_global_rule(
                        s, principal=principal, rule_id=rule.id, category_id=e_cat, pattern=e_pattern,
                        match_type=e_match, priority=int(e_prio), kind=None if e_kind == "any" else e_kind,
                        is_active=e_active,
                    ),
                    f"Saved rule #{rule.id}.",
                )
            if remove:
                st.session_state[CONFIRM] = ("delete_rule", rule.id, "")
                st.rerun()
            if st.session_state.get(CONFIRM) == ("delete_rule", rule.id, ""):
                st.warning(f"Delete rule #{rule.id}? Transactions it categorized keep their category.")
                y, n = st.columns(2)
                if y.button("Yes, delete the rule", type="primary", key="adm_rule_delete_yes"):
                    st.session_state.pop(CONFIRM, None)
                    _act(lambda s: admin.delete_global_rule(s, principal=principal, rule_id=rule.id),
                         f"Deleted rule #{rule.id}.")
                if n.button("Cancel", key="adm_rule_delete_no"):
                    st.session_state.pop(CONFIRM, None)
                    st.rerun()

# ============================================================================ system
with system_tab:
    if system_tab.open:
        with read_session() as s:
            health = admin.system_health(s, principal=principal)
            chart = admin.logins_per_day(s, principal=principal, days=30)
        t = health.totals
        row1 = st.columns(5)
        with row1[0]:
            kpi("Users", str(t.users), help=f"{t.active_users} active, {t.disabled_users} disabled, {t.admins} admins")
        with row1[1]:
            kpi("Active in 7 days", str(t.active_7d), help="Users who signed in during the last 7 days")
        with row1[2]:
            kpi("Active in 30 days", str(t.active_30d))
        with row1[3]:
            kpi("Transactions", f"{t.transactions:,}")
        with row1[4]:
            kpi("Imports", f"{t.imports:,}")
        st.subheader("Sign-ins per day (last 30 days, UTC)")
        figure = px.bar(
            chart, x="day", y=["successful", "failed"], barmode="group",
            color_discrete_map={"successful": "#2e7d32", "failed": "#c62828"},
            labels={"day": "", "value": "sign-ins", "variable": ""},
        )
        figure.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
        st.plotly_chart(figure, key="adm_login_chart")
        left, right = st.columns(2)
        with left:
            st.markdown("**Recent failed sign-ins**")
            _table(
                [{"When (UTC)": _when(f.created_at), "Email": f.email, "Reason": f.reason.replace("_", " ")}
                 for f in health.recent_failures],
                key="adm_failures_table", empty="No failed sign-ins.",
            )
        with right:
            st.markdown(f"**Locked accounts** ({t.locked_now})")
            if health.locked_accounts:
                _table(
                    [{"Email": a.email, "Locked until (UTC)": _when(a.locked_until)} for a in health.locked_accounts],
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

# ============================================================================ audit log
with audit_tab:
    if audit_tab.open:
        st.caption("Every administrative action, newest first. The log cannot be edited from the app.")
        with read_session() as s:
            actions = admin.audit_actions(s, principal=principal)
        a1, a2, a3, a4 = st.columns([3, 2, 1.4, 1.4])
        a_search = a1.text_input("Search actor, target or details", key="adm_audit_search")
        a_action = a2.selectbox("Action", [None, *actions], key="adm_audit_action",
                                format_func=lambda a: "All actions" if a is None else a)
        a_from = a3.date_input("From", value=None, key="adm_audit_from", format="YYYY-MM-DD")
        a_to = a4.date_input("To", value=None, key="adm_audit_to", format="YYYY-MM-DD")
        with read_session() as s:
            audit = admin.list_audit_log(
                s, principal=principal, search=a_search, action=a_action, date_from=a_from, date_to=a_to,
                page=st.session_state.get("adm_audit_page", 1), page_size=50,
            )
        _table(
            [{"When (UTC)": _when(r.created_at), "Actor": r.actor_email, "Action": r.action, "Target": r.target,
              "Details": r.details} for r in audit.rows],
            key="adm_audit_table",
        )
        _pager("adm_audit_page", audit, "entries")

# ============================================================================ login log
with login_tab:
    if login_tab.open:
        l1, l2, l3, l4 = st.columns([3, 2, 1.4, 1.4])
        l_email = l1.text_input("Email contains", key="adm_login_email")
        l_outcome = l2.selectbox("Outcome", [None, "success", "failure", "lockout"], key="adm_login_outcome",
                                 format_func=lambda o: "All" if o is None else o.capitalize())
        l_from = l3.date_input("From", value=None, key="adm_login_from", format="YYYY-MM-DD")
        l_to = l4.date_input("To", value=None, key="adm_login_to", format="YYYY-MM-DD")
        with read_session() as s:
            logins = admin.list_login_log(
                s, principal=principal, email=l_email, outcome=l_outcome, date_from=l_from, date_to=l_to,
                page=st.session_state.get("adm_login_page", 1), page_size=50,
            )
        _table(
            [{"When (UTC)": _when(r.created_at), "Email": r.email, "User ID": r.user_id,
              "Outcome": "success" if r.success else "failure", "Reason": r.reason.replace("_", " ")}
             for r in logins.rows],
            key="adm_login_table",
        )
        _pager("adm_login_page", logins, "attempts")
