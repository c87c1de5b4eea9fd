"""Admin · Transactions: every user's transactions, read-only, filtered, paged and exported."""

from __future__ import annotations

import streamlit as st

from budgetwise.config import Settings
from budgetwise.money import parse_decimal
from budgetwise.principal import Principal
from budgetwise.services import admin, exports
from budgetwise.ui import db_session, read_session
from budgetwise.ui.actions import run_action
from budgetwise.ui.admin.common import TXN_FILTER, pager, table
from budgetwise.ui.admin.users import visitors_line
from budgetwise.ui.format import date_input_format, decimal_separator, money
from budgetwise.ui.widgets import select_or_none

VIEWS_LOGGED = "adm_txn_views_logged"  # (filter, page) already written to the audit log this session


def _filters(principal: Principal, settings: Settings, flt: admin.OversightFilter) -> None:
    st.caption("Every user's transactions, read-only. Amounts compare in each transaction's own currency.")
    with read_session() as s:
        visitors = admin.visitor_count(s, principal=principal)
    include_visitors = False
    if visitors:  # the User picker leaves demo visitors' temporary accounts out, as the Users tab does
        v1, v2 = st.columns([3, 2])
        v1.caption(visitors_line(visitors, settings, principal.locale))
        include_visitors = v2.toggle("Show demo accounts", key="adm_txn_visitors",
                                     help="List demo visitors' temporary accounts in the User picker.")
    with read_session() as s:
        user_opts = dict(admin.user_choices(s, principal=principal, include_visitors=include_visitors))
        cat_opts = dict(admin.category_choices(s, principal=principal, user_id=flt.user_id))
    with st.form("adm_txn_filters"):
        c1, c2, c3, c4 = st.columns(4)
        f_user = select_or_none(c1, "User", list(user_opts), none="All users", format_func=user_opts.__getitem__,
                                key="adm_txn_user")
        f_kind = select_or_none(c2, "Type", ["expense", "income"], none="Any", format_func=str.capitalize,
                                key="adm_txn_kind")
        f_from = c3.date_input("From", value=None, key="adm_txn_from", format=date_input_format(principal))
        f_to = c4.date_input("To", value=None, key="adm_txn_to", format=date_input_format(principal))
        c5, c6, c7, c8 = st.columns(4)
        f_min = c5.text_input("Minimum amount", key="adm_txn_min", placeholder="e.g. 100")
        f_max = c6.text_input("Maximum amount", key="adm_txn_max")
        cat_choices: list[int | str] = ["none", *cat_opts]
        f_cat = select_or_none(
            c7, "Category", cat_choices, none="Any", key="adm_txn_cat",
            format_func=lambda c: "— uncategorized —" if c == "none" else cat_opts[int(c)],
        )
        f_text = c8.text_input("Description contains", key="adm_txn_text")
        applied = st.form_submit_button("Apply filters", type="primary")
    if not applied:
        return
    hint = decimal_separator(principal)  # amounts typed as the admin's own locale writes them

    def _checked() -> admin.OversightFilter:
        """The new filter, validated by one read before it is kept (a read: no unit of work to commit)."""
        new_filter = admin.OversightFilter(
            user_id=f_user, kind=f_kind, date_from=f_from, date_to=f_to,
            min_amount=parse_decimal(f_min, field="minimum amount", decimal_hint=hint) if f_min.strip() else None,
            max_amount=parse_decimal(f_max, field="maximum amount", decimal_hint=hint) if f_max.strip() else None,
            category_id=f_cat if isinstance(f_cat, int) else None, uncategorized=f_cat == "none",
            text=f_text,
        )
        with read_session() as s:
            admin.list_all_transactions(s, principal=principal, filters=new_filter, page_size=1)
        return new_filter

    def _keep(new_filter: admin.OversightFilter) -> None:
        st.session_state[TXN_FILTER] = new_filter
        st.session_state["adm_txn_page"] = 1

    run_action(_checked, then=_keep, unit_of_work=False)


def _audit_view(principal: Principal, flt: admin.OversightFilter, txns: admin.Page) -> None:
    """One audit entry per distinct filter and page in this browser session (reruns of the same view,
    a click elsewhere on the page, are not logged again)."""
    seen: set = st.session_state.setdefault(VIEWS_LOGGED, set())
    view = (flt, txns.page)
    if view in seen:
        return
    with db_session() as s:
        admin.record_oversight_view(s, principal=principal, filters=flt, page=txns.page, matched=txns.total)
    seen.add(view)


def render(principal: Principal, settings: Settings) -> None:
    flt: admin.OversightFilter = st.session_state.get(TXN_FILTER) or admin.OversightFilter()
    _filters(principal, settings, flt)
    with read_session() as s:  # the stored filter was validated when it was applied
        txns = admin.list_all_transactions(
            s, principal=principal, filters=flt, page=st.session_state.get("adm_txn_page", 1), page_size=50
        )
    _audit_view(principal, flt, txns)
    table(
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
    pager("adm_txn_page", txns, "transaction", locale=principal.locale)

    def _export_csv(flt: admin.OversightFilter = flt) -> bytes:
        with db_session() as s:
            return admin.export_all_transactions_csv(s, principal=principal, filters=flt)

    st.download_button(
        "Download these transactions as CSV", data=_export_csv,
        file_name=exports.timestamped_name("all-transactions", "csv"),
        mime="text/csv", key="adm_txn_export", icon=":material/download:", disabled=txns.total == 0,
        help="All pages of the current filter (recorded in the audit log).",
    )
