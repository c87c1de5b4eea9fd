"""The Transactions page's filters, the table (page by page) and the selection it feeds."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from budgetwise.principal import Principal
from budgetwise.services import rates
from budgetwise.services import transactions as tx
from budgetwise.services.accounts import AccountView
from budgetwise.ui.context import read_session
from budgetwise.ui.currency import in_base_column
from budgetwise.ui.format import count_text, date_column_format, date_input_format, day, money
from budgetwise.ui.forms import form_key, persist
from budgetwise.ui.transactions.common import PAGE, CategoryLabels
from budgetwise.ui.widgets import (
    TRANSACTION_DEFAULT_OPTIONAL,
    column_widths,
    transaction_columns,
    transaction_options,
    transaction_widths,
    transactions_frame,
)

COLUMNS, COLUMNS_WIDGET = "tx_columns", "tx_w_columns"  # the columns chosen beside the usual ones (kept per session)


def filters(principal: Principal, labels: CategoryLabels, accounts: list[AccountView]) -> tx.TransactionFilter:
    with st.expander("Filter", icon=":material/filter_list:", expanded=False):
        f1, f2 = st.columns(2)
        use_dates = f1.checkbox("Limit to a date range", key="tx_f_use_dates")
        dates = f1.date_input(
            "Date range", value=(dt.date.today().replace(day=1), dt.date.today()), key="tx_f_dates",
            disabled=not use_dates, format=date_input_format(principal),
        )
        kind_filter = f2.selectbox("Type", ["all", "expense", "income"], key="tx_f_kind", format_func=str.capitalize)
        cat_filter = st.multiselect("Categories", labels.ids, format_func=labels, key="tx_f_categories")
        names = {a.id: a.name + (" (archived)" if a.is_archived else "") for a in accounts}
        account_filter = st.multiselect("Accounts", list(names), format_func=lambda i: names.get(i, str(i)),
                                        key="tx_f_accounts", placeholder="All accounts")
        uncategorized = st.checkbox("Include uncategorized only / also", key="tx_f_uncat",
                                    help="With no category chosen: only uncategorized. With categories: those or uncategorized.")
        text = st.text_input("Search description and notes", key="tx_f_text")
    date_from = date_to = None
    if use_dates and isinstance(dates, tuple) and len(dates) == 2:
        date_from, date_to = dates
    return tx.TransactionFilter(
        date_from=date_from, date_to=date_to, kind=None if kind_filter == "all" else kind_filter,
        category_ids=tuple(cat_filter), uncategorized=uncategorized, text=text, account_ids=tuple(account_filter),
    )


def table(principal: Principal, flt: tx.TransactionFilter) -> dict[int, tx.TransactionView]:
    """The current page of transactions (the page stops when there are none); their rows by id."""
    p1, p2, p3 = st.columns([1, 1, 2])
    page_size = p1.selectbox("Rows per page", [25, 50, 100, 250], index=1, key="tx_page_size")
    with read_session() as s:
        result = tx.list_transactions(
            s, user_id=principal.user_id, filters=flt, page=st.session_state.get(PAGE, 1), page_size=page_size
        )
    if result.page != st.session_state.get(PAGE):
        st.session_state[PAGE] = result.page
    if result.total == 0:
        if flt == tx.TransactionFilter():
            st.info("No transactions yet. Add one above, or bring your history in on the **Import** page.")
        else:
            st.info("No transactions match these filters.")
        st.stop()
    p2.number_input(f"Page (of {count_text(principal, result.pages)})", min_value=1, max_value=result.pages, step=1, key=PAGE)
    first = (result.page - 1) * result.page_size + 1
    st.caption(f"Showing {count_text(principal, first)}–{count_text(principal, first + len(result.rows) - 1)} of {count_text(principal, result.total)} transactions, newest first.")
    _draw(principal, _frame(principal, result.rows), p3)
    return {r.id: r for r in result.rows}


def _frame(principal: Principal, rows: list[tx.TransactionView]) -> pd.DataFrame:
    """The display table; beside "Amount" (as entered) the amount in the user's currency when some differ."""
    frame = transactions_frame(principal, rows)
    if any(r.currency != principal.currency for r in rows):
        # the amount as entered stays in "Amount"; beside it, at the rate of the transaction's date
        with read_session() as s:
            converted = rates.convert_each(
                s, user_id=principal.user_id, items=[(r.currency, r.date, r.amount_minor) for r in rows]
            )
        frame.insert(int(frame.columns.get_loc("Amount")) + 1, _base_column(principal),
                     in_base_column(principal, rows, converted))
        if any(v is None for v in converted):
            st.caption(
                f"“— no rate”: no exchange rate to {principal.currency} for that date yet; add it under "
                "Profile → Exchange rates."
            )
    return frame


def _base_column(principal: Principal) -> str:
    return f"In {principal.currency}"


def _chosen_columns(options: list[str], container) -> list[str]:
    """The optional columns to show ("More columns": the Type, the bank's own type, …; Account by default). The
    choice is kept for the session, also for a column this page of rows has not got (the bank's type)."""
    canonical = st.session_state.get(COLUMNS, list(TRANSACTION_DEFAULT_OPTIONAL))
    persist(COLUMNS_WIDGET, COLUMNS, canonical)
    st.session_state[COLUMNS_WIDGET] = [c for c in st.session_state[COLUMNS_WIDGET] if c in options]

    def _keep() -> None:
        shown = st.session_state.get(COLUMNS_WIDGET) or []
        st.session_state[COLUMNS] = [*shown, *(c for c in canonical if c not in options)]

    # a multiselect, not pills: pills do not wrap, and "Source" was cut at a 1024 px window
    return container.multiselect("More columns", options, key=COLUMNS_WIDGET, on_change=_keep, placeholder="None",
                                 help="Columns shown beside date, amounts, category and description.")


def _draw(principal: Principal, frame: pd.DataFrame, choice) -> None:
    table_key, selected_key = form_key("tx_table"), form_key("tx_selected")

    def _on_table_select() -> None:
        selection = st.session_state.get(table_key, {}).get("selection", {}).get("rows", [])
        st.session_state[selected_key] = [int(frame.iloc[i]["id"]) for i in selection if i < len(frame)]

    base = _base_column(principal)
    chosen = _chosen_columns(transaction_options(frame.columns, base_column=base), choice)
    shown = transaction_columns(frame.columns, base_column=base, chosen=chosen)
    widths = transaction_widths(shown, base_column=base)
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=table_key,
        on_select=_on_table_select,
        selection_mode="multi-row",
        column_order=shown,
        column_config={  # type: ignore[call-overload]  # the widths' configs are plain dicts
            **column_widths(widths),
            "Date": st.column_config.DateColumn("Date", format=date_column_format(principal), width=widths["Date"]),
        },
    )


def selection(principal: Principal, rows_by_id: dict[int, tx.TransactionView]) -> list[int]:
    """The selected transactions of this page (ticked in the table, or chosen here)."""
    selected_key = form_key("tx_selected")
    st.session_state[selected_key] = [i for i in st.session_state.get(selected_key, []) if i in rows_by_id]
    return st.multiselect(
        "Selected transactions (tick rows in the table, or choose here)",
        list(rows_by_id),
        key=selected_key,
        format_func=lambda i: (
            f"{day(principal, rows_by_id[i].date)} · {rows_by_id[i].description[:40] or '(no description)'} · "
            f"{money(principal, rows_by_id[i].signed_minor, rows_by_id[i].currency)}"
        ),
    )
